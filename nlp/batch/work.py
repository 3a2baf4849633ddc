"""The unit of work both engines run: a list of tasks (one article each, with where it
came from) -> a list of outcomes (a record as JSON, or the reason it failed)."""
from __future__ import annotations

import os
import resource
from dataclasses import dataclass, field

from ..annotator import Annotator
from ..memory import freeze_loaded_objects, release_free_memory
from ..schema import AnnotationRecord
from ..settings import Settings


@dataclass
class Task:
    source: str
    line: int | None
    id: str
    article: dict


@dataclass
class Outcome:
    source: str
    line: int | None
    id: str
    record: str | None = None  # the annotation record, serialised exactly as the API returns it
    error: dict | None = None  # {"code", "message"}
    words: int = 0


@dataclass
class BatchResult:
    outcomes: list[Outcome]
    worker: str = field(default_factory=lambda: f"{os.uname().nodename}:{os.getpid()}")
    peak_rss_mb: float = field(default_factory=lambda: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def limit_threads(threads: int) -> None:
    """Give each worker its share of the cores: N workers each using every core only
    fight over them."""
    import torch

    torch.set_num_threads(max(1, threads))


def load_annotator(settings: dict, threads: int) -> Annotator:
    limit_threads(threads)
    annotator = Annotator(Settings(**settings))
    freeze_loaded_objects()
    return annotator


def annotate_tasks(annotator: Annotator, tasks: list[Task]) -> BatchResult:
    outcomes = []
    for task, result in zip(tasks, annotator.pipe([t.article for t in tasks])):
        outcome = Outcome(task.source, task.line, task.id)
        if isinstance(result, AnnotationRecord):
            outcome.record = result.model_dump_json()
            outcome.words = len(result.text.split())
        else:
            outcome.error = result.error.model_dump()
        outcomes.append(outcome)
    release_free_memory()
    return BatchResult(outcomes)

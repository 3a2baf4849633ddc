"""``newsnlp batch``: read archives, skip what a previous run finished, annotate the rest
with an engine, write records and errors, and report what happened."""
from __future__ import annotations

import fcntl
import sys
import time
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Iterable, Iterator

from ..article import article_id
from ..errors import InvalidInputError, NewsNLPError
from ..readers import InputItem, count_articles, iter_inputs
from ..schema import ALL_FEATURES, ArticleIn
from ..settings import Settings
from .sinks import ErrorLog, RecordSink, check_output, open_sink
from .work import BatchResult, Task


class DuplicateIdError(InvalidInputError):
    code = "duplicate_id"


@dataclass
class BatchOptions:
    workers: int = 1
    engine: str = "local"
    ray_address: str | None = None
    overwrite: bool = False
    features: tuple[str, ...] | None = None
    batch_size: int = 16
    quiet: bool = False


@dataclass
class BatchSummary:
    processed: int = 0  # annotated and written in this run
    already_done: int = 0  # in the output from an earlier run
    failed: int = 0  # bad records, in the errors file
    words: int = 0
    seconds: float = 0.0
    peak_rss_mb: dict[str, float] = field(default_factory=dict)  # per worker

    @property
    def articles_per_second(self) -> float:
        return self.processed / self.seconds if self.seconds else 0.0

    @property
    def words_per_second(self) -> float:
        return self.words / self.seconds if self.seconds else 0.0

    def describe(self) -> str:
        peak = max(self.peak_rss_mb.values(), default=0.0)
        return (f"processed {self.processed}, skipped {self.already_done} already done, failed {self.failed} "
                f"in {self.seconds:.1f} s ({self.articles_per_second:.2f} articles/s, "
                f"{self.words_per_second:.0f} words/s; peak worker memory {peak:.0f} MB)")


def errors_path(output: Path) -> Path:
    return output.with_name(output.name + ".errors.jsonl")


def _lock(output: Path):
    """One run per output at a time; the lock goes with the process, even on kill -9."""
    handle = output.with_name(output.name + ".lock").open("w")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        raise InvalidInputError(f"{output}: another newsnlp batch run is writing it") from None
    return handle


class _Planner:
    """Turns input items into tasks: validates, names each article, and drops what is done."""

    def __init__(self, sink: RecordSink, errors: ErrorLog, features: tuple[str, ...] | None,
                 summary: BatchSummary, progress) -> None:
        self.sink, self.errors, self.features = sink, errors, features
        self.summary, self.progress = summary, progress
        self.seen: set[str] = set()

    def tasks(self, items: Iterable[InputItem]) -> Iterator[Task]:
        for item in items:
            try:
                task = self._task(item)
            except NewsNLPError as exc:
                self.fail(item.source, item.line, item.id, exc.code, exc.message)
                continue
            if task is not None:
                yield task

    def _task(self, item: InputItem) -> Task | None:
        if isinstance(item.article, NewsNLPError):
            raise item.article
        article = dict(item.article)
        if self.features is not None and "features" not in article:
            article["features"] = list(self.features)
        ident = article_id(ArticleIn.from_obj(article))
        if ident in self.sink.done:
            self.summary.already_done += 1
            self.progress.update(1)
            return None
        if ident in self.seen:
            raise DuplicateIdError(f"id {ident!r} appears more than once in the input; each article needs its own id")
        self.seen.add(ident)
        if ErrorLog.key({"source": item.source, "line": item.line, "id": ident}) in self.errors.seen:
            self.summary.failed += 1  # reported by an earlier run
            self.progress.update(1)
            return None
        return Task(item.source, item.line, ident, article)

    def fail(self, source: str, line: int | None, ident: str | None, code: str, message: str) -> None:
        self.errors.write([{"source": source, "line": line, "id": ident, "code": code, "message": message}])
        self.summary.failed += 1
        self.progress.update(1)


def _batches(tasks: Iterator[Task], size: int) -> Iterator[list[Task]]:
    while batch := list(islice(tasks, size)):
        yield batch


def _engine(options: BatchOptions, settings: Settings):
    payload = settings.model_dump()
    if options.engine == "local":
        from .local import LocalEngine

        return LocalEngine(options.workers, payload)
    if options.engine == "ray":
        from .ray_engine import RayEngine

        return RayEngine(options.workers, payload, options.ray_address)
    raise InvalidInputError(f"unknown engine {options.engine!r}; supported: local, ray")


def run_batch(inputs: list[Path], output: Path, options: BatchOptions, settings: Settings | None = None) -> BatchSummary:
    from tqdm import tqdm

    settings = (settings or Settings()).model_copy(update={"batch_size": options.batch_size})
    if options.features is not None:
        unknown = [f for f in options.features if f not in ALL_FEATURES]
        if unknown:
            raise InvalidInputError(f"unknown feature(s) {', '.join(unknown)}; supported: {', '.join(ALL_FEATURES)}")
    check_output(output)  # usage errors first: nothing is created or locked for them
    engine = _engine(options, settings)
    output.parent.mkdir(parents=True, exist_ok=True)
    with _lock(output):
        sink = open_sink(output, options.overwrite, settings.parquet_part_rows)
        errors = ErrorLog(errors_path(output), options.overwrite)
        summary = BatchSummary()
        start = time.perf_counter()
        progress = tqdm(total=count_articles(inputs), unit="article", file=sys.stderr, disable=options.quiet,
                        dynamic_ncols=True, smoothing=0.1)
        planner = _Planner(sink, errors, options.features, summary, progress)
        finished = False
        try:
            for result in engine.run(_batches(planner.tasks(iter_inputs(inputs)), options.batch_size)):
                _write(result, sink, planner, summary)
                progress.update(sum(1 for o in result.outcomes if o.record is not None))
            finished = True
        finally:
            sink.close(finished)
            progress.close()
            summary.seconds = time.perf_counter() - start
    return summary


def _write(result: BatchResult, sink: RecordSink, planner: _Planner, summary: BatchSummary) -> None:
    records = [o.record for o in result.outcomes if o.record is not None]
    sink.write(records)
    summary.processed += len(records)
    summary.words += sum(o.words for o in result.outcomes)
    for o in result.outcomes:
        if o.error is not None:
            planner.fail(o.source, o.line, o.id, o.error["code"], o.error["message"])
    summary.peak_rss_mb[result.worker] = max(summary.peak_rss_mb.get(result.worker, 0.0), result.peak_rss_mb)

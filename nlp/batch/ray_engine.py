"""The Ray engine: the same tasks through Ray Data, ``map_batches`` with a callable class
that loads the Annotator once per actor, on a local Ray or a cluster (``--ray-address``).

The driver keeps reading, resuming and writing exactly as the local engine does (so the
outputs are the same files, equally crash-safe); Ray only annotates. Tasks go to Ray in
windows of ``WINDOW`` articles, each window one Dataset, so an archive of any size is
never held in the driver at once; each window starts its actors afresh (a few seconds
of model loading per window of several minutes of work)."""
from __future__ import annotations

import json
import os
from dataclasses import asdict
from itertools import islice
from typing import Iterable, Iterator

from ..errors import NewsNLPError
from .work import BatchResult, Outcome, Task, annotate_tasks, load_annotator

WINDOW = 4096
# A local Ray otherwise reserves ~30 % of RAM in /dev/shm for its object store.
LOCAL_OBJECT_STORE_BYTES = 512 * 1024**2


class RayUnavailableError(NewsNLPError):
    code = "ray_unavailable"
    http_status = 503


class AnnotateBatch:
    """Ray Data callable class: one Annotator per actor, loaded in ``__init__``."""

    def __init__(self, settings: dict, threads: int) -> None:
        self.annotator = load_annotator(settings, threads)

    def __call__(self, batch: dict) -> dict:
        tasks = [Task(**json.loads(t)) for t in batch["task"]]
        result = annotate_tasks(self.annotator, tasks)
        return {
            "outcome": [json.dumps(asdict(o)) for o in result.outcomes],
            "worker": [result.worker] * len(tasks),
            "peak_rss_mb": [result.peak_rss_mb] * len(tasks),
        }


class RayEngine:
    def __init__(self, workers: int, settings: dict, address: str | None = None) -> None:
        self.workers, self.settings, self.address = workers, settings, address

    def _start(self):
        try:
            import ray
        except ImportError:
            raise RayUnavailableError("the ray engine needs Ray: pip install 'newsnlp[ray]'") from None
        if not ray.is_initialized():
            if self.address:
                ray.init(address=self.address, log_to_driver=False)
            else:
                ray.init(num_cpus=max(self.workers, os.cpu_count() or 1), include_dashboard=False,
                         object_store_memory=LOCAL_OBJECT_STORE_BYTES, log_to_driver=False)
        ray.data.DataContext.get_current().enable_progress_bars = False
        return ray

    def run(self, batches: Iterable[list[Task]]) -> Iterator[BatchResult]:
        ray = self._start()
        tasks = (task for batch in batches for task in batch)
        batch_size = self.settings.get("batch_size", 16)
        try:
            while window := list(islice(tasks, WINDOW)):
                dataset = ray.data.from_items([{"task": json.dumps(asdict(t))} for t in window])
                annotated = dataset.map_batches(
                    AnnotateBatch, fn_constructor_kwargs={"settings": self.settings, "threads": 1},
                    batch_size=batch_size, batch_format="numpy", num_cpus=1,
                    compute=ray.data.ActorPoolStrategy(size=self.workers),
                )
                for rows in annotated.iter_batches(batch_size=batch_size, batch_format="numpy"):
                    yield from _results(rows)
        finally:
            if not self.address:
                ray.shutdown()


def _results(rows: dict) -> Iterator[BatchResult]:
    """Rows of one output batch, grouped by the actor that annotated them."""
    by_worker: dict[str, BatchResult] = {}
    for outcome, worker, rss in zip(rows["outcome"], rows["worker"], rows["peak_rss_mb"]):
        result = by_worker.setdefault(str(worker), BatchResult([], worker=str(worker), peak_rss_mb=0.0))
        result.outcomes.append(Outcome(**json.loads(outcome)))
        result.peak_rss_mb = max(result.peak_rss_mb, float(rss))
    yield from by_worker.values()

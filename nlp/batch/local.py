"""The local engine: N worker processes on this machine, each loading the models once
and annotating whole batches through ``Annotator.pipe``. Only the parent writes files, so
a worker that dies can never leave half a record behind."""
from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from typing import Iterable, Iterator

from ..annotator import Annotator
from ..settings import threads_per_worker
from .work import BatchResult, Task, annotate_tasks, load_annotator

_annotator: Annotator | None = None


def _exit_with_parent() -> None:
    """A worker whose parent was killed (kill -9) would wait on the task queue for ever:
    every worker holds both ends of it, so no end-of-file ever comes. Watch for it."""
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


def _init_worker(settings: dict, threads: int) -> None:
    global _annotator
    _exit_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    _annotator = load_annotator(settings, threads)


def _run(tasks: list[Task]) -> BatchResult:
    assert _annotator is not None
    return annotate_tasks(_annotator, tasks)


class LocalEngine:
    def __init__(self, workers: int, settings: dict) -> None:
        self.workers = workers
        self.settings = settings
        self.threads = threads_per_worker(settings.get("torch_threads", 0), workers)

    def run(self, batches: Iterable[list[Task]]) -> Iterator[BatchResult]:
        """Results as batches finish (not in input order); at most two batches per
        worker in flight, so a huge archive is never read ahead into memory."""
        # spawn, not fork: torch and tokenizers threads do not survive a fork.
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(self.workers, mp_context=context, initializer=_init_worker,
                                 initargs=(self.settings, self.threads)) as pool:
            pending: set[Future] = set()
            stream = iter(batches)
            exhausted = False
            while pending or not exhausted:
                while not exhausted and len(pending) < 2 * self.workers:
                    batch = next(stream, None)
                    if batch is None:
                        exhausted = True
                    else:
                        pending.add(pool.submit(_run, batch))
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    yield future.result()

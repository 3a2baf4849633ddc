"""Where the models run for the API: in this process (one worker), or in a pool of N
model processes behind this one event loop (``newsnlp serve --workers N``).

Why a pool and not N uvicorn workers: uvicorn's workers share one listening socket, and
whichever wakes first accepts every connection waiting, so a few keep-alive clients
(a CMS, a proxy, a backfill script) all land on one worker while the others idle. That
was measured: two clients, two workers, one worker did all the work. Here one event
loop takes every request and hands it to whichever model process is free.
"""
from __future__ import annotations

import asyncio
import gc
import logging
import multiprocessing
import os
import signal
import threading
import time
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from typing import Any, Callable, Optional, Protocol

import anyio

from nlp.errors import NewsNLPError
from nlp.memory import freeze_loaded_objects, release_free_memory
from nlp.schema import AnnotationRecord, ArticleIn, PipelineInfo
from nlp.settings import Settings, threads_per_worker, usable_cores

log = logging.getLogger("newsnlp.api")

# Tidy memory (see nlp.memory) after this many annotated articles: often enough to stay
# flat, rarely enough to cost nothing measurable (a few ms each time).
TIDY_EVERY = 64
# How long a model process waits for the others to load before it starts work anyway.
LOAD_TIMEOUT_S = 600
# At shutdown, after the drain: how long the model processes get to finish a call.
CLOSE_GRACE_S = 30
# After a model process died while loading, the pause before loading again.
RELOAD_DELAY_S = 10


class NotReadyError(NewsNLPError):
    code = "not_ready"
    http_status = 503


class RelayedError(NewsNLPError):
    """A refusal raised beside the models (maybe in another process), carried back by
    status, code and message: not every error class can be rebuilt from its message."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.http_status = status
        self.code = code


def not_ready_error(error: Optional[Exception]) -> NotReadyError:
    if error is not None:
        return NotReadyError(f"the models failed to load: {error}")
    return NotReadyError("the models are still loading; retry in a few seconds")


@dataclass
class Outcome:
    """What one call gave, built beside the models: JSON lines to send, and figures."""

    lines: list[bytes] = field(default_factory=list)
    articles: int = 0
    words: int = 0
    steps: list[tuple[str, float]] = field(default_factory=list)
    refusal: Optional[tuple[int, str, str]] = None  # a single article refused: status, code, message


class ModelSide:
    """The Annotator and what goes with it, in whichever process holds the models."""

    def __init__(self, settings: Settings) -> None:
        import torch

        from nlp import Annotator

        # Measured: two workers at two torch threads each served 2.98 articles/s at
        # saturation, at one thread each 4.62.
        self.threads = threads_per_worker(settings.torch_threads, settings.workers)
        torch.set_num_threads(self.threads)
        self.annotator = Annotator(settings)
        self._steps: list[tuple[str, float]] = []
        self.annotator.on_step = lambda step, seconds: self._steps.append((step, seconds))
        self._since_tidy = 0
        freeze_loaded_objects()

    @property
    def pipeline(self) -> PipelineInfo:
        return self.annotator.pipeline

    def use_threads(self, threads: Optional[int]) -> None:
        if threads and threads != self.threads:
            import torch

            torch.set_num_threads(threads)
            self.threads = threads

    def annotate(self, article: ArticleIn, threads: Optional[int] = None) -> Outcome:
        self.use_threads(threads)
        self._steps = []
        try:
            record = self.annotator.annotate(article)
        except NewsNLPError as exc:
            return Outcome(refusal=(exc.http_status, exc.code, exc.message), steps=self._steps)
        finally:
            self._tidy(1)
        return Outcome([record.model_dump_json().encode("utf-8")], 1, len(record.text.split()), self._steps)

    def pipe(self, items: list[Any], threads: Optional[int] = None) -> Outcome:
        self.use_threads(threads)
        self._steps = []
        try:
            results = list(self.annotator.pipe(items))
        finally:
            self._tidy(len(items))
        records = [r for r in results if isinstance(r, AnnotationRecord)]
        return Outcome([(r.model_dump_json() + "\n").encode("utf-8") for r in results], len(records),
                       sum(len(r.text.split()) for r in records), self._steps)

    def _tidy(self, attempted: int) -> None:
        self._since_tidy += attempted
        if self._since_tidy >= TIDY_EVERY:
            self._since_tidy = 0
            release_free_memory()


class Engine(Protocol):
    @property
    def ready(self) -> bool: ...
    @property
    def error(self) -> Optional[Exception]: ...
    @property
    def pipeline(self) -> Optional[PipelineInfo]: ...
    def start(self) -> None: ...
    async def annotate(self, article: ArticleIn) -> Outcome: ...
    async def pipe(self, items: list[Any]) -> Outcome: ...
    def close(self) -> None: ...


class InProcessEngine:
    """One worker: the models in this process, run in a thread so the loop keeps answering."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.side: Optional[ModelSide] = None
        self.error: Optional[Exception] = None
        # spaCy pipelines are not documented as thread-safe: one annotation at a time.
        self.limiter = anyio.CapacityLimiter(1)

    @property
    def ready(self) -> bool:
        return self.side is not None

    @property
    def pipeline(self) -> Optional[PipelineInfo]:
        return self.side.pipeline if self.side else None

    def start(self) -> None:
        threading.Thread(target=self._load, name="newsnlp-model-load", daemon=True).start()

    def _load(self) -> None:
        try:
            self.side = ModelSide(self.settings)
            log.info("models loaded: %s", self.side.pipeline.spacy_model)
        except Exception as exc:  # reported by /readyz and every annotate call
            log.exception("model loading failed")
            self.error = exc

    def _loaded(self) -> ModelSide:
        if self.side is None:
            raise not_ready_error(self.error)
        return self.side

    async def annotate(self, article: ArticleIn) -> Outcome:
        return await anyio.to_thread.run_sync(self._loaded().annotate, article, limiter=self.limiter)

    async def pipe(self, items: list[Any]) -> Outcome:
        return await anyio.to_thread.run_sync(self._loaded().pipe, items, limiter=self.limiter)

    def close(self) -> None:
        pass


# -- the pool; these functions run in the model processes ----------------------------
_side: Optional[ModelSide] = None
_load_error: Optional[str] = None


def _init_model_process(settings: Settings, all_loaded: Any) -> None:
    global _side, _load_error
    # Ctrl-C in a terminal, and systemd's stop, signal the whole process group: the
    # server, not each model process, decides when to stop, after the requests in flight.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    threading.Thread(target=_exit_with_parent, args=(os.getppid(),), daemon=True).start()
    try:
        _side = ModelSide(settings)
    except Exception as exc:  # told to the server by the first task
        _load_error = f"{type(exc).__name__}: {exc}"
    # No process takes work before all have loaded: else the first one up would take
    # every warm-up task and the service would say ready with one process of N.
    try:
        all_loaded.wait(timeout=LOAD_TIMEOUT_S)
    except threading.BrokenBarrierError:
        pass


def _exit_with_parent(parent: int) -> None:
    """Ignoring SIGTERM must not leave an orphan when the server itself is killed."""
    while os.getppid() == parent:
        time.sleep(2)
    os._exit(0)


def _loaded_side() -> ModelSide:
    if _side is None:
        raise RuntimeError(f"the models failed to load: {_load_error}")
    return _side


def _pool_ready() -> PipelineInfo:
    return _loaded_side().pipeline


def _pool_annotate(article: ArticleIn, threads: int) -> Outcome:
    return _plain_errors(lambda: _loaded_side().annotate(article, threads))


def _pool_pipe(items: list[Any], threads: int) -> Outcome:
    return _plain_errors(lambda: _loaded_side().pipe(items, threads))


def _plain_errors(call: Callable[[], Outcome]) -> Outcome:
    # An exception the server cannot unpickle (one whose __init__ wants more than its
    # message) would mark the whole pool broken: send every unexpected one as plain text.
    try:
        return call()
    except Exception as exc:
        raise RuntimeError(f"{type(exc).__name__}: {exc}") from None


class PoolEngine:
    """N model processes (spawned: torch threads do not survive a fork), each loading the
    models once; every call goes to whichever is free. A process that dies (killed for
    memory, say) costs the calls it held a 503, and the pool is started again."""

    def __init__(self, settings: Settings, processes: int) -> None:
        self.settings = settings
        self.processes = processes
        self.pool: Optional[ProcessPoolExecutor] = None
        self.pipeline: Optional[PipelineInfo] = None
        self.error: Optional[Exception] = None
        self._lock = threading.Lock()
        self._closing = False
        # A call that finds the others idle may use every core, and keeps them to its end
        # even if another call starts meanwhile (a brief overlap); calls that start while
        # another runs take their share, since N processes using every core fight over them.
        self._in_flight = 0  # touched only from the event loop's thread
        self._alone_threads = settings.torch_threads or usable_cores()
        self._shared_threads = threads_per_worker(settings.torch_threads, processes)

    @property
    def ready(self) -> bool:
        return self.pool is not None and self.pipeline is not None

    def start(self) -> None:
        with self._lock:
            self._start_locked()

    def _start_locked(self) -> None:
        context = multiprocessing.get_context("spawn")
        self.pool = ProcessPoolExecutor(self.processes, mp_context=context, initializer=_init_model_process,
                                        initargs=(self.settings, context.Barrier(self.processes)))
        self.pipeline = None
        # One task per process starts them all now, not at the first requests.
        warmups = [self.pool.submit(_pool_ready) for _ in range(self.processes)]
        threading.Thread(target=self._await_models, args=(self.pool, warmups), daemon=True).start()

    def _await_models(self, pool: ProcessPoolExecutor, warmups: list[Future]) -> None:
        started = time.perf_counter()
        try:
            pipelines = [future.result() for future in warmups]
            self.error = None
            self.pipeline = pipelines[0]
            log.info("models loaded in %d processes (%s) in %.0f s", self.processes, self.pipeline.spacy_model,
                     time.perf_counter() - started)
        except BrokenProcessPool as exc:  # a process died while loading (out of memory?): try again
            self.error = exc
            log.error("a model process stopped while loading; loading again in %d s", RELOAD_DELAY_S)
            time.sleep(RELOAD_DELAY_S)
            self._restart(pool)
        except Exception as exc:  # the models themselves cannot load: say so, do not loop
            log.error("model loading failed: %s", exc)
            self.error = exc

    async def annotate(self, article: ArticleIn) -> Outcome:
        return await self._call(_pool_annotate, article)

    async def pipe(self, items: list[Any]) -> Outcome:
        return await self._call(_pool_pipe, items)

    async def _call(self, function: Callable[[Any, int], Outcome], payload: Any) -> Outcome:
        pool = self.pool
        if not self.ready or pool is None:
            raise not_ready_error(self.error)
        threads = self._alone_threads if self._in_flight == 0 else self._shared_threads
        self._in_flight += 1
        try:
            future = pool.submit(function, payload, threads)
            try:
                return await asyncio.wrap_future(future)
            except asyncio.CancelledError:
                # The client went (or the drain timed out). A task already running cannot
                # be cancelled: wait for it, so that the in-flight count, admission and
                # the cores' share stay true.
                if not future.cancelled():
                    with anyio.CancelScope(shield=True):
                        await asyncio.wait([asyncio.wrap_future(future)])
                raise
        except BrokenProcessPool:
            self._restart(pool)
            raise NotReadyError("a model process stopped while annotating (out of memory?); "
                                "the models are loading again: retry in a few seconds") from None
        finally:
            self._in_flight -= 1

    def _restart(self, broken: ProcessPoolExecutor) -> None:
        with self._lock:
            if self.pool is not broken or self._closing:  # restarted already, or stopping
                return
            log.error("a model process stopped; starting the pool again")
            _stop_processes(broken, grace_s=0)
            self._start_locked()

    def close(self) -> None:
        with self._lock:
            self._closing = True
        if self.pool is not None:
            _stop_processes(self.pool, grace_s=CLOSE_GRACE_S)
            # Dropping the pool frees its start-up barrier now, whose semaphores would
            # otherwise be reported as leaked: uvicorn ends by re-raising SIGTERM, so
            # exit-time clean-up never runs.
            self.pool = None
            gc.collect()


def _stop_processes(pool: ProcessPoolExecutor, grace_s: float) -> None:
    """Shut the pool down and kill what is still running after `grace_s`. The model
    processes ignore SIGTERM (see _init_model_process), so the executor's own terminate
    would leave them running: a survivor of a broken pool would go on with work nobody
    waits for, beside a new pool loading its models, and could block for ever writing
    a result nobody reads."""
    # The executor keeps no public list of its processes; CPython's has been stable.
    processes = list((getattr(pool, "_processes", None) or {}).values())
    manager = getattr(pool, "_executor_manager_thread", None)
    pool.shutdown(wait=False, cancel_futures=True)
    deadline = time.monotonic() + grace_s
    for process in processes:
        process.join(max(0.0, deadline - time.monotonic()))
        if process.is_alive():
            process.kill()
            process.join(5)
    if manager is not None:  # it holds the pool's queues (and their semaphores) until it ends
        manager.join(5)


def make_engine(settings: Settings) -> Engine:
    return InProcessEngine(settings) if settings.workers <= 1 else PoolEngine(settings, settings.workers)

"""The per-process model holder: loaded once, in the background, at start-up, so that
/healthz answers at once and /readyz tells when annotation can start."""
from __future__ import annotations

import logging
import threading
from typing import Optional, Sequence

import anyio

from nlp import Annotator
from nlp.errors import NewsNLPError
from nlp.memory import freeze_loaded_objects, release_free_memory
from nlp.schema import AnnotationRecord
from nlp.settings import Settings, threads_per_worker

from .admission import Admission
from .observability import ServiceMetrics

log = logging.getLogger("newsnlp.api")


class NotReadyError(NewsNLPError):
    code = "not_ready"
    http_status = 503


# Tidy memory (see nlp.memory) after this many annotated articles: often enough to stay
# flat, rarely enough to cost nothing measurable (a few ms each time).
TIDY_EVERY = 64


class AnnotatorHolder:
    def __init__(self, settings: Settings, admission: Admission, metrics: Optional[ServiceMetrics] = None) -> None:
        self.settings = settings
        self.admission = admission
        self.metrics = metrics
        self._annotator: Annotator | None = None
        self._error: Exception | None = None
        self._loaded = threading.Event()
        # spaCy pipelines are not documented as thread-safe: one annotation at a time per
        # process, run in a worker thread so the event loop keeps answering.
        self.limiter = anyio.CapacityLimiter(1)
        self._since_tidy = 0

    def load(self) -> None:
        try:
            # Measured: two workers at two torch threads each served 2.98 articles/s at
            # saturation, at one thread each 4.62.
            import torch

            torch.set_num_threads(threads_per_worker(self.settings.torch_threads, self.settings.workers))
            annotator = Annotator(self.settings)
            if self.metrics is not None:
                step_seconds = self.metrics.step_seconds
                annotator.on_step = lambda step, seconds: step_seconds.labels(step=step).observe(seconds)
            freeze_loaded_objects()
            self._annotator = annotator
            log.info("models loaded: %s", self._annotator.pipeline.spacy_model)
        except Exception as exc:  # reported by /readyz and every annotate call
            log.exception("model loading failed")
            self._error = exc
        finally:
            self._loaded.set()

    def start_loading(self) -> threading.Thread:
        thread = threading.Thread(target=self.load, name="newsnlp-model-load", daemon=True)
        thread.start()
        return thread

    @property
    def ready(self) -> bool:
        return self._annotator is not None

    @property
    def error(self) -> Exception | None:
        return self._error

    def annotated(self, results: Sequence[object], attempted: int) -> None:
        """Count what a call annotated; call from the annotation thread (under the limiter)."""
        if self.metrics is not None:
            for result in results:
                if isinstance(result, AnnotationRecord):
                    self.metrics.annotated(len(result.text.split()))
        self._since_tidy += attempted
        if self._since_tidy >= TIDY_EVERY:
            self._since_tidy = 0
            release_free_memory()

    def get(self) -> Annotator:
        if self._annotator is not None:
            return self._annotator
        if self._error is not None:
            raise NotReadyError(f"the models failed to load: {self._error}")
        raise NotReadyError("the models are still loading; retry in a few seconds")

"""The service's hold on the models: the engine that runs them (see api.engine), its
admission counter, and the metrics each call feeds. Loading starts in the background at
start-up, so that /healthz answers at once and /readyz tells when annotation can start."""
from __future__ import annotations

from typing import Any, Optional

from nlp.schema import ArticleIn, PipelineInfo
from nlp.settings import Settings

from .admission import Admission
from .engine import Engine, Outcome, RelayedError, make_engine, not_ready_error
from .observability import ServiceMetrics


class AnnotatorHolder:
    def __init__(self, settings: Settings, admission: Admission, metrics: Optional[ServiceMetrics] = None,
                 engine: Optional[Engine] = None) -> None:
        self.settings = settings
        self.admission = admission
        self.metrics = metrics
        self.engine = engine or make_engine(settings)

    def start_loading(self) -> None:
        self.engine.start()

    def close(self) -> None:
        self.engine.close()

    @property
    def ready(self) -> bool:
        return self.engine.ready

    @property
    def error(self) -> Exception | None:
        return self.engine.error

    @property
    def pipeline(self) -> PipelineInfo:
        if self.engine.pipeline is None:
            raise not_ready_error(self.engine.error)
        return self.engine.pipeline

    def check_ready(self) -> None:
        """Refuse at once (503 not_ready) rather than admit a call that cannot run yet."""
        if not self.engine.ready:
            raise not_ready_error(self.engine.error)

    async def annotate(self, article: ArticleIn) -> bytes:
        """One article's record as JSON; a refused article raises its 4xx error."""
        outcome = self._count(await self.engine.annotate(article))
        if outcome.refusal is not None:
            raise RelayedError(*outcome.refusal)
        return outcome.lines[0]

    async def pipe(self, items: list[Any]) -> list[bytes]:
        """NDJSON lines, one per item in order: its record or its error."""
        return self._count(await self.engine.pipe(items)).lines

    def _count(self, outcome: Outcome) -> Outcome:
        if self.metrics is not None:
            self.metrics.annotated(outcome.articles, outcome.words)
            for step, seconds in outcome.steps:
                self.metrics.step_seconds.labels(step=step).observe(seconds)
        return outcome

"""Backpressure: the service admits a bounded number of annotation requests (running or
waiting for a model process: NEWSNLP_MAX_PENDING per process) and answers the rest at once with 503 ``overloaded`` and
Retry-After, rather than queueing without limit until clients time out."""
from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator, Optional

from prometheus_client import Gauge

from .errors import OverloadedError


class Admission:
    """A counter, not a lock: it is only touched from the event loop's thread."""

    def __init__(self, limit: int, retry_after: int, gauge: Optional[Gauge] = None) -> None:
        self.limit = limit
        self.retry_after = retry_after
        self.active = 0
        self.gauge = gauge

    def enter(self) -> None:
        if self.active >= self.limit:
            raise OverloadedError(
                f"the service is busy with {self.active} annotation requests, its limit "
                f"(NEWSNLP_MAX_PENDING per model process); "
                f"retry in {self.retry_after} s", self.retry_after)
        self.active += 1
        if self.gauge is not None:
            self.gauge.inc()

    def leave(self) -> None:
        self.active -= 1
        if self.gauge is not None:
            self.gauge.dec()

    @contextmanager
    def slot(self) -> Iterator[None]:
        self.enter()
        try:
            yield
        finally:
            self.leave()

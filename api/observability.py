"""What an operations team watches: Prometheus metrics at GET /metrics, and logs as JSON
lines carrying the request id (``X-Request-ID``, taken in or made, and returned).

Article text is never logged: request lines carry the method, route, status, time and
caller only. With ``--workers N`` there is still one server process (see api.engine), so
its metrics cover every model process.
"""
from __future__ import annotations

import logging
import re
import sys
import time
from typing import Optional

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram
from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("newsnlp.api.requests")

# Ids are taken from clients as they are when they look like ids, so a caller can follow
# its own id through our logs; anything else (too long, odd characters) is replaced.
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


def acceptable_request_id(value: str) -> bool:
    return bool(_REQUEST_ID.match(value))


class ServiceMetrics:
    """newsnlp's own metrics, beside the HTTP ones of prometheus-fastapi-instrumentator."""

    def __init__(self, registry: CollectorRegistry) -> None:
        self.articles = Counter("newsnlp_articles_annotated_total", "Articles annotated", registry=registry)
        self.words = Counter("newsnlp_words_annotated_total", "Words in the articles annotated", registry=registry)
        self.step_seconds = Histogram(
            "newsnlp_pipeline_step_seconds", "Seconds per pipeline step, per call (one article or one batch)",
            ["step"], registry=registry,
            buckets=(0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0))
        self.refusals = Counter("newsnlp_refusals_total", "Requests refused, by HTTP status and error code",
                                ["status", "code"], registry=registry)
        self.in_flight = Gauge("newsnlp_annotations_in_flight", "Annotation requests admitted and not finished",
                               registry=registry)
        self.http_in_flight = Gauge("newsnlp_http_requests_in_flight", "HTTP requests being answered",
                                    registry=registry)

    def refused(self, status: int, code: str) -> None:
        self.refusals.labels(status=str(status), code=code).inc()

    def annotated(self, articles: int, words: int) -> None:
        self.articles.inc(articles)
        self.words.inc(words)


def metrics_of(app: object) -> Optional[ServiceMetrics]:
    state = getattr(app, "state", None)
    return getattr(state, "metrics", None)


class RequestLog:
    """One JSON log line per request, written when its response has gone (streams too)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        status = 500  # if the app fails before answering
        metrics = metrics_of(scope.get("app"))
        if metrics is not None:
            metrics.http_in_flight.inc()

        async def recording_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, recording_send)
        finally:
            if metrics is not None:
                metrics.http_in_flight.dec()
            route = scope.get("route")
            state = scope.get("state") or {}
            log.info("request", extra={
                "method": scope.get("method"), "path": getattr(route, "path", scope.get("path")),
                "status": status, "duration_ms": round(1000 * (time.perf_counter() - start), 1),
                "caller": state.get("caller"),
            })


def configure_logging(level: str, fmt: str) -> None:
    """JSON lines (or plain text) on stderr for our loggers and uvicorn's; uvicorn's own
    access log is replaced by RequestLog, which knows the route and the request id."""
    from asgi_correlation_id import CorrelationIdFilter

    handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(CorrelationIdFilter(name="request-id", default_value="-"))
    if fmt == "json":
        from pythonjsonlogger.json import JsonFormatter

        handler.setFormatter(JsonFormatter(
            "%(asctime)s %(levelname)s %(name)s %(message)s %(correlation_id)s",
            rename_fields={"asctime": "time", "levelname": "level", "name": "logger", "correlation_id": "request_id"}))
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s [%(correlation_id)s] %(name)s: %(message)s"))
    for name in ("newsnlp", "uvicorn", "uvicorn.error"):
        logger = logging.getLogger(name)
        logger.handlers = [handler]
        logger.setLevel(level.upper())
        logger.propagate = False
    logging.getLogger("uvicorn.access").disabled = True

"""The FastAPI application. ``uvicorn api.main:create_app --factory`` or ``newsnlp serve``."""
from __future__ import annotations

import logging
from contextlib import asynccontextmanager
from typing import AsyncIterator

from asgi_correlation_id import CorrelationIdMiddleware
from fastapi import Depends, FastAPI
from fastapi.middleware.cors import CORSMiddleware
from prometheus_client import CollectorRegistry
from prometheus_fastapi_instrumentator import Instrumentator

from nlp import __version__

from .admission import Admission
from .body_limit import BodySizeLimit
from .errors import install_error_handlers
from .observability import RequestLog, ServiceMetrics, acceptable_request_id, configure_logging
from .routes import annotate, demo, health, topics
from .security import KeyRing, RateLimit, authorised_caller
from .settings import ServiceSettings, get_service_settings
from .state import AnnotatorHolder

log = logging.getLogger("newsnlp.api")


def create_app(settings: ServiceSettings | None = None) -> FastAPI:
    settings = settings or get_service_settings()
    configure_logging(settings.log_level, settings.log_format)
    # Configuration errors (a missing keys file, a rate limit it cannot parse) stop the
    # start-up here, with their message, rather than failing every request later.
    keys = KeyRing.from_file(settings.api_keys_file) if settings.api_keys_file else None
    rate_limit = RateLimit(settings.rate_limit, settings.rate_limit_storage) if settings.rate_limit else None
    # One registry per app, so that building a second app in a process (tests) does not
    # clash.
    registry = CollectorRegistry()
    metrics = ServiceMetrics(registry)
    admission = Admission(settings.max_pending * settings.workers, settings.retry_after, metrics.in_flight)
    holder = AnnotatorHolder(settings, admission, metrics)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        holder.start_loading()
        yield
        holder.close()  # after uvicorn has drained the requests in flight

    app = FastAPI(
        title="newsnlp",
        version=__version__,
        summary="Entities, quotes with their speakers, and IPTC topics for news articles.",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.holder = holder
    app.state.keys = keys
    app.state.rate_limit = rate_limit
    app.state.metrics = metrics
    install_error_handlers(app)
    # Middleware added last runs first: the request id wraps everything, so even a 413
    # refused before the body is read carries one and is logged with it.
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_bytes)
    if settings.cors_origins:
        app.add_middleware(CORSMiddleware, allow_origins=settings.cors_origins, allow_methods=["GET", "POST"],
                           allow_headers=["Authorization", "X-API-Key", "Content-Type", "X-Request-ID"],
                           expose_headers=["Retry-After", "X-Request-ID"])
    # (Its own in-progress gauge would go to the global registry whatever registry it is
    # given; RequestLog keeps newsnlp_http_requests_in_flight instead.)
    Instrumentator(should_group_status_codes=False, excluded_handlers=["/metrics"], registry=registry
                   ).instrument(app).expose(app, include_in_schema=False)
    app.add_middleware(RequestLog)
    app.add_middleware(CorrelationIdMiddleware, header_name="X-Request-ID", validator=acceptable_request_id)
    guarded = [Depends(authorised_caller)]
    app.include_router(health.router)
    app.include_router(demo.router)
    app.include_router(annotate.router, dependencies=guarded)
    app.include_router(topics.router, dependencies=guarded)
    return app

"""The FastAPI application. ``uvicorn api.main:create_app --factory`` or ``newsnlp serve``."""
from __future__ import annotations

import logging
from contextlib import asynccontextmanager
from typing import AsyncIterator

from fastapi import Depends, FastAPI
from fastapi.middleware.cors import CORSMiddleware

from nlp import __version__

from .admission import Admission
from .body_limit import BodySizeLimit
from .errors import install_error_handlers
from .routes import annotate, health, topics
from .security import KeyRing, RateLimit, authorised_caller
from .settings import ServiceSettings, get_service_settings
from .state import AnnotatorHolder

log = logging.getLogger("newsnlp.api")


def create_app(settings: ServiceSettings | None = None) -> FastAPI:
    settings = settings or get_service_settings()
    # Configuration errors (a missing keys file, a rate limit it cannot parse) stop the
    # start-up here, with their message, rather than failing every request later.
    keys = KeyRing.from_file(settings.api_keys_file) if settings.api_keys_file else None
    rate_limit = RateLimit(settings.rate_limit, settings.rate_limit_storage) if settings.rate_limit else None
    holder = AnnotatorHolder(settings, Admission(settings.max_pending, settings.retry_after))

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        holder.start_loading()
        yield

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
    install_error_handlers(app)
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_bytes)
    if settings.cors_origins:
        app.add_middleware(CORSMiddleware, allow_origins=settings.cors_origins, allow_methods=["GET", "POST"],
                           allow_headers=["Authorization", "X-API-Key", "Content-Type", "X-Request-ID"],
                           expose_headers=["Retry-After", "X-Request-ID"])
    guarded = [Depends(authorised_caller)]
    app.include_router(health.router)
    app.include_router(annotate.router, dependencies=guarded)
    app.include_router(topics.router, dependencies=guarded)
    return app

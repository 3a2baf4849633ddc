"""The FastAPI application. ``uvicorn api.main:create_app --factory`` or ``newsnlp serve``."""
from __future__ import annotations

import logging
from contextlib import asynccontextmanager
from typing import AsyncIterator

from fastapi import FastAPI

from nlp import __version__
from nlp.settings import Settings, get_settings

from .body_limit import BodySizeLimit
from .errors import install_error_handlers
from .routes import annotate, health, topics
from .state import AnnotatorHolder

log = logging.getLogger("newsnlp.api")


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    holder = AnnotatorHolder(settings)

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
    install_error_handlers(app)
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_bytes)
    app.include_router(health.router)
    app.include_router(annotate.router)
    app.include_router(topics.router)
    return app

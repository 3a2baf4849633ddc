"""Every error leaves the API as ``{"error": {"code", "message"}}`` with a 4xx status for
bad input; a 500 only for a fault of ours, logged with its traceback."""
from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from nlp.errors import NewsNLPError
from nlp.schema import ErrorBody

from .observability import metrics_of

log = logging.getLogger("newsnlp.api")

_HTTP_CODES = {
    400: "bad_request", 404: "not_found", 405: "method_not_allowed", 406: "not_acceptable",
    413: "too_large", 415: "unsupported_media_type", 422: "invalid_input",
}


class ErrorResponse(BaseModel):
    error: ErrorBody


# OpenAPI entries for the refusals every guarded /v1 route can give.
ACCESS_ERRORS = {
    401: {"model": ErrorResponse, "description": "API key missing or not valid (`unauthorized`), when keys are on"},
    429: {"model": ErrorResponse, "description": "Rate limit reached (`rate_limited`); see Retry-After"},
}


class RetryLaterError(NewsNLPError):
    """A refusal that tells the client when to come back (the Retry-After header)."""

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class OverloadedError(RetryLaterError):
    """The service already holds as many annotation requests as it admits."""

    code = "overloaded"
    http_status = 503


class UnauthorizedError(NewsNLPError):
    code = "unauthorized"
    http_status = 401


class RateLimitedError(RetryLaterError):
    code = "rate_limited"
    http_status = 429


class ServiceConfigError(NewsNLPError):
    """A service setting is unusable; raised at start-up, never per request."""

    code = "bad_configuration"
    http_status = 503


def error_response(status: int, code: str, message: str, headers: dict[str, str] | None = None,
                   request: Request | None = None) -> JSONResponse:
    metrics = metrics_of(request.app) if request is not None else None
    if metrics is not None:
        metrics.refused(status, code)
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status, headers=headers)


async def _newsnlp_error(request: Request, exc: NewsNLPError) -> JSONResponse:
    retry_after = getattr(exc, "retry_after", 5 if exc.http_status == 503 else None)
    headers = {"Retry-After": str(retry_after)} if retry_after is not None else {}
    if exc.http_status == 401:
        headers["WWW-Authenticate"] = "Bearer"
    return error_response(exc.http_status, exc.code, exc.message, headers or None, request)


async def _validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
    parts = [f"{'.'.join(str(p) for p in e.get('loc', ()))}: {e.get('msg')}" for e in exc.errors()]
    return error_response(422, "invalid_input", "; ".join(parts) or "invalid request", request=request)


async def _http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
    code = _HTTP_CODES.get(exc.status_code, "http_error")
    return error_response(exc.status_code, code, str(exc.detail), getattr(exc, "headers", None), request)


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unexpected error on %s %s", request.method, request.url.path)
    return error_response(500, "internal_error", "an internal error occurred; it has been logged", request=request)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(NewsNLPError, _newsnlp_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected)

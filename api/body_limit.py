"""Refuses request bodies over the size limit without buffering them.

A declared Content-Length over the limit is answered at once, before any of the body is
read; a body without one (chunked) is counted as it arrives and cut off at the limit.
"""
from __future__ import annotations

import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from nlp.errors import TooLargeError

from .observability import metrics_of


def too_large_message(limit: int) -> str:
    return f"request body over {limit:,} bytes (setting NEWSNLP_MAX_BYTES); send a smaller article"


class BodySizeLimit:
    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            metrics = metrics_of(scope.get("app"))
            if metrics is not None:
                metrics.refused(413, "too_large")
            await self._refuse(send)
            return
        received = 0

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    # Raised inside the app, turned into a 413 by the error handlers.
                    raise TooLargeError(too_large_message(self.max_bytes))
            return message

        await self.app(scope, counting_receive, send)

    async def _refuse(self, send: Send) -> None:
        body = json.dumps({"error": {"code": "too_large", "message": too_large_message(self.max_bytes)}}).encode()
        await send({
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        })
        await send({"type": "http.response.body", "body": body})

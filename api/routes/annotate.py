"""POST /v1/annotate (one article) and POST /v1/annotate/batch (up to NEWSNLP_MAX_BATCH,
streamed back as NDJSON in input order)."""
from __future__ import annotations

import json
from typing import AsyncIterator

from fastapi import APIRouter, Request
from fastapi.responses import Response, StreamingResponse
from starlette.types import Receive, Scope, Send

from nlp.annotator import failure_for
from nlp.errors import InvalidInputError, NewsNLPError, MalformedJSONError, TooLargeError, UndecodableInputError
from nlp.schema import AnnotationRecord, ArticleIn

from ..admission import Admission
from ..deps import HolderDep, ServiceSettingsDep
from ..errors import ACCESS_ERRORS, ErrorResponse
from ..state import AnnotatorHolder

router = APIRouter(prefix="/v1", tags=["annotate"])

_ERRORS = {
    **ACCESS_ERRORS,
    413: {"model": ErrorResponse, "description": "Body or article too large, or too many articles (`too_large`)"},
    422: {"model": ErrorResponse, "description": "Bad input: `empty_text`, `invalid_input`, "
          "`malformed_json`, `undecodable`, `binary_content`, `unsupported_language`"},
    503: {"model": ErrorResponse, "description": "Models still loading (`not_ready`) or the service is full "
          "(`overloaded`); see Retry-After"},
}


async def read_json_object(request: Request) -> object:
    """The body as JSON, with our own errors: FastAPI's would not say which is which."""
    raw = await request.body()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UndecodableInputError(f"the request body is not valid UTF-8 (byte {exc.start}); send UTF-8 JSON") from None
    if not text.strip():
        raise MalformedJSONError("the request body is empty; send a JSON object with 'text' or 'html'")
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise MalformedJSONError(f"malformed JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}") from None


@router.post(
    "/annotate",
    response_model=AnnotationRecord,
    response_model_exclude_none=False,
    responses=_ERRORS,
    summary="Annotate one article",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": ArticleIn.model_json_schema()}},
        }
    },
)
async def annotate(request: Request, holder: HolderDep) -> Response:
    """Send `{"text": …}` or `{"html": …}` (optional `id`, `title`, `url`, `features`);
    get the annotation record back."""
    article = ArticleIn.from_obj(await read_json_object(request))
    holder.check_ready()
    with holder.admission.slot():
        # The record comes back as JSON, made (and validated) beside the models.
        return Response(await holder.annotate(article), media_type="application/json")


@router.post(
    "/annotate/batch",
    responses={
        200: {"description": "NDJSON, one line per article in input order: its annotation record, or "
              "`{\"id\", \"error\": {\"code\", \"message\"}}` when that article could not be annotated.",
              "content": {"application/x-ndjson": {"schema": {"type": "string"}}}},
        **_ERRORS,
    },
    response_class=StreamingResponse,
    summary="Annotate up to NEWSNLP_MAX_BATCH articles in one call",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": {"type": "array", "minItems": 1,
                                                        "items": ArticleIn.model_json_schema()}}},
        }
    },
)
async def annotate_batch(request: Request, holder: HolderDep, settings: ServiceSettingsDep) -> StreamingResponse:
    """Send a JSON array of articles (each as for `/v1/annotate`). The answer streams as
    they are done; one bad article gets its own error line and never fails the others.
    The articles go through the pipeline together (``Annotator.pipe``)."""
    items = await read_json_object(request)
    if not isinstance(items, list) or not items:
        raise InvalidInputError("expected a non-empty JSON array of articles, each an object with 'text' or 'html'")
    if len(items) > settings.max_batch:
        raise TooLargeError(f"the batch holds {len(items)} articles; at most {settings.max_batch} "
                            "(setting NEWSNLP_MAX_BATCH): split it")
    holder.check_ready()
    holder.admission.enter()  # held until the last line is sent (or the client goes)
    return _AdmittedStream(_stream(holder, items), holder.admission)


class _AdmittedStream(StreamingResponse):
    """Gives the admission slot back when the answer ends, however it ends: a client that
    goes before the first line would otherwise leave the stream never started, and the
    slot taken for good."""

    def __init__(self, content: AsyncIterator[bytes], admission: Admission) -> None:
        super().__init__(content, media_type="application/x-ndjson")
        self._admission: Admission | None = admission

    def release(self) -> None:
        if self._admission is not None:
            self._admission, admission = None, self._admission
            admission.leave()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await super().__call__(scope, receive, send)
        finally:
            self.release()


async def _stream(holder: AnnotatorHolder, items: list) -> AsyncIterator[bytes]:
    size = holder.settings.batch_size
    for start in range(0, len(items), size):
        try:
            lines = await holder.pipe(items[start:start + size])
        except NewsNLPError as exc:
            # The 200 has gone out: a model process that died (503 not_ready) becomes an
            # error line for this article and each one after it, as the contract has it.
            for item in items[start:]:
                yield (failure_for(item, exc).model_dump_json() + "\n").encode("utf-8")
            return
        for line in lines:
            yield line

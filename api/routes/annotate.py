from __future__ import annotations

import json

import anyio
from fastapi import APIRouter, Request

from nlp.errors import MalformedJSONError, UndecodableInputError
from nlp.schema import AnnotationRecord, ArticleIn

from ..deps import HolderDep
from ..errors import ErrorResponse

router = APIRouter(prefix="/v1", tags=["annotate"])

_ERRORS = {
    413: {"model": ErrorResponse, "description": "Body or article too large (`too_large`)"},
    422: {"model": ErrorResponse, "description": "Bad input: `empty_text`, `invalid_input`, "
          "`malformed_json`, `undecodable`, `binary_content`, `unsupported_language`"},
    503: {"model": ErrorResponse, "description": "Models still loading (`not_ready`)"},
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
async def annotate(request: Request, holder: HolderDep) -> AnnotationRecord:
    """Send `{"text": …}` or `{"html": …}` (optional `id`, `title`, `url`, `features`);
    get the annotation record back."""
    article = ArticleIn.from_obj(await read_json_object(request))
    annotator = holder.get()

    def run() -> AnnotationRecord:
        try:
            return annotator.annotate(article)
        finally:
            holder.annotated()

    return await anyio.to_thread.run_sync(run, limiter=holder.limiter)

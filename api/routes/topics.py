from __future__ import annotations

from typing import Optional

from fastapi import APIRouter, Query
from pydantic import BaseModel

from nlp.topics.taxonomy import load_taxonomy

from ..errors import ACCESS_ERRORS, ErrorResponse

router = APIRouter(prefix="/v1", tags=["topics"])


class TopicConcept(BaseModel):
    code: str
    label: str
    level: int
    parent: Optional[str]
    definition: str


_ERRORS = {
    **ACCESS_ERRORS,
    422: {"model": ErrorResponse, "description": "A query parameter out of range (`invalid_input`)"},
}


@router.get("/topics", response_model=list[TopicConcept], responses=_ERRORS, summary="The IPTC Media Topics taxonomy")
async def topics(level: Optional[int] = Query(None, ge=1, le=6, description="Only this level")) -> list[TopicConcept]:
    """Every active IPTC Media Topic (CC BY 4.0 © IPTC): code, label, level, parent, definition."""
    concepts = load_taxonomy().concepts.values()
    return [TopicConcept(code=c.code, label=c.label, level=c.level, parent=c.parent, definition=c.definition)
            for c in concepts if level is None or c.level == level]

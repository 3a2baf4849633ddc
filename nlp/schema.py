"""The input object and the annotation record: the JSON contract of ``DESIGN.md``.

Every output of newsnlp (API response, batch line, CLI print) is an ``AnnotationRecord``
serialised from these models. Offsets are Python ``str`` indices (code points) into
``AnnotationRecord.text``, end-exclusive.
"""
from __future__ import annotations

from typing import Any, Literal, Optional

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .errors import EmptyTextError, InvalidInputError

SCHEMA_VERSION = "1"
Feature = Literal["entities", "quotes", "topics"]
ALL_FEATURES: tuple[Feature, ...] = ("entities", "quotes", "topics")


class ArticleIn(BaseModel):
    """One article to annotate: exactly one of ``text`` or ``html``."""

    model_config = ConfigDict(extra="forbid")

    id: Optional[str] = Field(None, max_length=512, description="Caller's id; a hash of the input if absent.")
    text: Optional[str] = Field(None, description="Plain text: a clean article or a scraped page.")
    html: Optional[str] = Field(None, description="An HTML page; the main text is extracted.")
    title: Optional[str] = Field(None, description="The headline, if known.")
    url: Optional[str] = Field(None, description="Where the article came from.")
    features: Optional[list[Feature]] = Field(
        None, description="A subset of entities, quotes, topics; all when absent."
    )

    @classmethod
    def from_obj(cls, obj: Any) -> "ArticleIn":
        """Validate a decoded JSON value, raising the project's errors with clear messages."""
        if not isinstance(obj, dict):
            raise InvalidInputError(
                f"expected a JSON object with 'text' or 'html', got {type(obj).__name__}"
            )
        try:
            article = cls.model_validate(obj)
        except ValidationError as exc:
            raise InvalidInputError(_describe(exc)) from None
        article.check()
        return article

    def check(self) -> None:
        if (self.text is None) == (self.html is None):
            raise InvalidInputError("give exactly one of 'text' or 'html'")
        body = self.text if self.text is not None else self.html
        if not body or not body.strip():
            field = "text" if self.text is not None else "html"
            raise EmptyTextError(f"'{field}' is empty or only whitespace; send the article's content")

    @property
    def wanted(self) -> tuple[Feature, ...]:
        return tuple(self.features) if self.features is not None else ALL_FEATURES


def _describe(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err.get("loc", ())) or "input"
        if err.get("type") == "extra_forbidden":
            parts.append(
                f"unknown field '{where}' (supported: id, text, html, title, url, features)"
            )
        else:
            parts.append(f"{where}: {err.get('msg')}")
    return "; ".join(parts)


class Span(BaseModel):
    start: int
    end: int
    text: str


class Entity(BaseModel):
    id: str
    type: str
    name: str
    salience: float = Field(ge=0.0, le=1.0)
    mentions: list[Span]


class Speaker(Span):
    entity: Optional[str] = None
    name: Optional[str] = None
    resolution: Literal["name", "alias", "pronoun", "descriptor", "continuation", "unresolved"]


class Quote(BaseModel):
    id: str
    kind: Literal["direct", "indirect", "mixed"]
    text: str
    start: int
    end: int
    spans: Optional[list[Span]] = None
    cue: Optional[Span] = None
    speaker: Optional[Speaker] = None
    confidence: float = Field(ge=0.0, le=1.0)


class Source(BaseModel):
    entity: str
    name: str
    quotes: int
    words: int
    share: float = Field(ge=0.0, le=1.0)


class Topic(BaseModel):
    scheme: str = "iptc-mediatopic"
    id: str
    label: str
    level: int
    score: float = Field(ge=0.0, le=1.0)
    parent: Optional[str] = None


class Warning(BaseModel):
    code: str
    message: str


class PipelineInfo(BaseModel):
    version: str
    spacy_model: str
    embedding_model: Optional[str] = None


class AnnotationRecord(BaseModel):
    schema_version: str = SCHEMA_VERSION
    id: str
    title: Optional[str] = None
    language: str = "en"
    text: str
    entities: list[Entity] = []
    quotes: list[Quote] = []
    sources: list[Source] = []
    topics: list[Topic] = []
    warnings: list[Warning] = []
    pipeline: PipelineInfo


class ErrorBody(BaseModel):
    code: str
    message: str


class ArticleFailure(BaseModel):
    """What ``Annotator.pipe`` yields for an article it could not annotate."""

    id: Optional[str] = None
    error: ErrorBody

"""Doc -> AnnotationRecord: the only shape that leaves the package."""
from __future__ import annotations

from spacy.tokens import Doc

from . import __version__
from .article import PreparedArticle
from .schema import AnnotationRecord, Entity, Feature, PipelineInfo, Span


def entities_of(doc: Doc) -> list[Entity]:
    return [
        Entity(
            id=e.id,
            type=e.label,
            name=e.name,
            salience=e.salience,
            mentions=[Span(start=m.start_char, end=m.end_char, text=m.text) for m in e.mentions],
        )
        for e in (doc._.entities or [])
    ]


def doc_to_record(
    doc: Doc,
    article: PreparedArticle,
    features: tuple[Feature, ...],
    pipeline: PipelineInfo,
) -> AnnotationRecord:
    return AnnotationRecord(
        id=article.id,
        title=article.title,
        language=article.language,
        text=doc.text,
        entities=entities_of(doc) if "entities" in features else [],
        quotes=list(doc._.quotes or []) if "quotes" in features else [],
        topics=list(doc._.topics or []) if "topics" in features else [],
        warnings=list(article.warnings),
        pipeline=pipeline,
    )


def pipeline_info(spacy_model: str, embedding_model: str | None = None) -> PipelineInfo:
    return PipelineInfo(version=__version__, spacy_model=spacy_model, embedding_model=embedding_model)

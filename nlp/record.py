"""Doc -> AnnotationRecord: the only shape that leaves the package."""
from __future__ import annotations

import re
from collections import defaultdict

from spacy.tokens import Doc

from . import __version__
from .article import PreparedArticle
from .quotes.model import FoundQuote
from .schema import AnnotationRecord, Entity, Feature, PipelineInfo, Quote, Source, Span, Speaker, Topic

_WORD = re.compile(r"\w+")


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


def _span(text: str, start: int, end: int) -> Span:
    return Span(start=start, end=end, text=text[start:end])


def quotes_of(doc: Doc) -> list[Quote]:
    out, text = [], doc.text  # doc.text is rebuilt on each access
    for q in doc._.quotes or []:
        q: FoundQuote
        sp = q.speaker
        out.append(Quote(
            id=q.id,
            kind=q.kind,
            text=q.text,
            start=q.start,
            end=q.end,
            spans=[_span(text, s, e) for s, e in q.segments] if len(q.segments) > 1 else None,
            cue=_span(text, *q.cue) if q.cue else None,
            speaker=Speaker(start=sp.start, end=sp.end, text=sp.text, entity=sp.entity, name=sp.name,
                            resolution=sp.resolution) if sp else None,
            confidence=q.confidence,
        ))
    return out


def sources_of(entities: list[Entity], quotes: list[Quote]) -> list[Source]:
    """Who gets a voice: every quoted entity with its quotes, quoted words and share of all
    quoted words; then the people mentioned but never quoted, with zeros."""
    counts: dict[str, int] = defaultdict(int)
    words: dict[str, int] = defaultdict(int)
    for q in quotes:
        if q.speaker and q.speaker.entity:
            counts[q.speaker.entity] += 1
            words[q.speaker.entity] += len(_WORD.findall(q.text))
    total = sum(words.values()) or 1
    by_id = {e.id: e for e in entities}
    quoted = sorted(counts, key=lambda eid: (-words[eid], -counts[eid], eid))
    sources = [
        Source(entity=eid, name=by_id[eid].name, quotes=counts[eid], words=words[eid],
               share=round(words[eid] / total, 4))
        for eid in quoted if eid in by_id
    ]
    sources += [
        Source(entity=e.id, name=e.name, quotes=0, words=0, share=0.0)
        for e in entities if e.type == "PERSON" and e.id not in counts
    ]
    return sources


def doc_to_record(
    doc: Doc,
    article: PreparedArticle,
    features: tuple[Feature, ...],
    pipeline: PipelineInfo,
) -> AnnotationRecord:
    entities = entities_of(doc)
    quotes = quotes_of(doc) if "quotes" in features else []
    return AnnotationRecord(
        id=article.id,
        title=article.title,
        language=article.language,
        text=doc.text,
        entities=entities if "entities" in features else [],
        quotes=quotes,
        sources=sources_of(entities, quotes) if "quotes" in features else [],
        topics=[Topic(**t) for t in doc._.topics or []] if "topics" in features else [],
        warnings=list(article.warnings),
        pipeline=pipeline,
    )


def pipeline_info(spacy_model: str, embedding_model: str | None = None) -> PipelineInfo:
    return PipelineInfo(version=__version__, spacy_model=spacy_model, embedding_model=embedding_model)

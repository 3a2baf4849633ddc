from __future__ import annotations

import pytest

from nlp.errors import EmptyTextError, UnsupportedLanguageError
from nlp.schema import AnnotationRecord, ArticleFailure

pytestmark = pytest.mark.integration

TEXT = ("Olga Prokopieva, head of the association, met officials in Paris on Monday. "
        "Prokopieva said the talks had gone well.")


def test_annotate_returns_the_contract(annotator) -> None:
    record = annotator.annotate({"id": "t1", "text": TEXT, "title": "Talks in Paris"})
    assert isinstance(record, AnnotationRecord)
    data = record.model_dump()
    assert list(data) == ["schema_version", "id", "title", "language", "text", "entities", "quotes",
                          "sources", "topics", "warnings", "pipeline"]
    assert data["schema_version"] == "1" and data["id"] == "t1" and data["text"] == TEXT
    assert data["pipeline"]["spacy_model"] == "en_core_web_sm 3.8.0"
    for ent in data["entities"]:
        for m in ent["mentions"]:
            assert TEXT[m["start"]:m["end"]] == m["text"]
    person = next(e for e in data["entities"] if e["type"] == "PERSON")
    assert person["name"] == "Olga Prokopieva" and len(person["mentions"]) == 2


def test_features_subset(annotator) -> None:
    record = annotator.annotate({"text": TEXT, "features": ["topics"]})
    assert record.entities == []


def test_annotate_raises_on_bad_input(annotator) -> None:
    with pytest.raises(EmptyTextError):
        annotator.annotate({"text": ""})
    with pytest.raises(UnsupportedLanguageError):
        annotator.annotate({"text": "El presidente del Gobierno anunció el martes un nuevo plan de vivienda "
                                    "para los jóvenes de todo el país."})


def test_pipe_keeps_order_and_reports_failures_in_place(annotator) -> None:
    items = [
        {"id": "a", "text": TEXT},
        {"id": "b", "text": "   "},
        {"id": "c", "html": "<p>Angela Merkel visited Berlin on Tuesday to open a new library.</p>"},
        ["not", "an", "object"],
        {"id": "e", "text": "Boris Johnson spoke in London."},
    ]
    results = list(annotator.pipe(items, batch_size=2))
    assert [type(r) for r in results] == [AnnotationRecord, ArticleFailure, AnnotationRecord, ArticleFailure, AnnotationRecord]
    assert [r.id for r in results] == ["a", "b", "c", None, "e"]
    assert results[1].error.code == "empty_text"
    assert results[3].error.code == "invalid_input"


def test_pipe_equals_annotate_whatever_the_batch_holds(annotator, seed_text: str) -> None:
    """A record must not depend on the articles batched with it (dynamic int8 would break
    this: its activation scale is set per batch, and it moved this article's topics)."""
    one = annotator.annotate({"id": "x", "text": TEXT})
    (alone,) = list(annotator.pipe([{"id": "x", "text": TEXT}]))
    among = list(annotator.pipe([{"id": "seed", "text": seed_text}, {"id": "x", "text": TEXT},
                                 {"id": "short", "text": "The minister resigned on Friday."}]))
    assert alone == one
    assert among[1] == one


def test_step_timer_sees_every_step_and_changes_nothing(annotator, seed_text: str) -> None:
    articles = [{"id": "seed", "text": seed_text}, {"id": "x", "text": TEXT}]
    plain_one, plain_many = annotator.annotate(articles[1]), list(annotator.pipe(articles))
    seen: list[tuple[str, float]] = []
    annotator.on_step = lambda name, seconds: seen.append((name, seconds))
    try:
        timed_one, timed_many = annotator.annotate(articles[1]), list(annotator.pipe(articles))
    finally:
        annotator.on_step = None
    assert timed_one == plain_one and timed_many == plain_many
    steps = annotator.nlp.pipe_names
    assert [name for name, _ in seen] == steps + steps  # once for annotate, once for the batch
    assert all(seconds >= 0 for _, seconds in seen)
    assert sum(seconds for name, seconds in seen if name == "iptc_topics") > 0

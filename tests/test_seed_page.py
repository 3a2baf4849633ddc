"""The seed page end to end, checked with the project's own gold (corpora/) and the
project's own evaluation."""
from __future__ import annotations

import pytest

from nlp.evaluation import body_ok, entity_scores, evaluate

pytestmark = pytest.mark.integration

# Floors of the spine (issue 2) and quotes (issue 3) issues.
BODY_OK_FLOOR = 1.0
ENTITY_F1_FLOOR = 0.85
DIRECT_F1_FLOOR = 0.95
E2E_F1_FLOOR = 0.90


@pytest.fixture(scope="module")
def seed_record(annotator, seed_text):
    return annotator.annotate({"id": "nzn_russian_deserters", "text": seed_text})


def test_seed_body_is_cleaned(seed_record, seed_gold) -> None:
    assert seed_record.title == seed_gold["title"]
    assert body_ok(seed_gold, seed_record) >= BODY_OK_FLOOR
    assert seed_record.warnings and seed_record.warnings[0].code == "W101"


def test_seed_entities(seed_record, seed_gold) -> None:
    prf, spurious, missed = entity_scores(seed_gold, seed_record)
    assert prf.f1 >= ENTITY_F1_FLOOR, f"entity F1 {prf.f1:.3f}; spurious {spurious}; missed {missed}"


def test_seed_consistency_one_entity_per_referent(seed_record) -> None:
    names = [e.name for e in seed_record.entities]
    assert len(names) == len(set(names))
    by_name = {e.name: e for e in seed_record.entities}
    assert {m.text for m in by_name["Andrei Amonov"].mentions} == {"Andrei Amonov", "Amonov"}
    assert by_name["Russie-Libertes"].type == "ORG"
    assert {m.text for m in by_name["Russie-Libertes"].mentions} == {"Russie-Libertes", "Russie Libertes"}
    for place in ("Mirny", "Ulan-Ude", "Caen", "Crimea"):
        assert by_name[place].type in {"GPE", "LOC"}, place


def test_seed_quotes_and_speakers(seed_record, seed_gold) -> None:
    metrics, missing = evaluate([seed_gold], [seed_record])
    assert not missing
    assert metrics["direct.f"] >= DIRECT_F1_FLOOR, metrics
    assert metrics["e2e.f"] >= E2E_F1_FLOOR, metrics


def test_seed_not_quotes_are_rejected(seed_record, seed_gold) -> None:
    texts = {q.text.strip(" ,.") for q in seed_record.quotes}
    assert not texts & set(seed_gold["not_quotes"])


def test_seed_sources(seed_record) -> None:
    sources = {s.name: s for s in seed_record.sources}
    assert {"Alexander", "Sergei", "Olga Prokopieva", "Andrei Amonov", "Mikhail"} <= {
        n for n, s in sources.items() if s.quotes > 0}
    assert sources["Vladimir Putin"].quotes == 0
    assert abs(sum(s.share for s in seed_record.sources) - 1.0) < 0.01


"""The project's evaluation on tiny gold written here."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from nlp.evaluation import evaluate, gold_text, load_json_records, token_f1
from nlp.schema import AnnotationRecord, PipelineInfo

pytestmark = pytest.mark.unit

TEXT = 'Maria Lind said the bridge would close. "It is unsafe," she said. Critics called it "a farce".'


def record(quotes: list[dict], entities: list[dict] | None = None) -> AnnotationRecord:
    return AnnotationRecord(
        id="d1", text=TEXT, quotes=quotes, pipeline=PipelineInfo(version="t", spacy_model="t"),
        entities=entities if entities is not None else [
            {"id": "E1", "type": "PERSON", "name": "Maria Lind", "salience": 1.0,
             "mentions": [{"start": 0, "end": 10, "text": "Maria Lind"}]}],
    )


def quote(qid: str, kind: str, text: str, speaker_text: str | None, entity: str | None = None) -> dict:
    return {"id": qid, "kind": kind, "text": text, "start": 0, "end": 1, "confidence": 0.9,
            "speaker": None if speaker_text is None else {
                "start": 0, "end": 1, "text": speaker_text, "entity": entity,
                "name": "Maria Lind" if entity else speaker_text,
                "resolution": "pronoun" if entity else "unresolved"}}


GOLD = {
    "id": "d1",
    "entities": {"PERSON": [["Maria Lind", "Lind"]]},
    "quotes": [
        {"kind": "indirect", "quote": "the bridge would close", "speaker": ["Maria Lind"]},
        {"kind": "direct", "quote": "It is unsafe,", "speaker": ["Maria Lind", "Lind"]},
        {"kind": "mixed", "quote": "it \"a farce\"", "speaker": ["Critics"], "scope": "extra"},
    ],
}


def test_token_f1() -> None:
    assert token_f1("It is unsafe,", "it is UNSAFE") == 1.0
    assert token_f1("a b c d", "a b") == pytest.approx(2 / 3)
    assert token_f1("a", "") == 0.0


def test_perfect_record_scores_one() -> None:
    metrics, missing = evaluate([GOLD], [record([
        quote("Q1", "indirect", "the bridge would close", "Maria Lind", "E1"),
        quote("Q2", "direct", "It is unsafe,", "she", "E1"),
    ])])
    assert missing == []
    assert metrics["quote.f"] == 1.0 and metrics["e2e.f"] == 1.0 and metrics["direct.f"] == 1.0
    assert metrics["speaker.acc"] == 1.0 and metrics["entity.f"] == 1.0


def test_wrong_speaker_counts_in_e2e_not_in_quotes() -> None:
    metrics, _ = evaluate([GOLD], [record([
        quote("Q1", "indirect", "the bridge would close", "Critics"),
        quote("Q2", "direct", "It is unsafe,", "she", "E1"),
    ])])
    assert metrics["quote.f"] == 1.0
    assert metrics["speaker.acc"] == 0.5
    assert metrics["e2e.p"] == 0.5 and metrics["e2e.r"] == 0.5


def test_extra_scope_is_neither_rewarded_nor_punished() -> None:
    metrics, _ = evaluate([GOLD], [record([
        quote("Q1", "indirect", "the bridge would close", "Maria Lind", "E1"),
        quote("Q2", "direct", "It is unsafe,", "she", "E1"),
        quote("Q3", "mixed", "it \"a farce\"", "Critics"),
    ])])
    assert metrics["quote.p"] == 1.0 and metrics["quote.r"] == 1.0


def test_span_level_gold_accepts_the_mention_as_written() -> None:
    gold = {k: v for k, v in GOLD.items() if k != "entities"}
    gold["quotes"] = [{"kind": "direct", "quote": "It is unsafe,", "speaker": ["she"]}]
    metrics, _ = evaluate([gold], [record([quote("Q2", "direct", "It is unsafe,", "she", "E1")])])
    assert metrics["speaker.acc"] == 1.0


def test_missing_record_is_reported() -> None:
    _, missing = evaluate([{**GOLD, "id": "other"}], [record([])])
    assert missing == ["other"]


def test_gold_loading_and_source_file(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Body.", encoding="utf-8")
    (tmp_path / "one.json").write_text(json.dumps({"id": "a", "source_file": "a.txt"}), encoding="utf-8")
    (tmp_path / "many.jsonl").write_text('{"id": "x", "text": "X."}\n{"id": "y", "text": "Y."}\n', encoding="utf-8")
    (one,) = load_json_records(tmp_path / "one.json")
    assert gold_text(one, tmp_path / "one.json") == "Body."
    assert [g["id"] for g in load_json_records(tmp_path / "many.jsonl")] == ["x", "y"]

"""POST /v1/annotate/batch against the real server: NDJSON in input order, one line per
article, a bad article never failing the others."""
from __future__ import annotations

import json

import httpx
import pytest

from nlp.schema import AnnotationRecord

pytestmark = pytest.mark.integration

GOOD = ("Olga Prokopieva, head of Russie Libertes, met officials in Paris on Monday. "
        "\"The talks went well,\" Prokopieva said.")
GERMAN = ("Der Bundestag hat am Donnerstag nach langer Debatte ein neues Gesetz zur Förderung "
          "erneuerbarer Energien beschlossen.")


def _lines(resp: httpx.Response) -> list[dict]:
    assert resp.status_code == 200, resp.text
    assert resp.headers["content-type"].startswith("application/x-ndjson")
    return [json.loads(line) for line in resp.text.splitlines()]


def test_mixed_batch_keeps_order_and_isolates_bad_articles(client: httpx.Client) -> None:
    batch = [
        {"id": "good-1", "text": GOOD},
        {"id": "empty", "text": "   "},
        42,
        {"id": "german", "text": GERMAN},
        {"id": "both", "text": "a", "html": "<p>a</p>"},
        {"id": "good-2", "html": f"<html><body><article><p>{GOOD}</p></article></body></html>"},
    ]
    lines = _lines(client.post("/v1/annotate/batch", json=batch))
    assert len(lines) == len(batch)
    assert [line.get("error", {}).get("code") for line in lines] == [
        None, "empty_text", "invalid_input", "unsupported_language", "invalid_input", None]
    assert [line["id"] for line in lines] == ["good-1", "empty", None, "german", "both", "good-2"]
    for line in (lines[0], lines[5]):
        record = AnnotationRecord.model_validate(line)
        assert any(q.speaker and q.speaker.text.endswith("Prokopieva") for q in record.quotes)
        assert all(record.text[m.start:m.end] == m.text for e in record.entities for m in e.mentions)


def test_batch_records_equal_single_records(client: httpx.Client) -> None:
    articles = [{"id": f"a{i}", "text": GOOD.replace("Monday", day)} for i, day in enumerate(("Monday", "Friday"))]
    batch = _lines(client.post("/v1/annotate/batch", json=articles))
    single = [client.post("/v1/annotate", json=a).json() for a in articles]
    assert batch == single


@pytest.mark.parametrize("body, status, code", [
    ([], 422, "invalid_input"),
    ({"text": GOOD}, 422, "invalid_input"),
    ([{"text": GOOD}] * 65, 413, "too_large"),
], ids=["empty array", "object not array", "over NEWSNLP_MAX_BATCH"])
def test_bad_batches_are_refused_whole(client: httpx.Client, body: object, status: int, code: str) -> None:
    resp = client.post("/v1/annotate/batch", json=body)
    assert resp.status_code == status, resp.text
    assert resp.json()["error"]["code"] == code


def test_malformed_batch_json(client: httpx.Client) -> None:
    resp = client.post("/v1/annotate/batch", content=b'[{"text": "a"', headers={"content-type": "application/json"})
    assert resp.status_code == 422
    assert resp.json()["error"]["code"] == "malformed_json"

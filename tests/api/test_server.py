"""The API over HTTP against a real uvicorn server: answers, and refusals that never
become a 500 or a hang."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from nlp.evaluation import body_ok, entity_scores
from nlp.schema import AnnotationRecord

pytestmark = pytest.mark.integration

ARTICLE = ("Olga Prokopieva, head of Russie Libertes, met officials in Paris on Monday. "
           "Prokopieva said the talks had gone well.")
FIVE_MB = 5_000_000


def test_health_and_readiness(client: httpx.Client) -> None:
    assert client.get("/healthz").json()["status"] == "ok"
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["pipeline"]["spacy_model"] == "en_core_web_sm 3.8.0"


def test_docs_and_openapi(client: httpx.Client) -> None:
    assert "swagger" in client.get("/docs").text.lower()
    spec = client.get("/openapi.json").json()
    body = spec["paths"]["/v1/annotate"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert {"text", "html", "id", "title", "url", "features"} <= set(body["properties"])


def test_annotate_returns_a_record(client: httpx.Client) -> None:
    resp = client.post("/v1/annotate", json={"id": "a1", "text": ARTICLE})
    assert resp.status_code == 200, resp.text
    record = AnnotationRecord.model_validate(resp.json())
    assert record.id == "a1" and record.text == ARTICLE
    person = next(e for e in record.entities if e.type == "PERSON")
    assert person.name == "Olga Prokopieva"
    assert [ARTICLE[m.start:m.end] for m in person.mentions] == ["Olga Prokopieva", "Prokopieva"]


def test_annotate_html(client: httpx.Client) -> None:
    html = "<html><head><title>Talks</title></head><body><article><p>" + ARTICLE + "</p></article></body></html>"
    resp = client.post("/v1/annotate", json={"html": html})
    assert resp.status_code == 200, resp.text
    assert "Prokopieva" in resp.json()["text"]


def test_seed_page_over_http(client: httpx.Client, seed_text: str, seed_gold: dict) -> None:
    resp = client.post("/v1/annotate", json={"id": "nzn_russian_deserters", "text": seed_text})
    assert resp.status_code == 200, resp.text
    record = AnnotationRecord.model_validate(resp.json())
    assert body_ok(seed_gold, record) == 1.0
    assert entity_scores(seed_gold, record)[0].f1 >= 0.85


BAD_REQUESTS = [
    ("empty text", {"json": {"text": ""}}, 422, "empty_text"),
    ("whitespace text", {"json": {"text": "  \n\t "}}, 422, "empty_text"),
    ("neither text nor html", {"json": {"id": "x"}}, 422, "invalid_input"),
    ("both text and html", {"json": {"text": "a", "html": "<p>a</p>"}}, 422, "invalid_input"),
    ("text not a string", {"json": {"text": 12}}, 422, "invalid_input"),
    ("unknown field", {"json": {"body": "hello"}}, 422, "invalid_input"),
    ("unknown feature", {"json": {"text": "hello", "features": ["sentiment"]}}, 422, "invalid_input"),
    ("JSON array", {"json": [1, 2, 3]}, 422, "invalid_input"),
    ("malformed JSON", {"content": b'{"text": "unterminated'}, 422, "malformed_json"),
    ("empty body", {"content": b""}, 422, "malformed_json"),
    ("non-UTF-8 bytes", {"content": b'{"text": "caf\xe9 \xff\xfe"}'}, 422, "undecodable"),
    ("binary content", {"json": {"text": "\x00\x01\x02PK\x03\x04" * 50}}, 422, "binary_content"),
    ("non-English", {"json": {"text": "Der Bundestag hat am Donnerstag nach langer Debatte ein neues "
                                      "Gesetz zur Förderung erneuerbarer Energien beschlossen."}}, 422, "unsupported_language"),
    ("body over 5 MB", {"content": b'{"text": "' + b"a" * (FIVE_MB + 10) + b'"}'}, 413, "too_large"),
    ("article over the character limit", {"json": {"text": "The council met. " * 20_000}}, 413, "too_large"),
]


@pytest.mark.parametrize("name, kwargs, status, code", BAD_REQUESTS, ids=[b[0] for b in BAD_REQUESTS])
def test_bad_input_gets_a_clear_4xx(client: httpx.Client, name: str, kwargs: dict, status: int, code: str) -> None:
    resp = client.post("/v1/annotate", headers={"content-type": "application/json"}, **kwargs)
    assert resp.status_code == status, resp.text
    error = resp.json()["error"]
    assert error["code"] == code
    assert len(error["message"]) > 10


def test_chunked_body_over_the_limit_is_cut_off(client: httpx.Client) -> None:
    def chunks():
        yield b'{"text": "'
        for _ in range(60):
            yield b"a" * 100_000  # 6 MB in all, with no Content-Length
        yield b'"}'

    resp = client.post("/v1/annotate", content=chunks(), headers={"content-type": "application/json"})
    assert resp.status_code == 413
    assert resp.json()["error"]["code"] == "too_large"


def test_unknown_route_and_method(client: httpx.Client) -> None:
    assert client.get("/v2/nothing").json()["error"]["code"] == "not_found"
    assert client.get("/v1/annotate").json()["error"]["code"] == "method_not_allowed"


def test_server_keeps_serving_after_abuse(client: httpx.Client, server_url: str) -> None:
    for _, kwargs, _, _ in BAD_REQUESTS:
        client.post("/v1/annotate", headers={"content-type": "application/json"}, **kwargs)

    def one(i: int) -> int:
        with httpx.Client(base_url=server_url, timeout=60) as c:
            return c.post("/v1/annotate", json={"id": str(i), "text": ARTICLE}).status_code

    with ThreadPoolExecutor(max_workers=4) as pool:
        assert list(pool.map(one, range(8))) == [200] * 8
    assert client.get("/healthz").status_code == 200


def test_topics_taxonomy(client: httpx.Client) -> None:
    everything = client.get("/v1/topics").json()
    assert len(everything) == 1099
    level1 = client.get("/v1/topics", params={"level": 1}).json()
    assert len(level1) == 17
    war = next(t for t in level1 if t["code"] == "medtop:16000000")
    assert war["label"] == "conflict, war and peace" and war["parent"] is None and war["definition"]


def test_annotate_returns_topics(client: httpx.Client, seed_text: str) -> None:
    record = client.post("/v1/annotate", json={"text": seed_text}).json()
    assert record["topics"] and record["topics"][0]["level"] == 1
    assert record["pipeline"]["embedding_model"] == "all-MiniLM-L6-v2"

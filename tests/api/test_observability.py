"""Request ids, JSON logs without article text, and Prometheus metrics, on the real server."""
from __future__ import annotations

import json
import re
import time
from pathlib import Path

import httpx
import pytest

pytestmark = pytest.mark.integration

MARKER = "Zorbulax"  # a word that must never reach the logs
ARTICLE = f"{MARKER} Prokopieva met officials in Paris on Monday. Prokopieva said the talks had gone well."


def _metric(text: str, name: str, **labels: str) -> float:
    """The value of one sample of the exposition, 0 when it is absent."""
    total = 0.0
    for line in text.splitlines():
        if not line.startswith(name + "{") and not line.startswith(name + " "):
            continue
        found = dict(re.findall(r'(\w+)="([^"]*)"', line.split(" ")[0]))
        if all(found.get(k) == v for k, v in labels.items()):
            total += float(line.rsplit(" ", 1)[1])
    return total


def test_request_id_is_taken_in_or_made_and_returned(client: httpx.Client) -> None:
    assert client.get("/healthz", headers={"X-Request-ID": "cms-42.a"}).headers["x-request-id"] == "cms-42.a"
    made = client.get("/healthz").headers["x-request-id"]
    assert re.fullmatch(r"[0-9a-f]{32}", made)
    replaced = client.get("/healthz", headers={"X-Request-ID": "x" * 300}).headers["x-request-id"]
    assert replaced != "x" * 300 and re.fullmatch(r"[0-9a-f]{32}", replaced)


def test_logs_are_json_lines_with_the_request_id_and_no_article_text(client: httpx.Client, server_log: Path) -> None:
    rid = f"log-test-{time.time_ns()}"
    assert client.post("/v1/annotate", json={"text": ARTICLE}, headers={"X-Request-ID": rid}).status_code == 200
    assert client.post("/v1/annotate", json={"text": ""}, headers={"X-Request-ID": rid + "-bad"}).status_code == 422
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and rid + "-bad" not in server_log.read_text(errors="replace"):
        time.sleep(0.1)
    text = server_log.read_text(errors="replace")
    assert MARKER not in text
    ours = [json.loads(line) for line in text.splitlines() if line.startswith("{") and rid in line]
    by_id = {entry["request_id"]: entry for entry in ours if entry.get("message") == "request"}
    assert by_id[rid]["status"] == 200 and by_id[rid]["path"] == "/v1/annotate" and by_id[rid]["method"] == "POST"
    assert by_id[rid + "-bad"]["status"] == 422
    assert by_id[rid]["duration_ms"] > 0 and by_id[rid]["level"] == "INFO"


def test_metrics_cover_requests_articles_steps_and_refusals(client: httpx.Client) -> None:
    before = client.get("/metrics").text
    assert client.post("/v1/annotate", json={"text": ARTICLE}).status_code == 200
    assert client.post("/v1/annotate", json={"text": " "}).status_code == 422
    assert client.post("/v1/annotate", content=b"{", headers={"content-type": "application/json"}).status_code == 422
    after = client.get("/metrics")
    assert after.status_code == 200 and after.headers["content-type"].startswith("text/plain")
    now = after.text

    def grew(name: str, by: float = 1, **labels: str) -> bool:
        return _metric(now, name, **labels) - _metric(before, name, **labels) >= by

    assert grew("http_requests_total", handler="/v1/annotate", status="200")
    assert grew("http_requests_total", 2, handler="/v1/annotate", status="422")
    assert grew("http_request_duration_seconds_count", 3, handler="/v1/annotate")
    assert grew("newsnlp_articles_annotated_total")
    assert grew("newsnlp_words_annotated_total", len(ARTICLE.split()))
    for step in ("ner", "quotes", "iptc_topics"):
        assert grew("newsnlp_pipeline_step_seconds_count", step=step)
    assert grew("newsnlp_refusals_total", status="422", code="empty_text")
    assert grew("newsnlp_refusals_total", status="422", code="malformed_json")
    assert "newsnlp_annotations_in_flight" in now
    assert "newsnlp_http_requests_in_flight" in now

"""Access control, rate limit, CORS and backpressure, against a real server started with
keys, a limit, one allowed origin and room for two requests at once."""
from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

pytestmark = pytest.mark.integration

ARTICLE = "Olga Prokopieva met officials in Paris on Monday. Prokopieva said the talks had gone well."


@pytest.fixture()
def secured(secured_server):
    with httpx.Client(base_url=secured_server.url, timeout=60) as c:
        yield c


@pytest.fixture()
def key(secured_server) -> str:
    return secured_server.key


def test_keys_are_required_on_v1_only(secured: httpx.Client, key: str) -> None:
    assert secured.get("/healthz").status_code == 200
    assert secured.get("/readyz").status_code == 200
    missing = secured.post("/v1/annotate", json={"text": ARTICLE})
    assert missing.status_code == 401
    assert missing.json()["error"]["code"] == "unauthorized"
    assert missing.headers["www-authenticate"] == "Bearer"
    wrong = secured.get("/v1/topics", headers={"X-API-Key": key + "x"})
    assert wrong.status_code == 401 and "not valid" in wrong.json()["error"]["message"]


def test_bearer_and_header_keys_both_work(secured: httpx.Client, key: str) -> None:
    by_bearer = secured.post("/v1/annotate", json={"text": ARTICLE}, headers={"Authorization": f"Bearer {key}"})
    by_header = secured.post("/v1/annotate", json={"text": ARTICLE}, headers={"X-API-Key": key})
    assert by_bearer.status_code == by_header.status_code == 200
    assert by_bearer.json() == by_header.json()


def test_rate_limit_answers_429_exactly_past_the_limit_and_recovers(secured: httpx.Client, secured_server,
                                                                    key: str) -> None:
    calls, window = secured_server.rate_calls, secured_server.rate_seconds
    headers = {"X-API-Key": secured_server.rate_key}
    statuses = [secured.get("/v1/topics", params={"level": 1}, headers=headers).status_code for _ in range(calls)]
    assert statuses == [200] * calls
    refused = secured.get("/v1/topics", params={"level": 1}, headers=headers)
    assert refused.status_code == 429
    assert refused.json()["error"]["code"] == "rate_limited"
    retry_after = int(refused.headers["retry-after"])
    assert 1 <= retry_after <= window
    # Another key is not affected by this one's limit.
    assert secured.get("/v1/topics", params={"level": 1}, headers={"X-API-Key": key}).status_code == 200
    time.sleep(retry_after + 0.2)
    assert secured.get("/v1/topics", params={"level": 1}, headers=headers).status_code == 200


def test_cors_only_for_the_allowed_origin(secured: httpx.Client, secured_server) -> None:
    origin = secured_server.origin
    preflight = {"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "x-api-key,content-type"}
    allowed = secured.options("/v1/annotate", headers={"Origin": origin, **preflight})
    assert allowed.status_code == 200
    assert allowed.headers["access-control-allow-origin"] == origin
    other = secured.options("/v1/annotate", headers={"Origin": "https://elsewhere.example", **preflight})
    assert "access-control-allow-origin" not in other.headers


def test_cors_is_off_by_default(client: httpx.Client) -> None:
    resp = client.get("/healthz", headers={"Origin": "https://newsroom.example"})
    assert "access-control-allow-origin" not in resp.headers


def test_a_full_worker_answers_503_at_once_then_recovers(secured_server, seed_text: str, key: str) -> None:
    secured_url = secured_server.url
    def one(_: int) -> tuple[int, str | None, str | None, float]:
        start = time.perf_counter()
        with httpx.Client(base_url=secured_url, timeout=120) as c:
            resp = c.post("/v1/annotate", json={"text": seed_text}, headers={"X-API-Key": key})
        code = resp.json().get("error", {}).get("code") if resp.status_code != 200 else None
        return resp.status_code, code, resp.headers.get("retry-after"), time.perf_counter() - start

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(one, range(8)))
    statuses = sorted(status for status, *_ in results)
    assert set(statuses) <= {200, 503}, results
    assert statuses.count(200) >= secured_server.max_pending
    refused = [r for r in results if r[0] == 503]
    assert refused, "8 requests at once should overflow a worker that admits 2"
    assert all(code == "overloaded" and retry is not None and int(retry) >= 1 for _, code, retry, _ in refused)
    slowest_ok = max(seconds for status, *_, seconds in results if status == 200)
    assert max(seconds for *_, seconds in refused) < slowest_ok  # refused at once, not after queueing
    resp = httpx.post(f"{secured_url}/v1/annotate", json={"text": ARTICLE}, headers={"X-API-Key": key}, timeout=60)
    assert resp.status_code == 200

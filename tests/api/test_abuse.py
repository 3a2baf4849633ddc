"""Abuse against the real server: a slow-loris client, a declared 5 GB body, a thousand
wrong keys. Loopback only; every test stops by itself within seconds."""
from __future__ import annotations

import socket
import statistics
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

import httpx
import pytest

pytestmark = pytest.mark.integration

ARTICLE = "Olga Prokopieva met officials in Paris on Monday. Prokopieva said the talks had gone well."


def _address(url: str) -> tuple[str, int]:
    parts = urlsplit(url)
    return parts.hostname, parts.port


def _timed_get(client: httpx.Client, path: str, **kwargs) -> tuple[int, float]:
    start = time.perf_counter()
    status = client.get(path, **kwargs).status_code
    return status, time.perf_counter() - start


def test_slow_loris_does_not_delay_other_clients(server_url: str, client: httpx.Client) -> None:
    stop = threading.Event()
    sent = []

    def loris() -> None:
        request = b"POST /v1/annotate HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        with socket.create_connection(_address(server_url), timeout=10) as sock:
            for byte in request:
                if stop.is_set():
                    break
                try:
                    sock.sendall(bytes([byte]))
                except OSError:  # the server may close it: that is fine too
                    break
                sent.append(byte)
                time.sleep(1.0)

    lorises = [threading.Thread(target=loris, daemon=True) for _ in range(20)]
    for t in lorises:
        t.start()
    try:
        time.sleep(1.5)
        health = [_timed_get(client, "/healthz") for _ in range(10)]
        start = time.perf_counter()
        annotated = client.post("/v1/annotate", json={"text": ARTICLE})
        annotate_seconds = time.perf_counter() - start
    finally:
        stop.set()
    assert sent, "the slow clients never got to send"
    assert all(status == 200 for status, _ in health)
    assert max(seconds for _, seconds in health) < 0.5
    assert annotated.status_code == 200 and annotate_seconds < 5


def test_a_declared_5gb_body_is_refused_at_once(server_url: str) -> None:
    head = (b"POST /v1/annotate HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            b"Content-Length: 5000000000\r\n\r\n")
    start = time.perf_counter()
    with socket.create_connection(_address(server_url), timeout=10) as sock:
        sock.sendall(head + b'{"text": "')
        answer = b""
        while b"\r\n\r\n" not in answer:
            chunk = sock.recv(4096)
            if not chunk:
                break
            answer += chunk
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert time.perf_counter() - start < 2


def test_a_thousand_wrong_keys_get_401_and_valid_clients_see_no_slowdown(secured_server) -> None:
    url, key = secured_server.url, secured_server.key
    with httpx.Client(base_url=url, timeout=30) as valid:
        baseline = [_timed_get(valid, "/v1/topics", params={"level": 1}, headers={"X-API-Key": key})[1]
                    for _ in range(10)]
        statuses: list[int] = []

        def wrong(i: int) -> int:
            with httpx.Client(base_url=url, timeout=30) as c:
                return sum(c.get("/v1/topics", headers={"X-API-Key": f"guess-{i}-{j}"}).status_code == 401
                           for j in range(50))

        during: list[tuple[int, float]] = []
        with ThreadPoolExecutor(max_workers=20) as pool:
            futures = [pool.submit(wrong, i) for i in range(20)]  # 20 x 50 = 1,000 wrong keys
            while not all(f.done() for f in futures):
                during.append(_timed_get(valid, "/v1/topics", params={"level": 1}, headers={"X-API-Key": key}))
                if len(during) >= 10:  # the key has a rate limit of 40 in 4 s
                    break
            statuses = [f.result() for f in futures]
    assert sum(statuses) == 1000
    assert during and all(status == 200 for status, _ in during)
    # Refusing a key costs a hash: valid calls stay within a small multiple of their quiet time.
    assert statistics.median(s for _, s in during) < 3 * statistics.median(baseline) + 0.05

"""`newsnlp serve --workers 2`: one server process hands each call to whichever model
process is free, gives the same records as one worker, and survives a model process
being killed."""
from __future__ import annotations

import json
import signal
import subprocess
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from types import SimpleNamespace
from typing import Iterator

import httpx
import psutil
import pytest

pytestmark = pytest.mark.integration

GERMAN = ("Der Bundestag hat am Donnerstag nach langer Debatte ein neues Gesetz zur Förderung "
          "erneuerbarer Energien beschlossen.")


@pytest.fixture(scope="module")
def pooled_server(tmp_path_factory: pytest.TempPathFactory, server_tools: SimpleNamespace) -> Iterator[SimpleNamespace]:
    folder = tmp_path_factory.mktemp("pooled")
    with server_tools.started_server(folder, ["nlp.cli", "serve", "--workers", "2"]) as (url, proc):
        yield SimpleNamespace(url=url, proc=proc)


def model_processes(server: subprocess.Popen) -> list[psutil.Process]:
    """The server's children that hold the models (the others are multiprocessing helpers)."""
    return [p for p in psutil.Process(server.pid).children(recursive=True) if p.memory_info().rss > 300 * 1024**2]


def wait_for_model_processes(server: subprocess.Popen, count: int, timeout: float = 120) -> list[psutil.Process]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = model_processes(server)
        if len(found) == count:
            return found
        time.sleep(0.5)
    raise AssertionError(f"expected {count} model processes, found {len(model_processes(server))}")


def cpu_seconds(process: psutil.Process) -> float:
    times = process.cpu_times()
    return times.user + times.system


def test_two_keep_alive_clients_keep_both_model_processes_busy(pooled_server: SimpleNamespace, seed_text: str) -> None:
    # Two clients on one connection each: with uvicorn's own workers both connections
    # were accepted by one worker and the other stayed idle.
    workers = wait_for_model_processes(pooled_server.proc, 2)
    before = [cpu_seconds(p) for p in workers]

    def client(k: int) -> list[int]:
        with httpx.Client(base_url=pooled_server.url, timeout=120) as http:
            return [http.post("/v1/annotate", json={"id": f"c{k}-{i}", "text": seed_text}).status_code
                    for i in range(4)]

    with ThreadPoolExecutor(2) as pool:
        statuses = [s for batch in pool.map(client, range(2)) for s in batch]
    assert statuses == [200] * 8
    used = [cpu_seconds(p) - b for p, b in zip(workers, before)]
    assert min(used) >= 0.25 * sum(used), f"CPU seconds per model process: {used}"


def test_records_equal_those_of_one_worker(pooled_server: SimpleNamespace, server_url: str, seed_text: str) -> None:
    article = {"id": "same", "text": seed_text}
    pooled = httpx.post(f"{pooled_server.url}/v1/annotate", json=article, timeout=120)
    single = httpx.post(f"{server_url}/v1/annotate", json=article, timeout=120)
    assert pooled.status_code == single.status_code == 200
    assert pooled.json() == single.json()
    batch = httpx.post(f"{pooled_server.url}/v1/annotate/batch", json=[article, {"id": "de", "text": GERMAN}],
                       timeout=120)
    lines = [json.loads(line) for line in batch.text.splitlines()]
    assert lines[0] == single.json()
    assert lines[1]["error"]["code"] == "unsupported_language"


def test_a_refusal_made_beside_the_models_keeps_its_status_and_code(pooled_server: SimpleNamespace) -> None:
    resp = httpx.post(f"{pooled_server.url}/v1/annotate", json={"text": GERMAN}, timeout=60)
    assert resp.status_code == 422
    assert resp.json()["error"]["code"] == "unsupported_language"


def test_metrics_count_the_work_of_every_model_process(pooled_server: SimpleNamespace, seed_text: str) -> None:
    def articles_annotated() -> float:
        text = httpx.get(f"{pooled_server.url}/metrics", timeout=30).text
        return sum(float(line.split()[-1]) for line in text.splitlines()
                   if line.startswith("newsnlp_articles_annotated_total "))

    start = articles_annotated()
    batch = [{"id": f"m{i}", "text": seed_text} for i in range(3)]
    assert httpx.post(f"{pooled_server.url}/v1/annotate/batch", json=batch, timeout=120).status_code == 200
    with ThreadPoolExecutor(2) as pool:
        codes = list(pool.map(lambda i: httpx.post(f"{pooled_server.url}/v1/annotate", json=batch[i],
                                                   timeout=120).status_code, range(2)))
    assert codes == [200, 200]
    assert articles_annotated() - start == 5


def annotations_in_flight(url: str) -> float:
    text = httpx.get(f"{url}/metrics", timeout=30).text
    return sum(float(line.split()[-1]) for line in text.splitlines()
               if line.startswith("newsnlp_annotations_in_flight "))


def test_a_client_gone_mid_batch_holds_its_admission_until_the_work_is_done(pooled_server: SimpleNamespace,
                                                                           seed_text: str) -> None:
    # The model process cannot be stopped in the middle of a chunk: until it finishes,
    # the call must still count against admission (and the cores' share).
    batch = [{"id": f"g{i}", "text": seed_text} for i in range(32)]
    with httpx.Client(base_url=pooled_server.url, timeout=60) as http:
        with http.stream("POST", "/v1/annotate/batch", json=batch) as resp:
            assert resp.status_code == 200
            time.sleep(1)  # the first chunk of 16 is being annotated; then the client goes
    assert annotations_in_flight(pooled_server.url) == 1
    deadline = time.monotonic() + 120
    while annotations_in_flight(pooled_server.url) != 0:
        assert time.monotonic() < deadline, "the admission was never given back"
        time.sleep(0.5)


def wait_until_ready(url: str, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while httpx.get(f"{url}/readyz", timeout=10).status_code != 200:
        assert time.monotonic() < deadline, "the pool did not come back"
        time.sleep(1)


def test_a_model_process_killed_during_a_batch_ends_it_with_error_lines(pooled_server: SimpleNamespace,
                                                                          seed_text: str) -> None:
    old = wait_for_model_processes(pooled_server.proc, 2)
    batch = [{"id": f"k{i}", "text": seed_text} for i in range(48)]  # three chunks of 16
    result: dict = {}

    def call() -> None:
        resp = httpx.post(f"{pooled_server.url}/v1/annotate/batch", json=batch, timeout=300)
        result["status"], result["lines"] = resp.status_code, [json.loads(line) for line in resp.text.splitlines()]

    caller = threading.Thread(target=call)
    caller.start()
    time.sleep(2)  # the first chunk is being annotated
    old[0].send_signal(signal.SIGKILL)
    caller.join(timeout=300)
    assert result["status"] == 200
    lines = result["lines"]
    assert [line["id"] for line in lines] == [a["id"] for a in batch]  # every article answered, in order
    failed = [line for line in lines if "error" in line]
    assert failed and failed == lines[len(lines) - len(failed):]  # records first, then the articles not done
    assert {line["error"]["code"] for line in failed} == {"not_ready"}
    wait_until_ready(pooled_server.url)
    new = wait_for_model_processes(pooled_server.proc, 2)
    assert not {p.pid for p in new} & {p.pid for p in old}  # the survivor of the old pool was stopped too


def test_a_killed_model_process_costs_a_503_and_the_pool_comes_back(pooled_server: SimpleNamespace, server_url: str,
                                                                      seed_text: str) -> None:
    # Runs last in this module: it restarts the pool.
    victim = wait_for_model_processes(pooled_server.proc, 2)[0]
    victim.send_signal(signal.SIGKILL)
    victim.wait(timeout=30)
    resp = httpx.post(f"{pooled_server.url}/v1/annotate", json={"text": seed_text}, timeout=120)
    assert resp.status_code == 503
    assert resp.json()["error"]["code"] == "not_ready"
    assert int(resp.headers["retry-after"]) > 0
    wait_until_ready(pooled_server.url)
    article = {"id": "after-restart", "text": seed_text}
    resp = httpx.post(f"{pooled_server.url}/v1/annotate", json=article, timeout=120)
    assert resp.status_code == 200
    assert resp.json() == httpx.post(f"{server_url}/v1/annotate", json=article, timeout=120).json()
    # The old pool's other process is gone: no model process is left behind.
    assert len(wait_for_model_processes(pooled_server.proc, 2)) == 2
    assert pooled_server.proc.poll() is None

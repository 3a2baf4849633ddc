"""`newsnlp serve` drains on SIGTERM: the request in flight finishes, new ones are refused,
and the process exits by itself."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import psutil
import pytest

pytestmark = pytest.mark.integration


# With two workers the whole process group gets the signal, as systemd's stop does: the
# model processes must leave stopping to the server.
@pytest.mark.parametrize("workers, whole_group", [(1, False), (2, True)], ids=["one-process", "pool-group-signal"])
def test_sigterm_lets_the_request_in_flight_finish(tmp_path: Path, seed_text: str, server_tools, workers: int,
                                                   whole_group: bool) -> None:
    port = server_tools.free_port()
    log_path = tmp_path / "serve.log"
    env = {**os.environ, "NEWSNLP_GRACEFUL_TIMEOUT": "60"}
    with log_path.open("wb") as log:
        proc = subprocess.Popen([sys.executable, "-m", "nlp.cli", "serve", "--port", str(port),
                                 "--workers", str(workers)], cwd=server_tools.root, env=env,
                                stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        server_tools.wait_ready(url, proc, log_path)
        children = psutil.Process(proc.pid).children(recursive=True)
        batch = [{"id": f"a{i}", "text": seed_text} for i in range(8)]  # several seconds of work
        result: dict = {}

        def call() -> None:
            resp = httpx.post(f"{url}/v1/annotate/batch", json=batch, timeout=120)
            result["status"], result["lines"] = resp.status_code, resp.text.splitlines()

        caller = threading.Thread(target=call)
        caller.start()
        time.sleep(1.5)  # the batch is being annotated
        if whole_group:
            os.killpg(proc.pid, signal.SIGTERM)
        else:
            proc.send_signal(signal.SIGTERM)
        time.sleep(0.5)
        with pytest.raises(httpx.TransportError):  # the listening socket is closed
            httpx.get(f"{url}/healthz", timeout=5)
        caller.join(timeout=120)
        assert result["status"] == 200
        assert [json.loads(line)["id"] for line in result["lines"]] == [a["id"] for a in batch]
        # uvicorn finishes its shutdown, then re-raises the signal it caught, as a process
        # stopped by SIGTERM should: it exits by itself, cleanly or by that signal.
        assert proc.wait(timeout=60) in (0, -signal.SIGTERM)
        assert b"Traceback" not in log_path.read_bytes()
        assert b"leaked" not in log_path.read_bytes()  # semaphores of the model-process pool
        gone, alive = psutil.wait_procs(children, timeout=30)
        assert not alive, f"processes left behind: {alive}"  # the model processes stop with the server
    finally:
        if proc.poll() is None:
            proc.kill()

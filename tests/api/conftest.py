"""A real uvicorn server on 127.0.0.1, started once for the API tests."""
from __future__ import annotations

import hashlib
import os
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from types import SimpleNamespace
from typing import Iterator

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
STARTUP_TIMEOUT_S = 120


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def started_server(log_dir: Path, args: list[str], env: dict[str, str] | None = None
                   ) -> Iterator[tuple[str, subprocess.Popen]]:
    """`args` (a server command without its port) on a free loopback port; (url, process),
    stopped with SIGTERM afterwards."""
    port = free_port()
    log_path = log_dir / "uvicorn.log"
    env = {**os.environ, "NEWSNLP_MAX_BYTES": "5000000", **(env or {})}
    with log_path.open("wb") as log:
        proc = subprocess.Popen([sys.executable, "-m", *args, "--port", str(port)],
                                cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_ready(url, proc, log_path)
        yield url, proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()


@contextmanager
def running_server(log_dir: Path, env: dict[str, str] | None = None) -> Iterator[str]:
    """uvicorn with the app factory on a free loopback port, stopped (SIGTERM) afterwards."""
    args = ["uvicorn", "api.main:create_app", "--factory", "--host", "127.0.0.1"]
    with started_server(log_dir, args, env) as (url, _):
        yield url


@pytest.fixture(scope="session")
def open_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """The service as `make run` starts it: open, default limits; (url, its log file)."""
    folder = tmp_path_factory.mktemp("server")
    with running_server(folder) as url:
        yield url, folder / "uvicorn.log"


@pytest.fixture(scope="session")
def server_url(open_server: tuple[str, Path]) -> str:
    return open_server[0]


@pytest.fixture(scope="session")
def server_log(open_server: tuple[str, Path]) -> Path:
    return open_server[1]


@dataclass(frozen=True)
class SecuredServer:
    """Keys on, a rate limit, CORS for one origin, and room for only two requests at once."""

    url: str
    key: str = "test-key-general-0123456789"
    rate_key: str = "test-key-rate-limit-abcdef"  # used by the rate-limit test alone
    rate_calls: int = 40
    rate_seconds: int = 4
    max_pending: int = 2
    origin: str = "https://newsroom.example"


@pytest.fixture(scope="session")
def secured_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SecuredServer]:
    folder = tmp_path_factory.mktemp("secured")
    config = SecuredServer(url="")
    keys = folder / "keys.txt"
    keys.write_text("# test keys\n" + "".join(
        hashlib.sha256(k.encode()).hexdigest() + "\n" for k in (config.key, config.rate_key)))
    env = {"NEWSNLP_API_KEYS_FILE": str(keys),
           "NEWSNLP_RATE_LIMIT": f"{config.rate_calls}/{config.rate_seconds} seconds",
           "NEWSNLP_MAX_PENDING": str(config.max_pending), "NEWSNLP_CORS_ORIGINS": config.origin}
    with running_server(folder, env) as url:
        yield replace(config, url=url)


def _wait_ready(url: str, proc: subprocess.Popen, log_path: Path) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}:\n{log_path.read_text()}")
        try:
            if httpx.get(f"{url}/readyz", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"server not ready after {STARTUP_TIMEOUT_S}s:\n{log_path.read_text()}")


@pytest.fixture()
def client(server_url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server_url, timeout=60) as c:
        yield c


@pytest.fixture(scope="session")
def server_tools() -> SimpleNamespace:
    """For tests that start their own server: the repo root, a free port, a readiness wait."""
    return SimpleNamespace(root=ROOT, free_port=free_port, wait_ready=_wait_ready, started_server=started_server)

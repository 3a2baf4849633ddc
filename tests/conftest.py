"""Shared fixtures. Expensive things (the spaCy pipeline, a running server) are
session-scoped; no test may reach beyond this machine."""
from __future__ import annotations

import ipaddress
import json
import socket
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPORA = ROOT / "corpora"
SEED_ID = "nzn_russian_deserters"


def _is_local(address: object) -> bool:
    if not isinstance(address, tuple) or not address:
        return True  # unix sockets and the like
    host = str(address[0])
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail any connection that leaves the machine: models load from packages, servers
    under test listen on 127.0.0.1."""
    real_connect = socket.socket.connect

    def guarded(self: socket.socket, address: object) -> object:
        if not _is_local(address):
            raise RuntimeError(f"test tried to reach the network: {address!r}")
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)


@pytest.fixture(scope="session")
def annotator():
    from nlp import Annotator
    from nlp.settings import Settings

    return Annotator(Settings())


@pytest.fixture(scope="session")
def nlp_pipeline(annotator):
    return annotator.nlp


@pytest.fixture(scope="session")
def seed_text() -> str:
    return (CORPORA / f"{SEED_ID}.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def seed_gold() -> dict:
    return json.loads((CORPORA / f"{SEED_ID}.gold.json").read_text(encoding="utf-8"))

"""Shared fixtures. Tests never touch the network: any socket connection fails loudly.

Shared helper functions live in the package ``tests/helpers`` (``from helpers import ...``).
"""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from helpers.paths import DATA, REPO
from helpers.programs import FAKE_AUTODOCK, FAKE_AUTOGRID, fake_bin


class NetworkAccessInTest(RuntimeError):
    pass


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make every outbound connection (except to loopback) raise."""
    real_connect = socket.socket.connect

    def guarded(self: socket.socket, address: object) -> object:
        host = address[0] if isinstance(address, tuple) else address
        if isinstance(host, str) and (host.startswith("127.") or host in ("localhost", "::1")):
            return real_connect(self, address)
        if self.family == socket.AF_UNIX:
            return real_connect(self, address)
        raise NetworkAccessInTest(f"test tried to open a network connection to {address!r}")

    monkeypatch.setattr(socket.socket, "connect", guarded)
    monkeypatch.setattr(socket, "create_connection",
                        lambda *a, **k: (_ for _ in ()).throw(NetworkAccessInTest(f"create_connection{a!r}")))


@pytest.fixture
def datadir() -> Path:
    """Folder of small real files (each subfolder has a README with its provenance)."""
    return DATA


@pytest.fixture
def repo() -> Path:
    return REPO


@pytest.fixture(scope="session")
def derived(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One parsed GO/Reactome library cache for the whole session (built once from netpharm/data)."""
    from netpharm.enrichment.library import load_library

    path = tmp_path_factory.getbasetemp() / "enrichment-derived"
    load_library(cache_dir=path)
    return path


@pytest.fixture
def fakebin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A PATH holding only the docking TEST DOUBLES (autogrid4, a counting autodock4) and cp/grep/dirname."""
    return fake_bin(tmp_path, monkeypatch, ("cp", "grep", "dirname"),
                    {"autogrid4": FAKE_AUTOGRID, "autodock4": FAKE_AUTODOCK})

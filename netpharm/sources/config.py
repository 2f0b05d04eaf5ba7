"""Configuration of the HTTP layer (``[sources]`` in a workflow TOML).

Timeouts, retries and an overall deadline per request, and where RCSB and PubChem
requests go. STRING's host is ``network.string_host`` (it is part of what is asked:
the pinned STRING version). RCSB/PubChem hosts only say *where* the same files are
fetched from (a mirror, or a test server injecting faults): cache keys keep the
canonical address, and the host that actually answered is recorded with each entry.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from netpharm.sources.constants import PUBCHEM_PUG, RCSB_DOWNLOAD

if TYPE_CHECKING:
    from netpharm.sources.http import HttpClient

__all__ = ["SourcesConfig"]

_LOOPBACK = ("http://127.0.0.1:", "http://127.0.0.1/", "http://localhost:", "http://localhost/")


@dataclass(frozen=True)
class SourcesConfig:
    """HTTP behaviour of a run.

    Attributes
    ----------
    timeout : float
        Seconds to wait for a server's answer (per attempt).
    connect_timeout : float
        Seconds to establish a connection (per attempt).
    retries : int
        Retries after a failed attempt (connection error, timeout, truncated body, 429, 5xx).
    backoff : float
        Back-off factor: sleep ``backoff * 2**n`` s before retry ``n`` (or the server's Retry-After).
    deadline : float
        Overall seconds one request may take, retries included.
    min_interval : float
        Minimum seconds between requests (STRING asks for about one call per second).
    rcsb_host, pubchem_host : str
        Base URLs replacing https://files.rcsb.org/download and
        https://pubchem.ncbi.nlm.nih.gov/rest/pug.
    """

    timeout: float = 60.0
    connect_timeout: float = 20.0
    retries: int = 4
    backoff: float = 1.0
    deadline: float = 600.0
    min_interval: float = 1.0
    rcsb_host: str = RCSB_DOWNLOAD
    pubchem_host: str = PUBCHEM_PUG

    def __post_init__(self) -> None:
        for key in ("timeout", "connect_timeout", "deadline"):
            value = getattr(self, key)
            if not (value > 0 and math.isfinite(value)):
                raise ValueError(f"{key} must be a positive number of seconds, got {value!r}")
        if not 0 <= self.retries <= 20:
            raise ValueError(f"retries must be within 0-20, got {self.retries}")
        for key in ("backoff", "min_interval"):
            value = getattr(self, key)
            if not (0 <= value <= 3600):
                raise ValueError(f"{key} must be within 0-3600 s, got {value!r}")
        for key in ("rcsb_host", "pubchem_host"):
            url = getattr(self, key)
            # TLS stays on; plain http only to this machine (a local mirror or a test server).
            if not (url.startswith("https://") or url.startswith(_LOOPBACK)):
                raise ValueError(f"{key} must be an https:// URL (plain http only for 127.0.0.1/localhost), "
                                 f"got {url!r}")

    def client(self) -> HttpClient:
        """The run's HTTP client."""
        from netpharm.sources.http import HttpClient  # requests only when a run needs it (fast --help)

        mirrors = {RCSB_DOWNLOAD: self.rcsb_host.rstrip("/"), PUBCHEM_PUG: self.pubchem_host.rstrip("/")}
        return HttpClient(timeout=self.timeout, connect_timeout=self.connect_timeout, retries=self.retries,
                          backoff=self.backoff, deadline=self.deadline, min_interval=self.min_interval,
                          mirrors={k: v for k, v in mirrors.items() if k != v})

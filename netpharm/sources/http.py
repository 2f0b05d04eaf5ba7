"""The one HTTP layer: a ``requests`` session with retries, timeouts and pacing.

Retries use urllib3's ``Retry`` (backoff on connection errors, timeouts, 429 and
5xx, honouring ``Retry-After``) rather than a hand-written loop. TLS verification
stays on. A minimum interval between calls keeps us within STRING's "about one call
per second" guidance.
"""

from __future__ import annotations

import logging
import threading
import time
from datetime import datetime, timezone
from typing import Any
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from netpharm import __version__
from netpharm.errors import FetchError
from netpharm.sources.cache import Request

__all__ = ["HttpClient"]

log = logging.getLogger(__name__)


class HttpClient:
    """Send :class:`~netpharm.sources.cache.Request` objects; raise :class:`FetchError` on failure.

    Parameters
    ----------
    timeout : float
        Seconds for connect and read.
    retries : int
        Total retries on connection errors, timeouts, 429 and 5xx.
    backoff : float
        urllib3 backoff factor (sleep ``backoff * 2**n`` between retries).
    min_interval : float
        Minimum seconds between two requests (STRING asks for ~1 s).
    """

    def __init__(self, timeout: float = 60.0, retries: int = 4, backoff: float = 1.0,
                 min_interval: float = 1.0, session: requests.Session | None = None) -> None:
        self.timeout = timeout
        self.min_interval = min_interval
        self._last = 0.0
        self._lock = threading.Lock()
        self.session = session or requests.Session()
        retry = Retry(total=retries, connect=retries, read=retries, status=retries,
                      backoff_factor=backoff, status_forcelist=(429, 500, 502, 503, 504),
                      allowed_methods=frozenset({"GET", "POST"}), respect_retry_after_header=True,
                      raise_on_status=False)
        adapter = HTTPAdapter(max_retries=retry)
        self.session.mount("https://", adapter)
        self.session.mount("http://", adapter)
        self.session.headers["User-Agent"] = f"netpharm/{__version__} (+reproducible network pharmacology)"

    def _pace(self) -> None:
        with self._lock:
            wait = self.min_interval - (time.monotonic() - self._last)
            if wait > 0:
                time.sleep(wait)
            self._last = time.monotonic()

    def send(self, request: Request) -> tuple[bytes, dict[str, Any]]:
        """Perform ``request``; return ``(body, metadata)`` for the cache."""
        self._pace()
        data = dict(request.params)
        log.info("HTTP %s %s", request.method, request.url)
        try:
            if request.method == "POST":
                resp = self.session.post(request.url, data=data, timeout=self.timeout, verify=True)
            else:
                resp = self.session.get(request.url, params=data, timeout=self.timeout, verify=True)
        except requests.RequestException as exc:
            raise FetchError(f"{request.method} {request.url} failed: {exc.__class__.__name__}: {exc}") from exc
        if resp.status_code >= 400:
            snippet = resp.text[:300].strip().replace("\n", " ")
            raise FetchError(f"{request.method} {request.url} returned HTTP {resp.status_code}: {snippet}",
                             status=resp.status_code)
        meta = {
            "http_status": resp.status_code,
            "host": urlsplit(resp.url).netloc,
            "content_type": resp.headers.get("Content-Type", ""),
            "retrieved_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        }
        return resp.content, meta

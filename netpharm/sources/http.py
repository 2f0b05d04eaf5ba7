"""The one HTTP layer: a ``requests`` session with retries, timeouts, an overall deadline and pacing.

Retries back off exponentially on connection errors, timeouts, 429 and 5xx, honouring
``Retry-After``. The loop is written here rather than left to urllib3's ``Retry``
because ``Retry`` has no overall deadline: a slow or flapping server could otherwise
hold a run for ``retries × timeout`` plus every back-off. Bodies are read in chunks
against the same deadline (a server dribbling bytes never trips a per-read timeout),
and a body shorter than its ``Content-Length`` is an error, not an answer. TLS
verification stays on. A minimum interval between calls keeps us within STRING's
"about one call per second" guidance.
"""

from __future__ import annotations

import email.utils
import logging
import tempfile
import threading
import time
from collections.abc import Mapping
from datetime import datetime, timezone
from typing import Any
from urllib.parse import urlsplit

import requests
import urllib3

from netpharm import __version__
from netpharm.errors import FetchError
from netpharm.sources.cache import Request

__all__ = ["HttpClient", "RETRY_STATUS"]

log = logging.getLogger(__name__)

RETRY_STATUS = frozenset({429, 500, 502, 503, 504})
_MAX_BODY = 512 * 1024 * 1024  # no answer netpharm asks for is larger; refuse runaway bodies
#: per source, well above the largest answer netpharm asks for: PubChem's property JSON is a few kB, a STRING
#: network or enrichment for a few hundred proteins a few MB; mmCIF files of the largest entries reach hundreds of MB
MAX_BODY = {"pubchem": 8 * 2**20, "string": 128 * 2**20, "rcsb": _MAX_BODY}
_SPOOL = 8 * 2**20  # bodies above this are spooled to a temporary file while they arrive, not held twice


def _causes(exc: BaseException) -> list[BaseException]:
    """``exc`` and what it wraps (``__cause__``/``__context__`` and urllib3's ``reason``), outermost first."""
    seen: list[BaseException] = []
    todo: list[object] = [exc]
    while todo:
        item = todo.pop(0)
        if not isinstance(item, BaseException) or any(item is s for s in seen):
            continue
        seen.append(item)
        todo += [item.__cause__, item.__context__, getattr(item, "reason", None)]
        todo += [a for a in item.args if isinstance(a, BaseException)]
    return seen


def network_problem(exc: BaseException, host: str, timeout: float) -> str:
    """A failed connection in plain words (requests' messages show urllib3's object reprs and pool names)."""
    chain = _causes(exc)
    kinds = {type(e) for e in chain}
    if any(issubclass(k, requests.exceptions.SSLError) or issubclass(k, urllib3.exceptions.SSLError) for k in kinds):
        return (f"TLS failed with {host}: its certificate is not trusted or the handshake failed (TLS verification "
                "stays on; point REQUESTS_CA_BUNDLE at your organisation's CA if it intercepts TLS)")
    if requests.exceptions.ConnectTimeout in kinds or urllib3.exceptions.ConnectTimeoutError in kinds:
        return f"no connection to {host} within {timeout:g} s (connect timeout)"
    if any(issubclass(k, (requests.exceptions.ReadTimeout, urllib3.exceptions.ReadTimeoutError)) for k in kinds):
        return f"no answer from {host} within {timeout:g} s (read timeout)"
    if any("NameResolution" in k.__name__ for k in kinds):
        return f"cannot resolve the host name {host} (no network, or a wrong host)"
    errors = [e for e in chain if isinstance(e, OSError) and e.errno is not None]
    if errors:
        return f"cannot connect to {host}: {(errors[0].strerror or str(errors[0])).lower()}"
    if any(issubclass(k, (requests.exceptions.ChunkedEncodingError, urllib3.exceptions.ProtocolError)) for k in kinds):
        return f"the connection to {host} broke mid-answer"
    return f"the request to {host} failed ({str(exc).splitlines()[0][:200] if str(exc) else 'no reason given'})"


class _Retryable(Exception):
    """One attempt failed in a way worth retrying."""

    def __init__(self, why: str, wait: float | None = None, status: int | None = None) -> None:
        super().__init__(why)
        self.wait = wait
        self.status = status


def _retry_after(resp: requests.Response) -> float | None:
    value = resp.headers.get("Retry-After")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        when = email.utils.parsedate_to_datetime(value)
        return max(0.0, (when - datetime.now(timezone.utc)).total_seconds()) if when else None


class HttpClient:
    """Send :class:`~netpharm.sources.cache.Request` objects; raise :class:`FetchError` on failure.

    Parameters
    ----------
    timeout : float
        Seconds to wait for the server (read); also the connect timeout unless ``connect_timeout`` is given.
    retries : int
        Retries after the first attempt on connection errors, timeouts, truncated bodies, 429 and 5xx.
    backoff : float
        Sleep ``backoff * 2**n`` seconds before retry ``n`` (or the server's ``Retry-After``).
    min_interval : float
        Minimum seconds between two requests (STRING asks for ~1 s).
    deadline : float
        Overall seconds one :meth:`send` may take, retries, back-off and body included.
    connect_timeout : float or None
        Seconds to establish the connection.
    mirrors : mapping of str to str
        Base URL → base URL to send to instead (RCSB/PubChem mirrors, test servers); the
        request, and so its cache key, keeps the canonical address.
    """

    def __init__(self, timeout: float = 60.0, retries: int = 4, backoff: float = 1.0,
                 min_interval: float = 1.0, session: requests.Session | None = None,
                 deadline: float = 600.0, connect_timeout: float | None = None,
                 mirrors: Mapping[str, str] | None = None) -> None:
        if not (timeout > 0 and deadline > 0 and retries >= 0 and backoff >= 0 and min_interval >= 0):
            raise ValueError("HTTP timeout and deadline must be positive; retries, backoff, min_interval >= 0")
        self.timeout = timeout
        self.connect_timeout = connect_timeout
        self.retries = retries
        self.backoff = backoff
        self.deadline = deadline
        self.min_interval = min_interval
        self.mirrors = dict(mirrors or {})
        self._last = 0.0
        self._lock = threading.Lock()
        self.session = session or requests.Session()
        self.session.headers["User-Agent"] = f"netpharm/{__version__} (+reproducible network pharmacology)"

    def _pace(self) -> None:
        with self._lock:
            wait = self.min_interval - (time.monotonic() - self._last)
            if wait > 0:
                time.sleep(wait)
            self._last = time.monotonic()

    def _timeout(self, remaining: float) -> float | tuple[float, float]:
        read = min(self.timeout, remaining)
        if self.connect_timeout is None:
            return read
        return (min(self.connect_timeout, remaining), read)

    def _read_body(self, resp: requests.Response, end: float, cap: int = _MAX_BODY) -> bytes:
        """The body, read as it arrives into a spooled temporary file (memory holds it once, not chunk list and
        join), refused as soon as it passes ``cap`` bytes (before reading, when ``Content-Length`` says so)."""
        declared = resp.headers.get("Content-Length")
        if declared and declared.isdigit() and int(declared) > cap:
            raise FetchError(f"answer of {int(declared) / 2**20:.0f} MB is larger than the {cap // 2**20} MB "
                             "netpharm accepts from this source; nothing was read")
        size = 0
        # read1 returns what has arrived (iter_content blocks until a whole chunk is in), so a
        # server dribbling bytes is stopped at the deadline, not after the last byte.
        read1 = getattr(resp.raw, "read1", None)
        pieces = iter(lambda: read1(65536, decode_content=True), b"") if read1 is not None \
            else resp.iter_content(chunk_size=65536)
        with tempfile.SpooledTemporaryFile(max_size=_SPOOL) as spool:
            for chunk in pieces:
                spool.write(chunk)
                size += len(chunk)
                if size > cap:
                    raise FetchError(f"answer larger than the {cap // 2**20} MB netpharm accepts from this source "
                                     "(stopped reading)")
                if time.monotonic() > end:
                    raise _Retryable(f"body still arriving when the {self.deadline:g} s deadline passed")
            spool.seek(0)
            body = spool.read()
        if declared and declared.isdigit() and resp.headers.get("Content-Encoding") in (None, "identity") \
                and len(body) < int(declared):
            raise _Retryable(f"truncated answer: {len(body)} of {declared} bytes")
        return body

    def route(self, url: str) -> str:
        """The address ``url`` is actually sent to (after ``mirrors``)."""
        for base, mirror in self.mirrors.items():
            if url == base or url.startswith(base.rstrip("/") + "/"):
                return mirror + url[len(base.rstrip("/")):]
        return url

    def _attempt(self, request: Request, url: str, end: float) -> tuple[requests.Response, bytes]:
        remaining = end - time.monotonic()
        if remaining <= 0:
            raise _Retryable("deadline passed")
        data = dict(request.params)
        try:
            if request.method == "POST":
                resp = self.session.post(url, data=data, timeout=self._timeout(remaining), verify=True,
                                         stream=True)
            else:
                resp = self.session.get(url, params=data, timeout=self._timeout(remaining), verify=True,
                                        stream=True)
            with resp:
                if resp.status_code in RETRY_STATUS:
                    snippet = resp.text[:300].strip().replace("\n", " ")
                    raise _Retryable(f"HTTP {resp.status_code}: {snippet}", _retry_after(resp), resp.status_code)
                return resp, self._read_body(resp, end, MAX_BODY.get(request.source, _MAX_BODY))
        except urllib3.exceptions.ProtocolError as exc:
            raise _Retryable(f"truncated answer (connection broken mid-body): {exc}") from exc
        except (requests.RequestException, urllib3.exceptions.HTTPError) as exc:
            raise _Retryable(network_problem(exc, urlsplit(url).netloc, self.timeout)) from exc

    def send(self, request: Request) -> tuple[bytes, dict[str, Any]]:
        """Perform ``request``; return ``(body, metadata)`` for the cache.

        Raises
        ------
        FetchError
            A 4xx answer (not retried, except 429), or every attempt failed, or the
            deadline passed — the endpoint, the attempts and the last failure named.
        """
        start = time.monotonic()
        end = start + self.deadline
        url = self.route(request.url)
        attempt = 0
        while True:
            self._pace()
            attempt += 1
            log.info("HTTP %s %s%s", request.method, url, f" (attempt {attempt})" if attempt > 1 else "")
            try:
                resp, body = self._attempt(request, url, end)
                break
            except _Retryable as exc:
                wait = exc.wait if exc.wait is not None else self.backoff * 2 ** (attempt - 1)
                elapsed = time.monotonic() - start
                if attempt > self.retries or elapsed + wait >= self.deadline:
                    limit = (f"after {attempt} attempt(s)" if attempt > self.retries
                             else f"within the {self.deadline:g} s deadline ({attempt} attempt(s))")
                    raise FetchError(f"{request.method} {url} failed {limit}: {exc}", status=exc.status) from exc
                log.warning("%s %s: %s; retrying in %.1f s", request.method, url, exc, wait)
                time.sleep(wait)
        if resp.status_code >= 400:
            snippet = body[:300].decode("utf-8", errors="replace").strip().replace("\n", " ")
            raise FetchError(f"{request.method} {url} returned HTTP {resp.status_code}: {snippet}",
                             status=resp.status_code)
        meta = {
            "http_status": resp.status_code,
            "host": urlsplit(resp.url).netloc,
            "content_type": resp.headers.get("Content-Type", ""),
            "retrieved_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        }
        return body, meta

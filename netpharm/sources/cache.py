"""One on-disk cache for every remote response and imported file.

Layout (inside the cache root, ``cache/`` by default)::

    entries/<key>.body        raw bytes exactly as returned / imported
    entries/<key>.meta.json   URL, method, parameters, source, version, host,
                              retrieval time, HTTP status, sha256 of the body

``key`` is the sha256 of the canonical request (method, URL, sorted parameters), so
it is 64 hex digits and can never name a path outside the cache folder. Bodies are
stored as returned (JSON/TSV/mmCIF text) — never pickled. Writes are atomic; reads
verify the body's sha256 and refuse a corrupt entry rather than use it.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from netpharm.errors import CacheCorruptError, CacheMissError
from netpharm.io import write_bytes_atomic, write_json_atomic

__all__ = ["Request", "CacheEntry", "Cache", "sha256_hex"]

_KEY = re.compile(r"^[0-9a-f]{64}$")


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class Request:
    """A canonical remote request: what the cache key is computed from.

    ``params`` are the form/query parameters actually sent (identifiers joined by
    ``\\r`` for STRING). ``source`` is a label such as ``"string"`` or ``"rcsb"``.
    """

    method: str
    url: str
    params: tuple[tuple[str, str], ...] = ()
    source: str = ""

    @classmethod
    def make(cls, method: str, url: str, params: Mapping[str, Any] | None = None,
             source: str = "") -> Request:
        items = tuple(sorted((str(k), str(v)) for k, v in (params or {}).items()))
        return cls(method.upper(), url, items, source)

    @property
    def key(self) -> str:
        canonical = json.dumps([self.method, self.url, list(self.params)], separators=(",", ":"))
        return sha256_hex(canonical.encode("utf-8"))

    def describe(self) -> str:
        """Human-readable one-liner for error messages (identifiers shown with ``,``)."""
        shown = ", ".join(f"{k}={v.replace(chr(13), ',')}" for k, v in self.params)
        return f"{self.method} {self.url} [{shown}]"


@dataclass(frozen=True)
class CacheEntry:
    """A stored body with its metadata."""

    key: str
    body: bytes
    meta: dict[str, Any] = field(hash=False)

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")

    @property
    def sha256(self) -> str:
        return str(self.meta["sha256"])

    def provenance(self) -> dict[str, Any]:
        """The metadata without bulky parameters, for manifests."""
        keep = ("source", "kind", "method", "url", "retrieved_at", "http_status", "sha256",
                "string_version", "host", "file", "declared_version", "note", "wwpdb_revision", "mirror")
        out = {k: self.meta[k] for k in keep if k in self.meta}
        out["key"] = self.key
        return out


class Cache:
    """The project's single store of remote responses and imported files.

    Parameters
    ----------
    root : Path
        Cache folder (created on first write).
    offline : bool
        If true, :meth:`fetch` never calls the network and raises
        :class:`~netpharm.errors.CacheMissError` naming the missing request.
    """

    def __init__(self, root: Path | str, offline: bool = False) -> None:
        self.root = Path(root)
        self.offline = offline
        self.used: dict[str, CacheEntry] = {}

    # -- paths ---------------------------------------------------------------
    def _paths(self, key: str) -> tuple[Path, Path]:
        if not _KEY.match(key):
            raise ValueError(f"invalid cache key {key!r}: must be 64 lowercase hex digits")
        base = self.root / "entries"
        return base / f"{key}.body", base / f"{key}.meta.json"

    # -- reading -------------------------------------------------------------
    def load(self, key: str) -> CacheEntry | None:
        """Return the verified entry for ``key``, ``None`` if absent.

        Raises
        ------
        CacheCorruptError
            The body's sha256 differs from the recorded one, or the metadata is unreadable.
        """
        body_path, meta_path = self._paths(key)
        if not (body_path.exists() and meta_path.exists()):
            return None
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise CacheCorruptError(f"cache entry {key}: unreadable metadata ({exc})") from exc
        body = body_path.read_bytes()
        actual = sha256_hex(body)
        if actual != meta.get("sha256"):
            raise CacheCorruptError(
                f"cache entry {key} ({meta.get('url') or meta.get('file')}): body sha256 {actual} "
                f"!= recorded {meta.get('sha256')}; delete it or refetch with --refresh"
            )
        entry = CacheEntry(key, body, meta)
        self.used[key] = entry
        return entry

    def get(self, request: Request) -> CacheEntry | None:
        return self.load(request.key)

    # -- writing -------------------------------------------------------------
    def store(self, key: str, body: bytes, meta: Mapping[str, Any]) -> CacheEntry:
        """Store ``body`` under ``key`` with ``meta`` (sha256 and time are added)."""
        body_path, meta_path = self._paths(key)
        full = dict(meta)
        full["sha256"] = sha256_hex(body)
        full.setdefault("retrieved_at", datetime.now(timezone.utc).isoformat(timespec="seconds"))
        write_bytes_atomic(body_path, body)
        write_json_atomic(meta_path, full)
        entry = CacheEntry(key, body, full)
        self.used[key] = entry
        return entry

    def put(self, request: Request, body: bytes, **meta: Any) -> CacheEntry:
        """Store the response to ``request``."""
        record = {"kind": "response", "source": request.source, "method": request.method,
                  "url": request.url, "params": dict(request.params), **meta}
        return self.store(request.key, body, record)

    def fetch(self, request: Request, download: Callable[[Request], tuple[bytes, dict[str, Any]]],
              refresh: bool = False) -> CacheEntry:
        """Return the cached response to ``request``, downloading it on a miss.

        ``download(request)`` returns ``(body, metadata)``; it is only called online.
        """
        if not refresh:
            entry = self.get(request)
            if entry is not None:
                return entry
        if self.offline:
            raise CacheMissError(
                f"offline and not in cache ({self.root}): {request.describe()} — "
                "run once online to record it, or import the data with `netpharm import`"
            )
        body, meta = download(request)
        return self.put(request, body, **meta)

    # -- listing / verifying -------------------------------------------------
    def keys(self) -> Iterator[str]:
        base = self.root / "entries"
        if not base.is_dir():
            return iter(())
        return iter(sorted(p.name[: -len(".meta.json")] for p in base.glob("*.meta.json")))

    def list_entries(self) -> list[dict[str, Any]]:
        """Metadata of every entry (not verified; use :meth:`verify` for that)."""
        rows = []
        for key in self.keys():
            _, meta_path = self._paths(key)
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            rows.append({"key": key, **meta})
        return rows

    def verify(self) -> list[tuple[str, str]]:
        """Check every entry; return ``(key, problem)`` for each bad one (empty = all good)."""
        problems: list[tuple[str, str]] = []
        for key in self.keys():
            try:
                if self.load(key) is None:
                    problems.append((key, "body file missing"))
            except CacheCorruptError as exc:
                problems.append((key, str(exc)))
        return problems

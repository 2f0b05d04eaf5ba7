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

import json
import logging
import os
import re
import zipfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from netpharm.errors import CacheCorruptError, CacheMissError, FetchError, InputError
from netpharm.io import bytes_sha256, is_temp_file, read_json, write_bytes_atomic, write_json_atomic
from netpharm.sources.validate import Validator, validator_for

__all__ = ["Request", "CacheEntry", "Cache", "REFRESH_SOURCES", "DERIVED"]

log = logging.getLogger(__name__)

_KEY = re.compile(r"^[0-9a-f]{64}$")
_ENTRY_FILE = re.compile(r"^([0-9a-f]{64})\.(body|meta\.json)$")
#: ``--refresh`` words besides a key prefix: every entry, corrupt/malformed ones, or one source's.
REFRESH_SOURCES = ("all", "corrupt", "string", "rcsb", "pubchem")
#: Folder (inside the cache root) of data netpharm derives from its inputs and can rebuild.
DERIVED = "derived"


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
        return bytes_sha256(canonical.encode("utf-8"))

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
        # utf-8-sig: an imported export saved with a byte-order mark reads like one without.
        return self.body.decode("utf-8-sig")

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
    refresh : sequence of str
        Entries :meth:`fetch` downloads again instead of reading: ``"all"``, ``"corrupt"``
        (entries whose body fails its sha256 or shape check), a source (``"string"``,
        ``"rcsb"``, ``"pubchem"``) or a key prefix (at least 6 hex digits, as ``cache list`` shows).
    """

    def __init__(self, root: Path | str, offline: bool = False, refresh: Sequence[str] = ()) -> None:
        self.root = Path(root)
        if self.root.exists() and not self.root.is_dir():
            raise InputError(f"cache path {self.root} is a file, not a folder")
        self.offline = offline
        self.refresh = tuple(_check_refresh(r) for r in refresh)
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
        for path in (body_path, meta_path):
            if path.is_symlink():  # it may lead anywhere: an entry is a plain file inside the cache
                raise CacheCorruptError(f"cache entry {key}: {path.name} is a symbolic link (to {os.readlink(path)}), "
                                        "not a file of the cache; refused (delete it or refetch with --refresh)")
        meta = read_json(meta_path, "metadata", CacheCorruptError, origin=f"cache entry {key}")
        if isinstance(meta, dict) and meta.get("key", key) != key:
            raise CacheCorruptError(f"cache entry {key}: its metadata names another key ({str(meta['key'])[:80]!r}); "
                                    "delete it or refetch with --refresh")
        body = body_path.read_bytes()
        actual = bytes_sha256(body)
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
        full["sha256"] = bytes_sha256(body)
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

    def _wants_refresh(self, request: Request) -> bool:
        return any(r == "all" or r == request.source or (r not in REFRESH_SOURCES and request.key.startswith(r))
                   for r in self.refresh)

    def _cached(self, request: Request, check: Validator | None) -> CacheEntry | None:
        """The verified, well-formed cached answer, ``None`` on a miss; corrupt → refetch or raise."""
        try:
            entry = self.get(request)
            if entry is not None and check is not None:
                try:
                    check(entry.body, f"{request.method} {request.url}")
                except FetchError as exc:
                    self.used.pop(entry.key, None)
                    raise CacheCorruptError(f"cache entry {entry.key} is a malformed answer ({exc}); "
                                            "refetch it with --refresh") from exc
            return entry
        except CacheCorruptError:
            if "corrupt" not in self.refresh or self.offline:
                raise
            log.warning("cache entry %s is corrupt; fetching it again (--refresh corrupt)", request.key)
            return None

    def fetch(self, request: Request, download: Callable[[Request], tuple[bytes, dict[str, Any]]],
              refresh: bool = False, validate: Validator | None = None) -> CacheEntry:
        """Return the cached response to ``request``, downloading it on a miss.

        ``download(request)`` returns ``(body, metadata)``; it is only called online. The
        body must pass ``validate`` (default: the endpoint's check from
        :func:`~netpharm.sources.validate.validator_for`) before it is stored, so a
        malformed answer (HTML, empty, truncated, not UTF-8) raises
        :class:`~netpharm.sources.validate.MalformedAnswer` and is never cached.
        """
        check = validate or validator_for(request.source, request.url)
        wanted = refresh or self._wants_refresh(request)
        if not wanted:
            entry = self._cached(request, check)
            if entry is not None:
                return entry
        if self.offline:
            raise CacheMissError(
                f"offline and {'asked to refresh' if wanted else 'not in cache'} ({self.root}): {request.describe()} — "
                "run online to record it, or import the data with `netpharm import`"
            )
        body, meta = download(request)
        if check is not None:
            check(body, f"{request.method} {request.url}")
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
            try:
                meta = read_json(meta_path, "metadata", CacheCorruptError)
            except CacheCorruptError:
                meta = {"source": "?", "url": "(unreadable metadata: run `netpharm cache verify`)"}
            # the file name is the key: a "key" written in the metadata is never shown in its place
            rows.append({**(meta if isinstance(meta, dict) else {}), "key": key})
        return rows

    def _check_entry(self, key: str) -> str:
        """The problem of one entry that has both files ('' = good)."""
        try:
            entry = self.load(key)
        except CacheCorruptError as exc:
            return str(exc)
        if entry is None:  # pragma: no cover - both files were seen a moment ago
            return "vanished while verifying"
        if not isinstance(entry.meta, dict) or "sha256" not in entry.meta:
            return "malformed metadata (no sha256)"
        check = validator_for(str(entry.meta.get("source", "")), str(entry.meta.get("url", "")))
        # A mirrored wwPDB file is read through the same check as a download, so it is verified the same way.
        if check is not None and entry.meta.get("kind", "response") in ("response", "mirror"):
            try:
                check(entry.body, f"{entry.meta.get('method', '')} {entry.meta.get('url', '')}".strip())
            except FetchError as exc:
                return f"malformed answer ({exc}); refetch it with --refresh"
        return ""

    def verify(self) -> list[tuple[str, str]]:
        """Check the whole cache folder; return ``(name, problem)`` per bad entry or file (empty = all good).

        Problems: a body without metadata (orphan), metadata without body, unreadable or
        malformed metadata, a body whose sha256 differs, a cached answer of the wrong shape
        or content (an mmCIF that does not parse or names another entry, a SMILES that does
        not parse), any stray file (leftover temporary files included), and under
        ``derived/`` a data file that does not read back (named ``derived/...``).

        Raises
        ------
        InputError
            The cache path does not exist or is not a folder.
        """
        if not self.root.is_dir():
            raise InputError(f"cache folder not found: {self.root}" if not self.root.exists()
                             else f"cache path {self.root} is not a folder")
        base = self.root / "entries"
        if base.exists() and not base.is_dir():
            return [("entries", f"{base} is a file, not the entries folder")]
        problems: list[tuple[str, str]] = []
        seen: dict[str, set[str]] = {}
        for path in sorted(base.iterdir()) if base.is_dir() else []:
            match = _ENTRY_FILE.match(path.name)
            if path.is_symlink():
                problems.append((path.name, f"symbolic link (to {os.readlink(path)}) in {base}: entries must be "
                                            "files of the cache"))
                continue
            if match is None or not path.is_file():
                why = "temporary file left by an interrupted write" if is_temp_file(path) else "stray file"
                problems.append((path.name, f"{why} in {base}"))
                continue
            seen.setdefault(match.group(1), set()).add(match.group(2))
        for key, kinds in sorted(seen.items()):
            if kinds == {"body"}:
                problems.append((key, "orphan body: metadata file missing"))
            elif kinds == {"meta.json"}:
                problems.append((key, "metadata without body file"))
            else:
                problem = self._check_entry(key)
                if problem:
                    problems.append((key, problem))
        return problems + self._check_derived()

    def _check_derived(self) -> list[tuple[str, str]]:
        """``(derived/..., problem)`` per derived data file that does not read back.

        ``derived/`` holds data netpharm rebuilds from its inputs (the parsed GO/Reactome
        library); its readers rebuild a damaged file, and this lets ``cache verify`` say so.
        """
        base = self.root / DERIVED
        problems = []
        for path in sorted(base.rglob("*")) if base.is_dir() else []:
            if path.is_file():
                problem = "temporary file left by an interrupted write" if is_temp_file(path) else _derived_problem(path)
                if problem:
                    problems.append((path.relative_to(self.root).as_posix(), problem))
        return problems

    def count(self) -> int:
        """Number of entries (keys with a body or a metadata file)."""
        base = self.root / "entries"
        if not base.is_dir():
            return 0
        return len({m.group(1) for p in base.iterdir() if (m := _ENTRY_FILE.match(p.name))})


def _derived_problem(path: Path) -> str:
    """Why a derived ``.npz`` (a zip of arrays) or ``.json`` file does not read back ('' = it does)."""
    try:
        if path.suffix == ".npz":
            with zipfile.ZipFile(path) as archive:
                bad = archive.testzip()  # reads every member and checks its CRC-32
            if bad is not None:
                return f"corrupt derived file (member {bad} fails its CRC); it is rebuilt on the next run"
        elif path.suffix == ".json":
            json.loads(path.read_bytes())
    except (OSError, EOFError, ValueError, zipfile.BadZipFile) as exc:
        return f"corrupt derived file ({exc}); it is rebuilt on the next run"
    return ""


def _check_refresh(word: str) -> str:
    word = word.strip().lower()
    if word in REFRESH_SOURCES or (len(word) >= 6 and all(c in "0123456789abcdef" for c in word)):
        return word
    raise InputError(f"--refresh {word!r}: give all, corrupt, string, rcsb, pubchem or a cache key prefix "
                     "(at least 6 hex digits, see `netpharm cache list`)")

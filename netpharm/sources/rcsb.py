"""RCSB PDB structure files, fetched through the project cache."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import gemmi

from netpharm.errors import CacheMissError, FetchError, InputError, StructureNotFoundError
from netpharm.sources.cache import Cache, CacheEntry, Request
from netpharm.sources.constants import RCSB_DOWNLOAD, is_pdb_id
from netpharm.sources.http import HttpClient
from netpharm.sources.validate import expect_rcsb_entry

__all__ = ["fetch_structure", "structure_request", "record_mirrored_entry", "wwpdb_revision"]



def structure_request(pdb_id: str, fmt: str = "cif") -> Request:
    """The cache request for an RCSB entry (``fmt`` = ``cif`` or ``pdb``)."""
    if not is_pdb_id(pdb_id):
        raise StructureNotFoundError(f"{pdb_id!r} is not a PDB id (4 characters, starting with a digit)")
    if fmt not in ("cif", "pdb"):
        raise ValueError(f"format must be 'cif' or 'pdb', got {fmt!r}")
    return Request.make("GET", f"{RCSB_DOWNLOAD}/{pdb_id.upper()}.{fmt}", source="rcsb")


def fetch_structure(pdb_id: str, cache: Cache, http: HttpClient | None = None, fmt: str = "cif") -> CacheEntry:
    """Return the mmCIF (default) or PDB file of ``pdb_id`` from the cache, downloading on a miss.

    Raises
    ------
    StructureNotFoundError
        Malformed id, or RCSB answers 404.
    CacheMissError
        Offline and not cached.
    FetchError
        Any other HTTP failure.
    """
    request = structure_request(pdb_id, fmt)
    client = http or HttpClient(min_interval=0.2)
    try:
        return cache.fetch(request, client.send)
    except CacheMissError:
        raise
    except FetchError as exc:
        if exc.status == 404:
            raise StructureNotFoundError(f"PDB entry {pdb_id.upper()} not found at RCSB ({request.url})") from exc
        raise


def wwpdb_revision(text: str) -> tuple[str, str]:
    """(entry id, latest wwPDB revision "major.minor (date)") read from an mmCIF entry's own
    ``_entry.id`` and ``_pdbx_audit_revision_history`` (empty revision when the file has none).

    Raises
    ------
    InputError
        The text is not an mmCIF data block.
    """
    try:
        block = gemmi.cif.read_string(text).sole_block()
    except (RuntimeError, ValueError) as exc:
        raise InputError(f"not an mmCIF entry: {exc}") from exc
    entry_id = block.find_value("_entry.id") or block.name
    table = block.find("_pdbx_audit_revision_history.", ["major_revision", "minor_revision", "revision_date"])
    revisions = [(int(row[0]), int(row[1]), row[2]) for row in table]
    if not revisions:
        return str(entry_id).upper(), ""
    major, minor, date = max(revisions)
    return str(entry_id).upper(), f"{major}.{minor} ({date})"


def record_mirrored_entry(path: Path | str, pdb_id: str, cache: Cache, mirror: dict[str, str],
                          note: str = "") -> CacheEntry:
    """Store a wwPDB mmCIF copied from a mirror under the key an RCSB fetch of ``pdb_id`` uses.

    A workflow naming ``receptor = "6PT2"`` then resolves offline through
    :func:`fetch_structure`, the same code path as online. The body is stored byte for byte;
    the metadata names the mirror (``repo``, ``commit``, ``path``, ``git_blob``) and the file's
    own wwPDB revision, because a current RCSB download may be a later revision.

    Raises
    ------
    InputError
        The file is missing, is not an mmCIF entry, or holds another entry than ``pdb_id``.
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(f"structure file not found: {path}")
    body = path.read_bytes()
    entry_id, revision = wwpdb_revision(body.decode("utf-8"))
    if entry_id != pdb_id.upper():
        raise InputError(f"{path}: the file is entry {entry_id}, not {pdb_id.upper()}")
    request = structure_request(pdb_id)
    try:  # the check every read of the entry makes: a copy cut short is refused now, not at every later run
        expect_rcsb_entry(pdb_id)(body, str(path))
    except FetchError as exc:
        raise InputError(str(exc).replace(f"{path} returned ", f"{path}: ", 1)) from exc
    meta: dict[str, Any] = {"file": path.name, "wwpdb_revision": revision, "mirror": dict(mirror),
                            "note": note or f"wwPDB entry {entry_id} (revision {revision}) copied byte for byte "
                                            f"from {mirror.get('repo')} {mirror.get('path')} at commit "
                                            f"{mirror.get('commit')}, not downloaded from RCSB"}
    return cache.put(request, body, kind="mirror", **meta, http_status=None, host="mirror")

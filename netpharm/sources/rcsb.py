"""RCSB PDB structure files, fetched through the project cache."""

from __future__ import annotations

from netpharm.errors import CacheMissError, FetchError, StructureNotFoundError
from netpharm.sources.cache import Cache, CacheEntry, Request
from netpharm.sources.constants import RCSB_DOWNLOAD, is_pdb_id
from netpharm.sources.http import HttpClient

__all__ = ["fetch_structure", "structure_request"]



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

"""Each compound → target or disease file recorded in the cache, verbatim, with its sha256.

Server results are not versioned (SwissTargetPrediction, GeneCards and DisGeNET answer differently next
month), so the file is the version: it is stored the way ``netpharm import`` stores a STRING export
(:class:`~netpharm.sources.cache.Cache` entry, ``source`` "import", ``kind`` "target_source_import" as the
enrichment's imports use "enrichment_import", the file name and its sha256 in the metadata), keyed by its content so that the same file is one entry and a changed file a new one.
"""

from __future__ import annotations

from netpharm.compounds.intersect import SourceRead
from netpharm.io import bytes_sha256
from netpharm.sources.cache import Cache, CacheEntry, Request

__all__ = ["file_request", "record_source"]


def file_request(sha256: str) -> Request:
    """The cache request a target-source file with this content is stored under."""
    return Request.make("IMPORT", f"netpharm-target-source:{sha256}", source="import")


def record_source(cache: Cache, source: SourceRead) -> CacheEntry:
    """Store ``source``'s file (once per content) with its label, format, rule and counts."""
    sha = bytes_sha256(source.body)
    request = file_request(sha)
    existing = cache.get(request)
    if existing is not None:
        return existing
    meta = {"kind": "target_source_import", "source": "import", "label": source.spec.label, "file": source.path.name,
            "file_sha256": sha, "format": source.spec.format or "plain", "table": source.kind,
            "rule": source.read.rule, "rows": source.read.rows, "kept_rows": source.read.kept_rows,
            "note": "compound–target or disease gene file (server results are not versioned: the file is the version)"}
    return cache.store(request.key, source.body, meta)

"""STRING enrichment a user downloaded by hand, recorded in the cache like a network export.

``netpharm import FILE --kind enrichment --label L`` validates the file
(:func:`~netpharm.enrichment.string_formats.parse_enrichment_file`) and stores it verbatim with its
sha256, format, declared STRING version and provenance note; a workflow names the labels in
``[enrichment] string_imports`` and the offline run then cites STRING's own FDR from them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from netpharm.enrichment.string_formats import ParsedEnrichment, parse_enrichment_file
from netpharm.errors import CacheMissError, InputError
from netpharm.io import bytes_sha256
from netpharm.sources.cache import Cache, CacheEntry, Request

__all__ = ["enrichment_import_request", "record_enrichment_import", "load_enrichment_imports", "ImportedEnrichment"]


def enrichment_import_request(label: str) -> Request:
    """The cache request under which an enrichment import labelled ``label`` is stored."""
    if not label or any(c in label for c in "\r\n\t"):
        raise InputError(f"invalid import label {label!r}")
    return Request.make("IMPORT", f"netpharm-enrichment-import:{label}", source="import")


def record_enrichment_import(path: Path, cache: Cache, label: str, declared_version: str | None = None,
                             note: str = "", force: bool = False, category: str | None = None) -> CacheEntry:
    """Validate a STRING enrichment file and store it verbatim in the cache under ``label``.

    Raises
    ------
    ImportFormatError
        Not a STRING enrichment table, or a malformed row (file and line named).
    InputError
        Missing file, or the label holds another file and ``force`` is false.
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(f"import file not found: {path}")
    body = path.read_bytes()
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 text ({exc})") from None
    parsed = parse_enrichment_file(text, str(path), path.name, category)
    request = enrichment_import_request(label)
    existing = cache.get(request)
    if existing is not None and existing.sha256 != bytes_sha256(body) and not force:
        raise InputError(f"enrichment import label {label!r} already holds another file "
                         f"({existing.meta.get('file')}); choose another label or pass --force")
    taxa = sorted({t for t in parsed.table["ncbiTaxonId"] if t})
    meta = {"kind": "enrichment_import", "source": "import", "label": label, "file": path.name,
            "file_sha256": bytes_sha256(body), "format": parsed.format, "rows": len(parsed.table),
            "categories": list(parsed.categories), "absent_columns": list(parsed.absent_columns),
            "unmapped_categories": list(parsed.unmapped_categories), "ncbi_taxon_ids": taxa,
            "category_given": category, "declared_version": declared_version, "note": note}
    return cache.store(request.key, body, meta)


@dataclass(frozen=True)
class ImportedEnrichment:
    """The merged table of several imports, with the entries and the conflicts found."""

    table: pd.DataFrame
    entries: tuple[CacheEntry, ...]
    conflicts: tuple[str, ...]
    formats: tuple[str, ...]

    def provenance(self) -> list[dict[str, Any]]:
        out = []
        for entry in self.entries:
            record = entry.provenance()
            record.update({k: entry.meta.get(k) for k in ("label", "format", "rows", "absent_columns")})
            out.append(record)
        return out


def _parse_entry(entry: CacheEntry, label: str) -> ParsedEnrichment:
    return parse_enrichment_file(entry.text, f"import:{label} ({entry.meta.get('file')})",
                                 str(entry.meta.get("file", "")), entry.meta.get("category_given"))


def load_enrichment_imports(labels: Sequence[str], cache: Cache) -> ImportedEnrichment:
    """Read back the imports (verified sha256) and merge them; a term in two imports with a different
    FDR is a conflict, reported and never averaged (the first import's row is kept)."""
    frames, entries, formats, conflicts = [], [], [], []
    seen: dict[tuple[str, str], tuple[str, str]] = {}
    for label in labels:
        entry = cache.get(enrichment_import_request(label))
        if entry is None:
            raise CacheMissError(f"no STRING enrichment import labelled {label!r} in cache {cache.root}; record it "
                                 f"with `netpharm import FILE --kind enrichment --label {label}`")
        parsed = _parse_entry(entry, label)
        keep = []
        for rec in parsed.table.itertuples(index=False):
            key = (rec.category, rec.term)
            if key in seen:
                if seen[key][1] != rec.fdr:
                    conflicts.append(f"{rec.category} {rec.term}: FDR {seen[key][1]} in import {seen[key][0]!r}, "
                                     f"{rec.fdr} in import {label!r} (the first is used)")
                keep.append(False)
            else:
                seen[key] = (label, rec.fdr)
                keep.append(True)
        frames.append(parsed.table[keep].assign(source=f"import:{label}"))
        entries.append(entry)
        formats.append(parsed.format)
    table = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    return ImportedEnrichment(table, tuple(entries), tuple(conflicts), tuple(formats))

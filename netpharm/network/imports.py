"""STRING exports recorded in the cache with their provenance, and read back as evidence.

An import is one file stored verbatim under a label (``netpharm import``). Its metadata
declares what the file can prove:

- ``declared_cutoff`` — the score cut-off the file was made at (0–1);
- ``declared_version`` — the STRING release (``12.0``, ``12.x`` when only the major is known);
- ``complete_listing`` — the file is one query's network (a web export or an API ``network``
  answer), so every edge among its proteins at or above the cut-off is listed and a missing
  pair is below the cut-off. Files that stack several queries (concatenated per-protein
  exports) list edges but prove no absence;
- ``real_columns`` — the columns holding real STRING values (a tool that kept only the names
  and combined score writes zeros in the others: those are read as missing, never as scores);
- ``species`` — NCBI taxon (inferred from the STRING ids when they are real);
- ``origin`` — where the file came from (repository, path, commit);
- ``query`` — optional: the proteins the export was made for (``--query FILE``, the study's target
  list). A STRING web export of a multi-protein query omits the queried proteins without an
  interaction at the cut-off, so in a complete listing a queried protein that is absent is
  *isolated at that cut-off* (its pairs are known non-edges), and an exported protein that was not
  queried is a disagreement between the list and the export (``network/query_audit.tsv``).
  Imports recorded without it (every import before it existed) keep the conservative rule.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from netpharm.errors import CacheMissError, ImportFormatError, InputError, NetworkError
from netpharm.io import bytes_sha256, decode_text, read_bytes_file
from netpharm.network.tables import EDGE_COLUMNS, ParsedEdges, parse_string_table, real_columns_of
from netpharm.sources.cache import Cache, CacheEntry, Request

__all__ = ["ImportedSource", "import_request", "record_import", "load_import", "version_family",
           "check_versions", "VERSION_RULE", "resolve_symbols"]

_EPS = 1e-9
_VERSION = re.compile(r"v?(\d+)\.(\d+|x)\b", re.IGNORECASE)

#: The recorded rule for combining imports of different declared STRING versions.
VERSION_RULE = (
    "imports combine only within one STRING major version; two different known releases (12.0 vs 12.5) "
    "or majors (11 vs 12) are refused. An import whose release is not recorded (12.x) combines with a "
    "known 12 release; that they agree is checked on the data: every pair two imports both list is "
    "compared, and any score difference is reported as a conflict, never averaged")


@dataclass(frozen=True)
class ImportedSource:
    """One import read back from the cache, with what it can prove.

    Attributes
    ----------
    label : str
    parsed : ParsedEdges
    entry : CacheEntry
    cutoff : float
        Effective cut-off: the declared one, else the lowest score in the file (an upper
        bound of the true cut-off).
    complete : bool
        Every edge among its proteins at or above ``cutoff`` is listed.
    version : str
        Declared STRING version ("" if not declared).
    query : tuple of str
        The declared query (``--query``), spelled as the export spells its proteins where it holds
        them; empty when none was declared.
    """

    label: str
    parsed: ParsedEdges
    entry: CacheEntry
    cutoff: float
    complete: bool
    version: str
    query: tuple[str, ...] = ()

    def describe(self) -> str:
        what = "complete listing" if self.complete else "partial listing: edges only"
        if self.query:
            what += f", query of {len(self.query)} declared"
        return f"import:{self.label} ({self.entry.meta.get('file')}, cut-off {self.cutoff:.3f}, {what})"

    def holds(self) -> set[str]:
        """Proteins whose pairs this import can speak for: its own, and a complete listing's declared query."""
        nodes = set(self.parsed.nodes)
        return nodes | set(self.query) if self.complete else nodes

    def isolated(self) -> list[str]:
        """Queried proteins absent from a complete listing: no interaction at ≥ its cut-off (query order)."""
        nodes = set(self.parsed.nodes)
        return [q for q in self.query if q not in nodes] if self.complete else []

    def not_queried(self) -> list[str]:
        """Proteins of the export outside its declared query (sorted; none without a query)."""
        wanted = set(self.query)
        return sorted(n for n in self.parsed.nodes if n not in wanted) if self.query else []


def import_request(label: str) -> Request:
    """The cache request under which an import labelled ``label`` is stored."""
    if not label or any(c in label for c in "\r\n\t"):
        raise InputError(f"invalid import label {label!r}")
    return Request.make("IMPORT", f"netpharm-import:{label}", source="import")


def record_import(path: Path, cache: Cache, label: str, declared_cutoff: float | None = None,
                  declared_version: str | None = None, note: str = "", force: bool = False, *,
                  real_columns: Sequence[str] | None = None, complete_listing: bool = True,
                  species: int | None = None, origin: dict[str, str] | None = None,
                  query: Sequence[str] | None = None, query_file: str = "") -> CacheEntry:
    """Validate a STRING export/API TSV and store it verbatim in the cache under ``label``.

    Parameters
    ----------
    real_columns : sequence of str, optional
        File column names that hold real values (default: all).
    complete_listing : bool
        False for files that stack several queries: their edges count, their gaps prove nothing.
    species : int, optional
        NCBI taxon; must agree with the file's STRING ids, and is required when the ids are
        not real.
    query : sequence of str, optional
        The proteins the export was made for (``--query``; read with
        :func:`netpharm.targets.read_targets`); only for a complete listing.
    query_file : str
        Name of the file the query was read from (provenance).

    Raises
    ------
    ImportFormatError
        The file is malformed (file and line named).
    InputError
        Bad cut-off, the label is taken by a different file and ``force`` is false.
    """
    path = Path(path)
    if declared_cutoff is not None and not 0.0 <= declared_cutoff <= 1.0:
        raise InputError(f"--cutoff must be within 0–1 (STRING's combined score), got {declared_cutoff}"
                         + (f"; for {declared_cutoff:g}/1000 write {declared_cutoff / 1000:g}"
                            if 1 < declared_cutoff <= 1000 else ""))
    if query is not None and not complete_listing:
        raise InputError(f"{path}: --query declares one query's export, but --partial-listing says the file "
                         "stacks several queries; drop one of them")
    real = real_columns_of(real_columns) if real_columns is not None else None
    body = read_bytes_file(path, "import file", ImportFormatError)
    text = decode_text(body, str(path), "STRING export", ImportFormatError)
    parsed = parse_string_table(text, origin=str(path), real_columns=real, species=species)
    if declared_cutoff is not None and parsed.min_score < declared_cutoff - _EPS:
        raise InputError(f"{path}: declared cut-off {declared_cutoff} but the file lists a score of "
                         f"{parsed.min_score}; the cut-off cannot be above the lowest listed score")
    request = import_request(label)
    existing = cache.get(request)
    if existing is not None and existing.sha256 != bytes_sha256(body) and not force:
        raise InputError(f"import label {label!r} already holds another file ({existing.meta.get('file')}); "
                         "choose another label or pass --force")
    meta = {
        "kind": "import", "source": "import", "label": label, "file": path.name,
        "file_sha256": bytes_sha256(body), "format": parsed.format, "rows": parsed.rows,
        "pairs": len(parsed.edges), "proteins": len(parsed.nodes), "duplicate_pairs": parsed.duplicate_pairs,
        "min_score": parsed.min_score, "declared_cutoff": declared_cutoff,
        "declared_version": declared_version, "note": note,
        "complete_listing": complete_listing,
        "real_columns": list(real) if real is not None else None,
        "species": parsed.species if parsed.species is not None else species,
        "origin": dict(origin or {}),
    }
    if query is not None:  # only then: imports recorded without a query keep their metadata unchanged
        meta["query"] = list(query)
        meta["query_file"] = query_file
    return cache.store(request.key, body, meta)


def load_import(label: str, cache: Cache, species: int | None = None) -> tuple[ParsedEdges, CacheEntry]:
    """Read back an import by label (verified sha256), its declared real columns applied.

    Raises
    ------
    CacheMissError
        No such label.
    NetworkError
        The import is of another species than ``species``.
    """
    entry = cache.get(import_request(label))
    if entry is None:
        raise CacheMissError(f"no import labelled {label!r} in cache {cache.root}; record it with "
                             f"`netpharm import FILE --label {label}`")
    recorded = entry.meta.get("species")
    if species is not None and recorded is not None and int(recorded) != species:
        raise NetworkError(f"import {label!r} ({entry.meta.get('file')}) is species {recorded}, "
                           f"but the workflow's species is {species}")
    real = entry.meta.get("real_columns")
    parsed = parse_string_table(entry.text, origin=f"import:{label} ({entry.meta.get('file')})",
                                real_columns=tuple(real) if real else None, species=species)
    return parsed, entry


def read_source(label: str, cache: Cache, species: int | None = None) -> ImportedSource:
    """An import with its effective cut-off, listing completeness and version."""
    parsed, entry = load_import(label, cache, species)
    cut = parsed.min_score
    if entry.meta.get("declared_cutoff") is not None:
        cut = min(cut, float(entry.meta["declared_cutoff"]))
    query = entry.meta.get("query") or ()
    spelled = resolve_symbols(query, parsed.nodes) if query else {}
    return ImportedSource(label, parsed, entry, cut, bool(entry.meta.get("complete_listing", True)),
                          str(entry.meta.get("declared_version") or ""),
                          tuple(dict.fromkeys(spelled[str(q)] for q in query)))


def resolve_symbols(targets: Sequence[str], names: Iterable[str]) -> dict[str, str]:
    """Map each target to the name the data spell it with, matching case-insensitively.

    STRING's preferred names are case-sensitive across species (GRIN1 in human, Grin1 in
    rat) while users type either; an exact match wins, else a unique case-insensitive one.
    Targets without a match map to themselves (and stay uncovered).

    Raises
    ------
    NetworkError
        A target matches several names that differ only in case.
    """
    known = set(names)
    by_upper: dict[str, set[str]] = {}
    for name in known:
        by_upper.setdefault(name.upper(), set()).add(name)
    resolved = {}
    for target in targets:
        candidates = by_upper.get(target.upper(), set())
        if target in known or not candidates:
            resolved[target] = target
        elif len(candidates) == 1:
            resolved[target] = next(iter(candidates))
        else:
            raise NetworkError(f"target {target!r} matches several STRING names differing only in case: "
                               f"{', '.join(sorted(candidates))}; write it as one of them")
    return resolved


def version_family(declared: str) -> tuple[str, str] | None:
    """``(major, minor)`` of a declared STRING version; minor is ``"x"`` when unknown.

    >>> version_family("12.x (12.0 or 12.5; not recorded by the export format)")
    ('12', 'x')
    """
    match = _VERSION.search(declared or "")
    return (match.group(1), match.group(2).lower()) if match else None


def check_versions(sources: Sequence[ImportedSource]) -> str:
    """Apply :data:`VERSION_RULE`; return the combined version label.

    Raises
    ------
    NetworkError
        Imports of different STRING versions (or of an undeclared version among several).
    """
    if len(sources) == 1:
        return sources[0].version or "not recorded in the export"
    families = {s.label: version_family(s.version) for s in sources}
    undeclared = [label for label, f in families.items() if f is None]
    if undeclared:
        raise NetworkError(f"import(s) {', '.join(undeclared)} declare no STRING version; several imports "
                           "combine only when each declares one (`netpharm import --string-version`)")
    majors = {f[0] for f in families.values() if f}
    minors = {f[1] for f in families.values() if f and f[1] != "x"}
    if len(majors) > 1 or len(minors) > 1:
        shown = ", ".join(f"{label} (v{f[0]}.{f[1]})" for label, f in families.items() if f)
        raise NetworkError(f"imports of different STRING versions are never mixed: {shown}")
    return " + ".join(sorted({s.version for s in sources}))


def provenance(source: ImportedSource) -> dict[str, Any]:
    """Provenance of one import for manifests and findings."""
    out = source.entry.provenance()
    for key in ("label", "declared_cutoff", "min_score", "pairs", "complete_listing", "real_columns", "species",
                "origin", "query_file"):
        if key in source.entry.meta:
            out[key] = source.entry.meta[key]
    return out


def missing_columns(source: ImportedSource) -> list[str]:
    """Normalised columns of ``source`` that are not real (left empty in the edge table)."""
    return [c for c in EDGE_COLUMNS if c not in source.parsed.real_columns]

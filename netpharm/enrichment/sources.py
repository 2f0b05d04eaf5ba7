"""Where the enrichment stage's inputs come from: STRING's answer (API or imports) and the annotation files."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from netpharm.enrichment.annotations import AnnotationFiles, shipped_files
from netpharm.enrichment.config import EnrichmentConfig
from netpharm.enrichment.imports import load_enrichment_imports
from netpharm.enrichment.string_enrichment import parse_string_enrichment
from netpharm.errors import CacheMissError, EnrichmentError, FetchError, IdentifierMappingError
from netpharm.io import file_sha256
from netpharm.network.config import NetworkConfig
from netpharm.sources.string_db import StringClient
from netpharm.stage import RunContext

__all__ = ["StringAnswer", "string_answer", "annotation_files", "SHIPPED_SPECIES"]

log = logging.getLogger(__name__)

#: The shipped GO/Reactome files are human (NCBI taxon 9606).
SHIPPED_SPECIES = 9606


@dataclass(frozen=True)
class StringAnswer:
    """STRING's enrichment for the run: the table (API columns, STRING's text), how it was obtained."""

    table: pd.DataFrame | None
    source: str  # "api", "import" or "" when unavailable
    raw_body: bytes | None = None
    provenance: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _from_api(ctx: RunContext[EnrichmentConfig], targets: list[str]) -> StringAnswer:
    if len(targets) < 2:
        return StringAnswer(None, "", notes=["STRING enrichment skipped: one protein would be expanded by STRING to 11"])
    net = ctx.section(NetworkConfig)
    client = StringClient(ctx.cache, ctx.http, host=net.string_host, species=ctx.run.species,
                          caller_identity=net.caller_identity, required_score=net.required_score,
                          network_type=net.network_type, add_nodes=net.add_nodes)
    try:
        ids = client.map_identifiers(targets)
        entry = client.enrichment([ids.string_ids[t] for t in targets])
    except CacheMissError:
        return StringAnswer(None, "", notes=["STRING enrichment not in cache (offline); record a downloaded "
                                             "STRING enrichment with `netpharm import FILE --kind enrichment`"])
    except IdentifierMappingError as exc:
        return StringAnswer(None, "", notes=[f"STRING enrichment skipped: {exc}"])
    except FetchError as exc:
        return StringAnswer(None, "", notes=[f"STRING enrichment failed: {exc}"])
    table = parse_string_enrichment(entry.text, f"STRING enrichment (cache entry {entry.key})")
    return StringAnswer(table, "api", entry.body, [entry.provenance()])


def _from_imports(ctx: RunContext[EnrichmentConfig], cfg: EnrichmentConfig) -> StringAnswer:
    imported = load_enrichment_imports(cfg.string_imports, ctx.cache)
    notes = list(imported.conflicts)
    if any(not p for p in imported.table["p_value"]):
        notes.append("STRING web exports carry no p-value: only STRING's FDR is reported for their terms")
    taxa = sorted({t for t in imported.table["ncbiTaxonId"] if t})
    if taxa and str(ctx.run.species) not in taxa:
        raise EnrichmentError(f"the STRING enrichment import(s) {list(cfg.string_imports)} are for taxon {taxa}, "
                              f"the workflow's species is {ctx.run.species}")
    return StringAnswer(imported.table, "import", None, imported.provenance(), notes)


def string_answer(ctx: RunContext[EnrichmentConfig], cfg: EnrichmentConfig, targets: list[str]) -> StringAnswer:
    """STRING's enrichment from the workflow's imports, else from the API through the cache."""
    if cfg.string_imports:
        return _from_imports(ctx, cfg)
    if cfg.string_enrichment:
        return _from_api(ctx, targets)
    return StringAnswer(None, "")


def annotation_files(ctx: RunContext[EnrichmentConfig], cfg: EnrichmentConfig) -> tuple[AnnotationFiles | None, str, list[dict[str, Any]]]:
    """The offline ORA's files: the user's (any species) or the shipped human ones.

    Returns ``(files, why_not, user_file_records)``; ``files`` is ``None`` with a plain reason
    when the shipped files do not fit the workflow's species.
    """
    if not cfg.user_annotation:
        if ctx.run.species != SHIPPED_SPECIES:
            return None, (f"offline ORA not run: the shipped GO/Reactome annotation is human (taxon 9606) and the "
                          f"workflow's species is {ctx.run.species}; give [enrichment] go_obo + go_annotations "
                          f"and/or gene_sets for that species"), []
        return shipped_files(), "", []
    paths: dict[str, Path | None] = {}
    for key, value in (("obo", cfg.go_obo), ("go_annotations", cfg.go_annotations), ("gene_info", cfg.gene_info),
                       ("reactome_gmt", cfg.gene_sets)):
        paths[key] = ctx.run.resolve(value) if value else None
        if paths[key] is not None and not paths[key].is_file():  # type: ignore[union-attr]
            raise EnrichmentError(f"enrichment annotation file not found: {paths[key]} ({key})")
    files = AnnotationFiles(**paths)  # type: ignore[arg-type]
    records = [{"role": k, "file": str(p), "sha256": file_sha256(p), "note": cfg.annotation_note}
               for k, p in files.as_dict().items()]
    return files, "", records

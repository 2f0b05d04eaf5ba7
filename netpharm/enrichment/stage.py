"""The enrichment stage: STRING's enrichment (cached) + offline GO/Reactome ORA + the paper's themes.

Recipe: check the targets → ask STRING (through the cache; a miss offline is recorded,
not fatal) → load the shipped annotation library → over-representation per category →
tables, dot plots, STRING-vs-offline comparison, themes → :class:`StageOutcome`.

Status: ``ok`` when the offline ORA ran, even if STRING's enrichment is not in the cache —
the offline analysis is complete on its own data and the absent STRING part is listed
in ``missing``; ``not_run`` when neither analysis could run.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pandas as pd

from netpharm.enrichment.config import EnrichmentConfig
from netpharm.enrichment.findings import EnrichmentFindings, ThemeFinding
from netpharm.enrichment.library import GeneSetLibrary, load_library
from netpharm.enrichment.ora import OraResult, run_ora
from netpharm.enrichment.outputs import (
    top_terms,
    write_backgrounds,
    write_ora_plots,
    write_ora_tables,
    write_string_tables,
)
from netpharm.enrichment.string_enrichment import compare_with_offline, parse_string_enrichment
from netpharm.enrichment.themes import evaluate_themes, themes_table
from netpharm.errors import CacheMissError, EnrichmentError, FetchError, IdentifierMappingError
from netpharm.io import write_table
from netpharm.sources.cache import CacheEntry
from netpharm.sources.string_db import StringClient
from netpharm.stage import RunContext, StageOutcome, Status

__all__ = ["run_enrichment_stage", "fetch_string_enrichment", "read_background"]

log = logging.getLogger(__name__)
STAGE = "enrichment"


def _checked_targets(targets: list[str]) -> list[str]:
    unique = list(dict.fromkeys(t.strip() for t in targets if t.strip()))
    if not unique:
        raise EnrichmentError("no target genes: the enrichment stage needs at least one symbol")
    return unique


def read_background(path: Path) -> list[str]:
    """A background gene list: one symbol per line, ``#`` comments, blank lines ignored.

    Raises
    ------
    EnrichmentError
        The file is missing or holds no symbol.
    """
    if not path.is_file():
        raise EnrichmentError(f"background file not found: {path}")
    symbols = [line.split("#", 1)[0].strip() for line in path.read_text(encoding="utf-8").splitlines()]
    symbols = [s for s in symbols if s]
    if not symbols:
        raise EnrichmentError(f"background file {path} holds no gene symbol")
    return symbols


def fetch_string_enrichment(ctx: RunContext, targets: list[str]) -> tuple[CacheEntry | None, str]:
    """STRING's functional enrichment for ``targets`` (STRING v12 ``enrichment``; Szklarczyk et al. 2023).

    Asked with the network stage's host, species and identity (the enrichment stage reads
    ``[network]``), through the cache.

    Returns
    -------
    (CacheEntry or None, str)
        The cached answer, or ``None`` with the reason it is unavailable (offline cache miss,
        unmapped symbols, HTTP failure, a single protein).
    """
    if len(targets) < 2:
        return None, "STRING enrichment skipped: one protein would be expanded by STRING to 11"
    net = ctx.config.network
    client = StringClient(ctx.cache, ctx.http, host=net.string_host, species=ctx.config.species,
                          caller_identity=net.caller_identity, required_score=net.required_score,
                          network_type=net.network_type, add_nodes=net.add_nodes)
    try:
        ids = client.map_identifiers(targets)
        return client.enrichment([ids.string_ids[t] for t in targets]), ""
    except CacheMissError:
        return None, "STRING enrichment not in cache (offline)"
    except IdentifierMappingError as exc:
        return None, f"STRING enrichment skipped: {exc}"
    except FetchError as exc:
        return None, f"STRING enrichment failed: {exc}"


def _offline_ora(ctx: RunContext, cfg: EnrichmentConfig, targets: list[str]) -> tuple[GeneSetLibrary, OraResult]:
    library = load_library(evidence_exclude=cfg.evidence_exclude,
                           cache_dir=ctx.cache.root / "derived" / "enrichment")
    background = read_background(ctx.config.resolve(cfg.background_file)) if cfg.background_file else None
    ora = run_ora(library, targets, cfg.categories, background, cfg.min_term_size, cfg.max_term_size,
                  cfg.tested_terms)
    return library, ora


def _data_sources(library: GeneSetLibrary | None, entry: CacheEntry | None) -> list[dict[str, Any]]:
    sources: list[dict[str, Any]] = []
    if library is not None:
        prov = library.provenance
        sources.append({"source": "netpharm/data (GO 2022-07-01, gene2go 2022-09-12, Reactome 2024-09-18)",
                        "files": prov["files"], "go_data_version": prov.get("go_data_version"),
                        "evidence_exclude": prov["evidence_exclude"], "propagation": prov["propagation"]})
    if entry is not None:
        sources.append(entry.provenance())
    return sources


def run_enrichment_stage(ctx: RunContext) -> StageOutcome[EnrichmentFindings]:
    """The enrichment stage: STRING's enrichment (cached) and the offline over-representation analysis.

    The offline ORA is a one-sided hypergeometric test per term with Benjamini–Hochberg FDR per
    category (as goatools / clusterProfiler), on GO (2022-07-01, propagated) and Reactome
    (2024-09-18) shipped in ``netpharm/data``; the paper's themes are then looked up by id.

    Parameters
    ----------
    ctx : RunContext
        Uses ``ctx.config.enrichment`` and, for STRING, ``ctx.config.network``.

    Returns
    -------
    StageOutcome[EnrichmentFindings]
        ``ok`` when the offline ORA ran (STRING's absence is listed in ``missing``),
        ``not_run`` when neither analysis could run.
    """
    cfg: EnrichmentConfig = ctx.config.enrichment
    out = ctx.stage_dir(STAGE)
    targets = _checked_targets(ctx.targets)
    written: list[Path] = []
    missing: list[str] = []

    entry, why = fetch_string_enrichment(ctx, targets) if cfg.string_enrichment else (None, "")
    string_raw = parse_string_enrichment(entry.text, f"STRING enrichment (cache entry {entry.key})") \
        if entry is not None else None
    if why:
        missing.append(why)
    if string_raw is not None and entry is not None:
        written += write_string_tables(entry.body, string_raw, cfg.string_categories, cfg.fdr_threshold, out)

    library, ora = _offline_ora(ctx, cfg, targets) if cfg.offline_ora else (None, None)
    figures: list[Path] = []
    if ora is not None:
        missing += list(ora.warnings)
        missing += [f"{cat}: not in the background (no annotation in this category): {', '.join(r.not_in_background)}"
                    for cat, r in ora.categories.items() if r.not_in_background]
        written += write_ora_tables(ora, out)
        written.append(write_backgrounds(ora, out))
        written.append(write_table(out / "top_terms.tsv", top_terms(ora, cfg.fdr_threshold, cfg.top_n_plot)))
        figures = write_ora_plots(ora, cfg.fdr_threshold, cfg.top_n_plot, out / "figures")
        if string_raw is not None:
            written.append(write_table(out / "string_vs_offline.tsv", compare_with_offline(string_raw, ora)))

    themes = evaluate_themes(ora, string_raw, library, cfg.fdr_threshold)
    written.append(write_table(out / "themes.tsv", themes_table(themes)))

    status: Status
    if ora is None and string_raw is None:
        status, reason = "not_run", "offline ORA disabled and STRING's enrichment unavailable"
    else:
        status, reason = "ok", ""
    rel = lambda p: str(Path(p).relative_to(ctx.run_dir))  # noqa: E731
    findings = EnrichmentFindings(
        themes=tuple(ThemeFinding(t.theme, t.category, t.recovered, t.best_term, t.best_term_name, t.fdr_offline,
                                  t.fdr_string, t.recovered_offline, t.recovered_string, t.rank_offline)
                     for t in themes),
        string_enrichment_cached=string_raw is not None, offline_ora=ora is not None,
        background=next(iter(ora.categories.values())).background if ora else None,
        background_size={c: int(r.background_size) for c, r in ora.categories.items()} if ora else {},
        figures=tuple(rel(p) for p in figures), fdr_threshold=cfg.fdr_threshold,
        query_genes=tuple(ora.mapping.mapped) if ora else tuple(targets),
        unknown_symbols=tuple(ora.mapping.unknown) if ora else (),
        significant_terms={c: int((r.table["fdr"] < cfg.fdr_threshold).sum())
                           for c, r in ora.categories.items()} if ora else {},
        string_significant_terms=_string_counts(string_raw, cfg),
        data_sources=tuple(_data_sources(library, entry)))
    return StageOutcome(STAGE, status, reason, missing, sorted(rel(p) for p in written + figures), findings)


def _string_counts(raw: pd.DataFrame | None, cfg: EnrichmentConfig) -> dict[str, int] | None:
    if raw is None:
        return None
    passed = raw[raw["fdr"].astype(float) < cfg.fdr_threshold] if len(raw) else raw
    return {c: int((passed["category"] == c).sum()) for c in cfg.string_categories}

"""The enrichment stage: STRING's enrichment (cached) + offline GO/Reactome ORA + the paper's themes.

Recipe: check the targets → STRING's enrichment from the workflow's imports or the API
(through the cache; a miss offline is recorded, not fatal) → the annotation library (shipped
human files, or the user's own files) → over-representation per category with the named
correction → tables, dot plots, STRING-vs-offline comparison, themes → :class:`StageOutcome`.

Status: ``ok`` when the offline ORA ran, even if STRING's enrichment is not in the cache —
the offline analysis is complete on its own data and the absent STRING part is listed
in ``missing``; ``partial`` when only STRING's enrichment could be used (e.g. a species the
shipped annotation does not cover); ``not_run`` when neither analysis could run.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pandas as pd

from netpharm.enrichment import files
from netpharm.enrichment.annotations import AnnotationFiles
from netpharm.enrichment.config import EnrichmentConfig
from netpharm.enrichment.findings import CorrectionFinding, EnrichmentFindings, OfflineCorrection, ThemeFinding
from netpharm.enrichment.library import GeneSetLibrary, load_library
from netpharm.enrichment.ora import OraResult, run_ora
from netpharm.enrichment.outputs import (
    top_terms,
    write_backgrounds,
    write_ora_plots,
    write_ora_tables,
    write_string_tables,
)
from netpharm.enrichment.sources import StringAnswer, annotation_files, string_answer
from netpharm.enrichment.string_enrichment import STRING_TO_OFFLINE, compare_with_offline, offline_term_id
from netpharm.enrichment.themes import ThemeResult, evaluate_themes, themes_table
from netpharm.errors import EnrichmentError
from netpharm.io import read_text_file, write_table
from netpharm.stage import RunContext, StageOutcome, Status

__all__ = ["run_enrichment_stage", "read_background", "STRING_OWN_FDR"]

#: How the FDR of STRING's tables was obtained (recorded next to every STRING table).
STRING_OWN_FDR = "STRING's own FDR, as STRING returned it (m = every term of the category; not recomputed)"

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
    text = read_text_file(path, "background file", EnrichmentError)
    symbols = [line.split("#", 1)[0].strip() for line in text.splitlines()]
    symbols = [s for s in symbols if s]
    if not symbols:
        raise EnrichmentError(f"background file {path} holds no gene symbol")
    return symbols


def _offline_ora(ctx: RunContext[EnrichmentConfig], cfg: EnrichmentConfig, targets: list[str],
                 annotation: AnnotationFiles) -> tuple[GeneSetLibrary, OraResult, list[str]]:
    library = load_library(annotation, evidence_exclude=cfg.evidence_exclude,
                           cache_dir=ctx.cache.root / "derived" / "enrichment")
    available = {c for c in library.term_categories}
    categories = tuple(c for c in cfg.categories if c in available)
    lacking = [f"offline ORA: no {c} terms in the annotation files given" for c in cfg.categories if c not in available]
    if not categories:
        raise EnrichmentError(f"the annotation files hold none of the categories {list(cfg.categories)}")
    taxa = library.provenance.get("go_taxa") or []
    if taxa and f"taxon:{ctx.run.species}" not in taxa:
        raise EnrichmentError(f"{annotation.go_annotations}: annotations are for {', '.join(taxa)}, the workflow's "
                              f"species is {ctx.run.species}")
    background = read_background(ctx.run.resolve(cfg.background_file)) if cfg.background_file else None
    ora = run_ora(library, targets, categories, background, cfg.min_term_size, cfg.max_term_size,
                  cfg.tested_terms, cfg.correction)
    return library, ora, lacking


def _data_sources(library: GeneSetLibrary | None, answer: StringAnswer,
                  user_files: list[dict[str, Any]]) -> list[dict[str, Any]]:
    sources: list[dict[str, Any]] = []
    if library is not None:
        prov = library.provenance
        label = ("netpharm/data (GO 2022-07-01, gene2go 2022-09-12, Reactome 2024-09-18)" if prov.get("shipped")
                 else "user annotation files ([enrichment] go_obo / go_annotations / gene_info / gene_sets)")
        sources.append({"source": label, "files": prov["files"], "go_data_version": prov.get("go_data_version"),
                        "evidence_exclude": prov["evidence_exclude"], "propagation": prov["propagation"],
                        **({"user_files": user_files} if user_files else {})})
    sources += answer.provenance
    return sources


def _term_rows(answer: StringAnswer, cfg: EnrichmentConfig) -> list[dict[str, Any]]:
    """Every STRING term of the reported categories with STRING's own FDR (float and text)."""
    if answer.table is None:
        return []
    rows = answer.table[answer.table["category"].isin(cfg.string_categories)]
    return [{"category": r.category, "offline_category": STRING_TO_OFFLINE.get(r.category),
             "term": offline_term_id(r.category, r.term), "description": r.description,
             "fdr": float(r.fdr), "fdr_text": r.fdr, "p_value_text": r.p_value} for r in rows.itertuples(index=False)]


def _offline_terms(ora: OraResult | None, threshold: float) -> dict[str, dict[str, float]]:
    if ora is None:
        return {}
    return {c: {t: float(f) for t, f in zip(r.table["term"], r.table["fdr"]) if f < threshold}
            for c, r in ora.categories.items()}


def _findings(cfg: EnrichmentConfig, targets: list[str], answer: StringAnswer, library: GeneSetLibrary | None,
              ora: OraResult | None, themes: list[ThemeResult], figures: list[str],
              user_files: list[dict[str, Any]]) -> EnrichmentFindings:
    raw = answer.table
    return EnrichmentFindings(
        themes=tuple(ThemeFinding(t.theme, t.category, t.recovered, t.best_term, t.best_term_name, t.fdr_offline,
                                  t.fdr_string, t.recovered_offline, t.recovered_string, t.rank_offline)
                     for t in themes),
        string_enrichment_cached=raw is not None, offline_ora=ora is not None,
        background=next(iter(ora.categories.values())).background if ora else None,
        background_size={c: int(r.background_size) for c, r in ora.categories.items()} if ora else {},
        figures=tuple(figures), fdr_threshold=cfg.fdr_threshold,
        query_genes=tuple(ora.mapping.mapped) if ora else tuple(targets),
        unknown_symbols=tuple(ora.mapping.unknown) if ora else (),
        significant_terms={c: int((r.table["fdr"] < cfg.fdr_threshold).sum())
                           for c, r in ora.categories.items()} if ora else {},
        string_significant_terms=_string_counts(raw, cfg),
        data_sources=tuple(_data_sources(library, answer, user_files)),
        string_source=answer.source or None,
        correction=CorrectionFinding(
            {c: OfflineCorrection(r.correction.method, int(r.correction.m), r.correction.label)
             for c, r in ora.categories.items()} if ora else {}, STRING_OWN_FDR if raw is not None else None),
        string_terms=tuple(_term_rows(answer, cfg)),
        offline_terms=_offline_terms(ora, cfg.fdr_threshold),
        annotation=("shipped (human)" if library.provenance.get("shipped") else "user files")
        if library is not None else None)


def run_enrichment_stage(ctx: RunContext[EnrichmentConfig]) -> StageOutcome[EnrichmentFindings]:
    """The enrichment stage: STRING's enrichment (cached) and the offline over-representation analysis.

    The offline ORA is a one-sided hypergeometric test per term with Benjamini–Hochberg FDR per
    category (as goatools / clusterProfiler), on GO (2022-07-01, propagated) and Reactome
    (2024-09-18) shipped in ``netpharm/data``; the paper's themes are then looked up by id.

    Parameters
    ----------
    ctx : RunContext
        Uses ``ctx.config`` and, for STRING, ``ctx.section(NetworkConfig)``.

    Returns
    -------
    StageOutcome[EnrichmentFindings]
        ``ok`` when the offline ORA ran (STRING's absence is listed in ``missing``),
        ``not_run`` when neither analysis could run.
    """
    cfg: EnrichmentConfig = ctx.config
    out = ctx.stage_dir()
    targets = _checked_targets(ctx.targets)
    written: list[Path] = []

    answer = string_answer(ctx, cfg, targets)
    missing: list[str] = list(answer.notes)
    if answer.table is not None:
        written += write_string_tables(answer.raw_body, answer.table, cfg.string_categories, cfg.fdr_threshold, out)

    library: GeneSetLibrary | None = None
    ora: OraResult | None = None
    user_files: list[dict[str, Any]] = []
    if cfg.offline_ora:
        annotation, why, user_files = annotation_files(ctx, cfg)
        if annotation is None:
            missing.append(why)
        else:
            library, ora, lacking = _offline_ora(ctx, cfg, targets, annotation)
            missing += lacking
    figures: list[Path] = []
    if ora is not None:
        missing += list(ora.warnings)
        missing += [f"{cat}: not in the background (no annotation in this category): {', '.join(r.not_in_background)}"
                    for cat, r in ora.categories.items() if r.not_in_background]
        written += write_ora_tables(ora, out)
        written.append(write_backgrounds(ora, out))
        written.append(write_table(out / files.TOP_TERMS, top_terms(ora, cfg.fdr_threshold, cfg.top_n_plot)))
        figures = write_ora_plots(ora, cfg.fdr_threshold, cfg.top_n_plot, out / files.FIGURES)
        if answer.table is not None:
            written.append(write_table(out / files.STRING_VS_OFFLINE, compare_with_offline(answer.table, ora)))

    themes = evaluate_themes(ora, answer.table, library, cfg.fdr_threshold)
    written.append(write_table(out / files.THEMES, themes_table(themes)))

    status: Status
    if ora is None and answer.table is None:
        status, reason = "not_run", "neither the offline ORA nor STRING's enrichment could run here (see missing)"
    elif ora is None and cfg.offline_ora:
        status, reason = "partial", "offline ORA not run (see missing); STRING's enrichment only"
    else:
        status, reason = "ok", ""
    rel = lambda p: str(Path(p).relative_to(ctx.run_dir))  # noqa: E731
    findings = _findings(cfg, targets, answer, library, ora, themes, [rel(p) for p in figures], user_files)
    return StageOutcome(STAGE, status, reason, missing, sorted(rel(p) for p in written + figures), findings)


def _string_counts(raw: pd.DataFrame | None, cfg: EnrichmentConfig) -> dict[str, int] | None:
    if raw is None:
        return None
    passed = raw[raw["fdr"].astype(float) < cfg.fdr_threshold] if len(raw) else raw
    return {c: int((passed["category"] == c).sum()) for c in cfg.string_categories}

"""The enriched themes the paper names, and whether our analyses recover them.

Each theme is matched by identifier, not by name: GO ids from the 2022-07-01 ontology and
Reactome stable ids looked up by name in ``ReactomePathways_2024-09-18.gmt``. "CREB1
phosphorylation" names three Reactome pathways (through NMDA receptor-mediated RAS
signalling, through adenylate cyclase, through the CaMKII/CaMKK/CaMKIV cascade); the
best-scoring one is reported and all three are listed.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import pandas as pd

from netpharm.enrichment.library import GeneSetLibrary
from netpharm.enrichment.ora import OraResult
from netpharm.enrichment.string_enrichment import STRING_TO_OFFLINE, offline_term_id

__all__ = ["Theme", "ThemeResult", "PAPER_THEMES", "evaluate_themes", "themes_table"]


@dataclass(frozen=True)
class Theme:
    """A named theme: offline category and the term ids that stand for it."""

    theme: str
    category: str
    term_ids: tuple[str, ...]


PAPER_THEMES: tuple[Theme, ...] = (
    Theme("chemical synaptic transmission", "BP", ("GO:0007268",)),
    Theme("postsynaptic membrane", "CC", ("GO:0045211",)),
    Theme("ionotropic glutamate receptor activity", "MF", ("GO:0004970",)),
    Theme("calcium channel activity", "MF", ("GO:0005262",)),
    Theme("post NMDA receptor activation events", "Reactome", ("R-HSA-438064",)),
    Theme("CREB1 phosphorylation", "Reactome", ("R-HSA-442742", "R-HSA-442720", "R-HSA-442729")),
)


@dataclass(frozen=True)
class ThemeResult:
    """How strongly one theme is recovered (fields of ``summary.json`` → ``themes``).

    ``rank_offline`` is the best term's rank by p-value among the category's terms holding
    a query gene (1 = most significant).

    ``recovered`` follows the offline ORA when it ran, else STRING's FDR; both verdicts are
    also given separately (``None`` = that analysis is not available).
    """

    theme: str
    category: str
    recovered: bool
    best_term: str
    best_term_name: str
    fdr_offline: float | None
    fdr_string: float | None
    recovered_offline: bool | None
    recovered_string: bool | None
    p_offline: float | None
    rank_offline: int | None
    observed: int | None
    term_size: int | None
    genes: str
    candidate_terms: str
    note: str
    offline_correction: str = ""


def _offline_rows(theme: Theme, ora: OraResult | None) -> pd.DataFrame | None:
    if ora is None or theme.category not in ora.categories:
        return None
    table = ora.categories[theme.category].table
    return table[table["term"].isin(theme.term_ids)]


def _string_fdrs(theme: Theme, string_raw: pd.DataFrame | None) -> dict[str, float] | None:
    if string_raw is None:
        return None
    out = {}
    for rec in string_raw.itertuples(index=False):
        term = offline_term_id(rec.category, rec.term)
        if STRING_TO_OFFLINE.get(rec.category) == theme.category and term in theme.term_ids:
            out[term] = float(rec.fdr)  # STRING's own value, parsed from its text
    return out


def _evaluate(theme: Theme, ora: OraResult | None, string_raw: pd.DataFrame | None,
              library: GeneSetLibrary | None, threshold: float) -> ThemeResult:
    rows = _offline_rows(theme, ora)
    string = _string_fdrs(theme, string_raw)
    best = theme.term_ids[0]
    offline, rank = None, None
    if rows is not None and not rows.empty:
        offline = rows.sort_values(["fdr", "term"], kind="mergesort").iloc[0]
        best = str(offline["term"])
        rank = int(offline.name) + 1  # the category table is sorted by p-value with a fresh index
    elif string:
        best = min(string, key=lambda t: (string[t], t))
    fdr_off = float(offline["fdr"]) if offline is not None else None
    fdr_str = string.get(best) if string else None
    rec_off = None if rows is None else bool(fdr_off is not None and fdr_off < threshold)
    rec_str = None if string is None else bool(fdr_str is not None and fdr_str < threshold)
    note = ""
    if rows is not None and offline is None:
        in_library = library is not None and any(t in library.term_index for t in theme.term_ids)
        note = ("no query gene annotated to the term(s), or outside the size limits" if in_library
                else "term(s) absent from the offline annotation")
    elif string is not None and fdr_str is None:
        note = "not in STRING's returned terms"
    name = ""
    if library is not None and best in library.term_index:
        name = library.term_names[library.term_index[best]]
    return ThemeResult(
        theme=theme.theme, category=theme.category,
        recovered=bool(rec_off) if rec_off is not None else bool(rec_str),
        best_term=best, best_term_name=name, fdr_offline=fdr_off, fdr_string=fdr_str,
        recovered_offline=rec_off, recovered_string=rec_str,
        p_offline=float(offline["p_value"]) if offline is not None else None, rank_offline=rank,
        observed=int(offline["observed"]) if offline is not None else None,
        term_size=int(offline["term_size"]) if offline is not None else None,
        genes=str(offline["genes"]) if offline is not None else "",
        candidate_terms=",".join(theme.term_ids), note=note,
        offline_correction=ora.categories[theme.category].correction.label
        if ora is not None and theme.category in ora.categories else "")


def evaluate_themes(ora: OraResult | None, string_raw: pd.DataFrame | None, library: GeneSetLibrary | None,
                    fdr_threshold: float, themes: tuple[Theme, ...] = PAPER_THEMES) -> list[ThemeResult]:
    """Recovery of each theme by the offline ORA and by STRING's enrichment (when cached)."""
    return [_evaluate(t, ora, string_raw, library, fdr_threshold) for t in themes]


def themes_table(results: list[ThemeResult]) -> pd.DataFrame:
    """The themes as ``enrichment/themes.tsv`` (one row per theme, the :class:`ThemeResult` fields)."""
    rows: list[dict[str, Any]] = [asdict(r) for r in results]
    return pd.DataFrame(rows, columns=list(ThemeResult.__dataclass_fields__))

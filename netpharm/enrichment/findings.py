"""The enrichment stage's findings: the typed ``findings`` of ``enrichment/summary.json``.

Light module (no numerical import): the registry, the report and the claims import it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["EnrichmentFindings", "ThemeFinding", "STRING_CATEGORY", "offline_term_id", "CorrectionFinding",
           "OfflineCorrection"]

#: Claim category → STRING's category name (STRING v12 API ``enrichment``).
STRING_CATEGORY: dict[str, str] = {"BP": "Process", "MF": "Function", "CC": "Component", "KEGG": "KEGG",
                                   "Reactome": "RCTM"}


def offline_term_id(string_category: str, term: str) -> str:
    """STRING's term id in the offline vocabulary (Reactome ``HSA-n`` → ``R-HSA-n``)."""
    if string_category == "RCTM" and term.startswith("HSA-"):
        return f"R-{term}"
    return term


@dataclass(frozen=True)
class ThemeFinding:
    """One of the paper's named themes (see :mod:`netpharm.enrichment.themes`)."""

    theme: str
    category: str
    recovered: bool
    best_term: str
    best_term_name: str
    fdr_offline: float | None
    fdr_string: float | None
    recovered_offline: bool | None
    recovered_string: bool | None
    rank_offline: int | None


@dataclass(frozen=True)
class OfflineCorrection:
    """How one category's offline FDR was corrected: ``method`` ("string" | "bh"), STRING's ``m``, a label."""

    method: str
    m: int
    label: str


@dataclass(frozen=True)
class CorrectionFinding:
    """The FDR corrections: ``offline`` per category, ``string`` how STRING's FDR was obtained (or None)."""

    offline: dict[str, OfflineCorrection] = field(default_factory=dict)
    string: str | None = None


@dataclass(frozen=True)
class EnrichmentFindings:
    """What the enrichment stage found (``enrichment/summary.json`` → ``findings``).

    Attributes
    ----------
    themes : tuple of ThemeFinding
    string_enrichment_cached : bool
        STRING's own enrichment answer was available (online or cached).
    offline_ora : bool
        The offline over-representation analysis ran (tables ``offline_<category>.tsv``).
    background : str or None
        Name of the offline background; ``background_size`` its genes per category.
    figures : tuple of str
        Paths relative to the run directory.
    fdr_threshold : float
    query_genes, unknown_symbols : tuple of str
    significant_terms : dict
        Offline terms at FDR below the threshold, per category.
    string_significant_terms : dict or None
    data_sources : tuple of dict
        Provenance of the annotation files (the user's with path, sha256 and note) and of STRING's
        answer or imports.
    string_source : {"api", "import"} or None
        Where STRING's enrichment came from.
    correction : dict
        ``offline``: {category: {method ("string" | "bh"), m, label}}; ``string``: how STRING's
        FDR was obtained (STRING's own, as returned) or None.
    string_terms : tuple of dict
        Every STRING term of the reported categories: category, offline_category, term (offline
        vocabulary), description, fdr (float), fdr_text and p_value_text (STRING's own text; web
        exports have no p-value).
    offline_terms : dict
        {category: {term: fdr}} for the offline terms below ``fdr_threshold``.
    annotation : str or None
        ``"shipped (human)"`` or ``"user files"``; None when the offline ORA did not run.
    """

    themes: tuple[ThemeFinding, ...]
    string_enrichment_cached: bool
    offline_ora: bool
    background: str | None
    background_size: dict[str, int]
    figures: tuple[str, ...]
    fdr_threshold: float
    query_genes: tuple[str, ...]
    unknown_symbols: tuple[str, ...]
    significant_terms: dict[str, int]
    string_significant_terms: dict[str, int] | None
    data_sources: tuple[dict[str, Any], ...]
    string_source: str | None = None
    correction: CorrectionFinding = field(default_factory=lambda: CorrectionFinding())
    string_terms: tuple[dict[str, Any], ...] = ()
    offline_terms: dict[str, dict[str, float]] = field(default_factory=dict)
    annotation: str | None = None

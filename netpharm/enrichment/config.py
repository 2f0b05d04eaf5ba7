"""Configuration of the enrichment stage (owned by the enrichment issue)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from netpharm.errors import ConfigError

__all__ = ["EnrichmentConfig", "OFFLINE_CATEGORIES", "STRING_CATEGORIES"]

#: Categories of the offline over-representation analysis (GO aspects + Reactome).
OfflineCategory = Literal["BP", "MF", "CC", "Reactome"]
OFFLINE_CATEGORIES: tuple[OfflineCategory, ...] = ("BP", "MF", "CC", "Reactome")
#: STRING v12 enrichment categories reported by default (GO, KEGG, Reactome).
STRING_CATEGORIES: tuple[str, ...] = ("Process", "Function", "Component", "KEGG", "RCTM")

_GO_EVIDENCE = {
    "EXP", "IDA", "IPI", "IMP", "IGI", "IEP", "HTP", "HDA", "HMP", "HGI", "HEP", "IBA", "IBD", "IKR",
    "IRD", "ISS", "ISO", "ISA", "ISM", "IGC", "RCA", "TAS", "NAS", "IC", "ND", "IEA",
}


@dataclass(frozen=True)
class EnrichmentConfig:
    """Enrichment options: STRING's (online, cached) and the offline GO/Reactome ORA.

    Attributes
    ----------
    fdr_threshold : float
        A term is reported as enriched when its FDR is below this (STRING's and offline).
    string_enrichment : bool
        Ask STRING's ``enrichment`` endpoint (through the cache) for the targets.
    string_categories : list of str
        STRING categories reported (``Process``, ``Function``, ``Component``, ``KEGG``,
        ``RCTM``, or any other category STRING returns, e.g. ``WikiPathways``).
    offline_ora : bool
        Run the offline over-representation analysis on the shipped GO/Reactome files.
    categories : list of {"BP", "MF", "CC", "Reactome"}
        Offline categories; Benjamini–Hochberg is applied within each.
    evidence_exclude : list of str
        GO evidence codes whose annotations are dropped before propagation (e.g. ``["IEA"]``).
    min_term_size, max_term_size : int
        Terms are tested only if ``min_term_size <= size in background <= max_term_size``
        (``max_term_size = 0`` means no upper limit).
    tested_terms : {"all", "with_query_genes"}
        Which terms enter the BH correction: every term within the size limits (``all``,
        goatools' convention, the conservative default) or only those holding at least one
        query gene (clusterProfiler's convention).
    background_file : str
        Optional gene-symbol list (one per line, ``#`` comments) used as background instead
        of all annotated protein-coding genes; relative to the workflow file.
    top_n_plot : int
        Terms per category in the dot plots and the combined top-terms table.
    """

    fdr_threshold: float = 0.05
    string_enrichment: bool = True
    string_categories: tuple[str, ...] = STRING_CATEGORIES
    offline_ora: bool = True
    categories: tuple[OfflineCategory, ...] = OFFLINE_CATEGORIES
    evidence_exclude: tuple[str, ...] = ()
    min_term_size: int = 5
    max_term_size: int = 2000
    tested_terms: Literal["all", "with_query_genes"] = "all"
    background_file: str = ""
    top_n_plot: int = 15

    def __post_init__(self) -> None:
        if not 0.0 < self.fdr_threshold <= 1.0:
            raise ConfigError(f"enrichment.fdr_threshold must be in (0, 1], got {self.fdr_threshold}")
        bad = [c for c in self.categories if c not in OFFLINE_CATEGORIES]
        if bad or not self.categories:
            raise ConfigError(f"enrichment.categories must be a non-empty subset of {list(OFFLINE_CATEGORIES)}, "
                              f"got {list(self.categories)}")
        if len(set(self.categories)) != len(self.categories):
            raise ConfigError("enrichment.categories lists a category twice")
        unknown = sorted(set(self.evidence_exclude) - _GO_EVIDENCE)
        if unknown:
            raise ConfigError(f"enrichment.evidence_exclude: unknown GO evidence code(s) {unknown}; "
                              f"known: {sorted(_GO_EVIDENCE)}")
        if self.min_term_size < 1:
            raise ConfigError(f"enrichment.min_term_size must be >= 1, got {self.min_term_size}")
        if self.max_term_size < 0 or (self.max_term_size and self.max_term_size < self.min_term_size):
            raise ConfigError(f"enrichment.max_term_size must be 0 (no limit) or >= min_term_size "
                              f"({self.min_term_size}), got {self.max_term_size}")
        if self.top_n_plot < 1:
            raise ConfigError(f"enrichment.top_n_plot must be >= 1, got {self.top_n_plot}")
        if not self.string_categories and self.string_enrichment:
            raise ConfigError("enrichment.string_categories is empty while string_enrichment is on")

"""Configuration of the enrichment stage."""

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
    string_imports : list of str
        Labels of STRING enrichment files recorded with ``netpharm import FILE --kind enrichment``
        (API TSV/JSON, web-page exports, Cytoscape stringApp tables). When given, STRING's
        enrichment is read from them instead of asking the API, so an offline run cites
        STRING's own FDR.
    string_categories : list of str
        STRING categories reported (``Process``, ``Function``, ``Component``, ``KEGG``,
        ``RCTM``, or any other category STRING returns, e.g. ``WikiPathways``).
    offline_ora : bool
        Run the offline over-representation analysis on the shipped GO/Reactome files.
    categories : list of {"BP", "MF", "CC", "Reactome"}
        Offline categories; the correction is applied within each.
    correction : {"string", "bh"}
        Multiple-testing correction of the offline ORA (:mod:`netpharm.enrichment.correction`):
        ``string`` = STRING's own (m = every term of the category, running maximum from the
        top), the default because the workflow compares with STRING and the paper; ``bh`` =
        textbook Benjamini–Hochberg over the tested terms (see ``tested_terms``).
    evidence_exclude : list of str
        GO evidence codes whose annotations are dropped before propagation (e.g. ``["IEA"]``).
    min_term_size, max_term_size : int
        Terms are tested only if ``min_term_size <= size in background <= max_term_size``
        (``max_term_size = 0`` means no upper limit).
    tested_terms : {"with_query_genes", "all"}
        Which terms enter the ``bh`` correction: those within the size limits holding at least
        one query gene (``with_query_genes``, clusterProfiler's convention, the default) or
        every term within the size limits (``all``, goatools' ``GOEnrichmentStudyNS``, whose
        terms without a study gene get p = 1). Ignored by ``string``.
    go_obo, go_annotations, gene_info, gene_sets : str
        The user's own annotation files for the offline ORA, relative to the workflow file: a GO
        OBO, a GAF 2.x gene→GO file, an optional gene table (the 9-column layout of
        ``netpharm/data/human_genes_xref…tsv.gz``; without it every annotated gene is background)
        and a GMT for the pathway category (reported as ``Reactome``). When any is given the
        shipped (human) files are not used at all; sha256 and paths are recorded in the outputs.
        The shipped files serve only species 9606.
    annotation_note : str
        Free-text provenance of the user's annotation files (source, release, date).
    background_file : str
        Optional gene-symbol list (one per line, ``#`` comments) used as background instead
        of all annotated protein-coding genes; relative to the workflow file.
    top_n_plot : int
        Terms per category in the dot plots and the combined top-terms table.
    """

    fdr_threshold: float = 0.05
    string_enrichment: bool = True
    string_imports: tuple[str, ...] = ()
    string_categories: tuple[str, ...] = STRING_CATEGORIES
    offline_ora: bool = True
    categories: tuple[OfflineCategory, ...] = OFFLINE_CATEGORIES
    correction: Literal["string", "bh"] = "string"
    evidence_exclude: tuple[str, ...] = ()
    min_term_size: int = 5
    max_term_size: int = 2000
    tested_terms: Literal["all", "with_query_genes"] = "with_query_genes"
    go_obo: str = ""
    go_annotations: str = ""
    gene_info: str = ""
    gene_sets: str = ""
    annotation_note: str = ""
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
        if bool(self.go_obo) != bool(self.go_annotations):
            raise ConfigError("enrichment.go_obo and enrichment.go_annotations go together (GO needs both)")
        if self.gene_info and not (self.go_obo or self.gene_sets):
            raise ConfigError("enrichment.gene_info needs annotation files (go_obo + go_annotations, or gene_sets)")
        if not self.string_categories and self.string_enrichment:
            raise ConfigError("enrichment.string_categories is empty while string_enrichment is on")

    @property
    def user_annotation(self) -> bool:
        """True when the workflow names its own annotation files."""
        return bool(self.go_obo or self.go_annotations or self.gene_sets)

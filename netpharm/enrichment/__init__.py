"""netpharm.enrichment: STRING's enrichment (cached) and the offline GO/Reactome over-representation analysis."""

from netpharm.enrichment.config import EnrichmentConfig
from netpharm.enrichment.library import GeneSetLibrary, SymbolMapping, load_library
from netpharm.enrichment.ora import CategoryResult, OraResult, bh_fdr, hypergeom_pvalues, run_ora
from netpharm.enrichment.string_enrichment import compare_with_offline, parse_string_enrichment
from netpharm.enrichment.themes import PAPER_THEMES, ThemeResult, evaluate_themes

__all__ = [
    "EnrichmentConfig", "GeneSetLibrary", "SymbolMapping", "load_library", "CategoryResult", "OraResult",
    "bh_fdr", "hypergeom_pvalues", "run_ora", "compare_with_offline", "parse_string_enrichment",
    "PAPER_THEMES", "ThemeResult", "evaluate_themes",
]

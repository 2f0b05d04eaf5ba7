"""netpharm.enrichment: STRING's enrichment (API or imports) and the offline GO/Reactome over-representation analysis.

Exports the stage object :data:`STAGE`. It reads the network stage's settings (STRING host,
species, score) to ask STRING, so its resume fingerprint covers them. The library API
(``run_ora``, ``load_library``...) is importable from here too, loaded on first use so that
importing the package stays light.
"""

from __future__ import annotations

import importlib
from typing import Any

from netpharm.enrichment.config import EnrichmentConfig
from netpharm.enrichment.findings import EnrichmentFindings
from netpharm.stage import Stage

__all__ = ["STAGE", "EnrichmentConfig", "GeneSetLibrary", "SymbolMapping", "load_library", "CategoryResult",
           "OraResult", "bh_fdr", "hypergeom_pvalues", "run_ora", "compare_with_offline", "parse_string_enrichment",
           "PAPER_THEMES", "ThemeResult", "evaluate_themes", "string_fdr", "Correction", "parse_enrichment_file",
           "record_enrichment_import", "load_enrichment_imports"]

STAGE: Stage[EnrichmentFindings] = Stage(
    name="enrichment", sections={"enrichment": EnrichmentConfig}, reads=("network",),
    run="netpharm.enrichment.stage:run_enrichment_stage", findings=EnrichmentFindings,
    claims="netpharm.enrichment.claims", section="netpharm.enrichment.section:EnrichmentSection")

_LAZY = {"GeneSetLibrary": "library", "SymbolMapping": "library", "load_library": "library",
         "CategoryResult": "ora", "OraResult": "ora", "bh_fdr": "ora", "hypergeom_pvalues": "ora", "run_ora": "ora",
         "compare_with_offline": "string_enrichment", "parse_string_enrichment": "string_enrichment",
         "PAPER_THEMES": "themes", "ThemeResult": "themes", "evaluate_themes": "themes",
         "string_fdr": "correction", "Correction": "correction", "parse_enrichment_file": "string_formats",
         "record_enrichment_import": "imports", "load_enrichment_imports": "imports"}


def __getattr__(name: str) -> Any:
    """Load the numerical part of the package on first use (PEP 562)."""
    if name in _LAZY:
        return getattr(importlib.import_module(f"{__name__}.{_LAZY[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

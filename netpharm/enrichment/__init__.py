"""netpharm.enrichment: STRING's enrichment (API or imports) and the offline GO/Reactome over-representation analysis.

The names below are loaded on first use (PEP 562), so that importing the light
``netpharm.enrichment.config`` — as the workflow loader does — pulls in neither numpy, scipy nor pandas.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "EnrichmentConfig": "config", "GeneSetLibrary": "library", "SymbolMapping": "library",
    "load_library": "library", "CategoryResult": "ora", "OraResult": "ora", "hypergeom_pvalues": "ora",
    "run_ora": "ora", "bh_fdr": "correction", "string_fdr": "correction", "Correction": "correction",
    "compare_with_offline": "string_enrichment", "parse_string_enrichment": "string_enrichment",
    "parse_enrichment_file": "string_formats", "record_enrichment_import": "imports",
    "PAPER_THEMES": "themes", "ThemeResult": "themes", "evaluate_themes": "themes",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'netpharm.enrichment' has no attribute {name!r}")
    return getattr(importlib.import_module(f"netpharm.enrichment.{_EXPORTS[name]}"), name)

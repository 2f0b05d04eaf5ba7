"""netpharm.enrichment: STRING's enrichment (cached) and the offline GO/Reactome over-representation analysis.

Names are resolved on first use (PEP 562) so that importing ``netpharm.enrichment.config``
(as the workflow configuration does) does not import SciPy's statistics or the parsers.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "EnrichmentConfig": "config", "GeneSetLibrary": "library", "SymbolMapping": "library", "load_library": "library",
    "CategoryResult": "ora", "OraResult": "ora", "bh_fdr": "ora", "hypergeom_pvalues": "ora", "run_ora": "ora",
    "compare_with_offline": "string_enrichment", "parse_string_enrichment": "string_enrichment",
    "PAPER_THEMES": "themes", "ThemeResult": "themes", "evaluate_themes": "themes",
}

__all__ = [
    "EnrichmentConfig", "GeneSetLibrary", "SymbolMapping", "load_library", "CategoryResult", "OraResult",
    "bh_fdr", "hypergeom_pvalues", "run_ora", "compare_with_offline", "parse_string_enrichment",
    "PAPER_THEMES", "ThemeResult", "evaluate_themes",
]


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'netpharm.enrichment' has no attribute {name!r}")
    return getattr(importlib.import_module(f"netpharm.enrichment.{_EXPORTS[name]}"), name)

"""The enrichment stage's run-directory files (``RUN_DIR/enrichment/``).

The writers and every reader (the stage's claims and report section) use these names; no
other module spells them. Light module.
"""

from __future__ import annotations

__all__ = ["STRING_RAW", "STRING_IMPORTED", "STRING_VS_OFFLINE", "TOP_TERMS", "THEMES", "BACKGROUNDS"]

#: STRING's enrichment answer, byte for byte (columns ``category``, ``term``, ``description``, ``fdr``, ...).
STRING_RAW = "string_enrichment_raw.tsv"
#: STRING enrichment files the user imported (``netpharm import --kind enrichment``), stacked.
STRING_IMPORTED = "string_enrichment_imported.tsv"
#: STRING's FDR next to the offline ORA's, term by term.
STRING_VS_OFFLINE = "string_vs_offline.tsv"
#: The top terms per category of the offline ORA.
TOP_TERMS = "top_terms.tsv"
#: The paper's themes and their best terms.
THEMES = "themes.tsv"
#: The background each category was tested against.
BACKGROUNDS = "backgrounds.tsv"

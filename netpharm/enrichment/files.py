"""The enrichment stage's run-directory files (``RUN_DIR/enrichment/``, ``docs/run-directory.md``).

File names relative to the stage folder, and the columns the ``enriched`` claims read. The writers
use these names; a reader imports them instead of spelling them. Light on purpose (no numpy/pandas).
"""

from __future__ import annotations

__all__ = ["FOLDER", "FIGURES", "BACKGROUNDS", "TOP_TERMS", "THEMES", "STRING_RAW", "STRING_IMPORTED",
           "STRING_VS_OFFLINE", "offline_table", "offline_figure", "string_table", "OFFLINE_TABLE", "STRING_TABLE",
           "TERM", "NAME", "FDR"]

#: The stage's folder in the run directory.
FOLDER = "enrichment"
#: Sub-folder of the offline ORA dot plots (PNG + SVG).
FIGURES = "figures"
#: Per category the background used, its size and the query genes in it.
BACKGROUNDS = "backgrounds.tsv"
#: The best offline terms of every category (what the plots show).
TOP_TERMS = "top_terms.tsv"
#: The paper's named themes: recovered or not, offline and by STRING.
THEMES = "themes.tsv"
#: STRING's enrichment answer verbatim (API or cache).
STRING_RAW = "string_enrichment_raw.tsv"
#: Imported STRING enrichment files in the API's columns, with ``source`` (instead of :data:`STRING_RAW`).
STRING_IMPORTED = "string_enrichment_imported.tsv"
#: STRING's terms next to the offline ORA's.
STRING_VS_OFFLINE = "string_vs_offline.tsv"


def offline_table(category: str) -> str:
    """The offline ORA table of ``category`` (``BP``, ``MF``, ``CC``, ``Reactome``)."""
    return f"offline_{category}.tsv"


def offline_figure(category: str) -> str:
    """The stem (in :data:`FIGURES`, ``.png``/``.svg`` added) of the dot plot of ``category``."""
    return f"offline_{category}"


def string_table(string_category: str) -> str:
    """STRING's FDR-filtered table of one of its categories (``Process``, ``RCTM``, ...)."""
    return f"string_{string_category}.tsv"


#: Claim category → its offline ORA table.
OFFLINE_TABLE: dict[str, str] = {c: offline_table(c) for c in ("BP", "MF", "CC", "Reactome")}
#: Claim category → STRING's table of it (STRING v12 category names).
STRING_TABLE: dict[str, str] = {c: string_table(s) for c, s in (("BP", "Process"), ("MF", "Function"),
                                                                  ("CC", "Component"), ("KEGG", "KEGG"),
                                                                  ("Reactome", "RCTM"))}
#: The term id column of the offline tables and of STRING's (``GO:…``, ``R-HSA-…``; STRING's own ids in its tables).
TERM = "term"
#: The term's name in the offline tables (STRING's tables call it ``description``).
NAME = "name"
#: The term's false discovery rate (offline: the workflow's correction; STRING's: as returned).
FDR = "fdr"

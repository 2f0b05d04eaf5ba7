"""Tables and figures of the enrichment stage (the files listed in ``docs/run-directory.md``)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from netpharm.enrichment import files
from netpharm.enrichment.ora import ORA_COLUMNS, OraResult
from netpharm.enrichment.plots import dot_plot
from netpharm.enrichment.string_enrichment import string_category_tables
from netpharm.io import write_bytes_atomic, write_table

__all__ = ["write_ora_tables", "top_terms", "write_backgrounds", "write_string_tables", "write_ora_plots"]

_CATEGORY_TITLES = {"BP": "GO biological process", "MF": "GO molecular function",
                    "CC": "GO cellular component", "Reactome": "Reactome pathways"}
_SOURCE_LABEL = {"BP": "GO 2022-07-01 / gene2go 2022-09-12", "MF": "GO 2022-07-01 / gene2go 2022-09-12",
                 "CC": "GO 2022-07-01 / gene2go 2022-09-12", "Reactome": "Reactome 2024-09-18"}


def write_ora_tables(ora: OraResult, out: Path) -> list[Path]:
    """``offline_<category>.tsv``: every tested term holding at least one query gene."""
    return [write_table(out / files.offline_table(cat), res.table) for cat, res in ora.categories.items()]


def top_terms(ora: OraResult, fdr_threshold: float, top_n: int) -> pd.DataFrame:
    """The ``top_n`` most significant terms of each category with FDR below the threshold."""
    parts = [res.significant(fdr_threshold).head(top_n) for res in ora.categories.values()]
    parts = [p for p in parts if not p.empty]
    if not parts:
        return pd.DataFrame(columns=ORA_COLUMNS)
    return pd.concat(parts, ignore_index=True)


def write_backgrounds(ora: OraResult, out: Path) -> Path:
    """``backgrounds.tsv``: per category the background, its size and the query genes in it."""
    rows = [{"category": cat, "source": _SOURCE_LABEL[cat], "background": res.background,
             "background_size": res.background_size, "query_size": len(res.query_genes),
             "query_genes": ",".join(res.query_genes), "not_in_background": ",".join(res.not_in_background),
             "terms_tested": res.n_tested, "terms_with_query_genes": len(res.table),
             "correction": res.correction.label}
            for cat, res in ora.categories.items()]
    return write_table(out / files.BACKGROUNDS, pd.DataFrame(rows))


def write_string_tables(raw_body: bytes | None, raw: pd.DataFrame, categories: tuple[str, ...],
                        fdr_threshold: float, out: Path) -> list[Path]:
    """STRING's API body verbatim (``string_enrichment_raw.tsv``) or, for imports, their rows in the
    API's columns with a ``source`` column (``string_enrichment_imported.tsv``); then
    ``string_<Category>.tsv`` (FDR-filtered, STRING's text, with the correction named)."""
    if raw_body is not None:
        written = [write_bytes_atomic(out / files.STRING_RAW, raw_body)]
    else:
        written = [write_table(out / files.STRING_IMPORTED, raw)]
    for cat, table in string_category_tables(raw, categories, fdr_threshold).items():
        table = table.assign(correction="STRING's own FDR, as returned (m = every term of the category)")
        written.append(write_table(out / files.string_table(cat), table))
    return written


def write_ora_plots(ora: OraResult, fdr_threshold: float, top_n: int, figures: Path) -> list[Path]:
    """One dot plot (PNG + SVG) per offline category."""
    written: list[Path] = []
    for cat, res in ora.categories.items():
        title = (f"{_CATEGORY_TITLES[cat]} — offline ORA ({_SOURCE_LABEL[cat]})\n"
                 f"{len(res.query_genes)} query genes; background: {res.background}, N = {res.background_size}")
        written += dot_plot(res.table, title, fdr_threshold, top_n, figures / files.offline_figure(cat))
    return written

"""GeneCards search results (Stelzer et al. 2016, Curr Protoc Bioinformatics 54:1.30): CSV, a TSV or XLSX re-save.

Layouts seen in real exports: 2026 — a byte-order mark, a title line, a LifeMap copyright line, then
``Symbol,Name,Type,Relevance Score,Knowledge``, and the copyright again as a footer; 2017–2023 —
``Gene Symbol,Description,Category,(Uniprot ID,)Gifts,GC Id,Relevance score,GeneCards Link``. The header is
found wherever it is; rows end at the first blank line after it.

Rows kept: Relevance score ≥ ``min_score``, or ≥ the file's median when it is unset (the usual screen).
"""

from __future__ import annotations

import statistics

from netpharm.compounds.config import DiseaseTable
from netpharm.compounds.readers.records import DiseaseRead, GeneRecord
from netpharm.compounds.readers.table import Row, Sheet, cell, find_column, number
from netpharm.errors import CompoundsError

__all__ = ["read_disease"]

_SYMBOL = ("Symbol", "Gene Symbol")
_SCORE = ("Relevance Score", "Relevance score", "Score")


def _header(sheet: Sheet) -> tuple[int, int, int]:
    for i, row in enumerate(sheet.rows):
        gene, score = find_column(row.cells, _SYMBOL), find_column(row.cells, _SCORE)
        if gene is not None and score is not None:
            return i, gene, score
    raise CompoundsError(f"{sheet.origin}: not a GeneCards table (no header with 'Gene Symbol'/'Symbol' and "
                         "'Relevance score')")


def _body(sheet: Sheet, start: int) -> list[Row]:
    rows = []
    for row in sheet.rows[start + 1:]:
        if row.blank():
            break  # the 2026 layout's copyright footer follows a blank line
        rows.append(row)
    return rows


def read_disease(sheet: Sheet, spec: DiseaseTable) -> DiseaseRead:
    """The genes at or above the relevance cut-off (the set value, else the median)."""
    start, g, s = _header(sheet)
    rows = _body(sheet, start)
    scored = [(row, number(sheet, row, s, "Relevance score")) for row in rows]
    if not scored:
        raise CompoundsError(f"{sheet.origin}: the GeneCards table has a header but no rows")
    if spec.min_score is not None:
        cut, rule = spec.min_score, f"Relevance score ≥ {spec.min_score:g}"
    else:
        cut = statistics.median(v for _, v in scored)
        rule = f"Relevance score ≥ the median ({cut:.6g})"
    records = [GeneRecord(cell(row, g), row.line, v) for row, v in scored if v >= cut and cell(row, g)]
    return DiseaseRead(records, len(scored), len(records), rule)

"""DisGeNET gene–disease associations (Piñero et al. 2020, Nucleic Acids Res 48:D845).

Three real layouts: the classic ``*_disease_gda_summary.tsv`` (``Gene``, ``Score_gda``), the new platform's
TSV (``gene_symbol``, ``score``, with a ``search_info`` file beside it) and its XLSX (``Gene``, ``score``).
Rows kept: score ≥ ``min_score``, every row when it is unset.
"""

from __future__ import annotations

from netpharm.compounds.config import DiseaseTable
from netpharm.compounds.readers.records import DiseaseRead, GeneRecord
from netpharm.compounds.readers.table import Sheet, cell, find_column, number
from netpharm.errors import CompoundsError

__all__ = ["read_disease"]

_GENE = ("gene_symbol", "Gene", "geneSymbol", "Gene Symbol")
_SCORE = ("Score_gda", "score", "Score")


def read_disease(sheet: Sheet, spec: DiseaseTable) -> DiseaseRead:
    """The genes whose association score passes the cut-off (every gene when none is set)."""
    rows = [r for r in sheet.rows if not r.blank()]
    if not rows:
        raise CompoundsError(f"{sheet.origin}: the file holds no rows")
    gene, score = find_column(rows[0].cells, _GENE), find_column(rows[0].cells, _SCORE)
    if gene is None or score is None:
        raise CompoundsError(f"{sheet.origin}: not a DisGeNET table (no 'Gene'/'gene_symbol' and 'score'/"
                             f"'Score_gda' columns in the header {list(rows[0].cells)[:8]})")
    scored = [(row, number(sheet, row, score, rows[0].cells[score])) for row in rows[1:]]
    cut = spec.min_score
    rule = f"score ≥ {cut:g}" if cut is not None else "every association (no score cut-off set)"
    records = [GeneRecord(cell(row, gene), row.line, v) for row, v in scored
               if (cut is None or v >= cut) and cell(row, gene)]
    return DiseaseRead(records, len(scored), len(records), rule)

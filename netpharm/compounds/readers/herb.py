"""HERB 2.0 exports (Fang et al. 2021, Nucleic Acids Res 49:D1197; HERB 2.0 2025): one ingredient's targets.

``*_ingredient_target_*.xlsx`` (``Target id, Gene symbol, Gene alias name, Protein name, ...``) and
``*_ingredient_reference_target_*.xlsx`` (``Target id, Gene symbol, ..., Reference ID, PubMed ID ...``: one row
per reference, so a target repeats). The compound is the file's (``compound_name``, default the label).
"""

from __future__ import annotations

from netpharm.compounds.config import TargetTable
from netpharm.compounds.readers.records import TargetRead, TargetRecord, split_genes
from netpharm.compounds.readers.table import Sheet, cell, find_column
from netpharm.errors import CompoundsError

__all__ = ["read_targets"]


def read_targets(sheet: Sheet, spec: TargetTable) -> TargetRead:
    """Every gene symbol of the export, as the compound's targets."""
    rows = [r for r in sheet.rows if not r.blank()]
    gene = find_column(rows[0].cells, ("Gene symbol",)) if rows else None
    if gene is None:
        raise CompoundsError(f"{sheet.origin}: not a HERB ingredient–target export (no 'Gene symbol' column)")
    compound = spec.one_compound
    ref = find_column(rows[0].cells, ("Reference ID",))
    records = [TargetRecord(compound, g, row.line, f"reference {cell(row, ref)}" if ref is not None else "")
               for row in rows[1:] for g in split_genes(cell(row, gene))]
    return TargetRead(records, len(rows) - 1, len(rows) - 1, "every row (HERB lists curated and predicted targets)",
                      {compound: {}})

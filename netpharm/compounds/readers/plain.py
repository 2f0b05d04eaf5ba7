"""Plain tables: the columns the workflow names (``compound``, ``target``; ``column`` for a disease list)."""

from __future__ import annotations

from netpharm.compounds.config import DiseaseTable, TargetTable
from netpharm.compounds.readers.records import DiseaseRead, GeneRecord, TargetRead, TargetRecord, split_genes
from netpharm.compounds.readers.table import Row, Sheet, cell, column_index
from netpharm.errors import CompoundsError

__all__ = ["read_targets", "read_disease"]


def _body(sheet: Sheet, header: bool) -> tuple[tuple[str, ...] | None, list[Row]]:
    rows = [r for r in sheet.rows if not r.blank()]
    if not rows:
        raise CompoundsError(f"{sheet.origin}: the file holds no rows")
    return (rows[0].cells, rows[1:]) if header else (None, rows)


def read_targets(sheet: Sheet, spec: TargetTable) -> TargetRead:
    """Compound → target pairs from the named columns (without ``compound``: the file's one compound)."""
    header, rows = _body(sheet, spec.header)
    t = column_index(header, spec.target, sheet.origin, "target")
    c = column_index(header, spec.compound, sheet.origin, "compound") if spec.compound != "" else None
    s = column_index(header, spec.smiles, sheet.origin, "smiles") if spec.smiles != "" else None
    records: list[TargetRecord] = []
    compounds: dict[str, dict[str, str]] = {}
    for row in rows:
        compound = cell(row, c) if c is not None else spec.one_compound
        if c is not None and not compound:
            raise CompoundsError(f"{sheet.where(row, str(spec.compound))}: empty compound name")
        info = compounds.setdefault(compound, {})
        if s is not None and cell(row, s):
            info["smiles"] = cell(row, s)
        records += [TargetRecord(compound, g, row.line) for g in split_genes(cell(row, t))]
    empty = [row.line for row in rows if not split_genes(cell(row, t))]
    return TargetRead(records, len(rows), len(rows) - len(empty), "every row (plain table)", compounds,
                      _empty_note(empty))


def _empty_note(lines: list[int]) -> list[str]:
    """A note naming the rows whose gene cell is empty (they give no target; listed, not dropped silently)."""
    if not lines:
        return []
    shown = ", ".join(map(str, lines[:10])) + (" …" if len(lines) > 10 else "")
    return [f"{len(lines)} rows with an empty gene cell give no target (lines {shown})"]


def read_disease(sheet: Sheet, spec: DiseaseTable) -> DiseaseRead:
    """Disease genes from the named column (default: the first)."""
    header, rows = _body(sheet, spec.header)
    g = column_index(header, spec.column, sheet.origin, "gene") if spec.column != "" else 0
    records = [GeneRecord(gene, row.line) for row in rows for gene in split_genes(cell(row, g))]
    empty = [row.line for row in rows if not split_genes(cell(row, g))]
    return DiseaseRead(records, len(rows), len(rows) - len(empty), "every row (plain list)", _empty_note(empty))

"""SEA, the Similarity Ensemble Approach (Keiser et al. 2007, Nat Biotechnol 25:197): a search's result table.

Columns: ``Query ID, Target ID, Affinity Threshold (nM), P-Value, Max Tc, Cut Sum, Z-Score, Name, Description,
Query Smiles``. ``Target ID`` is a UniProt entry name (``A4_HUMAN``), ``Name`` the gene symbol; a target repeats
at each affinity threshold. A first column without a name is a pandas row index (the file was re-saved by
pandas, not written by SEA): said in a note, as is a file holding only human targets (SEA answers for every
species, so such a file was filtered before).

The compound is ``compound_name`` (default the label) when the file has one ``Query ID`` (SEA's ``compound_1``),
else each row's Query ID. Rows kept: ``*_HUMAN`` targets (``organism``, default human) with P-Value ≤
``max_pvalue`` when set (unset: every row).
"""

from __future__ import annotations

from netpharm.compounds.config import TargetTable
from netpharm.compounds.readers.records import TargetRead, TargetRecord, shown
from netpharm.compounds.readers.table import Sheet, cell, find_column, number
from netpharm.errors import CompoundsError

__all__ = ["read_targets"]


def read_targets(sheet: Sheet, spec: TargetTable) -> TargetRead:
    """The query's targets (gene symbols from ``Name``) passing the organism and p-value filters.

    Raises
    ------
    CompoundsError
        No SEA header, a P-Value that is not a number or an empty Name (file, line and column named).
    """
    rows = [r for r in sheet.rows if not r.blank()]
    header = rows[0].cells if rows else ()
    query, target, name, pvalue, max_tc = (find_column(header, (n,)) for n in
                                           ("Query ID", "Target ID", "Name", "P-Value", "Max Tc"))
    if query is None or target is None or name is None or pvalue is None:
        raise CompoundsError(f"{sheet.origin}: not a SEA result table (no 'Query ID', 'Target ID', 'Name' and "
                             "'P-Value' columns)")
    body = rows[1:]
    queries = {cell(r, query) for r in body}
    records: list[TargetRecord] = []
    other: list[str] = []
    for row in body:
        p = number(sheet, row, pvalue, "P-Value")
        entry = cell(row, target)
        if spec.human_only and not entry.upper().endswith("_HUMAN"):
            other.append(entry)
            continue
        if spec.max_pvalue is not None and p > spec.max_pvalue:
            continue
        if not cell(row, name):
            raise CompoundsError(f"{sheet.where(row, 'Name')}: empty gene name")
        compound = spec.one_compound if len(queries) == 1 else cell(row, query)
        tc = f"; Max Tc {cell(row, max_tc)}" if max_tc is not None else ""
        records.append(TargetRecord(compound, cell(row, name), row.line, f"{entry}; P-Value {p:.3g}{tc}"))
    rule = (f"P-Value ≤ {spec.max_pvalue:g}" if spec.max_pvalue is not None else "every row (no P-Value cut-off set)")
    notes = []
    if spec.human_only:
        rule += "; *_HUMAN targets only"
        if other:
            notes.append(f"{len(other)} rows name targets of other species, left out: {shown(sorted(set(other)))}")
        elif body:
            notes.append("every row is a *_HUMAN target: SEA answers for every species, so this file was filtered "
                         "to human before it was saved")
    if header and not header[0].strip():
        notes.append("the first column has no name: a pandas row index (the file was re-saved by pandas, not "
                     "written by SEA)")
    compounds: dict[str, dict[str, str]] = {spec.one_compound: {}} if len(queries) == 1 else {q: {} for q in queries}
    return TargetRead(records, len(body), len(records), rule, compounds, notes)

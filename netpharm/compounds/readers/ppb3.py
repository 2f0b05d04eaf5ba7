"""PPB3, the Polypharmacology Browser 3 (Jiang et al. 2024, J Chem Inf Model): a query's "prediction_results.csv".

``"Rank","Target ID","Target Name","Confidence Score","Target Protein Class","Target Organism","Target Type",
"Nearest Neighbors"`` — in the real export the data rows have only the first seven fields (no nearest neighbours).
Targets are ChEMBL targets named by their **protein name** (``Arachidonate 15-lipoxygenase``): like TCMSP's, the
names stay unmatched unless ``[compounds] target_names`` maps them to genes. Targets that are not a protein
(``Target Type`` ``ORGANISM``, ``CELL-LINE``) are left out and named; ``organism`` (default human) keeps the
``Target Organism`` asked. The compound is the file's (``compound_name``, default the label).

Rows kept: Confidence Score ≥ ``min_score`` when set (unset: every row).
"""

from __future__ import annotations

from netpharm.compounds.config import TargetTable
from netpharm.compounds.readers.records import TargetRead, TargetRecord, shown
from netpharm.compounds.readers.table import Sheet, cell, find_column, number
from netpharm.errors import CompoundsError

__all__ = ["read_targets"]

_PROTEIN_TYPES = ("SINGLE PROTEIN", "PROTEIN COMPLEX", "PROTEIN FAMILY", "PROTEIN COMPLEX GROUP", "CHIMERIC PROTEIN",
                  "PROTEIN-PROTEIN INTERACTION", "SELECTIVITY GROUP")
_HUMAN = ("homo sapiens",)


def read_targets(sheet: Sheet, spec: TargetTable) -> TargetRead:
    """The protein targets of the organism asked, at or above the confidence cut.

    Raises
    ------
    CompoundsError
        No PPB3 header, a confidence that is not a number or an empty target name (file, line and column named).
    """
    rows = [r for r in sheet.rows if not r.blank()]
    header = rows[0].cells if rows else ()
    chembl, name, score, organism, kind = (find_column(header, (n,)) for n in (
        "Target ID", "Target Name", "Confidence Score", "Target Organism", "Target Type"))
    if chembl is None or name is None or score is None or organism is None:
        raise CompoundsError(f"{sheet.origin}: not a PPB3 result table (no 'Target ID', 'Target Name', 'Confidence "
                             "Score' and 'Target Organism' columns)")
    compound = spec.one_compound
    records: list[TargetRecord] = []
    not_protein: list[str] = []
    other: list[str] = []
    for row in rows[1:]:
        value = number(sheet, row, score, "Confidence Score")
        if not cell(row, name):
            raise CompoundsError(f"{sheet.where(row, 'Target Name')}: empty target name")
        if kind is not None and cell(row, kind).upper() not in _PROTEIN_TYPES:
            not_protein.append(f"{cell(row, name)} ({cell(row, kind)})")
            continue
        if spec.human_only and cell(row, organism).casefold() not in _HUMAN:
            other.append(f"{cell(row, name)} ({cell(row, organism)})")
            continue
        if spec.min_score is not None and value < spec.min_score:
            continue
        records.append(TargetRecord(compound, cell(row, name), row.line,
                                    f"{cell(row, chembl)}; confidence {cell(row, score)}"))
    rule = f"Confidence Score ≥ {spec.min_score:g}" if spec.min_score is not None else "every row (no cut-off set)"
    rule += "; protein targets" + ("; Homo sapiens only" if spec.human_only else "")
    notes = [f"{len(not_protein)} targets are not proteins, left out: {shown(not_protein)}"] if not_protein else []
    if other:
        notes.append(f"{len(other)} protein targets of other organisms, left out: {shown(other)}")
    if records:
        notes.append("targets are ChEMBL protein names: unmatched by the gene table unless [compounds] target_names "
                     "maps them")
    return TargetRead(records, len(rows) - 1, len(records), rule, {compound: {}}, notes)

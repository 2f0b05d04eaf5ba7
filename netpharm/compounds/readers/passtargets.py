"""PASS Targets (Way2Drug; Filimonov et al. 2014, Chem Heterocycl Compd 50:444): a query's "pt_predictions.tsv".

``Name, Activity Score, Propensity Score, Type of Interaction, ChEMBL ID`` with a trailing tab on every line.
``Activity Score`` is the server's Pa − Pi (not a probability); ``Propensity Score`` may be ``-1``; ``Type of
Interaction`` is ``D`` or ``I`` (two model types, not proven direct or indirect binding). Targets are ChEMBL
targets named by **protein name**: unmatched by the gene table unless ``[compounds] target_names`` maps them.
The export names no organism. The compound is the file's (``compound_name``, default the label).

Rows kept: Activity Score ≥ ``min_score`` when set (unset: every row).
"""

from __future__ import annotations

from netpharm.compounds.config import TargetTable
from netpharm.compounds.readers.records import TargetRead, TargetRecord
from netpharm.compounds.readers.table import Sheet, cell, find_column, number
from netpharm.errors import CompoundsError

__all__ = ["read_targets"]


def read_targets(sheet: Sheet, spec: TargetTable) -> TargetRead:
    """The predicted targets (protein names) at or above the activity cut.

    Raises
    ------
    CompoundsError
        No PASS Targets header, an activity score that is not a number or an empty name (file, line and column).
    """
    rows = [r for r in sheet.rows if not r.blank()]
    header = rows[0].cells if rows else ()
    name, activity, kind, chembl = (find_column(header, (n,)) for n in (
        "Name", "Activity Score", "Type of Interaction", "ChEMBL ID"))
    if name is None or activity is None or chembl is None:
        raise CompoundsError(f"{sheet.origin}: not a PASS Targets table (no 'Name', 'Activity Score' and 'ChEMBL ID' "
                             "columns)")
    compound = spec.one_compound
    records: list[TargetRecord] = []
    for row in rows[1:]:
        value = number(sheet, row, activity, "Activity Score")
        if not cell(row, name):
            raise CompoundsError(f"{sheet.where(row, 'Name')}: empty target name")
        if spec.min_score is not None and value < spec.min_score:
            continue
        interaction = f"; type {cell(row, kind)}" if kind is not None else ""
        records.append(TargetRecord(compound, cell(row, name), row.line,
                                    f"{cell(row, chembl)}; activity {cell(row, activity)}{interaction}"))
    rule = f"Activity Score (Pa − Pi) ≥ {spec.min_score:g}" if spec.min_score is not None else \
        "every row (no cut-off set)"
    notes = ["targets are ChEMBL protein names: unmatched by the gene table unless [compounds] target_names maps "
             "them; the export names no organism"] if records else []
    return TargetRead(records, len(rows) - 1, len(records), rule, {compound: {}}, notes)

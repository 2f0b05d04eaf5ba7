"""Super-PRED target predictions (Gallo et al. 2022, Nucleic Acids Res 50:W726): the "Targets" CSV of one compound.

``"Target Name","ChEMBL-ID","UniProt ID","PDB Visualization","TTD ID","Probability","Model accuracy"``, every field
quoted; ``Probability`` and ``Model accuracy`` are percent strings (``"90.27%"``). The export lists only the
server's predictions (in the real files, probabilities from about 50 % up). Targets are UniProt accessions (the
normalisation maps them to symbols). The compound is the file's (``compound_name``, default the label).

Rows kept: every exported row, or Probability ≥ ``min_probability`` (a fraction: 0.8 = 80 %), and Model accuracy
(the target model's cross-validated accuracy, not a second probability of the pair) ≥ ``min_accuracy`` when set.
"""

from __future__ import annotations

from netpharm.compounds.config import TargetTable
from netpharm.compounds.readers.records import TargetRead, TargetRecord
from netpharm.compounds.readers.table import Sheet, cell, find_column, number
from netpharm.errors import CompoundsError

__all__ = ["read_targets"]

_UNIPROT = ("UniProt ID",)
_PROBABILITY = ("Probability",)
_ACCURACY = ("Model accuracy",)


def _percent(fraction: float) -> str:
    return f"{fraction:.0%}" if (fraction * 100).is_integer() else f"{fraction:.2%}"


def read_targets(sheet: Sheet, spec: TargetTable) -> TargetRead:
    """The compound's predicted targets (UniProt accessions) at or above the probability cut.

    Raises
    ------
    CompoundsError
        No Super-PRED header, a probability that is not a percentage, or an empty UniProt cell (line named).
    """
    rows = [r for r in sheet.rows if not r.blank()]
    header = rows[0].cells if rows else ()
    uniprot, prob, accuracy = (find_column(header, n) for n in (_UNIPROT, _PROBABILITY, _ACCURACY))
    if uniprot is None or prob is None or find_column(header, ("Target Name",)) is None:
        raise CompoundsError(f"{sheet.origin}: not a Super-PRED targets export (no 'Target Name', 'UniProt ID' and "
                             "'Probability' columns)")
    compound = spec.one_compound
    scored = []
    for row in rows[1:]:
        for at, column in ((prob, "Probability"), (accuracy, "Model accuracy")):
            if at is not None and not cell(row, at).endswith("%"):
                raise CompoundsError(f"{sheet.where(row, column)}: {cell(row, at)!r} is not a percentage")
        if not cell(row, uniprot):
            raise CompoundsError(f"{sheet.where(row, 'UniProt ID')}: empty UniProt accession")
        acc = number(sheet, row, accuracy, "Model accuracy") / 100.0 if accuracy is not None else None
        scored.append((row, number(sheet, row, prob, "Probability") / 100.0, acc))
    cut, acc_cut = spec.min_probability, spec.min_accuracy
    if acc_cut is not None and accuracy is None:
        raise CompoundsError(f"{sheet.origin}: min_accuracy is set but the export has no 'Model accuracy' column")
    if cut is None:
        lowest = min((p for _, p, _ in scored), default=0.0)
        rule = f"every exported row (Super-PRED's predictions; lowest probability here {lowest:.2%})"
    else:
        rule = f"Probability ≥ {_percent(cut)}"
    if acc_cut is not None:
        rule += f" and Model accuracy ≥ {_percent(acc_cut)}"
    records = []
    for row, p, a in scored:
        if (cut is not None and p < cut - 1e-12) or (acc_cut is not None and a is not None and a < acc_cut - 1e-12):
            continue
        detail = f"probability {cell(row, prob)}" + (f"; model accuracy {cell(row, accuracy)}"
                                                     if accuracy is not None else "")
        records.append(TargetRecord(compound, cell(row, uniprot), row.line, detail))
    return TargetRead(records, len(scored), len(records), rule, {compound: {}})

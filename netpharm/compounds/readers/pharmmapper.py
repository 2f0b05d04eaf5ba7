"""PharmMapper reverse-pharmacophore target lists (Wang et al. 2017, Nucleic Acids Res 45:W356): "Targets.csv".

The server's CSV has quirks (kept by the real exports): the first record is ``"Ligand: <name>`` + newline + ``"``,
and every record ends with four empty fields and a quoted newline, so physical lines alternate; the csv module
reads it as written (a record's line is its first physical line). Columns as the server spells them: ``Pharma
Model, Num Feature, Fit, Norm Fit, zscore, ..., Name, Class, Uniplot, Function, Disease, Idication``. ``Uniplot``
is a UniProt accession (``P05373``) or entry name (``ANGI_HUMAN``); a hit without annotation has ``NONE``.

The pharmacophore database is not human-only (bacterial, viral, other mammals' proteins): with ``organism`` human
(the default) a hit is kept when its accession is a human one of the shipped gene table or its entry name ends in
``_HUMAN``; the others are counted in a note. Entry names are kept as written (the shipped table has no entry
names: they stay unmatched unless ``[compounds] target_names`` maps them).

Rows kept: z'-score ≥ ``min_score`` (default 0: a fit above the target's background fit distribution, the
z'-score of Wang et al. 2016, J Chem Inf Model 56:1175) and Norm Fit ≥ ``min_fit`` when set.
"""

from __future__ import annotations

from netpharm.compounds.config import TargetTable
from netpharm.compounds.readers.records import TargetRead, TargetRecord, shown
from netpharm.compounds.readers.table import Row, Sheet, cell, find_column, number
from netpharm.compounds.symbols import gene_table
from netpharm.errors import CompoundsError

__all__ = ["read_targets", "DEFAULT_MIN_ZSCORE"]

#: z'-score cut when ``min_score`` is unset.
DEFAULT_MIN_ZSCORE = 0.0
_UNIPROT = ("Uniplot", "Uniprot", "UniProt")
_NORM_FIT = ("Norm Fit",)
_ZSCORE = ("zscore", "z'-score", "z-score")


def _header(sheet: Sheet) -> tuple[int, int, int, int, int | None]:
    for i, row in enumerate(sheet.rows):
        at = [find_column(row.cells, names) for names in (_UNIPROT, _NORM_FIT, _ZSCORE)]
        if all(a is not None for a in at):
            u, f, z = (a for a in at if a is not None)
            return i, u, f, z, find_column(row.cells, ("Pharma Model",))
    raise CompoundsError(f"{sheet.origin}: not a PharmMapper target list (no header with 'Uniplot', 'Norm Fit' "
                         "and 'zscore')")


def _is_human(target: str, accessions: frozenset[str]) -> bool:
    return target.upper().endswith("_HUMAN") or target.upper().split("-")[0] in accessions


def read_targets(sheet: Sheet, spec: TargetTable) -> TargetRead:
    """The compound's pharmacophore hits passing the z'-score (and Norm Fit) cut, of the organism asked.

    Raises
    ------
    CompoundsError
        No PharmMapper header, or a Norm Fit or z'-score that is not a number (file, line and column named).
    """
    start, u, f, z, model = _header(sheet)
    rows: list[tuple[Row, float, float]] = [(row, number(sheet, row, f, "Norm Fit"), number(sheet, row, z, "zscore"))
                                            for row in sheet.rows[start + 1:] if not row.blank()]
    min_z = spec.min_score if spec.min_score is not None else DEFAULT_MIN_ZSCORE
    rule = f"z'-score ≥ {min_z:g}" + (f" and Norm Fit ≥ {spec.min_fit:g}" if spec.min_fit is not None else "")
    accessions = frozenset(gene_table().by_accession) if spec.human_only else frozenset()
    compound = spec.one_compound
    records: list[TargetRecord] = []
    unannotated: list[str] = []
    other: list[str] = []
    for row, fit, zscore in rows:
        if zscore < min_z or (spec.min_fit is not None and fit < spec.min_fit):
            continue
        target = cell(row, u)
        if not target or target.upper() == "NONE":
            unannotated.append(cell(row, model) if model is not None else str(row.line))
            continue
        if spec.human_only and not _is_human(target, accessions):
            other.append(target)
            continue
        records.append(TargetRecord(compound, target, row.line, f"Norm Fit {fit:g}; z'-score {zscore:g}"
                                    + (f"; model {cell(row, model)}" if model is not None else "")))
    notes = []
    if other:
        rule += "; human hits only"
        one = len(other) == 1
        notes.append(f"{len(other)} {'hit' if one else 'hits'} above the cut {'is' if one else 'are'} not human (an "
                     "accession not in the shipped human gene table, or an entry name not ending _HUMAN), left out: "
                     f"{shown(other)}")
    if unannotated:
        one = len(unannotated) == 1
        notes.append(f"{len(unannotated)} {'hit' if one else 'hits'} above the cut {'has' if one else 'have'} no "
                     f"UniProt annotation (NONE), left out: {shown(unannotated)}")
    entry_names = sorted({r.target for r in records if "_" in r.target})
    if entry_names:
        one = len(entry_names) == 1
        named = "target is a UniProt entry name" if one else "targets are UniProt entry names"
        notes.append(f"{len(entry_names)} {named} (the shipped gene table cannot map {'it' if one else 'them'}; "
                     f"[compounds] target_names can): {shown(entry_names)}")
    return TargetRead(records, len(rows), len(records), rule, {compound: {}}, notes)

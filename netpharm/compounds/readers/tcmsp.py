"""TCMSP herb pages (Ru et al. 2014, J Cheminform 6:13): ingredient → target and ingredient tables.

TCMSP has no export button; the real files are the page's JSON grids written out (TCMSP-Spider) or the web
table copied. Targets table: ``MOL_ID, molecule_name, target_name ...``; the targets are **protein names**
(``Prostaglandin G/H synthase 1``), not gene symbols, so most stay unmatched by the gene table and are listed
as such. Ingredients table: ``MOL_ID, molecule_name, ob, dl, ...`` or the page's ``Mol ID, Molecule Name,
OB (%), DL``. With it, compounds are screened by OB ≥ ``min_ob`` and DL ≥ ``min_dl`` (the usual 30 %, 0.18)
and their server values are carried as imported values.
"""

from __future__ import annotations

from pathlib import Path

from netpharm.compounds.config import TargetTable
from netpharm.compounds.readers.records import TargetRead, TargetRecord
from netpharm.compounds.readers.table import Row, Sheet, cell, find_column, number, read_sheet
from netpharm.errors import CompoundsError

__all__ = ["read_targets", "read_ingredients"]

_MOL = ("MOL_ID", "Mol ID")
_NAME = ("molecule_name", "Molecule Name")
_TARGET = ("target_name", "Target name", "Target")
_OB = ("ob", "OB (%)", "OB")
_DL = ("dl", "DL")
#: Imported ingredient values carried for drug-likeness (as the server computed them).
_CARRIED = {"ob": _OB, "dl": _DL, "mw": ("mw", "MW"), "alogp": ("alogp", "AlogP"), "caco2": ("caco2", "Caco-2"),
            "bbb": ("bbb", "BBB"), "hdon": ("hdon", "Hdon"), "hacc": ("hacc", "Hacc"), "halflife": ("halflife", "HL")}


def _columns(sheet: Sheet, wanted: dict[str, tuple[str, ...]]) -> tuple[list[int | None], list[Row]]:
    rows = [r for r in sheet.rows if not r.blank()]
    if not rows:
        raise CompoundsError(f"{sheet.origin}: the file holds no rows")
    index = [find_column(rows[0].cells, names) for names in wanted.values()]
    return index, rows


def read_ingredients(path: Path, sheet_name: str = "") -> tuple[str, dict[str, dict[str, str]]]:
    """``(origin, {molecule name: {value: text}})`` of a TCMSP ingredients table (ob, dl and the rest).

    Raises
    ------
    CompoundsError
        No molecule name, OB or DL column.
    """
    sheet = read_sheet(path, sheet_name, "TCMSP ingredients table")
    wanted = {"name": _NAME, "mol_id": _MOL, **_CARRIED}
    index, rows = _columns(sheet, wanted)
    at = dict(zip(wanted, index))
    name_at, ob_at, dl_at = at["name"], at["ob"], at["dl"]
    if name_at is None or ob_at is None or dl_at is None:
        raise CompoundsError(f"{sheet.origin}: not a TCMSP ingredients table (needs molecule_name, ob and dl "
                             f"columns; the header has {list(rows[0].cells)})")
    values: dict[str, dict[str, str]] = {}
    for row in rows[1:]:
        name = cell(row, name_at)
        number(sheet, row, ob_at, "ob")  # a value that is no number is named with its line, here
        number(sheet, row, dl_at, "dl")
        values[name] = {k: cell(row, i) for k, i in at.items() if i is not None and k != "name" and cell(row, i)}
    return sheet.origin, values


def read_targets(sheet: Sheet, spec: TargetTable, ingredients: dict[str, dict[str, str]] | None = None
                 ) -> TargetRead:
    """Ingredient → target pairs; with ``ingredients``, only the compounds passing OB and DL."""
    index, rows = _columns(sheet, {"name": _NAME, "target": _TARGET})
    name, target = index
    if name is None or target is None:
        raise CompoundsError(f"{sheet.origin}: not a TCMSP ingredient–target table (needs molecule_name and "
                             f"target_name; the header has {list(rows[0].cells)})")
    records: list[TargetRecord] = []
    compounds: dict[str, dict[str, str]] = {}
    screened_out: set[str] = set()
    for row in rows[1:]:
        compound, protein = cell(row, name), cell(row, target)
        if not compound or not protein:
            raise CompoundsError(f"{sheet.where(row)}: empty molecule or target name")
        values = (ingredients or {}).get(compound)
        if ingredients is not None:
            if values is None:
                raise CompoundsError(f"{sheet.where(row, 'molecule_name')}: {compound!r} is not in the "
                                     f"ingredients table ({spec.ingredients})")
            if not (float(values["ob"]) >= spec.min_ob and float(values["dl"]) >= spec.min_dl):
                screened_out.add(compound)
                continue
        compounds[compound] = dict(values or {})
        records.append(TargetRecord(compound, protein, row.line))
    rule = (f"compounds with OB ≥ {spec.min_ob:g} % and DL ≥ {spec.min_dl:g} (TCMSP's values)"
            if ingredients is not None else "every row (no ingredients table: no OB/DL screen)")
    notes = [f"{len(screened_out)} compounds fail the OB/DL screen: {', '.join(sorted(screened_out))}"] \
        if screened_out else []
    return TargetRead(records, len(rows) - 1, len(records), rule, compounds, notes)

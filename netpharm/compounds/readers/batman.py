"""BATMAN-TCM (v1) predicted drug–target tables (Liu et al. 2016, Sci Rep 6:21146): one compound per row, wide.

Row 1: ``Pubchem_CID | Predicted target (geneid|gene_symbol(score)) | 2nd | 3rd ...``; rows starting ``(continued)``
continue the header (BATMAN wraps a row wider than the sheet at 247 targets, and a compound's row likewise: a row
``424(continued)`` holds more targets of CID 424). Then one row per compound: its PubChem CID and
cells ``2348|FOLR1(1626.000)`` (Entrez id | symbol (score)) or ``2350|FOLR2(known target in DrugBank,TTD)`` — a
known target, which has no score. The compound is named by its CID as written (carried as ``pubchem_cid``).

Pairs kept: known targets, and predicted targets with score ≥ ``min_score`` (default 20, BATMAN-TCM's own default
score cut-off).
"""

from __future__ import annotations

import re

from netpharm.compounds.config import TargetTable
from netpharm.compounds.readers.records import TargetRead, TargetRecord, shown
from netpharm.compounds.readers.table import Sheet, cell, find_column
from netpharm.errors import CompoundsError

__all__ = ["read_targets", "DEFAULT_MIN_SCORE"]

#: BATMAN-TCM's default score cut-off (its prediction form's default).
DEFAULT_MIN_SCORE = 20.0
_CID = ("Pubchem_CID",)
_CELL = re.compile(r"^(\d+)\|([^()|]+)\((.*)\)$")
_NUMBER = re.compile(r"^\d+(?:\.\d+)?$")
_CONTINUED = "(continued)"


def read_targets(sheet: Sheet, spec: TargetTable) -> TargetRead:
    """(CID, gene) pairs: known targets and predictions at or above the score cut.

    Raises
    ------
    CompoundsError
        No BATMAN header; a cell that is not ``geneid|SYMBOL(score)`` (file, line and column named).
    """
    rows = [r for r in sheet.rows if not r.blank()]
    header = rows[0].cells if rows else ()
    cid_at = find_column(header, _CID)
    if cid_at is None or not any(c.strip().startswith("Predicted target") for c in header):
        raise CompoundsError(f"{sheet.origin}: not a BATMAN-TCM drug–target table (no 'Pubchem_CID' and "
                             "'Predicted target (geneid|gene_symbol(score))' header)")
    cut = spec.min_score if spec.min_score is not None else DEFAULT_MIN_SCORE
    body = [r for r in rows[1:] if cell(r, cid_at) != _CONTINUED]
    records: list[TargetRecord] = []
    compounds: dict[str, dict[str, str]] = {}
    pairs = known = below = 0
    previous = ""
    renamed: list[str] = []
    for row in body:
        written = cell(row, cid_at).removesuffix(_CONTINUED)
        continued = written != cell(row, cid_at)
        if not written.isdigit() or (continued and not previous):
            raise CompoundsError(f"{sheet.where(row, 'Pubchem_CID')}: {cell(row, cid_at)!r} is not a PubChem CID"
                                 + (" continuing a compound's row" if continued else ""))
        if continued and written != previous:  # seen in a real file: 611, 611(continued), 612(continued)
            renamed.append(f"line {row.line} ({written}(continued) after CID {previous}'s rows)")
        cid = previous if continued else written
        previous = cid
        compounds[cid] = {"pubchem_cid": cid}
        for i, text in enumerate(row.cells):
            text = text.strip()
            if i == cid_at or not text:
                continue
            found = _CELL.match(text)
            column = header[i] if not continued and i < len(header) and header[i].strip() else f"column {i + 1}"
            if not found:
                raise CompoundsError(f"{sheet.where(row, column)}: {text!r} is not 'geneid|SYMBOL(score)'")
            _, symbol, score = found.groups()
            pairs += 1
            if score.startswith("known target"):
                known += 1
                records.append(TargetRecord(cid, symbol.strip(), row.line, score))
            elif _NUMBER.match(score):
                if float(score) >= cut:
                    records.append(TargetRecord(cid, symbol.strip(), row.line, f"score {score}"))
                else:
                    below += 1
            else:
                raise CompoundsError(f"{sheet.where(row, column)}: {text!r}: the score {score!r} is not a number")
    rule = f"known targets and predicted targets with score ≥ {cut:g}"
    notes = [f"{len(compounds)} compounds, {pairs} target cells: {known} known targets (no score), "
             f"{len(records) - known} predicted at or above the cut, {below} below it"]
    if renamed:
        notes.append(f"{len(renamed)} continuation rows name another CID than the rows they continue; read as the "
                     f"continued compound's targets: {shown(renamed)}")
    bare = sorted(set(compounds) - {r.compound for r in records})
    if bare:
        notes.append(f"{len(bare)} compounds have no target kept: {shown(bare)}")
    return TargetRead(records, len(body), len({r.line for r in records}), rule, compounds, notes)

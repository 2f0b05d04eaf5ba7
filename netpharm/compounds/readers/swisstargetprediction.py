"""SwissTargetPrediction results (Daina et al. 2019, Nucleic Acids Res 47:W357): the CSV export and the table
pasted from the result page.

The CSV export is one compound's 100 predicted targets: ``Target, Common name, Uniprot ID, ChEMBL ID,
Target Class, Probability*, Known actives (3D/2D)``; ``Common name`` holds the gene symbol, or several for a
complex (``"GRIN1 GRIN2B"``); a target predicted from another species' ligands is marked ``(by homology)`` in
``Target``. Studies also paste the web page's table, tab-separated, several compounds one after another, each
block under a hand-typed title line (``SwissTargetPrediction Mangiferin``): each block is read as its compound.

A ``compound`` column, when named, gives each row's compound (tables stacked under one header with an added
column). Rows kept: probability > 0 (most of the 100 are 0), or ≥ ``min_probability`` when it is set (studies use 0.1
and more).
"""

from __future__ import annotations

import re

from netpharm.compounds.config import TargetTable
from netpharm.compounds.readers.records import TargetRead, TargetRecord, split_genes
from netpharm.compounds.readers.table import Row, Sheet, cell, column_index, find_column, number
from netpharm.errors import CompoundsError

__all__ = ["read_targets"]

_GENES = ("Common name",)
_PROBABILITY = ("Probability*", "Probability")
_TITLE_WORD = re.compile(r"\bswiss\s*target\s*prediction\b", re.IGNORECASE)


def _is_header(row: Row) -> bool:
    return find_column(row.cells, _GENES) is not None and find_column(row.cells, _PROBABILITY) is not None


def _title(row: Row) -> str:
    """A block's compound: the title line without the word SwissTargetPrediction and quotes."""
    text = " ".join(c.strip() for c in row.cells if c.strip())
    return _TITLE_WORD.sub(" ", text).strip().strip('"').strip()


def read_targets(sheet: Sheet, spec: TargetTable) -> TargetRead:
    """The kept compound → target pairs; the compound is the block's title, else ``compound_name``/the label.

    Raises
    ------
    CompoundsError
        No SwissTargetPrediction header, or a probability that is not a number (line named).
    """
    threshold = spec.min_probability
    rule = f"Probability* ≥ {threshold:g}" if threshold is not None else "Probability* > 0"
    records: list[TargetRecord] = []
    compounds: dict[str, dict[str, str]] = {}
    title = ""
    compound = ""
    header: tuple[int, int, int, int | None] | None = None
    rows = kept = blocks = 0
    for row in sheet.rows:
        if row.blank():
            continue
        if _is_header(row):
            genes, prob = find_column(row.cells, _GENES), find_column(row.cells, _PROBABILITY)
            target = find_column(row.cells, ("Target",))
            assert genes is not None and prob is not None  # _is_header
            named = column_index(row.cells, spec.compound, sheet.origin, "compound") if spec.compound != "" else None
            header = (genes, prob, target if target is not None else genes, named)
            compound, title, blocks = title or spec.one_compound, "", blocks + 1
            if named is None:
                compounds.setdefault(compound, {})
            continue
        if header is None or len(row.cells) < 3:  # text before the first header, or a block's title line
            title = _title(row)
            header = None if len(row.cells) < 3 else header
            continue
        genes, prob, target, named = header
        rows += 1
        if named is not None:  # a compound column (several compounds' tables stacked under one header)
            compound = cell(row, named)
            if not compound:
                raise CompoundsError(f"{sheet.where(row, str(spec.compound))}: empty compound name")
            compounds.setdefault(compound, {})
        p = number(sheet, row, prob, "Probability*")
        if (p < threshold) if threshold is not None else (p <= 0):
            continue
        kept += 1
        homology = "(by homology)" in cell(row, target)
        detail = f"probability {p:g}" + ("; by homology" if homology else "")
        records += [TargetRecord(compound, g, row.line, detail) for g in split_genes(cell(row, genes))]
    if blocks == 0:
        raise CompoundsError(f"{sheet.origin}: not a SwissTargetPrediction table (no header with 'Common name' "
                             "and 'Probability*')")
    notes = [f"{blocks} compound blocks (pasted result page)"] if blocks > 1 else []
    return TargetRead(records, rows, kept, rule, compounds, notes)

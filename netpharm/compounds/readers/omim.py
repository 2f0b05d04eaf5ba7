"""OMIM search exports (Amberger et al. 2019, Nucleic Acids Res 47:D1038): "Download As → Excel" of a search.

Layout: a title (``OMIM Search - '<query>'``), ``Downloaded:``, a Johns Hopkins copyright line, then ``MIM Number,
Title, Included Titles, Cytogenetic Location, Genomic Coordinates ..., Entrez Gene ID``, the entries, and — when
the search found more than OMIM exports — a footer ``This search returned 2,444 entries which exceeded the maximum
of 1,000 so the results were truncated.`` A truncated export is said (rule and an "incomplete list" note the stage
lists as missing), never read as the whole answer.

The MIM number's prefix says what an entry is (omim.org/help/faq): ``*`` a gene, ``+`` a gene with a known
phenotype, ``#`` a phenotype with a known molecular basis, ``%`` a phenotype with an unknown basis, none: other,
mainly phenotypes. Only gene entries (``*``, ``+``) are disease genes here; their title is written ``APOLIPOPROTEIN
E; APOE``: the gene symbol follows the last ``"; "``. Phenotype entries are counted in a note, not read as genes
(their abbreviation, ``TRMA``, is not a gene symbol).
"""

from __future__ import annotations

import re

from netpharm.compounds.config import DiseaseTable
from netpharm.compounds.readers.records import INCOMPLETE, DiseaseRead, GeneRecord, shown
from netpharm.compounds.readers.table import Row, Sheet, cell, find_column
from netpharm.errors import CompoundsError

__all__ = ["read_disease"]

_MIM = ("MIM Number",)
_TITLE = ("Title",)
_FOOTER = re.compile(r"this search returned ([\d,]+) entries.*maximum of ([\d,]+)", re.IGNORECASE)
_GENE_PREFIXES = ("*", "+")
_PREFIX_NAMES = {"*": "gene", "+": "gene and phenotype", "#": "phenotype, molecular basis known",
                 "%": "phenotype, molecular basis unknown", "^": "removed or moved", "": "other (no prefix)"}


def _header(sheet: Sheet) -> tuple[int, int, int]:
    for i, row in enumerate(sheet.rows):
        mim, title = find_column(row.cells, _MIM), find_column(row.cells, _TITLE)
        if mim is not None and title is not None:
            return i, mim, title
    raise CompoundsError(f"{sheet.origin}: not an OMIM search export (no header with 'MIM Number' and 'Title')")


def _count(text: str) -> int:
    return int(text.replace(",", ""))


def read_disease(sheet: Sheet, spec: DiseaseTable) -> DiseaseRead:
    """The gene symbols of the export's gene entries; a truncated search is said in the rule and the notes.

    Raises
    ------
    CompoundsError
        No OMIM header, or a MIM number that is not a (prefixed) number (file, line and column named).
    """
    start, m, t = _header(sheet)
    entries: list[Row] = []
    truncated: tuple[int, int] | None = None
    for row in sheet.rows[start + 1:]:
        if row.blank():
            continue
        footer = _FOOTER.search(" ".join(row.cells))
        if footer:
            truncated = (_count(footer.group(1)), _count(footer.group(2)))
            break
        entries.append(row)
    records: list[GeneRecord] = []
    by_prefix: dict[str, int] = {}
    no_symbol: list[str] = []
    for row in entries:
        number = cell(row, m)
        prefix = number[0] if number[:1] in ("*", "+", "#", "%", "^") else ""
        if not number[len(prefix):].isdigit():
            raise CompoundsError(f"{sheet.where(row, 'MIM Number')}: {number!r} is not an OMIM number")
        by_prefix[prefix] = by_prefix.get(prefix, 0) + 1
        if prefix not in _GENE_PREFIXES:
            continue
        title = cell(row, t)
        symbol = title.rsplit("; ", 1)[1].strip() if "; " in title else ""
        if symbol:
            records.append(GeneRecord(symbol, row.line))
        else:
            no_symbol.append(number)
    rule = "gene entries (MIM number * or +), the symbol after the title's last '; '"
    notes = []
    if truncated is not None:
        rule += f"; TRUNCATED: OMIM found {truncated[0]:,} entries and exported the first {truncated[1]:,}"
        notes.append(f"{INCOMPLETE}OMIM's search found {truncated[0]:,} entries but the export holds the first "
                     f"{len(entries):,} (its maximum is {truncated[1]:,}): the genes of the other "
                     f"{truncated[0] - len(entries):,} entries are not in this file")
    others = {p: n for p, n in by_prefix.items() if p not in _GENE_PREFIXES}
    if others:
        notes.append("entries that are not genes, left out: " + ", ".join(
            f"{n} {_PREFIX_NAMES[p]}" + (f" ({p})" if p else "") for p, n in sorted(others.items())))
    if no_symbol:
        notes.append(f"{len(no_symbol)} gene entries have no symbol in their title: {shown(no_symbol)}")
    return DiseaseRead(records, len(entries), len(records), rule, notes)

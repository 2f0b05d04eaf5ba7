"""Parsing STRING interaction tables: web exports (full and short) and the API ``network`` TSV.

One normalised edge table serves every source (columns :data:`EDGE_COLUMNS`): ``name_a,
name_b`` (sorted so ``name_a < name_b``), ``string_id_a, string_id_b``, ``score`` (combined,
0–1) and the channel scores ``nscore fscore pscore hscore ascore escore dscore tscore``.

No pandas here on purpose: ``netpharm network`` parses, analyses and writes without importing
it (pandas' import is 0.15–0.2 s of a sub-second command). :attr:`ParsedEdges.columns` holds the
table as NumPy arrays and lists; :attr:`ParsedEdges.edges` builds the DataFrame on first use.

Every file is first checked column by column (NumPy conversions, sets of unique ids); only
when a check fails is it read again row by row, so that the error names the first bad line. Both readers give the same table (``tests/test_tables.py``).
"""

from __future__ import annotations

import csv
import io
import math
import operator
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from itertools import chain
from typing import TYPE_CHECKING, Any

import numpy as np

from netpharm.errors import ImportFormatError, InputError
from netpharm.network.files import NAME_A, NAME_B

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["CHANNELS", "EDGE_COLUMNS", "SCORE_EPS", "ParsedEdges", "parse_string_table", "real_columns_of",
           "score_mask"]

#: Tolerance of the score cut-off: STRING prints scores with 3 decimals, so 0.4 must pass required_score 400.
SCORE_EPS = 1e-9


def score_mask(scores: np.ndarray, required_score: int) -> np.ndarray:
    """Which combined scores (0–1) pass STRING's ``required_score`` (0–1000): score ≥ required/1000.

    The one place the cut-off is applied (also by :func:`netpharm.network.tables.at_score`).
    """
    return np.asarray(scores, dtype=np.float64) >= required_score / 1000.0 - SCORE_EPS


CHANNELS = ("nscore", "fscore", "pscore", "hscore", "ascore", "escore", "dscore", "tscore")

_WEB_COLUMNS = {
    "node1": "name_a", "node2": "name_b",
    "node1_string_id": "string_id_a", "node2_string_id": "string_id_b",
    "neighborhood_on_chromosome": "nscore", "gene_fusion": "fscore",
    "phylogenetic_cooccurrence": "pscore", "homology": "hscore", "coexpression": "ascore",
    "experimentally_determined_interaction": "escore", "database_annotated": "dscore",
    "automated_textmining": "tscore", "combined_score": "score",
}
_API_COLUMNS = {
    "preferredName_A": "name_a", "preferredName_B": "name_b",
    "stringId_A": "string_id_a", "stringId_B": "string_id_b", "score": "score",
    "nscore": "nscore", "fscore": "fscore", "pscore": "pscore", "ascore": "ascore",
    "escore": "escore", "dscore": "dscore", "tscore": "tscore",
}
EDGE_COLUMNS = (NAME_A, NAME_B, "string_id_a", "string_id_b", "score", *CHANNELS)
_STRING_ID = re.compile(r"^(\d+)\.\S+$")


@dataclass
class ParsedEdges:
    """A parsed STRING table.

    Attributes
    ----------
    columns : dict
        One entry per unordered pair (duplicates merged, sorted by name_a, name_b), for each of
        ``EDGE_COLUMNS``: names and ids as lists of str, scores as float64 arrays (NaN = missing).
    nodes : list of str
        Every protein named in the file (sorted).
    format : str
        ``string_web_export`` or ``string_api_tsv``.
    rows : int
        Data rows read.
    duplicate_pairs : int
        Pairs listed more than once (STRING full exports list each pair twice).
    multiplicity : dict
        ``(name_a, name_b) -> times listed``: Cytoscape counts each listing as an edge
        in Degree, so the compatibility degree needs it.
    min_score : float
        Lowest combined score present (the export's cut-off is at most this).
    string_ids : dict
        name -> STRING id(s) seen.
    species : int or None
        NCBI taxon of the STRING ids (``None`` when the file holds no real ids).
    real_columns : tuple of str
        Columns holding real values; every other column of ``edges`` is missing (NaN/empty).
    first_seen : list of str
        Every protein in the order it first appears in the file: the order Cytoscape creates the
        nodes when it imports the file (MCODE breaks ties by it).
    """

    columns: dict[str, Any]
    nodes: list[str]
    format: str
    rows: int
    duplicate_pairs: int
    multiplicity: dict[tuple[str, str], int]
    min_score: float
    string_ids: dict[str, set[str]] = field(default_factory=dict)
    species: int | None = None
    real_columns: tuple[str, ...] = EDGE_COLUMNS
    first_seen: list[str] = field(default_factory=list)

    @cached_property
    def edges(self) -> pd.DataFrame:
        """The table as a DataFrame (columns ``EDGE_COLUMNS``), built on first use."""
        import pandas as pd

        return pd.DataFrame(self.columns, columns=list(EDGE_COLUMNS))


def _detect(header: list[str], origin: str) -> tuple[str, dict[str, str]]:
    cleaned = [h.lstrip("#").strip() for h in header]
    if {"node1", "node2", "combined_score"} <= set(cleaned):
        return "string_web_export", _WEB_COLUMNS
    if {"stringId_A", "stringId_B", "preferredName_A", "preferredName_B", "score"} <= set(cleaned):
        return "string_api_tsv", _API_COLUMNS
    raise ImportFormatError(
        f"{origin}: line 1: not a STRING export or API network TSV (header: {' '.join(header[:6])}...); "
        "expected columns node1/node2/combined_score or stringId_A/stringId_B/score")


def _number(value: str, column: str, origin: str, line: int) -> float:
    """A 0–1 score; an empty channel cell is a missing value (NaN), never 0."""
    if value.strip() == "":
        return math.nan
    try:
        number = float(value)
    except ValueError:
        raise ImportFormatError(f"{origin}: line {line}: column {column!r} is not a number: {value!r}") from None
    if not 0.0 <= number <= 1.0:
        raise ImportFormatError(f"{origin}: line {line}: {column} = {number} outside 0–1")
    return number


def real_columns_of(file_columns: Iterable[str]) -> tuple[str, ...]:
    """Normalised names (``EDGE_COLUMNS``) of file column names declared real (web or API names).

    Raises
    ------
    InputError
        A name is neither a STRING web-export nor an API column, or the names/combined score are
        not among them (an edge without a real score is no evidence).
    """
    mapping = {**_WEB_COLUMNS, **_API_COLUMNS, **{c: c for c in EDGE_COLUMNS}}
    names = [c.strip().lstrip("#") for c in file_columns if c.strip()]
    unknown = [c for c in names if c not in mapping]
    if unknown:
        raise InputError(f"unknown column(s) declared real: {', '.join(unknown)}; choose from "
                         f"{', '.join(_WEB_COLUMNS)} (or the API names {', '.join(_API_COLUMNS)})")
    real = tuple(dict.fromkeys(mapping[c] for c in names))
    if not {"name_a", "name_b", "score"} <= set(real):
        raise InputError("the node names and the combined score must be among the real columns")
    return real


def _taxon(string_id: str, where: str) -> int:
    """NCBI taxon of a STRING protein id ``<taxon>.<protein>`` (STRING's id scheme)."""
    match = _STRING_ID.match(string_id)
    if match is None:
        raise ImportFormatError(
            f"{where}: {string_id!r} is not a STRING protein id (<taxon>.<protein>); if the "
            "file's STRING-id columns were written by another tool, declare the real columns "
            "(`netpharm import --real-columns node1,node2,combined_score`)")
    return int(match.group(1))


def _check_channels(numbers: dict[str, float], present: set[str], origin: str, line: int, pair: str) -> None:
    """Refuse a row whose every channel is 0 while the combined score is not.

    STRING's combined score is 1 − Π(1 − s_i) over the channel scores after removing the
    prior (von Mering et al. 2005, Nucleic Acids Res 33:D433): all channels 0 cannot give a
    combined score ≥ 0.15. No row of the ~21,000 real rows in tests/data does this; tools that
    keep only the combined score write such rows (anaciur/PSDExplorer).
    """
    shown = [c for c in CHANNELS if c in present]
    if len(shown) >= 7 and numbers["score"] > 0 and all(numbers[c] == 0 for c in shown):
        raise ImportFormatError(
            f"{origin}: line {line}: {pair} has combined score {numbers['score']} but every channel is 0 — "
            "not a STRING row; if only the names and combined_score are real, declare them "
            "(`netpharm import --real-columns node1,node2,combined_score`)")


def parse_string_table(text: str, origin: str = "<text>", real_columns: Sequence[str] | None = None,
                       species: int | None = None) -> ParsedEdges:
    """Parse a STRING web export or API ``network`` TSV.

    Parameters
    ----------
    text : str
        File content.
    origin : str
        File name for error messages.
    real_columns : sequence of str, optional
        Normalised columns (``EDGE_COLUMNS``) that hold real STRING values; the others are
        read as missing (NaN / empty id), never as scores. ``None``: every column present.
        A column absent from the file (the API TSV has no homology column) is missing too,
        never 0.
    species : int, optional
        NCBI taxon every STRING id must carry (the workflow's ``species``).

    Raises
    ------
    ImportFormatError
        Unknown header, a short row, an empty or non-numeric combined score, a self-pair, a
        STRING id of another species, an all-zero-channel row — file and line named.
    """
    reader = csv.reader(io.StringIO(text), delimiter="\t")
    try:
        header = next(reader)
    except StopIteration:
        raise ImportFormatError(f"{origin}: empty file") from None
    fmt, mapping = _detect(header, origin)
    index = {mapping[h.lstrip("#").strip()]: i for i, h in enumerate(header)
             if h.lstrip("#").strip() in mapping}
    if real_columns is not None:
        index = {c: i for c, i in index.items() if c in set(real_columns) | {"name_a", "name_b", "score"}}
    taxon_col = next((i for i, h in enumerate(header) if h.strip() == "ncbiTaxonId"), None)
    if real_columns is not None and not {"string_id_a", "string_id_b"} <= set(real_columns):
        taxon_col = None
    layout = _Layout(origin, len(header), index, taxon_col, species)
    numbered = [(line_no, row) for line_no, row in enumerate(reader, start=2)
                if row and not (len(row) == 1 and not row[0].strip())]
    table = _read_columns([row for _, row in numbered], layout) if numbered else None
    if table is None:  # some check failed (or no rows): read row by row for the exact line and message
        table = _read_rows(numbered, layout)
    columns, multiplicity, ids, taxa = table
    nodes = sorted(set(columns["name_a"]) | set(columns["name_b"]))
    return ParsedEdges(columns=columns, nodes=nodes, format=fmt, rows=len(numbered),
                       duplicate_pairs=sum(1 for v in multiplicity.values() if v > 1),
                       multiplicity=multiplicity, min_score=float(columns["score"].min()), string_ids=ids,
                       species=next(iter(taxa)) if taxa else None,
                       real_columns=tuple(c for c in EDGE_COLUMNS if c in index),
                       first_seen=_first_seen(numbered, index["name_a"], index["name_b"]))


def _first_seen(numbered: list[tuple[int, list[str]]], a: int, b: int) -> list[str]:
    """Names in the order they first appear (node1 before node2 on each row)."""
    return list(dict.fromkeys(row[i].strip() for _, row in numbered for i in (a, b)))


@dataclass(frozen=True)
class _Layout:
    """Where each normalised column sits in the file, and what the rows are checked against."""

    origin: str
    width: int
    index: dict[str, int]
    taxon_col: int | None
    species: int | None


_Table = tuple[dict[str, Any], dict[tuple[str, str], int], dict[str, set[str]], set[int]]


def _read_columns(rows: list[list[str]], layout: _Layout) -> _Table | None:
    """The table from whole columns at once, or ``None`` when any row breaks a rule of
    :func:`_read_rows` (which then finds and names it). Same result as :func:`_read_rows`.

    Written with ``map`` over builtins (C loops) rather than per-row Python code: this is what
    makes the 18,704-row export parse in a few tens of milliseconds.
    """
    index, n = layout.index, len(rows)
    if min(map(len, rows)) < layout.width:
        return None
    cells = list(zip(*rows))
    first = list(map(str.strip, cells[index["name_a"]]))
    second = list(map(str.strip, cells[index["name_b"]]))
    if not all(first) or not all(second) or any(map(operator.eq, first, second)):
        return None
    numbers: dict[str, np.ndarray] = {}
    for column in ("score", *CHANNELS):
        if column not in index:
            numbers[column] = np.full(n, math.nan)
            continue
        raw = cells[index[column]]
        blank = None
        if not all(map(str.strip, raw)):  # an empty cell: a missing channel (NaN), never 0
            if column == "score":
                return None
            blank = np.fromiter((not x.strip() for x in raw), dtype=bool, count=n)
            raw = tuple("0" if b else x for x, b in zip(raw, blank.tolist()))
        try:
            values = np.fromiter(map(float, raw), dtype=np.float64, count=n)  # float(): _number's parsing
        except ValueError:
            return None
        if not ((values >= 0.0) & (values <= 1.0)).all():
            return None
        if blank is not None:
            values[blank] = math.nan
        numbers[column] = values
    shown = [c for c in CHANNELS if c in index]
    if len(shown) >= 7 and ((numbers["score"] > 0) & np.all([numbers[c] == 0 for c in shown], axis=0)).any():
        return None
    ids_a = list(cells[index["string_id_a"]]) if "string_id_a" in index else [""] * n
    ids_b = list(cells[index["string_id_b"]]) if "string_id_b" in index else [""] * n
    taxa = _column_taxa([ids for k, ids in (("string_id_a", ids_a), ("string_id_b", ids_b)) if k in index],
                        cells[layout.taxon_col] if layout.taxon_col is not None else ())
    if taxa is None or (layout.species is not None and taxa - {layout.species}) or len(taxa) > 1:
        return None
    name_a, name_b = list(map(min, first, second)), list(map(max, first, second))
    swap = np.fromiter(map(operator.gt, first, second), dtype=bool, count=n)
    id_a, id_b = np.array(ids_a, dtype=object), np.array(ids_b, dtype=object)
    sid_a, sid_b = np.where(swap, id_b, id_a).tolist(), np.where(swap, id_a, id_b).tolist()
    keys = list(zip(name_a, name_b))
    last = dict(zip(keys, range(n)))  # each pair's last listing (as _read_rows keeps), first-seen order
    score = numbers["score"]
    if len(last) < n and (np.abs(score - score[[last[k] for k in keys]]) > 1e-9).any():
        return None  # a pair listed with different scores
    multiplicity = dict(Counter(keys))
    ids: dict[str, set[str]] = {name: set() for name in chain.from_iterable(keys)}  # row order, as _read_rows
    for name, sid in set(zip(chain(name_a, name_b), chain(sid_a, sid_b))):
        ids[name].add(sid)
    pick = [last[key] for key in sorted(last)]
    getter = operator.itemgetter(*pick) if len(pick) > 1 else (lambda seq: (seq[pick[0]],))
    columns: dict[str, Any] = {"name_a": list(getter(name_a)), "name_b": list(getter(name_b)),
                               "string_id_a": list(getter(sid_a)), "string_id_b": list(getter(sid_b))}
    order = np.asarray(pick, dtype=np.int64)
    columns.update({c: numbers[c][order] for c in ("score", *CHANNELS)})
    return columns, multiplicity, ids, taxa


def _column_taxa(id_columns: list[list[str]], taxon_cells: Sequence[str]) -> set[int] | None:
    """Taxa of every STRING id and ``ncbiTaxonId`` cell; ``None`` if one is malformed."""
    taxa: set[int] = set()
    for sid in {x.strip() for ids in id_columns for x in ids} - {""}:
        match = _STRING_ID.match(sid)
        if match is None:
            return None
        taxa.add(int(match.group(1)))
    for cell in {x.strip() for x in taxon_cells} - {""}:
        try:
            taxa.add(int(cell))
        except ValueError:
            return None
    return taxa


def _read_rows(numbered: list[tuple[int, list[str]]], layout: _Layout) -> _Table:
    """The table row by row; raises on the first bad row, naming its line."""
    origin, index, species, taxon_col = layout.origin, layout.index, layout.species, layout.taxon_col
    present = set(index)
    merged: dict[tuple[str, str], dict[str, Any]] = {}
    multiplicity: dict[tuple[str, str], int] = {}
    ids: dict[str, set[str]] = {}
    taxa: set[int] = set()
    for line_no, row in numbered:
        if len(row) < layout.width:
            raise ImportFormatError(f"{origin}: line {line_no}: {len(row)} fields, header has {layout.width}")
        record = {"string_id_a": "", "string_id_b": "", **{col: row[i] for col, i in index.items()}}
        a, b = record["name_a"].strip(), record["name_b"].strip()
        if not a or not b:
            raise ImportFormatError(f"{origin}: line {line_no}: empty node name")
        if a == b:
            raise ImportFormatError(f"{origin}: line {line_no}: self-interaction {a}–{b}")
        if record["score"].strip() == "":
            raise ImportFormatError(f"{origin}: line {line_no}: empty combined score for {a}–{b} "
                                    "(a missing score is not 0)")
        numbers = {c: _number(record.get(c, ""), c, origin, line_no) for c in ("score", *CHANNELS)}
        _check_channels(numbers, present, origin, line_no, f"{a}–{b}")
        taxon_cell = row[taxon_col] if taxon_col is not None else ""
        taxa |= _check_species(record, present, taxon_cell, taxa, species, f"{origin}: line {line_no}", f"{a}–{b}")
        if (a, b) > (b, a):
            a, b = b, a
            record["string_id_a"], record["string_id_b"] = record["string_id_b"], record["string_id_a"]
        for name, sid in ((a, record["string_id_a"]), (b, record["string_id_b"])):
            ids.setdefault(name, set()).add(sid)
        key = (a, b)
        multiplicity[key] = multiplicity.get(key, 0) + 1
        previous = merged.get(key)
        if previous is not None and abs(previous["score"] - numbers["score"]) > 1e-9:
            raise ImportFormatError(
                f"{origin}: line {line_no}: pair {a}–{b} listed again with a different score "
                f"({previous['score']} vs {numbers['score']})")
        merged[key] = {"name_a": a, "name_b": b, "string_id_a": record["string_id_a"],
                       "string_id_b": record["string_id_b"], **numbers}
    if not merged:
        raise ImportFormatError(f"{origin}: no interactions in file")
    ordered = [merged[key] for key in sorted(merged)]
    columns: dict[str, Any] = {c: [r[c] for r in ordered] for c in EDGE_COLUMNS[:4]}
    columns.update({c: np.array([r[c] for r in ordered], dtype=np.float64) for c in EDGE_COLUMNS[4:]})
    return columns, multiplicity, ids, taxa


def _check_species(record: dict[str, str], present: set[str], taxon_cell: str, seen: set[int],
                   species: int | None, where: str, pair: str) -> set[int]:
    """Taxa of one row (its STRING ids, and the API's ``ncbiTaxonId``), checked against ``species``.

    One file is one species (a STRING network never spans two), so a second taxon is an error.
    """
    taxa = {_taxon(record[k].strip(), where) for k in ("string_id_a", "string_id_b")
            if k in present and record[k].strip()}
    if taxon_cell.strip():
        try:
            taxa.add(int(taxon_cell.strip()))
        except ValueError:
            raise ImportFormatError(f"{where}: ncbiTaxonId {taxon_cell!r} is not a taxon id") from None
    if species is not None and taxa - {species}:
        raise ImportFormatError(f"{where}: {pair} is species {', '.join(map(str, sorted(taxa)))}, "
                                f"not the workflow's species {species}")
    if len(seen | taxa) > 1:
        raise ImportFormatError(f"{where}: mixes species {', '.join(map(str, sorted(seen | taxa)))}")
    return taxa


"""STRING interaction tables: parsing exports and API answers, and pair coverage.

One normalised edge table serves every source: STRING web exports
(``string_interactions.tsv`` and ``_short``, pairs listed once or twice) and STRING API
``network`` TSV. Columns: ``name_a, name_b`` (sorted so ``name_a < name_b``),
``string_id_a, string_id_b``, ``score`` (combined, 0–1) and the channel scores
``nscore fscore pscore hscore ascore escore dscore tscore``, plus ``source``.

Coverage is what makes partial data honest: for every pair of targets a network knows
whether the pair is an ``edge``, a known ``non_edge`` (both proteins were queried, or
both are present in an export whose score cut-off is at or below the required score),
or ``unknown``.
"""

from __future__ import annotations

import csv
import io
import itertools
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from netpharm.errors import ImportFormatError, InputError

__all__ = ["CHANNELS", "ParsedEdges", "parse_string_table", "PairCoverage", "pair_coverage", "at_score",
           "SCORE_EPS", "EDGE_COLUMNS", "real_columns_of", "TARGET_COLUMNS", "compact_summary", "choose_listing",
           "FULL_LISTING_MAX_TARGETS"]

#: Tolerance of the score cut-off: STRING prints scores with 3 decimals, so 0.4 must pass required_score 400.
SCORE_EPS = 1e-9


def at_score(edges: pd.DataFrame, required_score: int) -> pd.DataFrame:
    """The rows of ``edges`` whose combined ``score`` (0–1) is at least ``required_score`` (0–1000).

    The one place the cut-off is applied (STRING's ``required_score`` convention: a combined
    score ≥ required_score / 1000 is kept).
    """
    return edges[edges["score"] >= required_score / 1000.0 - SCORE_EPS]

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
EDGE_COLUMNS = ("name_a", "name_b", "string_id_a", "string_id_b", "score", *CHANNELS)
COVERAGE_COLUMNS = ["name_a", "name_b", "status", "score", "evidence", "conflict"]
_STRING_ID = re.compile(r"^(\d+)\.\S+$")


@dataclass
class ParsedEdges:
    """A parsed STRING table.

    Attributes
    ----------
    edges : DataFrame
        One row per unordered pair (duplicates merged), columns ``EDGE_COLUMNS``.
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
    """

    edges: pd.DataFrame
    nodes: list[str]
    format: str
    rows: int
    duplicate_pairs: int
    multiplicity: dict[tuple[str, str], int]
    min_score: float
    string_ids: dict[str, set[str]] = field(default_factory=dict)
    species: int | None = None
    real_columns: tuple[str, ...] = EDGE_COLUMNS


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
    present = set(index)
    merged: dict[tuple[str, str], dict[str, Any]] = {}
    multiplicity: dict[tuple[str, str], int] = {}
    ids: dict[str, set[str]] = {}
    taxa: set[int] = set()
    rows = 0
    for line_no, row in enumerate(reader, start=2):
        if not row or (len(row) == 1 and not row[0].strip()):
            continue
        if len(row) < len(header):
            raise ImportFormatError(f"{origin}: line {line_no}: {len(row)} fields, header has {len(header)}")
        rows += 1
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
    edges = pd.DataFrame(sorted(merged.values(), key=lambda r: (r["name_a"], r["name_b"])),
                         columns=list(EDGE_COLUMNS))
    nodes = sorted(set(edges["name_a"]) | set(edges["name_b"]))
    return ParsedEdges(edges=edges, nodes=nodes, format=fmt, rows=rows,
                       duplicate_pairs=sum(1 for v in multiplicity.values() if v > 1),
                       multiplicity=multiplicity, min_score=float(edges["score"].min()), string_ids=ids,
                       species=next(iter(taxa)) if taxa else None,
                       real_columns=tuple(c for c in EDGE_COLUMNS if c in present))


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


@dataclass(frozen=True)
class PairCoverage:
    """Coverage of every target pair (see module docstring).

    Attributes
    ----------
    table : DataFrame
        ``name_a, name_b, status, score, evidence, conflict``. ``listing = "full"``: one row per
        target pair. ``"compact"`` (large target lists): only the pairs some source lists
        (edges, pairs listed below the required score, conflicts); every other pair is counted
        per target in ``per_target``.
    covered_targets, uncovered_targets : list of str
    listing : {"full", "compact"}
    totals : dict, optional
        Pairs per status over *all* pairs (compact listing; the full table counts itself).
    per_target : DataFrame, optional
        Compact listing: ``TARGET_COLUMNS``, one row per target.
    """

    table: pd.DataFrame          # name_a, name_b, status, score, evidence, conflict
    covered_targets: list[str]
    uncovered_targets: list[str]
    listing: str = "full"
    totals: dict[str, int] | None = None
    per_target: pd.DataFrame | None = None

    @property
    def conflicts(self) -> pd.DataFrame:
        """Pairs on which two sources disagree (``conflict`` non-empty)."""
        if "conflict" not in self.table.columns:
            return self.table.iloc[0:0]
        return self.table[self.table["conflict"].fillna("").astype(str) != ""]

    @property
    def unknown_pairs(self) -> pd.DataFrame:
        """The listed rows with status unknown (none in a compact listing: see :meth:`counts`)."""
        return self.table[self.table["status"] == "unknown"]

    def counts(self) -> dict[str, int]:
        """Pairs per status (``edge``, ``non_edge``, ``unknown``) over every target pair."""
        if self.totals is not None:
            return dict(self.totals)
        counts = self.table["status"].value_counts().to_dict()
        return {k: int(counts.get(k, 0)) for k in ("edge", "non_edge", "unknown")}

    def pair_total(self) -> int:
        """Number of target pairs, n (n − 1) / 2."""
        return sum(self.counts().values())


#: Columns of ``network/coverage_targets.tsv`` (compact listing): pairs of each target per status,
#: and the sources holding the target.
TARGET_COLUMNS = ["name", "covered", "edge", "non_edge", "unknown", "sources"]
#: Above this many targets ``coverage = "auto"`` writes the compact listing (2,000 targets = 2 M pairs).
FULL_LISTING_MAX_TARGETS = 2000


def choose_listing(mode: str, n_targets: int) -> str:
    """``"full"`` or ``"compact"`` for a workflow's ``network.coverage`` (``auto``, ``full``, ``compact``)."""
    if mode == "auto":
        return "full" if n_targets <= FULL_LISTING_MAX_TARGETS else "compact"
    return mode


def compact_summary(targets: Sequence[str], listed: pd.DataFrame, proving: Sequence[tuple[set[str], str]],
                    holders: dict[str, list[str]]) -> tuple[dict[str, int], pd.DataFrame]:
    """Totals and per-target counts of every pair, from the listed rows and the proving sets only.

    Parameters
    ----------
    targets : sequence of str
    listed : DataFrame
        The listed pairs (``name_a, name_b, status``), every one a pair of ``targets``.
    proving : sequence of (set of names, label)
        Sources in which any two proteins held without a listed pair are a known non-edge.
    holders : dict
        target -> labels of the sources holding it (for the ``sources`` column).

    Notes
    -----
    Linear in targets + listed pairs + proving-set sizes, never in n²: a target's unlisted
    non-edges are the other targets of its proving sets minus those it has listed pairs with;
    the rest of its n − 1 pairs are unknown. Written by hand: this counting has no library.
    """
    n = len(targets)
    index = {t: i for i, t in enumerate(targets)}
    listed_nbrs: dict[str, set[str]] = {t: set() for t in targets}
    per_status = {t: {"edge": 0, "non_edge": 0} for t in targets}
    for a, b, status in zip(listed["name_a"], listed["name_b"], listed["status"]):
        listed_nbrs[a].add(b)
        listed_nbrs[b].add(a)
        per_status[a][status] += 1
        per_status[b][status] += 1
    sets = [{x for x in names if x in index} for names, _ in proving]
    member: dict[str, list[int]] = {}
    for k, names in enumerate(sets):
        for x in names:
            member.setdefault(x, []).append(k)
    rows, unlisted_non_edges = [], 0
    for t in targets:
        ks = member.get(t, [])
        # the targets t shares a proving source with (one source: no union to build)
        mates = sets[ks[0]] if len(ks) == 1 else set().union(*(sets[k] for k in ks))
        proven = (len(mates) - 1 if ks else 0) - sum(1 for u in listed_nbrs[t] if u in mates)
        unlisted_non_edges += proven
        edge, non_edge = per_status[t]["edge"], per_status[t]["non_edge"] + proven
        rows.append((t, bool(holders.get(t)), edge, non_edge, n - 1 - edge - non_edge,
                     ", ".join(holders.get(t, []))))
    edges = int((listed["status"] == "edge").sum())
    non_edges = int((listed["status"] == "non_edge").sum()) + unlisted_non_edges // 2
    totals = {"edge": edges, "non_edge": non_edges, "unknown": n * (n - 1) // 2 - edges - non_edges}
    return totals, pd.DataFrame(rows, columns=TARGET_COLUMNS)


def pair_coverage(targets: Sequence[str], edges: pd.DataFrame,
                  known_sets: Iterable[tuple[set[str], str]], present: Iterable[str] = (),
                  listing: str = "full") -> PairCoverage:
    """Classify every pair of ``targets``.

    Parameters
    ----------
    targets : sequence of str
    edges : DataFrame
        Normalised edges already filtered at the required score.
    known_sets : iterable of (set of names, evidence)
        Protein sets whose pairs are all known (an API answer's queried proteins, or the
        proteins of an export cut at or below the required score), with a description.
    listing : {"full", "compact"}
        ``compact``: only the edges are rows; every other pair is counted per target
        (:func:`compact_summary`).
    """
    edge_scores = {(a, b): s for a, b, s in zip(edges["name_a"], edges["name_b"], edges["score"])}
    known = list(known_sets)
    if listing == "compact":
        return _compact_api(targets, edge_scores, known, set(present))
    rows = []
    for x, y in itertools.combinations(targets, 2):
        a, b = sorted((x, y))
        if (a, b) in edge_scores:
            rows.append((a, b, "edge", edge_scores[(a, b)], "interaction reported", ""))
            continue
        evidence = next((why for names, why in known if a in names and b in names), None)
        if evidence is not None:
            rows.append((a, b, "non_edge", float("nan"), f"both proteins in {evidence}; no interaction", ""))
        else:
            rows.append((a, b, "unknown", float("nan"), "no source covers both proteins", ""))
    table = pd.DataFrame(rows, columns=COVERAGE_COLUMNS)
    seen = set(present)
    covered = [t for t in targets if t in seen or any(t in names for names, _ in known)]
    return PairCoverage(table, covered, [t for t in targets if t not in covered])


def _compact_api(targets: Sequence[str], edge_scores: dict[tuple[str, str], float],
                 known: list[tuple[set[str], str]], present: set[str]) -> PairCoverage:
    """:func:`pair_coverage` with ``listing = "compact"`` (edges as rows, the rest counted)."""
    index = {t: i for i, t in enumerate(targets)}
    pairs = sorted(((a, b) for a, b in edge_scores if a in index and b in index),
                   key=lambda p: sorted((index[p[0]], index[p[1]])))
    table = pd.DataFrame([(a, b, "edge", edge_scores[(a, b)], "interaction reported", "") for a, b in pairs],
                         columns=COVERAGE_COLUMNS)
    holders = {t: [why for names, why in known if t in names] for t in targets}
    totals, per_target = compact_summary(targets, table, known, holders)
    covered = [t for t in targets if t in present or holders[t]]
    return PairCoverage(table, covered, [t for t in targets if t not in covered], "compact", totals, per_target)

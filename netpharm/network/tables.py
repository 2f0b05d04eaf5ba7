"""STRING interaction tables: the score cut-off and pair coverage.

One normalised edge table serves every source: STRING web exports
(``string_interactions.tsv`` and ``_short``, pairs listed once or twice) and STRING API
``network`` TSV. Columns: ``name_a, name_b`` (sorted so ``name_a < name_b``),
``string_id_a, string_id_b``, ``score`` (combined, 0–1) and the channel scores
``nscore fscore pscore hscore ascore escore dscore tscore``, plus ``source``. Parsing lives
in :mod:`netpharm.network.string_tsv` (pandas-free); its names are re-exported here.

Coverage is what makes partial data honest: for every pair of targets a network knows
whether the pair is an ``edge``, a known ``non_edge`` (both proteins were queried, or
both are present in an export whose score cut-off is at or below the required score),
or ``unknown``.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pandas as pd

from netpharm.network.files import (
    COVERAGE_COLUMNS,
    COVERAGE_TARGETS_COLUMNS,
    EDGE,
    NAME_A,
    NAME_B,
    NON_EDGE,
    PAIR_STATUSES,
    STATUS,
    UNKNOWN,
)
from netpharm.network.string_tsv import (
    CHANNELS,
    EDGE_COLUMNS,
    SCORE_EPS,
    ParsedEdges,
    parse_string_table,
    real_columns_of,
    score_mask,
)

__all__ = ["CHANNELS", "ParsedEdges", "parse_string_table", "PairCoverage", "pair_coverage", "at_score",
           "SCORE_EPS", "EDGE_COLUMNS", "real_columns_of", "compact_summary", "choose_listing",
           "FULL_LISTING_MAX_TARGETS"]


def at_score(edges: pd.DataFrame, required_score: int) -> pd.DataFrame:
    """The rows of ``edges`` whose combined ``score`` (0–1) is at least ``required_score`` (0–1000).

    The one place the cut-off is applied (STRING's ``required_score`` convention: a combined
    score ≥ required_score / 1000 is kept).
    """
    return edges[score_mask(edges["score"].to_numpy(), required_score)]


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
        return self.table[self.table[STATUS] == UNKNOWN]

    def counts(self) -> dict[str, int]:
        """Pairs per status (``edge``, ``non_edge``, ``unknown``) over every target pair."""
        if self.totals is not None:
            return dict(self.totals)
        counts = self.table["status"].value_counts().to_dict()
        return {k: int(counts.get(k, 0)) for k in PAIR_STATUSES}

    def pair_total(self) -> int:
        """Number of target pairs, n (n − 1) / 2."""
        return sum(self.counts().values())


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
    per_status = {t: {EDGE: 0, NON_EDGE: 0} for t in targets}
    for a, b, status in zip(listed[NAME_A], listed[NAME_B], listed[STATUS]):
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
        edge, non_edge = per_status[t][EDGE], per_status[t][NON_EDGE] + proven
        rows.append((t, bool(holders.get(t)), edge, non_edge, n - 1 - edge - non_edge,
                     ", ".join(holders.get(t, []))))
    edges = int((listed[STATUS] == EDGE).sum())
    non_edges = int((listed[STATUS] == NON_EDGE).sum()) + unlisted_non_edges // 2
    totals = {EDGE: edges, NON_EDGE: non_edges, UNKNOWN: n * (n - 1) // 2 - edges - non_edges}
    return totals, pd.DataFrame(rows, columns=list(COVERAGE_TARGETS_COLUMNS))


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
            rows.append((a, b, EDGE, edge_scores[(a, b)], "interaction reported", ""))
            continue
        evidence = next((why for names, why in known if a in names and b in names), None)
        if evidence is not None:
            rows.append((a, b, NON_EDGE, float("nan"), f"both proteins in {evidence}; no interaction", ""))
        else:
            rows.append((a, b, UNKNOWN, float("nan"), "no source covers both proteins", ""))
    table = pd.DataFrame(rows, columns=list(COVERAGE_COLUMNS))
    seen = set(present)
    covered = [t for t in targets if t in seen or any(t in names for names, _ in known)]
    return PairCoverage(table, covered, [t for t in targets if t not in covered])


def _compact_api(targets: Sequence[str], edge_scores: dict[tuple[str, str], float],
                 known: list[tuple[set[str], str]], present: set[str]) -> PairCoverage:
    """:func:`pair_coverage` with ``listing = "compact"`` (edges as rows, the rest counted)."""
    index = {t: i for i, t in enumerate(targets)}
    pairs = sorted(((a, b) for a, b in edge_scores if a in index and b in index),
                   key=lambda p: sorted((index[p[0]], index[p[1]])))
    table = pd.DataFrame([(a, b, EDGE, edge_scores[(a, b)], "interaction reported", "") for a, b in pairs],
                         columns=list(COVERAGE_COLUMNS))
    holders = {t: [why for names, why in known if t in names] for t in targets}
    totals, per_target = compact_summary(targets, table, known, holders)
    covered = [t for t in targets if t in present or holders[t]]
    return PairCoverage(table, covered, [t for t in targets if t not in covered], "compact", totals, per_target)

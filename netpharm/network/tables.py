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
           "SCORE_EPS", "EDGE_COLUMNS", "real_columns_of"]


def at_score(edges: pd.DataFrame, required_score: int) -> pd.DataFrame:
    """The rows of ``edges`` whose combined ``score`` (0–1) is at least ``required_score`` (0–1000).

    The one place the cut-off is applied (STRING's ``required_score`` convention: a combined
    score ≥ required_score / 1000 is kept).
    """
    return edges[score_mask(edges["score"].to_numpy(), required_score)]


COVERAGE_COLUMNS = ["name_a", "name_b", "status", "score", "evidence", "conflict"]


@dataclass(frozen=True)
class PairCoverage:
    """Coverage of every target pair (see module docstring)."""

    table: pd.DataFrame          # name_a, name_b, status, score, evidence, conflict
    covered_targets: list[str]
    uncovered_targets: list[str]

    @property
    def conflicts(self) -> pd.DataFrame:
        """Pairs on which two sources disagree (``conflict`` non-empty)."""
        if "conflict" not in self.table.columns:
            return self.table.iloc[0:0]
        return self.table[self.table["conflict"].fillna("").astype(str) != ""]

    @property
    def unknown_pairs(self) -> pd.DataFrame:
        return self.table[self.table["status"] == "unknown"]

    def counts(self) -> dict[str, int]:
        counts = self.table["status"].value_counts().to_dict()
        return {k: int(counts.get(k, 0)) for k in ("edge", "non_edge", "unknown")}


def pair_coverage(targets: Sequence[str], edges: pd.DataFrame,
                  known_sets: Iterable[tuple[set[str], str]], present: Iterable[str] = ()) -> PairCoverage:
    """Classify every pair of ``targets``.

    Parameters
    ----------
    targets : sequence of str
    edges : DataFrame
        Normalised edges already filtered at the required score.
    known_sets : iterable of (set of names, evidence)
        Protein sets whose pairs are all known (an API answer's queried proteins, or the
        proteins of an export cut at or below the required score), with a description.
    """
    edge_scores = {(a, b): s for a, b, s in zip(edges["name_a"], edges["name_b"], edges["score"])}
    known = list(known_sets)
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

"""One rule for every ranking claim: a tie is not evidence (the network stage's ``hub``, ``top_hubs``,
``most_connected``, ``module``; the compounds stage's ``ct_degree``), and the one tie-aware ranking.

cytoHubba (Chin et al. 2014) and NetworkAnalyzer (Assenov et al. 2008) give tied scores one shared rank,
and a claim that picks the "top n" of a ranking picks among the proteins whose rank is at most n. When
the group of proteins sharing the score at that cut — the **boundary tie** — holds more proteins than
the claim selects, the ranking cannot tell the claimed ones from the others in the group: any of them
would read the same. On the 135-protein PFAS STRING export (tests/data/cytoscape/pfas_retinal135/), 50
proteins share cytoHubba's best EcCentricity (0.25), so every list of ten of them reads "EcCentricity top
10"; 15 proteins share ClusteringCoefficient 1.

The rule (:func:`boundary_tie`, :func:`cap`)
--------------------------------------------
* What the claim selects, ``n``: ``top_hubs`` its ``n``; ``hub`` its ``max_rank``, or the number of
  proteins it names when larger (three proteins "at rank 1" assert a three-way tie themselves);
  ``most_connected`` 1 protein; ``module`` 1 cluster (by its rank).
* The boundary tie: the proteins (clusters) sharing the largest rank ≤ ``n``, i.e. the group that holds
  position ``n`` of the ordered list.
* It decides nothing when it has **more members than** ``n``. Threshold ``> n`` rather than ``> 2n``:
  a tie larger than the whole selection cannot be the product of the ranking choosing the claim's
  proteins — more proteins than the claim names score exactly what the boundary protein scores — and
  the shared data show where ``2n`` would fail: ClusteringCoefficient's 15-protein tie for a top 10 on
  the PFAS export would pass 2n, though any 10 of those 15 would read "supported". A smaller tie that a
  list cuts through (cytoHubba's export prints exactly n rows: shorna01's MCC top 10 splits 4 proteins
  tied at rank 9 over its last 2 rows) leaves the rest of the list decided by the scores, and the
  ``top_hubs`` reason already names it.
* A claimed protein that passes only by being in such a tie is not evidence: a verdict that would be
  "supported" is **at most "partially supported"**, with the tie stated in the evidence and the
  reason ("50 proteins tie at EcCentricity 0.25 for the top 10"). Why partially supported and not
  "cannot be evaluated here": in netpharm that label means the data to judge are missing (stage not
  run, protein not covered); here they are complete and show part of the claim — the named proteins do
  reach the boundary score — but not its selective part. A claimed protein ranked below the tie still
  makes the claim "not supported": the ranking discriminates downward.

``core_targets`` is not a top-n selection: CytoNCA's median rule (every measure ≥ its median) includes
a tie at the median by definition, and the claim's papers use it so; the rule does not apply.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from netpharm.verdict import Verdict

__all__ = ["BoundaryTie", "boundary_tie", "cap", "competition_ranks"]


def competition_ranks(values: Mapping[str, float]) -> dict[str, int]:
    """Tie-aware (competition, "1224") ranks of ``values``, highest first: cytoHubba's ranks (Chin et al. 2014).

    Examples
    --------
    >>> competition_ranks({"a": 5, "b": 3, "c": 3, "d": 1})
    {'a': 1, 'b': 2, 'c': 2, 'd': 4}
    """
    negated = sorted(-v for v in values.values())  # ascending; bisect counts the values strictly above v
    return {n: 1 + bisect.bisect_left(negated, -v) for n, v in values.items()}


@dataclass(frozen=True)
class BoundaryTie:
    """The group sharing the rank at a claim's cut.

    Attributes
    ----------
    rank : int
        The shared (competition) rank.
    members : tuple of str
        The proteins (or cluster numbers, as text) sharing it, sorted.
    selected : int
        What the claim selects (``n``).
    """

    rank: int
    members: tuple[str, ...]
    selected: int

    @property
    def decides(self) -> bool:
        """False when the tie holds more members than the claim selects (the ranking cannot discriminate)."""
        return len(self.members) <= self.selected

    def statement(self, what: str, unit: str = "proteins") -> str:
        """"50 proteins tie at EcCentricity 0.25 for the top 10" (``what`` = the measure and its value)."""
        top = (f"the top {self.selected}" if self.selected > 1 else "the top" if self.rank == 1
               else f"rank {self.rank}")
        return f"{len(self.members)} {unit} tie at {what} for {top}"

    def rests_on(self, claimed: Iterable[str]) -> list[str]:
        """The claimed items that pass only by being in this tie (empty when the tie decides)."""
        return [] if self.decides else [x for x in claimed if x in self.members]


def boundary_tie(ranks: Mapping[str, int], cut: int, selected: int | None = None) -> BoundaryTie | None:
    """The group holding position ``cut`` of the tie-aware ranking ``ranks`` (``None`` when ``ranks`` is empty).

    ``selected`` is what the claim selects (default ``cut``): a ``hub`` claim naming more proteins
    than its ``max_rank`` cuts at ``max_rank`` but selects its proteins.

    Examples
    --------
    >>> boundary_tie({"a": 1, "b": 2, "c": 2, "d": 2, "e": 5}, 2)
    BoundaryTie(rank=2, members=('b', 'c', 'd'), selected=2)
    """
    within = [r for r in ranks.values() if r <= cut]
    if not within:
        return None
    at = max(within)
    return BoundaryTie(at, tuple(sorted(x for x, r in ranks.items() if r == at)), max(cut, selected or cut))


def cap(v: Verdict, tie: BoundaryTie | None, claimed: Iterable[str], what: str,
        unit: str = "proteins") -> Verdict:
    """``v`` once the tie rule is applied (see the module docstring).

    When a claimed item passes only through a boundary tie larger than the selection, the tie is
    stated in the evidence, and a "supported" verdict becomes "partially supported" with the tie at
    the start of its reason. Any other verdict keeps its label and reason.
    """
    resting = tie.rests_on(claimed) if tie is not None else []
    if tie is None or not resting:
        return v
    said = tie.statement(what, unit)
    v = replace(v, evidence=f"{v.evidence}; {said}: the ranking cannot discriminate among them")
    if v.verdict != "supported":
        return v
    return replace(v, verdict="partially supported",
                   reason=f"{said}: the ranking cannot tell {', '.join(resting)} from the other tied {unit}; "
                          f"{v.reason}")

"""Claim kinds on ranks: ``most_connected`` (NetworkAnalyzer columns, Assenov et al. 2008), ``hub`` and
``top_hubs`` (cytoHubba ranks with ties sharing a rank, Chin et al. 2014).

On partial STRING data (uncovered targets, unknown pairs) a claim the missing pairs could overturn is at most
"partially supported"; a claim that rests on a boundary tie larger than what it selects is too
(:mod:`netpharm.ties`). scipy is imported inside the one evaluator that needs it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any, ClassVar

from netpharm.network.claims.common import (
    NamesInNetwork,
    _capacity,
    _check_method,
    _degree_bounds,
    _rank_bound,
    _tie_score,
    _unknown_counts,
    coverage_note,
    monte_carlo_cut,
)
from netpharm.network.files import (
    NETWORK_ANALYZER_COLUMNS,
)
from netpharm.network.findings import NetworkFindings
from netpharm.ties import boundary_tie, cap, competition_ranks
from netpharm.verdict import NOT_RUN, Claim, ClaimKind, RunView, SectionSource, Verdict, usable_findings, verdict

__all__ = ["METRICS", "MostConnected", "Hub", "TopHubs"]


#: Columns a ``most_connected`` claim may name: the NetworkAnalyzer columns of ``nodes.tsv``.
METRICS: tuple[str, ...] = NETWORK_ANALYZER_COLUMNS


#: NetworkAnalyzer columns where the smallest value is the most central node.
_LOWER_IS_CENTRAL = ("AverageShortestPathLength", "Eccentricity")


@dataclass(frozen=True)
class MostConnected(NamesInNetwork, ClaimKind):
    """``most_connected``: ``protein`` has the highest ``metric`` (a NetworkAnalyzer column) of the network;
    for Degree, with the bounds the unknown pairs allow."""

    kind: ClassVar[str] = "most_connected"
    stage: ClassVar[str] = "network"
    protein: str
    metric: str = "Degree"

    def __post_init__(self) -> None:
        if self.metric not in METRICS:
            raise ValueError(f"metric {self.metric!r} is not a NetworkAnalyzer column; choose from {list(METRICS)}")

    def named_proteins(self) -> tuple[str, ...]:
        return (self.protein,)

    def check_targets(self, targets: Sequence[str], workflow: SectionSource) -> str:
        size, how = _capacity(targets, workflow)
        if size < 2:
            raise ValueError(f"the network holds at most {size} protein ({how}): {self.protein} is the most "
                             "connected by default, so the claim cannot fail")
        return ""

    def evaluate(self, claim: Claim[Any], run: RunView) -> Verdict:
        return self.judged(_most_connected(claim, self, run), run)


@dataclass(frozen=True)
class Hub(NamesInNetwork, ClaimKind):
    """``hub``: every protein of ``proteins`` has a cytoHubba ``method`` rank ≤ ``max_rank`` (ties share a rank)."""

    kind: ClassVar[str] = "hub"
    stage: ClassVar[str] = "network"
    proteins: tuple[str, ...]
    max_rank: int
    method: str = "MCC"

    def __post_init__(self) -> None:
        _check_method(self.method)
        if self.max_rank < 1 or not self.proteins:
            raise ValueError("needs at least one protein and max_rank >= 1")

    def named_proteins(self) -> tuple[str, ...]:
        return self.proteins

    def check_targets(self, targets: Sequence[str], workflow: SectionSource) -> str:
        return _rank_bound("max_rank", self.max_rank, targets, workflow)

    def evaluate(self, claim: Claim[Any], run: RunView) -> Verdict:
        return self.judged(_hub(claim, self, run), run)


@dataclass(frozen=True)
class TopHubs(NamesInNetwork, ClaimKind):
    """``top_hubs``: the paper's published top-``n`` by ``method`` (``expected``, in rank order if ``ordered``).

    Verdict from the overlap of netpharm's top-``n`` (ties included) with ``expected`` (≥
    ``min_overlap``), and Kendall τ when ordered. ``expected_ranks`` (optional) are the published
    ranks, one per ``expected`` protein, as cytoHubba prints them (ties share a rank: 1, 2, 2, 2,
    5, ...); when given, each rank is compared with netpharm's (a difference makes the claim at
    most "partially supported") and τ-b is taken between the two rank lists (shared ranks count as
    ties on both sides rather than as disagreements). Proteins in netpharm's top-n only because
    they tie with a published one are named in the reason, not counted against the claim:
    cytoHubba's export prints exactly n rows even when a tie crosses rank n.
    """

    kind: ClassVar[str] = "top_hubs"
    stage: ClassVar[str] = "network"
    n: int
    expected: tuple[str, ...]
    method: str = "MCC"
    min_overlap: float = 1.0
    ordered: bool = True
    expected_ranks: tuple[int, ...] = ()

    def __post_init__(self) -> None:
        _check_method(self.method)
        if self.n < 1 or not self.expected or not 0.0 < self.min_overlap <= 1.0:
            raise ValueError("needs n >= 1, a non-empty 'expected' and 0 < min_overlap <= 1")
        ranks = self.expected_ranks
        if ranks and (len(ranks) != len(self.expected) or any(r < 1 for r in ranks) or list(ranks) != sorted(ranks)):
            raise ValueError(f"expected_ranks must give one rank >= 1 per 'expected' protein ({len(self.expected)}), "
                             f"in non-decreasing order; got {list(ranks)}")
        if len(self.expected) > self.n:
            raise ValueError(f"'expected' lists {len(self.expected)} proteins for a top {self.n}; list at most n")
        if len(self.expected) < self.min_overlap * self.n - 1e-9:
            raise ValueError(f"'expected' lists {len(self.expected)} proteins for a top {self.n}: the overlap "
                             f"(at most {len(self.expected)}/{self.n}) can never reach min_overlap = "
                             f"{self.min_overlap:g}, so the claim cannot be supported; list the published top "
                             f"{self.n} or lower min_overlap")

    def named_proteins(self) -> tuple[str, ...]:
        return self.expected

    def check_targets(self, targets: Sequence[str], workflow: SectionSource) -> str:
        if self.expected_ranks:  # the published ranks can differ even when the top n is the whole network
            return ""
        return _rank_bound("n", self.n, targets, workflow)

    def evaluate(self, claim: Claim[Any], run: RunView) -> Verdict:
        return self.judged(_top_hubs(claim, self, run), run)


def _most_connected(claim: Claim[Any], p: MostConnected, run: RunView) -> Verdict:
    f = usable_findings(claim, run.outcome(NetworkFindings), "network")
    if isinstance(f, Verdict):
        return f
    protein, metric = p.protein, p.metric
    values: dict[str, float] = ({k: float(v) for k, v in f.degree.items()} if metric == "Degree"
                                else dict(f.node_metrics.get(metric, {})))
    complete, note = coverage_note(f)
    if protein not in values:
        return verdict(claim, f"{protein} is not in the network built here", NOT_RUN,
                       f"no STRING data for {protein} in this run", note)
    sign = -1.0 if metric in _LOWER_IS_CENTRAL else 1.0
    top = max(sign * v for v in values.values())
    leaders = sorted(n for n, v in values.items() if sign * v == top)
    label = "degree" if metric == "Degree" else metric

    def fmt(v: float) -> str:
        return str(int(v)) if float(v).is_integer() else f"{v:.4g}"
    evidence = (f"{label} {protein} = {fmt(values[protein])}; {'maximum' if sign > 0 else 'minimum'} "
                f"{fmt(sign * top)} ({', '.join(leaders)}) among {len(values)} nodes")
    dup = _rows_degree(f)
    if metric == "Degree" and protein in dup and float(dup[protein]) != values[protein]:
        # cytoHubba and Cytoscape show this count for a STRING full export (each pair listed twice).
        evidence += (f"; counting every listed row (DegreeWithDuplicates, what Cytoscape and cytoHubba show for "
                     f"this import): {protein} = {fmt(float(dup[protein]))}, maximum {fmt(max(map(float, dup.values())))}")
    others = [n for n in leaders if n != protein]
    ranks = {n: 1 + sum(1 for w in values.values() if sign * w > sign * v) for n, v in values.items()}
    tie, at = boundary_tie(ranks, 1), f"{label} {fmt(sign * top)}"
    return cap(_most_connected_verdict(claim, p, run, f, values, evidence, leaders, others, label), tie,
               (protein,), at)


def _most_connected_verdict(claim: Claim[Any], p: MostConnected, run: RunView, f: NetworkFindings,
                            values: dict[str, float], evidence: str, leaders: list[str], others: list[str],
                            label: str) -> Verdict:
    protein, metric = p.protein, p.metric
    complete, note = coverage_note(f)
    if complete:
        if leaders == [protein]:
            return verdict(claim, evidence, "supported", f"{protein} alone has the highest {label}", note)
        if protein in leaders:
            return verdict(claim, evidence, "partially supported", f"{protein} is tied with {', '.join(others)}", note)
        return verdict(claim, evidence, "not supported", f"{', '.join(leaders)} more connected than {protein}", note)
    covered, targets = len(values), list(f.targets) or list(values)
    if metric == "Degree":
        low, high = _degree_bounds(f.degree, targets, _unknown_counts(run, f))
        rivals = [n for n in high if n != protein]
        evidence += f"; upper bound with the unknown pairs: {protein} ≤ {high[protein]}"
        if all(low[protein] > high[n] for n in rivals):
            return verdict(claim, evidence, "supported",
                           f"{protein} stays the most connected whatever the unknown pairs are", note)
        if high[protein] < max((low[n] for n in rivals), default=0):
            return verdict(claim, evidence, "not supported",
                           f"even with every unknown pair of {protein} an edge, {', '.join(leaders)} has more", note)
    if leaders == [protein]:
        return verdict(claim, evidence, "partially supported",
                       f"consistent on {covered} of {len(targets)} targets: {protein} is the most connected of the "
                       f"{covered} covered targets; the unknown pairs could change it", note)
    if protein in leaders:
        return verdict(claim, evidence, "partially supported",
                       f"on the {covered} covered targets {protein} is tied with {', '.join(others)}", note)
    return verdict(claim, evidence, "not supported",
                   f"on the {covered} covered targets {', '.join(leaders)} is more connected than {protein}; "
                   "the unknown pairs could change it", note)


def _hub(claim: Claim[Any], p: Hub, run: RunView) -> Verdict:
    f = usable_findings(claim, run.outcome(NetworkFindings), "network")
    if isinstance(f, Verdict):
        return f
    ranks = f.hub_ranks.get(p.method, {})
    tie = boundary_tie(ranks, p.max_rank, len(p.proteins))
    return _noting_monte_carlo(cap(_hub_verdict(claim, p, f, ranks), tie, p.proteins, _tie_score(run, p.method, tie)),
                               run, f, p.method, p.max_rank)


def _noting_monte_carlo(v: Verdict, run: RunView, f: NetworkFindings, method: str, cut: int) -> Verdict:
    """``v`` with EPC's Monte-Carlo margin at the cut in its evidence (:func:`monte_carlo_cut`)."""
    note = monte_carlo_cut(run, f, method, cut)
    return replace(v, evidence=f"{v.evidence}; {note}") if note else v


def _hub_verdict(claim: Claim[Any], p: Hub, f: NetworkFindings, ranks: dict[str, int]) -> Verdict:
    complete, note = coverage_note(f)
    if not ranks:
        return verdict(claim, f"no {p.method} ranking in the network findings", NOT_RUN,
                       f"{p.method} not computed", note)
    present = [x for x in p.proteins if x in ranks]
    absent = [x for x in p.proteins if x not in ranks]
    evidence = "; ".join(f"{p.method} rank {x} = {ranks[x]} of {len(ranks)}" for x in present) or "—"
    if absent:
        evidence += f"; not in the network: {', '.join(absent)}"
    hubs = [x for x in present if ranks[x] <= p.max_rank]
    criterion = f"hub = {p.method} rank ≤ {p.max_rank}"
    if not present:
        return verdict(claim, evidence, NOT_RUN, f"no STRING data for {', '.join(absent)} here", note)
    if len(hubs) == len(p.proteins):
        if complete:
            every = "both" if len(p.proteins) == 2 else ("it is" if len(p.proteins) == 1 else f"all {len(hubs)}")
            return verdict(claim, evidence, "supported", f"{every} within the top {p.method} ranks ({criterion})",
                           note)
        return verdict(claim, evidence, "partially supported",
                       f"consistent on {len(ranks)} of {len(f.targets) or len(ranks)} targets ({criterion}); "
                       "the uncovered targets could change the ranks", note)
    if hubs:
        return verdict(claim, evidence, "partially supported", f"hubs here: {', '.join(hubs)} ({criterion})", note)
    return verdict(claim, evidence, "not supported", f"not a top {p.method} hub: {', '.join(present)} ({criterion})",
                   note)


def _rows_degree(f: NetworkFindings) -> dict[str, float]:
    """DegreeWithDuplicates when the network is one imported file (Cytoscape's degree of that import), else {}.

    A network combined from several sources has no single file Cytoscape could have shown, so only
    the simple-graph Degree applies there.
    """
    if len(f.data_sources) != 1:
        return {}
    return {n: float(v) for n, v in f.node_metrics.get("DegreeWithDuplicates", {}).items()}


def _published_ranks(p: TopHubs, f: NetworkFindings) -> tuple[dict[str, int], str]:
    """The ranks to compare with the published list, and the convention used (said in the evidence).

    cytoHubba's Degree on a STRING full export counts both rows of each pair (the degree Cytoscape
    shows for a multigraph import), netpharm's ``DegreeWithDuplicates``; netpharm's ``Degree`` rank
    is on the simple graph. The published Degree list is compared with DegreeWithDuplicates when
    the network is one imported file (see :func:`_rows_degree`).
    """
    ranks = dict(f.hub_ranks.get(p.method, {}))
    dup = _rows_degree(f)
    if p.method != "Degree" or not dup or all(float(dup.get(n, f.degree.get(n, 0))) == f.degree.get(n, 0)
                                               for n in ranks):
        return ranks, ""
    ratio = {float(dup[n]) / f.degree[n] for n in ranks if n in dup and f.degree.get(n)}
    same = "; the same ranks as the simple-graph Degree" if competition_ranks(
        {n: float(f.degree.get(n, 0)) for n in ranks}) == competition_ranks(
        {n: float(dup.get(n, 0)) for n in ranks}) else "; ranks differ from the simple-graph Degree"
    k = ratio.pop() if len(ratio) == 1 else 0.0
    how = (f"every pair is listed {'twice' if k == 2 else f'{k:g} times'} here (DegreeWithDuplicates = {k:g} × "
           "Degree for every node)" if k else "some pairs are listed more than once here")
    convention = (f"ranked by DegreeWithDuplicates, the convention of cytoHubba's Degree on a STRING full export "
                  f"(each listed row counts): {how}{same}")
    return competition_ranks({n: float(dup.get(n, 0)) for n in ranks}), convention


def _tie_note(p: TopHubs, ranks: dict[str, int], found: list[str]) -> str:
    """Why netpharm's top-n (ties included) has proteins the published top-n does not list."""
    extra = [x for x in found if x not in p.expected]
    if not extra:
        return ""
    tied = [x for x in extra if any(ranks.get(e) == ranks[x] for e in p.expected)]
    other = [x for x in extra if x not in tied]
    notes = []
    if tied:
        at = sorted({ranks[x] for x in tied})
        with_ = [e for e in p.expected if ranks.get(e) in at]
        notes.append(f"netpharm's top {p.n} includes ties ({len(found)} proteins): {', '.join(tied)} tie at rank "
                     f"{', '.join(map(str, at))} with {', '.join(with_)}; the published list stops at {p.n} rows "
                     "and so cuts through that tie")
    if other:
        notes.append(f"also in netpharm's top {p.n} but not published: {', '.join(other)}")
    return "; ".join(notes)


def _top_hubs(claim: Claim[Any], p: TopHubs, run: RunView) -> Verdict:
    f = usable_findings(claim, run.outcome(NetworkFindings), "network")
    if isinstance(f, Verdict):
        return f
    ranks, convention = _published_ranks(p, f)
    complete, note = coverage_note(f)
    if not ranks:
        return verdict(claim, f"no {p.method} ranking in the network findings", NOT_RUN,
                       f"{p.method} not computed", note)
    tie = boundary_tie(ranks, p.n)
    dup = _rows_degree(f) if convention else None
    return _noting_monte_carlo(cap(_top_hubs_verdict(claim, p, f, ranks, convention), tie, p.expected,
                                   _tie_score(run, p.method, tie, dup)), run, f, p.method, p.n)


def _top_hubs_verdict(claim: Claim[Any], p: TopHubs, f: NetworkFindings, ranks: dict[str, int],
                      convention: str) -> Verdict:
    complete, note = coverage_note(f)
    found = sorted((n for n, r in ranks.items() if r <= p.n), key=lambda n: (ranks[n], n))
    common = [x for x in p.expected if x in found]
    overlap = len(common) / p.n
    evidence = (f"{p.method} top-{p.n} here (ties included): {', '.join(f'{n} ({ranks[n]})' for n in found)}; "
                f"published: {', '.join(p.expected)}; overlap {len(common)}/{p.n} = {overlap:.2f}")
    if convention:
        evidence += f"; {convention}"
    published = dict(zip(p.expected, p.expected_ranks))
    if p.ordered and len(common) >= 2:
        from scipy.stats import kendalltau  # here: importing scipy.stats takes 0.5-0.8 s

        if published:
            tau = kendalltau([published[x] for x in common], [ranks[x] for x in common]).statistic
            evidence += f"; Kendall τ-b between published and netpharm ranks over the {len(common)} shared = {tau:.2f}"
        else:
            tau = kendalltau(list(range(len(common))), [ranks[x] for x in common]).statistic
            evidence += f"; Kendall τ over the {len(common)} shared = {tau:.2f}"
    mismatch = [f"{x} published {published[x]}, here {ranks[x]}" for x in p.expected
                if x in published and x in ranks and ranks[x] != published[x]]
    if published:
        evidence += (f"; rank differences: {'; '.join(mismatch)}" if mismatch
                     else f"; every published rank equals netpharm's ({len(published)} of {len(published)})")
    missing = [x for x in p.expected if x not in ranks]
    if missing:
        evidence += f"; not in the network: {', '.join(missing)}"
    criterion = f"supported = overlap ≥ {p.min_overlap:g}" + (" and equal ranks" if published else "")
    ties = _tie_note(p, ranks, found)
    tail = f"; {ties}" if ties else ""
    if overlap >= p.min_overlap - 1e-12:
        if mismatch:
            return verdict(claim, evidence, "partially supported",
                           f"overlap {overlap:.2f} but {len(mismatch)} rank(s) differ ({criterion}){tail}", note)
        same = ", with the same ranks" if published else ""
        if complete:
            return verdict(claim, evidence, "supported", f"overlap {overlap:.2f}{same} ({criterion}){tail}", note)
        return verdict(claim, evidence, "partially supported", f"overlap {overlap:.2f} on partial data ({criterion}); "
                       f"the uncovered targets could change the ranks{tail}", note)
    if common:
        return verdict(claim, evidence, "partially supported", f"overlap {overlap:.2f} only ({criterion}){tail}", note)
    return verdict(claim, evidence, "not supported", f"no published hub in the top {p.n} ({criterion})", note)

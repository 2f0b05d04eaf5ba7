"""The network stage's claim kinds: ``most_connected``, ``hub``, ``top_hubs``, ``module``, ``core_targets``,
``ppi_enrichment``.

Definitions: NetworkAnalyzer node columns (Assenov et al. 2008), cytoHubba ranks with ties
sharing a rank (Chin et al. 2014), MCODE clusters (Bader & Hogue 2003), CytoNCA core targets by the median
rule (Tang et al. 2015), STRING's PPI-enrichment p-value (Szklarczyk et al. 2023),
used only when STRING itself supplied it. On partial STRING data (uncovered targets, unknown
pairs) a claim the missing pairs could overturn is at most "partially supported". A tie at a ranking's
cut larger than what the claim selects is not evidence (one rule, :mod:`netpharm.network.ties`); a rank bound
no protein can miss is refused at load (``check_targets``).

Light at import (the workflow validates the claims at load): scipy is imported inside the one
evaluator that needs it.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any, ClassVar

from netpharm.hubs.config import ALL_METHODS, CYTONCA_MEASURES, HubsConfig
from netpharm.network.config import NetworkConfig
from netpharm.network.files import (
    CORE_TARGETS,
    COVERAGE,
    COVERAGE_TARGETS,
    HUBS,
    MEDIAN_SUFFIX,
    NETWORK_ANALYZER_COLUMNS,
    PASS_SUFFIX,
)
from netpharm.network.findings import ModuleFinding, NetworkFindings
from netpharm.network.ties import BoundaryTie, boundary_tie, cap
from netpharm.verdict import NOT_RUN, Claim, ClaimKind, RunView, SectionSource, Verdict, usable_findings, verdict

__all__ = ["MostConnected", "Hub", "TopHubs", "Module", "CoreTargetsClaim", "PpiEnrichmentClaim", "METRICS",
           "coverage_note"]

#: Columns a ``most_connected`` claim may name: the NetworkAnalyzer columns of ``nodes.tsv``.
METRICS: tuple[str, ...] = NETWORK_ANALYZER_COLUMNS
#: NetworkAnalyzer columns where the smallest value is the most central node.
_LOWER_IS_CENTRAL = ("AverageShortestPathLength", "Eccentricity")


def _check_method(method: str) -> None:
    if method not in ALL_METHODS:
        raise ValueError(f"method {method!r} is not a cytoHubba method; choose from {list(ALL_METHODS)}")


def _capacity(targets: Sequence[str], workflow: SectionSource) -> tuple[int, str]:
    """The most proteins the network can hold (its targets, plus the interactors STRING may add), and how."""
    added = workflow.section(NetworkConfig).add_nodes
    return len(targets) + added, f"{len(targets)} targets" + (f" + {added} added nodes" if added else "")


def _rank_bound(name: str, value: int, targets: Sequence[str], workflow: SectionSource) -> str:
    """Refuse a rank bound no protein can miss; warn when it covers more than half the network.

    A competition rank never exceeds the number of nodes, so ``value`` ≥ that number passes every
    protein: the claim cannot fail. Above half of it, fewer proteins fall outside the bound than
    inside, and the claim can barely fail.
    """
    size, how = _capacity(targets, workflow)
    if value >= size:
        raise ValueError(f"{name} = {value} but the network holds at most {size} proteins ({how}): every protein "
                         f"ranks within it, so the claim cannot fail; use a bound below {size}")
    if 2 * value > size:
        return (f"{name} = {value} covers more than half of the at most {size} proteins of the network ({how}): "
                "the claim can barely fail")
    return ""


@dataclass(frozen=True)
class MostConnected(ClaimKind):
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
        return _most_connected(claim, self, run)


@dataclass(frozen=True)
class Hub(ClaimKind):
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
        return _hub(claim, self, run)


@dataclass(frozen=True)
class TopHubs(ClaimKind):
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
        return _top_hubs(claim, self, run)


@dataclass(frozen=True)
class Module(ClaimKind):
    """``module``: ``proteins`` lie in MCODE cluster ``cluster`` (rank, 1 = best), as Cytoscape's MCODE app finds it.

    Supported when at least ``min_overlap`` of the proteins are in that cluster and, where given, the
    paper's ``score`` (density × nodes) and ``size`` match, the score to the decimals the paper prints.
    """

    kind: ClassVar[str] = "module"
    stage: ClassVar[str] = "network"
    proteins: tuple[str, ...]
    cluster: int = 1
    min_overlap: float = 1.0
    score: float | None = None
    size: int | None = None

    def __post_init__(self) -> None:
        if not self.proteins or self.cluster < 1 or not 0.0 < self.min_overlap <= 1.0:
            raise ValueError("needs non-empty 'proteins', cluster >= 1 and 0 < min_overlap <= 1")
        if (self.score is not None and self.score < 0) or (self.size is not None and self.size < 1):
            raise ValueError("score must be >= 0 and size >= 1")

    def named_proteins(self) -> tuple[str, ...]:
        return self.proteins

    def evaluate(self, claim: Claim[Any], run: RunView) -> Verdict:
        return _module(claim, self, run)


@dataclass(frozen=True)
class CoreTargetsClaim(ClaimKind):
    """``core_targets``: every protein of ``proteins`` is a CytoNCA core target after ``rounds`` rounds.

    Core = each of ``measures`` (CytoNCA's names, default all six) at or above its median over the
    round's network; round k works on the subnetwork of round k − 1's core (Tang et al. 2015 for
    the measures; the median rule is the papers'). The run computes the rounds for
    ``[hubs] cytonca_measures`` up to ``[hubs] cytonca_rounds``: the claim must ask for those
    measures and at most that many rounds (checked at load).
    """

    kind: ClassVar[str] = "core_targets"
    stage: ClassVar[str] = "network"
    proteins: tuple[str, ...]
    rounds: int = 1
    measures: tuple[str, ...] = CYTONCA_MEASURES

    def __post_init__(self) -> None:
        odd = [m for m in self.measures if m not in CYTONCA_MEASURES]
        if odd or not self.measures:
            raise ValueError(f"measures: unknown or none {odd}; choose from {list(CYTONCA_MEASURES)}")
        if self.rounds < 1 or not self.proteins:
            raise ValueError("needs at least one protein and rounds >= 1")

    def named_proteins(self) -> tuple[str, ...]:
        return self.proteins

    def check(self, workflow: SectionSource) -> None:
        hubs = workflow.section(HubsConfig)
        if set(self.measures) != set(hubs.cytonca_measures):
            raise ValueError(f"measures {list(self.measures)} differ from [hubs] cytonca_measures "
                             f"{list(hubs.cytonca_measures)}, the ones the run computes; set them equal")
        if self.rounds > hubs.cytonca_rounds:
            raise ValueError(f"rounds = {self.rounds} but [hubs] cytonca_rounds = {hubs.cytonca_rounds}; "
                             f"set cytonca_rounds >= {self.rounds}")

    def evaluate(self, claim: Claim[Any], run: RunView) -> Verdict:
        return _core_targets(claim, self, run)


@dataclass(frozen=True)
class PpiEnrichmentClaim(ClaimKind):
    """``ppi_enrichment``: STRING's PPI-enrichment p-value is below ``alpha`` (STRING's own value, never
    recomputed offline)."""

    kind: ClassVar[str] = "ppi_enrichment"
    stage: ClassVar[str] = "network"
    alpha: float = 0.05

    def __post_init__(self) -> None:
        if not 0.0 < self.alpha < 1.0:
            raise ValueError("alpha must be within (0, 1)")

    def evaluate(self, claim: Claim[Any], run: RunView) -> Verdict:
        return _ppi_enrichment(claim, self, run)


def coverage_note(f: NetworkFindings) -> tuple[bool, str]:
    """(complete?, note) for the network's target coverage."""
    targets, uncovered, unknown = list(f.targets), list(f.uncovered_targets), f.unknown_pairs
    if not uncovered and not unknown:
        return True, f"complete: all {len(targets)} targets and every target pair covered"
    covered = len(targets) - len(uncovered)
    note = f"partial: {covered} of {len(targets)} targets covered"
    if uncovered:
        note += f"; uncovered: {', '.join(uncovered)}"
    return False, note + f"; {unknown} target pairs unknown"


def _unknown_counts(run: RunView, f: NetworkFindings) -> dict[str, int]:
    """Unknown pairs per target: ``coverage_targets.tsv`` (compact listing), else the unknown rows of
    ``coverage.tsv``, else every pair with an uncovered target."""
    summary = run.table(NetworkFindings, COVERAGE_TARGETS)
    if summary is not None and {"name", "unknown"} <= set(summary.columns):
        return {str(n): int(u) for n, u in zip(summary["name"], summary["unknown"])}
    table = run.table(NetworkFindings, COVERAGE)
    if table is not None and {"name_a", "name_b", "status"} <= set(table.columns):
        rows = table[table["status"] == "unknown"]
        pairs = list(zip(rows["name_a"].astype(str), rows["name_b"].astype(str)))
    else:
        uncovered = set(f.uncovered_targets)
        pairs = [(a, b) for a, b in itertools.combinations(f.targets, 2) if a in uncovered or b in uncovered]
    counts: dict[str, int] = {}
    for a, b in pairs:
        counts[a] = counts.get(a, 0) + 1
        counts[b] = counts.get(b, 0) + 1
    return counts


def _degree_bounds(degree: dict[str, int], targets: list[str],
                   unknown: dict[str, int]) -> tuple[dict[str, int], dict[str, int]]:
    """Known degree (lower bound) and known + unknown pairs (upper bound) of every target."""
    low = {t: int(degree.get(t, 0)) for t in targets} | {n: int(d) for n, d in degree.items()}
    high = {n: d + unknown.get(n, 0) for n, d in low.items()}
    return low, high


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
    return cap(_hub_verdict(claim, p, f, ranks), tie, p.proteins, _tie_score(run, p.method, tie))


def _tie_score(run: RunView, method: str, tie: BoundaryTie | None, scores: dict[str, float] | None = None) -> str:
    """"EcCentricity 0.25": the method and the score its boundary tie shares (from ``hubs.tsv``), else its rank."""
    if tie is None or tie.decides:
        return method
    if scores is None:
        table = run.table(NetworkFindings, HUBS)
        if table is not None and method in table.columns:
            scores = {str(n): float(v) for n, v in zip(table["name"], table[method])}
    value = (scores or {}).get(tie.members[0])
    return f"{method} {value:.4g}" if value is not None else f"{method} rank {tie.rank}"


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


def _competition_ranks(values: dict[str, float]) -> dict[str, int]:
    """cytoHubba's tie-aware ranks (1, 2, 2, 4, ...) of ``values``, highest first (Chin et al. 2014)."""
    ordered = sorted(values.values(), reverse=True)
    return {n: 1 + sum(1 for w in ordered if w > v) for n, v in values.items()}


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
    same = "; the same ranks as the simple-graph Degree" if _competition_ranks(
        {n: float(f.degree.get(n, 0)) for n in ranks}) == _competition_ranks(
        {n: float(dup.get(n, 0)) for n in ranks}) else "; ranks differ from the simple-graph Degree"
    k = ratio.pop() if len(ratio) == 1 else 0.0
    how = (f"every pair is listed {'twice' if k == 2 else f'{k:g} times'} here (DegreeWithDuplicates = {k:g} × "
           "Degree for every node)" if k else "some pairs are listed more than once here")
    convention = (f"ranked by DegreeWithDuplicates, the convention of cytoHubba's Degree on a STRING full export "
                  f"(each listed row counts): {how}{same}")
    return _competition_ranks({n: float(dup.get(n, 0)) for n in ranks}), convention


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
    return cap(_top_hubs_verdict(claim, p, f, ranks, convention), tie, p.expected,
               _tie_score(run, p.method, tie, dup))


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


def _printed(value: float, like: float) -> str:
    """``value`` to as many decimals as ``like`` prints (14.533 -> 3)."""
    decimals = len(repr(float(like)).partition(".")[2].rstrip("0"))
    return f"{value:.{decimals}f}"


def _module(claim: Claim[Any], p: Module, run: RunView) -> Verdict:
    f = usable_findings(claim, run.outcome(NetworkFindings), "network")
    if isinstance(f, Verdict):
        return f
    complete, note = coverage_note(f)
    if not f.module_parameters:
        return verdict(claim, "no MCODE result in the network findings", NOT_RUN, "MCODE not computed", note)
    found = {m.cluster: m for m in f.modules}
    if p.cluster not in found:
        return verdict(claim, f"MCODE found {len(found)} clusters", "not supported",
                       f"no cluster {p.cluster}", note)
    # MCODE ranks clusters by score; clusters of equal score are numbered in node order, not by the data
    ranks = {f"cluster {m.cluster}": 1 + sum(1 for o in f.modules if o.score > m.score) for m in f.modules}
    name = f"cluster {p.cluster}"
    tie = boundary_tie(ranks, ranks[name])
    return cap(_module_verdict(claim, p, found[p.cluster], complete, note),
               replace(tie, selected=1) if tie is not None else None, (name,),
               f"MCODE score {found[p.cluster].score:.4g}", "clusters")


def _module_verdict(claim: Claim[Any], p: Module, m: ModuleFinding, complete: bool, note: str) -> Verdict:
    inside = [x for x in p.proteins if x in m.members]
    outside = [x for x in p.proteins if x not in m.members]
    evidence = (f"MCODE cluster {m.cluster}: {len(m.members)} proteins, score {m.score:.3f}, seed {m.seed}; "
                f"{len(inside)} of {len(p.proteins)} named proteins in it")
    if outside:
        evidence += f"; not in it: {', '.join(outside)}"
    differ = []
    if p.score is not None and _printed(m.score, p.score) != _printed(p.score, p.score):
        differ.append(f"score {_printed(m.score, p.score)} here vs {p.score:g}")
    if p.size is not None and len(m.members) != p.size:
        differ.append(f"{len(m.members)} proteins here vs {p.size}")
    overlap = len(inside) / len(p.proteins)
    criterion = f"≥ {p.min_overlap:.0%} of the proteins in cluster {p.cluster}"
    if not inside:
        return verdict(claim, evidence, "not supported", f"none in cluster {p.cluster}", note)
    if overlap < p.min_overlap or differ:
        why = "; ".join(differ) if overlap >= p.min_overlap else f"only {overlap:.0%} in it ({criterion})"
        return verdict(claim, evidence, "partially supported", why, note)
    if not complete:
        return verdict(claim, evidence, "partially supported",
                       f"consistent ({criterion}); the uncovered targets and unknown pairs could change the modules",
                       note)
    return verdict(claim, evidence, "supported", f"{criterion}" + ("; score and size match" if p.score or p.size
                                                                   else ""), note)


def _core_failures(run: RunView, protein: str, rounds: int, measures: tuple[str, ...]) -> str:
    """Where ``protein`` leaves the core: "round k: Measure value < median, ..." from core_targets.tsv."""
    table = run.table(NetworkFindings, CORE_TARGETS)
    if table is None or not {"round", "name"} <= set(table.columns):
        return ""
    rows = table[(table["name"].astype(str) == protein) & (table["round"] <= rounds)].sort_values("round")
    for _, row in rows.iterrows():
        failed = [f"{m} {row[m]:.4g} < median {row[m + MEDIAN_SUFFIX]:.4g}" for m in measures
                  if m + PASS_SUFFIX in row and str(row[m + PASS_SUFFIX]) != "True"]
        if failed:
            return f"round {int(row['round'])}: {', '.join(failed)}"
    return ""


def _core_targets(claim: Claim[Any], p: CoreTargetsClaim, run: RunView) -> Verdict:
    f = usable_findings(claim, run.outcome(NetworkFindings), "network")
    if isinstance(f, Verdict):
        return f
    complete, note = coverage_note(f)
    ct = f.core_targets
    core = ct.core_after(p.rounds) if ct is not None and set(ct.measures) == set(p.measures) else None
    if ct is None or core is None:
        why = ("no CytoNCA core targets in the network findings (no edges)" if ct is None else
               f"the run computed {ct.rounds_asked} round(s) on {', '.join(ct.measures)}")
        return verdict(claim, "—", NOT_RUN, why, note)
    present = [x for x in p.proteins if x in f.degree]
    absent = [x for x in p.proteins if x not in f.degree]
    rounds = "; ".join(f"round {r.round}: {len(r.core)} of {r.nodes} core (medians "
                       + ", ".join(f"{m} {v:.4g}" for m, v in r.medians.items()) + ")"
                       for r in ct.rounds if r.round <= p.rounds)
    parts = [f"{x} core after {p.rounds} round(s)" if x in core else
             f"{x} not core ({_core_failures(run, x, p.rounds, tuple(p.measures)) or 'left the core earlier'})"
             for x in present]
    evidence = "; ".join(parts + [rounds] + ([f"not in the network: {', '.join(absent)}"] if absent else []))
    inside = [x for x in present if x in core]
    criterion = f"core = all of {', '.join(p.measures)} ≥ their medians, {p.rounds} round(s)"
    if not present:
        return verdict(claim, evidence, NOT_RUN, f"no STRING data for {', '.join(absent)} here", note)
    if len(inside) == len(p.proteins):
        if complete:
            return verdict(claim, evidence, "supported", f"all {len(inside)} are core targets ({criterion})", note)
        return verdict(claim, evidence, "partially supported",
                       f"consistent on {len(f.degree)} of {len(f.targets) or len(f.degree)} targets ({criterion}); "
                       "the uncovered targets and unknown pairs could move the medians", note)
    if inside:
        return verdict(claim, evidence, "partially supported", f"core here: {', '.join(inside)} only ({criterion})",
                       note)
    return verdict(claim, evidence, "not supported", f"none is a core target ({criterion})", note)


def _ppi_enrichment(claim: Claim[Any], p: PpiEnrichmentClaim, run: RunView) -> Verdict:
    f = usable_findings(claim, run.outcome(NetworkFindings), "network")
    if isinstance(f, Verdict):
        return f
    ppi = f.ppi_enrichment
    if ppi is None:
        reason = ("STRING's PPI-enrichment p-value is not in the cache (STRING must be reached online to "
                  "record it); netpharm does not recompute it offline")
        return verdict(claim, "—", NOT_RUN, reason, "no data")
    evidence = (f"STRING PPI enrichment: {ppi.number_of_edges} edges observed vs "
                f"{ppi.expected_number_of_edges:g} expected among {ppi.number_of_nodes} proteins; p = {ppi.p_value:.3g}")
    note = "complete: STRING's own computation on the query proteins"
    if ppi.p_value < p.alpha:
        return verdict(claim, evidence, "supported", f"p < {p.alpha:g}", note)
    return verdict(claim, evidence, "not supported", f"p ≥ {p.alpha:g}", note)

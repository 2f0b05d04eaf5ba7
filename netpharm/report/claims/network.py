"""Evaluators of the network claims: ``most_connected``, ``hub``, ``top_hubs``, ``ppi_enrichment``.

Definitions: NetworkAnalyzer node columns (Assenov et al. 2008), cytoHubba ranks with ties
sharing a rank (Chin et al. 2014), STRING's PPI-enrichment p-value (Szklarczyk et al. 2023),
used only when STRING itself supplied it. On partial STRING data (uncovered targets, unknown
pairs) a claim the missing pairs could overturn is at most "partially supported".
"""

from __future__ import annotations

import itertools
from pathlib import Path

from scipy.stats import kendalltau

from netpharm.network.findings import NetworkFindings
from netpharm.report.claims.base import NOT_RUN, Context, Verdict, unusable, verdict
from netpharm.report.claims.spec import Claim, Hub, MostConnected, PpiEnrichmentClaim, TopHubs
from netpharm.report.rundir import read_tsv

__all__ = ["most_connected", "hub", "top_hubs", "ppi_enrichment", "coverage_note"]

#: NetworkAnalyzer columns where the smallest value is the most central node.
_LOWER_IS_CENTRAL = ("AverageShortestPathLength", "Eccentricity")


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


def _unknown_pairs(run_dir: Path, f: NetworkFindings) -> list[tuple[str, str]]:
    """Target pairs whose edge status is unknown: from coverage.tsv, else every pair with an uncovered target."""
    table = read_tsv(run_dir / "network" / "coverage.tsv")
    if table is not None and {"name_a", "name_b", "status"} <= set(table.columns):
        rows = table[table["status"] == "unknown"]
        return list(zip(rows["name_a"].astype(str), rows["name_b"].astype(str)))
    uncovered = set(f.uncovered_targets)
    return [(a, b) for a, b in itertools.combinations(f.targets, 2) if a in uncovered or b in uncovered]


def _degree_bounds(degree: dict[str, int], targets: list[str],
                   unknown: list[tuple[str, str]]) -> tuple[dict[str, int], dict[str, int]]:
    """Known degree (lower bound) and known + unknown pairs (upper bound) of every target."""
    low = {t: int(degree.get(t, 0)) for t in targets} | {n: int(d) for n, d in degree.items()}
    high = dict(low)
    for a, b in unknown:
        high[a] = high.get(a, 0) + 1
        high[b] = high.get(b, 0) + 1
    return low, high


def most_connected(claim: Claim, ctx: Context) -> Verdict:
    """``most_connected``: the protein leads ``metric``; for Degree, bounded over the unknown pairs."""
    p: MostConnected = claim.params
    net = ctx.summaries.network
    if (bad := unusable(claim, net, "network")) is not None or net is None or net.findings is None:
        return bad  # type: ignore[return-value]
    f = net.findings
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
    others = [n for n in leaders if n != protein]
    if complete:
        if leaders == [protein]:
            return verdict(claim, evidence, "supported", f"{protein} alone has the highest {label}", note)
        if protein in leaders:
            return verdict(claim, evidence, "partially supported", f"{protein} is tied with {', '.join(others)}", note)
        return verdict(claim, evidence, "not supported", f"{', '.join(leaders)} more connected than {protein}", note)
    covered, targets = len(values), list(f.targets) or list(values)
    if metric == "Degree":
        low, high = _degree_bounds(f.degree, targets, _unknown_pairs(ctx.run_dir, f))
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


def hub(claim: Claim, ctx: Context) -> Verdict:
    """``hub``: every named protein has a ``method`` rank ≤ ``max_rank``."""
    p: Hub = claim.params
    net = ctx.summaries.network
    if (bad := unusable(claim, net, "network")) is not None or net is None or net.findings is None:
        return bad  # type: ignore[return-value]
    f = net.findings
    ranks = f.hub_ranks.get(p.method, {})
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


def top_hubs(claim: Claim, ctx: Context) -> Verdict:
    """``top_hubs``: overlap of netpharm's top-``n`` (ties included) with the paper's, Kendall τ if ordered."""
    p: TopHubs = claim.params
    net = ctx.summaries.network
    if (bad := unusable(claim, net, "network")) is not None or net is None or net.findings is None:
        return bad  # type: ignore[return-value]
    f = net.findings
    ranks = f.hub_ranks.get(p.method, {})
    complete, note = coverage_note(f)
    if not ranks:
        return verdict(claim, f"no {p.method} ranking in the network findings", NOT_RUN,
                       f"{p.method} not computed", note)
    found = sorted((n for n, r in ranks.items() if r <= p.n), key=lambda n: (ranks[n], n))
    common = [x for x in p.expected if x in found]
    overlap = len(common) / p.n
    evidence = (f"{p.method} top-{p.n} here (ties included): {', '.join(f'{n} ({ranks[n]})' for n in found)}; "
                f"published: {', '.join(p.expected)}; overlap {len(common)}/{p.n} = {overlap:.2f}")
    if p.ordered and len(common) >= 2:
        tau = kendalltau(list(range(len(common))), [ranks[x] for x in common]).statistic
        evidence += f"; Kendall τ over the {len(common)} shared = {tau:.2f}"
    missing = [x for x in p.expected if x not in ranks]
    if missing:
        evidence += f"; not in the network: {', '.join(missing)}"
    criterion = f"supported = overlap ≥ {p.min_overlap:g}"
    if overlap >= p.min_overlap - 1e-12:
        if complete:
            return verdict(claim, evidence, "supported", f"overlap {overlap:.2f} ({criterion})", note)
        return verdict(claim, evidence, "partially supported", f"overlap {overlap:.2f} on partial data ({criterion}); "
                       "the uncovered targets could change the ranks", note)
    if common:
        return verdict(claim, evidence, "partially supported", f"overlap {overlap:.2f} only ({criterion})", note)
    return verdict(claim, evidence, "not supported", f"no published hub in the top {p.n} ({criterion})", note)


def ppi_enrichment(claim: Claim, ctx: Context) -> Verdict:
    """``ppi_enrichment``: STRING's own PPI-enrichment p-value, never recomputed offline."""
    p: PpiEnrichmentClaim = claim.params
    net = ctx.summaries.network
    if (bad := unusable(claim, net, "network")) is not None or net is None or net.findings is None:
        return bad  # type: ignore[return-value]
    ppi = net.findings.ppi_enrichment
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

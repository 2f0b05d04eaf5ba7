"""What the network stage's claim kinds share: coverage notes, rank bounds, tie wording, competition ranks."""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from netpharm.hubs.config import ALL_METHODS
from netpharm.network.config import NetworkConfig
from netpharm.network.files import (
    COVERAGE,
    COVERAGE_TARGETS,
    HUBS,
)
from netpharm.network.findings import NetworkFindings
from netpharm.ties import BoundaryTie
from netpharm.verdict import NOT_RUN, AuditFinding, Claim, RunView, SectionSource, Verdict

__all__ = ["coverage_note", "monte_carlo_cut", "connected", "absent_from_network", "judge_absent", "NamesInNetwork"]


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


def monte_carlo_cut(run: RunView, f: NetworkFindings, method: str, cut: int) -> str:
    """For EPC (random): how far apart, in standard errors, the last protein inside the cut and the first
    outside lie; "" for the other (exact) methods or when ``hubs.tsv`` has no errors.

    cytoHubba prints one unseeded 1,000-run draw, so a published EPC list is itself a sample: a margin of a
    few standard errors says the cut is the expectation's, not the seed's (``HubsConfig.epc_runs``).
    """
    table = run.table(NetworkFindings, HUBS) if method == "EPC" else None
    if table is None or "EPC_std_error" not in table.columns or len(table) <= cut:
        return ""
    rows = sorted(zip(table["EPC"].astype(float), table["EPC_std_error"].astype(float), table["name"].astype(str)),
                  key=lambda r: (-r[0], r[2]))
    (inside, err_in, name_in), (outside, err_out, name_out) = rows[cut - 1], rows[cut]
    margin = (inside - outside) / max((err_in ** 2 + err_out ** 2) ** 0.5, 1e-12)
    runs, seed = f.hub_parameters.get("epc_runs"), f.hub_parameters.get("epc_seed")
    return (f"EPC is a Monte-Carlo mean ({runs} reduced networks, seed {seed}): at the cut {name_in} (#{cut}) "
            f"{inside:.2f} ± {err_in:.2f} vs {name_out} (#{cut + 1}) {outside:.2f} ± {err_out:.2f}, "
            f"{margin:.1f} standard errors apart")


def connected(f: NetworkFindings) -> int:
    """Proteins with at least one edge: the network a STRING export or Cytoscape shows (isolated queries left out)."""
    return sum(1 for d in f.degree.values() if d > 0)


def absent_from_network(f: NetworkFindings, names: Sequence[str]) -> list[str]:
    """The names that are certainly not nodes of the analysed network.

    A name that is no node and no uncovered target is absent as a fact: the network holds the targets (and the
    interactors STRING added), so a protein outside the targets, or a target whose import listing shows it
    isolated, is not in it. An uncovered target (no STRING data here) is unknown, not absent. Matched without
    regard to case, like the targets against STRING's names.
    """
    isolated = {n.upper() for n in f.query_isolated}  # queried, but without an interaction in the export
    nodes = {n.upper() for n, d in f.degree.items() if d > 0 or n.upper() not in isolated}
    unknown = {n.upper() for n in f.uncovered_targets} - isolated
    return [x for x in names if x.upper() not in nodes and x.upper() not in unknown]


def _unsaid(evidence: str, absent: Sequence[str]) -> str:
    """``evidence`` without the kind's own "not in the network: ..." list when every name in it is among
    ``absent`` (the absent statement that follows says it again, with the isolated proteins)."""
    said = re.search(r"(?:^|; )not in the network: ([^;]*)", evidence)
    if said is None or not set(said.group(1).split(", ")) <= set(absent):
        return evidence
    return evidence[:said.start()] + evidence[said.end():]


def judge_absent(v: Verdict, f: NetworkFindings, names: Sequence[str]) -> Verdict:
    """A claim naming a protein absent from the network is "not supported (absent from the network)" (issue 19).

    The paper's list with a gene its own network lacks is a fault a replicator must catch, not a configuration
    error; what the kind found for the other proteins stays in the evidence.
    """
    absent = absent_from_network(f, names)
    if not absent:
        return v
    what = f"absent from the network: {', '.join(absent)} (not among its {connected(f)} proteins with an interaction)"
    evidence = (v.evidence if "absent from the network" in v.evidence
                else f"{_unsaid(v.evidence, absent)}; {what}".lstrip("—; "))
    # the kind's own reason stays unless it only said it could not judge the absent protein
    reason = what if v.verdict == NOT_RUN else f"{what}; {v.reason}"
    return replace(v, verdict="not supported", evidence=evidence, reason=reason)


class NamesInNetwork:
    """Mixin of the network kinds that name proteins: a name absent from the network makes the verdict "not
    supported" (:func:`judge_absent`, through :meth:`judged`) and is an audit row (:meth:`audit`)."""

    def judged(self, v: Verdict, run: RunView) -> Verdict:
        """``v`` with the absent-name rule applied (unchanged when the network stage gave nothing usable)."""
        outcome = run.outcome(NetworkFindings)
        if outcome is None or not outcome.usable or outcome.findings is None:
            return v
        return judge_absent(v, outcome.findings, self.named_proteins())

    def named_proteins(self) -> tuple[str, ...]:  # pragma: no cover - every kind using the mixin defines it
        return ()

    def audit(self, claim: Claim[Any], run: RunView) -> list[AuditFinding]:
        outcome = run.outcome(NetworkFindings)
        if outcome is None or not outcome.usable or outcome.findings is None:
            return []
        f = outcome.findings
        absent = absent_from_network(f, self.named_proteins())
        if not absent:
            return []
        return [AuditFinding("absent_from_network", claim.id,
                             f"the study names {', '.join(absent)} ({claim.kind}), not in its own network "
                             f"of {connected(f)} proteins with an interaction and {f.edges} edges", "error")]

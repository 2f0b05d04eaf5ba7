"""What the network stage's claim kinds share: coverage notes, rank bounds, tie wording, competition ranks."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from netpharm.hubs.config import ALL_METHODS
from netpharm.network.config import NetworkConfig
from netpharm.network.files import (
    COVERAGE,
    COVERAGE_TARGETS,
    HUBS,
)
from netpharm.network.findings import NetworkFindings
from netpharm.ties import BoundaryTie
from netpharm.verdict import RunView, SectionSource

__all__ = ["coverage_note"]


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

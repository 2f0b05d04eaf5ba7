"""Claim kind ``core_targets``: CytoNCA core targets by the median rule (Tang et al. 2015), round after round."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from netpharm.hubs.config import CYTONCA_MEASURES, HubsConfig
from netpharm.network.claims.common import NamesInNetwork, coverage_note
from netpharm.network.files import (
    CORE_TARGETS,
    MEDIAN_SUFFIX,
    PASS_SUFFIX,
)
from netpharm.network.findings import NetworkFindings
from netpharm.verdict import NOT_RUN, Claim, ClaimKind, RunView, SectionSource, Verdict, usable_findings, verdict

__all__ = ["CoreTargetsClaim"]


@dataclass(frozen=True)
class CoreTargetsClaim(NamesInNetwork, ClaimKind):
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
        return self.judged(_core_targets(claim, self, run), run)


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

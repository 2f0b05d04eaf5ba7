"""Claim kind ``module``: proteins in an MCODE cluster (Bader & Hogue 2003) as Cytoscape's MCODE app finds it."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, ClassVar

from netpharm.network.claims.common import NamesInNetwork, coverage_note
from netpharm.network.findings import ModuleFinding, NetworkFindings
from netpharm.ties import boundary_tie, cap
from netpharm.verdict import NOT_RUN, Claim, ClaimKind, RunView, Verdict, usable_findings, verdict

__all__ = ["Module"]


@dataclass(frozen=True)
class Module(NamesInNetwork, ClaimKind):
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
        return self.judged(_module(claim, self, run), run)


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

"""Claim kind ``network_size``: the analysed network has the paper's number of nodes and/or edges."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from netpharm.network.claims.common import connected, coverage_note
from netpharm.network.findings import NetworkFindings
from netpharm.verdict import Claim, ClaimKind, RunView, Verdict, usable_findings, verdict

__all__ = ["NetworkSize"]


@dataclass(frozen=True)
class NetworkSize(ClaimKind):
    """``network_size``: the network analysed here has ``nodes`` nodes and/or ``edges`` edges ("107 nodes and
    2,157 edges"), counted on the simple graph at the workflow's score cut-off (each pair once).

    Nodes are the proteins with at least one edge, the count a STRING export or Cytoscape shows; a queried
    protein without any interaction at the cut-off is not in the study's network and is not counted (the
    evidence names how many such isolated proteins netpharm keeps). On partial coverage a count that differs
    could be made up by the unknown pairs: at most "partially supported" either way.
    """

    kind: ClassVar[str] = "network_size"
    stage: ClassVar[str] = "network"
    nodes: int | None = None
    edges: int | None = None

    def __post_init__(self) -> None:
        if self.nodes is None and self.edges is None:
            raise ValueError("give 'nodes', 'edges' or both")
        if any(v is not None and v < 0 for v in (self.nodes, self.edges)):
            raise ValueError("nodes and edges must be >= 0")

    def evaluate(self, claim: Claim[Any], run: RunView) -> Verdict:
        f = usable_findings(claim, run.outcome(NetworkFindings), "network")
        if isinstance(f, Verdict):
            return f
        complete, note = coverage_note(f)
        nodes = connected(f)
        isolated = f.nodes - nodes
        here = {"nodes": nodes, "edges": f.edges}
        asked = {k: v for k, v in (("nodes", self.nodes), ("edges", self.edges)) if v is not None}
        evidence = f"here {nodes} nodes with an edge and {f.edges} edges at score ≥ {f.required_score / 1000:g}"
        if isolated:
            evidence += f" ({isolated} queried protein(s) without an edge not counted)"
        evidence += "; stated: " + ", ".join(f"{v} {k}" for k, v in asked.items())
        wrong = [f"{k} {v} stated, {here[k]} here" for k, v in asked.items() if v != here[k]]
        if not wrong:
            if complete:
                return verdict(claim, evidence, "supported", "the counts are equal", note)
            return verdict(claim, evidence, "partially supported",
                           "the counts are equal on the covered targets; the unknown pairs could change them", note)
        if not complete:
            return verdict(claim, evidence, "partially supported",
                           f"{'; '.join(wrong)} on partial data; the unknown pairs could account for it", note)
        why = "; ".join(wrong)
        if f.query_disagreements:  # e.g. a protein the export lists though the study never queried it
            why += f"; the export and the study's target list disagree: {'; '.join(f.query_disagreements)}"
        return verdict(claim, evidence, "not supported", why, note)

"""Claim kind ``ct_degree``: a node's degree and tie-aware rank in the compound–target network.

"Quercetin hits the most targets (degree 154)", "PTGS2 is the core target": the node's degree in the
compound–target network built from the study's own tables, and its rank among the nodes of its side (ties
share a rank, as cytoHubba ranks). A claim that passes only through a tie larger than what it selects is at
most "partially supported" (:mod:`netpharm.ties`). A node absent from the network is "not supported (absent
from the compound–target network)", never a configuration error: a paper naming a core compound that its own
tables do not hold is what a replicator must catch.

Wiring (:func:`compounds_findings`): the kind reads ``ct_network`` (a
:class:`~netpharm.compounds.ct_findings.CTNetwork` or ``None``) from the compounds stage's findings, whose class
is named by :data:`FINDINGS`; :func:`evaluate_ct_degree` is the whole judgement on a ``CTNetwork``. A claim with
``side = "pathway"`` (or naming a node only the pathway network holds) is judged on the compound–target–pathway
network of the ``ct_pathway`` step (:class:`~netpharm.compounds.ct_findings.CTPathwayFindings`): a pathway's degree
is its member targets there, its rank tie-aware among the terms joined; a term the step did not join is "not
supported" with the way the terms were chosen stated.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, ClassVar, Protocol

from netpharm.compounds.ct_findings import SIDES, CTNetwork, CTNode, CTPathwayFindings, DrugLikeness, Side, fold_name
from netpharm.stage import load_object
from netpharm.ties import boundary_tie, cap
from netpharm.verdict import NOT_RUN, Claim, ClaimKind, RunView, Verdict, usable_findings, verdict

__all__ = ["CTDegree", "CompoundsView", "FINDINGS", "compounds_findings", "evaluate_ct_degree",
           "evaluate_pathway_degree"]

#: ``"module:Class"`` of the compounds stage's findings (resolved when a claim is judged, like a stage's
#: ``run``). The class must have the attributes of :class:`CompoundsView`.
FINDINGS = "netpharm.compounds.findings:CompoundsFindings"


class CompoundsView(Protocol):
    """What ``ct_degree`` and ``drug_like`` read from the compounds stage's findings."""

    @property
    def ct_network(self) -> CTNetwork | None: ...

    @property
    def drug_likeness(self) -> DrugLikeness | None: ...


def compounds_findings(claim: Claim[Any], run: RunView) -> CompoundsView | Verdict:
    """The compounds stage's findings of ``run``, or the "cannot be evaluated" verdict when it gave none."""
    found: CompoundsView | Verdict = usable_findings(claim, run.outcome(load_object(FINDINGS)), "compounds")
    return found


@dataclass(frozen=True)
class CTDegree(ClaimKind):
    """``ct_degree``: ``node`` has degree ``degree`` and/or a tie-aware degree rank ≤ ``max_rank`` among the
    nodes of its ``side`` (``"compound"``, ``"target"`` or ``"pathway"``; optional when the name is on one
    side only) in the compound–target network — for a pathway (a term's id or name), in the compound–target–pathway
    network of the ``ct_pathway`` step, among the terms it joined."""

    kind: ClassVar[str] = "ct_degree"
    stage: ClassVar[str] = "compounds"
    node: str
    degree: int | None = None
    max_rank: int | None = None
    side: Side | None = None

    def __post_init__(self) -> None:
        if not self.node.strip():
            raise ValueError("'node' must name a compound, a target or a pathway")
        if self.degree is None and self.max_rank is None:
            raise ValueError("give 'degree' (the paper's number), 'max_rank' (1 = the most connected) or both")
        if self.degree is not None and self.degree < 1:
            raise ValueError(f"degree must be >= 1 (a node of the network has at least one link), got {self.degree}")
        if self.max_rank is not None and self.max_rank < 1:
            raise ValueError(f"max_rank must be >= 1, got {self.max_rank}")
        if self.side is not None and self.side not in SIDES:
            raise ValueError(f"side {self.side!r} is not one of {list(SIDES)}")

    def evaluate(self, claim: Claim[Any], run: RunView) -> Verdict:
        if self.side == "pathway":
            return evaluate_pathway_degree(claim, self, usable_findings(claim, run.outcome(CTPathwayFindings),
                                                                        "ct_pathway"))
        found = compounds_findings(claim, run)
        if isinstance(found, Verdict):
            return found
        ctp = run.outcome(CTPathwayFindings) if found.ct_network is not None else None
        pathways = ctp.findings if ctp is not None and ctp.usable else None
        if pathways is not None and self.side is None and found.ct_network is not None \
                and not found.ct_network.find(self.node) and pathways.find_term(self.node) is not None:
            return evaluate_pathway_degree(claim, self, pathways)  # a name only the pathway network holds
        return evaluate_ct_degree(claim, self, found.ct_network, pathways.network if pathways is not None else None)


def evaluate_pathway_degree(claim: Claim[Any], p: CTDegree, found: CTPathwayFindings | Verdict) -> Verdict:
    """A ``ct_degree`` claim on a pathway, judged on the compound–target–pathway network (``found``: the
    ``ct_pathway`` step's findings, or its "cannot be evaluated" verdict)."""
    if isinstance(found, Verdict):
        return found
    net = found.network
    chosen = (f"the {len(found.terms)} {found.category} terms of lowest FDR in {found.enrichment}'s enrichment "
              "([compounds] pathway_terms)")
    term = found.find_term(p.node)
    if term is None:
        return verdict(claim, f"{p.node} is not among {chosen}", "not supported",
                       f"{p.node} is absent from the compound–target–pathway network (a term outside the top "
                       f"{len(found.terms)} by FDR, or not enriched; raise pathway_terms to join more)",
                       _completeness(net))
    named = dataclasses.replace(p, node=found.node_name(term), side="pathway")
    judged = evaluate_ct_degree(claim, named, net)
    evidence = f"{judged.evidence}; {term.term} FDR {term.fdr:.3g}, one of {chosen}"
    if fold_name(p.node) != fold_name(named.node):
        evidence += f"; {p.node!r} is the term {term.term} {term.name!r}"
    return dataclasses.replace(judged, evidence=evidence)


def _completeness(net: CTNetwork) -> str:
    if net.pathways:
        return (f"complete: the compound–target–pathway network built from the study's tables and the enrichment "
                f"({net.compounds} compounds, {net.targets} targets, {net.edges} pairs, {net.pathways} pathways, "
                f"{net.pathway_edges} pathway links)")
    return (f"complete: the compound–target network built from the study's tables ({net.compounds} compounds, "
            f"{net.targets} targets, {net.edges} pairs)")


def evaluate_ct_degree(claim: Claim[Any], p: CTDegree, net: CTNetwork | None,
                       ctp: CTNetwork | None = None) -> Verdict:
    """The verdict of a ``ct_degree`` claim on the compound–target network ``net`` (``None``: not built).

    ``ctp``, the compound–target–pathway network when the run has one, gives a paper's other readings of a degree
    (its rank stays the compound–target network's): a target's degree with its pathway links (what Cytoscape shows
    on that graph), a compound's degree counting only the workflow's targets (the "compound–common target" network).
    """
    if net is None or not net.nodes:
        return verdict(claim, "—", NOT_RUN, "no compound–target network in this run (no compound → target table)",
                       "no data")
    side = p.side
    if side == "pathway" and not net.pathways:
        return verdict(claim, "—", NOT_RUN, "the compound–target network has no pathways (enrichment gave none)",
                       _completeness(net))
    found = net.find(p.node, side)
    if not found:
        where = f"the {len(net.side_nodes(side))} {side}s" if side else f"its {len(net.nodes)} nodes"
        return verdict(claim, f"{p.node} is not among {where}", "not supported",
                       f"{p.node} is absent from the compound–target network", _completeness(net))
    if len(found) > 1:
        sides = " and a ".join(n.side for n in found)
        return verdict(claim, f"{p.node} is both a {sides} here", NOT_RUN,
                       f"{p.node} names a node on two sides: give side = \"compound\" or \"target\"", _completeness(net))
    node = found[0]
    other = {n.name: n for n in ctp.side_nodes(node.side)} if ctp is not None and node.side != "pathway" else {}
    if node.side == "target" and node.name in other:
        node = dataclasses.replace(node, pathway_degree=other[node.name].pathway_degree)
    common = other[node.name].degree if node.side == "compound" and node.name in other else None
    peers = net.side_nodes(node.side)
    also = (f"; in the compound–target–pathway network (the workflow's targets only): degree "
            f"{other[node.name].degree}, rank {other[node.name].rank} of {len(other)} {node.side}s"
            if node.name in other else "")
    tie = boundary_tie(net.ranks(node.side), p.max_rank, 1) if p.max_rank is not None else None
    what = f"degree {next(n.degree for n in peers if n.rank == tie.rank)}" if tie is not None else ""
    judged = _judge(claim, p, net, node, peers, common)
    return cap(dataclasses.replace(judged, evidence=judged.evidence + also), tie, (node.name,), what, f"{node.side}s")


def _judge(claim: Claim[Any], p: CTDegree, net: CTNetwork, node: CTNode, peers: tuple[CTNode, ...],
           common: int | None = None) -> Verdict:
    leaders = [n.name for n in peers if n.rank == 1]
    evidence = (f"{node.side} {node.name}: degree {node.degree}, rank {node.rank} of {len(peers)} {node.side}s "
                f"(ties share a rank); highest degree {peers[0].degree} ({', '.join(leaders)})")
    if node.name != p.node:
        evidence += f"; matched {p.node!r} to {node.name!r} (case and Greek letters ignored)"
    held, failed, notes = [], [], []
    if p.degree is not None:
        if node.degree == p.degree:
            held.append(f"degree {p.degree}")
        elif node.pathway_degree and node.cytoscape_degree == p.degree:
            held.append(f"degree {p.degree}")
            notes.append(f"the paper's degree counts the {node.pathway_degree} pathway links too (Cytoscape's degree "
                         "on the compound–target–pathway graph)")
        elif common is not None and common != node.degree and common == p.degree:
            held.append(f"degree {p.degree}")
            notes.append(f"the paper's degree counts only the compound's {common} targets among the workflow's "
                         "targets (its degree in the compound–target–pathway network)")
        elif node.rows != node.degree and node.rows == p.degree:
            held.append(f"degree {p.degree}")
            notes.append(f"the paper's degree counts every listed row: {node.rows} rows for {node.degree} distinct "
                         "pairs (what Cytoscape shows for a table imported with its repeated rows)")
        else:
            failed.append(f"degree {node.degree} here, the paper says {p.degree}")
    if p.max_rank is not None:
        criterion = f"rank {node.rank} ≤ {p.max_rank}" if node.rank <= p.max_rank else \
            f"rank {node.rank} > {p.max_rank}"
        (held if node.rank <= p.max_rank else failed).append(criterion)
        if p.max_rank >= len(peers):
            notes.append(f"max_rank {p.max_rank} ≥ the {len(peers)} {node.side}s: every {node.side} ranks within it")
    if notes:
        evidence += "; " + "; ".join(notes)
    done = _completeness(net)
    if failed and not held:
        return verdict(claim, evidence, "not supported", "; ".join(failed), done)
    if failed:
        return verdict(claim, evidence, "partially supported", f"{'; '.join(held)} holds, but {'; '.join(failed)}", done)
    if p.max_rank is not None and p.max_rank >= len(peers):
        return verdict(claim, evidence, "partially supported",
                       f"{'; '.join(held)}, but the rank bound covers every {node.side}, so it cannot fail", done)
    return verdict(claim, evidence, "supported", "; ".join(held), done)

"""Typed findings of the compound–target network and of drug-likeness (parts of ``compounds/summary.json``).

The compounds stage's findings hold a :class:`CTNetwork` and a :class:`DrugLikeness`; both round-trip
through JSON with :func:`netpharm.config.to_mapping` / :func:`netpharm.config.from_mapping` like every
stage's findings. Light module (no numerical import): the claims and the report import it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from netpharm.compounds.config import PathwayTerm

__all__ = ["Side", "SIDES", "CTNode", "CTNetwork", "CTPathwayFindings", "CompoundProperties", "DrugLikeness", "RuleResult",
           "RULES", "fold_name"]

Side = Literal["compound", "target", "pathway"]
#: The node sides of a compound–target(–pathway) network, in drawing order (left to right).
SIDES: tuple[Side, ...] = ("compound", "target", "pathway")
#: Drug-likeness rules a ``drug_like`` claim may name.
RULES: tuple[str, ...] = ("lipinski", "veber", "ob_dl")


#: Greek letters as compound names spell them in tables (TCMSP "beta-sitosterol") and in papers ("β-sitosterol").
_GREEK = str.maketrans({"α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "ε": "epsilon", "κ": "kappa",
                        "ω": "omega"})


def fold_name(name: str) -> str:
    """A name as compared when no exact match exists: Greek letters spelt out, case folded, outer spaces dropped.

    >>> fold_name(" β-Sitosterol") == fold_name("beta-sitosterol")
    True
    """
    return name.strip().translate(_GREEK).casefold()


@dataclass(frozen=True)
class CTNode:
    """One node of the compound–target(–pathway) network.

    Attributes
    ----------
    name : str
        The compound, target or pathway as the input names it (after the stage's normalisation).
    side : {"compound", "target", "pathway"}
    degree : int
        Distinct neighbours in the compound–target network: a compound's targets, a target's
        compounds, a pathway's member targets (those in the network). Repeated rows of one pair
        count once (a simple graph).
    rank : int
        Tie-aware (competition) rank of ``degree`` among the nodes of the same side, 1 = highest; equal
        degrees share a rank (1, 2, 2, 4; :func:`netpharm.ties.competition_ranks`).
    pathway_degree : int
        A target's pathways in the compound–target–pathway form (0 otherwise). What Cytoscape shows as
        the degree of a target on that graph is ``degree + pathway_degree``.
    rows : int
        Input rows listing the node's compound–target pairs, repeats included (= ``degree`` without repeats):
        the degree Cytoscape shows when a table with repeated rows is imported without merging them
        (for a pathway: its links).
    """

    name: str
    side: Side
    degree: int
    rank: int
    pathway_degree: int = 0
    rows: int = 0

    @property
    def cytoscape_degree(self) -> int:
        """The degree Cytoscape's NetworkAnalyzer shows on the whole (C–T or C–T–P) graph."""
        return self.degree + self.pathway_degree


@dataclass(frozen=True)
class CTNetwork:
    """The compound–target(–pathway) network: sizes, every node's degree and tie-aware rank per side.

    Attributes
    ----------
    compounds, targets, pathways : int
        Nodes per side (``pathways`` = 0 without enrichment).
    edges : int
        Distinct compound–target pairs.
    pathway_edges : int
        Distinct pathway–target links (pathway members that are targets of the network).
    repeated_pairs : int
        Input rows that repeated a compound–target pair already counted (several sources, or one
        server listing a pair twice): counted once, reported here.
    nodes : tuple of CTNode
        Every node, by side (compound, target, pathway), then rank, then name.
    """

    compounds: int
    targets: int
    pathways: int
    edges: int
    pathway_edges: int
    repeated_pairs: int
    nodes: tuple[CTNode, ...]

    def side_nodes(self, side: Side) -> tuple[CTNode, ...]:
        """The nodes of one side, best rank first."""
        return tuple(n for n in self.nodes if n.side == side)

    def find(self, name: str, side: Side | None = None) -> tuple[CTNode, ...]:
        """The nodes called ``name`` (exact, else by :func:`fold_name`), on ``side`` when given.

        More than one when the name is both a compound and a target (and no side is given).
        """
        pool = [n for n in self.nodes if side is None or n.side == side]
        exact = tuple(n for n in pool if n.name == name)
        return exact or tuple(n for n in pool if fold_name(n.name) == fold_name(name))

    def ranks(self, side: Side) -> dict[str, int]:
        """``{name: rank}`` of one side."""
        return {n.name: n.rank for n in self.side_nodes(side)}

    def core(self, side: Side, n: int) -> tuple[str, ...]:
        """The top ``n`` of a side by degree, ties at the boundary included (so possibly more than ``n``)."""
        return tuple(x.name for x in self.side_nodes(side) if x.rank <= n)


@dataclass(frozen=True)
class CTPathwayFindings:
    """What the ``ct_pathway`` step found: the compound–target–pathway network (``ct_pathway/summary.json``).

    Attributes
    ----------
    network : CTNetwork
        Compounds, the workflow's targets they hit (the common targets in the recipe), and the chosen terms
        joined to their member targets. A compound's and a target's ``degree`` count compound–target links
        within this network; a target's ``pathway_degree`` its terms; a pathway's ``degree`` its member targets.
    terms : tuple of PathwayTerm
        The terms joined, best FDR first (a pathway node is named by the term's name, see :meth:`node_name`).
    enrichment, category : str
        Where the terms came from (``"STRING"`` / ``"offline ORA"``; ``"KEGG"``, ``"Reactome"``, ``"BP"`` ...).
    fdr_threshold : float
    targets : int
        The workflow's targets (the enrichment's query).
    compounds_left_out : tuple of str
        Compounds none of whose targets is a workflow target (not drawn).
    notes : tuple of str
        How the terms were chosen (a tie at the cut named).
    figure : str
        The figure, relative to the run directory.
    """

    network: CTNetwork
    terms: tuple[PathwayTerm, ...]
    enrichment: str
    category: str
    fdr_threshold: float
    targets: int
    compounds_left_out: tuple[str, ...]
    notes: tuple[str, ...]
    figure: str

    def node_name(self, term: PathwayTerm) -> str:
        """The pathway node's name: the term's name, with its id when two chosen terms share the name."""
        shared = sum(1 for t in self.terms if t.name == term.name) > 1
        return f"{term.name} ({term.term})" if shared or not term.name else term.name

    def find_term(self, name: str) -> PathwayTerm | None:
        """The chosen term called ``name``: its id, its name or its node name (case and Greek letters ignored)."""
        for key in (lambda t: t.term, self.node_name, lambda t: t.name):
            found = [t for t in self.terms if fold_name(key(t)) == fold_name(name)]
            if len(found) == 1:
                return found[0]
        return None


@dataclass(frozen=True)
class RuleResult:
    """One compound judged by one rule.

    Attributes
    ----------
    rule : str
        ``lipinski``, ``veber`` or ``ob_dl``.
    passed : bool or None
        ``None`` when the rule cannot be evaluated (no structure; no imported OB/DL).
    violations : tuple of str
        The criteria failed, with the value ("MW 612.5 > 500").
    why_not : str
        Why the rule could not be evaluated ("" when it was).
    """

    rule: str
    passed: bool | None
    violations: tuple[str, ...] = ()
    why_not: str = ""


@dataclass(frozen=True)
class CompoundProperties:
    """One compound's descriptors (computed by RDKit from its structure) and imported server values.

    Attributes
    ----------
    name : str
    structure_source : str
        Where the structure came from (``"SMILES (table)"``, ``"SDF wogonin.sdf"``, ``"PubChem name"``),
        ``""`` when there is none (then every computed field is ``None``).
    smiles : str
        RDKit's canonical SMILES of the structure used ("" without one).
    mw, logp, tpsa, qed : float or None
        Average molecular weight (g/mol), Crippen logP (Wildman & Crippen 1999), topological polar
        surface area (Ertl et al. 2000, N and O only), QED (Bickerton et al. 2012, default weights).
    hbd, hba, rotatable_bonds : int or None
        Lipinski's donors (NH + OH count) and acceptors (N + O count) as Lipinski 2001 counts them
        (RDKit ``NHOHCount``/``NOCount``), and rotatable bonds (RDKit's strict definition, Veber 2002).
    imported : dict
        Values a server computed, carried verbatim and never recomputed: ``{"OB": 47.19, "DL": 0.04,
        "Caco-2": 1.82, ...}`` (TCMSP: OB in %).
    imported_from : str
        The file (and format) the imported values came from; "" when none.
    rules : tuple of RuleResult
        One per rule in :data:`RULES`.
    """

    name: str
    structure_source: str
    smiles: str
    mw: float | None
    logp: float | None
    hbd: int | None
    hba: int | None
    tpsa: float | None
    rotatable_bonds: int | None
    qed: float | None
    imported: dict[str, float] = field(default_factory=dict)
    imported_from: str = ""
    rules: tuple[RuleResult, ...] = ()

    def rule(self, name: str) -> RuleResult | None:
        """This compound's result for rule ``name``."""
        return next((r for r in self.rules if r.rule == name), None)


@dataclass(frozen=True)
class DrugLikeness:
    """Drug-likeness of every compound, and the rules' parameters used.

    Attributes
    ----------
    compounds : tuple of CompoundProperties
        In input order.
    thresholds : dict
        The thresholds applied (``lipinski_mw`` 500, ``lipinski_logp`` 5, ``lipinski_hbd`` 5,
        ``lipinski_hba`` 10, ``lipinski_max_violations`` 1, ``veber_rotatable`` 10, ``veber_tpsa`` 140,
        ``ob_min`` 30, ``dl_min`` 0.18).
    rdkit_version : str
        The RDKit that computed the descriptors ("" when none were computed).
    """

    compounds: tuple[CompoundProperties, ...]
    thresholds: dict[str, float]
    rdkit_version: str = ""

    def find(self, name: str) -> CompoundProperties | None:
        """The compound called ``name`` (exact, else by :func:`fold_name`), ``None`` when absent."""
        exact = [c for c in self.compounds if c.name == name]
        folded = exact or [c for c in self.compounds if fold_name(c.name) == fold_name(name)]
        return folded[0] if folded else None

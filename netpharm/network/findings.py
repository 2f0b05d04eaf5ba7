"""The network stage's findings: the typed ``findings`` of ``network/summary.json``.

Field meanings follow Cytoscape NetworkAnalyzer (Assenov et al. 2008; Doncheva et al. 2012)
and cytoHubba (Chin et al. 2014); see ``docs/run-directory.md``. Light module (no numerical
import): the registry, the report and the claims import it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = ["NetworkFindings", "PpiEnrichment", "CoreTargets", "CoreTargetRound", "ModuleFinding"]


@dataclass(frozen=True)
class PpiEnrichment:
    """STRING's ``ppi_enrichment`` answer (Szklarczyk et al. 2023), STRING's own numbers.

    Attributes
    ----------
    number_of_nodes, number_of_edges : int
        Query proteins and observed edges at the required score.
    expected_number_of_edges : float
        STRING's expectation for a random set of proteins of the same size and degree distribution.
    p_value : float
        STRING's PPI-enrichment p-value.
    response : dict
        The response row verbatim (strings), for provenance.
    """

    number_of_nodes: int
    number_of_edges: int
    expected_number_of_edges: float
    p_value: float
    response: dict[str, str]

    @classmethod
    def from_response(cls, row: Mapping[str, Any]) -> PpiEnrichment:
        """Parse STRING's TSV row (all values as text)."""
        return cls(int(float(row["number_of_nodes"])), int(float(row["number_of_edges"])),
                   float(row["expected_number_of_edges"]), float(row["p_value"]),
                   {str(k): str(v) for k, v in row.items()})


@dataclass(frozen=True)
class CoreTargetRound:
    """One round of CytoNCA's median rule (``netpharm.hubs.cytonca``).

    Attributes
    ----------
    round : int
        1 = the whole network; k = the subnetwork of round k − 1's core.
    nodes : int
        Nodes the round ranked.
    medians : dict
        ``{measure: median over those nodes}``.
    core : tuple of str
        Nodes at or above every median, sorted.
    """

    round: int
    nodes: int
    medians: dict[str, float]
    core: tuple[str, ...]


@dataclass(frozen=True)
class CoreTargets:
    """CytoNCA core targets (Tang et al. 2015): every measure at or above its median, round after round.

    Attributes
    ----------
    measures : tuple of str
        The CytoNCA measures used (``[hubs] cytonca_measures``).
    rounds_asked : int
        ``[hubs] cytonca_rounds``.
    rounds : tuple of CoreTargetRound
        The rounds done (fewer than asked when a round's core was empty).
    """

    measures: tuple[str, ...]
    rounds_asked: int
    rounds: tuple[CoreTargetRound, ...]

    def core_after(self, k: int) -> tuple[str, ...] | None:
        """The core after ``k`` rounds (empty after an empty round), ``None`` when more than asked."""
        if k > self.rounds_asked:
            return None
        done = [r for r in self.rounds if r.round == k]
        return done[0].core if done else ()


@dataclass(frozen=True)
class ModuleFinding:
    """One MCODE cluster (Bader & Hogue 2003) as Cytoscape's MCODE app reports it.

    Attributes
    ----------
    cluster : int
        Rank, 1 = best score.
    score : float
        Density × number of nodes.
    seed : str
        The node it grew from (the haircut may have removed it).
    members : tuple of str
        Sorted by name.
    edges : int
    """

    cluster: int
    score: float
    seed: str
    members: tuple[str, ...]
    edges: int


@dataclass(frozen=True)
class NetworkFindings:
    """What the network stage found (``network/summary.json`` → ``findings``).

    Attributes
    ----------
    nodes, edges : int
        Size of the simple graph analysed.
    targets, covered_targets, uncovered_targets : tuple of str
        The query, and which targets have STRING data here.
    pair_counts : dict
        Target pairs per coverage status (``edge``, ``non_edge``, ``unknown``).
    unknown_pairs : int
        Target pairs whose edge status is unknown (listed in ``network/coverage.tsv``).
    degree : dict
        NetworkAnalyzer Degree per node (simple graph).
    node_metrics : dict
        Every numeric NetworkAnalyzer node column: ``{column: {node: value}}``.
    most_connected : tuple of str
        Nodes with the maximal degree.
    hub_ranks : dict
        cytoHubba tie-aware (competition) rank per method and node: ``{method: {node: rank}}``.
    hub_top : dict
        cytoHubba top-N per method, ties at the boundary included.
    mcc_ranks, mcc_top, mcc_tie_at_boundary
        The MCC entries of the above (MCC = cytoHubba's recommended method).
    ppi_enrichment : PpiEnrichment or None
        Only when STRING itself answered (online or cached); never recomputed.
    string_version, required_score, source : str, int, str
    data_sources : tuple of dict
        Provenance records of the STRING data used.
    hub_parameters : dict
        Every cytoHubba convention used (recorded, see ``netpharm.hubs``).
    conflicts : tuple of dict
        ``{pair, status, conflict}`` for every target pair on which two sources disagree
        (``netpharm.network.coverage``); also listed in the stage's ``missing``.
    symbol_matches : dict
        Query symbol -> STRING name it matched case-insensitively (only those that differ).
    version_rule : str
        How imports of several declared STRING versions were combined ("" for one source).
    partial_columns : dict
        Import label -> columns that are not real STRING values in it (left empty in ``edges.tsv``).
    core_targets : CoreTargets or None
        CytoNCA core targets per round (``network/core_targets.tsv``); ``None`` with no edge.
    modules : tuple of ModuleFinding
        MCODE clusters, best first (``network/module_clusters.tsv``); empty without edges.
    module_parameters : dict
        The MCODE parameters used (``[network.mcode]``); empty when MCODE did not run.
    query_isolated : tuple of str
        Queried proteins absent from an import's complete listing with a declared query (``netpharm import
        --query``): isolated at its cut-off, their pairs known non-edges (``network/query_audit.tsv``).
    query_disagreements : tuple of str
        Where a declared query and its export disagree beyond isolation, one sentence each: an exported
        protein that was not queried, a queried protein absent although another import or a reference
        export lists it with an exported protein at or above the cut-off (``network/query_audit.tsv``; also
        in ``missing``), one sentence per protein.
    reference_sources : tuple of dict
        Provenance of the ``network.reference_imports`` the query audit consulted (never part of the network).
    """

    nodes: int
    edges: int
    targets: tuple[str, ...]
    covered_targets: tuple[str, ...]
    uncovered_targets: tuple[str, ...]
    pair_counts: dict[str, int]
    unknown_pairs: int
    degree: dict[str, int]
    node_metrics: dict[str, dict[str, float]]
    most_connected: tuple[str, ...]
    hub_ranks: dict[str, dict[str, int]]
    hub_top: dict[str, tuple[str, ...]]
    mcc_ranks: dict[str, int]
    mcc_top: tuple[str, ...]
    mcc_tie_at_boundary: bool
    ppi_enrichment: PpiEnrichment | None
    string_version: str
    required_score: int
    source: str
    data_sources: tuple[dict[str, Any], ...]
    hub_parameters: dict[str, Any]
    conflicts: tuple[dict[str, str], ...] = ()
    symbol_matches: dict[str, str] = field(default_factory=dict)
    version_rule: str = ""
    partial_columns: dict[str, tuple[str, ...]] = field(default_factory=dict)
    core_targets: CoreTargets | None = None
    modules: tuple[ModuleFinding, ...] = ()
    module_parameters: dict[str, Any] = field(default_factory=dict)
    query_isolated: tuple[str, ...] = ()
    query_disagreements: tuple[str, ...] = ()
    reference_sources: tuple[dict[str, Any], ...] = ()

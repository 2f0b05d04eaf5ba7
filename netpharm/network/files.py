"""The network stage's run-directory files (``RUN_DIR/network/``) and the columns readers rely on.

The writers and every reader (the stage's claims and report section) use these names; no
other module spells them (``tests/test_layers.py`` checks it). Light module.
"""

from __future__ import annotations

__all__ = ["EDGES", "COVERAGE", "COVERAGE_TARGETS", "NODES", "HUBS", "TOP_HUBS", "NETWORK_SUMMARY", "RANK_STABILITY",
           "PPI_ENRICHMENT", "GRAPHML", "SIF", "NODE_COLUMNS"]

#: The network's edges at the required score (``name_a``, ``name_b``, STRING's score columns).
EDGES = "edges.tsv"
#: Every target pair: ``name_a``, ``name_b``, ``status`` (edge, non_edge, unknown, conflict) and the sources.
COVERAGE = "coverage.tsv"
#: Compact listings only: one row per target (``name``, ``edge``, ``non_edge``, ``unknown`` counts).
COVERAGE_TARGETS = "coverage_targets.tsv"
#: NetworkAnalyzer's node table: ``name`` and :data:`NODE_COLUMNS` (its conventions).
NODES = "nodes.tsv"
#: All 12 cytoHubba scores and tie-aware ranks per node.
HUBS = "hubs.tsv"
#: The top nodes per cytoHubba method: ``method``, ``rank``, ``name``, ``score``, ``tied_at_boundary``.
TOP_HUBS = "top_hubs.tsv"
#: NetworkAnalyzer's network statistics.
NETWORK_SUMMARY = "network_summary.tsv"
#: Hub ranks across score cut-offs and under edge bootstrap.
RANK_STABILITY = "rank_stability.tsv"
#: STRING's PPI-enrichment answer, verbatim.
PPI_ENRICHMENT = "ppi_enrichment.tsv"
#: Cytoscape-ready exports.
GRAPHML = "network.graphml"
SIF = "network.sif"

#: NetworkAnalyzer's node columns (Assenov et al. 2008), in ``nodes.tsv`` order.
NODE_COLUMNS: tuple[str, ...] = (
    "Degree", "BetweennessCentrality", "ClosenessCentrality", "ClusteringCoefficient", "Stress",
    "AverageShortestPathLength", "Eccentricity", "Radiality", "NeighborhoodConnectivity",
    "TopologicalCoefficient",
)

"""The network stage's run-directory files (``RUN_DIR/network/``, ``docs/run-directory.md``).

File names relative to the stage folder, and the columns and values other stages and the report
read. The writers use these names; a reader imports them instead of spelling them. Light on
purpose (no numpy/pandas), so any reader may import it.
"""

from __future__ import annotations

__all__ = [
    "FOLDER", "EDGES", "NODES", "HUBS", "TOP_HUBS", "COVERAGE", "COVERAGE_TARGETS", "NETWORK_SUMMARY", "RANK_STABILITY",
    "PPI_ENRICHMENT", "GRAPHML", "SIF", "ANALYSIS_FILES", "NAME", "NAME_A", "NAME_B", "NODE_COLUMNS",
    "RADIALITY_BY_DIAMETER", "DEGREE_WITH_DUPLICATES", "NETWORK_ANALYZER_COLUMNS", "TOP_HUBS_COLUMNS", "STATUS", "EDGE",
    "NON_EDGE", "UNKNOWN", "PAIR_STATUSES", "COVERAGE_COLUMNS", "COVERAGE_TARGETS_COLUMNS", "CORE_TARGETS",
    "ROUND", "CORE", "CORE_ROUND", "MEDIAN_SUFFIX", "PASS_SUFFIX", "MODULES", "MODULE_CLUSTERS", "MODULE_COLUMNS",
    "MODULE_CLUSTER_COLUMNS", "QUERY_AUDIT", "QUERY_AUDIT_COLUMNS", "ISOLATED", "NOT_QUERIED", "ABSENT_WITH_PARTNER",
    "QUERY_AUDIT_KINDS",
]

# --- files -----------------------------------------------------------------------------------
#: The stage's folder in the run directory.
FOLDER = "network"
#: The edges at the required score: name_a, name_b, STRING ids, scores, ``source``, ``sources``.
EDGES = "edges.tsv"
#: One row per protein: ``name`` + :data:`NETWORK_ANALYZER_COLUMNS` (the second one only with duplicates) + ``string_id``;
#: NetworkAnalyzer's conventions (Assenov et al. 2008), equal to Cytoscape's NetworkAnalyzer tables.
NODES = "nodes.tsv"
#: One row per protein: the cytoHubba scores and ``<Method>_rank`` columns, with cytoHubba's conventions (Chin et al.
#: 2014): Betweenness and Stress over ordered pairs, Radiality with w = v, BottleNeck counting its source, EPC as the
#: mean component size (``netpharm.hubs.config.HubsConfig`` names the other forms). Equal to cytoHubba's printed table
#: except BottleNeck (close: cytoHubba's tree-parent rule is unknown) and EPC (random: within Monte-Carlo error).
HUBS = "hubs.tsv"
#: Per cytoHubba method its top-N proteins (:data:`TOP_HUBS_COLUMNS`).
TOP_HUBS = "top_hubs.tsv"
#: Target pairs by evidence (:data:`COVERAGE_COLUMNS`): every pair, or only the listed ones (compact).
COVERAGE = "coverage.tsv"
#: Compact coverage only: one row per target (:data:`COVERAGE_TARGETS_COLUMNS`).
COVERAGE_TARGETS = "coverage_targets.tsv"
#: CytoNCA core targets: one row per (round, node) the round ranks, see :data:`ROUND` ... :data:`PASS_SUFFIX`.
CORE_TARGETS = "core_targets.tsv"
#: NetworkAnalyzer's network statistics (``statistic``, ``value``).
NETWORK_SUMMARY = "network_summary.tsv"
#: Ranks of the top hubs across score cut-offs and edge bootstrap.
RANK_STABILITY = "rank_stability.tsv"
#: STRING's ``ppi_enrichment`` answer verbatim (only when STRING was reached or cached).
PPI_ENRICHMENT = "ppi_enrichment.tsv"
#: The network with node and hub attributes, for Cytoscape.
GRAPHML = "network.graphml"
#: The network as a Simple Interaction File, for Cytoscape.
SIF = "network.sif"
#: MCODE per node (:data:`MODULE_COLUMNS`): vertex weight, cluster rank (empty when unclustered), status.
MODULES = "modules.tsv"
#: MCODE clusters, best first (:data:`MODULE_CLUSTER_COLUMNS`).
MODULE_CLUSTERS = "module_clusters.tsv"
#: Imports with a declared query (``netpharm import --query``) against their export (:data:`QUERY_AUDIT_COLUMNS`);
#: written only when an import declares one.
QUERY_AUDIT = "query_audit.tsv"
#: What the analysis of a graph writes (``netpharm network`` writes exactly these).
ANALYSIS_FILES: tuple[str, ...] = (NODES, HUBS, TOP_HUBS, NETWORK_SUMMARY, GRAPHML, SIF, MODULES, MODULE_CLUSTERS)

# --- columns and values ----------------------------------------------------------------------
#: The protein (STRING's preferred name) in nodes.tsv, hubs.tsv, top_hubs.tsv and coverage_targets.tsv.
NAME = "name"
#: The two proteins of a pair in edges.tsv and coverage.tsv (``name_a < name_b``).
NAME_A, NAME_B = "name_a", "name_b"
#: NetworkAnalyzer's node columns (Assenov et al. 2008), in nodes.tsv's order after ``name``.
NODE_COLUMNS: tuple[str, ...] = (
    "Degree", "BetweennessCentrality", "ClosenessCentrality", "ClusteringCoefficient", "Stress",
    "AverageShortestPathLength", "Eccentricity", "Radiality", "NeighborhoodConnectivity",
    "TopologicalCoefficient",
)
#: Radiality normalised by the component's diameter instead of its maximal degree.
RADIALITY_BY_DIAMETER = "RadialityByDiameter"
#: The Degree Cytoscape shows for a file listing each pair twice (only when the source has duplicates).
DEGREE_WITH_DUPLICATES = "DegreeWithDuplicates"
#: Every NetworkAnalyzer-style column of nodes.tsv (what a ``most_connected`` claim may rank by).
NETWORK_ANALYZER_COLUMNS: tuple[str, ...] = (*NODE_COLUMNS, RADIALITY_BY_DIAMETER, DEGREE_WITH_DUPLICATES)
#: Columns of top_hubs.tsv: one row per (method, top protein); ``tied_at_boundary`` = the top-N cut splits a tie.
TOP_HUBS_COLUMNS: tuple[str, ...] = ("method", "rank", NAME, "score", "tied_at_boundary")
#: The column of coverage.tsv holding a pair's status.
STATUS = "status"
#: A pair's status: an interaction at the required score, a known non-interaction, or no source can tell.
EDGE, NON_EDGE, UNKNOWN = "edge", "non_edge", "unknown"
#: The statuses in the order the tables and counts give them.
PAIR_STATUSES: tuple[str, ...] = (EDGE, NON_EDGE, UNKNOWN)
#: Columns of coverage.tsv.
COVERAGE_COLUMNS: tuple[str, ...] = (NAME_A, NAME_B, STATUS, "score", "evidence", "conflict")
#: Columns of coverage_targets.tsv: per target whether a source holds it, its pairs per status, the sources.
COVERAGE_TARGETS_COLUMNS: tuple[str, ...] = (NAME, "covered", EDGE, NON_EDGE, UNKNOWN, "sources")
#: core_targets.tsv: ``round`` (1 = whole network, k = round k − 1's core), ``name``, then per CytoNCA measure
#: ``<measure>`` (its value in that round's network), ``<measure>_median`` and ``<measure>_pass`` (≥ median),
#: then ``core`` (passes every measure in that round) and ``core_round`` (the last round the node is core in,
#: 0 = none).
ROUND, CORE, CORE_ROUND = "round", "core", "core_round"
MEDIAN_SUFFIX, PASS_SUFFIX = "_median", "_pass"
#: Columns of modules.tsv: MCODE's vertex weight (the app's ``MCODE::Score``), the rank of the node's
#: cluster (1 = best; empty when unclustered) and ``seed`` / ``clustered`` / ``unclustered``.
MODULE_COLUMNS: tuple[str, ...] = (NAME, "mcode_score", "cluster", STATUS)
#: Columns of module_clusters.tsv: rank, score (density × nodes), size, edges, seed, comma-separated members.
MODULE_CLUSTER_COLUMNS: tuple[str, ...] = ("cluster", "score", "nodes", "edges", "seed", "members")
#: Columns of query_audit.tsv: the import, the protein, the :data:`QUERY_AUDIT_KINDS` value, the partner and score
#: of the evidence (empty when none), and the finding in words.
QUERY_AUDIT_COLUMNS: tuple[str, ...] = ("import", "protein", "kind", "partner", "score", "detail")
#: A queried protein absent from a complete listing: isolated at its cut-off (list and export agree).
ISOLATED = "isolated"
#: A protein of the export that is not in its declared query (list and export disagree).
NOT_QUERIED = "not_queried"
#: A queried protein absent although another import lists it with a protein of the export at a score at or above
#: the export's cut-off (list and export disagree: the export should have shown that pair).
ABSENT_WITH_PARTNER = "absent_with_partner"
#: The kinds in query_audit.tsv's order.
QUERY_AUDIT_KINDS: tuple[str, ...] = (NOT_QUERIED, ABSENT_WITH_PARTNER, ISOLATED)

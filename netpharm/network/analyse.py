"""Topology + hub ranking of one graph, and the files that describe it.

Shared by the workflow's network stage and the stable ``netpharm network EDGES`` command.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import networkx as nx

from netpharm.graphs.mcode import McodeResult, mcode
from netpharm.graphs.paths import path_stats
from netpharm.hubs.config import HubsConfig
from netpharm.hubs.rank import HubRanking, rank_hubs
from netpharm.io import write_columns
from netpharm.network import files
from netpharm.network.config import McodeConfig
from netpharm.network.export import write_graphml, write_sif
from netpharm.network.topology import NetworkStatistics, network_statistics, node_columns

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["NetworkAnalysis", "analyse_graph", "write_analysis"]

log = logging.getLogger(__name__)


@dataclass
class NetworkAnalysis:
    """NetworkAnalyzer node table, network statistics and cytoHubba ranking of one graph.

    ``node_columns`` is the node table as arrays (:func:`~netpharm.network.topology.node_columns`);
    :attr:`nodes` is its DataFrame, built on first use (writing the files needs no pandas).
    """

    graph: nx.Graph
    node_columns: dict[str, Any]
    statistics: NetworkStatistics
    hubs: HubRanking
    modules: McodeResult
    module_parameters: dict[str, Any]

    @cached_property
    def nodes(self) -> pd.DataFrame:
        """NetworkAnalyzer's node table (``name`` + columns), one row per node sorted by name."""
        import pandas as pd

        return pd.DataFrame(self.node_columns)


def analyse_graph(graph: nx.Graph, hubs_config: HubsConfig | None = None,
                  multiplicity: Mapping[tuple[str, str], int] | None = None,
                  mcode_config: McodeConfig | None = None, node_order: Sequence[str] | None = None
                  ) -> NetworkAnalysis:
    """Compute every NetworkAnalyzer column, all requested cytoHubba methods and MCODE's modules.

    One compiled BFS pass (:func:`~netpharm.graphs.paths.path_stats`) feeds the first two.
    ``node_order`` is Cytoscape's node creation order (for a file import, the order names first
    appear); it only breaks MCODE's ties (default: the graph's node order).
    """
    hubs_config = hubs_config or HubsConfig()
    log.info("topology: %d nodes, %d edges", graph.number_of_nodes(), graph.number_of_edges())
    stats = path_stats(graph, bottleneck_mode=hubs_config.bottleneck_mode,
                       bottleneck_strict=hubs_config.bottleneck_strict)
    nodes = node_columns(graph, stats, multiplicity)
    multi = sum(1 for (a, b), k in (multiplicity or {}).items() if k > 1 and graph.has_edge(a, b))
    statistics = network_statistics(graph, nodes, stats, multi)
    log.info("hub ranking: %s", ", ".join(hubs_config.methods))
    hubs = rank_hubs(graph, hubs_config, stats)
    parameters = dataclasses.asdict(mcode_config or McodeConfig())
    modules = mcode(graph, order=node_order, **parameters)
    return NetworkAnalysis(graph, nodes, statistics, hubs, modules, parameters)


def module_columns(result: McodeResult) -> dict[str, list[Any]]:
    """modules.tsv (:data:`~netpharm.network.files.MODULE_COLUMNS`), one row per node sorted by name."""
    names = sorted(result.scores)
    rank, status = result.cluster_of(), result.status()
    values = ([result.scores[n] for n in names], [rank.get(n) for n in names], [status[n] for n in names])
    return dict(zip(files.MODULE_COLUMNS, ([*names], *values)))


def module_cluster_columns(result: McodeResult) -> dict[str, list[Any]]:
    """module_clusters.tsv (:data:`~netpharm.network.files.MODULE_CLUSTER_COLUMNS`), best first."""
    rows = [(c.rank, c.score, len(c.nodes), c.edges, c.seed, ",".join(c.nodes)) for c in result.clusters]
    return {col: [row[i] for row in rows] for i, col in enumerate(files.MODULE_CLUSTER_COLUMNS)}


def _graphml_modules(result: McodeResult, names: Sequence[str]) -> dict[str, list[Any]]:
    """MCODE's node columns as the app names them in Cytoscape (cluster, status, score)."""
    rank, status = result.cluster_of(), result.status()
    return {"MCODE_Cluster": [f"Cluster {rank[n]}" if n in rank else "" for n in names],
            "MCODE_Node_Status": [status[n].capitalize() for n in names],
            "MCODE_Score": [result.scores[n] for n in names]}


def write_analysis(out_dir: Path, analysis: NetworkAnalysis) -> list[Path]:
    """Write nodes.tsv, hubs.tsv, top_hubs.tsv, network_summary.tsv, network.graphml, network.sif,
    modules.tsv and module_clusters.tsv."""
    hub_table = analysis.hubs.score_columns()
    top = analysis.hubs.top_columns()
    names = [str(n) for n in hub_table["name"]]
    graphml_columns = {**{c: hub_table[c] for c in hub_table}, **_graphml_modules(analysis.modules, names)}
    return [
        write_columns(out_dir / files.NODES, analysis.node_columns),
        write_columns(out_dir / files.HUBS, hub_table),
        write_columns(out_dir / files.TOP_HUBS, {c: top[c] for c in files.TOP_HUBS_COLUMNS}),
        write_columns(out_dir / files.NETWORK_SUMMARY, analysis.statistics.to_columns()),
        write_graphml(out_dir / files.GRAPHML, analysis.graph, analysis.node_columns, graphml_columns),
        write_sif(out_dir / files.SIF, analysis.graph),
        write_columns(out_dir / files.MODULES, module_columns(analysis.modules)),
        write_columns(out_dir / files.MODULE_CLUSTERS, module_cluster_columns(analysis.modules)),
    ]

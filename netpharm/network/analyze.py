"""Topology + hub ranking of one graph, and the files that describe it.

Shared by the workflow's network stage and the stable ``netpharm network EDGES`` command.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import networkx as nx
import pandas as pd

from netpharm.graphs.paths import path_stats
from netpharm.hubs.config import HubsConfig
from netpharm.hubs.rank import HubRanking, rank_hubs
from netpharm.io import write_table
from netpharm.network.export import write_graphml, write_sif
from netpharm.network.topology import NetworkStatistics, network_statistics, node_table

__all__ = ["NetworkAnalysis", "analyse_graph", "write_analysis"]

log = logging.getLogger(__name__)


@dataclass
class NetworkAnalysis:
    """NetworkAnalyzer node table, network statistics and cytoHubba ranking of one graph."""

    graph: nx.Graph
    nodes: pd.DataFrame
    statistics: NetworkStatistics
    hubs: HubRanking


def analyse_graph(graph: nx.Graph, hubs_config: HubsConfig | None = None,
                  multiplicity: Mapping[tuple[str, str], int] | None = None) -> NetworkAnalysis:
    """Compute every NetworkAnalyzer column and all requested cytoHubba methods.

    One compiled BFS pass (:func:`~netpharm.graphs.paths.path_stats`) feeds both.
    """
    hubs_config = hubs_config or HubsConfig()
    log.info("topology: %d nodes, %d edges", graph.number_of_nodes(), graph.number_of_edges())
    stats = path_stats(graph, bottleneck_mode=hubs_config.bottleneck_mode,
                       bottleneck_strict=hubs_config.bottleneck_strict)
    nodes = node_table(graph, stats, multiplicity)
    multi = sum(1 for (a, b), k in (multiplicity or {}).items() if k > 1 and graph.has_edge(a, b))
    statistics = network_statistics(graph, nodes, stats, multi)
    log.info("hub ranking: %s", ", ".join(hubs_config.methods))
    hubs = rank_hubs(graph, hubs_config, stats)
    return NetworkAnalysis(graph, nodes, statistics, hubs)


def write_analysis(out_dir: Path, analysis: NetworkAnalysis) -> list[Path]:
    """Write nodes.tsv, hubs.tsv, top_hubs.tsv, network_summary.tsv, network.graphml, network.sif."""
    hub_table = analysis.hubs.score_table()
    return [
        write_table(out_dir / "nodes.tsv", analysis.nodes),
        write_table(out_dir / "hubs.tsv", hub_table),
        write_table(out_dir / "top_hubs.tsv", analysis.hubs.top_table()),
        write_table(out_dir / "network_summary.tsv", analysis.statistics.to_frame()),
        write_graphml(out_dir / "network.graphml", analysis.graph, analysis.nodes, hub_table),
        write_sif(out_dir / "network.sif", analysis.graph),
    ]

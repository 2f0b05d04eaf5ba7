"""Topology + hub ranking of one graph, and the files that describe it.

Shared by the workflow's network stage and the stable ``netpharm network EDGES`` command.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import networkx as nx

from netpharm.graphs.paths import path_stats
from netpharm.hubs.config import HubsConfig
from netpharm.hubs.rank import HubRanking, rank_hubs
from netpharm.io import write_columns
from netpharm.network import files
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

    @cached_property
    def nodes(self) -> pd.DataFrame:
        """NetworkAnalyzer's node table (``name`` + columns), one row per node sorted by name."""
        import pandas as pd

        return pd.DataFrame(self.node_columns)


def analyse_graph(graph: nx.Graph, hubs_config: HubsConfig | None = None,
                  multiplicity: Mapping[tuple[str, str], int] | None = None) -> NetworkAnalysis:
    """Compute every NetworkAnalyzer column and all requested cytoHubba methods.

    One compiled BFS pass (:func:`~netpharm.graphs.paths.path_stats`) feeds both.
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
    return NetworkAnalysis(graph, nodes, statistics, hubs)


def write_analysis(out_dir: Path, analysis: NetworkAnalysis) -> list[Path]:
    """Write nodes.tsv, hubs.tsv, top_hubs.tsv, network_summary.tsv, network.graphml, network.sif."""
    hub_table = analysis.hubs.score_columns()
    top = analysis.hubs.top_columns()
    return [
        write_columns(out_dir / files.NODES, analysis.node_columns),
        write_columns(out_dir / files.HUBS, hub_table),
        write_columns(out_dir / files.TOP_HUBS, {c: top[c] for c in files.TOP_HUBS_COLUMNS}),
        write_columns(out_dir / files.NETWORK_SUMMARY, analysis.statistics.to_columns()),
        write_graphml(out_dir / files.GRAPHML, analysis.graph, analysis.node_columns, hub_table),
        write_sif(out_dir / files.SIF, analysis.graph),
    ]

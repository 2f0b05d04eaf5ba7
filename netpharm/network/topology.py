"""Cytoscape NetworkAnalyzer's node and network statistics (undirected).

Definitions follow ``UndirNetworkAnalyzer.java`` and current Cytoscape's tables
(``shared/reference/network-spec.md`` §2 and §5): every path-based value is computed
within the node's connected component; ``Radiality`` is written as current Cytoscape
writes it, with the component's largest degree where the definition has the diameter
(``RadialityByDiameter`` gives the published definition); ``Stress`` counts ordered
pairs.

References
----------
Assenov Y. et al. (2008) Computing topological parameters of biological networks.
Bioinformatics 24:282–284.
Doncheva N.T. et al. (2012) Topological analysis and interactive visualization of
biological networks and protein structures. Nat Protoc 7:670–685.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import networkx as nx
import numpy as np
import scipy.sparse as sp

from netpharm.graphs.paths import PathStats, component_max, csr_of, path_stats
from netpharm.network.files import DEGREE_WITH_DUPLICATES, NAME, NODE_COLUMNS, RADIALITY_BY_DIAMETER

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["NetworkStatistics", "node_table", "node_columns", "network_statistics",
           "topological_coefficient", "clustering"]

def clustering(graph: nx.Graph, nodes: list[str]) -> np.ndarray:
    """Local clustering 2e/(k(k−1)), 0 when k < 2 (NetworkAnalyzer = ``nx.clustering``).

    Computed from the sparse adjacency (triangles = diag(A³)/2) so it scales.
    """
    a = csr_of(graph, nodes).astype(np.float64)
    k = np.asarray(a.sum(axis=1)).ravel()
    triangles = np.asarray((a @ a).multiply(a).sum(axis=1)).ravel() / 2.0
    with np.errstate(divide="ignore", invalid="ignore"):
        c = np.where(k > 1, 2.0 * triangles / (k * (k - 1)), 0.0)
    return c


def topological_coefficient(graph: nx.Graph, nodes: list[str]) -> np.ndarray:
    """NetworkAnalyzer's topological coefficient.

    .. math:: T(n) = \\frac{\\sum_{m \\in J(n)} (J(n,m) + [m \\sim n])}{|J(n)|\\, k_n}

    where J(n) is the set of nodes other than n sharing at least one neighbour with n and
    J(n,m) the number of neighbours they share; 0 when k_n < 2.
    """
    a = csr_of(graph, nodes).astype(np.float64)
    k = np.asarray(a.sum(axis=1)).ravel()
    a2 = (a @ a).tocoo()
    off = a2.row != a2.col  # drop the diagonal without LIL (slow on large graphs)
    a2 = sp.csr_matrix((a2.data[off], (a2.row[off], a2.col[off])), shape=a2.shape)
    a2.eliminate_zeros()
    shared_sum = np.asarray(a2.sum(axis=1)).ravel()
    j_size = np.diff(a2.indptr).astype(np.float64)
    adjacent_in_j = np.asarray((a2 > 0).multiply(a).sum(axis=1)).ravel()
    with np.errstate(divide="ignore", invalid="ignore"):
        t = np.where((k > 1) & (j_size > 0), (shared_sum + adjacent_in_j) / (j_size * k), 0.0)
    return t


def node_table(graph: nx.Graph, paths: PathStats | None = None,
               multiplicity: Mapping[tuple[str, str], int] | None = None) -> pd.DataFrame:
    """NetworkAnalyzer's node columns for every node (rows sorted by name).

    Parameters
    ----------
    graph : nx.Graph
        Simple undirected graph (duplicate listings already collapsed).
    paths : PathStats, optional
        Precomputed :func:`~netpharm.graphs.paths.path_stats` (reused by hub ranking).
    multiplicity : mapping, optional
        ``(a, b) -> times listed`` in the source file; adds ``DegreeWithDuplicates``,
        the Degree Cytoscape shows when a STRING full export (each pair twice) is imported.

    Returns
    -------
    DataFrame
        ``name`` + :data:`~netpharm.network.files.NODE_COLUMNS` + ``RadialityByDiameter`` (+ ``DegreeWithDuplicates``);
        the DataFrame of :func:`node_columns`.
    """
    import pandas as pd

    return pd.DataFrame(node_columns(graph, paths, multiplicity))


def node_columns(graph: nx.Graph, paths: PathStats | None = None,
                 multiplicity: Mapping[tuple[str, str], int] | None = None) -> dict[str, Any]:
    """:func:`node_table`'s columns as NumPy arrays (``name`` a list), without pandas.

    ``netpharm network`` writes these directly (:func:`netpharm.io.write_columns`), so the
    command never imports pandas.
    """
    paths = paths or path_stats(graph)
    nodes = paths.nodes
    adjacency = csr_of(graph, nodes)
    degree = np.diff(adjacency.indptr).astype(np.int64)
    reach = paths.reach.astype(np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        aspl = np.where(reach > 0, paths.dist_sum / reach, 0.0)
        closeness = np.where(aspl > 0, 1.0 / aspl, 0.0)
        pairs = (paths.component_size - 1.0) * (paths.component_size - 2.0)
        betweenness = np.where(paths.component_size > 2, paths.betweenness / pairs, paths.betweenness)
    comp_max_degree = component_max(degree, paths.component)
    comp_diameter = component_max(np.asarray(paths.ecc), paths.component)
    with np.errstate(divide="ignore", invalid="ignore"):
        radiality = np.where((reach > 0) & (comp_max_degree > 0),
                             (comp_max_degree + 1.0 - aspl) / comp_max_degree, 0.0)
        radiality_d = np.where((reach > 0) & (comp_diameter > 0),
                               (comp_diameter + 1.0 - aspl) / comp_diameter, 0.0)
        nbr_sum = adjacency.astype(np.float64) @ degree.astype(np.float64)
        connectivity = np.where(degree > 0, nbr_sum / degree, 0.0)
    metrics = (  # in NODE_COLUMNS' order: Degree … TopologicalCoefficient
        degree, betweenness, closeness, clustering(graph, nodes), np.rint(paths.stress).astype(np.int64), aspl,
        paths.ecc.astype(np.int64), radiality, connectivity, topological_coefficient(graph, nodes))
    columns: dict[str, Any] = {NAME: list(nodes), **dict(zip(NODE_COLUMNS, metrics, strict=True)),
                               RADIALITY_BY_DIAMETER: radiality_d}
    if multiplicity is not None:
        dup = dict.fromkeys(nodes, 0)
        for (a, b), times in multiplicity.items():
            if a in dup and b in dup and graph.has_edge(a, b):
                dup[a] += times
                dup[b] += times
        columns[DEGREE_WITH_DUPLICATES] = np.array([dup[n] for n in nodes], dtype=np.int64)
    return columns


@dataclass(frozen=True)
class NetworkStatistics:
    """NetworkAnalyzer's network-level statistics (``Analyze Network`` → Simple Parameters)."""

    nodes: int
    edges: int
    connected_components: int
    isolated_nodes: int
    self_loops: int
    multi_edge_node_pairs: int
    average_neighbours: float
    density: float
    diameter: int
    radius: int
    characteristic_path_length: float
    clustering_coefficient: float
    heterogeneity: float
    centralization: float

    def to_frame(self) -> pd.DataFrame:
        import pandas as pd

        # object dtype keeps integers printed as integers next to floats
        values = pd.Series([getattr(self, f) for f in self.__dataclass_fields__], dtype=object)
        return pd.DataFrame({"statistic": list(self.__dataclass_fields__), "value": values})

    def to_columns(self) -> dict[str, list[Any]]:
        """:meth:`to_frame`'s two columns (``statistic``, ``value``) as lists."""
        return {"statistic": list(self.__dataclass_fields__),
                "value": [getattr(self, f) for f in self.__dataclass_fields__]}


def network_statistics(graph: nx.Graph, nodes_table: pd.DataFrame | Mapping[str, Any], paths: PathStats,
                       multi_edge_pairs: int = 0) -> NetworkStatistics:
    """Network statistics exactly as NetworkAnalyzer defines them (spec §2).

    ``nodes_table``: :func:`node_table` or :func:`node_columns`.
    """
    n = graph.number_of_nodes()
    k = np.asarray(nodes_table["Degree"], dtype=np.float64)
    avg = float(k.mean()) if n else 0.0
    density = avg / (n - 1) if n > 1 else 0.0
    positive = paths.ecc[paths.ecc > 0]
    pairs = float(paths.reach.sum())
    centralization = (n / (n - 2) * (k.max() / (n - 1) - density)) if n > 2 else 0.0
    heterogeneity = float(np.sqrt(n * (k ** 2).sum() / k.sum() ** 2 - 1)) if k.sum() > 0 else 0.0
    return NetworkStatistics(
        nodes=n, edges=graph.number_of_edges(),
        connected_components=int(len(set(paths.component.tolist()))) if n else 0,
        isolated_nodes=int((k == 0).sum()), self_loops=nx.number_of_selfloops(graph),
        multi_edge_node_pairs=multi_edge_pairs, average_neighbours=avg, density=density,
        diameter=int(paths.ecc.max()) if n else 0, radius=int(positive.min()) if positive.size else 0,
        characteristic_path_length=float(paths.dist_sum.sum() / pairs) if pairs else 0.0,
        clustering_coefficient=float(np.asarray(nodes_table["ClusteringCoefficient"], dtype=np.float64).mean())
        if n else 0.0,
        heterogeneity=heterogeneity, centralization=float(centralization),
    )

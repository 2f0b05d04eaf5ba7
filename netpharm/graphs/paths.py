"""Every shortest-path measure from one all-sources BFS pass.

NetworkAnalyzer and cytoHubba need, per node, distance sums, eccentricity, harmonic
closeness, Brandes betweenness, Stress (shortest-path counts) and BottleNeck (BFS-tree
subtree sizes). networkx computes each with its own pure-Python BFS from every source;
igraph covers betweenness/closeness but not Stress or BottleNeck. Two implementations
give the same numbers (checked against each other and against networkx in
``tests/test_paths.py``):

* small graphs (≤ :data:`PLAIN_MAX_NODES` nodes): dense matrix products
  (:mod:`netpharm.graphs.paths_dense`), no compilation, numba never imported;
* larger graphs: the compiled numba kernel (:mod:`netpharm.graphs.paths_jit`).

References
----------
Brandes U. (2001) A faster algorithm for betweenness centrality. J Math Sociol 25:163–177.
Lin C.-Y. et al. (2008) Hubba: hub objects analyzer. Nucleic Acids Res 36:W438–W443.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from itertools import chain
from typing import Literal

import networkx as nx
import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

__all__ = ["PathStats", "path_stats", "csr_of", "component_max", "PLAIN_MAX_NODES"]

log = logging.getLogger(__name__)

#: Largest graph handled without numba. Measured 2026-12-02 on 2 cores (Barabási–Albert, m = 5,
#: CPU seconds of a new process, numba's on-disk cache warm): the plain path takes 0.32 s at
#: 1,000 nodes, 0.52 s at 1,200 and 0.78 s at 1,500; the compiled kernel, including importing
#: numba and loading the cached kernel (~0.3 s), 0.38, 0.45 and 0.49 s (plus ~5 s to compile it
#: once on a fresh clone). They cross near 1,100 nodes. The two agree to ~1e-14 relative
#: (summation order), tested in ``tests/test_paths.py``.
PLAIN_MAX_NODES = 1100


@dataclass(frozen=True)
class PathStats:
    """Per-node shortest-path quantities, in ``nodes`` order.

    Attributes
    ----------
    dist_sum : sum of d(v, w) over reachable w != v
    reach : number of reachable w != v
    ecc : max d(v, w) over reachable w (0 for isolates)
    harmonic : sum of 1/d(v, w) over reachable w != v (cytoHubba Closeness)
    betweenness : Brandes dependency summed over ordered pairs (unnormalised)
    stress : shortest paths through v, ordered pairs (NetworkAnalyzer's Stress)
    bottleneck : number of sources s != v whose shortest-path tree T_s puts more than
        (or at least) |V(T_s)|/4 nodes below v (cytoHubba BottleNeck)
    component : connected-component label
    component_size : size of v's component
    method : "plain" (dense matrix products) or "compiled" (numba)
    """

    nodes: list[str]
    dist_sum: np.ndarray
    reach: np.ndarray
    ecc: np.ndarray
    harmonic: np.ndarray
    betweenness: np.ndarray
    stress: np.ndarray
    bottleneck: np.ndarray
    component: np.ndarray
    component_size: np.ndarray
    method: str = "plain"


def component_max(values: np.ndarray, component: np.ndarray) -> np.ndarray:
    """Per node, the largest of ``values`` in its connected component (``component`` labels).

    NumPy's ``maximum.at`` instead of a pandas group-by, so the network path never imports pandas.
    """
    if values.size == 0:
        return values.copy()
    largest = np.full(int(component.max()) + 1, values.min(), dtype=values.dtype)
    np.maximum.at(largest, component, values)
    return largest[component]


def csr_of(graph: nx.Graph, nodes: list[str]) -> sp.csr_matrix:
    """Symmetric 0/1 CSR adjacency of ``graph`` in ``nodes`` order (sorted neighbour lists)."""
    index = {n: i for i, n in enumerate(nodes)}
    if graph.number_of_edges() == 0:
        return sp.csr_matrix((len(nodes), len(nodes)), dtype=np.int8)
    # map() over the flattened edge list: a C loop (a generator expression was most of this function)
    pairs = np.fromiter(map(index.__getitem__, chain.from_iterable(graph.edges())), dtype=np.int64,
                        count=2 * graph.number_of_edges()).reshape(-1, 2)
    rows = np.concatenate([pairs[:, 0], pairs[:, 1]])
    cols = np.concatenate([pairs[:, 1], pairs[:, 0]])
    matrix = sp.csr_matrix((np.ones(len(rows), dtype=np.int8), (rows, cols)), shape=(len(nodes), len(nodes)))
    matrix.sum_duplicates()
    matrix.sort_indices()
    return matrix


def path_stats(graph: nx.Graph, nodes: list[str] | None = None, bottleneck_mode: str = "bfs_tree",
               bottleneck_strict: bool = True,
               method: Literal["auto", "plain", "compiled"] = "auto") -> PathStats:
    """Run one BFS from every node and collect every shortest-path quantity.

    Parameters
    ----------
    graph : nx.Graph
        Simple undirected graph.
    nodes : list of str, optional
        Node order (default: sorted names). Neighbours are visited in this order, which
        fixes the BFS tree BottleNeck uses: a node's tree parent is the first node of the
        previous level, in visiting order, adjacent to it.
    bottleneck_mode : {"bfs_tree", "all_paths"}
    bottleneck_strict : bool
    method : {"auto", "plain", "compiled"}
        "auto" = plain up to :data:`PLAIN_MAX_NODES` nodes, compiled above.
    """
    nodes = sorted(graph.nodes()) if nodes is None else nodes
    n = len(nodes)
    if n == 0:
        empty = np.zeros(0)
        return PathStats(nodes, empty, empty.astype(int), empty.astype(int), empty, empty, empty,
                         empty.astype(int), empty.astype(int), empty.astype(int))
    matrix = csr_of(graph, nodes)
    _, labels = connected_components(matrix, directed=False)
    sizes = np.bincount(labels)[labels].astype(np.int64)
    chosen = ("plain" if n <= PLAIN_MAX_NODES else "compiled") if method == "auto" else method
    all_paths = bottleneck_mode == "all_paths"
    if chosen == "plain":
        from netpharm.graphs.paths_dense import dense_all_sources

        result = dense_all_sources(matrix, sizes, all_paths, bottleneck_strict)
    elif chosen == "compiled":
        from netpharm.graphs.paths_jit import compiled_all_sources

        result = compiled_all_sources(matrix.indptr, matrix.indices, sizes, all_paths, bottleneck_strict)
    else:
        raise ValueError(f"path_stats method must be auto, plain or compiled, got {method!r}")
    log.debug("path_stats: %d nodes, %s implementation", n, chosen)
    dist_sum, reach, ecc, harmonic, bc, stress, bn = result
    return PathStats(nodes, dist_sum, reach, ecc, harmonic, bc, stress, bn, labels, sizes, chosen)

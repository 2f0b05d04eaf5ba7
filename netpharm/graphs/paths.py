"""One compiled all-sources BFS pass feeding every shortest-path measure.

NetworkAnalyzer and cytoHubba need, per node, distance sums, eccentricity, harmonic
closeness, Brandes betweenness, Stress (shortest-path counts) and BottleNeck (BFS-tree
subtree sizes). networkx computes each with its own pure-Python BFS from every source;
igraph covers betweenness/closeness but not Stress or BottleNeck. Written by hand
(compiled with numba) because no maintained library offers Stress and BottleNeck, and one
BFS per source for all of them is what makes 20k-node networks practical. Results equal
the networkx definitions (checked in ``tests/test_paths.py``).

References
----------
Brandes U. (2001) A faster algorithm for betweenness centrality. J Math Sociol 25:163–177.
Lin C.-Y. et al. (2008) Hubba: hub objects analyzer. Nucleic Acids Res 36:W438–W443.
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx
import numba
import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

__all__ = ["PathStats", "path_stats", "csr_of"]


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


def csr_of(graph: nx.Graph, nodes: list[str]) -> sp.csr_matrix:
    """Symmetric 0/1 CSR adjacency of ``graph`` in ``nodes`` order (sorted neighbour lists)."""
    index = {n: i for i, n in enumerate(nodes)}
    if graph.number_of_edges() == 0:
        return sp.csr_matrix((len(nodes), len(nodes)), dtype=np.int8)
    u, v = zip(*((index[a], index[b]) for a, b in graph.edges()))
    rows = np.array(u + v, dtype=np.int64)
    cols = np.array(v + u, dtype=np.int64)
    matrix = sp.csr_matrix((np.ones(len(rows), dtype=np.int8), (rows, cols)), shape=(len(nodes), len(nodes)))
    matrix.sum_duplicates()
    matrix.sort_indices()
    return matrix


@numba.njit(cache=True, nogil=True)
def _one_source(s, indptr, indices, comp_size, all_paths, strict,
                dist, sigma, delta, sdep, subtree, parent, order,
                dist_sum, reach, ecc, harmonic, bc, stress, bn):  # pragma: no cover - compiled
    # Breadth-first search from s: distances, shortest-path counts, BFS-tree parents.
    dist[s] = 0
    sigma[s] = 1.0
    order[0] = s
    head, tail = 0, 1
    while head < tail:
        v = order[head]
        head += 1
        for k in range(indptr[v], indptr[v + 1]):
            w = indices[k]
            if dist[w] < 0:
                dist[w] = dist[v] + 1
                parent[w] = v
                order[tail] = w
                tail += 1
            if dist[w] == dist[v] + 1:
                sigma[w] += sigma[v]
    total, far, harm = 0.0, 0, 0.0
    for i in range(1, tail):
        d = dist[order[i]]
        total += d
        harm += 1.0 / d
        if d > far:
            far = d
    dist_sum[s] = total
    reach[s] = tail - 1
    ecc[s] = far
    harmonic[s] = harm
    # Dependencies, accumulated in reverse BFS order (Brandes 2001).
    for i in range(tail - 1, 0, -1):
        w = order[i]
        for k in range(indptr[w], indptr[w + 1]):
            v = indices[k]
            if dist[v] == dist[w] - 1:
                delta[v] += sigma[v] / sigma[w] * (1.0 + delta[w])
                sdep[v] += 1.0 + sdep[w]
        subtree[parent[w]] += subtree[w]
    quarter = comp_size[s] / 4.0
    for i in range(1, tail):
        w = order[i]
        bc[w] += delta[w]
        stress[w] += sigma[w] * sdep[w]
        weight = sigma[w] * (1.0 + sdep[w]) if all_paths else subtree[w]
        if (weight > quarter) if strict else (weight >= quarter):
            bn[w] += 1
    # Reset only what this source touched.
    for i in range(tail):
        w = order[i]
        dist[w] = -1
        sigma[w] = 0.0
        delta[w] = 0.0
        sdep[w] = 0.0
        subtree[w] = 1.0
        parent[w] = -1


@numba.njit(parallel=True, cache=True)
def _all_sources(indptr, indices, comp_size, all_paths, strict, n_chunks):  # pragma: no cover - compiled
    n = indptr.shape[0] - 1
    dist_sum = np.zeros(n)
    reach = np.zeros(n, dtype=np.int64)
    ecc = np.zeros(n, dtype=np.int64)
    harmonic = np.zeros(n)
    bc = np.zeros((n_chunks, n))
    stress = np.zeros((n_chunks, n))
    bn = np.zeros((n_chunks, n), dtype=np.int64)
    for c in numba.prange(n_chunks):
        dist = np.full(n, -1, dtype=np.int64)
        sigma = np.zeros(n)
        delta = np.zeros(n)
        sdep = np.zeros(n)
        subtree = np.ones(n)
        parent = np.full(n, -1, dtype=np.int64)
        order = np.empty(n, dtype=np.int64)
        for s in range(c, n, n_chunks):
            _one_source(s, indptr, indices, comp_size, all_paths, strict, dist, sigma, delta, sdep,
                        subtree, parent, order, dist_sum, reach, ecc, harmonic, bc[c], stress[c], bn[c])
    return dist_sum, reach, ecc, harmonic, bc.sum(axis=0), stress.sum(axis=0), bn.sum(axis=0)


def path_stats(graph: nx.Graph, nodes: list[str] | None = None, bottleneck_mode: str = "bfs_tree",
               bottleneck_strict: bool = True) -> PathStats:
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
    """
    nodes = sorted(graph.nodes()) if nodes is None else nodes
    n = len(nodes)
    matrix = csr_of(graph, nodes)
    _, labels = connected_components(matrix, directed=False)
    sizes = np.bincount(labels, minlength=labels.max() + 1 if n else 0)[labels] if n else np.zeros(0, np.int64)
    if n == 0:
        empty = np.zeros(0)
        return PathStats(nodes, empty, empty.astype(int), empty.astype(int), empty, empty, empty,
                         empty.astype(int), empty.astype(int), empty.astype(int))
    chunks = max(1, min(numba.get_num_threads() * 4, n))
    result = _all_sources(matrix.indptr.astype(np.int64), matrix.indices.astype(np.int64),
                          sizes.astype(np.int64), bottleneck_mode == "all_paths", bottleneck_strict, chunks)
    dist_sum, reach, ecc, harmonic, bc, stress, bn = result
    return PathStats(nodes, dist_sum, reach, ecc, harmonic, bc, stress, bn, labels, sizes)

"""CytoNCA's six unweighted centralities and the median rule papers use to pick "core targets".

Graph in, ``{node: value}`` out per measure, as the CytoNCA Cytoscape app computes them on an
unweighted network (its public source, cici333/CytoNCA, ``internal/algorithm/*.java``, read
for its conventions; nothing copied):

========== ==================================================================================
Degree     number of neighbours (``DC.java``; on the simple graph netpharm analyses)
Betweenness Brandes' dependencies summed over **ordered** pairs (``BC.java`` leaves out the
           halving for undirected graphs): twice networkx's unnormalised betweenness
Closeness  (n − 1) / Σ_w d(v, w), an unreachable w counting d = n, the number of nodes of the
           whole network (``CC.java``); equals networkx's closeness on a connected graph
Eigenvector |x_v| of the unit-length eigenvector of the adjacency matrix's largest eigenvalue
           (``EC.java``: tridiagonalisation + QL, absolute values); networkx's
           ``eigenvector_centrality_numpy`` on a connected graph
LAC        Σ_{w∈N(v)} deg_{N(v)}(w) / |N(v)| = 2 · (edges among v's neighbours) / deg(v), 0
           for an isolated node (``LAC.java``; Li et al. 2011)
Network    NC(v) = Σ_{w∈N(v)} z_vw / min(d_v − 1, d_w − 1), z_vw = common neighbours, a term
           0 when the minimum is 0 (``NC.java``; Wang et al. 2012: the edge clustering
           coefficient without Radicchi's +1)
========== ==================================================================================

CytoNCA itself has no median rule; "core targets" (every chosen measure ≥ its median over the
network, often again on the subnetwork of the first round's core) is the practice of the
network-pharmacology papers that use it. Each round recomputes every measure on its
subnetwork, as those papers do by re-running CytoNCA on it.

Betweenness and the distance sums come from netpharm's shared all-sources BFS
(:func:`netpharm.graphs.paths.path_stats`, checked against networkx); degree and triangles from
networkx; the eigenvector from numpy/scipy, written here because networkx refuses disconnected
graphs (``AmbiguousSolution``) and a second round's subnetwork often is one.

References
----------
Tang Y., Li M., Wang J., Pan Y., Wu F.-X. (2015) CytoNCA: a cytoscape plugin for centrality
analysis and evaluation of protein interaction networks. BioSystems 127:67–72.
Li M., Wang J., Chen X., Wang H., Pan Y. (2011) A local average connectivity-based method for
identifying essential proteins from the network level. Comput Biol Chem 35:143–150.
Wang J., Li M., Wang H., Pan Y. (2012) Identification of essential proteins based on edge
clustering coefficient. IEEE/ACM Trans Comput Biol Bioinform 9:1070–1080.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import networkx as nx
import numpy as np

from netpharm.graphs.paths import PathStats, csr_of, path_stats
from netpharm.hubs.config import CYTONCA_MEASURES

__all__ = ["degree", "betweenness", "closeness", "eigenvector", "lac", "network_centrality", "cytonca_measures",
           "CoreRound", "core_rounds", "passes_median", "DENSE_MAX_NODES"]

log = logging.getLogger(__name__)

#: Above this many nodes the eigenvector comes from scipy's sparse Lanczos solver instead of a dense
#: ``numpy.linalg.eigh`` (which needs n² memory and n³ time).
DENSE_MAX_NODES = 2000
#: Relative tolerance of "value ≥ median" and of a repeated largest eigenvalue: nodes that are
#: symmetric in the graph get values that differ in the last bits (summation order), and such a
#: node must not fall below a median it equals.
RTOL = 1e-9


def degree(graph: nx.Graph) -> dict[str, float]:
    """CytoNCA Degree (DC): the number of neighbours."""
    return {str(v): float(d) for v, d in graph.degree()}


def betweenness(graph: nx.Graph, stats: PathStats | None = None) -> dict[str, float]:
    """CytoNCA Betweenness (BC): Brandes (2001) summed over ordered pairs (s, t), s ≠ v ≠ t."""
    stats = stats or path_stats(graph)
    return {str(v): float(b) for v, b in zip(stats.nodes, stats.betweenness)}


def closeness(graph: nx.Graph, stats: PathStats | None = None) -> dict[str, float]:
    """CytoNCA Closeness (CC): (n − 1) / Σ_{w≠v} d(v, w), an unreachable w counted as d = n.

    ``n`` is the node count of the whole graph; a one-node graph has closeness 0 (CytoNCA
    divides 0 by 0 there).
    """
    n = graph.number_of_nodes()
    stats = stats or path_stats(graph)
    total = stats.dist_sum + (n - 1 - stats.reach) * float(n)
    return {str(v): float((n - 1) / s) if s > 0 else 0.0 for v, s in zip(stats.nodes, total)}


def eigenvector(graph: nx.Graph) -> dict[str, float]:
    """CytoNCA Eigenvector (EC): |x| of the unit eigenvector of the adjacency's largest eigenvalue.

    When that eigenvalue is repeated (two components with the same spectral radius, or no edge
    at all) the eigenvector is not unique and CytoNCA's value depends on its QL iteration; here
    it is then the projection of the all-ones vector on that eigenspace, normalised (for a
    connected graph that projection is the Perron vector itself), and a warning is logged.
    """
    nodes = sorted(graph.nodes())
    n = len(nodes)
    if n == 0:
        return {}
    adjacency = csr_of(graph, nodes).astype(float)
    if n <= DENSE_MAX_NODES:
        values, vectors = np.linalg.eigh(adjacency.toarray())
        top = values[-1]
        basis = vectors[:, values >= top - RTOL * max(1.0, abs(top))]
    else:
        from scipy.sparse.linalg import eigsh

        _, vectors = eigsh(adjacency, k=1, which="LA")
        basis = vectors
    if basis.shape[1] > 1:
        log.warning("eigenvector: the largest adjacency eigenvalue is repeated %d times; the all-ones "
                    "projection on its eigenspace is used (CytoNCA's value is not determined there)", basis.shape[1])
    x = basis @ (basis.T @ np.ones(n)) if basis.shape[1] > 1 else basis[:, 0]
    x = np.abs(x) / np.linalg.norm(x)
    return {str(v): float(a) for v, a in zip(nodes, x)}


def lac(graph: nx.Graph) -> dict[str, float]:
    """LAC (Li et al. 2011): mean degree of v's neighbours within the subgraph they induce.

    Edges among v's neighbours are v's triangles, so LAC = 2 · triangles(v) / deg(v) (0 for an
    isolated node, CytoNCA's default).
    """
    triangles = nx.triangles(graph)
    return {str(v): 2.0 * triangles[v] / d if d else 0.0 for v, d in graph.degree()}


def network_centrality(graph: nx.Graph) -> dict[str, float]:
    """NC (Wang et al. 2012): the sum of v's edge clustering coefficients z_vw / min(d_v − 1, d_w − 1).

    Hand-written: no library computes the edge clustering coefficient. A term whose minimum is
    0 (an endpoint of degree 1) counts 0, as in CytoNCA.
    """
    deg = dict(graph.degree())
    ecc: dict[frozenset[str], float] = {}
    for u, w in graph.edges():
        low = min(deg[u], deg[w]) - 1
        ecc[frozenset((u, w))] = len(set(graph[u]) & set(graph[w])) / low if low > 0 else 0.0
    return {str(v): float(sum(ecc[frozenset((v, w))] for w in graph[v])) for v in graph.nodes()}


_LOCAL: dict[str, Callable[[nx.Graph], dict[str, float]]] = {
    "Degree": degree, "Eigenvector": eigenvector, "LAC": lac, "Network": network_centrality,
}


def cytonca_measures(graph: nx.Graph, measures: Sequence[str] = CYTONCA_MEASURES) -> dict[str, dict[str, float]]:
    """``{measure: {node: value}}`` for the named CytoNCA measures (:data:`CYTONCA_MEASURES` names)."""
    unknown = [m for m in measures if m not in CYTONCA_MEASURES]
    if unknown:
        raise ValueError(f"unknown CytoNCA measure(s) {unknown}; choose from {list(CYTONCA_MEASURES)}")
    # one all-sources BFS serves both path measures
    stats = path_stats(graph) if {"Betweenness", "Closeness"} & set(measures) else None
    out: dict[str, dict[str, float]] = {}
    for m in measures:
        if m == "Betweenness":
            out[m] = betweenness(graph, stats)
        elif m == "Closeness":
            out[m] = closeness(graph, stats)
        else:
            out[m] = _LOCAL[m](graph)
    return out


def passes_median(value: float, median: float) -> bool:
    """``value ≥ median``, within :data:`RTOL` (a value equal to the median passes)."""
    return value >= median - RTOL * max(1.0, abs(median))


@dataclass(frozen=True)
class CoreRound:
    """One round of the median rule.

    Attributes
    ----------
    round : int
        1 = the whole network; k = the subnetwork induced by round k − 1's core.
    values : dict
        ``{measure: {node: value}}`` on that round's (sub)network.
    medians : dict
        ``{measure: median}`` over that round's nodes (the mean of the two middle values for an
        even count, :func:`numpy.median`).
    core : tuple of str
        Nodes at or above the median of every measure, sorted.
    """

    round: int
    values: dict[str, dict[str, float]]
    medians: dict[str, float]
    core: tuple[str, ...] = field(default=())


def core_rounds(graph: nx.Graph, rounds: int = 1, measures: Sequence[str] = CYTONCA_MEASURES) -> list[CoreRound]:
    """Apply the median rule ``rounds`` times, each round on the previous round's core.

    Stops early (fewer rounds returned) when a round's core is empty.
    """
    out: list[CoreRound] = []
    current = graph
    for k in range(1, rounds + 1):
        if current.number_of_nodes() == 0:
            break
        values = cytonca_measures(current, measures)
        medians = {m: float(np.median(list(v.values()))) for m, v in values.items()}
        core = tuple(sorted(str(v) for v in current.nodes()
                            if all(passes_median(values[m][str(v)], medians[m]) for m in measures)))
        log.info("CytoNCA round %d: %d of %d nodes core", k, len(core), current.number_of_nodes())
        out.append(CoreRound(k, values, medians, core))
        current = current.subgraph(core).copy()
    return out

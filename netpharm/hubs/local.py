"""cytoHubba's neighbourhood ("local") methods: MCC, DMNC, MNC, Degree, ClusteringCoefficient.

Graph in, ``dict[node, score]`` out, as networkx centralities. Definitions from
Chin et al. (2014) as pinned down in ``shared/reference/network-spec.md`` §1.1.

References
----------
Chin C.-H. et al. (2014) cytoHubba: identifying hub objects and sub-networks from complex
interactome. BMC Syst Biol 8(Suppl 4):S11.
Lin C.-Y. et al. (2008) Hubba: hub objects analyzer. Nucleic Acids Res 36:W438–W443.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping

import igraph as ig
import networkx as nx

__all__ = ["mcc", "mnc", "dmnc", "neighbourhood_components", "degree", "clustering_coefficient", "to_igraph"]


def to_igraph(graph: nx.Graph) -> tuple[ig.Graph, list[str]]:
    """The same simple graph as igraph (vertex i = ``nodes[i]``, nodes sorted)."""
    nodes = sorted(graph.nodes())
    index = {n: i for i, n in enumerate(nodes)}
    return ig.Graph(n=len(nodes), edges=[(index[a], index[b]) for a, b in graph.edges()]), nodes


def mcc(graph: nx.Graph) -> dict[str, int]:
    """Maximal Clique Centrality, as exact integers.

    .. math:: MCC(v) = \\sum_{C \\in S(v)} (|C| - 1)!

    over the maximal cliques S(v) containing v. Isolated nodes score 0 (the paper's
    rule "MCC(v) = Deg(v) when no neighbours are linked"; the literal sum would give 0! = 1).
    Maximal cliques are enumerated by igraph (Eppstein–Löffler–Strash, in C).

    Examples
    --------
    >>> g = nx.Graph([("A", "B"), ("B", "C"), ("A", "C"), ("C", "D")])
    >>> mcc(g)
    {'A': 2, 'B': 2, 'C': 3, 'D': 1}
    """
    ig_graph, nodes = to_igraph(graph)
    score: dict[str, int] = defaultdict(int)
    for clique in ig_graph.maximal_cliques(min=2):
        value = math.factorial(len(clique) - 1)
        for i in clique:
            score[nodes[i]] += value
    return {n: score.get(n, 0) for n in nodes}


def _largest_neighbourhood_component(graph: nx.Graph, v: str) -> tuple[int, int]:
    """(|V|, |E|) of the maximum connected component of G[N(v)]; ties → most edges."""
    sub = graph.subgraph(graph[v])
    best = (0, 0)
    for comp in nx.connected_components(sub):
        candidate = (len(comp), sub.subgraph(comp).number_of_edges())
        best = max(best, candidate)
    return best


def neighbourhood_components(graph: nx.Graph) -> dict[str, tuple[int, int]]:
    """(|V|, |E|) of each node's maximum neighbourhood component (shared by MNC and DMNC)."""
    return {v: _largest_neighbourhood_component(graph, v) for v in sorted(graph.nodes())}


def mnc(graph: nx.Graph, components: Mapping[str, tuple[int, int]] | None = None) -> dict[str, int]:
    """Maximum Neighbourhood Component: size of the largest component of G[N(v)].

    Examples
    --------
    >>> mnc(nx.Graph([("A", "B"), ("B", "C"), ("A", "C"), ("C", "D")]))
    {'A': 2, 'B': 2, 'C': 2, 'D': 1}
    """
    components = components if components is not None else neighbourhood_components(graph)
    return {v: size for v, (size, _) in components.items()}


def dmnc(graph: nx.Graph, epsilon: float = 1.7,
         components: Mapping[str, tuple[int, int]] | None = None) -> dict[str, float]:
    """Density of Maximum Neighbourhood Component: |E(MC)| / |V(MC)|^ε (ε = 1.7 in cytoHubba).

    0 when the component has no edge. When several largest components tie, the one with
    most edges is used (cytoHubba's choice is undocumented).
    """
    components = components if components is not None else neighbourhood_components(graph)
    return {v: (edges / size ** epsilon if edges else 0.0) for v, (size, edges) in components.items()}


def degree(graph: nx.Graph) -> dict[str, int]:
    """Number of distinct neighbours (the simple graph's degree)."""
    return {v: graph.degree(v) for v in sorted(graph.nodes())}


def clustering_coefficient(graph: nx.Graph) -> dict[str, float]:
    """2e/(k(k−1)); 0 when k < 2 (identical to ``nx.clustering``)."""
    values = nx.clustering(graph)
    return {v: float(values[v]) for v in sorted(graph.nodes())}

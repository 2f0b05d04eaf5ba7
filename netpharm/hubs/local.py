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
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import networkx as nx
import numpy as np

from netpharm.graphs.paths import csr_of
from netpharm.graphs.triangles import largest_neighbourhood_components, list_triangles

__all__ = ["mcc", "mnc", "dmnc", "neighbourhood_components", "degree", "clustering_coefficient", "to_igraph",
           "maximal_cliques", "bitset_cliques", "IGRAPH_MIN_EDGES", "BITSET_MAX_NODES"]

#: Graphs with at least this many edges enumerate maximal cliques with igraph (C);
#: smaller ones with networkx, so that igraph (whose import alone takes 0.3–0.8 s: it
#: imports matplotlib) is not loaded. Measured on 2 cores: ``nx.find_cliques`` takes
#: 0.22 s on the real 461-node / 9,352-edge STRING export and 0.38 s on a 20k-node /
#: 100k-edge Barabási–Albert graph; igraph 0.02–0.16 s plus its import.
IGRAPH_MIN_EDGES = 150_000

#: Graphs of at most this many nodes enumerate maximal cliques with Python-integer bitsets
#: (:func:`bitset_cliques`). Measured on 2 cores (CPU s, same cliques): the real 461-node STRING
#: export 0.07 vs networkx 0.14; Barabási–Albert 1k 0.009 vs 0.010, 3k 0.04-0.06 vs 0.03 (bitsets
#: of n bits cost O(n/64) per operation, so networkx's sets win on larger sparse graphs).
BITSET_MAX_NODES = 1000


def to_igraph(graph: nx.Graph) -> tuple[Any, list[str]]:
    """The same simple graph as igraph (vertex i = ``nodes[i]``, nodes sorted)."""
    import igraph as ig

    nodes = sorted(graph.nodes())
    index = {n: i for i, n in enumerate(nodes)}
    return ig.Graph(n=len(nodes), edges=[(index[a], index[b]) for a, b in graph.edges()]), nodes


def maximal_cliques(graph: nx.Graph) -> Iterable[list[str]]:
    """Every maximal clique of at least 2 nodes (Bron–Kerbosch with pivoting, Tomita et al. 2006;
    igraph: Eppstein–Löffler–Strash 2010). All three enumerations list the same set
    (``tests/test_hubs.py`` compares them)."""
    if graph.number_of_nodes() <= BITSET_MAX_NODES:
        return (clique for clique in bitset_cliques(graph) if len(clique) > 1)
    if graph.number_of_edges() >= IGRAPH_MIN_EDGES:
        ig_graph, nodes = to_igraph(graph)
        return ([nodes[i] for i in clique] for clique in ig_graph.maximal_cliques(min=2))
    return (clique for clique in nx.find_cliques(graph) if len(clique) > 1)


def bitset_cliques(graph: nx.Graph) -> Iterator[list[str]]:
    """Every maximal clique (isolated nodes as 1-cliques), Tomita's pivoting Bron–Kerbosch on bitsets.

    The candidate sets P and X are Python integers (bit i = ``nodes[i]``), so the pivot choice
    (the node of P ∪ X with most neighbours in P) is one ``&`` and one ``bit_count`` per node
    instead of a set intersection. Written by hand because networkx's ``find_cliques`` is the same
    algorithm on Python sets (half the speed on the dense 461-node STRING export) and igraph's
    import alone costs more than the whole enumeration here. Iterative (an explicit stack) so that
    large cliques never meet Python's recursion limit.

    Examples
    --------
    >>> sorted(sorted(c) for c in bitset_cliques(nx.Graph([("A", "B"), ("B", "C"), ("A", "C"), ("C", "D")])))
    [['A', 'B', 'C'], ['C', 'D']]
    """
    nodes = sorted(graph.nodes())
    index = {v: i for i, v in enumerate(nodes)}
    adjacency = [0] * len(nodes)
    for a, b in graph.edges():
        i, j = index[a], index[b]
        if i != j:
            adjacency[i] |= 1 << j
            adjacency[j] |= 1 << i

    def to_branch(candidates: int, excluded: int) -> int:
        """P minus the neighbours of Tomita's pivot."""
        best, pivot = -1, 0
        rest = candidates | excluded
        while rest:
            low = rest & -rest
            rest ^= low
            neighbours = adjacency[low.bit_length() - 1]
            count = (candidates & neighbours).bit_count()
            if count > best:
                best, pivot = count, neighbours
        return candidates & ~pivot

    everything = (1 << len(nodes)) - 1
    stack: list[tuple[list[int], int, int, int]] = [([], everything, 0, to_branch(everything, 0))]
    while stack:
        clique, candidates, excluded, todo = stack[-1]
        if not todo:
            stack.pop()
            continue
        low = todo & -todo
        v = low.bit_length() - 1
        stack[-1] = (clique, candidates & ~low, excluded | low, todo ^ low)
        grown, inner, outer = clique + [v], candidates & adjacency[v], excluded & adjacency[v]
        if inner:
            stack.append((grown, inner, outer, to_branch(inner, outer)))
        elif not outer:
            yield [nodes[i] for i in grown]


def mcc(graph: nx.Graph) -> dict[str, int]:
    """Maximal Clique Centrality, as exact integers.

    .. math:: MCC(v) = \\sum_{C \\in S(v)} (|C| - 1)!

    over the maximal cliques S(v) containing v. Isolated nodes score 0 (the paper's
    rule "MCC(v) = Deg(v) when no neighbours are linked"; the literal sum would give 0! = 1).
    Maximal cliques: :func:`maximal_cliques`.

    Examples
    --------
    >>> g = nx.Graph([("A", "B"), ("B", "C"), ("A", "C"), ("C", "D")])
    >>> mcc(g)
    {'A': 2, 'B': 2, 'C': 3, 'D': 1}
    """
    score: dict[str, int] = defaultdict(int)
    for clique in maximal_cliques(graph):
        value = math.factorial(len(clique) - 1)
        for v in clique:
            score[v] += value
    return {n: score.get(n, 0) for n in sorted(graph.nodes())}


def neighbourhood_components(graph: nx.Graph) -> dict[str, tuple[int, int]]:
    """(|V|, |E|) of each node's maximum connected component of G[N(v)], ties → most edges
    (shared by MNC and DMNC); all nodes at once from the triangle list
    (:func:`netpharm.graphs.triangles.largest_neighbourhood_components`)."""
    nodes = sorted(graph.nodes())
    adj = csr_of(graph, nodes)
    size, edges = largest_neighbourhood_components(adj, list_triangles(adj))
    return {v: (int(s), int(e)) for v, s, e in zip(nodes, size.tolist(), edges.tolist())}


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
    """2e/(k(k−1)); 0 when k < 2 (identical to ``nx.clustering``), e from the triangle list."""
    nodes = sorted(graph.nodes())
    adj = csr_of(graph, nodes)
    e = np.bincount(list_triangles(adj).ravel(), minlength=len(nodes)).astype(np.float64)
    k = np.diff(adj.indptr).astype(np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        values = np.where(k > 1, 2.0 * e / (k * (k - 1.0)), 0.0)
    return {v: float(c) for v, c in zip(nodes, values.tolist())}

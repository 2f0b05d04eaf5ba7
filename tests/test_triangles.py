"""Vectorised triangle listing, MNC/DMNC components, clustering, MCC cliques and batched EPC
against straightforward networkx / per-run reference code on seeded synthetic graphs.

Graphs are synthetic (seeded G(n, p) and Barabási–Albert blocks, one disjoint union with an
isolate), so components of several sizes, degree-1 nodes and isolates all occur.
"""

from __future__ import annotations

import math

import networkx as nx
import numpy as np
import pytest
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

import netpharm.hubs.local as local_module
import netpharm.hubs.percolation as epc_module
from netpharm.graphs.paths import csr_of
from netpharm.graphs.triangles import list_triangles
from netpharm.hubs.local import clustering_coefficient, mcc, neighbourhood_components
from netpharm.hubs.percolation import epc


def synthetic(seed: int) -> nx.Graph:
    graph = nx.disjoint_union(nx.gnp_random_graph(45, 0.2, seed=seed), nx.barabasi_albert_graph(40, 3, seed=seed))
    graph.add_edge(200, 201)  # a lone edge
    graph.add_node(300)  # an isolate
    return nx.relabel_nodes(graph, {v: f"v{v}" for v in graph})


GRAPHS = [synthetic(s) for s in range(4)] + [nx.relabel_nodes(nx.karate_club_graph(), str)]


@pytest.mark.parametrize("graph", GRAPHS)
def test_triangles_listed_once_each(graph: nx.Graph) -> None:
    nodes = sorted(graph)
    listed = list_triangles(csr_of(graph, nodes))
    found = {frozenset(nodes[i] for i in row) for row in listed.tolist()}
    expected = {frozenset(c) for c in nx.enumerate_all_cliques(graph) if len(c) == 3}
    assert len(found) == len(listed) == len(expected)
    assert found == expected


def reference_components(graph: nx.Graph, v: str) -> tuple[int, int]:
    """The definition: largest component of G[N(v)] by (size, edges)."""
    sub = graph.subgraph(graph[v])
    return max(((len(c), sub.subgraph(c).number_of_edges()) for c in nx.connected_components(sub)), default=(0, 0))


@pytest.mark.parametrize("graph", GRAPHS)
def test_neighbourhood_components_equal_definition(graph: nx.Graph) -> None:
    ours = neighbourhood_components(graph)
    assert ours == {v: reference_components(graph, v) for v in sorted(graph)}


def test_neighbourhood_tie_prefers_more_edges() -> None:
    # hand-made: N(h) = {a, b, c, x, y, z}; components {a, b, c} (path, 2 edges) and {x, y, z}
    # (triangle, 3 edges) tie on size: the denser one counts.
    graph = nx.Graph([("h", n) for n in "abcxyz"] + [("a", "b"), ("b", "c"), ("x", "y"), ("y", "z"), ("x", "z")])
    assert neighbourhood_components(graph)["h"] == (3, 3)


@pytest.mark.parametrize("graph", GRAPHS)
def test_clustering_equals_networkx_exactly(graph: nx.Graph) -> None:
    assert clustering_coefficient(graph) == {v: float(c) for v, c in sorted(nx.clustering(graph).items())}


@pytest.mark.parametrize("graph", GRAPHS)
def test_mcc_same_with_igraph_and_networkx_cliques(graph: nx.Graph, monkeypatch: pytest.MonkeyPatch) -> None:
    by_networkx = mcc(graph)
    monkeypatch.setattr(local_module, "IGRAPH_MIN_EDGES", 0)
    by_igraph = mcc(graph)
    expected = dict.fromkeys(graph, 0)
    for clique in nx.find_cliques(graph):
        if len(clique) > 1:
            for v in clique:
                expected[v] += math.factorial(len(clique) - 1)
    assert by_networkx == by_igraph == dict(sorted(expected.items()))


def reference_epc(graph: nx.Graph, runs: int, threshold: float, seed: int) -> dict[str, float]:
    """One connected-components call per run (the unbatched definition)."""
    nodes = sorted(graph)
    index = {v: i for i, v in enumerate(nodes)}
    edges = np.array(sorted((min(index[a], index[b]), max(index[a], index[b])) for a, b in graph.edges()),
                     dtype=np.int64).reshape(-1, 2)
    rng = np.random.default_rng(seed)
    total = np.zeros(len(nodes))
    for _ in range(runs):
        keep = edges[rng.random(len(edges)) >= threshold]
        matrix = sp.coo_matrix((np.ones(len(keep)), (keep[:, 0], keep[:, 1])), shape=(len(nodes),) * 2)
        labels = connected_components(matrix, directed=False)[1]
        total += np.bincount(labels)[labels]
    return {v: float(total[i] / len(nodes)) for i, v in enumerate(nodes)}


@pytest.mark.parametrize("batch_edges", [10**9, 700])
def test_batched_epc_equals_per_run_reference(batch_edges: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(epc_module, "_BATCH_EDGES", batch_edges)  # 700: several batches of a few runs
    graph = GRAPHS[0]
    reference = reference_epc(graph, 37, 0.5, 99)   # the sum over runs / |V| (the documented scale)
    ours = epc(graph, runs=37, threshold=0.5, seed=99, scale="runs_per_node").scores
    assert ours == pytest.approx(reference, rel=0, abs=1e-12)
    mean = epc(graph, runs=37, threshold=0.5, seed=99).scores   # cytoHubba's: the mean component size
    n = graph.number_of_nodes()
    assert mean == pytest.approx({v: x * n / 37 for v, x in reference.items()}, rel=1e-12)

"""The compiled all-sources BFS (netpharm.graphs.paths) against networkx and brute force.

Graphs are synthetic (seeded random graphs, several deliberately disconnected), so every
path quantity is checked on components of different sizes and on isolates.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Callable

import networkx as nx
import numpy as np
import pytest

from netpharm.graphs.paths import path_stats


def labelled(graph: nx.Graph) -> nx.Graph:
    """String names whose sorted order is not the integer order ("v10" < "v2")."""
    return nx.relabel_nodes(graph, {v: f"v{v}" for v in graph})


def random_graph(seed: int, n: int = 30, p: float = 0.12) -> nx.Graph:
    """Seeded G(n, p) plus a second small G(n, p) block and two isolates (disconnected)."""
    rng = np.random.default_rng(seed)
    a = nx.gnp_random_graph(n, p, seed=int(rng.integers(1 << 31)))
    b = nx.gnp_random_graph(n // 3, 0.4, seed=int(rng.integers(1 << 31)))
    graph = nx.disjoint_union(a, b)
    graph.add_nodes_from([len(graph), len(graph) + 1])
    return labelled(graph)


GRAPHS = {
    **{f"gnp_disconnected_{s}": random_graph(s) for s in range(6)},
    "barabasi_albert": labelled(nx.barabasi_albert_graph(60, 3, seed=7)),
    "grid_many_ties": labelled(nx.convert_node_labels_to_integers(nx.grid_2d_graph(5, 6))),
    "karate": labelled(nx.karate_club_graph()),
}
SMALL = {k: v for k, v in GRAPHS.items() if k != "barabasi_albert"}


def by_name(stats_nodes: list[str], values: np.ndarray) -> dict[str, float]:
    return dict(zip(stats_nodes, values.tolist()))


@pytest.mark.parametrize("name", GRAPHS)
def test_betweenness_is_twice_networkx_unnormalised(name: str) -> None:
    graph = GRAPHS[name]
    stats = path_stats(graph)
    expected = nx.betweenness_centrality(graph, normalized=False)
    ours = by_name(stats.nodes, stats.betweenness)
    for v in graph:
        assert ours[v] == pytest.approx(2 * expected[v], abs=1e-9)


@pytest.mark.parametrize("name", GRAPHS)
def test_harmonic_distance_sum_reach_and_components(name: str) -> None:
    graph = GRAPHS[name]
    stats = path_stats(graph)
    harmonic = nx.harmonic_centrality(graph)
    component_of = {v: frozenset(c) for c in nx.connected_components(graph) for v in c}
    for i, v in enumerate(stats.nodes):
        lengths = nx.single_source_shortest_path_length(graph, v)
        assert stats.harmonic[i] == pytest.approx(harmonic[v], abs=1e-12)
        assert stats.dist_sum[i] == sum(lengths.values())
        assert stats.reach[i] == len(lengths) - 1
        assert stats.component_size[i] == len(component_of[v])
    for u, w in graph.edges():
        assert stats.component[stats.nodes.index(u)] == stats.component[stats.nodes.index(w)]


@pytest.mark.parametrize("name", GRAPHS)
def test_eccentricity_per_component(name: str) -> None:
    graph = GRAPHS[name]
    stats = path_stats(graph)
    expected: dict[str, int] = {}
    for component in nx.connected_components(graph):
        sub = graph.subgraph(component)
        expected.update(nx.eccentricity(sub) if len(sub) > 1 else {next(iter(component)): 0})
    assert by_name(stats.nodes, stats.ecc) == expected


def brute_force_stress(graph: nx.Graph) -> Counter[str]:
    """Unordered-pair stress by enumerating every shortest path."""
    counts: Counter[str] = Counter()
    for s, t in itertools.combinations(sorted(graph), 2):
        if not nx.has_path(graph, s, t):
            continue
        for path in nx.all_shortest_paths(graph, s, t):
            counts.update(path[1:-1])
    return counts


@pytest.mark.parametrize("name", SMALL)
def test_stress_is_twice_brute_force(name: str) -> None:
    graph = SMALL[name]
    stats = path_stats(graph)
    expected = brute_force_stress(graph)
    assert any(expected.values())  # the test graph really has interior nodes
    ours = by_name(stats.nodes, stats.stress)
    for v in graph:
        assert ours[v] == 2 * expected[v]


# --- BottleNeck references --------------------------------------------------------------------------

def reference_bottleneck_bfs_tree(graph: nx.Graph, strict: bool,
                                  order: Callable[[object], list[str]] = sorted) -> dict[str, int]:
    """Straightforward BottleNeck on one BFS tree per source.

    Tree parent = the node that first discovers v in a BFS visiting neighbours in sorted
    name order (``nx.bfs_predecessors(..., sort_neighbors=sorted)``), which is how the
    kernel fixes its tree. P_s(v) = 1 when v's subtree (v included) holds more than
    (or, non-strict, at least) |V(T_s)|/4 nodes; s itself never counts.
    """
    score = dict.fromkeys(graph, 0)
    for s in graph:
        parent = dict(nx.bfs_predecessors(graph, s, sort_neighbors=order))
        size = len(parent) + 1
        below = Counter()
        for v in parent:
            below[v] += 1
            w = v
            while w in parent and parent[w] != s:
                w = parent[w]
                below[w] += 1
        for v, weight in below.items():
            if weight > size / 4 if strict else weight >= size / 4:
                score[v] += 1
    return score


def reference_bottleneck_all_paths(graph: nx.Graph, strict: bool) -> dict[str, int]:
    """centiserve-style BottleNeck: occurrences of v over all shortest paths from s
    (endpoint included, s excluded), enumerated with ``nx.all_shortest_paths``."""
    score = dict.fromkeys(graph, 0)
    for s in graph:
        reachable = nx.node_connected_component(graph, s)
        occurrences: Counter[str] = Counter()
        for t in reachable - {s}:
            for path in nx.all_shortest_paths(graph, s, t):
                occurrences.update(path[1:])
        for v, weight in occurrences.items():
            if weight > len(reachable) / 4 if strict else weight >= len(reachable) / 4:
                score[v] += 1
    return score


@pytest.mark.parametrize("strict", [True, False])
@pytest.mark.parametrize("name", GRAPHS)
def test_bottleneck_bfs_tree_matches_reference(name: str, strict: bool) -> None:
    graph = GRAPHS[name]
    stats = path_stats(graph, bottleneck_mode="bfs_tree", bottleneck_strict=strict)
    assert by_name(stats.nodes, stats.bottleneck) == reference_bottleneck_bfs_tree(graph, strict)


@pytest.mark.parametrize("strict", [True, False])
@pytest.mark.parametrize("name", SMALL)
def test_bottleneck_all_paths_matches_enumeration(name: str, strict: bool) -> None:
    graph = SMALL[name]
    stats = path_stats(graph, bottleneck_mode="all_paths", bottleneck_strict=strict)
    assert by_name(stats.nodes, stats.bottleneck) == reference_bottleneck_all_paths(graph, strict)


def test_bottleneck_modes_and_strictness_really_differ_on_a_grid() -> None:
    # Guards against the parameters being ignored: a grid has many equal-length paths.
    graph = GRAPHS["grid_many_ties"]
    tree = path_stats(graph, bottleneck_mode="bfs_tree").bottleneck
    paths = path_stats(graph, bottleneck_mode="all_paths").bottleneck
    assert not np.array_equal(tree, paths)
    # Strictness matters only when |V|/4 is an integer weight: a path of 8 nodes (quarter = 2).
    line = nx.path_graph("abcdefgh")
    strict = by_name(path_stats(line).nodes, path_stats(line).bottleneck)
    loose_stats = path_stats(line, bottleneck_strict=False)
    loose = by_name(loose_stats.nodes, loose_stats.bottleneck)
    # g is at the end of a 2-node subtree (g, h) seen from a..f: counted only by ">=".
    assert strict["g"] < loose["g"]


def test_bfs_tree_follows_the_given_node_order() -> None:
    graph = GRAPHS["grid_many_ties"]
    reverse = sorted(graph, reverse=True)
    stats = path_stats(graph, nodes=reverse)
    rank = {v: i for i, v in enumerate(reverse)}
    expected = reference_bottleneck_bfs_tree(graph, True, order=lambda vs: sorted(vs, key=rank.__getitem__))
    assert stats.nodes == reverse
    assert by_name(stats.nodes, stats.bottleneck) == expected
    assert by_name(stats.nodes, stats.bottleneck) != reference_bottleneck_bfs_tree(graph, True)


def test_two_node_component_scores_one_each() -> None:
    # Spec §1.3: in a 2-node component each node's weight 1 exceeds 2/4.
    graph = nx.Graph([("X", "Y")])
    graph.add_node("Z")
    stats = path_stats(graph)
    assert by_name(stats.nodes, stats.bottleneck) == {"X": 1, "Y": 1, "Z": 0}
    assert by_name(stats.nodes, stats.ecc) == {"X": 1, "Y": 1, "Z": 0}


def test_edgeless_and_empty_graphs() -> None:
    graph = nx.Graph()
    graph.add_nodes_from(["a", "b"])
    stats = path_stats(graph)
    assert stats.reach.tolist() == [0, 0] and stats.harmonic.tolist() == [0.0, 0.0]
    assert stats.component_size.tolist() == [1, 1]
    empty = path_stats(nx.Graph())
    assert empty.nodes == [] and len(empty.betweenness) == 0

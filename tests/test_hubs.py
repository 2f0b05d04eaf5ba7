"""cytoHubba's 12 methods: spec §1.4 hand-checked values, exact MCC, ties, and cytoHubba's own exports.

Hand graph: ``/work/shared/reference/network-spec.md`` §1.4 (hand-made). Golden:
tests/data/cytoscape/shorna_cytohubba12_* (real cytoHubba exports; README there).
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

import networkx as nx
import pytest
from helpers import hand_graph

from netpharm.hubs.config import ALL_METHODS, HubsConfig
from netpharm.hubs.local import clustering_coefficient, degree, dmnc, mcc, mnc
from netpharm.hubs.paths import betweenness, bottleneck, closeness, eccentricity, radiality, stress
from netpharm.hubs.percolation import epc
from netpharm.hubs.rank import competition_rank, rank_hubs, top_n
from netpharm.network.tables import parse_string_table
from netpharm.network.topology import node_table

CYTO = Path(__file__).resolve().parent / "data" / "cytoscape"
NODES = list("ABCDEFGHXYZ")


def expand(values: dict[str, float], default: float = 0) -> dict[str, float]:
    """``{"ABC": 6}`` -> ``{"A": 6, "B": 6, "C": 6}``, every other node = default."""
    out = dict.fromkeys(NODES, default)
    for names, value in values.items():
        out.update(dict.fromkeys(names, value))
    return out


# --- spec §1.4 hand-checked values ------------------------------------------------------------

def test_mcc_hand_graph() -> None:
    assert mcc(hand_graph()) == expand({"ABC": 6, "D": 7, "E": 3, "F": 2, "G": 3, "H": 1, "XY": 1, "Z": 0})


def test_mnc_hand_graph() -> None:
    assert mnc(hand_graph()) == expand({"ABCD": 3, "EFG": 2, "HXY": 1, "Z": 0})


def test_dmnc_hand_graph() -> None:
    ours = dmnc(hand_graph())
    expected = expand({"ABCD": 3 / 3 ** 1.7, "EFG": 1 / 2 ** 1.7})
    assert ours == pytest.approx(expected, abs=1e-15)
    assert dmnc(hand_graph(), epsilon=1.67)["A"] == pytest.approx(3 / 3 ** 1.67, abs=1e-15)


def test_degree_and_clustering_hand_graph() -> None:
    graph = hand_graph()
    assert degree(graph) == expand({"ABC": 3, "D": 4, "E": 3, "F": 2, "G": 3, "HXY": 1, "Z": 0})
    assert clustering_coefficient(graph) == pytest.approx(
        expand({"ABC": 1.0, "D": 0.5, "E": 1 / 3, "F": 1.0, "G": 1 / 3}), abs=1e-15)


def test_betweenness_and_stress_hand_graph() -> None:
    graph = hand_graph()
    # spec §1.4's values are over unordered pairs; cytoHubba prints ordered pairs (twice them)
    assert betweenness(graph, ordered=False) == pytest.approx(expand({"DE": 12.0, "G": 6.0}), abs=1e-12)
    assert stress(graph, ordered=False) == expand({"DE": 12, "G": 6})
    assert betweenness(graph) == pytest.approx(expand({"DE": 24.0, "G": 12.0}), abs=1e-12)
    assert stress(graph) == expand({"DE": 24, "G": 12})


def test_bottleneck_hand_graph() -> None:
    # spec §1.4 counts sources s != v; cytoHubba's source counts itself (+1 for every node)
    assert bottleneck(hand_graph(), count_self=False) == expand({"DE": 7, "G": 1, "XY": 1})
    assert bottleneck(hand_graph()) == expand({"DE": 8, "G": 2, "XY": 2}, default=1)


def test_eccentricity_closeness_radiality_hand_graph() -> None:
    graph = hand_graph()
    ec = eccentricity(graph)
    assert (ec["A"], ec["D"], ec["E"], ec["X"], ec["Z"]) == pytest.approx((1 / 4, 1 / 3, 1 / 2, 1.0, 0.0))
    clo = closeness(graph)
    assert clo["A"] == pytest.approx(3 + 1 / 2 + 2 / 3 + 1 / 4, abs=1e-14)
    assert clo == pytest.approx(nx.harmonic_centrality(graph), abs=1e-14)
    assert clo["Z"] == 0.0
    rad = radiality(graph, include_self=False)
    assert rad["A"] == pytest.approx(20 / 7, abs=1e-14)
    assert rad["X"] == pytest.approx(1.0)  # (Δ=1) + 1 − 1 over n_c − 1 = 1
    assert rad["Z"] == 0.0
    # cytoHubba's self term w = v adds (Δ_c + 1)/(n_c − 1): 5/7 in A's component, 2/1 in X's
    with_self = radiality(graph)
    assert (with_self["A"], with_self["X"], with_self["Z"]) == pytest.approx((25 / 7, 3.0, 0.0), abs=1e-14)


def test_epc_threshold_extremes_hand_graph() -> None:
    graph = hand_graph()
    kept = epc(graph, runs=1000, threshold=0.0, seed=1, scale="runs_per_node")
    assert kept.scores["A"] == pytest.approx(1000 * 8 / 11, rel=1e-14)
    assert kept.scores["X"] == pytest.approx(1000 * 2 / 11, rel=1e-14)
    assert kept.scores["Z"] == pytest.approx(1000 / 11, rel=1e-14)
    assert all(e == 0.0 for e in kept.std_error.values())
    removed = epc(graph, runs=1000, threshold=1.0, seed=1, scale="runs_per_node")
    assert removed.scores == pytest.approx(dict.fromkeys(NODES, 1000 / 11), rel=1e-14)
    # cytoHubba's scale: the mean component size itself
    mean = epc(graph, runs=1000, threshold=0.0, seed=1)
    assert (mean.scores["A"], mean.scores["X"], mean.scores["Z"]) == (8.0, 2.0, 1.0)


def test_epc_seeded_reproducible_and_has_error() -> None:
    graph = hand_graph()
    first = epc(graph, runs=200, threshold=0.5, seed=42, scale="runs_per_node")
    again = epc(graph, runs=200, threshold=0.5, seed=42, scale="runs_per_node")
    other = epc(graph, runs=200, threshold=0.5, seed=43, scale="runs_per_node")
    assert first.scores == again.scores and first.std_error == again.std_error
    assert first.scores != other.scores
    assert (first.seed, first.runs, first.threshold) == (42, 200, 0.5)
    connected = [v for v in NODES if v != "Z"]
    assert all(first.std_error[v] > 0 for v in connected)
    assert first.std_error["Z"] == 0.0  # an isolate is always alone
    # Scale: runs x mean component size / |V|; a node's component holds 1..8 nodes.
    assert all(200 / 11 <= first.scores[v] <= 200 * 8 / 11 for v in NODES)


def test_rank_hubs_all_twelve_methods_hand_graph() -> None:
    ranking = rank_hubs(hand_graph(), HubsConfig(epc_runs=50))
    assert list(ranking.scores) == list(ALL_METHODS)
    assert ranking.scores["MCC"]["D"] == 7 and ranking.ranks["MCC"]["D"] == 1
    assert ranking.ranks["MCC"]["A"] == 2 and ranking.ranks["MCC"]["E"] == 5
    assert ranking.scores["Stress"] == expand({"DE": 24, "G": 12})
    assert ranking.scores["BottleNeck"] == expand({"DE": 8, "G": 2, "XY": 2}, default=1)
    old = rank_hubs(hand_graph(), HubsConfig(methods=("Stress", "BottleNeck"), path_pairs="unordered",
                                             bottleneck_self=False))
    assert old.scores["Stress"] == expand({"DE": 12, "G": 6})
    assert old.scores["BottleNeck"] == expand({"DE": 7, "G": 1, "XY": 1})
    table = ranking.score_table()
    assert list(table["name"]) == NODES and "EPC_std_error" in table and "MCC_rank" in table
    assert ranking.parameters["epc_seed"] == 12345 and ranking.parameters["bottleneck_mode"] == "bfs_tree"


# --- exactness and ties ---------------------------------------------------------------------------

def test_mcc_exact_integers_past_int64() -> None:
    graph = nx.complete_graph([f"n{i:02d}" for i in range(22)])
    scores = mcc(graph)
    assert math.factorial(21) > 2 ** 63
    assert all(type(s) is int and s == math.factorial(21) for s in scores.values())


def test_competition_ranks_share_and_skip() -> None:
    assert competition_rank({"a": 3, "b": 3, "c": 3, "d": 1}) == {"a": 1, "b": 1, "c": 1, "d": 4}
    assert competition_rank({"a": 0.5, "b": 2.0, "c": 2.0}) == {"a": 3, "b": 1, "c": 1}


def test_top_n_includes_every_boundary_tie_and_flags_it() -> None:
    scores = {"e": 1, "a": 5, "d": 4, "b": 4, "c": 4}
    assert top_n(scores, 2) == (["a", "b", "c", "d"], True)
    assert top_n(scores, 4) == (["a", "b", "c", "d"], False)
    assert top_n(scores, 1) == (["a"], False)
    assert top_n(scores, 10) == (["a", "b", "c", "d", "e"], False)


# --- golden: cytoHubba's own exports (shorna_cytohubba12) -----------------------------------------

def read_cytohubba(name: str) -> list[tuple[int, str, float]]:
    lines = (CYTO / name).read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("Top 10 in network") and lines[1] == "Rank,Name,Score"
    return [(int(r), n, float(s)) for r, n, s in csv.reader(lines[2:])]


@pytest.fixture(scope="module")
def shorna() -> tuple[nx.Graph, dict[tuple[str, str], int]]:
    path = CYTO / "shorna_cytohubba12_string_interactions.tsv"
    parsed = parse_string_table(path.read_text(encoding="utf-8"), origin=str(path))
    assert parsed.rows == 28 and parsed.duplicate_pairs == 14 and len(parsed.nodes) == 12
    graph = nx.Graph()
    graph.add_nodes_from(parsed.nodes)
    graph.add_edges_from(zip(parsed.edges["name_a"], parsed.edges["name_b"]))
    return graph, parsed.multiplicity


def test_cytohubba_mcc_export_equals_mcc_on_collapsed_graph(shorna: tuple[nx.Graph, dict]) -> None:
    graph, _ = shorna
    ranking = rank_hubs(graph, HubsConfig(methods=("MCC",), top_n=10))
    listed = read_cytohubba("shorna_cytohubba12_MCC.csv")
    for rank, name, score in listed:
        assert ranking.scores["MCC"][name] == score, name
        assert ranking.ranks["MCC"][name] == rank, name
    # cytoHubba's top 10 cuts through the tie at score 1; ours keeps every tied node and says so.
    theirs = {n for _, n, _ in listed}
    ours = ranking.top["MCC"]
    tied = {v for v, s in ranking.scores["MCC"].items() if s == 1}
    assert theirs < set(ours) and tied <= set(ours)
    assert tied - theirs == {"HOXC12", "SKOR2"}
    assert len(ours) == 12 and ranking.tie_at_boundary["MCC"] is True


def test_cytohubba_degree_export_counts_duplicated_edges(shorna: tuple[nx.Graph, dict]) -> None:
    graph, multiplicity = shorna
    table = node_table(graph, multiplicity=multiplicity).set_index("name")
    with_duplicates = table["DegreeWithDuplicates"].to_dict()
    ranks = competition_rank(with_duplicates)
    listed = read_cytohubba("shorna_cytohubba12_Degree.csv")
    for rank, name, score in listed:
        assert with_duplicates[name] == score, name
        assert degree(graph)[name] == score / 2, name  # each pair listed twice
        assert ranks[name] == rank, name
    assert [n for r, n, _ in listed if r == 1] == ["LHX5", "MEIS2", "PBX2"]
    chosen, tie = top_n(with_duplicates, 10)
    assert {n for _, n, _ in listed} < set(chosen) and tie is True


def test_float_noise_does_not_split_ties_on_symmetric_graphs() -> None:
    # Every node of a circular ladder (and of the dodecahedron) is equivalent, so every
    # path-based score ties; the compiled sums differ in the last bits, which must not split ranks.
    for graph in (nx.circular_ladder_graph(13), nx.dodecahedral_graph()):
        graph = nx.relabel_nodes(graph, {v: f"v{v:02d}" for v in graph})
        ranking = rank_hubs(graph, HubsConfig(methods=("Betweenness", "Closeness", "Radiality", "Stress"),
                                              top_n=3))
        for method in ranking.ranks:
            assert set(ranking.ranks[method].values()) == {1}, method
            assert len(ranking.top[method]) == len(graph) and ranking.tie_at_boundary[method]
    # ...while genuinely different floats and huge exact integers still rank apart.
    assert competition_rank({"a": 0.1 + 0.2, "b": 0.3, "c": 0.3000001}) == {"a": 2, "b": 2, "c": 1}
    big = math.factorial(21)
    assert competition_rank({"a": big, "b": big + 1}) == {"a": 2, "b": 1}


def _clique_set(cliques) -> set[frozenset[str]]:  # type: ignore[no-untyped-def]
    return {frozenset(c) for c in cliques if len(c) > 1}


def test_bitset_cliques_equal_networkx_and_igraph_on_the_real_461_export() -> None:
    """The hand-written bitset Bron–Kerbosch lists exactly networkx's and igraph's maximal cliques."""
    import gzip

    import igraph  # noqa: F401  (the third enumeration; test extra)

    from netpharm.hubs.local import bitset_cliques, to_igraph

    path = Path(__file__).parent / "data" / "string461" / "string_export_461_nodes_v12x.tsv.gz"
    parsed = parse_string_table(gzip.decompress(path.read_bytes()).decode())
    graph = nx.Graph(zip(parsed.columns["name_a"], parsed.columns["name_b"]))
    ours = _clique_set(bitset_cliques(graph))
    assert len(ours) == 10067  # counted by networkx and igraph alike
    assert ours == _clique_set(nx.find_cliques(graph))
    ig_graph, names = to_igraph(graph)
    assert ours == {frozenset(names[i] for i in c) for c in ig_graph.maximal_cliques(min=2)}


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_bitset_cliques_equal_networkx_on_random_graphs_with_isolates(seed: int) -> None:
    from netpharm.hubs.local import bitset_cliques

    graph = nx.gnp_random_graph(60, 0.3, seed=seed)
    graph.add_nodes_from(range(60, 64))  # isolated nodes are 1-cliques
    found = list(bitset_cliques(graph))
    assert {frozenset(c) for c in found} == {frozenset(c) for c in nx.find_cliques(graph)}
    assert len(found) == len({frozenset(c) for c in found})  # each clique once

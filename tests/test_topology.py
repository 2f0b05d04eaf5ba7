"""NetworkAnalyzer node/network statistics against real Cytoscape tables and hand-checked values.

Golden data: tests/data/cytoscape/ (README there gives provenance). Hand graph: spec §1.4
(``/work/shared/reference/network-spec.md``).
"""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from helpers import hand_graph

from netpharm.graphs.paths import path_stats
from netpharm.network.files import NODE_COLUMNS
from netpharm.network.tables import ParsedEdges, parse_string_table
from netpharm.network.topology import network_statistics, node_table

CYTO = Path(__file__).resolve().parent / "data" / "cytoscape"


def parse(name: str) -> ParsedEdges:
    path = CYTO / name
    return parse_string_table(path.read_text(encoding="utf-8"), origin=str(path))


def graph_of(parsed: ParsedEdges) -> nx.Graph:
    graph = nx.Graph()
    graph.add_nodes_from(parsed.nodes)
    graph.add_edges_from(zip(parsed.edges["name_a"], parsed.edges["name_b"]))
    return graph


# --- golden: real NetworkAnalyzer tables ---------------------------------------------------------

@pytest.fixture(scope="module")
def bashir() -> tuple[nx.Graph, pd.DataFrame, pd.DataFrame]:
    graph = graph_of(parse("bashir_rat30_string_interactions_short.tsv"))
    ours = node_table(graph).set_index("name")
    theirs = pd.read_csv(CYTO / "bashir_rat30_networkanalyzer_node_table.csv").set_index("name")
    return graph, ours, theirs


def test_bashir_has_the_cytoscape_nodes(bashir: tuple[nx.Graph, pd.DataFrame, pd.DataFrame]) -> None:
    graph, ours, theirs = bashir
    assert graph.number_of_nodes() == 30 and graph.number_of_edges() == 55
    assert sorted(ours.index) == sorted(theirs.index)


@pytest.mark.parametrize("column", NODE_COLUMNS)
def test_bashir_networkanalyzer_column_reproduced(bashir: tuple[nx.Graph, pd.DataFrame, pd.DataFrame],
                                                  column: str) -> None:
    _, ours, theirs = bashir
    expected = theirs.loc[ours.index, column].to_numpy(dtype=float)
    np.testing.assert_allclose(ours[column].to_numpy(dtype=float), expected, rtol=0, atol=1e-9)


def test_bashir_radiality_is_cytoscapes_max_degree_form_not_diameter(
        bashir: tuple[nx.Graph, pd.DataFrame, pd.DataFrame]) -> None:
    # Spec §5: current Cytoscape divides by the component's largest degree. The published
    # (diameter) form must differ on this network, otherwise the golden test above proves nothing.
    _, ours, theirs = bashir
    diff = np.abs(ours["RadialityByDiameter"] - theirs.loc[ours.index, "Radiality"])
    assert diff.max() > 1e-3
    # K4 component: ASPL 1, diameter 1, max degree 3 -> both forms are exactly 1.
    for name in ("Dhcr7", "Insig1", "Sqle", "Hmgcs1"):
        assert ours.loc[name, "Radiality"] == pytest.approx(1.0, abs=1e-12)
        assert ours.loc[name, "RadialityByDiameter"] == pytest.approx(1.0, abs=1e-12)


def test_margotpc_duplicated_export_degree_with_duplicates_and_paths() -> None:
    parsed = parse("margotpc_string127_string_interactions.tsv")
    assert parsed.rows == 706 and parsed.duplicate_pairs == 353 and len(parsed.edges) == 353
    graph = graph_of(parsed)
    ours = node_table(graph, multiplicity=parsed.multiplicity).set_index("name")
    theirs = pd.read_csv(CYTO / "margotpc_string127_networkanalyzer_undirected_node_table_suid128.csv")
    symbol_of = {sid: name for name, sids in parsed.string_ids.items() for sid in sids}
    theirs = theirs.set_index(theirs["name"].map(symbol_of)).loc[ours.index]
    assert len(theirs) == 127
    # Cytoscape's Degree counts both listings of each pair; ours is the simple-graph degree.
    np.testing.assert_array_equal(ours["DegreeWithDuplicates"], theirs["Degree"])
    np.testing.assert_array_equal(ours["DegreeWithDuplicates"], 2 * ours["Degree"])
    np.testing.assert_allclose(ours["BetweennessCentrality"], theirs["BetweennessCentrality"], rtol=0, atol=1e-9)
    for column in set(NODE_COLUMNS) - {"Degree"}:
        np.testing.assert_allclose(ours[column].to_numpy(float), theirs[column].to_numpy(float),
                                   rtol=0, atol=1e-9, err_msg=column)


# --- hand graph (spec §1.4) ----------------------------------------------------------------------

@pytest.fixture(scope="module")
def hand_table() -> pd.DataFrame:
    return node_table(hand_graph()).set_index("name")


def test_hand_graph_betweenness_normalised_within_component(hand_table: pd.DataFrame) -> None:
    bc = hand_table["BetweennessCentrality"]
    assert bc["D"] == pytest.approx(12 / 21, abs=1e-15)
    assert bc["E"] == pytest.approx(12 / 21, abs=1e-15)
    assert bc["G"] == pytest.approx(6 / 21, abs=1e-15)
    assert (bc.drop(["D", "E", "G"]) == 0).all()


def test_hand_graph_stress_ordered_pairs(hand_table: pd.DataFrame) -> None:
    stress = hand_table["Stress"]
    assert (stress["D"], stress["E"], stress["G"]) == (24, 24, 12)
    assert (stress.drop(["D", "E", "G"]) == 0).all()


def test_hand_graph_closeness(hand_table: pd.DataFrame) -> None:
    closeness = hand_table["ClosenessCentrality"]
    assert closeness["A"] == pytest.approx(7 / 15, abs=1e-15)
    assert closeness["D"] == pytest.approx(7 / 11, abs=1e-15)
    assert closeness["H"] == pytest.approx(7 / 20, abs=1e-15)
    assert closeness["X"] == 1.0
    assert closeness["Z"] == 0.0


def test_hand_graph_radiality_by_diameter_and_eccentricity(hand_table: pd.DataFrame) -> None:
    assert hand_table.loc["A", "RadialityByDiameter"] == pytest.approx((5 - 15 / 7) / 4, abs=1e-15)
    assert hand_table.loc["A", "Eccentricity"] == 4
    assert hand_table.loc["E", "Eccentricity"] == 2
    assert hand_table.loc["X", "Eccentricity"] == 1
    assert hand_table.loc["Z", "Eccentricity"] == 0
    assert hand_table.loc["Z", "AverageShortestPathLength"] == 0.0
    assert hand_table.loc["Z", "RadialityByDiameter"] == 0.0


def test_hand_graph_local_columns_match_networkx(hand_table: pd.DataFrame) -> None:
    graph = hand_graph()
    clustering = nx.clustering(graph)
    neighbour_degree = nx.average_neighbor_degree(graph)
    for v in graph:
        assert hand_table.loc[v, "ClusteringCoefficient"] == pytest.approx(clustering[v], abs=1e-15)
        assert hand_table.loc[v, "NeighborhoodConnectivity"] == pytest.approx(neighbour_degree[v], abs=1e-15)
    # TopologicalCoefficient of A by hand: neighbours B, C, D; J(A) = {B, C, D, E};
    # shared neighbours B:2, C:2, D:2, E:1 (=7), plus 3 of J(A) adjacent to A -> 10 / (4 * 3).
    assert hand_table.loc["A", "TopologicalCoefficient"] == pytest.approx(10 / 12, abs=1e-15)
    assert hand_table.loc["H", "TopologicalCoefficient"] == 0.0  # degree 1


# --- network statistics (bashir, by hand / networkx per component) -------------------------------

def test_bashir_network_statistics(bashir: tuple[nx.Graph, pd.DataFrame, pd.DataFrame]) -> None:
    graph, _, _ = bashir
    paths = path_stats(graph)
    table = node_table(graph, paths)
    stats = network_statistics(graph, table, paths)
    components = [graph.subgraph(c) for c in nx.connected_components(graph)]
    assert stats.connected_components == 2 == len(components)
    assert sorted(len(c) for c in components) == [4, 26]
    assert stats.diameter == max(nx.diameter(c) for c in components)
    assert stats.radius == min(nx.radius(c) for c in components)
    distance_sum = sum(sum(d for _, row in nx.all_pairs_shortest_path_length(c) for d in row.values())
                       for c in components)
    pairs = sum(len(c) * (len(c) - 1) for c in components)
    assert stats.characteristic_path_length == pytest.approx(distance_sum / pairs, rel=1e-14)
    n = 30
    k = np.array([d for _, d in graph.degree()], dtype=float)
    assert stats.nodes == n and stats.edges == 55 and stats.isolated_nodes == 0 and stats.self_loops == 0
    assert stats.average_neighbours == pytest.approx(2 * 55 / n, rel=1e-15)
    assert stats.density == pytest.approx(2 * 55 / n / (n - 1), rel=1e-15)
    assert stats.density == pytest.approx(nx.density(graph), rel=1e-14)
    assert stats.clustering_coefficient == pytest.approx(nx.average_clustering(graph), rel=1e-14)
    assert stats.heterogeneity == pytest.approx(k.std() / k.mean(), rel=1e-12)
    assert stats.centralization == pytest.approx(n / (n - 2) * (k.max() / (n - 1) - nx.density(graph)), rel=1e-12)

"""The hand-written GraphML writer against networkx's own writer and reader.

Data: the real STRING export ``tests/data/cytoscape/bashir_rat30_string_interactions_short.tsv``
(README there), analysed with every NetworkAnalyzer column and cytoHubba method; plus a
hand-made graph whose names need XML escaping.
"""

from __future__ import annotations

import io
from pathlib import Path

import networkx as nx
import pandas as pd

from netpharm.hubs.config import HubsConfig
from netpharm.network.analyse import analyse_graph
from netpharm.network.export import write_graphml
from netpharm.network.tables import parse_string_table

CYTO = Path(__file__).resolve().parent / "data" / "cytoscape"


def networkx_reference(graph: nx.Graph, node_table: pd.DataFrame, hub_table: pd.DataFrame) -> nx.Graph:
    """What netpharm wrote with ``nx.write_graphml`` before the text writer, read back."""
    annotated = nx.Graph()
    merged = node_table.merge(hub_table, on="name", suffixes=("", "_cytoHubba"))
    for row in merged.to_dict("records"):
        name = row.pop("name")
        annotated.add_node(name, **{k if not k.endswith("_cytoHubba") else "cytoHubba_" + k[:-10]: v
                                    for k, v in row.items()})
    for a, b, data in sorted(graph.edges(data=True)):
        annotated.add_edge(a, b, **{k: float(v) for k, v in data.items()})
    buffer = io.BytesIO()
    nx.write_graphml_xml(annotated, buffer)
    return nx.read_graphml(io.BytesIO(buffer.getvalue()))


def assert_same_graph(ours: nx.Graph, theirs: nx.Graph) -> None:
    assert sorted(ours.nodes()) == sorted(theirs.nodes())
    for v in theirs:
        assert ours.nodes[v] == theirs.nodes[v], v
        assert {k: type(x) for k, x in ours.nodes[v].items()} == {k: type(x) for k, x in theirs.nodes[v].items()}
    assert {frozenset(e) for e in ours.edges()} == {frozenset(e) for e in theirs.edges()}
    for a, b, data in theirs.edges(data=True):
        assert ours.edges[a, b] == data


def test_graphml_reads_back_like_networkx_writer(tmp_path: Path) -> None:
    path = CYTO / "bashir_rat30_string_interactions_short.tsv"
    parsed = parse_string_table(path.read_text(encoding="utf-8"), origin=str(path))
    graph = nx.Graph()
    graph.add_nodes_from(parsed.nodes)
    for a, b, s in zip(parsed.edges["name_a"], parsed.edges["name_b"], parsed.edges["score"]):
        graph.add_edge(a, b, score=float(s))
    analysis = analyse_graph(graph, HubsConfig(epc_runs=20))
    hubs = analysis.hubs.score_table()
    written = write_graphml(tmp_path / "network.graphml", graph, analysis.nodes, hubs)
    ours = nx.read_graphml(written)
    assert ours.number_of_nodes() == 30 and ours.number_of_edges() == graph.number_of_edges()
    assert_same_graph(ours, networkx_reference(graph, analysis.nodes, hubs))
    assert ours.nodes[parsed.nodes[0]]["cytoHubba_Degree"] == graph.degree(parsed.nodes[0])


def test_graphml_escapes_names_and_strings(tmp_path: Path) -> None:
    # hand-made: names with XML metacharacters and a string column
    graph = nx.Graph()
    graph.add_edge('A&B', '<C>', score=0.5)
    graph.add_node('"D"')
    nodes = pd.DataFrame({"name": ['"D"', "<C>", "A&B"], "Degree": [0, 1, 1], "string_id": ["x<1", "y&2", "z"]})
    hubs = pd.DataFrame({"name": ['"D"', "<C>", "A&B"], "MCC": [0, 1, 1], "Degree": [0, 1, 1]})
    ours = nx.read_graphml(write_graphml(tmp_path / "g.graphml", graph, nodes, hubs))
    assert_same_graph(ours, networkx_reference(graph, nodes, hubs))
    assert ours.nodes["<C>"]["string_id"] == "y&2"

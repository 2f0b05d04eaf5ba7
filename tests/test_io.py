"""``write_columns`` (no pandas) writes exactly what ``write_table`` (pandas ``to_csv``) writes."""

from __future__ import annotations

import gzip
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from netpharm.hubs.config import HubsConfig
from netpharm.io import write_columns, write_table
from netpharm.network.analyse import analyse_graph
from netpharm.network.string_tsv import parse_string_table

DATA = Path(__file__).parent / "data"


def _same_bytes(tmp_path: Path, columns: dict, name: str = "t.tsv") -> None:  # type: ignore[type-arg]
    ours = write_columns(tmp_path / f"ours_{name}", columns).read_bytes()
    theirs = write_table(tmp_path / f"pandas_{name}", pd.DataFrame(columns)).read_bytes()
    assert ours == theirs


def test_awkward_values_hand_made(tmp_path: Path) -> None:
    rng = np.random.default_rng(7)
    floats = np.concatenate([rng.random(50) * 10.0 ** rng.integers(-20, 20, 50), [0.0, -0.0, 1e16, 1e-5, 0.1 + 0.2,
                                                                                    np.nan, np.inf, 123456789.0]])
    n = len(floats)
    columns = {
        "name": [f"n{i}" for i in range(n - 4)] + ["tab\there", 'quote"d', "comma,ok", ""],
        "float": floats,
        "int": np.arange(n, dtype=np.int64) * 10**12,
        "bool": [bool(i % 2) for i in range(n)],
        "pyfloat": [float(x) for x in floats],
        "npfloat_list": [np.float64(x) for x in floats],  # NumPy scalars in a list: not "np.float64(...)"
        "huge": [2**70 + i for i in range(n)],
        "none": [None] * n,
    }
    _same_bytes(tmp_path, columns)
    _same_bytes(tmp_path, columns, "t.csv")  # comma-separated: "comma,ok" quoted like pandas


def test_empty_table(tmp_path: Path) -> None:
    _same_bytes(tmp_path, {"a": [], "b": np.zeros(0)})


@pytest.mark.parametrize("export", ["cytoscape/bashir_rat30_string_interactions_short.tsv",
                                    "string461/string_export_461_nodes_v12x.tsv.gz"])
def test_network_tables_of_real_exports(tmp_path: Path, export: str) -> None:
    """Every table ``netpharm network`` writes, written both ways from the real exports."""
    data = (DATA / export).read_bytes()
    parsed = parse_string_table((gzip.decompress(data) if export.endswith(".gz") else data).decode())
    graph = nx.Graph()
    graph.add_nodes_from(parsed.nodes)
    graph.add_edges_from(zip(parsed.columns["name_a"], parsed.columns["name_b"]))
    analysis = analyse_graph(graph, HubsConfig(epc_runs=20), parsed.multiplicity)
    _same_bytes(tmp_path, analysis.node_columns, "nodes.tsv")
    _same_bytes(tmp_path, analysis.hubs.score_columns(), "hubs.tsv")
    _same_bytes(tmp_path, analysis.hubs.top_columns(), "top.tsv")
    # and the DataFrame methods still give the same tables
    assert write_table(tmp_path / "a.tsv", analysis.hubs.top_table()).read_bytes() == \
        write_columns(tmp_path / "b.tsv", analysis.hubs.top_columns()).read_bytes()
    assert write_table(tmp_path / "c.tsv", analysis.statistics.to_frame()).read_bytes() == \
        write_columns(tmp_path / "d.tsv", analysis.statistics.to_columns()).read_bytes()

"""Cytoscape-ready exports: GraphML (node and edge attributes) and SIF."""

from __future__ import annotations

import io
from pathlib import Path

import networkx as nx
import pandas as pd

from netpharm.io import write_text_atomic

__all__ = ["write_graphml", "write_sif"]


def write_graphml(path: Path, graph: nx.Graph, node_table: pd.DataFrame, hub_table: pd.DataFrame) -> Path:
    """GraphML with every NetworkAnalyzer and cytoHubba column as node attributes.

    cytoHubba columns are prefixed ``cytoHubba_`` where a name clashes with
    NetworkAnalyzer's (Degree, Radiality, Stress, ClusteringCoefficient).
    """
    annotated = nx.Graph()
    merged = node_table.merge(hub_table, on="name", suffixes=("", "_cytoHubba"))
    for row in merged.to_dict("records"):
        name = row.pop("name")
        annotated.add_node(name, **{k if not k.endswith("_cytoHubba") else "cytoHubba_" + k[:-10]:
                                    (float(v) if isinstance(v, float) else (int(v) if isinstance(v, int) else v))
                                    for k, v in row.items()})
    for a, b, data in sorted(graph.edges(data=True)):
        annotated.add_edge(a, b, **{k: float(v) for k, v in data.items()})
    buffer = io.BytesIO()
    nx.write_graphml(annotated, buffer)
    return write_text_atomic(path, buffer.getvalue().decode("utf-8"))


def write_sif(path: Path, graph: nx.Graph) -> Path:
    """Simple Interaction Format: ``A pp B`` per edge, isolated nodes on their own line."""
    lines = [f"{a}\tpp\t{b}" for a, b in sorted(tuple(sorted(e)) for e in graph.edges())]
    lines += [n for n in sorted(graph.nodes()) if graph.degree(n) == 0]
    return write_text_atomic(path, "\n".join(lines) + "\n")

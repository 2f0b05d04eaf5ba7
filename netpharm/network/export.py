"""Cytoscape-ready exports: GraphML (node and edge attributes) and SIF."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape, quoteattr

import networkx as nx
import numpy as np

from netpharm.io import write_text_atomic

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["write_graphml", "write_sif"]


_GRAPHML_HEAD = (
    "<?xml version='1.0' encoding='utf-8'?>\n"
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
    'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
    'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n'
)


def _xml_type(values: list[Any]) -> str:
    """GraphML attr.type of a column, as networkx names it."""
    kinds = {type(v) for v in values}
    if kinds <= {bool}:
        return "boolean"
    if kinds <= {int}:
        return "long"
    if kinds <= {int, float}:
        return "double"
    return "string"


def _python(value: Any) -> Any:
    return value.item() if isinstance(value, np.generic) else value


def write_graphml(path: Path, graph: nx.Graph, node_table: pd.DataFrame | Mapping[str, Any],
                  hub_table: pd.DataFrame | Mapping[str, Any]) -> Path:
    """GraphML with every NetworkAnalyzer and cytoHubba column as node attributes.

    cytoHubba columns are prefixed ``cytoHubba_`` where a name clashes with
    NetworkAnalyzer's (Degree, Radiality, Stress, ClusteringCoefficient).

    Written as text rather than through ``nx.write_graphml``: networkx builds an element
    tree of every value (0.9 s for the 461-node STRING export, seconds for 5k nodes), and
    the format needed here is a fixed layout of escaped strings. The output is the layout
    networkx writes and reads back to the same graph (``tests/test_topology.py``).
    """
    merged = _merge_on_name(node_table, hub_table)
    columns = [c for c in merged if c != "name"]
    names = {c: ("cytoHubba_" + c[:-10] if c.endswith("_cytoHubba") else c) for c in columns}
    values = {c: [_python(v) for v in merged[c]] for c in columns}
    text = {c: [escape(str(v)) for v in values[c]] for c in columns}
    edges = sorted(graph.edges(data=True))
    edge_keys = list(dict.fromkeys(k for _, _, data in edges for k in data))
    node_ids = {c: f"d{i}" for i, c in enumerate(columns)}
    edge_ids = {k: f"d{len(columns) + i}" for i, k in enumerate(edge_keys)}
    keys = [f'  <key id="{node_ids[c]}" for="node" attr.name={quoteattr(names[c])} '
            f'attr.type="{_xml_type(values[c])}" />' for c in columns]
    keys += [f'  <key id="{edge_ids[k]}" for="edge" attr.name={quoteattr(k)} attr.type="double" />'
             for k in edge_keys]
    parts = [_GRAPHML_HEAD, "\n".join(reversed(keys)), '\n  <graph edgedefault="undirected">\n']
    quoted = {name: quoteattr(str(name)) for name in graph}  # once per node, not once per edge end
    for row, name in enumerate(merged["name"]):
        parts.append(f"    <node id={quoted[name]}>\n")
        parts.extend(f'      <data key="{node_ids[c]}">{text[c][row]}</data>\n' for c in columns)
        parts.append("    </node>\n")
    for a, b, data in edges:
        parts.append(f"    <edge source={quoted[a]} target={quoted[b]}>\n")
        parts.extend(f'      <data key="{edge_ids[k]}">{float(v)!r}</data>\n' for k, v in data.items())
        parts.append("    </edge>\n")
    parts.append("  </graph>\n</graphml>\n")
    return write_text_atomic(path, "".join(parts))


def _merge_on_name(nodes: pd.DataFrame | Mapping[str, Any], hubs: pd.DataFrame | Mapping[str, Any]
                   ) -> dict[str, list[Any]]:
    """The node table's columns then the hub table's, row for row by ``name``, a clashing hub column
    suffixed ``_cytoHubba`` (what ``DataFrame.merge(on="name", suffixes=("", "_cytoHubba"))`` gives;
    both tables hold every node once)."""
    node_names, hub_names = list(nodes["name"]), list(hubs["name"])
    where = {name: i for i, name in enumerate(hub_names)}
    if sorted(where) != sorted(node_names) or len(where) != len(hub_names):
        raise ValueError("the node and hub tables must list the same nodes once each")
    order = [where[name] for name in node_names]
    merged: dict[str, list[Any]] = {c: _listed(nodes[c]) for c in nodes}
    for c in hubs:
        if c != "name":
            column = _listed(hubs[c])
            merged[c + "_cytoHubba" if c in merged else c] = [column[i] for i in order]
    return merged


def _listed(values: Any) -> list[Any]:
    return values.tolist() if hasattr(values, "tolist") else list(values)


def write_sif(path: Path, graph: nx.Graph) -> Path:
    """Simple Interaction Format: ``A pp B`` per edge, isolated nodes on their own line."""
    lines = [f"{a}\tpp\t{b}" for a, b in sorted(tuple(sorted(e)) for e in graph.edges())]
    lines += [n for n in sorted(graph.nodes()) if graph.degree(n) == 0]
    return write_text_atomic(path, "\n".join(lines) + "\n")

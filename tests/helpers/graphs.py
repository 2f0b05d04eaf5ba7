"""Hand-made test graphs shared by several test modules (named as such: not data)."""

from __future__ import annotations

import itertools

import networkx as nx


def hand_graph() -> nx.Graph:
    """Spec §1.4 (hand-made): K4 {A,B,C,D}, D–E, triangle {E,F,G}, pendant G–H, dimer X–Y, isolate Z."""
    graph = nx.Graph()
    graph.add_edges_from(itertools.combinations("ABCD", 2))
    graph.add_edges_from([("D", "E"), ("E", "F"), ("F", "G"), ("E", "G"), ("G", "H"), ("X", "Y")])
    graph.add_node("Z")
    return graph

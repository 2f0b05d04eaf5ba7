"""Propagation of direct GO annotations up the ontology (true-path rule).

A gene annotated to a term is also annotated to every ancestor reached through ``is_a``
and ``part_of`` edges — the relations the GO Consortium says the true-path rule holds
for. ``regulates`` edges are not followed (a gene regulating X is not part of X), as in
goatools with ``relationships={"part_of"}`` and in most ORA tools.

References
----------
The Gene Ontology Consortium (2023) The Gene Ontology knowledgebase in 2023. Genetics 224:iyad031.
Klopfenstein D.V. et al. (2018) GOATOOLS: a Python library for Gene Ontology analyses. Sci Rep 8:10872.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import networkx as nx

from netpharm.errors import AnnotationFormatError

__all__ = ["PROPAGATION_RELATIONS", "NAMESPACE_CATEGORY", "alt_id_map", "ancestor_closure", "propagate"]

PROPAGATION_RELATIONS: tuple[str, ...] = ("is_a", "part_of")
NAMESPACE_CATEGORY: dict[str, str] = {
    "biological_process": "BP", "molecular_function": "MF", "cellular_component": "CC",
}


def alt_id_map(graph: nx.MultiDiGraph) -> dict[str, str]:
    """Map every ``alt_id`` of the ontology to its primary term id."""
    out: dict[str, str] = {}
    for term, data in graph.nodes(data=True):
        for alt in data.get("alt_id", []):
            out[alt] = term
    return out


def ancestor_closure(graph: nx.MultiDiGraph,
                     relations: Iterable[str] = PROPAGATION_RELATIONS) -> dict[str, frozenset[str]]:
    """Each term → itself plus all its ancestors through ``relations``.

    ``graph`` has edges child → parent keyed by relation (obonet's layout).

    Raises
    ------
    AnnotationFormatError
        The selected relations form a cycle (the OBO is not a DAG).
    """
    keep = set(relations)
    dag = nx.DiGraph()
    dag.add_nodes_from(graph.nodes)
    dag.add_edges_from((child, parent) for child, parent, rel in graph.edges(keys=True)
                       if rel in keep and parent in graph)
    try:
        order = list(nx.topological_sort(dag))  # children before parents
    except nx.NetworkXUnfeasible as exc:
        cycle = nx.find_cycle(dag)
        raise AnnotationFormatError(f"ontology is not a DAG: cycle through {cycle}") from exc
    closure: dict[str, frozenset[str]] = {}
    for term in reversed(order):  # parents first, so their closures exist
        ancestors = {term}
        for parent in dag.successors(term):
            ancestors |= closure[parent]
        closure[term] = frozenset(ancestors)
    return closure


def propagate(direct: Mapping[str, Iterable[str]], closure: Mapping[str, frozenset[str]]) -> dict[str, set[str]]:
    """Gene → all terms it is annotated to after propagation.

    Terms absent from ``closure`` (obsolete or unknown ids) are skipped; callers count
    them beforehand so nothing is dropped silently.
    """
    out: dict[str, set[str]] = {}
    for gene, terms in direct.items():
        full: set[str] = set()
        for term in terms:
            full |= closure.get(term, frozenset())
        if full:
            out[gene] = full
    return out

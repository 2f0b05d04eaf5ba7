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

__all__ = ["PROPAGATION_RELATIONS", "NAMESPACE_CATEGORY"]

#: The relations annotations are propagated along (the closure itself: :func:`netpharm.enrichment.obo_terms.closure_of`).
PROPAGATION_RELATIONS: tuple[str, ...] = ("is_a", "part_of")
#: GO namespace → the category name of the tables.
NAMESPACE_CATEGORY: dict[str, str] = {
    "biological_process": "BP", "molecular_function": "MF", "cellular_component": "CC",
}


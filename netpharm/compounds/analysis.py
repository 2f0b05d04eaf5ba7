"""The compounds stage's analyses of the compound tables: the compound–target network and drug-likeness.

Both read only the stage's own findings (each compound's normalised targets, its SMILES when a table gave one,
the server's imported values) and write into ``compounds/``. The compound–target–*pathway* form needs the
enrichment, which runs after this stage: the ``ct_pathway`` step builds it (:mod:`netpharm.compounds.ctp_stage`).
"""

from __future__ import annotations

import logging
from pathlib import Path

import pandas as pd

from netpharm.compounds import files
from netpharm.compounds.ct_findings import CTNetwork, DrugLikeness
from netpharm.compounds.ctnetwork import (
    annotate,
    build_ct_graph,
    node_rows,
    summarise,
    write_ct_figure,
    write_graphml,
    write_sif,
)
from netpharm.compounds.druglike import (
    CompoundInput,
    drug_likeness,
    drug_likeness_rows,
    imported_values,
    resolve_structure,
)
from netpharm.compounds.findings import CompoundsFindings
from netpharm.io import write_table
from netpharm.sources.cache import Cache
from netpharm.sources.http import HttpClient

__all__ = ["write_ct_network", "write_drug_likeness"]

log = logging.getLogger(__name__)


def write_ct_network(out: Path, findings: CompoundsFindings) -> tuple[CTNetwork | None, list[Path]]:
    """Build the compound–target network of every kept pair and write its node table, GraphML, SIF and figure.

    Returns ``(None, [])`` when the tables hold no compound → target pair.
    """
    pairs = findings.pairs()
    if not pairs:
        return None, []
    graph = build_ct_graph(pairs)
    network = summarise(graph)
    annotate(graph, network)
    written = [write_table(out / files.CT_NODES, pd.DataFrame(node_rows(network))),
               write_graphml(out / files.CT_GRAPHML, graph), write_sif(out / files.CT_SIF, graph)]
    written += write_ct_figure(graph, network, out / files.CT_FIGURE)
    log.info("compound–target network: %d compounds, %d targets, %d links", network.compounds, network.targets,
             network.edges)
    return network, written


def write_drug_likeness(out: Path, findings: CompoundsFindings, cache: Cache | None,
                        http: HttpClient | None) -> tuple[DrugLikeness | None, list[Path], list[str]]:
    """Descriptors and rules for every compound (its SMILES, else its PubChem name through ``cache`` when given);
    server values are carried as imported. Returns the result, the files written and one note per compound
    without a structure or with a value that is not a number (never dropped silently)."""
    if not findings.compounds:
        return None, [], []
    notes: list[str] = []
    entries = []
    lookup = cache
    for record in findings.compounds:
        mol, source, why = resolve_structure(record.name, record.smiles, lookup, http)
        if lookup is not None and _service_down(why):
            # One unreachable PubChem is not N timeouts with retries: the rest are not looked up, and said so.
            lookup = None
            notes.append("PubChem unreachable: the remaining compounds without a SMILES were not looked up")
        problems: list[str] = []
        imported = imported_values(record.imported, problems=problems)
        notes += [f"{record.name}: {p}" for p in problems]
        if mol is None:
            notes.append(f"{record.name}: {why}")
        entries.append(CompoundInput(record.name, mol, source, imported,
                                     "server table" if imported else "", why))
    result = drug_likeness(entries)
    path = write_table(out / files.DRUG_LIKENESS, pd.DataFrame(drug_likeness_rows(result)))
    return result, [path], notes


def _service_down(why: str) -> bool:
    """A lookup that failed for a reason other than "not in the cache (offline)" or "PubChem knows no such name"."""
    return why.startswith("PubChem lookup of") and "not in cache" not in why and "offline" not in why

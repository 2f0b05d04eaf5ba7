"""Assemble the target network from STRING's API or from imported STRING exports.

Either way the result is a :class:`Network`: the graph at the required score, the
edge table with channel scores, the coverage of every target pair, and the provenance
of every piece of data used.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import pandas as pd

from netpharm.errors import CacheMissError, FetchError, IdentifierMappingError, NetworkError
from netpharm.network.coverage import merge_sources, query_audit
from netpharm.network.imports import (
    VERSION_RULE,
    check_versions,
    import_request,
    load_import,
    missing_columns,
    provenance,
    read_source,
    record_import,
    resolve_symbols,
)
from netpharm.network.tables import SCORE_EPS, PairCoverage, at_score, pair_coverage, parse_string_table
from netpharm.sources.cache import Cache, CacheEntry
from netpharm.sources.string_db import StringClient, parse_tsv

# import_request/record_import/load_import live in netpharm.network.imports; re-exported here.
__all__ = ["Network", "import_request", "record_import", "load_import", "network_from_imports",
           "network_from_api", "graph_from_edges", "fetch_ppi_enrichment", "resolve_symbols"]

log = logging.getLogger(__name__)
_EPS = SCORE_EPS


@dataclass
class Network:
    """The analysed network and everything known about its completeness.

    Attributes
    ----------
    targets : list of str
        The query symbols, in input order.
    graph : nx.Graph
        Simple graph at ``required_score``: nodes are the covered targets (isolates
        included when they are known to have no edge), edges carry ``score``.
    edges : DataFrame
        Every known interaction among the covered targets at any score present in the data
        (for cut-off stability), normalised columns of :mod:`netpharm.network.tables`.
    coverage : PairCoverage
    multiplicity : dict
        Times each pair was listed in its source (for Cytoscape's duplicated-edge Degree).
    lowest_known_score : float
        Lowest score (0–1) at which every pair among the covered targets is known.
    sources : list of dict
        Provenance of each data source (cache entries or imported files).
    string_version : str
    required_score : int
    symbol_matches : dict
        Query symbol -> the STRING name it matched case-insensitively (only those that differ).
    version_rule : str
        The rule applied when several imports were combined.
    partial_columns : dict
        Import label -> columns that are not real in it (left empty in the edge table).
    query_audit : DataFrame or None
        Imports with a declared query against their exports (``QUERY_AUDIT_COLUMNS``); ``None``
        when no import declares a query.
    reference_sources : list of dict
        Provenance of the ``network.reference_imports`` consulted for ``query_audit`` only.
    """

    targets: list[str]
    graph: nx.Graph
    edges: pd.DataFrame
    coverage: PairCoverage
    multiplicity: dict[tuple[str, str], int]
    lowest_known_score: float
    sources: list[dict[str, Any]]
    string_version: str
    required_score: int
    ppi_enrichment: dict[str, str] | None = None
    notes: list[str] = field(default_factory=list)
    symbol_matches: dict[str, str] = field(default_factory=dict)
    version_rule: str = ""
    partial_columns: dict[str, list[str]] = field(default_factory=dict)
    query_audit: pd.DataFrame | None = None
    reference_sources: list[dict[str, Any]] = field(default_factory=list)

    def graph_at(self, score: int) -> nx.Graph:
        """The graph among the same nodes at another cut-off (0–1000)."""
        return graph_from_edges(list(self.graph.nodes()), self.edges, score)


def graph_from_edges(nodes: Sequence[str], edges: pd.DataFrame, required_score: int) -> nx.Graph:
    """Simple graph on ``nodes`` with the edges scoring ≥ ``required_score``/1000."""
    graph = nx.Graph()
    graph.add_nodes_from(sorted(nodes))
    kept = at_score(edges, required_score)
    keep = kept[kept["name_a"].isin(nodes) & kept["name_b"].isin(nodes)]
    for row in keep.itertuples(index=False):
        graph.add_edge(row.name_a, row.name_b, score=float(row.score))
    return graph


# --------------------------------------------------------------------------
# Imports: STRING exports recorded in the cache with their provenance
# --------------------------------------------------------------------------
def network_from_imports(targets: Sequence[str], labels: Sequence[str], cache: Cache,
                         required_score: int, species: int | None = None, listing: str = "full",
                         references: Sequence[str] = ()) -> Network:
    """The target network from imported exports, with honest coverage (:mod:`netpharm.network.coverage`).

    Imports of different STRING versions are refused (:data:`~netpharm.network.imports.VERSION_RULE`);
    imports of another species than ``species`` are refused. ``references`` (``network.reference_imports``)
    are read only to audit a declared query (:func:`~netpharm.network.coverage.query_audit`).
    """
    sources = [read_source(label, cache, species) for label in labels]
    reference_sources = [read_source(label, cache, species) for label in references]
    version = check_versions(sources)
    names = set().union(*(s.holds() for s in sources))  # a declared query's isolated proteins included
    matches = resolve_symbols(targets, names)
    resolved = list(dict.fromkeys(matches[t] for t in targets))
    merged = merge_sources(resolved, sources, required_score, listing)
    if not merged.coverage.covered_targets:
        raise NetworkError(f"none of the targets occurs in the imported data ({', '.join(labels)})")
    graph = graph_from_edges(merged.coverage.covered_targets, merged.edges, required_score)
    # Data are known down to the highest cut-off among the imports (below it, some pairs are unknown).
    lowest_known = max(s.cutoff for s in sources)
    network = Network(resolved, graph, merged.edges, merged.coverage, merged.multiplicity, lowest_known,
                      [provenance(s) for s in sources], version, required_score)
    network.symbol_matches = {t: n for t, n in matches.items() if t != n}
    if network.symbol_matches:
        log.warning("targets matched to STRING names case-insensitively: %s",
                    ", ".join(f"{t} -> {n}" for t, n in network.symbol_matches.items()))
    network.notes += [f"import {s.label!r} records no species (its STRING ids are not real); taken as the "
                      f"workflow's species {species}" for s in sources
                      if species is not None and s.entry.meta.get("species") is None]
    network.version_rule = VERSION_RULE if len(sources) > 1 else ""
    network.partial_columns = {s.label: missing_columns(s) for s in sources if missing_columns(s)}
    network.reference_sources = [provenance(s) for s in reference_sources]
    if any(s.query for s in sources):
        network.query_audit = query_audit(sources, reference_sources)
    elif reference_sources:
        network.notes.append(f"network.reference_imports ({', '.join(references)}) unused: no import declares its "
                             "query (netpharm import --query)")
    return network


# --------------------------------------------------------------------------
# STRING API
# --------------------------------------------------------------------------
def _api_edges(entry: CacheEntry, symbol_of: dict[str, str], species: int) -> pd.DataFrame:
    text = entry.text
    if not text.strip():
        return pd.DataFrame(columns=["name_a", "name_b", "score"])
    parsed = parse_string_table(text, origin=f"STRING network ({entry.meta.get('url')})", species=species)
    edges = parsed.edges.copy()
    # Name nodes by the user's query symbols (STRING's preferred names may differ).
    edges["name_a"] = [symbol_of.get(i, n) for i, n in zip(edges["string_id_a"], edges["name_a"])]
    edges["name_b"] = [symbol_of.get(i, n) for i, n in zip(edges["string_id_b"], edges["name_b"])]
    swap = edges["name_a"] > edges["name_b"]
    edges.loc[swap, ["name_a", "name_b"]] = edges.loc[swap, ["name_b", "name_a"]].to_numpy()
    return edges.sort_values(["name_a", "name_b"]).reset_index(drop=True)


def network_from_api(targets: Sequence[str], client: StringClient, required_score: int,
                     lowest_score: int | None = None, listing: str = "full") -> Network:
    """The target network from STRING's API (every pair of mapped targets is known).

    ``lowest_score`` (e.g. 150) additionally fetches the network at a lower cut-off for
    the rank-stability table; the paper's network is always fetched at ``required_score``.
    """
    mapping = client.map_identifiers(list(targets))
    ids = [mapping.string_ids[t] for t in targets]
    # A symbol differing from STRING's preferred name only in case takes STRING's spelling.
    named = {t: (mapping.preferred_names[t] if mapping.preferred_names[t].upper() == t.upper() else t)
             for t in targets}
    symbol_of = {mapping.string_ids[t]: named[t] for t in targets}
    targets = list(dict.fromkeys(named[t] for t in targets))
    main = client.network(ids, required_score=required_score)
    entries = [main]
    edges = _api_edges(main, symbol_of, client.species)
    lowest_known = required_score / 1000.0
    if lowest_score is not None and lowest_score < required_score:
        low = client.network(ids, required_score=lowest_score)
        entries.append(low)
        edges = _api_edges(low, symbol_of, client.species)
        lowest_known = lowest_score / 1000.0
    coverage = pair_coverage(list(targets), at_score(edges, required_score),
                             [(set(targets), f"STRING API answer ({client.host})")], listing=listing)
    graph = graph_from_edges(list(targets), edges, required_score)
    version_entry = _try(lambda: client.version())
    version = "12.0 (pinned host)"
    if version_entry is not None:
        entries.append(version_entry)
        version = version_entry.text.strip()
    network = Network(list(targets), graph, edges.assign(source="STRING API"), coverage, {}, lowest_known,
                      [e.provenance() for e in entries], version, required_score)
    network.symbol_matches = {t: n for t, n in named.items() if t != n}
    return network


def _try(call: Any) -> Any:
    try:
        return call()
    except (CacheMissError, FetchError) as exc:
        log.warning("%s", exc)
        return None


def fetch_ppi_enrichment(targets: Sequence[str], client: StringClient) -> tuple[dict[str, str] | None, str]:
    """STRING's PPI-enrichment answer, verbatim, or ``None`` with the reason it is missing."""
    try:
        mapping = client.map_identifiers(list(targets))
        entry = client.ppi_enrichment([mapping.string_ids[t] for t in targets])
    except CacheMissError:
        return None, "STRING PPI-enrichment p-value: not in cache (offline); run online to record it"
    except (FetchError, IdentifierMappingError) as exc:
        return None, f"STRING PPI-enrichment p-value unavailable: {exc}"
    table = parse_tsv(entry, "ppi_enrichment")
    if table.empty:
        return None, "STRING PPI-enrichment returned no rows"
    return {k: str(v) for k, v in table.iloc[0].to_dict().items()}, ""

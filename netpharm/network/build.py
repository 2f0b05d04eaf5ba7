"""Assemble the target network from STRING's API or from imported STRING exports.

Either way the result is a :class:`Network`: the graph at the required score, the
edge table with channel scores, the coverage of every target pair, and the provenance
of every piece of data used.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx
import pandas as pd

from netpharm.errors import (
    CacheMissError,
    FetchError,
    IdentifierMappingError,
    ImportFormatError,
    InputError,
    NetworkError,
)
from netpharm.io import decode_text, read_bytes_file
from netpharm.network.tables import PairCoverage, ParsedEdges, pair_coverage, parse_string_table
from netpharm.sources.cache import Cache, CacheEntry, Request, sha256_hex
from netpharm.sources.string_db import StringClient, parse_tsv

__all__ = ["Network", "import_request", "record_import", "load_import", "network_from_imports",
           "network_from_api", "graph_from_edges", "fetch_ppi_enrichment"]

log = logging.getLogger(__name__)
_EPS = 1e-9


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

    def graph_at(self, score: int) -> nx.Graph:
        """The graph among the same nodes at another cut-off (0–1000)."""
        return graph_from_edges(list(self.graph.nodes()), self.edges, score)


def graph_from_edges(nodes: Sequence[str], edges: pd.DataFrame, required_score: int) -> nx.Graph:
    """Simple graph on ``nodes`` with the edges scoring ≥ ``required_score``/1000."""
    graph = nx.Graph()
    graph.add_nodes_from(sorted(nodes))
    keep = edges[(edges["score"] >= required_score / 1000.0 - _EPS)
                 & edges["name_a"].isin(nodes) & edges["name_b"].isin(nodes)]
    for row in keep.itertuples(index=False):
        graph.add_edge(row.name_a, row.name_b, score=float(row.score))
    return graph


# --------------------------------------------------------------------------
# Imports: STRING exports recorded in the cache with their provenance
# --------------------------------------------------------------------------
def import_request(label: str) -> Request:
    """The cache request under which an import labelled ``label`` is stored."""
    if not label or any(c in label for c in "\r\n\t"):
        raise InputError(f"invalid import label {label!r}")
    return Request.make("IMPORT", f"netpharm-import:{label}", source="import")


def record_import(path: Path, cache: Cache, label: str, declared_cutoff: float | None = None,
                  declared_version: str | None = None, note: str = "", force: bool = False) -> CacheEntry:
    """Validate a STRING export/API TSV and store it verbatim in the cache under ``label``.

    Raises
    ------
    ImportFormatError
        The file is malformed (file and line named).
    InputError
        The label is taken by a different file and ``force`` is false.
    """
    path = Path(path)
    body = read_bytes_file(path, "import file", ImportFormatError)
    parsed = parse_string_table(decode_text(body, str(path), "STRING export", ImportFormatError), origin=str(path))
    request = import_request(label)
    existing = cache.get(request)
    if existing is not None and existing.sha256 != sha256_hex(body) and not force:
        raise InputError(f"import label {label!r} already holds another file ({existing.meta.get('file')}); "
                         "choose another label or pass --force")
    meta = {
        "kind": "import", "source": "import", "label": label, "file": path.name,
        "file_sha256": sha256_hex(body), "format": parsed.format, "rows": parsed.rows,
        "pairs": len(parsed.edges), "proteins": len(parsed.nodes), "duplicate_pairs": parsed.duplicate_pairs,
        "min_score": parsed.min_score, "declared_cutoff": declared_cutoff,
        "declared_version": declared_version, "note": note,
    }
    return cache.store(request.key, body, meta)


def load_import(label: str, cache: Cache) -> tuple[ParsedEdges, CacheEntry]:
    """Read back an import by label (verified sha256)."""
    entry = cache.get(import_request(label))
    if entry is None:
        raise CacheMissError(f"no import labelled {label!r} in cache {cache.root}; record it with "
                             f"`netpharm import FILE --label {label}`")
    return parse_string_table(entry.text, origin=f"import:{label} ({entry.meta.get('file')})"), entry


def network_from_imports(targets: Sequence[str], labels: Sequence[str], cache: Cache,
                         required_score: int) -> Network:
    """The target network from imported exports, with honest coverage.

    A pair absent from an export is a known non-edge only when the export's cut-off (its
    declared cut-off, else its lowest score, which bounds the cut-off from above) is at or
    below ``required_score``; otherwise, or when no export holds both proteins, it is unknown.
    """
    frames, known, sources, multiplicity, present = [], [], [], {}, set()
    lowest_known = 1.0
    for label in labels:
        parsed, entry = load_import(label, cache)
        cut = parsed.min_score
        if entry.meta.get("declared_cutoff") is not None:
            cut = min(cut, float(entry.meta["declared_cutoff"]))
        in_export = set(parsed.nodes) & set(targets)
        present |= in_export
        if cut <= required_score / 1000.0 + _EPS:
            known.append((in_export, f"export {label!r} ({entry.meta.get('file')}, cut-off ≤ {cut:.3f})"))
            lowest_known = min(lowest_known, cut)
        frames.append(parsed.edges.assign(source=f"import:{label}"))
        multiplicity.update({k: v for k, v in parsed.multiplicity.items() if k not in multiplicity})
        sources.append(entry.provenance())
    edges = pd.concat(frames).drop_duplicates(["name_a", "name_b"], keep="first")
    edges = edges[edges["name_a"].isin(targets) & edges["name_b"].isin(targets)].reset_index(drop=True)
    coverage = pair_coverage(list(targets), edges[edges["score"] >= required_score / 1000.0 - _EPS], known, present)
    if not coverage.covered_targets:
        raise NetworkError(f"none of the targets occurs in the imported data ({', '.join(labels)})")
    graph = graph_from_edges(coverage.covered_targets, edges, required_score)
    versions = sorted({str(s.get("declared_version")) for s in sources if s.get("declared_version")})
    return Network(list(targets), graph, edges, coverage, multiplicity, lowest_known, sources,
                   " / ".join(versions) or "not recorded in the export", required_score)


# --------------------------------------------------------------------------
# STRING API
# --------------------------------------------------------------------------
def _api_edges(entry: CacheEntry, symbol_of: dict[str, str]) -> pd.DataFrame:
    text = entry.text
    if not text.strip():
        return pd.DataFrame(columns=["name_a", "name_b", "score"])
    parsed = parse_string_table(text, origin=f"STRING network ({entry.meta.get('url')})")
    edges = parsed.edges.copy()
    # Name nodes by the user's query symbols (STRING's preferred names may differ).
    edges["name_a"] = [symbol_of.get(i, n) for i, n in zip(edges["string_id_a"], edges["name_a"])]
    edges["name_b"] = [symbol_of.get(i, n) for i, n in zip(edges["string_id_b"], edges["name_b"])]
    swap = edges["name_a"] > edges["name_b"]
    edges.loc[swap, ["name_a", "name_b"]] = edges.loc[swap, ["name_b", "name_a"]].to_numpy()
    return edges.sort_values(["name_a", "name_b"]).reset_index(drop=True)


def network_from_api(targets: Sequence[str], client: StringClient, required_score: int,
                     lowest_score: int | None = None) -> Network:
    """The target network from STRING's API (every pair of mapped targets is known).

    ``lowest_score`` (e.g. 150) additionally fetches the network at a lower cut-off for
    the rank-stability table; the paper's network is always fetched at ``required_score``.
    """
    mapping = client.map_identifiers(list(targets))
    ids = [mapping.string_ids[t] for t in targets]
    symbol_of = {mapping.string_ids[t]: t for t in targets}
    main = client.network(ids, required_score=required_score)
    entries = [main]
    edges = _api_edges(main, symbol_of)
    lowest_known = required_score / 1000.0
    if lowest_score is not None and lowest_score < required_score:
        low = client.network(ids, required_score=lowest_score)
        entries.append(low)
        edges = _api_edges(low, symbol_of)
        lowest_known = lowest_score / 1000.0
    coverage = pair_coverage(list(targets), edges[edges["score"] >= required_score / 1000.0 - _EPS],
                             [(set(targets), f"STRING API answer ({client.host})")])
    graph = graph_from_edges(list(targets), edges, required_score)
    version_entry = _try(lambda: client.version())
    version = "12.0 (pinned host)"
    if version_entry is not None:
        entries.append(version_entry)
        version = version_entry.text.strip()
    return Network(list(targets), graph, edges.assign(source="STRING API"), coverage, {}, lowest_known,
                   [e.provenance() for e in entries], version, required_score)


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

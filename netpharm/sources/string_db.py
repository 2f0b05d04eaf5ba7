"""STRING v12 API client, every call through the project cache.

Conventions (``shared/reference/network-spec.md`` §3): pinned host
``https://version-12-0.string-db.org/api``; POST; identifiers joined by ``\\r``
(``%0d`` once form-encoded); ``species``, ``required_score``, ``network_type``,
``add_nodes`` and ``caller_identity`` always sent; ~1 s between calls (the HTTP
layer paces). Bodies are stored exactly as returned.

References
----------
Szklarczyk D. et al. (2023) The STRING database in 2023. Nucleic Acids Res 51:D638–D646.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from netpharm.errors import FetchError, IdentifierMappingError
from netpharm.sources.cache import Cache, CacheEntry, Request
from netpharm.sources.constants import STRING_API
from netpharm.sources.http import HttpClient

__all__ = ["StringClient", "IdMapping", "parse_tsv"]

log = logging.getLogger(__name__)


def parse_tsv(entry: CacheEntry, what: str) -> pd.DataFrame:
    """Parse a STRING TSV body; an error body or empty answer raises :class:`FetchError`."""
    text = entry.text
    if not text.strip():
        return pd.DataFrame()
    if text.lstrip().startswith(("<", "{\"Error", "Error")):
        raise FetchError(f"STRING {what} returned an error body: {text[:200]!r}")
    return pd.read_csv(io.StringIO(text), sep="\t", dtype=str, keep_default_na=False)


@dataclass(frozen=True)
class IdMapping:
    """Gene symbols mapped to STRING ids."""

    string_ids: dict[str, str]          # query symbol -> STRING id
    preferred_names: dict[str, str]     # query symbol -> STRING preferred name
    annotation: dict[str, str]


class StringClient:
    """Cached client for the STRING v12 API.

    Parameters
    ----------
    cache : Cache
    http : HttpClient
    host : str
        Versioned API base URL (default: version 12.0).
    species : int
        NCBI taxon id (the workflow's ``species``; no default, so no call silently asks for
        human), sent with every call.
    caller_identity : str
        Sent with every call, as STRING asks.
    required_score : int
        0–1000 cut-off (400 = medium confidence).
    network_type : str
        ``functional`` or ``physical``.
    add_nodes : int
        Interactors STRING may add (0 = exactly the query).
    """

    def __init__(self, cache: Cache, http: HttpClient | None = None, host: str = STRING_API, *,
                 species: int, caller_identity: str = "netpharm", required_score: int = 400,
                 network_type: str = "functional", add_nodes: int = 0) -> None:
        self.cache = cache
        self.http = http or HttpClient()
        self.host = host.rstrip("/")
        self.species = species
        self.caller_identity = caller_identity
        self.required_score = required_score
        self.network_type = network_type
        self.add_nodes = add_nodes

    # -- plumbing ----------------------------------------------------------------
    def request(self, method: str, fmt: str = "tsv", **params: object) -> Request:
        """The canonical request for ``method`` (what the cache key is made of)."""
        base = {"species": self.species, "caller_identity": self.caller_identity}
        base.update({k: v for k, v in params.items() if v is not None})
        return Request.make("POST", f"{self.host}/{fmt}/{method}", base, source="string")

    def _call(self, method: str, fmt: str = "tsv", **params: object) -> CacheEntry:
        log.info("STRING %s", method)
        return self.cache.fetch(self.request(method, fmt, **params), self._download)

    def _download(self, request: Request) -> tuple[bytes, dict[str, object]]:
        log.info("STRING: not cached, asking %s", request.url)
        body, meta = self.http.send(request)
        meta["string_version_requested"] = self.host
        return body, meta

    def _network_params(self, identifiers: Sequence[str], required_score: int | None = None) -> dict[str, Any]:
        return {
            "identifiers": "\r".join(identifiers),
            "required_score": self.required_score if required_score is None else required_score,
            "network_type": self.network_type,
            "add_nodes": self.add_nodes,
        }

    # -- endpoints ---------------------------------------------------------------
    def version(self) -> CacheEntry:
        """``/json/version``: the STRING version and stable address actually served."""
        request = Request.make("POST", f"{self.host}/json/version",
                               {"caller_identity": self.caller_identity}, source="string")
        return self.cache.fetch(request, self._download)

    def get_string_ids(self, symbols: Sequence[str]) -> CacheEntry:
        """Raw ``get_string_ids`` answer (up to 5 candidates per symbol, to detect ambiguity)."""
        return self._call("get_string_ids", identifiers="\r".join(symbols), limit=5, echo_query=1)

    def map_identifiers(self, symbols: Sequence[str]) -> IdMapping:
        """Map symbols to STRING ids; unknown or ambiguous symbols raise, listing them all.

        A symbol is accepted when STRING returns exactly one candidate, or when exactly one
        candidate's preferred name equals the symbol (case-insensitive).
        """
        table = parse_tsv(self.get_string_ids(symbols), "get_string_ids")
        unknown, ambiguous = [], []
        ids, names, notes = {}, {}, {}
        for symbol in symbols:
            rows = table[table["queryItem"] == symbol] if not table.empty else table
            if rows.empty:
                unknown.append(symbol)
                continue
            exact = rows[rows["preferredName"].str.upper() == symbol.upper()]
            pick = rows if len(rows) == 1 else exact
            if len(pick) != 1:
                ambiguous.append(f"{symbol}: " + ", ".join(
                    f"{r.preferredName} ({r.stringId})" for r in rows.itertuples()))
                continue
            row = pick.iloc[0]
            taxon = str(row.get("ncbiTaxonId", "")).strip()
            if taxon and taxon != str(self.species):
                unknown.append(f"{symbol} (STRING answered taxon {taxon})")
                continue
            ids[symbol], names[symbol] = row["stringId"], row["preferredName"]
            notes[symbol] = row.get("annotation", "")
        problems = []
        if unknown:
            problems.append(f"unknown to STRING (species {self.species}): {', '.join(unknown)}")
        if ambiguous:
            problems.append("ambiguous — candidates: " + "; ".join(ambiguous))
        if problems:
            raise IdentifierMappingError("; ".join(problems))
        return IdMapping(ids, names, notes)

    def network(self, string_ids: Sequence[str], required_score: int | None = None) -> CacheEntry:
        """Raw ``network`` TSV among exactly ``string_ids`` (add_nodes as configured)."""
        return self._call("network", **self._network_params(string_ids, required_score))

    def ppi_enrichment(self, string_ids: Sequence[str]) -> CacheEntry:
        """Raw ``ppi_enrichment`` TSV (observed vs expected edges, p-value) — STRING's numbers."""
        return self._call("ppi_enrichment", **self._network_params(string_ids))

    def enrichment(self, string_ids: Sequence[str], background: Sequence[str] | None = None) -> CacheEntry:
        """Raw functional ``enrichment`` TSV (STRING's hypergeometric test, BH FDR per category)."""
        params: dict[str, str] = {"identifiers": "\r".join(string_ids)}
        if background:
            params["background_string_identifiers"] = "\r".join(background)
        return self._call("enrichment", **params)

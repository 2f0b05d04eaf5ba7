"""Configuration of the network stage (STRING acquisition and topology)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from netpharm.errors import ConfigError
from netpharm.sources.constants import STRING_API

__all__ = ["NetworkConfig"]


@dataclass(frozen=True)
class NetworkConfig:
    """How the protein–protein network is obtained.

    Attributes
    ----------
    source : {"api", "import"}
        ``api`` asks STRING's v12 API (through the cache); ``import`` uses STRING
        exports previously recorded with ``netpharm import`` (named in ``imports``).
    imports : list of str
        Labels of imported STRING exports/API TSVs in the cache.
    required_score : int
        STRING combined-score cut-off, 0–1000 (400 = medium confidence, the paper's).
    network_type : {"functional", "physical"}
    add_nodes : int
        Interactors STRING may add (0 = exactly the query proteins, the paper's).
    caller_identity : str
        Sent to STRING with every call, as its API asks.
    string_host : str
        Pinned, versioned STRING API base URL.
    ppi_enrichment : bool
        Also ask STRING for the PPI-enrichment p-value (online or cached).
    stability_cutoffs : list of int
        Score cut-offs at which hub ranks are recomputed (rank stability table).
    bootstrap : int
        Number of edge-bootstrap resamples for rank stability (0 = off).
    bootstrap_seed : int
    coverage : {"auto", "full", "compact"}
        ``network/coverage.tsv``: ``full`` lists every target pair (n (n − 1) / 2 rows);
        ``compact`` lists the pairs some source lists and counts the others per target in
        ``network/coverage_targets.tsv``; ``auto`` (default) is full up to 2,000 targets.

    Notes
    -----
    A pair listed twice (STRING full exports list A–B and B–A) is always one edge of the
    simple graph NetworkAnalyzer's measures use; this is not an option. The degree counting
    duplicates, what Cytoscape shows for such an import, is reported as ``DegreeWithDuplicates``.
    """

    source: Literal["api", "import"] = "api"
    imports: tuple[str, ...] = ()
    required_score: int = 400
    network_type: Literal["functional", "physical"] = "functional"
    add_nodes: int = 0
    caller_identity: str = "netpharm"
    string_host: str = STRING_API
    ppi_enrichment: bool = True
    stability_cutoffs: tuple[int, ...] = (150, 400, 700, 900)
    bootstrap: int = 100
    bootstrap_seed: int = 20240401
    coverage: Literal["auto", "full", "compact"] = "auto"

    def __post_init__(self) -> None:
        if not 0 <= self.required_score <= 1000:
            raise ConfigError(f"network.required_score must be 0–1000, got {self.required_score}")
        if self.add_nodes < 0:
            raise ConfigError("network.add_nodes must be >= 0")
        if self.source == "import" and not self.imports:
            raise ConfigError("network.source = 'import' needs network.imports (labels from `netpharm import`)")
        if not self.string_host.startswith("https://"):
            raise ConfigError("network.string_host must be an https:// URL (TLS verification stays on)")
        if any(not 0 <= c <= 1000 for c in self.stability_cutoffs):
            raise ConfigError("network.stability_cutoffs must be within 0–1000")
        if self.bootstrap < 0:
            raise ConfigError("network.bootstrap must be >= 0")

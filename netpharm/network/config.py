"""Configuration of the network stage (STRING acquisition and topology)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from netpharm.errors import ConfigError
from netpharm.sources.constants import STRING_API

__all__ = ["NetworkConfig", "McodeConfig"]


@dataclass(frozen=True)
class McodeConfig:
    """MCODE's parameters (``[network.mcode]``), named and defaulted as in Cytoscape's MCODE app.

    Bader & Hogue 2003, BMC Bioinformatics 4:2; see :mod:`netpharm.graphs.mcode`.

    Attributes
    ----------
    degree_cutoff : int
        A node scores only when its neighbourhood (degree + 1) is larger than this (app: 2).
    node_score_cutoff : float
        A neighbour joins a growing complex when its score is within this fraction of the seed's (app: 0.2).
    haircut : bool
        Keep each complex's 2-core (app: on).
    fluff : bool
        Add unseen neighbours whose neighbourhood density is above ``fluff_node_density_cutoff`` (app: off).
    fluff_node_density_cutoff : float
        App: 0.1.
    k_core : int
        Drop complexes without a k-core of this k (app: 2).
    max_depth : int
        How far from the seed a complex grows (app: 100).
    include_loops : bool
        Count self-loops in densities and degrees (app: off).
    """

    degree_cutoff: int = 2
    node_score_cutoff: float = 0.2
    haircut: bool = True
    fluff: bool = False
    fluff_node_density_cutoff: float = 0.1
    k_core: int = 2
    max_depth: int = 100
    include_loops: bool = False

    def __post_init__(self) -> None:
        if self.degree_cutoff < 0:
            raise ConfigError("network.mcode.degree_cutoff must be >= 0")
        if not 0.0 <= self.node_score_cutoff <= 1.0:
            raise ConfigError("network.mcode.node_score_cutoff must be within [0, 1]")
        if not 0.0 <= self.fluff_node_density_cutoff <= 1.0:
            raise ConfigError("network.mcode.fluff_node_density_cutoff must be within [0, 1]")
        if self.k_core < 1:
            raise ConfigError("network.mcode.k_core must be >= 1")
        if self.max_depth < 1:
            raise ConfigError("network.mcode.max_depth must be >= 1")


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
    reference_imports : list of str
        Labels of other STRING exports in the cache consulted **only** to audit an import's declared
        query (``netpharm import --query``): a queried protein absent from the export although a
        reference lists it with an exported protein at or above the export's cut-off goes into
        ``network/query_audit.tsv`` and the audit. Never added to the network nor to its coverage
        (another study's export holds other proteins and possibly another STRING version; the audit
        row says which version each declares).
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
    mcode : McodeConfig
        MCODE module finding (``[network.mcode]``), the app's defaults.

    Notes
    -----
    A pair listed twice (STRING full exports list A–B and B–A) is always one edge of the
    simple graph NetworkAnalyzer's measures use; this is not an option. The degree counting
    duplicates, what Cytoscape shows for such an import, is reported as ``DegreeWithDuplicates``.
    """

    source: Literal["api", "import"] = "api"
    imports: tuple[str, ...] = ()
    reference_imports: tuple[str, ...] = ()
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
    mcode: McodeConfig = field(default_factory=McodeConfig)

    def __post_init__(self) -> None:
        if not 0 <= self.required_score <= 1000:
            raise ConfigError(f"network.required_score must be 0–1000, got {self.required_score}")
        if self.add_nodes < 0:
            raise ConfigError("network.add_nodes must be >= 0")
        if self.source == "import" and not self.imports:
            raise ConfigError("network.source = 'import' needs network.imports (labels from `netpharm import`)")
        if self.reference_imports and self.source != "import":
            raise ConfigError("network.reference_imports audits an import's declared query: it needs "
                              "network.source = 'import'")
        both = sorted(set(self.reference_imports) & set(self.imports))
        if both:
            raise ConfigError(f"network.reference_imports: {', '.join(both)} is also in network.imports "
                              "(an import is either the network's data or a reference, not both)")
        if not self.string_host.startswith("https://"):
            raise ConfigError("network.string_host must be an https:// URL (TLS verification stays on)")
        if any(not 0 <= c <= 1000 for c in self.stability_cutoffs):
            raise ConfigError("network.stability_cutoffs must be within 0–1000")
        if self.bootstrap < 0:
            raise ConfigError("network.bootstrap must be >= 0")

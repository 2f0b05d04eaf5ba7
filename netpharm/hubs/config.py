"""Configuration of cytoHubba-style hub ranking; every convention is a recorded parameter."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from netpharm.errors import ConfigError

__all__ = ["HubsConfig", "ALL_METHODS", "CYTONCA_MEASURES"]

ALL_METHODS: tuple[str, ...] = (
    "MCC", "DMNC", "MNC", "Degree", "EPC", "BottleNeck", "EcCentricity",
    "Closeness", "Radiality", "Betweenness", "Stress", "ClusteringCoefficient",
)
#: CytoNCA's six unweighted measures (Tang et al. 2015), named as its result panel names them
#: (``ParameterSet.java``): Degree, Betweenness, Closeness, Eigenvector, LAC, Network (NC).
CYTONCA_MEASURES: tuple[str, ...] = ("Degree", "Betweenness", "Closeness", "Eigenvector", "LAC", "Network")


@dataclass(frozen=True)
class HubsConfig:
    """cytoHubba conventions (Chin et al. 2014), see ``shared/reference/network-spec.md`` §1.

    Attributes
    ----------
    methods : list of str
        Methods to compute, MCC first by default (all 12).
    top_n : int
        Top-N cut; every node tied at the boundary is included and flagged.
    dmnc_epsilon : float
        DMNC exponent ε (cytoHubba: 1.7).
    epc_runs, epc_threshold, epc_seed : int, float, int
        EPC Monte-Carlo: number of reduced networks, edge-removal threshold (an edge is
        removed when its U(0,1) draw is below it), and the RNG seed. The default 0.92 (each
        edge kept with probability 0.08) is the removal probability that reproduces cytoHubba's
        printed EPC on a real 135-node session within Monte-Carlo error (``tests/test_cytohubba_table.py``);
        the documented 0.5 gives numbers far above cytoHubba's. cytoHubba itself draws 1,000
        networks, unseeded, so two cytoHubba runs disagree by about ±0.7 per node there and
        their top 10 differ at the cut; netpharm draws 20,000 by default (standard error
        ≈ 0.16 there, 0.16 s) to estimate the expectation every cytoHubba run scatters around:
        its top 10 then equals the published one on 10 of 10 seeds tried, where 1,000 runs
        put TLR4 (cytoHubba's 6th) 12th. ``epc_runs = 0`` (default) is that rule with a time
        budget: 20,000 runs up to 1,000 edges, then 2·10⁷ edge draws in all, never fewer than
        cytoHubba's 1,000 (:func:`netpharm.hubs.percolation.auto_runs`; the runs used are
        recorded); ``epc_runs = 1000`` gives cytoHubba's own precision.
    epc_scale : {"mean", "runs_per_node"}
        ``"mean"`` (cytoHubba's numbers): the mean size of v's component over the reduced
        networks; ``"runs_per_node"``: the documented formula's (1/|V|) Σ_k |comp_k(v)|.
    bottleneck_mode : {"bfs_tree", "all_paths"}
        One BFS shortest-path tree per source (cytoHubba's wording) or all shortest paths
        (centiserve).
    bottleneck_strict : bool
        ``>`` |V(T_s)|/4 (cytoHubba paper) instead of ``>=`` (Hubba 2008).
    bottleneck_self : bool
        The source counts itself (cytoHubba: every node scores at least 1).
    path_pairs : {"ordered", "unordered"}
        Betweenness and Stress summed over ordered pairs (s, t), as cytoHubba prints them, or
        over unordered pairs (half; networkx's ``betweenness_centrality(normalized=False)``).
    radiality_self : bool
        Radiality's sum includes w = v (cytoHubba's numbers: (Δ+1)/(n−1) more).
    cytonca_rounds : int
        CytoNCA core-target selection (``network/core_targets.tsv``): how many rounds of the
        median rule to apply, each on the subnetwork of the previous round's core (1 = once,
        on the whole network; many papers apply it twice).
    cytonca_measures : list of str
        The CytoNCA measures a core target must reach the median of (default: all six of
        :data:`CYTONCA_MEASURES`).
    """

    methods: tuple[str, ...] = ALL_METHODS
    top_n: int = 10
    dmnc_epsilon: float = 1.7
    epc_runs: int = 0
    epc_threshold: float = 0.92
    epc_seed: int = 12345
    epc_scale: Literal["mean", "runs_per_node"] = "mean"
    bottleneck_mode: Literal["bfs_tree", "all_paths"] = "bfs_tree"
    bottleneck_strict: bool = True
    bottleneck_self: bool = True
    path_pairs: Literal["ordered", "unordered"] = "ordered"
    radiality_self: bool = True
    cytonca_rounds: int = 1
    cytonca_measures: tuple[str, ...] = CYTONCA_MEASURES

    def __post_init__(self) -> None:
        bad = [m for m in self.methods if m not in ALL_METHODS]
        if bad:
            raise ConfigError(f"hubs.methods: unknown method(s) {bad}; choose from {list(ALL_METHODS)}")
        if self.top_n < 1:
            raise ConfigError("hubs.top_n must be >= 1")
        if not 0.0 <= self.epc_threshold <= 1.0:
            raise ConfigError("hubs.epc_threshold must be within [0, 1]")
        if self.epc_scale not in ("mean", "runs_per_node"):
            raise ConfigError(f"hubs.epc_scale must be 'mean' or 'runs_per_node', got {self.epc_scale!r}")
        if self.path_pairs not in ("ordered", "unordered"):
            raise ConfigError(f"hubs.path_pairs must be 'ordered' or 'unordered', got {self.path_pairs!r}")
        if self.epc_runs < 0:
            raise ConfigError("hubs.epc_runs must be >= 0 (0 = automatic)")
        if self.cytonca_rounds < 1:
            raise ConfigError("hubs.cytonca_rounds must be >= 1")
        odd = [m for m in self.cytonca_measures if m not in CYTONCA_MEASURES]
        if odd or not self.cytonca_measures or len(set(self.cytonca_measures)) != len(self.cytonca_measures):
            raise ConfigError(f"hubs.cytonca_measures: unknown, repeated or no measure(s) {odd}; "
                              f"choose from {list(CYTONCA_MEASURES)}")

"""Ranking nodes by the 12 cytoHubba methods, ties shared, top-N with every boundary tie."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from numbers import Integral, Real
from typing import TYPE_CHECKING, Any

import networkx as nx

from netpharm.graphs.paths import PathStats, path_stats
from netpharm.hubs import local, paths
from netpharm.hubs.config import HubsConfig
from netpharm.hubs.percolation import EPCResult, epc

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["competition_rank", "top_n", "HubRanking", "rank_hubs"]


def competition_rank(scores: Mapping[str, float]) -> dict[str, int]:
    """rank(v) = 1 + |{u : F(u) > F(v)}| (ties share a rank: 1, 1, 1, 4...).

    Examples
    --------
    >>> competition_rank({"a": 5, "b": 4, "c": 4, "d": 1})
    {'a': 1, 'b': 2, 'c': 2, 'd': 4}
    """
    keys = {v: _tie_key(s) for v, s in scores.items()}
    ordered = sorted(keys.values(), reverse=True)
    first: dict[Any, int] = {}
    for position, value in enumerate(ordered, start=1):
        first.setdefault(value, position)
    return {v: first[k] for v, k in keys.items()}


def _tie_key(value: float) -> float:
    """Value compared for ties: floats to 12 significant digits, integers exactly.

    Path sums (Betweenness, Closeness, Radiality) reach equal true values by different
    summation orders, so symmetric nodes can differ in the last bits (e.g. every node of
    a circular ladder graph); exact float comparison would split such ties. MCC stays an
    exact integer (it can exceed 2**53).
    """
    return float(f"{value:.12g}") if isinstance(value, float) else value


def top_n(scores: Mapping[str, float], n: int) -> tuple[list[str], bool]:
    """Every node with rank ≤ n (so possibly more than n), sorted by rank then name,
    and whether a tie crosses the boundary (cytoHubba's own top-N cuts through it)."""
    ranks = competition_rank(scores)
    chosen = sorted((v for v, r in ranks.items() if r <= n), key=lambda v: (ranks[v], v))
    return chosen, len(chosen) > n


@dataclass
class HubRanking:
    """Scores and ranks of every node by each requested method, plus the conventions used."""

    scores: dict[str, dict[str, float]]
    ranks: dict[str, dict[str, int]]
    top: dict[str, list[str]]
    tie_at_boundary: dict[str, bool]
    epc: EPCResult | None
    parameters: dict[str, Any] = field(default_factory=dict)

    def score_table(self) -> pd.DataFrame:
        """``name`` + one column per method (cytoHubba names) + ``<Method>_rank``."""
        import pandas as pd

        return pd.DataFrame(self.score_columns())

    def score_columns(self) -> dict[str, list[Any]]:
        """:meth:`score_table`'s columns as lists (no pandas: ``netpharm network`` writes them directly)."""
        names = sorted(next(iter(self.scores.values())).keys()) if self.scores else []
        columns: dict[str, list[Any]] = {"name": names}
        for method in self.scores:
            columns[method] = _as_pandas_column([self.scores[method][v] for v in names])
        for method in self.ranks:
            columns[f"{method}_rank"] = [self.ranks[method][v] for v in names]
        if self.epc is not None and "EPC" in self.scores:
            columns["EPC_std_error"] = [self.epc.std_error[v] for v in names]
        return columns

    def top_table(self) -> pd.DataFrame:
        import pandas as pd

        return pd.DataFrame(self.top_columns())

    def top_columns(self) -> dict[str, list[Any]]:
        """:meth:`top_table`'s columns: method, rank, name, score, tied_at_boundary (one row per top node)."""
        rows = [(method, self.ranks[method][v], v, self.scores[method][v], self.tie_at_boundary[method])
                for method, chosen in self.top.items() for v in chosen]
        names = ("method", "rank", "name", "score", "tied_at_boundary")
        columns = {name: [row[i] for row in rows] for i, name in enumerate(names)}
        columns["score"] = _as_pandas_column(columns["score"])
        return columns


def _as_pandas_column(values: list[Any]) -> list[Any]:
    """Integers next to floats become floats, as pandas stores such a column (float64), so the
    written table is the same with and without pandas (e.g. MCC's integer scores in the
    ``score`` column of top_hubs.tsv, next to Betweenness' floats, are written ``12.0``). An integer
    beyond int64 (MCC of a large clique: 10^37 on the 461-node export) makes pandas keep every value
    as it is (object column), and so does this."""
    numeric = all(isinstance(v, (Integral, Real)) and not isinstance(v, bool) for v in values)
    fits = all(-2**63 <= int(v) < 2**63 for v in values if isinstance(v, Integral))
    if numeric and fits and any(not isinstance(v, Integral) for v in values):
        return [float(v) for v in values]
    return values


def _method_table(graph: nx.Graph, config: HubsConfig, stats: PathStats) -> dict[str, Callable[[], Mapping[str, float]]]:
    components: dict[str, tuple[int, int]] = {}

    def shared_components() -> dict[str, tuple[int, int]]:
        if not components:
            components.update(local.neighbourhood_components(graph))
        return components

    return {
        "MCC": lambda: local.mcc(graph),
        "DMNC": lambda: local.dmnc(graph, config.dmnc_epsilon, shared_components()),
        "MNC": lambda: local.mnc(graph, shared_components()),
        "Degree": lambda: local.degree(graph),
        "BottleNeck": lambda: paths.bottleneck(graph, stats, count_self=config.bottleneck_self),
        "EcCentricity": lambda: paths.eccentricity(graph, stats),
        "Closeness": lambda: paths.closeness(graph, stats),
        "Radiality": lambda: paths.radiality(graph, stats, config.radiality_self),
        "Betweenness": lambda: paths.betweenness(graph, stats, config.path_pairs == "ordered"),
        "Stress": lambda: paths.stress(graph, stats, config.path_pairs == "ordered"),
        "ClusteringCoefficient": lambda: local.clustering_coefficient(graph),
    }


def rank_hubs(graph: nx.Graph, config: HubsConfig | None = None, stats: PathStats | None = None) -> HubRanking:
    """Score and rank every node by ``config.methods`` (default: all 12, MCC first).

    Parameters
    ----------
    graph : nx.Graph
        Simple undirected graph.
    config : HubsConfig
        Conventions: DMNC ε, EPC runs/threshold/seed, BottleNeck mode/strictness, top-N.
    stats : PathStats, optional
        A :func:`~netpharm.graphs.paths.path_stats` result computed with the same
        BottleNeck settings (reused from the topology step).
    """
    config = config or HubsConfig()
    stats = stats or path_stats(graph, bottleneck_mode=config.bottleneck_mode,
                                bottleneck_strict=config.bottleneck_strict)
    methods = _method_table(graph, config, stats)
    scores: dict[str, dict[str, float]] = {}
    epc_result = None
    for method in config.methods:
        if method == "EPC":
            epc_result = epc(graph, config.epc_runs, config.epc_threshold, config.epc_seed, config.epc_scale)
            scores[method] = epc_result.scores
        else:
            scores[method] = dict(methods[method]())
    ranks = {m: competition_rank(s) for m, s in scores.items()}
    tops = {m: top_n(s, config.top_n) for m, s in scores.items()}
    parameters = {
        "methods": list(config.methods), "top_n": config.top_n, "dmnc_epsilon": config.dmnc_epsilon,
        "epc_runs": epc_result.runs if epc_result else config.epc_runs,
        "epc_runs_rule": "automatic (auto_runs)" if config.epc_runs == 0 else "configured", "epc_threshold": config.epc_threshold, "epc_seed": config.epc_seed,
        "epc_scale": config.epc_scale, "epc_rng": epc_result.rng if epc_result else None,
        "bottleneck_mode": config.bottleneck_mode, "bottleneck_strict": config.bottleneck_strict,
        "bottleneck_self": config.bottleneck_self, "mcc_isolates": 0, "ties": "competition ranking (1,1,1,4); top-N includes every boundary tie",
        "closeness": "harmonic sum (cytoHubba), not NetworkAnalyzer's 1/ASPL",
        "betweenness_stress_pairs": f"{config.path_pairs} pairs"
                                    + (" (cytoHubba's numbers)" if config.path_pairs == "ordered" else " (half of cytoHubba's)"),
        "radiality": ("sum over reachable w including v (cytoHubba's numbers)" if config.radiality_self
                      else "sum over reachable w != v") + ", diameter and size of v's component",
    }
    return HubRanking(scores, ranks, {m: t[0] for m, t in tops.items()},
                      {m: t[1] for m, t in tops.items()}, epc_result, parameters)

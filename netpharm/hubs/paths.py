"""cytoHubba's shortest-path ("global") methods: BottleNeck, EcCentricity, Closeness,
Radiality, Betweenness, Stress.

Each takes the graph (and optionally precomputed :class:`~netpharm.graphs.paths.PathStats`,
which one compiled BFS pass provides for all of them) and returns ``dict[node, score]``.
Path quantities are taken within each connected component (spec §1.0, §1.3). The defaults
are cytoHubba's printed conventions, checked on a real 135-node session
(``tests/test_cytohubba_table.py``): Betweenness and Stress over ordered pairs, Radiality with
the self term, BottleNeck counting its source; the other forms by name.

References
----------
Chin C.-H. et al. (2014) cytoHubba. BMC Syst Biol 8(Suppl 4):S11.
Lin C.-Y. et al. (2008) Hubba. Nucleic Acids Res 36:W438–W443.
"""

from __future__ import annotations

import networkx as nx
import numpy as np

from netpharm.graphs.paths import PathStats, component_max, path_stats

__all__ = ["bottleneck", "eccentricity", "closeness", "radiality", "betweenness", "stress"]


def _stats(graph: nx.Graph, paths: PathStats | None) -> PathStats:
    return paths if paths is not None else path_stats(graph)


def bottleneck(graph: nx.Graph, paths: PathStats | None = None, mode: str = "bfs_tree",
               strict: bool = True, count_self: bool = True) -> dict[str, int]:
    """BottleNeck: BN(v) = Σ_s [more than |V(T_s)|/4 paths of T_s meet at v].

    ``mode="bfs_tree"`` counts the nodes of v's subtree (v included) in one BFS
    shortest-path tree T_s per source; ``"all_paths"`` counts v's occurrences over all
    shortest paths from s (centiserve). ``strict`` uses ``>`` (cytoHubba) not ``>=`` (Hubba).
    ``count_self``: the source's own tree counts (s = v; cytoHubba prints at least 1 for every
    node), otherwise only s ≠ v. ``paths`` must have been computed with the same mode and strictness.

    cytoHubba's values depend on which parent its tree keeps among several; that rule is not
    known (neighbours in sorted name order here), so this column is close to, not equal to,
    cytoHubba's.
    """
    stats = paths if paths is not None else path_stats(graph, bottleneck_mode=mode, bottleneck_strict=strict)
    own = np.asarray(stats.component_size) > 0 if count_self else np.zeros(len(stats.nodes), dtype=bool)
    return {n: int(v) + int(o) for n, v, o in zip(stats.nodes, stats.bottleneck, own)}


def eccentricity(graph: nx.Graph, paths: PathStats | None = None) -> dict[str, float]:
    """EcCentricity: 1 / max_{w reachable} d(v, w); 0 for isolates (reciprocal: higher = central)."""
    stats = _stats(graph, paths)
    return {n: (1.0 / e if e > 0 else 0.0) for n, e in zip(stats.nodes, stats.ecc)}


def closeness(graph: nx.Graph, paths: PathStats | None = None) -> dict[str, float]:
    """Closeness (cytoHubba): Σ_{w≠v} 1/d(v, w), the unnormalised harmonic sum
    (= ``nx.harmonic_centrality``; NOT NetworkAnalyzer's ClosenessCentrality)."""
    stats = _stats(graph, paths)
    return {n: float(h) for n, h in zip(stats.nodes, stats.harmonic)}


def radiality(graph: nx.Graph, paths: PathStats | None = None, include_self: bool = True) -> dict[str, float]:
    """Radiality: Σ_w (Δ_c + 1 − d(v, w)) / (n_c − 1) over the w reachable from v, with the
    diameter Δ_c and size n_c of v's component; 0 for isolates.

    ``include_self=True`` (cytoHubba's printed numbers) sums over w = v too, adding
    (Δ_c + 1)/(n_c − 1); ``False`` is the spec's sum over w ≠ v.
    """
    stats = _stats(graph, paths)
    diameter = component_max(np.asarray(stats.ecc), stats.component)
    terms = stats.reach + 1 if include_self else stats.reach
    with np.errstate(divide="ignore", invalid="ignore"):
        values = np.where(stats.component_size > 1,
                          ((diameter + 1.0) * terms - stats.dist_sum) / (stats.component_size - 1.0), 0.0)
    return {n: float(v) for n, v in zip(stats.nodes, values)}


def betweenness(graph: nx.Graph, paths: PathStats | None = None, ordered: bool = True) -> dict[str, float]:
    """Betweenness: Σ_{s≠v≠t} σ_st(v)/σ_st, unnormalised.

    ``ordered=True`` sums over ordered pairs (s, t), as cytoHubba prints it; ``False`` over
    unordered pairs, half of it (= ``nx.betweenness_centrality(G, normalized=False)``).
    """
    stats = _stats(graph, paths)
    half = 1.0 if ordered else 2.0
    return {n: float(b) / half for n, b in zip(stats.nodes, stats.betweenness)}


def stress(graph: nx.Graph, paths: PathStats | None = None, ordered: bool = True) -> dict[str, int]:
    """Stress: number of shortest paths through v, over ordered pairs (cytoHubba's and
    NetworkAnalyzer's numbers) or, with ``ordered=False``, unordered pairs (half)."""
    stats = _stats(graph, paths)
    half = 1.0 if ordered else 2.0
    return {n: int(round(s / half)) for n, s in zip(stats.nodes, stats.stress)}

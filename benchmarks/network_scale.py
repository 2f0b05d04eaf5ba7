"""Scale benchmark: NetworkAnalyzer topology + all 12 cytoHubba methods, netpharm vs plain networkx.

For each graph (Barabási–Albert scale-free graphs of 1k, 5k and 20k nodes with m = 5, i.e.
~10 edge ends per node, seeded; and the real 461-node STRING export in
``tests/data/string461/``) this times, in the same run:

* **netpharm**: ``path_stats`` (one all-sources BFS: dense matrix products for small graphs, compiled above) + ``node_table`` (the 10
  NetworkAnalyzer columns) + ``rank_hubs`` (all 12 methods, EPC with 1000 runs);
* **networkx baseline**: ``nx.betweenness_centrality``, ``nx.closeness_centrality
  (wf_improved=False)`` per component, ``nx.harmonic_centrality``, ``nx.eccentricity`` per
  component, Stress by a Brandes-style loop over networkx's own single-source BFS,
  BottleNeck from ``nx.bfs_tree`` per source, MCC from ``nx.find_cliques``, EPC with
  ``nx.connected_components`` (same random draws as netpharm), plus ``nx.clustering``,
  ``nx.average_neighbor_degree`` and MNC/DMNC from neighbourhood subgraphs.

Where the baseline would take far too long (more than ``--full-limit`` nodes), each per-source
algorithm is timed on a seeded sample of k sources (EPC on k runs) and extrapolated linearly to n
sources (1000 runs); such rows are labelled "extrapolated from k sources". Values are compared
(max abs difference) wherever the baseline was computed fully; on sampled graphs the per-node
values available from the sampled sources (closeness, harmonic, eccentricity) and MCC are compared.

numba's JIT compile time is excluded: the kernel is warmed up on a tiny graph first.

Run: ``.venv/bin/python benchmarks/network_scale.py`` (about 10–15 min on 2 cores).
"""

from __future__ import annotations

import argparse
import gzip
import math
import random
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx
import numba
import numpy as np
from networkx.algorithms.centrality.betweenness import _single_source_shortest_path_basic

from netpharm.graphs.paths import path_stats
from netpharm.hubs.config import HubsConfig
from netpharm.hubs.rank import rank_hubs
from netpharm.network.tables import parse_string_table
from netpharm.network.topology import node_table

REPO = Path(__file__).resolve().parents[1]
EXPORT_461 = REPO / "tests" / "data" / "string461" / "string_export_461_nodes_v12x.tsv.gz"
EPC_RUNS, EPC_THRESHOLD, EPC_SEED = 1000, 0.5, 12345


# --- graphs ----------------------------------------------------------------------------------------

def barabasi_albert(n: int, seed: int) -> nx.Graph:
    """Seeded BA graph, nodes named with zero padding (sorted names = integer order)."""
    graph = nx.barabasi_albert_graph(n, 5, seed=seed)
    return nx.relabel_nodes(graph, {v: f"n{v:05d}" for v in graph})


def string_461() -> nx.Graph:
    parsed = parse_string_table(gzip.decompress(EXPORT_461.read_bytes()).decode("utf-8"), origin=str(EXPORT_461))
    graph = nx.Graph()
    graph.add_nodes_from(parsed.nodes)
    graph.add_edges_from(zip(parsed.edges["name_a"], parsed.edges["name_b"]))
    return graph


# --- netpharm ----------------------------------------------------------------------------------------

def run_netpharm(graph: nx.Graph) -> tuple[float, dict[str, float], dict[str, dict[str, float]]]:
    # The forms the networkx baselines compute (same cost as cytoHubba's): unordered pairs, BottleNeck without
    # its source, EPC on the documented 1/|V| scale; the defaults follow cytoHubba (ordered pairs = 2x, +1, mean).
    config = HubsConfig(epc_runs=EPC_RUNS, epc_threshold=EPC_THRESHOLD, epc_seed=EPC_SEED, epc_scale="runs_per_node",
                        path_pairs="unordered", bottleneck_self=False)
    start = time.perf_counter()
    stats = path_stats(graph, bottleneck_mode=config.bottleneck_mode, bottleneck_strict=config.bottleneck_strict)
    t_paths = time.perf_counter()
    table = node_table(graph, stats)
    t_table = time.perf_counter()
    ranking = rank_hubs(graph, config, stats)
    end = time.perf_counter()
    elapsed = end - start
    parts = {"path_stats": t_paths - start, "node_table": t_table - t_paths, "rank_hubs (12 methods)": end - t_table}
    values = dict(ranking.scores)
    indexed = table.set_index("name")
    for column in ("ClosenessCentrality", "Eccentricity", "ClusteringCoefficient", "NeighborhoodConnectivity"):
        values[f"NA:{column}"] = indexed[column].to_dict()
    return elapsed, parts, values


# --- networkx baseline -------------------------------------------------------------------------------

def nx_stress(graph: nx.Graph, sources: Iterable[str]) -> dict[str, float]:
    """Unordered-pair Stress: Brandes-style accumulation over networkx's single-source BFS."""
    stress = dict.fromkeys(graph, 0.0)
    for s in sources:
        order, preds, sigma, _ = _single_source_shortest_path_basic(graph, s)
        below = dict.fromkeys(order, 0.0)
        while order:
            w = order.pop()
            for v in preds[w]:
                below[v] += 1.0 + below[w]
            if w != s:
                stress[w] += sigma[w] * below[w]
    return {v: x / 2.0 for v, x in stress.items()}


def nx_bottleneck(graph: nx.Graph, sources: Iterable[str]) -> dict[str, int]:
    """Strict BottleNeck on ``nx.bfs_tree`` (neighbours in sorted order, as netpharm)."""
    score = dict.fromkeys(graph, 0)
    for s in sources:
        tree = nx.bfs_tree(graph, s, sort_neighbors=sorted)
        subtree = dict.fromkeys(tree, 1)
        quarter = len(tree) / 4.0
        for w in reversed(list(tree)):  # nodes were added in BFS order
            if w == s:
                continue
            parent = next(iter(tree.pred[w]))
            subtree[parent] += subtree[w]
            if subtree[w] > quarter:
                score[w] += 1
    return score


def nx_mcc(graph: nx.Graph) -> dict[str, int]:
    score = dict.fromkeys(graph, 0)
    for clique in nx.find_cliques(graph):
        if len(clique) > 1:
            value = math.factorial(len(clique) - 1)
            for v in clique:
                score[v] += value
    return score


def nx_epc(graph: nx.Graph, runs: int) -> dict[str, float]:
    """EPC with nx.connected_components, consuming the same random draws as netpharm."""
    nodes = sorted(graph)
    index = {v: i for i, v in enumerate(nodes)}
    edges = sorted((min(index[a], index[b]), max(index[a], index[b])) for a, b in graph.edges())
    rng = np.random.default_rng(EPC_SEED)
    total = dict.fromkeys(nodes, 0.0)
    for _ in range(runs):
        draws = rng.random(len(edges))
        reduced = nx.Graph()
        reduced.add_nodes_from(nodes)
        reduced.add_edges_from((nodes[a], nodes[b]) for (a, b), u in zip(edges, draws) if u >= EPC_THRESHOLD)
        for component in nx.connected_components(reduced):
            for v in component:
                total[v] += len(component)
    return {v: t / len(nodes) for v, t in total.items()}


def nx_mnc_dmnc(graph: nx.Graph, epsilon: float = 1.7) -> tuple[dict[str, int], dict[str, float]]:
    mnc, dmnc = {}, {}
    for v in graph:
        sub = graph.subgraph(graph[v])
        best = max(((len(c), sub.subgraph(c).number_of_edges()) for c in nx.connected_components(sub)),
                   default=(0, 0))
        mnc[v] = best[0]
        dmnc[v] = best[1] / best[0] ** epsilon if best[1] else 0.0
    return mnc, dmnc


@dataclass
class Baseline:
    seconds: float = 0.0
    sampled: bool = False
    k: int = 0
    parts: dict[str, float] = field(default_factory=dict)
    values: dict[str, dict[str, float]] = field(default_factory=dict)

    def timed(self, name: str, scale: float, func: Callable[[], Any]) -> Any:
        start = time.perf_counter()
        result = func()
        elapsed = (time.perf_counter() - start) * scale
        self.parts[name] = elapsed
        self.seconds += elapsed
        return result


def run_networkx(graph: nx.Graph, k: int | None, seed: int) -> Baseline:
    """Time the networkx baseline; ``k`` = number of sampled sources (None = all)."""
    n = graph.number_of_nodes()
    nodes = sorted(graph)
    sources = nodes if k is None else random.Random(seed).sample(nodes, k)
    scale = 1.0 if k is None else n / k
    epc_runs = EPC_RUNS if k is None else max(2, k // 2)
    out = Baseline(sampled=k is not None, k=k or n)
    components = [graph.subgraph(c) for c in nx.connected_components(graph)]
    component_of = {v: c for c in components for v in c}
    values = out.values

    if k is None:
        values["Betweenness"] = out.timed("betweenness", 1, lambda: nx.betweenness_centrality(graph, normalized=False))
    else:
        out.timed("betweenness", scale, lambda: nx.betweenness_centrality(graph, k=k, normalized=False, seed=seed))

    def closeness() -> dict[str, float]:
        if k is None:
            result: dict[str, float] = {}
            for c in components:
                result.update(nx.closeness_centrality(c, wf_improved=False))
            return result
        return {v: nx.closeness_centrality(component_of[v], u=v, wf_improved=False) for v in sources}

    values["NA:ClosenessCentrality"] = out.timed("closeness", scale, closeness)
    values["Closeness"] = out.timed("harmonic", scale, lambda: nx.harmonic_centrality(graph, nbunch=sources))

    def eccentricity() -> dict[str, float]:
        result: dict[str, float] = {}
        for c in components:
            wanted = [v for v in sources if v in c] if k is not None else list(c)
            if len(c) == 1:
                result.update(dict.fromkeys(wanted, 0))
            elif wanted:
                result.update(nx.eccentricity(c, v=wanted))
        return result

    values["NA:Eccentricity"] = out.timed("eccentricity", scale, eccentricity)
    stress = out.timed("stress", scale, lambda: nx_stress(graph, sources))
    bottleneck = out.timed("bottleneck", scale, lambda: nx_bottleneck(graph, sources))
    values["MCC"] = out.timed("mcc (find_cliques)", 1, lambda: nx_mcc(graph))
    epc = out.timed("epc", EPC_RUNS / epc_runs, lambda: nx_epc(graph, epc_runs))
    values["NA:ClusteringCoefficient"] = out.timed("clustering", 1, lambda: nx.clustering(graph))
    values["NA:NeighborhoodConnectivity"] = out.timed("avg neighbour degree", 1,
                                                      lambda: nx.average_neighbor_degree(graph))
    mnc, dmnc = out.timed("mnc+dmnc", 1, lambda: nx_mnc_dmnc(graph))
    values["MNC"], values["DMNC"] = mnc, dmnc
    if k is None:
        values["Stress"], values["BottleNeck"], values["EPC"] = stress, bottleneck, epc
    return out


# --- comparison and output ---------------------------------------------------------------------------

def max_abs_diff(ours: dict[str, dict[str, float]], theirs: dict[str, dict[str, float]]) -> dict[str, float]:
    diffs = {}
    for method, values in theirs.items():
        diffs[method] = max((abs(float(ours[method][v]) - float(x)) for v, x in values.items()), default=0.0)
    return diffs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000, 5000, 20000])
    parser.add_argument("--full-limit", type=int, default=1000,
                        help="largest graph on which the networkx baseline runs on every source")
    parser.add_argument("--k", type=int, default=None,
                        help="sampled sources for larger graphs (default: 200 for 5k, 40 for 20k)")
    parser.add_argument("--seed", type=int, default=20240401)
    args = parser.parse_args()

    print(f"numba threads: {numba.get_num_threads()}; networkx {nx.__version__}")
    warm = nx.path_graph(["a", "b", "c", "d"])
    for _ in range(2):  # JIT compile (or load the on-disk cache) before any timing
        path_stats(warm, method="compiled")
        run_netpharm(warm)
    print("numba kernel warmed up on a 4-node graph: JIT compile time excluded from every timing below "
          "(graphs up to PLAIN_MAX_NODES use the plain path, no JIT)\n")

    graphs: list[tuple[str, nx.Graph]] = [("STRING export (real)", string_461())]
    graphs += [(f"Barabasi-Albert m=5 seed={args.seed}", barabasi_albert(n, args.seed)) for n in args.sizes]

    rows = []
    for label, graph in graphs:
        n, m = graph.number_of_nodes(), graph.number_of_edges()
        ours_s, ours_parts, ours = run_netpharm(graph)
        k = None if n <= args.full_limit else (args.k or (200 if n <= 5000 else 40))
        base = run_networkx(graph, k, args.seed)
        diffs = max_abs_diff(ours, base.values)
        how = "measured" if not base.sampled else f"extrapolated from {base.k} sources"
        rows.append((label, n, m, ours_s, base.seconds, how, base.seconds / ours_s))
        print(f"== {label}: {n} nodes, {m} edges; netpharm {ours_s:.2f} s; networkx {base.seconds:.1f} s ({how})")
        print("   netpharm parts (s): " + ", ".join(f"{p} {t:.2f}" for p, t in ours_parts.items()))
        print("   networkx parts (s): " + ", ".join(f"{p} {t:.1f}" for p, t in base.parts.items()))
        checked = "all values" if not base.sampled else "values of the sampled nodes + MCC"
        print(f"   max |netpharm - networkx| ({checked}): "
              + ", ".join(f"{meth} {d:.1e}" for meth, d in diffs.items()))
        if base.sampled:
            print(f"   (EPC timed on {max(2, base.k // 2)} of {EPC_RUNS} runs and scaled; "
                  "Betweenness/Stress/BottleNeck/EPC values not compared on sampled graphs)")
        print(flush=True)

    print(f"{'graph':<34} {'nodes':>6} {'edges':>7} {'netpharm s':>11} {'networkx s':>11}  {'baseline':<30} {'ratio':>7}")
    for label, n, m, ours_s, nx_s, how, ratio in rows:
        print(f"{label:<34} {n:>6} {m:>7} {ours_s:>11.2f} {nx_s:>11.1f}  {how:<30} {ratio:>6.1f}x")


if __name__ == "__main__":
    main()

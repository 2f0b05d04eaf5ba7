"""igraph-parity benchmark: the whole ``netpharm network`` process against igraph, same graph, same run.

Target (issue 13): the whole ``netpharm network EDGES --out DIR`` process (interpreter start,
imports, parsing, every NetworkAnalyzer column, all 12 cytoHubba methods with EPC at its
automatic run count (``netpharm.hubs.percolation.auto_runs``: 2,138 on the 461-node export,
cytoHubba's 1,000 from 20,000 edges; it was a fixed 1,000 when the target was set), MCODE, writing the files) takes at most 1.5× igraph's own time for betweenness + closeness +
harmonic closeness + eccentricity + local clustering + maximal cliques on the same graph.

For every graph this prints, measured in this run:

* ``netpharm``: wall time of the subprocess (best of ``--repeat``), after one untimed run
  that fills numba's on-disk cache (the compile is a one-off cost per machine, timed by
  ``benchmarks/fresh_clone.py``);
* ``igraph process``: wall time of a subprocess that imports igraph, reads the same TSV,
  builds the graph and computes the six metrics (what a user scripting igraph waits for);
* ``igraph compute``: the six metrics alone, in this process, graph already built;
* the ratios netpharm / igraph process (the target) and netpharm / igraph compute, and the
  ratio of the two processes' CPU times (user + system: less sensitive to other users'
  load than wall times; numba's kernel runs on every core, so its CPU time exceeds its wall
  time on an idle machine);
* where netpharm's time goes, from the same library calls timed in this process
  (parse, graph, paths, node table, each hub method, writing);
* values: max |netpharm − igraph| for Betweenness, ClosenessCentrality, Closeness (harmonic),
  Eccentricity, ClusteringCoefficient and MCC (from igraph's cliques), read back from the
  files netpharm wrote.

Graphs: the real 461-node STRING export (``tests/data/string461``), seeded Barabási–Albert
graphs (m = 5, about 10 edge ends per node; synthetic, written as a STRING-format TSV with
``combined_score`` 0.9). The issue also names an 884-node STRING export: no such file exists
in the shared data (checked: ``/work/shared/data/string`` holds the 461-node export and
exports of at most 114 nodes), so it is reported as missing, not invented.

What the netpharm process does not pay for (issue 13, checked by ``tests/test_cli.py``): pandas
(tables are written from NumPy columns), numba below ``PLAIN_MAX_NODES`` = 1,100 nodes (dense
SciPy products instead), igraph below 150,000 edges, the stage registry, matplotlib, requests.
What it cannot avoid: the interpreter, NumPy + SciPy's sparse module (~0.23 s CPU: SciPy's
array-API shim imports all of NumPy's submodules, f2py and testing included) and networkx
(~0.09 s); igraph's own import is ~0.45 s of its process.

Run: ``.venv/bin/python benchmarks/network_igraph.py`` (about 5 min on 2 cores; ``--sizes``
to choose). The machine load (``os.getloadavg``) is printed with the results.
"""

from __future__ import annotations

import argparse
import dataclasses
import gzip
import io
import math
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[1]
EXPORT_461 = REPO / "tests" / "data" / "string461" / "string_export_461_nodes_v12x.tsv.gz"
TARGET = 1.5

IGRAPH_SCRIPT = r"""
import csv, sys, time, json
start = time.perf_counter()
import igraph as ig
with open(sys.argv[1], newline="") as handle:
    rows = csv.reader(handle, delimiter="\t")
    header = [h.lstrip("#") for h in next(rows)]
    a, b = header.index("node1"), header.index("node2")
    pairs = {tuple(sorted((r[a], r[b]))) for r in rows if r}
names = sorted({v for p in pairs for v in p})
index = {v: i for i, v in enumerate(names)}
g = ig.Graph(n=len(names), edges=[(index[x], index[y]) for x, y in pairs])
g.betweenness(directed=False); g.closeness(); g.harmonic_centrality(normalized=False); g.eccentricity()
g.transitivity_local_undirected(mode="zero"); g.maximal_cliques()
print(json.dumps({"seconds": time.perf_counter() - start}))
"""


def write_string_tsv(graph: nx.Graph, path: Path) -> None:
    """A minimal STRING web-export TSV (node1, node2, combined_score) of a synthetic graph."""
    lines = ["#node1\tnode2\tcombined_score"] + [f"{a}\t{b}\t0.900" for a, b in sorted(graph.edges())]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def barabasi_albert(n: int, seed: int) -> nx.Graph:
    graph = nx.barabasi_albert_graph(n, 5, seed=seed)
    return nx.relabel_nodes(graph, {v: f"n{v:05d}" for v in graph})


def env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", "")}


def timed_process(argv: list[str]) -> tuple[float, float]:
    """(wall s, CPU s = user + system of the child) of one subprocess."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(argv, check=True, capture_output=True, env=env(), timeout=3600)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def run_netpharm(edges: Path, out: Path) -> tuple[float, float]:
    return timed_process([sys.executable, "-m", "netpharm", "network", str(edges), "--out", str(out), "--force"])


def run_igraph_process(edges: Path) -> tuple[float, float]:
    return timed_process([sys.executable, "-c", IGRAPH_SCRIPT, str(edges)])


def igraph_compute(graph: nx.Graph) -> tuple[float, dict[str, dict[str, float]]]:
    """The six metrics in this process; values keyed like netpharm's columns."""
    import igraph as ig

    names = sorted(graph)
    index = {v: i for i, v in enumerate(names)}
    g = ig.Graph(n=len(names), edges=[(index[a], index[b]) for a, b in graph.edges()])
    start = time.perf_counter()
    bc = g.betweenness(directed=False)
    closeness = g.closeness()
    harmonic = g.harmonic_centrality(normalized=False)
    ecc = g.eccentricity()
    clustering = g.transitivity_local_undirected(mode="zero")
    cliques = g.maximal_cliques()
    seconds = time.perf_counter() - start
    mcc = [0] * len(names)
    for clique in cliques:
        if len(clique) > 1:
            for i in clique:
                mcc[i] += math.factorial(len(clique) - 1)

    def keyed(values: list[float]) -> dict[str, float]:
        return {v: (0.0 if x is None or (isinstance(x, float) and math.isnan(x)) else float(x))
                for v, x in zip(names, values)}

    return seconds, {"Betweenness": keyed(bc), "ClosenessCentrality": keyed(closeness),
                     "Closeness": keyed(harmonic), "Eccentricity": keyed(ecc),
                     "ClusteringCoefficient": keyed(clustering), "MCC": keyed(mcc)}


def netpharm_parts(edges: Path, out: Path) -> dict[str, float]:
    """Where the time goes: the library calls of ``netpharm network``, timed one by one."""
    from netpharm.graphs.mcode import mcode
    from netpharm.graphs.paths import path_stats
    from netpharm.hubs.config import HubsConfig
    from netpharm.hubs.rank import rank_hubs
    from netpharm.network.analyse import NetworkAnalysis, write_analysis
    from netpharm.network.config import McodeConfig
    from netpharm.network.string_tsv import parse_string_table
    from netpharm.network.topology import network_statistics, node_columns

    parts: dict[str, float] = {}

    def timed(name: str, func):  # type: ignore[no-untyped-def]
        start = time.perf_counter()
        result = func()
        parts[name] = time.perf_counter() - start
        return result

    parsed = timed("parse", lambda: parse_string_table(edges.read_text(encoding="utf-8"), origin=str(edges)))

    def build() -> nx.Graph:
        graph = nx.Graph()
        graph.add_nodes_from(parsed.nodes)
        graph.add_edges_from((a, b, {"score": s}) for a, b, s in
                             zip(parsed.columns["name_a"], parsed.columns["name_b"], parsed.columns["score"].tolist()))
        return graph

    graph = timed("graph", build)
    config = HubsConfig()
    stats = timed("paths", lambda: path_stats(graph))
    parts["paths"] = parts.pop("paths")
    table = timed("node table", lambda: node_columns(graph, stats, parsed.multiplicity))
    stats_net = network_statistics(graph, table, stats)
    for method in config.methods:
        timed(f"hub {method}", lambda m=method: rank_hubs(graph, HubsConfig(methods=(m,)), stats))
    ranking = rank_hubs(graph, config, stats)
    mcode_parameters = dataclasses.asdict(McodeConfig())
    modules = timed("MCODE", lambda: mcode(graph, order=parsed.nodes, **mcode_parameters))
    timed("write", lambda: write_analysis(out, NetworkAnalysis(graph, table, stats_net, ranking, modules,
                                                               mcode_parameters)))
    parts["(paths method)"] = 0.0 if stats.method == "plain" else 1.0
    return parts


def compare(out: Path, theirs: dict[str, dict[str, float]]) -> dict[str, float]:
    nodes = pd.read_csv(out / "nodes.tsv", sep="\t").set_index("name")
    hubs = pd.read_csv(out / "hubs.tsv", sep="\t").set_index("name")
    # hubs.tsv follows cytoHubba: Betweenness over ordered pairs, twice igraph's (unordered) sums
    ours = {"Betweenness": hubs["Betweenness"] / 2, "ClosenessCentrality": nodes["ClosenessCentrality"],
            "Closeness": hubs["Closeness"], "Eccentricity": nodes["Eccentricity"],
            "ClusteringCoefficient": nodes["ClusteringCoefficient"], "MCC": hubs["MCC"]}
    # relative to max(1, |value|): betweenness sums reach 1e6 and differ in the last bits
    return {k: float(max(abs(float(ours[k][v]) - x) / max(1.0, abs(x)) for v, x in theirs[k].items()))
            for k in theirs}


def graphs(sizes: list[int], seed: int, folder: Path) -> list[tuple[str, Path, nx.Graph]]:
    real = folder / "string_export_461.tsv"
    real.write_bytes(gzip.decompress(EXPORT_461.read_bytes()))
    frame = pd.read_csv(io.BytesIO(real.read_bytes()), sep="\t")
    out = [("STRING export 461 (real)", real, nx.from_edgelist(zip(frame["#node1"], frame["node2"])))]
    for n in sizes:
        graph = barabasi_albert(n, seed)
        path = folder / f"ba_{n}.tsv"
        write_string_tsv(graph, path)
        out.append((f"Barabasi-Albert {n} (synthetic)", path, graph))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000, 5000, 20000])
    parser.add_argument("--seed", type=int, default=20240401)
    parser.add_argument("--repeat", type=int, default=2, help="subprocess runs per graph (best is kept)")
    args = parser.parse_args()

    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
          f"load average at start {os.getloadavg()[0]:.2f}")
    print("884-node STRING export: not in /work/shared/data (no such real export exists there); not benchmarked\n")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        cases = graphs(args.sizes, args.seed, folder)
        warm = cases[1][1] if len(cases) > 1 else cases[0][1]
        run_netpharm(warm, folder / "warm")  # fills numba's cache once (compile excluded, see docstring)
        for label, path, graph in cases:
            out = folder / f"out_{path.stem}"
            ours, ours_cpu = min(run_netpharm(path, out) for _ in range(args.repeat))
            theirs_process, theirs_cpu = min(run_igraph_process(path) for _ in range(args.repeat))
            theirs_compute, values = min((igraph_compute(graph) for _ in range(args.repeat)), key=lambda r: r[0])
            diffs = compare(out, values)
            parts = netpharm_parts(path, folder / f"parts_{path.stem}")
            method = "compiled" if parts.pop("(paths method)") else "plain"
            n, m = graph.number_of_nodes(), graph.number_of_edges()
            rows.append((label, n, m, ours, theirs_process, theirs_compute, ours_cpu, theirs_cpu))
            print(f"== {label}: {n} nodes, {m} edges (paths: {method})")
            print(f"   netpharm process {ours:.2f} s (CPU {ours_cpu:.2f} s) | igraph process {theirs_process:.2f} s "
                  f"(CPU {theirs_cpu:.2f} s) | igraph compute {theirs_compute:.3f} s")
            print("   netpharm parts (s, in-process): " + ", ".join(f"{k} {v:.3f}" for k, v in parts.items()))
            print("   max |netpharm - igraph| / max(1, |igraph|): " + ", ".join(f"{k} {v:.1e}" for k, v in diffs.items()), flush=True)
            bad = {k: v for k, v in diffs.items() if v > 1e-9}
            if bad:
                print(f"   VALUES DIFFER: {bad}")

    print(f"\nload average at end {os.getloadavg()[0]:.2f} (2 cores shared: ratios under load are noisy)")
    print(f"{'graph':<32} {'nodes':>6} {'edges':>7} {'netpharm s':>10} {'igraph proc s':>13} {'ratio':>6} "
          f"{'igraph comp s':>13} {'ratio':>7} {'CPU ratio':>9}  target <= {TARGET}x (process vs process)")
    for label, n, m, ours, proc, comp, ours_cpu, theirs_cpu in rows:
        verdict = "met" if ours / proc <= TARGET else "MISSED"
        print(f"{label:<32} {n:>6} {m:>7} {ours:>10.2f} {proc:>13.2f} {ours / proc:>5.2f}x {comp:>13.3f} "
              f"{ours / comp:>6.1f}x {ours_cpu / theirs_cpu:>8.2f}x  {verdict}")
    ratios = np.array([r[3] / r[4] for r in rows])
    print(f"worst process ratio {ratios.max():.2f}x")


if __name__ == "__main__":
    main()

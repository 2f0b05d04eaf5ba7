"""Benchmark: the enrichment cold start (issue 13) and offline ORA of 13, 200 and 2,000 genes.

Every ratio is against a baseline measured in the same run:

* **library build** — the previous build (obonet graph, networkx closure, one Python set per
  term; reconstructed here) vs the current one
  (one-pass OBO reader, closure without networkx, propagation in numpy). The two libraries are
  checked identical.
* **cold vs warm** — building from the raw files vs reading the parsed-library cache (JSON + npz
  keyed by the raw files' sha256), which ``make venv`` now builds at install
  (``python -m netpharm.enrichment.build_cache``).
* **enrichment stage, fresh process** — ``netpharm run workflows/microdiscectomy-offline.toml
  --stages enrichment`` in a new interpreter (imports included), with the install-time cache and
  with none; target ≲ 1.5 s with the cache (the fresh-clone budget of issue 13).

Usage::

    python benchmarks/enrichment.py [--repeats 3] [--skip-stage]
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import networkx as nx
import numpy as np

from netpharm.enrichment.annotations import read_go_annotations, read_obo, shipped_files
from netpharm.enrichment.library import GeneSetLibrary, build_library, load_library
from netpharm.enrichment.ontology import PROPAGATION_RELATIONS
from netpharm.enrichment.ora import run_ora

REPO = Path(__file__).resolve().parents[1]
TARGETS = ["OPRM1", "OPRD1", "GRIN1", "GRIN2B", "GRIA1", "GRIA2", "CACNA1A", "CACNA1B",
           "CAMK2A", "MAPK1", "AKT1", "CREB1", "BDNF"]
SEED = 20240401
STAGE_TARGET_SECONDS = 1.5


def draw_genes(library: GeneSetLibrary, size: int, seed: int = SEED) -> list[str]:
    """``size`` annotated protein-coding symbols drawn without replacement (fixed seed)."""
    annotated = np.unique(library.pair_genes)
    coding = annotated[library.protein_coding[annotated]]
    rng = np.random.default_rng(seed + size)
    return [library.genes[i] for i in rng.choice(coding, size=size, replace=False)]


def timed(fn: Callable[[], object], repeats: int) -> float:
    """Median wall time of ``fn`` over ``repeats`` runs."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def alt_id_map(graph: nx.MultiDiGraph) -> dict[str, str]:
    """The previous build's alt_id map: every ``alt_id`` → its primary term id."""
    return {alt: term for term, data in graph.nodes(data=True) for alt in data.get("alt_id", [])}


def ancestor_closure(graph: nx.MultiDiGraph) -> dict[str, frozenset[str]]:
    """The previous build's closure: each term → itself and its ancestors, over a networkx DAG."""
    dag = nx.DiGraph()
    dag.add_nodes_from(graph.nodes)
    dag.add_edges_from((child, parent) for child, parent, rel in graph.edges(keys=True)
                       if rel in PROPAGATION_RELATIONS and parent in graph)
    closure: dict[str, frozenset[str]] = {}
    for term in reversed(list(nx.topological_sort(dag))):  # parents first, so their closures exist
        closure[term] = frozenset({term}.union(*(closure[p] for p in dag.successors(term))))
    return closure


def previous_go_build() -> int:
    """The GO part of the previous build (obonet + networkx closure + Python sets); returns the pair count."""
    files = shipped_files()
    graph = read_obo(files.obo)
    alt = alt_id_map(graph)
    closure = ancestor_closure(graph)
    direct: dict[str, set[str]] = defaultdict(set)
    for row in read_go_annotations(files.go_annotations):
        term = alt.get(row.go_id, row.go_id)
        if term in closure:
            direct[row.symbol].add(term)
    sets: dict[str, set[str]] = defaultdict(set)
    for gene, terms in direct.items():
        for term in set().union(*(closure[t] for t in terms)):
            sets[term].add(gene)
    return sum(len(v) for v in sets.values())


def current_go_pairs(library: GeneSetLibrary) -> int:
    return int((library.term_category_array[library.pair_terms] != "Reactome").sum())


def stage_in_fresh_process(cache_root: Path, out: Path) -> float:
    """Wall time of the offline workflow's enrichment stage in a new interpreter."""
    env = {**os.environ, "PYTHONPATH": str(REPO), "PYTHONDONTWRITEBYTECODE": "1"}
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "netpharm", "-q", "run", str(REPO / "workflows/microdiscectomy-offline.toml"),
                    "--stages", "enrichment", "--out", str(out), "--cache", str(cache_root)],
                   check=True, env=env, capture_output=True, timeout=600)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--skip-stage", action="store_true", help="skip the fresh-process stage timings")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)

    t_prev = timed(previous_go_build, 1)
    t_new = timed(lambda: build_library(shipped_files()), 1)
    library = build_library(shipped_files())
    same = previous_go_build() == current_go_pairs(library)
    print(f"library build, GO part previous (obonet + sets): {t_prev:.2f} s; whole library now: {t_new:.2f} s; "
          f"previous/now = {t_prev / t_new:.2f}x (GO pairs identical: {same})")

    with tempfile.TemporaryDirectory(prefix="netpharm-bench-") as tmp:
        cache = Path(tmp) / "derived"
        t_first = timed(lambda: load_library(cache_dir=cache), 1)
        t_warm = timed(lambda: load_library(cache_dir=cache), args.repeats)
        print(f"library: cold build + cache write {t_first:.2f} s, warm load {t_warm:.3f} s, "
              f"cold/warm = {t_first / t_warm:.1f}x")
        lists = {"13 (paper targets)": TARGETS, "13 (random)": draw_genes(library, 13),
                 "200 (random)": draw_genes(library, 200), "2000 (random)": draw_genes(library, 2000)}
        print(f"{'genes':<20}{'ORA string s':>13}{'ORA bh s':>10}{'string/bh':>11}")
        for label, genes in lists.items():
            t_string = timed(lambda g=genes: run_ora(library, g), args.repeats)
            t_bh = timed(lambda g=genes: run_ora(library, g, correction="bh"), args.repeats)
            print(f"{label:<20}{t_string:>13.3f}{t_bh:>10.3f}{t_string / t_bh:>11.2f}")

        if not args.skip_stage:
            shipped = Path(tmp) / "cache"
            shutil.copytree(REPO / "cache" / "entries", shipped / "entries")
            cold = stage_in_fresh_process(shipped, Path(tmp) / "run-cold")  # builds shipped/derived
            warm = stage_in_fresh_process(shipped, Path(tmp) / "run-warm")  # as after `make venv`
            verdict = "OK" if warm <= STAGE_TARGET_SECONDS else f"MISSED (target {STAGE_TARGET_SECONDS} s)"
            print(f"enrichment stage, fresh process: no parsed cache {cold:.2f} s; install-time cache {warm:.2f} s "
                  f"({verdict}); cold/warm = {cold / warm:.1f}x")


if __name__ == "__main__":
    main()

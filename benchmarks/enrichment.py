"""Benchmark: offline GO/Reactome enrichment of 13, 200 and 2,000 genes against the full background.

Each timing includes loading the annotation library. "cold" parses the shipped OBO/GAF/
GMT files and propagates (then writes the parsed-library cache); "warm" reads the cache
(JSON + npz keyed by the input files' sha256). Gene lists are real symbols drawn with a
fixed seed from the annotated protein-coding genes; the 13-gene case is also run on the
paper's 13 targets. Target: under 2 s for 13 genes, warm.

Usage::

    python benchmarks/enrichment.py [--repeats 3] [--cache-dir DIR]
"""

from __future__ import annotations

import argparse
import logging
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from netpharm.enrichment.library import GeneSetLibrary, load_library
from netpharm.enrichment.ora import run_ora

TARGETS = ["OPRM1", "OPRD1", "GRIN1", "GRIN2B", "GRIA1", "GRIA2", "CACNA1A", "CACNA1B",
           "CAMK2A", "MAPK1", "AKT1", "CREB1", "BDNF"]
SEED = 20240401
TARGET_SECONDS = 2.0


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--cache-dir", type=Path, default=None,
                        help="parsed-library cache (default: a fresh temporary folder, so 'cold' is really cold)")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)

    with tempfile.TemporaryDirectory(prefix="netpharm-bench-") as tmp:
        cache = args.cache_dir or Path(tmp)
        start = time.perf_counter()
        library = load_library(cache_dir=cache)
        first_build = time.perf_counter() - start
        lists = {"13 (paper targets)": TARGETS, "13 (random)": draw_genes(library, 13),
                 "200 (random)": draw_genes(library, 200), "2000 (random)": draw_genes(library, 2000)}

        def cold(genes: list[str]) -> Callable[[], object]:
            return lambda: run_ora(load_library(use_cache=False), genes)

        def warm(genes: list[str]) -> Callable[[], object]:
            return lambda: run_ora(load_library(cache_dir=cache), genes)

        print(f"first load (parse + propagate + write cache): {first_build:.2f} s; cache: {cache}")
        print(f"{'genes':<20}{'cold s':>9}{'warm s':>9}{'cold/warm':>11}{'ORA only s':>12}  target")
        for label, genes in lists.items():
            t_cold = timed(cold(genes), 1)
            t_warm = timed(warm(genes), args.repeats)
            t_ora = timed(lambda g=genes: run_ora(library, g), args.repeats)
            verdict = ""
            if label.startswith("13"):
                verdict = "OK" if t_warm < TARGET_SECONDS else f"SLOW (> {TARGET_SECONDS:g} s)"
            print(f"{label:<20}{t_cold:>9.2f}{t_warm:>9.3f}{t_cold / t_warm:>11.1f}{t_ora:>12.3f}  {verdict}")


if __name__ == "__main__":
    main()

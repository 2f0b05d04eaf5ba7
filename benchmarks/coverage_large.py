"""Pair coverage of large target lists: time, memory and size of the compact listing against the full one.

Issue 11: a 10,000-target list used to write every pair (50 M rows, ~3 GB). With
``network.coverage = "auto"`` (compact above 2,000 targets) ``coverage.tsv`` holds only the pairs
a source lists and ``coverage_targets.tsv`` one row per target.

Data: the real 461-node STRING export of tests/data/string461/ as the one import (a complete
listing cut at 0.400); targets = its 461 names followed by protein-coding HGNC symbols of the
shipped gene table (real symbols, most without STRING data here: their pairs are unknown).

Printed, all measured in this process:

1. :func:`netpharm.network.coverage.merge_sources` for 1,000 … 10,000 targets, ``compact`` and
   (up to 2,000 targets) ``full``: seconds, peak traced memory (tracemalloc), coverage rows;
   the baseline is the full listing of the same 2,000 targets, and the growth from 1,000 to
   10,000 targets (linear = 10×, quadratic = 100×).
2. The whole network stage (``run_workflow(..., stages=["network"])``) on the 10,000 targets,
   run first: wall time, peak RSS of this process until then, and the bytes of ``coverage.tsv`` and
   ``coverage_targets.tsv`` against the full table's size extrapolated from its bytes per row
   at 2,000 targets.

Run: ``.venv/bin/python benchmarks/coverage_large.py`` (about a minute).
"""

from __future__ import annotations

import gzip
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
EXPORT = REPO / "tests" / "data" / "string461" / "string_export_461_nodes_v12x.tsv.gz"
GENES = REPO / "netpharm" / "data" / "human_genes_xref.orgHsegdb-3.16.0.tsv.gz"


def symbols(n: int) -> list[str]:
    """The export's 461 names, then protein-coding HGNC symbols in the gene table's order."""
    text = gzip.decompress(EXPORT.read_bytes()).decode()
    names = list(dict.fromkeys(x for line in text.splitlines()[1:] if line.strip() for x in line.split("\t")[:2]))
    seen = {x.upper() for x in names}
    with gzip.open(GENES, "rt") as handle:
        next(handle)
        for line in handle:
            fields = line.split("\t")
            if len(names) >= n:
                break
            if fields[3] == "protein-coding" and fields[1].upper() not in seen and fields[1].replace("-", "").isalnum():
                seen.add(fields[1].upper())
                names.append(fields[1])
    return names[:n]


def timed_merge(targets: list[str], sources: list, listing: str) -> tuple[float, float, int]:
    from netpharm.network.coverage import merge_sources

    tracemalloc.start()
    start = time.perf_counter()
    merged = merge_sources(targets, sources, 400, listing)
    seconds = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return seconds, peak, len(merged.coverage.table)


def main() -> None:
    from netpharm.io import write_table
    from netpharm.network.imports import read_source, record_import
    from netpharm.registry import load_workflow
    from netpharm.sources.cache import Cache
    from netpharm.workflow import run_workflow

    with tempfile.TemporaryDirectory(prefix="netpharm-coverage-") as tmp:
        folder = Path(tmp)
        export = folder / "string_interactions.tsv"
        export.write_bytes(gzip.decompress(EXPORT.read_bytes()))
        cache = Cache(folder / "cache")
        record_import(export, cache, "ahmad461", 0.4, "12.0", species=9606)
        sources = [read_source("ahmad461", cache, 9606)]
        everyone = symbols(10_000)
        (folder / "targets.txt").write_text("\n".join(everyone) + "\n", encoding="utf-8")
        (folder / "w.toml").write_text(
            'name = "coverage-large"\ntargets = "targets.txt"\nspecies = 9606\noffline = true\n'
            'cache_dir = "cache"\nstages = ["network"]\n\n[network]\nsource = "import"\n'
            'imports = ["ahmad461"]\nppi_enrichment = false\nbootstrap = 0\n', encoding="utf-8")
        config = load_workflow(folder / "w.toml")
        start = time.perf_counter()
        run_workflow(config, folder / "run", stages=["network"])
        wall = time.perf_counter() - start
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        cov = (folder / "run" / "network" / "coverage.tsv").stat().st_size
        per_target = (folder / "run" / "network" / "coverage_targets.tsv").stat().st_size
        print("== merge_sources (one real 461-node import), seconds / peak traced MiB / coverage rows")
        results = {}
        for n in (1000, 2000, 5000, 10_000):
            for listing in ("full", "compact") if n <= 2000 else ("compact",):
                results[(n, listing)] = timed_merge(everyone[:n], sources, listing)
                s, mib, rows = results[(n, listing)]
                print(f"   {n:>6} targets {listing:<8} {s:8.2f} s {mib:9.1f} MiB {rows:>10,} rows", flush=True)
        base = results[(2000, "full")]
        big = results[(10_000, "compact")]
        print(f"   10,000 compact / 2,000 full (baseline): time {big[0] / base[0]:.2f}x, memory {big[1] / base[1]:.2f}x, "
              f"rows {big[2] / base[2]:.4f}x")
        grow = results[(10_000, "compact")][0] / results[(1000, "compact")][0]
        print(f"   compact growth 1,000 -> 10,000 targets: time {grow:.1f}x (linear 10x, quadratic 100x)")

        # bytes per full row, from the real full table at 2,000 targets
        from netpharm.network.coverage import merge_sources

        full2k = merge_sources(everyone[:2000], sources, 400, "full").coverage.table
        per_row = write_table(folder / "full2k.tsv", full2k).stat().st_size / len(full2k)

        full = per_row * 10_000 * 9_999 / 2
        print(f"== network stage, 10,000 targets (coverage = auto -> compact): wall {wall:.1f} s, peak RSS "
              f"{rss:.0f} MiB; coverage.tsv {cov / 2**20:.2f} MiB + coverage_targets.tsv {per_target / 2**20:.2f} MiB "
              f"vs the full listing ~{full / 2**30:.2f} GiB ({per_row:.0f} bytes/row x 49,995,000 rows): "
              f"{(cov + per_target) / full:.5f}x")
    sys.stdout.flush()


if __name__ == "__main__":
    main()

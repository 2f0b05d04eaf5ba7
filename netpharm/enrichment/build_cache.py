"""Build the parsed GO/Reactome library cache ahead of the first run (``make venv`` calls this).

Parsing the shipped OBO/GAF/GMT and propagating takes ~10 s on 2 cores; done at install time the
first enrichment stage only reads the cache (JSON + npz, ~0.2 s). The cache is keyed by the sha256
of the raw files and the options (:func:`netpharm.enrichment.library.library_key`), so it can never
go stale: other files or options get their own entry, built on first use.

Usage::

    python -m netpharm.enrichment.build_cache [--cache-dir cache/derived/enrichment] [--evidence-exclude IEA]
"""

from __future__ import annotations

import argparse
import logging
import time
from collections.abc import Sequence
from pathlib import Path

from netpharm.enrichment.annotations import shipped_files
from netpharm.enrichment.library import library_key, load_library

__all__ = ["main"]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache-dir", type=Path, default=Path("cache/derived/enrichment"),
                        help="parsed-library cache folder (the workflows' cache_dir + /derived/enrichment)")
    parser.add_argument("--evidence-exclude", action="append", default=[], metavar="CODE",
                        help="also build the variant without these GO evidence codes (repeatable)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    start = time.perf_counter()
    load_library(cache_dir=args.cache_dir, evidence_exclude=args.evidence_exclude)
    key = library_key(shipped_files(), args.evidence_exclude)
    print(f"GO/Reactome library cache ready in {args.cache_dir} (key {key[:12]}..., {time.perf_counter() - start:.1f} s)")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())

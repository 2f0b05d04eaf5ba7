"""Target lists: one gene symbol per line, ``#`` comments (``targets.txt``).

Core layer (errors and io only); the workflow and the CLI read target lists here.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

from netpharm.errors import InputError
from netpharm.io import read_text_file

__all__ = ["read_targets", "warn_if_large", "SYMBOL", "LARGE_TARGET_LIST"]

log = logging.getLogger(__name__)
#: A gene symbol as a target list or ``target_list`` may give it.
SYMBOL = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._\-]*$")


def read_targets(path: Path) -> list[str]:
    """Read a target list: one symbol per line, ``#`` comments, duplicates dropped with a warning.

    Raises
    ------
    InputError
        Missing file, a line that is not a gene symbol (line named), or no target at all.
    """
    path = Path(path)
    targets: list[str] = []
    seen: set[str] = set()   # a 10,000-line list: membership in a list would be quadratic
    for number, line in enumerate(read_text_file(path, "targets file").splitlines(), start=1):
        symbol = line.split("#", 1)[0].strip()
        if not symbol:
            continue
        if not SYMBOL.match(symbol):
            raise InputError(f"{path}: line {number}: {symbol!r} is not a gene symbol")
        if symbol in seen:
            log.warning("%s: line %d: duplicate target %s ignored", path, number, symbol)
            continue
        seen.add(symbol)
        targets.append(symbol)
    if not targets:
        raise InputError(f"{path}: no targets (empty list)")
    warn_if_large(targets, str(path))
    return targets


# Above this many targets the all-pairs tables grow quadratically (5,000 targets = 12.5 M pairs)
# and STRING's API refuses such lists; netpharm still runs, but says so first. Equal to
# netpharm.network.tables.FULL_LISTING_MAX_TARGETS, where network.coverage = "auto" turns compact.
LARGE_TARGET_LIST = 2000


def warn_if_large(targets: list[str], origin: str) -> None:
    if len(targets) > LARGE_TARGET_LIST:
        log.warning("%s: %d targets (more than %d): %d target pairs; network/coverage.tsv lists only the pairs "
                    "a STRING source lists and network/coverage_targets.tsv counts every target's pairs "
                    '(network.coverage = "full" lists all of them)', origin, len(targets),
                    LARGE_TARGET_LIST, len(targets) * (len(targets) - 1) // 2)

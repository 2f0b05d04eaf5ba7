"""Target lists: one gene symbol per line, ``#`` comments (``targets.txt``).

Core layer (errors only); the workflow, the claims' validation and the CLI read targets here.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import TYPE_CHECKING

from netpharm.errors import InputError

if TYPE_CHECKING:
    from netpharm.registry import WorkflowBase

__all__ = ["read_targets", "resolve_targets"]

log = logging.getLogger(__name__)
_SYMBOL = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._\-]*$")


def read_targets(path: Path) -> list[str]:
    """Read a target list: one symbol per line, ``#`` comments, duplicates dropped with a warning.

    Raises
    ------
    InputError
        Missing file, a line that is not a gene symbol (line named), or no target at all.
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(f"targets file not found: {path}")
    targets: list[str] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        symbol = line.split("#", 1)[0].strip()
        if not symbol:
            continue
        if not _SYMBOL.match(symbol):
            raise InputError(f"{path}: line {number}: {symbol!r} is not a gene symbol")
        if symbol in targets:
            log.warning("%s: line %d: duplicate target %s ignored", path, number, symbol)
            continue
        targets.append(symbol)
    if not targets:
        raise InputError(f"{path}: no targets (empty list)")
    return targets


def resolve_targets(config: WorkflowBase) -> list[str]:
    """The workflow's targets: ``target_list`` (deduplicated, order kept) or the ``targets`` file."""
    if config.target_list:
        deduped = list(dict.fromkeys(config.target_list))
        if len(deduped) != len(config.target_list):
            log.warning("duplicate targets in target_list ignored")
        return deduped
    if not {"network", "enrichment"} & set(config.stages) and not config.resolve(config.targets).is_file():
        return []  # e.g. `netpharm dock`: docking needs receptors and ligands, not a target list
    return read_targets(config.resolve(config.targets))

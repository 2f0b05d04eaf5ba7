"""The tiny stage's findings (``tiny/summary.json``)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TinyFindings:
    """The number of targets and the longest symbol (ties: the first in the list)."""

    n_targets: int
    longest: str

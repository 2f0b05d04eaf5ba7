"""The report stage's findings: the typed ``findings`` of ``report/summary.json``."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["ReportFindings", "VerdictFinding"]


@dataclass(frozen=True)
class VerdictFinding:
    """One claim's verdict, as recorded in the report summary (full rows in ``report/verdict.tsv``)."""

    id: str
    kind: str
    number: int
    verdict: str
    reason: str


@dataclass(frozen=True)
class ReportFindings:
    """What the report stage wrote: the page (relative to the run directory) and the verdicts."""

    report: str
    verdicts: tuple[VerdictFinding, ...]

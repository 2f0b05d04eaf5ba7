"""What every claim evaluator shares: the verdict row, its four labels and the 'stage gave nothing' case."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Literal

from netpharm.report.claims.spec import Claim
from netpharm.report.rundir import Summaries
from netpharm.stage import StageOutcome

__all__ = ["Verdict", "VerdictLabel", "VERDICTS", "NOT_RUN", "Context", "verdict", "unusable"]

VerdictLabel = Literal["supported", "not supported", "partially supported", "cannot be evaluated here"]
from netpharm.report.claims import VERDICTS  # noqa: E402,F401  (one definition)

NOT_RUN: VerdictLabel = "cannot be evaluated here"


@dataclass(frozen=True)
class Verdict:
    """One row of the verdict table (``report/verdict.tsv``).

    ``data_completeness`` says what the verdict rests on; a verdict on partial data, stand-in
    structures or a placed ion is at most "partially supported" where the missing data could
    change it.
    """

    number: int
    id: str
    kind: str
    claim: str
    evidence: str
    verdict: VerdictLabel
    reason: str
    data_completeness: str

    def to_row(self) -> dict[str, Any]:
        """The row as a mapping (column order of ``verdict.tsv``)."""
        return asdict(self)


@dataclass(frozen=True)
class Context:
    """What an evaluator may read: the run directory and every stage's typed summary."""

    run_dir: Path
    summaries: Summaries


def verdict(claim: Claim, evidence: str, label: VerdictLabel, reason: str, completeness: str) -> Verdict:
    """A verdict row for ``claim``."""
    return Verdict(claim.number, claim.id, claim.kind, claim.text, evidence, label, reason, completeness)


def unusable(claim: Claim, summary: StageOutcome[Any] | None, stage: str) -> Verdict | None:
    """The "cannot be evaluated" verdict when the stage gave nothing usable, else ``None``."""
    if summary is None:
        return verdict(claim, "—", NOT_RUN, f"{stage} stage not run", "no data")
    if not summary.usable:
        return verdict(claim, "—", NOT_RUN, summary.why_unusable(), "no data")
    return None

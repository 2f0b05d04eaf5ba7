"""The tiny stage's one claim kind: ``longest_symbol``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from netpharm.verdict import Claim, ClaimKind, RunView, Verdict, usable_findings, verdict
from tinystage.findings import TinyFindings


@dataclass(frozen=True)
class LongestSymbol(ClaimKind):
    """``longest_symbol``: ``protein`` has the longest symbol of the targets."""

    kind: ClassVar[str] = "longest_symbol"
    stage: ClassVar[str] = "tiny"
    protein: str

    def named_proteins(self) -> tuple[str, ...]:
        return (self.protein,)

    def evaluate(self, claim: Claim[Any], run: RunView) -> Verdict:
        f = usable_findings(claim, run.outcome(TinyFindings), "tiny")
        if isinstance(f, Verdict):
            return f
        label = "supported" if f.longest == self.protein else "not supported"
        return verdict(claim, f"longest of {f.n_targets}: {f.longest}", label, "by symbol length", "complete")

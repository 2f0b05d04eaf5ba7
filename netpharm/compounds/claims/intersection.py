"""Claim kind ``intersection``: the number of common targets of the compound and disease lists ("107 common
targets"), from the study's own files."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from netpharm.compounds.config import CompoundsConfig
from netpharm.compounds.findings import CompoundsFindings
from netpharm.verdict import AuditFinding, Claim, ClaimKind, RunView, SectionSource, Verdict, usable_findings, verdict

__all__ = ["IntersectionClaim"]


@dataclass(frozen=True)
class IntersectionClaim(ClaimKind):
    """``intersection``: the compound targets and the disease genes have ``size`` targets in common.

    Supported when the normalised intersection has ``size`` targets; partially supported when only the names as
    written give ``size`` (the paper's count holds for its own spelling, but renames from outdated symbols or
    aliases change it: the renamed common targets are named); not supported otherwise.
    """

    kind: ClassVar[str] = "intersection"
    stage: ClassVar[str] = "compounds"
    size: int

    def __post_init__(self) -> None:
        if isinstance(self.size, bool) or self.size < 0:
            raise ValueError(f"size must be a count ≥ 0, got {self.size!r}")

    def check(self, workflow: SectionSource) -> None:
        cfg = workflow.section(CompoundsConfig)
        if not cfg.gives_targets:
            raise ValueError("needs [[compounds.targets]] and [[compounds.disease]] tables to intersect")

    def evaluate(self, claim: Claim[Any], run: RunView) -> Verdict:
        f = usable_findings(claim, run.outcome(CompoundsFindings), "compounds")
        if isinstance(f, Verdict):
            return f
        return _judge(claim, self.size, f)

    def audit(self, claim: Claim[Any], run: RunView) -> list[AuditFinding]:
        """The study's count against its own lists: an error when neither the normalised nor the as-written
        intersection gives it, a warning when only the names as written do."""
        outcome = run.outcome(CompoundsFindings)
        if outcome is None or not outcome.usable or outcome.findings is None:
            return []
        f = outcome.findings
        if self.size == f.intersection_size:
            return []
        found = (f"its own lists give {f.intersection_size} after symbol normalisation, "
                 f"{f.written_intersection_size} as written")
        if self.size == f.written_intersection_size:
            return [AuditFinding("intersection_count", claim.id, f"the study says {self.size} common targets: "
                                 f"{found} (outdated symbols or aliases change the count)", "warning")]
        return [AuditFinding("intersection_count", claim.id,
                             f"the study says {self.size} common targets; {found}", "error")]


def _completeness(f: CompoundsFindings) -> str:
    if not f.gene_table:
        return "complete: names compared as written (no normalisation)"
    gaps = []
    if f.unmatched:
        gaps.append(f"{len(f.unmatched)} names unmatched")
    if f.ambiguous:
        gaps.append(f"{len(f.ambiguous)} ambiguous")
    kept = f" ({', '.join(gaps)}: kept as written, see compounds/symbols.tsv)" if gaps else ""
    return f"complete: every file read; names normalised with {f.gene_table}{kept}"


def _judge(claim: Claim[Any], size: int, f: CompoundsFindings) -> Verdict:
    sources = ", ".join(f"{s.label} {s.targets}" for s in f.sources)
    evidence = (f"{f.intersection_size} common targets ({len(f.compound_targets)} compound targets ∩ "
                f"{len(f.disease_targets)} disease genes; per source: {sources}); names as written give "
                f"{f.written_intersection_size}")
    gained = f.gained_by_normalisation()
    completeness = _completeness(f)
    if f.intersection_size == size:
        return verdict(claim, evidence, "supported", f"{size} common targets, as the paper says", completeness)
    if f.written_intersection_size == size:
        why = (f"the lists as written give {size}, but after symbol normalisation they share "
               f"{f.intersection_size}" + (f" (found through renames: {', '.join(gained)})" if gained else ""))
        return verdict(claim, evidence, "partially supported", why, completeness)
    return verdict(claim, evidence, "not supported",
                   f"the lists share {f.intersection_size} targets ({f.written_intersection_size} as written), "
                   f"not {size}", completeness)

"""The docking stage's part of the audit of a study's own numbers (``report/audit.tsv``), found without any claim.

- ``receptor_identity``: the structure docked as a target gene is not that protein (error; e.g. T4 lysozyme
  offered as cyclin D1), the chains docked are other proteins of the entry than the target (error), or no chain
  can be identified (warning);
- ``blind_docking``: the box holds ≥ 90 % of the receptor's heavy atoms (warning; Che & Zhang 2025, Front
  Pharmacol, doi 10.3389/fphar.2025.1566772: a whole-protein search is not evidence about a pocket).

A docking score the engine does not reproduce is the ``binding`` claim's audit row (the study's score is
stated in the claim).
"""

from __future__ import annotations

from netpharm.docking.findings import DockingFindings, ReceptorCheck
from netpharm.verdict import AuditFinding, RunView

__all__ = ["audit"]


def _identity(c: ReceptorCheck) -> list[AuditFinding]:
    subject = f"{c.system} ({c.receptor} as {c.target})"
    if c.identity == "mismatch":
        return [AuditFinding("receptor_identity", subject, c.finding, "error")]
    if c.identity == "unknown":
        return [AuditFinding("receptor_identity", subject, c.finding, "warning")]
    other = [k for k in c.docked_chains if k not in c.target_chains]
    if c.identity == "match" and other:
        return [AuditFinding("receptor_identity", subject,
                             f"chain(s) {', '.join(other)} docked, but {c.target} is chain(s) "
                             f"{', '.join(c.target_chains)} of this entry", "error")]
    return []


def audit(run: RunView) -> list[AuditFinding]:
    """Audit rows from the receptor checks made before docking (none when the stage left no findings)."""
    outcome = run.outcome(DockingFindings)
    if outcome is None or outcome.findings is None:
        return []
    rows: list[AuditFinding] = []
    for c in outcome.findings.receptor_checks:
        rows += _identity(c)
        if c.blind:
            rows.append(AuditFinding("blind_docking", f"{c.system} ({c.receptor})",
                                     f"the box holds {c.box_fraction:.0%} of the receptor's heavy atoms (≥ 90 %): "
                                     "blind docking, a whole-protein search rather than the pocket", "warning"))
    return rows

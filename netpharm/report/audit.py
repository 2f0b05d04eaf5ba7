"""The audit of a study's own numbers: every stage's and every claim's :class:`~netpharm.verdict.AuditFinding`.

Stages contribute through their ``audit`` function (:attr:`netpharm.stage.Stage.audit`), claim kinds through
:meth:`~netpharm.verdict.ClaimKind.audit`; the one check that needs two stages is made here: a docking target the
study names that its own network lacks. Written as ``report/audit.tsv`` and the report's section "Audit of the
study's own numbers".
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from netpharm.docking.findings import DockingFindings
from netpharm.network.findings import NetworkFindings
from netpharm.registry import stages
from netpharm.stage import load_object
from netpharm.verdict import AUDIT_COLUMNS, AuditFinding, Claim, ClaimKind, RunView, audit_claims

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["collect_audit", "audit_table", "AUDIT_TSV"]

#: The audit table under ``RUN_DIR/report``.
AUDIT_TSV = "audit.tsv"


def _docking_targets_in_network(run: RunView) -> list[AuditFinding]:
    """Docking systems whose ``target`` gene is not a node with an edge in the study's network."""
    dock, net = run.outcome(DockingFindings), run.outcome(NetworkFindings)
    if dock is None or dock.findings is None or net is None or not net.usable or net.findings is None:
        return []
    f = net.findings
    isolated = {n.upper() for n in f.query_isolated}
    nodes = {n.upper() for n, d in f.degree.items() if d > 0 or n.upper() not in isolated}
    unknown = {n.upper() for n in f.uncovered_targets} - isolated
    rows = []
    for c in dock.findings.receptor_checks:
        if c.target and c.target.upper() not in nodes | unknown:
            rows.append(AuditFinding("docking_target_not_in_network", f"{c.system} ({c.target})",
                                     f"the study docks into {c.target}, which is not in its own network of {f.nodes} "
                                     "nodes", "error"))
    return rows


def collect_audit(run: RunView, claims: Sequence[Claim[ClaimKind]]) -> list[AuditFinding]:
    """Every audit row: the stages' (registry order), the cross-stage check, then the claims'; each row once."""
    rows: list[AuditFinding] = []
    for spec in stages():
        if spec.audit:
            rows += load_object(spec.audit)(run)
    rows += _docking_targets_in_network(run)
    rows += audit_claims(claims, run)
    return list(dict.fromkeys(rows))


def audit_table(rows: Sequence[AuditFinding]) -> pd.DataFrame:
    """The rows as ``report/audit.tsv`` (columns check, subject, finding, severity)."""
    import pandas as pd

    return pd.DataFrame([r.to_row() for r in rows], columns=AUDIT_COLUMNS)

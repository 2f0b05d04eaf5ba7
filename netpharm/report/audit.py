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
from netpharm.network.claims.common import absent_from_network, connected
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
    """Docking systems whose ``target`` gene is absent from the study's network (the rule of the network claims:
    :func:`netpharm.network.claims.common.absent_from_network`)."""
    dock, net = run.outcome(DockingFindings), run.outcome(NetworkFindings)
    if dock is None or dock.findings is None or net is None or not net.usable or net.findings is None:
        return []
    f = net.findings
    targets = [c for c in dock.findings.receptor_checks if c.target]
    absent = set(absent_from_network(f, [c.target for c in targets]))
    return [AuditFinding("docking_target_not_in_network", f"{c.system} ({c.target})",
                         f"the study docks into {c.target}, which is not in its own network ({connected(f)} proteins "
                         "with an interaction)", "error") for c in targets if c.target in absent]


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

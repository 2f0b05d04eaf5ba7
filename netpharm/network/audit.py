"""The network stage's part of the audit of a study's own numbers (``report/audit.tsv``), found without any claim.

- ``import_cutoff``: an import lists pairs below the score cut-off the analysis uses (the study's stated one):
  the study's export was made at a lower cut-off than it says, or its network keeps pairs it says it dropped. Rows
  below the cut-off are known non-edges here and the count of target pairs so listed is given.
- ``query_vs_export``: a declared query and its export disagree beyond isolation (issue 22: a queried protein
  absent although a partner STRING scores highly with it is listed, an exported protein never queried).

Light at import: reads the stage's findings and its coverage table through the run view.
"""

from __future__ import annotations

from netpharm.network.files import COVERAGE, NON_EDGE, STATUS
from netpharm.network.findings import NetworkFindings
from netpharm.verdict import AuditFinding, RunView

__all__ = ["audit"]

_EPS = 1e-9


def _below_cutoff(run: RunView, f: NetworkFindings) -> list[AuditFinding]:
    required = f.required_score / 1000.0
    table = run.table(NetworkFindings, COVERAGE)
    out = []
    for source in f.data_sources:
        low = source.get("min_score")
        if low is None or float(low) >= required - _EPS:
            continue
        label = str(source.get("label") or source.get("file") or "import")
        listed = 0
        if table is not None and {STATUS, "evidence"} <= set(table.columns):
            evidence = table["evidence"].astype(str)
            rows = table[(table[STATUS] == NON_EDGE) & evidence.str.startswith("listed below")
                         & evidence.str.contains(f"import:{label} (", regex=False)]
            listed = len(rows)
        declared = source.get("declared_cutoff")
        said = f"; recorded with cut-off {float(declared):g}" if declared is not None else ""
        out.append(AuditFinding(
            "import_cutoff", label,
            f"the export lists pairs down to a score of {float(low):.3f}, below the cut-off {required:g} the "
            f"analysis uses{said}: {listed} target pair(s) listed below it are not edges here", "warning"))
    return out


def audit(run: RunView) -> list[AuditFinding]:
    """Audit rows from the network stage's findings (none when the stage gave nothing usable)."""
    outcome = run.outcome(NetworkFindings)
    if outcome is None or not outcome.usable or outcome.findings is None:
        return []
    f = outcome.findings
    rows = _below_cutoff(run, f)
    rows += [AuditFinding("query_vs_export", "network", why, "warning") for why in f.query_disagreements]
    return rows

"""The compounds stage's part of the audit of a study's own numbers (``report/audit.tsv``), found without any claim.

- ``import_truncated``: a source file is not the server's whole answer (OMIM exports at most 1,000 entries of a
  search): its list, and the common targets built on it, are short of what the study's search found.

Light at import: reads the stage's findings through the run view.
"""

from __future__ import annotations

from netpharm.compounds.findings import CompoundsFindings
from netpharm.compounds.readers.records import INCOMPLETE
from netpharm.verdict import AuditFinding, RunView

__all__ = ["audit"]


def audit(run: RunView) -> list[AuditFinding]:
    """Audit rows from the compounds stage's findings (none when the stage gave nothing usable)."""
    outcome = run.outcome(CompoundsFindings)
    if outcome is None or not outcome.usable or outcome.findings is None:
        return []
    return [AuditFinding("import_truncated", s.label, note.removeprefix(INCOMPLETE), "warning")
            for s in outcome.findings.sources for note in s.notes if note.startswith(INCOMPLETE)]

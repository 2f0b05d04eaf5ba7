"""The replication verdict of a run directory: the claims it was started with, judged on what it computed.

The claims come from ``workflow.resolved.json`` (the run's resolved workflow), so
``netpharm report RUN_DIR`` judges the claims the run was started with; each is evaluated by
its kind's class (the owning stage's ``claims.py``) on the run's typed summaries.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from netpharm.errors import ConfigError, ReportError
from netpharm.io import read_optional_json
from netpharm.registry import registered_claim_kinds, stages
from netpharm.verdict import VERDICT_COLUMNS, Claim, ClaimKind, RunView, Verdict, claim_from_table, evaluate

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["RESOLVED_WORKFLOW", "claims_of_run", "evaluate_claims", "verdict_table"]

#: The run's resolved workflow (written by the workflow before any stage runs).
RESOLVED_WORKFLOW = "workflow.resolved.json"


def resolved_workflow(run_dir: Path) -> dict[str, Any] | None:
    """``RUN_DIR/workflow.resolved.json`` as a mapping, ``None`` when absent or not a JSON object."""
    data = read_optional_json(Path(run_dir) / RESOLVED_WORKFLOW, "resolved workflow", ReportError)
    return data if isinstance(data, dict) else None


def claims_of_run(run_dir: Path, resolved: Mapping[str, Any] | None = None) -> tuple[Claim[ClaimKind], ...]:
    """The claims recorded in the run's resolved workflow (none when the run has none); ``resolved``: that
    workflow when the caller has read it already."""
    resolved = resolved if resolved is not None else resolved_workflow(run_dir)
    tables = resolved.get("claims") if resolved is not None else None
    kinds = registered_claim_kinds()
    try:
        return tuple(claim_from_table(i, t, kinds) for i, t in enumerate(tables or [], start=1))
    except ConfigError as exc:
        raise ReportError(f"{Path(run_dir) / RESOLVED_WORKFLOW}: {exc}") from exc


def evaluate_claims(run_dir: Path, run: RunView | None = None,
                    resolved: Mapping[str, Any] | None = None) -> list[Verdict]:
    """All verdicts for a run directory: its workflow's claims, in order.

    A stage that left no summary makes its claims "cannot be evaluated here: <stage> stage not run".
    """
    return evaluate(claims_of_run(run_dir, resolved), run or RunView(Path(run_dir), stages()))


def verdict_table(verdicts: list[Verdict]) -> pd.DataFrame:
    """The verdicts as a table (``report/verdict.tsv``): number, id, kind, claim, evidence, verdict, ..."""
    import pandas as pd

    return pd.DataFrame([v.to_row() for v in verdicts], columns=VERDICT_COLUMNS)

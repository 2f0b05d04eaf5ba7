"""The replication verdict: each ``[[claims]]`` table of the workflow against what netpharm computed.

One small evaluator per claim kind (:data:`EVALUATORS`), pure logic over the typed stage
summaries of a run directory. Every verdict is one of :data:`VERDICTS`; a verdict computed on
partial data says so in ``data_completeness`` and, when the missing data could change it, is
at most "partially supported". Nothing missing is recomputed and passed off as the paper's
source. The claims come from ``workflow.resolved.json`` (the run's resolved workflow), so
``netpharm report RUN_DIR`` judges the claims the run was started with.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from netpharm.errors import ConfigError, ReportError
from netpharm.report.claims.spec import KIND_PARAMETERS, Claim, claim_from_table, parse_claims

if TYPE_CHECKING:
    import pandas as pd

    from netpharm.report.claims.base import Context, Verdict, VerdictLabel

__all__ = ["Claim", "Verdict", "VerdictLabel", "VERDICTS", "KINDS", "VERDICT_COLUMNS", "evaluate_claims",
           "run_claims", "verdict_table", "parse_claims", "claims_of_run", "evaluators"]

#: kind → ``module:function`` of its evaluator; exactly the kinds of :data:`spec.KIND_PARAMETERS`.
#: Imported on first use so that validating a workflow's claims at load stays light.
KINDS: dict[str, str] = {
    "most_connected": "network:most_connected", "hub": "network:hub", "top_hubs": "network:top_hubs",
    "ppi_enrichment": "network:ppi_enrichment", "enriched": "enrichment:enriched", "docking": "docking:docking",
    "redocking": "docking:redocking", "pore_ion": "nmda:pore_ion"}
assert set(KINDS) == set(KIND_PARAMETERS), "every claim kind needs one evaluator"
VERDICT_COLUMNS = ["number", "id", "kind", "claim", "evidence", "verdict", "reason", "data_completeness"]
VERDICTS: tuple[str, ...] = ("supported", "not supported", "partially supported", "cannot be evaluated here")


def evaluators() -> dict[str, Callable[[Claim, Context], Verdict]]:
    """kind → evaluator function."""
    import importlib

    out = {}
    for kind, ref in KINDS.items():
        module, func = ref.split(":")
        out[kind] = getattr(importlib.import_module(f"{__name__}.{module}"), func)
    return out


def __getattr__(name: str) -> Any:
    """``Verdict`` and ``VerdictLabel`` from :mod:`.base`, loaded on first use (PEP 562)."""
    if name in ("Verdict", "VerdictLabel", "Context"):
        from netpharm.report.claims import base

        return getattr(base, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def claims_of_run(run_dir: Path) -> tuple[Claim, ...]:
    """The claims recorded in ``RUN_DIR/workflow.resolved.json`` (none when the run has none)."""
    from netpharm.report.rundir import read_json

    path = Path(run_dir) / "workflow.resolved.json"
    resolved: Any = read_json(path, "resolved workflow")
    if resolved is None:
        return ()
    tables = resolved.get("claims") if isinstance(resolved, dict) else None
    try:
        return tuple(claim_from_table(i, t) for i, t in enumerate(tables or [], start=1))
    except ConfigError as exc:
        raise ReportError(f"{path}: {exc}") from exc


def run_claims(run_dir: Path, claims: Sequence[Claim]) -> list[Verdict]:
    """The verdicts of ``claims`` for a run directory, in claim order."""
    from netpharm.report.claims.base import Context
    from netpharm.report.rundir import load_summaries

    ctx = Context(Path(run_dir), load_summaries(Path(run_dir)))
    table = evaluators()
    return [table[c.kind](c, ctx) for c in claims]


def evaluate_claims(run_dir: Path) -> list[Verdict]:
    """All verdicts for a run directory: its workflow's claims, in order.

    Parameters
    ----------
    run_dir : Path
        A finished or half-finished run directory; stages that left no summary make
        their claims "cannot be evaluated here: <stage> stage not run".
    """
    return run_claims(run_dir, claims_of_run(run_dir))


def verdict_table(verdicts: list[Verdict]) -> pd.DataFrame:
    """The verdicts as a table (``report/verdict.tsv``): number, id, kind, claim, evidence, verdict, ..."""
    import pandas as pd

    return pd.DataFrame([v.to_row() for v in verdicts], columns=VERDICT_COLUMNS)

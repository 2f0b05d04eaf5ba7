"""netpharm.report: the self-contained HTML report and the replication verdict.

Exports the stage object :data:`STAGE`: it reads every analysis stage's findings (in
:data:`UPSTREAM` order). ``write_report(run_dir)`` (``netpharm report RUN_DIR``) and the stage's
run function read only the run directory (``docs/run-directory.md``); they are importable from
here, loaded on first use.
"""

from __future__ import annotations

import importlib
from typing import Any

from netpharm import docking, enrichment, network, nmda
from netpharm.report.config import ReportConfig
from netpharm.report.findings import ReportFindings
from netpharm.stage import Stage

__all__ = ["STAGE", "UPSTREAM", "ReportConfig", "ReportResult", "build_report", "run_report_stage", "write_report",
           "Verdict", "evaluate_claims", "verdict_table"]

#: The stages whose findings the report and the claims read, in report order.
UPSTREAM: tuple[Stage[Any], ...] = (network.STAGE, enrichment.STAGE, docking.STAGE, nmda.STAGE)

STAGE: Stage[ReportFindings] = Stage(
    name="report", sections={"report": ReportConfig}, reads=tuple(s.name for s in UPSTREAM),
    run="netpharm.report.stage:run_report_stage", findings=ReportFindings)

_LAZY = {"ReportResult": "stage", "build_report": "stage", "run_report_stage": "stage", "write_report": "stage",
         "Verdict": "claims", "evaluate_claims": "claims", "verdict_table": "claims"}


def __getattr__(name: str) -> Any:
    """Load the report builder on first use (PEP 562): importing the package stays light."""
    if name in _LAZY:
        return getattr(importlib.import_module(f"{__name__}.{_LAZY[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

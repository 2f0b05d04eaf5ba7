"""netpharm.report: the self-contained HTML report and the replication verdict.

``write_report(run_dir)`` (``netpharm report RUN_DIR``) and ``run_report_stage(ctx)`` (the last
stage of ``netpharm run``) read only the run directory (``docs/run-directory.md``).
"""

from netpharm.report.stage import ReportResult, build_report, run_report_stage, write_report
from netpharm.report.verdict import CLAIMS, Claim, Verdict, evaluate_claims, verdict_table

__all__ = ["ReportResult", "build_report", "run_report_stage", "write_report", "CLAIMS", "Claim", "Verdict",
           "evaluate_claims", "verdict_table"]

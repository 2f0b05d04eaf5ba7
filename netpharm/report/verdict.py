"""Kept for existing imports: the verdict now lives in :mod:`netpharm.report.claims` (one evaluator per kind)."""

from netpharm.report.claims import VERDICTS, Claim, Verdict, VerdictLabel, evaluate_claims, verdict_table

__all__ = ["Claim", "Verdict", "VerdictLabel", "VERDICTS", "evaluate_claims", "verdict_table"]

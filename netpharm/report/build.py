"""Build the report of a run directory: report.html, its figures and verdict.tsv.

``netpharm report RUN_DIR`` and the last step of ``netpharm run`` both call :func:`build_report`;
it reads only the run directory (``docs/run-directory.md``), so it works on any finished or
half-finished run and can be rerun at will.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from netpharm.errors import ReportError
from netpharm.io import read_optional_json, write_table, write_text_atomic
from netpharm.present.page import Page, StageSection
from netpharm.registry import REPORT, ReportConfig, stages
from netpharm.report.audit import AUDIT_TSV, audit_table, collect_audit
from netpharm.report.findings import ReportFindings, VerdictFinding
from netpharm.report.html import PageInputs, build_html
from netpharm.report.parts import StagePart
from netpharm.report.verdicts import claims_of_run, resolved_workflow, verdict_table
from netpharm.stage import RunContext, Stage, StageOutcome, load_object
from netpharm.verdict import RunView, Verdict, evaluate

__all__ = ["ReportResult", "build_report", "write_report", "run_report", "REPORT_STEP", "REPORT_PAGE", "VERDICT_TSV",
           "MANIFEST"]

log = logging.getLogger(__name__)

#: The page, the verdict table (under ``RUN_DIR/report``) and the run's provenance record (``RUN_DIR``).
REPORT_PAGE = "report.html"
VERDICT_TSV = "verdict.tsv"
MANIFEST = "manifest.json"


@dataclass(frozen=True)
class ReportResult:
    """What the report wrote."""

    report: Path
    files: list[Path]
    verdicts: list[Verdict]


def _manifest(run_dir: Path) -> dict[str, Any] | None:
    """``RUN_DIR/manifest.json`` (provenance), or ``None`` when absent."""
    path = run_dir / MANIFEST
    data = read_optional_json(path, "run manifest", ReportError)
    if data is not None and not isinstance(data, dict):
        raise ReportError(f"{path}: the run manifest must be a JSON object")
    return data


def _title(run_dir: Path, manifest: Mapping[str, Any] | None, resolved: Mapping[str, Any] | None) -> str:
    """The workflow's ``report.title``, else "netpharm report: <workflow>"."""
    section = resolved.get("report") if resolved is not None else None
    if isinstance(section, dict) and section.get("title"):
        return str(section["title"])
    name = (manifest or {}).get("workflow") or run_dir.name
    return f"netpharm report: {name}"


def _pose_cards(run_dir: Path, resolved: Mapping[str, Any] | None) -> int:
    """The workflow's ``report.pose_cards`` (how many best poses get a full card), else the default."""
    section = resolved.get("report") if resolved is not None else None
    value = section.get("pose_cards", ReportConfig.pose_cards) if isinstance(section, dict) else None
    if value is None:
        return ReportConfig.pose_cards
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ReportError(f"{run_dir / 'workflow.resolved.json'}: report.pose_cards must be an integer >= 0, "
                          f"got {value!r}")
    return value


def _stage_parts(run: RunView) -> list[StagePart]:
    """Every registered stage with a report section, its section object and its recorded outcome."""
    out = []
    for spec in stages():
        if spec.section:
            section: StageSection[Any] = load_object(spec.section)()
            out.append(StagePart(spec.name, section, run.outcome(spec.findings)))
    return out


def build_report(run_dir: Path, title: str | None = None) -> ReportResult:
    """Write ``report/report.html``, ``report/figures/*``, ``report/verdict.tsv`` and ``report/audit.tsv``.

    Raises
    ------
    ReportError
        The run directory does not exist, or a summary/manifest is unreadable.
    """
    run_dir = Path(run_dir)
    if not run_dir.is_dir():
        raise ReportError(f"run directory not found: {run_dir}")
    out = run_dir / REPORT
    manifest = _manifest(run_dir)
    resolved = resolved_workflow(run_dir)
    page = Page(run_dir, out, out / "figures", manifest, _pose_cards(run_dir, resolved))
    run = RunView(run_dir, stages())
    parts = _stage_parts(run)
    rendered = [p.section.render(page, p.outcome) for p in parts]
    claims = claims_of_run(run_dir, resolved)
    verdicts = evaluate(claims, run)
    tsv = write_table(out / VERDICT_TSV, verdict_table(verdicts))
    audit = collect_audit(run, claims)
    audit_tsv = write_table(out / AUDIT_TSV, audit_table(audit))
    html = build_html(PageInputs(page, title or _title(run_dir, manifest, resolved), parts, rendered, verdicts, tsv,
                                 resolved, audit, audit_tsv))
    report = write_text_atomic(out / REPORT_PAGE, html)
    log.info("report: %s (%d verdicts: %s)", report, len(verdicts), ", ".join(v.verdict for v in verdicts))
    if audit:
        log.info("audit: %d finding(s) (%d error(s)) in %s", len(audit), sum(r.severity == "error" for r in audit),
                 audit_tsv)
    return ReportResult(report, [report, tsv, audit_tsv, *(f for r in rendered for f in r.figures)], verdicts)


def write_report(run_dir: Path) -> Path:
    """Build the report of ``run_dir`` and return the path of ``report.html`` (``netpharm report RUN_DIR``).

    Raises
    ------
    ReportError
        As :func:`build_report`.
    """
    return build_report(run_dir).report


def run_report(ctx: RunContext[ReportConfig]) -> StageOutcome[ReportFindings]:
    """The last step of a run: the report of ``ctx.run_dir`` with one verdict per ``[[claims]]`` table.

    Returns
    -------
    StageOutcome[ReportFindings]
        Recorded as ``report/summary.json`` like a stage's; ``not_run`` when the report is
        disabled in the workflow.
    """
    run_dir, config = ctx.run_dir, ctx.config
    if not config.enabled:
        return StageOutcome(REPORT, "not_run", "report disabled in the workflow (report.enabled = false)")
    result = build_report(run_dir, config.title or None)
    findings = ReportFindings(str(result.report.relative_to(run_dir)),
                              tuple(VerdictFinding(v.id, v.kind, v.number, v.verdict, v.reason)
                                    for v in result.verdicts))
    return StageOutcome(REPORT, "ok", "", [], [str(p.relative_to(run_dir)) for p in result.files], findings)


#: The report as the workflow runs it: the last step, after every stage, described by the stage
#: contract so that its record (``report/summary.json``, ``stages/report.json``) reads like a stage's.
#: It is not in the registry: it reads every registered stage and is never skipped on resume.
REPORT_STEP: Stage[ReportFindings] = Stage(
    name=REPORT, sections={REPORT: ReportConfig}, reads=(), run=f"{__name__}:run_report", findings=ReportFindings)

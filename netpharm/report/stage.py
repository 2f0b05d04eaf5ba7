"""The report stage: run directory → report.html, figures, verdict.tsv.

``netpharm report RUN_DIR`` and the last step of ``netpharm run`` both call
:func:`write_report`; it reads only the run directory (``docs/run-directory.md``), so it
works on any finished or half-finished run and can be rerun at will.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from netpharm.errors import ReportError
from netpharm.io import write_table, write_text_atomic
from netpharm.network.findings import NetworkFindings
from netpharm.report.claims import Verdict, evaluate_claims, verdict_table
from netpharm.report.figures import network_graph, write_energy_heatmap, write_network_figure
from netpharm.report.findings import ReportFindings, VerdictFinding
from netpharm.report.html import ReportInputs, build_html
from netpharm.report.rundir import load_manifest, load_summaries, read_json, read_tsv
from netpharm.stage import RunContext, StageOutcome

__all__ = ["ReportResult", "build_report", "write_report", "run_report_stage"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ReportResult:
    """What the report stage wrote."""

    report: Path
    files: list[Path]
    verdicts: list[Verdict]


def _network_figures(run_dir: Path, net: NetworkFindings | None, out: Path) -> list[Path]:
    """Draw the network figure when the network stage left an edge table."""
    edges = read_tsv(run_dir / "network" / "edges.tsv")
    if net is None or edges is None or not {"name_a", "name_b"} <= set(edges.columns):
        return []
    graph = network_graph(edges, read_tsv(run_dir / "network" / "nodes.tsv"),
                          read_tsv(run_dir / "network" / "hubs.tsv"), list(net.uncovered_targets))
    title = f"Target network (STRING combined score ≥ {net.required_score})"
    return write_network_figure(graph, out, title)


def _heatmaps(run_dir: Path, out: Path) -> list[Path]:
    """The ligands × receptors energy heatmap, when docking/results.tsv holds more than one ligand."""
    results = read_tsv(run_dir / "docking" / "results.tsv")
    if results is None or not {"ligand", "system", "engine", "status", "best_energy"} <= set(results.columns):
        return []
    docked = results[results["kind"] == "system"] if "kind" in results.columns else results
    if docked["ligand"].astype(str).nunique() < 2:
        return []
    return write_energy_heatmap(docked, out)


def _title(run_dir: Path, manifest: dict[str, Any] | None) -> str:
    """The workflow's ``report.title``, else "netpharm report: <workflow>"."""
    try:
        config = read_json(run_dir / "workflow.resolved.json", "resolved workflow")
    except ReportError:
        config = None
    section = config.get("report") if isinstance(config, dict) else None
    if isinstance(section, dict) and section.get("title"):
        return str(section["title"])
    name = (manifest or {}).get("workflow") or run_dir.name
    return f"netpharm report: {name}"


def build_report(run_dir: Path, title: str | None = None) -> ReportResult:
    """Write ``report/report.html``, ``report/figures/*`` and ``report/verdict.tsv``.

    Raises
    ------
    ReportError
        The run directory does not exist, or a summary/manifest is unreadable.
    """
    run_dir = Path(run_dir)
    if not run_dir.is_dir():
        raise ReportError(f"run directory not found: {run_dir}")
    out = run_dir / "report"
    summaries = load_summaries(run_dir)
    manifest = load_manifest(run_dir)
    net = summaries.network
    figures = _network_figures(run_dir, net.findings if net is not None else None, out / "figures")
    heatmaps = _heatmaps(run_dir, out / "figures")
    verdicts = evaluate_claims(run_dir)
    tsv = write_table(out / "verdict.tsv", verdict_table(verdicts))
    page = build_html(ReportInputs(run_dir, out, summaries, manifest, verdicts, tsv, figures,
                                   title or _title(run_dir, manifest), heatmaps))
    report = write_text_atomic(out / "report.html", page)
    log.info("report: %s (%d verdicts: %s)", report, len(verdicts), ", ".join(v.verdict for v in verdicts))
    return ReportResult(report, [report, tsv, *figures, *heatmaps], verdicts)


def write_report(run_dir: Path) -> Path:
    """Build the report of ``run_dir`` and return the path of ``report.html`` (``netpharm report RUN_DIR``).

    Raises
    ------
    ReportError
        As :func:`build_report`.
    """
    return build_report(run_dir).report


def run_report_stage(ctx: RunContext) -> StageOutcome[ReportFindings]:
    """The report stage: the report of ``ctx.run_dir`` with one verdict per ``[[claims]]`` table.

    Parameters
    ----------
    ctx : RunContext
        Uses ``ctx.config.report``; everything else comes from the run directory.

    Returns
    -------
    StageOutcome[ReportFindings]
        ``not_run`` when the report is disabled in the workflow.
    """
    if not ctx.config.report.enabled:
        return StageOutcome("report", "not_run", "report disabled in the workflow (report.enabled = false)")
    result = build_report(ctx.run_dir, ctx.config.report.title or None)
    findings = ReportFindings(str(result.report.relative_to(ctx.run_dir)),
                              tuple(VerdictFinding(v.id, v.kind, v.number, v.verdict, v.reason)
                                    for v in result.verdicts))
    return StageOutcome("report", "ok", "", [], [str(p.relative_to(ctx.run_dir)) for p in result.files], findings)

"""Assemble the self-contained HTML report of a run directory from its templates.

One file, readable offline: inline CSS, figures embedded as ``data:`` URIs, and — only when a
best pose is shown in 3-D — the vendored 3Dmol.js inlined with its licence header; no external
resource. What is missing comes first, then the replication verdict, then the inputs and each
stage, then every file and the provenance.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from markupsafe import Markup

from netpharm.report import sections
from netpharm.report.claims import Verdict
from netpharm.report.markup import CSS
from netpharm.report.rundir import Summaries
from netpharm.report.templating import render
from netpharm.report.viewer import THREEDMOL_VERSION, threedmol_source

__all__ = ["ReportInputs", "build_html"]


@dataclass(frozen=True)
class ReportInputs:
    """Everything the page is built from (all read from the run directory beforehand)."""

    run_dir: Path
    report_dir: Path
    summaries: Summaries
    manifest: dict[str, Any] | None
    verdicts: list[Verdict]
    verdict_tsv: Path
    network_figures: list[Path]
    title: str
    heatmaps: list[Path] = field(default_factory=list)


_NAV = (("missing", "What is missing"), ("verdict", "Verdict"), ("inputs", "Inputs"), ("network", "Network"),
        ("enrichment", "Enrichment"), ("docking", "Docking"), ("nmda", "NMDA pore"), ("files", "Files"),
        ("provenance", "Provenance"))


def _viewer_js() -> str:
    return resources.files("netpharm.report").joinpath("templates/viewer.js").read_text(encoding="utf-8")


def build_html(r: ReportInputs) -> str:
    """The report page as one string (UTF-8, deterministic for a given run directory)."""
    base, s = r.report_dir, r.summaries
    m = r.manifest or {}
    subtitle = (f"workflow {m.get('workflow', r.run_dir.name)} · netpharm {m.get('netpharm_version', '?')} · "
                f"commit {m.get('git_commit') or 'unknown'} · run started {m.get('started', '?')}")
    docking, viewers = sections.docking_section(r.run_dir, base, s.docking, r.heatmaps)
    body = [
        sections.missing_section(s, r.manifest),
        sections.verdict_section(r.verdicts, r.verdict_tsv, base),
        sections.inputs_section(r.run_dir, s, r.manifest),
        sections.network_section(r.run_dir, base, s.network, r.network_figures),
        sections.enrichment_section(r.run_dir, base, s.enrichment),
        docking,
        sections.nmda_section(r.run_dir, base, s.nmda),
        sections.files_section(r.run_dir, base),
        sections.provenance_section(r.manifest),
    ]
    return str(render("report.html.j2", title=r.title, subtitle=subtitle, nav=_NAV, sections=body,
                      css=Markup(CSS), viewers=bool(viewers), threedmol_version=THREEDMOL_VERSION,
                      threedmol=Markup(threedmol_source()) if viewers else "",
                      viewer_js=Markup(_viewer_js()) if viewers else ""))

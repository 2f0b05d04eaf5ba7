"""Assemble the self-contained HTML report page from its parts.

One file, readable offline: inline CSS, figures embedded as ``data:`` URIs, and — only when a
section holds a 3-D view — the vendored 3Dmol.js inlined with its licence header; no external
resource. What is missing comes first, then the replication verdict, the audit of the study's own numbers,
then the inputs and each
registered stage's section, then every file and the provenance.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from markupsafe import Markup

from netpharm.present.markup import CSS
from netpharm.present.page import Page, Rendered
from netpharm.present.templating import render
from netpharm.present.viewer import THREEDMOL_VERSION, threedmol_source
from netpharm.report import parts
from netpharm.verdict import AuditFinding, Verdict

__all__ = ["PageInputs", "build_html"]


@dataclass(frozen=True)
class PageInputs:
    """Everything the page is built from (all read from the run directory beforehand)."""

    page: Page
    title: str
    stages: Sequence[parts.StagePart]
    rendered: Sequence[Rendered]
    verdicts: list[Verdict]
    verdict_tsv: Path
    resolved: Mapping[str, Any] | None
    audit: Sequence[AuditFinding] = ()
    audit_tsv: Path | None = None


def _script(name: str) -> str:
    """A page script of ``netpharm/present/templates`` (inlined: the page loads nothing)."""
    return resources.files("netpharm.present").joinpath(f"templates/{name}").read_text(encoding="utf-8")


def build_html(r: PageInputs) -> str:
    """The report page as one string (UTF-8, deterministic for a given run directory)."""
    page, m = r.page, r.page.manifest or {}
    subtitle = (f"workflow {m.get('workflow', page.run_dir.name)} · netpharm {m.get('netpharm_version', '?')} · "
                f"commit {m.get('git_commit') or 'unknown'} · run started {m.get('started', '?')}")
    nav = [("missing", "What is missing"), ("verdict", "Verdict"), ("audit", "Audit"), ("inputs", "Inputs"),
           *((p.section.anchor, p.section.title) for p in r.stages), ("files", "Files"), ("provenance", "Provenance")]
    body = [parts.missing_part(r.stages, page.manifest),
            parts.verdict_part(r.verdicts, r.verdict_tsv, page.report_dir),
            parts.audit_part(r.audit, r.audit_tsv or page.report_dir / "audit.tsv", page.report_dir),
            parts.inputs_part(page, r.stages, r.resolved),
            *(Markup(x.html) for x in r.rendered),
            parts.files_part(page.run_dir, page.report_dir),
            parts.provenance_part(page.manifest)]
    viewers = any(x.views for x in r.rendered)
    tables = any(x.tables for x in r.rendered)
    return str(render(__package__, "report.html.j2", title=r.title, subtitle=subtitle, nav=nav, sections=body,
                      css=Markup(CSS), viewers=viewers, threedmol_version=THREEDMOL_VERSION,
                      threedmol=Markup(threedmol_source()) if viewers else "",
                      viewer_js=Markup(_script("viewer.js")) if viewers else "",
                      table_js=Markup(_script("table.js")) if tables else ""))

"""Assemble the self-contained HTML report of a run directory.

One file, readable offline: inline CSS, figures embedded as ``data:`` URIs, no JavaScript,
no external resource. What is missing comes first, then the replication verdict, then the
inputs and each stage, then every file and the provenance.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from netpharm.report import sections
from netpharm.report.claims import Verdict
from netpharm.report.markup import CSS, esc
from netpharm.report.rundir import Summaries

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


_NAV = (("missing", "What is missing"), ("verdict", "Verdict"), ("inputs", "Inputs"), ("network", "Network"),
        ("enrichment", "Enrichment"), ("docking", "Docking"), ("nmda", "NMDA pore"), ("files", "Files"),
        ("provenance", "Provenance"))


def build_html(r: ReportInputs) -> str:
    """The report page as one string (UTF-8, deterministic for a given run directory)."""
    base, s = r.report_dir, r.summaries
    m = r.manifest or {}
    subtitle = (f"workflow {m.get('workflow', r.run_dir.name)} · netpharm {m.get('netpharm_version', '?')} · "
                f"commit {m.get('git_commit') or 'unknown'} · run started {m.get('started', '?')}")
    body = [
        f"<h1>{esc(r.title)}</h1><p class=\"note\">{esc(subtitle)}</p>",
        "<nav>" + "".join(f'<a href="#{a}">{esc(t)}</a>' for a, t in _NAV) + "</nav>",
        sections.missing_section(s, r.manifest),
        sections.verdict_section(r.verdicts, r.verdict_tsv, base),
        sections.inputs_section(r.run_dir, s, r.manifest),
        sections.network_section(r.run_dir, base, s.network, r.network_figures),
        sections.enrichment_section(r.run_dir, base, s.enrichment),
        sections.docking_section(r.run_dir, base, s.docking),
        sections.nmda_section(r.run_dir, base, s.nmda),
        sections.files_section(r.run_dir, base),
        sections.provenance_section(r.manifest),
    ]
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>{esc(r.title)}</title><style>{CSS}</style></head>\n<body>\n"
            + "\n".join(body) + "\n</body></html>\n")

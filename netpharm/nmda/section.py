"""The NMDA stage's part of the report: the structure, its Mg²⁺ sites, the pore tables and figures."""

from __future__ import annotations

from pathlib import Path

from netpharm.nmda.findings import NmdaFindings
from netpharm.present.markup import figure_views, tsv_block
from netpharm.present.page import Page, Rendered, StageSection
from netpharm.present.templating import render
from netpharm.stage import StageOutcome

__all__ = ["NmdaSection", "SITE_COLUMNS"]

#: Columns of the Mg²⁺ site table.
SITE_COLUMNS = ["site", "kind", "classification", "z_along_axis", "radial_offset", "delta", "coordinating"]


class NmdaSection(StageSection[NmdaFindings]):
    """Structure and N-site ring radius, the Mg²⁺ sites (observed or placed), every pore table and figure."""

    anchor = "nmda"
    title = "NMDA pore"

    def render(self, page: Page, outcome: StageOutcome[NmdaFindings] | None) -> Rendered:
        if outcome is None or not outcome.usable or outcome.findings is None:
            return Rendered(render(__package__, "nmda.html.j2", s=outcome, usable=False))
        f = outcome.findings
        run_dir, base = page.run_dir, page.report_dir
        return Rendered(render(
            __package__, "nmda.html.j2", s=outcome, usable=True, f=f,
            sites=[{c: getattr(m, c) for c in SITE_COLUMNS} for m in f.mg_sites], site_columns=SITE_COLUMNS,
            blocks=[tsv_block(run_dir, base, r, Path(r).stem.replace("_", " ")) for r in outcome.outputs
                    if r.endswith(".tsv")],
            figures=figure_views(run_dir, base, list(f.figures), "NMDA pore")))

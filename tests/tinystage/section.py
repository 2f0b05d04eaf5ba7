"""The tiny stage's part of the report."""

from __future__ import annotations

from netpharm.present.markup import tsv_block
from netpharm.present.page import Page, Rendered, StageSection
from netpharm.present.templating import render
from netpharm.stage import StageOutcome
from tinystage.files import LENGTHS
from tinystage.findings import TinyFindings


class TinySection(StageSection[TinyFindings]):
    anchor = "tiny"
    title = "Symbol lengths"

    def render(self, page: Page, outcome: StageOutcome[TinyFindings] | None) -> Rendered:
        block = tsv_block(page.run_dir, page.report_dir, f"tiny/{LENGTHS}", "Symbol lengths")
        return Rendered(render(__package__, "tiny.html.j2", s=outcome, block=block))

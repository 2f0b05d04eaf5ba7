"""The enrichment stage's part of the report: the paper's themes, top terms, STRING's tables, the figures."""

from __future__ import annotations

from pathlib import Path

from netpharm.enrichment import files
from netpharm.enrichment.findings import EnrichmentFindings
from netpharm.present.markup import figure_views, tsv_block
from netpharm.present.page import Page, Rendered, StageSection
from netpharm.present.templating import render
from netpharm.stage import StageOutcome

__all__ = ["EnrichmentSection"]

#: The themes are built in (netpharm/enrichment/themes.py: the magnesium sulfate / lumbar microdiscectomy paper's),
#: looked up in every run: the title says whose they are, so another study's report does not read them as its own.
THEMES_TITLE = ("Built-in themes of the magnesium sulfate / microdiscectomy paper (looked up in every run; this "
                "workflow's own enrichment claims are in the verdict)")


def _string_tables(outputs: list[str]) -> list[str]:
    """STRING's per-category tables among the stage's outputs (not its raw or imported answer)."""
    return sorted(o for o in outputs if Path(o).name.startswith("string_") and o.endswith(".tsv")
                  and Path(o).name not in (files.STRING_RAW, files.STRING_IMPORTED))


class EnrichmentSection(StageSection[EnrichmentFindings]):
    """Whether STRING's enrichment was cached, the offline correction, themes, top terms, STRING's tables."""

    anchor = "enrichment"
    title = "Enrichment"

    def render(self, page: Page, outcome: StageOutcome[EnrichmentFindings] | None) -> Rendered:
        if outcome is None:
            return Rendered(render(__package__, "enrichment.html.j2", s=None))
        f = outcome.findings
        source = {"import": " (from an imported STRING file)", "api": " (STRING's API answer)"}.get(
            str(f.string_source) if f is not None else "", "")
        labels = sorted({c.label for c in f.correction.offline.values()}) if f is not None else []
        run_dir, base = page.run_dir, page.report_dir
        blocks = [tsv_block(run_dir, base, f"{files.FOLDER}/{files.THEMES}", THEMES_TITLE),
                  tsv_block(run_dir, base, f"{files.FOLDER}/{files.TOP_TERMS}", "Top terms per category (offline ORA)")]
        blocks += [tsv_block(run_dir, base, r, f"STRING enrichment: {Path(r).stem[7:]}")
                   for r in _string_tables(outcome.outputs)]
        html = render(__package__, "enrichment.html.j2", s=outcome, cached=f is not None and f.string_enrichment_cached,
                      source=source, correction="; ".join(labels), blocks=blocks,
                      figures=figure_views(run_dir, base, list(f.figures) if f is not None else [], "Enrichment"))
        return Rendered(html)

    def inputs(self, page: Page, outcome: StageOutcome[EnrichmentFindings] | None) -> str:
        f = outcome.findings if outcome is not None else None
        return render("netpharm.present", "sources.html.j2", name="enrichment",
                      rows=[x if isinstance(x, dict) else {"source": x} for x in f.data_sources] if f else [])

"""The compounds stage's part of the report: counts per source, the Venn/UpSet figure, the common targets and
every rename, unmatched and ambiguous name.

Reads only ``RUN_DIR/compounds`` (names from :mod:`netpharm.compounds.files`) and the stage's typed findings.
"""

from __future__ import annotations

from netpharm.compounds import files
from netpharm.compounds.ct_findings import CTPathwayFindings
from netpharm.compounds.findings import CompoundsFindings
from netpharm.present.markup import figure_view, tsv_block
from netpharm.present.page import Page, Rendered, StageSection
from netpharm.present.templating import render
from netpharm.stage import StageOutcome

__all__ = ["CompoundsSection", "CTPathwaySection"]

_TABLES = ((files.COUNTS, "Counts per source (rule applied, rows kept, file sha256)"),
           (files.INTERSECTION, "Common targets"),
           (files.SYMBOLS, "Symbol normalisation: every rename, unmatched and ambiguous name"),
           (files.COMPOUNDS, "Compounds"),
           (files.CT_NODES, "Compound–target network: nodes, degree and tie-aware rank per side (Cytoscape's "
                            "node table; GraphML and SIF next to it)"),
           (files.DRUG_LIKENESS, "Drug-likeness: RDKit descriptors, Lipinski/Veber; server values labelled "
                                 "(imported), never recomputed"),
           (files.COMPOUND_TARGETS, "Compound → target pairs"),
           (files.DISEASE_TARGETS, "Disease genes"))


class CompoundsSection(StageSection[CompoundsFindings]):
    """Sources and their counts, the intersection figure and tables."""

    anchor = "compounds"
    title = "Compounds and targets"

    def render(self, page: Page, outcome: StageOutcome[CompoundsFindings] | None) -> Rendered:
        if outcome is None or not outcome.usable or outcome.findings is None:
            return Rendered(render(__package__, "compounds.html.j2", s=outcome, usable=False))
        f = outcome.findings
        blocks = [tsv_block(page.run_dir, page.report_dir, f"{files.FOLDER}/{name}", title)
                  for name, title in _TABLES]
        figure = figure_view(page.run_dir / f.figure, "Intersection", page.report_dir) if f.figure else None
        ct_figure = (figure_view(page.run_dir / files.FOLDER / f"{files.CT_FIGURE}.png", "Compound–target network",
                                 page.report_dir) if f.ct_network is not None else None)
        core = ({side: f.ct_network.core(side, 5) for side in ("compound", "target")}
                if f.ct_network is not None else {})
        return Rendered(render(__package__, "compounds.html.j2", s=outcome, usable=True, f=f, blocks=blocks,
                               figure=figure, renamed=len(f.renamed), ct_figure=ct_figure, core=core))

    def unused(self, outcome: StageOutcome[CompoundsFindings] | None) -> bool:
        """A workflow with a target list and no compound or disease tables: nothing for this stage to do."""
        return outcome is not None and outcome.status == "not_run" and outcome.reason == files.NOT_ASKED

    def inputs(self, page: Page, outcome: StageOutcome[CompoundsFindings] | None) -> str:
        if outcome is None or outcome.findings is None:
            return ""
        return render(__package__, "compounds_inputs.html.j2", sources=outcome.findings.sources)


class CTPathwaySection(StageSection[CTPathwayFindings]):
    """The compound–target–pathway network: how its terms were chosen, core nodes per side, figure, tables."""

    anchor = "ct-pathway"
    title = "Compound–target–pathway"

    def render(self, page: Page, outcome: StageOutcome[CTPathwayFindings] | None) -> Rendered:
        if outcome is None or not outcome.usable or outcome.findings is None:
            return Rendered(render(__package__, "ct_pathway.html.j2", s=outcome, usable=False))
        f = outcome.findings
        folder = files.CTP_STAGE
        blocks = [tsv_block(page.run_dir, page.report_dir, f"{folder}/{files.CTP_TERMS}",
                            "Terms joined: id, name, FDR, member targets in the network"),
                  tsv_block(page.run_dir, page.report_dir, f"{folder}/{files.CTP_NODES}",
                            "Nodes: side, degree and tie-aware rank per side, pathway links (Cytoscape's node table; "
                            "GraphML and SIF next to it)")]
        figure = figure_view(page.run_dir / f.figure, "Compound–target–pathway network", page.report_dir)
        core = {side: [(n.name, n.degree) for n in f.network.side_nodes(side) if n.rank <= 5]
                for side in ("compound", "target", "pathway")}
        return Rendered(render(__package__, "ct_pathway.html.j2", s=outcome, usable=True, f=f, blocks=blocks,
                               figure=figure, core=core))

    def unused(self, outcome: StageOutcome[CTPathwayFindings] | None) -> bool:
        """No compound tables, or ``pathway_terms = 0``: nothing asked of this step (not a gap)."""
        return outcome is not None and outcome.status == "not_run" and outcome.reason in (files.NOT_ASKED,
                                                                                         files.CTP_OFF)

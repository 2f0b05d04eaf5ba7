"""The network stage's part of the report: the network figure, Cytoscape exports and every table.

Reads only ``RUN_DIR/network`` (names from :mod:`netpharm.network.files`) and the stage's
typed findings; a table the run did not write is shown as missing, never invented.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from netpharm.network import files
from netpharm.network.findings import NetworkFindings
from netpharm.present.markup import TsvBlock, figure_view, fmt, rel, table_view, tsv_block
from netpharm.present.page import Page, Rendered, StageSection
from netpharm.present.templating import render
from netpharm.stage import StageOutcome

__all__ = ["NetworkSection"]

_TABLES = ((files.NETWORK_SUMMARY, "NetworkAnalyzer network statistics"),
           (files.NODES, "NetworkAnalyzer node table"),
           (files.HUBS, "All 12 cytoHubba scores and ranks"),
           (files.RANK_STABILITY, "Rank stability across score cut-offs and edge bootstrap"),
           (files.PPI_ENRICHMENT, "STRING PPI enrichment (STRING's response)"))


def _path(name: str) -> str:
    return f"{files.FOLDER}/{name}"


def _fmt_score(value: object) -> str:
    return f"{value:.4g}" if isinstance(value, float) else str(value)


def _top_hubs_wide(page: Page) -> TsvBlock:
    """top_hubs.tsv as one column per method (MCC first), one row per position: all 12 at a glance."""
    title = "Top hubs per method (MCC first)"
    path = page.run_dir / _path(files.TOP_HUBS)
    frame = _read(page, files.TOP_HUBS)
    if frame is None or not {"method", "rank", "name"} <= set(frame.columns):
        return tsv_block(page.run_dir, page.report_dir, _path(files.TOP_HUBS), title)
    methods = list(dict.fromkeys(frame["method"]))
    methods.sort(key=lambda m: m != "MCC")  # stable: MCC first, the rest in the file's order
    columns: dict[str, list[str]] = {}
    for method in methods:
        rows = frame[frame["method"] == method].sort_values("rank", kind="mergesort")
        score = rows["score"] if "score" in rows.columns else [""] * len(rows)
        tied = rows["tied_at_boundary"] if "tied_at_boundary" in rows.columns else [False] * len(rows)
        columns[method] = [f"{r}. {n} ({_fmt_score(v)}){' *' if str(t) == 'True' else ''}"
                           for r, n, v, t in zip(rows["rank"], rows["name"], score, tied)]
    depth = max((len(c) for c in columns.values()), default=0)
    wide = pd.DataFrame({m: c + [""] * (depth - len(c)) for m, c in columns.items()})
    return TsvBlock("Top hubs per method (MCC first; rank. name (score); * = tied at the top-N boundary)",
                    _path(files.TOP_HUBS), table_view(wide, path, page.report_dir, max_rows=max(depth, 1)))


def _modules(page: Page, f: NetworkFindings | None) -> TsvBlock:
    """module_clusters.tsv, best first, with the MCODE parameters the run used."""
    title = "MCODE clusters (Bader & Hogue 2003, as Cytoscape's MCODE app finds them)"
    params = f.module_parameters if f is not None else {}
    used = ", ".join(f"{k.replace('_', ' ')} {fmt(v)}" for k, v in params.items())  # fmt: yes/no, not True/False
    frame = _read(page, files.MODULE_CLUSTERS)
    count = len(frame) if frame is not None else 0
    if used:  # shown, not folded: the clusters are what a paper reports
        title += f": {count} clusters; parameters {used}; per node in {_path(files.MODULES)}"
    return tsv_block(page.run_dir, page.report_dir, _path(files.MODULE_CLUSTERS), title, max_rows=max(count, 1))


def _coverage(page: Page) -> TsvBlock:
    """Pair coverage: the counts in view, the table folded."""
    frame = _read(page, files.COVERAGE)
    where = _path(files.COVERAGE)
    if frame is None or "status" not in frame.columns:
        return tsv_block(page.run_dir, page.report_dir, where, "Coverage of every target pair")
    summary = _read(page, files.COVERAGE_TARGETS)
    if summary is not None and {"edge", "non_edge", "unknown"} <= set(summary.columns):
        # compact listing (large target lists): the listed pairs as rows, every pair counted per target
        totals = {k: int(summary[k].sum()) // 2 for k in ("edge", "non_edge", "unknown")}
        shown = min(len(frame), 200)
        return tsv_block(page.run_dir, page.report_dir, where, "Coverage of the target pairs a source lists",
                         max_rows=shown, folded=f"{sum(totals.values())} pairs: {totals['edge']} edge, "
                         f"{totals['non_edge']} non-edge, {totals['unknown']} unknown; {len(frame)} listed pairs "
                         f"(first {shown} shown), every target's counts in {_path(files.COVERAGE_TARGETS)}")
    counts = ", ".join(f"{n} {str(k).replace('_', '-')}" for k, n in frame["status"].value_counts().sort_index().items())
    return tsv_block(page.run_dir, page.report_dir, where, "Coverage of every target pair", max_rows=len(frame),
                     folded=f"{len(frame)} pairs: {counts}")


def _core_targets(page: Page, f: NetworkFindings | None) -> dict[str, object] | None:
    """The CytoNCA core-target block: one line per round (medians, core) and core_targets.tsv folded."""
    if f is None or f.core_targets is None:
        return None
    ct = f.core_targets
    rounds = [{"round": r.round, "nodes": r.nodes, "core": ", ".join(r.core) or "—",
               "medians": ", ".join(f"{m} {v:.4g}" for m, v in r.medians.items())} for r in ct.rounds]
    block = tsv_block(page.run_dir, page.report_dir, _path(files.CORE_TARGETS), "CytoNCA measures per round",
                      folded=f"{files.CORE_TARGETS}: every node's measures, medians and passes, per round")
    return {"measures": ", ".join(ct.measures), "asked": ct.rounds_asked, "rounds": rounds, "block": block}


def _query(page: Page, f: NetworkFindings | None) -> dict[str, object] | None:
    """The declared-query block: isolated proteins, the disagreements in view, query_audit.tsv folded."""
    if f is None or not (f.query_isolated or f.query_disagreements):
        return None
    frame = _read(page, files.QUERY_AUDIT)
    block = tsv_block(page.run_dir, page.report_dir, _path(files.QUERY_AUDIT), "Declared query against the export",
                      max_rows=max(len(frame) if frame is not None else 0, 1),
                      folded=f"{files.QUERY_AUDIT}: every import's declared query against its export")
    references = [f"{r.get('label')} ({r.get('file')}, STRING {r.get('declared_version') or 'version not recorded'})"
                  for r in f.reference_sources]
    return {"isolated": ", ".join(f.query_isolated), "disagreements": list(f.query_disagreements), "block": block,
            "references": ", ".join(references)}


def _read(page: Page, name: str) -> pd.DataFrame | None:
    from netpharm.io import read_tsv

    return read_tsv(page.run_dir / _path(name))


def _figures(page: Page, f: NetworkFindings | None) -> list[Path]:
    """Draw the network figure when the stage left an edge table."""
    edges = _read(page, files.EDGES)
    if f is None or edges is None or not {"name_a", "name_b"} <= set(edges.columns):
        return []
    from netpharm.network.figure import network_graph, write_network_figure

    graph = network_graph(edges, _read(page, files.NODES), _read(page, files.HUBS), list(f.uncovered_targets))
    return write_network_figure(graph, page.figures_dir, f"Target network (STRING combined score ≥ {f.required_score})")


class NetworkSection(StageSection[NetworkFindings]):
    """Figure (node size = degree, colour = MCC), GraphML/SIF links, NetworkAnalyzer and cytoHubba tables,
    MCODE clusters, CytoNCA core targets."""

    anchor = "network"
    title = "Network"

    def render(self, page: Page, outcome: StageOutcome[NetworkFindings] | None) -> Rendered:
        if outcome is None:
            return Rendered(render(__package__, "network.html.j2", s=None))
        drawn = _figures(page, outcome.findings)
        exports = [page.run_dir / _path(n) for n in (files.GRAPHML, files.SIF)]
        blocks = [_top_hubs_wide(page), _modules(page, outcome.findings)] + [tsv_block(page.run_dir, page.report_dir, _path(name), title)
                                           for name, title in _TABLES] + [_coverage(page)]
        html = render(__package__, "network.html.j2", s=outcome,
                      figures=[figure_view(p, "Target network (report figure)", page.report_dir) for p in drawn
                               if p.suffix == ".png"],
                      exports=[(rel(p, page.report_dir), p.name) for p in exports if p.is_file()], blocks=blocks,
                      core=_core_targets(page, outcome.findings), query=_query(page, outcome.findings))
        return Rendered(html, drawn)

    def inputs(self, page: Page, outcome: StageOutcome[NetworkFindings] | None) -> str:
        f = outcome.findings if outcome is not None else None
        return (render(__package__, "network_inputs.html.j2", net=f)
                + render("netpharm.present", "sources.html.j2", name="network",
                         rows=[x if isinstance(x, dict) else {"source": x} for x in f.data_sources] if f else []))

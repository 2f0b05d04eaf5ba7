"""The report's sections: each gathers its data from the run directory and renders a template.

A section never fails because a stage is absent or partial: it says "stage not run" (or
the stage's own reason) instead, so a half-finished run still gets a readable report. The
markup is in ``netpharm/report/templates/<section>.html.j2``.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import pandas as pd
from markupsafe import Markup

from netpharm.docking.findings import DockingFindings
from netpharm.enrichment.findings import EnrichmentFindings
from netpharm.nmda.findings import NmdaFindings
from netpharm.report.claims import Verdict
from netpharm.report.markup import TableView, figure_view, rel, table_view
from netpharm.report.rundir import STAGES, Summaries, read_tsv
from netpharm.report.templating import render
from netpharm.report.viewer import PoseView, pose_view
from netpharm.stage import StageOutcome

__all__ = ["missing_section", "verdict_section", "inputs_section", "network_section", "enrichment_section",
           "docking_section", "nmda_section", "files_section", "provenance_section", "missing_items", "Summaries"]


@dataclass(frozen=True)
class TsvBlock:
    """A stage's TSV shown under a heading (``table`` None: the run did not write it)."""

    title: str
    rel: str
    table: TableView | None
    folded: str = ""  # summary line of a collapsed <details>, or "" to show the table open


def _tsv(run_dir: Path, base: Path, rel_path: str, title: str, max_rows: int | None = None,
         folded: str = "") -> TsvBlock:
    path = run_dir / rel_path
    frame = read_tsv(path)
    if frame is None:
        return TsvBlock(title, rel_path, None)
    view = table_view(frame, path, base) if max_rows is None else table_view(frame, path, base, max_rows)
    return TsvBlock(title, rel_path, view, folded)


def _figures(run_dir: Path, base: Path, rels: list[str], caption: str) -> list[Any]:
    pngs = [r for r in rels if r.lower().endswith(".png")]
    shown = pngs or [r for r in rels if r.lower().endswith(".svg")]
    return [figure_view(run_dir / r, f"{caption}: {Path(r).stem}", base) for r in shown]


# --- what is missing -----------------------------------------------------------------
def _stand_ins(summaries: Summaries) -> list[str]:
    dock = summaries.docking
    systems = dock.findings.systems if dock is not None and dock.findings is not None else ()
    return [f"docking {s.system}: {Path(str(s.used_structure)).name} used as a stand-in for {s.paper_pdb}"
            for s in systems if s.stand_in]


def _absent_programs(summaries: Summaries, manifest: dict[str, Any] | None) -> list[str]:
    programs: dict[str, Any] = dict((manifest or {}).get("programs") or {})
    dock = summaries.docking
    if dock is not None and dock.findings is not None:
        programs.update(dock.findings.programs)
    return sorted(f"program not installed: {name}" for name, v in programs.items() if v in (None, ""))


def _why_not_run(name: str, config: dict[str, Any]) -> str:
    """Why a stage has no summary, when the resolved workflow says so (left out of its stages)."""
    stages = config.get("stages")
    return " (not in this workflow's stages)" if isinstance(stages, list) and name not in stages else ""


def missing_items(summaries: Summaries, manifest: dict[str, Any] | None) -> list[str]:
    """Every gap of the run, stated plainly, stage by stage."""
    items: list[str] = []
    config = dict((manifest or {}).get("config") or {})
    for name in STAGES:
        s = summaries.get(name)
        if s is None:
            items.append(f"{name}: stage not run" + _why_not_run(name, config))
            continue
        if s.status != "ok":
            items.append(f"{name}: {s.status.replace('_', ' ')}" + (f" — {s.reason}" if s.reason else ""))
        items += [f"{name}: {m}" for m in s.missing]
    return items + _stand_ins(summaries) + _absent_programs(summaries, manifest)


def missing_section(summaries: Summaries, manifest: dict[str, Any] | None) -> Markup:
    return render("missing.html.j2", items=missing_items(summaries, manifest))


# --- verdict --------------------------------------------------------------------------
def verdict_section(verdicts: list[Verdict], tsv: Path, base: Path) -> Markup:
    return render("verdict.html.j2", verdicts=verdicts, tsv=rel(tsv, base), tsv_name=tsv.name)


# --- inputs ---------------------------------------------------------------------------
def _flatten(data: Any, prefix: str = "") -> dict[str, Any]:
    """Nested mappings as dotted keys; lists stay lists (the template shows them as tables)."""
    if isinstance(data, dict):
        out: dict[str, Any] = {}
        for k, v in data.items():
            out.update(_flatten(v, f"{prefix}.{k}" if prefix else str(k)))
        return out
    return {prefix: data}


def _load_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None
    except (OSError, json.JSONDecodeError):
        return None


def inputs_section(run_dir: Path, summaries: Summaries, manifest: dict[str, Any] | None) -> Markup:
    targets_file = run_dir / "targets.txt"
    targets = targets_file.read_text(encoding="utf-8").split() if targets_file.is_file() \
        else list((manifest or {}).get("targets") or [])
    net = summaries.network
    sources = []
    for name in ("network", "enrichment"):
        s = summaries.get(name)
        found = s.findings.data_sources if s is not None and s.findings is not None else None
        if found:
            sources.append((name, [x if isinstance(x, dict) else {"source": x} for x in found]))
    resolved = _load_json(run_dir / "workflow.resolved.json")
    return render("inputs.html.j2", targets=targets, net=net.findings if net is not None else None,
                  sources=sources,
                  entries=(manifest or {}).get("cache_entries") or [], stand_ins=_stand_ins(summaries),
                  parameters=_flatten(resolved) if isinstance(resolved, dict) else None)


# --- network --------------------------------------------------------------------------
def _fmt_score(value: object) -> str:
    return f"{value:.4g}" if isinstance(value, float) else str(value)


def _top_hubs_wide(run_dir: Path, base: Path) -> TsvBlock:
    """top_hubs.tsv as one column per method (MCC first), one row per position: all 12 at a glance."""
    path = run_dir / "network" / "top_hubs.tsv"
    frame = read_tsv(path)
    if frame is None or not {"method", "rank", "name"} <= set(frame.columns):
        return _tsv(run_dir, base, "network/top_hubs.tsv", "Top hubs per method (MCC first)")
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
                    "network/top_hubs.tsv", table_view(wide, path, base, max_rows=max(depth, 1)))


def _coverage(run_dir: Path, base: Path) -> TsvBlock:
    """Pair coverage: the counts in view, the 78-row table folded."""
    frame = read_tsv(run_dir / "network" / "coverage.tsv")
    if frame is None or "status" not in frame.columns:
        return _tsv(run_dir, base, "network/coverage.tsv", "Coverage of every target pair")
    counts = ", ".join(f"{n} {k}" for k, n in frame["status"].value_counts().sort_index().items())
    return _tsv(run_dir, base, "network/coverage.tsv", "Coverage of every target pair", max_rows=len(frame),
                folded=f"{len(frame)} pairs: {counts}")


def network_section(run_dir: Path, base: Path, s: StageOutcome[Any] | None, network_figures: list[Path]) -> Markup:
    if s is None:
        return render("network.html.j2", s=None)
    files = [run_dir / "network" / n for n in ("network.graphml", "network.sif")]
    blocks = [_top_hubs_wide(run_dir, base)] + [_tsv(run_dir, base, rel_path, title) for rel_path, title in (
        ("network/network_summary.tsv", "NetworkAnalyzer network statistics"),
        ("network/nodes.tsv", "NetworkAnalyzer node table"),
        ("network/hubs.tsv", "All 12 cytoHubba scores and ranks"),
        ("network/rank_stability.tsv", "Rank stability across score cut-offs and edge bootstrap"),
        ("network/ppi_enrichment.tsv", "STRING PPI enrichment (STRING's response)"))] + [_coverage(run_dir, base)]
    return render("network.html.j2", s=s,
                  figures=[figure_view(p, "Target network (report figure)", base) for p in network_figures
                           if p.suffix == ".png"],
                  exports=[(rel(p, base), p.name) for p in files if p.is_file()], blocks=blocks)


def enrichment_section(run_dir: Path, base: Path, s: StageOutcome[EnrichmentFindings] | None) -> Markup:
    if s is None:
        return render("enrichment.html.j2", s=None)
    f = s.findings
    source = {"import": " (from an imported STRING file)", "api": " (STRING's API answer)"}.get(
        str(f.string_source) if f is not None else "", "")
    offline = f.correction.get("offline") or {} if f is not None else {}
    labels = sorted({str(c.get("label", "")) for c in offline.values() if isinstance(c, dict)}) if offline else []
    blocks = [_tsv(run_dir, base, "enrichment/themes.tsv", "The paper's themes"),
              _tsv(run_dir, base, "enrichment/top_terms.tsv", "Top terms per category (offline ORA)")]
    blocks += [_tsv(run_dir, base, r, f"STRING enrichment: {Path(r).stem[7:]}") for r in sorted(
        o for o in s.outputs if Path(o).name.startswith("string_") and o.endswith(".tsv") and "raw" not in o
        and "imported" not in o)]
    return render("enrichment.html.j2", s=s, cached=f is not None and f.string_enrichment_cached, source=source,
                  correction="; ".join(labels), blocks=blocks,
                  figures=_figures(run_dir, base, list(f.figures) if f is not None else [], "Enrichment"))


# --- docking --------------------------------------------------------------------------
_SYSTEM_COLUMNS = ["system", "ligand", "engine", "receptor", "paper_pdb", "structure_role", "used_structure", "status",
                   "best_energy", "best_cluster_size", "n_runs", "amine_asp332_distance", "salt_bridge", "error"]
_PROFILE_COLUMNS = ["kind", "residue", "generic", "prolif_type", "distance", "ligand_atoms", "receptor_atoms", "count"]


def _interaction_summary(records: list[dict[str, Any]]) -> str:
    strong = [f"{r.get('kind')} {r.get('residue')}" + (f" ({r['generic']})" if r.get("generic") else "")
              for r in records if r.get("kind") != "hydrophobic"]
    n_hydrophobic = sum(r.get("kind") == "hydrophobic" for r in records)
    return "; ".join(strong + ([f"{n_hydrophobic} hydrophobic contacts"] if n_hydrophobic else []))


@dataclass(frozen=True)
class PoseCard:
    """One best pose: its 2-D diagram, its 3-D view and its interaction profile."""

    title: str
    figure: Any
    view: PoseView | None
    interactions: list[dict[str, Any]]
    tsv: str | None
    summary: str
    note: str


def _pose_cards(run_dir: Path, base: Path, systems: list[dict[str, Any]]) -> list[PoseCard]:
    cards = []
    for i, x in enumerate(systems):
        if not (x.get("figure") or x.get("pocket_pdb")):
            continue
        title = f"{x.get('system')} ({x.get('engine', '')})" + (f": {x['ligand']}" if x.get("ligand") else "")
        figure = figure_view(run_dir / str(x["figure"]), f"Best pose, {title}", base) if x.get("figure") else None
        records = [r for r in x.get("interactions") or [] if isinstance(r, dict)]
        view = None
        if x.get("pocket_pdb") and x.get("pose_sdf"):
            view = pose_view(f"pose{i}", title, run_dir / str(x["pocket_pdb"]), run_dir / str(x["pose_sdf"]),
                             records)
        tsv = rel(run_dir / str(x["interactions_tsv"]), base) if x.get("interactions_tsv") else None
        cards.append(PoseCard(title, figure, view, records, tsv, _interaction_summary(records),
                              str(x.get("interactions_error") or "")))
    return cards


@dataclass(frozen=True)
class EnergyTable:
    """The heatmap's numbers for one engine, as an HTML table: ligands × receptors, missing cells named."""

    engine: str
    systems: list[str]
    rows: list[tuple[str, list[tuple[float | None, str]]]]


def _energy_tables(run_dir: Path) -> list[EnergyTable]:
    """The values behind ``energy_heatmap.png`` (same grid, :func:`netpharm.report.figures.energy_grid`), so a
    reader can copy them and a browser test can check every cell."""
    results = read_tsv(run_dir / "docking" / "results.tsv")
    if results is None or results.empty:
        return []
    from netpharm.report.figures import energy_grid  # the report stage has imported it already

    tables = []
    for engine in dict.fromkeys(results["engine"].astype(str)):
        ligands, systems, grid, notes = energy_grid(results, engine)
        tables.append(EnergyTable(engine, systems, [
            (lig, [(None if pd.isna(grid[i, j]) else round(float(grid[i, j]), 2), notes[i][j])
                   for j in range(len(systems))]) for i, lig in enumerate(ligands)]))
    return tables


def docking_section(run_dir: Path, base: Path, s: StageOutcome[DockingFindings] | None,
                    heatmaps: list[Path] | None = None) -> tuple[Markup, list[PoseView]]:
    """The docking section and the 3-D views it holds (the page adds the viewer script once)."""
    if s is None or s.findings is None:
        return render("docking.html.j2", s=s, has_findings=False), []
    f = s.findings
    systems = [asdict(x) for x in f.systems]
    rows = systems
    columns = [c for c in _SYSTEM_COLUMNS if any(c in x for x in systems)] or _SYSTEM_COLUMNS
    redocking = [asdict(x) for x in f.redocking]
    cards = _pose_cards(run_dir, base, systems + [{**x, "system": f"redocking {x.get('system')}"}
                                                  for x in redocking])
    scripts = sorted(p for p in (run_dir / "docking").rglob("*.pml")) if (run_dir / "docking").is_dir() else []
    redock_keys = ("system", "ligand", "engine", "best_energy", "rmsd", "rmsd_min", "best_cluster_size", "n_runs",
                   "success", "crystal_local_energy", "failure_cause", "status", "error")
    redock_rows = [{k: x.get(k) for k in redock_keys} for x in redocking]
    markup = render("docking.html.j2", s=s, has_findings=True, rows=rows, columns=columns, redocking=redock_rows,
                    programs={k: v or "not installed" for k, v in f.programs.items()},
                    heatmaps=[figure_view(p, "Best energy (kcal/mol), ligands × receptors", base)
                              for p in heatmaps or [] if p.suffix == ".png"],
                    energy_tables=_energy_tables(run_dir) if heatmaps else [],
                    cards=cards, profile_columns=_PROFILE_COLUMNS,
                    scripts=[(rel(p, base), str(p.relative_to(run_dir))) for p in scripts])
    return markup, [c.view for c in cards if c.view is not None]


def nmda_section(run_dir: Path, base: Path, s: StageOutcome[NmdaFindings] | None) -> Markup:
    if s is None or not s.usable or s.findings is None:
        return render("nmda.html.j2", s=s, usable=False)
    f = s.findings
    return render("nmda.html.j2", s=s, usable=True, f=f, sites=[asdict(m) for m in f.mg_sites],
                  blocks=[_tsv(run_dir, base, r, Path(r).stem.replace("_", " ")) for r in s.outputs
                          if r.endswith(".tsv")],
                  figures=_figures(run_dir, base, list(f.figures), "NMDA pore"))


def files_section(run_dir: Path, base: Path) -> Markup:
    files = sorted(p for ext in ("*.tsv", "*.graphml", "*.sif", "*.pml", "*.json", "*.sdf", "*.pdb")
                   for p in run_dir.rglob(ext) if "report" not in p.relative_to(run_dir).parts[:1])
    return render("files.html.j2", files=[(rel(p, base), str(p.relative_to(run_dir))) for p in files])


def provenance_section(manifest: dict[str, Any] | None) -> Markup:
    if manifest is None:
        return render("provenance.html.j2", m=None)
    m = manifest
    scalars: dict[str, Any] = {k: m.get(k) for k in ("workflow", "netpharm_version", "git_commit", "python",
                                                     "platform", "offline", "cache_dir", "started", "finished")
                               if k in m}
    groups = [(title, cols, {k: "not installed" if v is None else v for k, v in m[key].items()})
              for key, title, cols in (("libraries", "Libraries", ("library", "version")),
                                       ("programs", "External programs", ("program", "version")),
                                       ("seeds", "Seeds", ("seed", "value"))) if isinstance(m.get(key), dict)]
    stages = [{"stage": k, **(v if isinstance(v, dict) else {"status": v})} for k, v in m["stages"].items()] \
        if isinstance(m.get("stages"), dict) else None
    rest = {k: v for k, v in sorted(m.items()) if k not in scalars and k not in
            ("libraries", "programs", "seeds", "cache_entries", "stages")}
    return render("provenance.html.j2", m=m, scalars=scalars, groups=groups, entries=m.get("cache_entries") or [],
                  stages=stages, rest=rest)

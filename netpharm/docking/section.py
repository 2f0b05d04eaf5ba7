"""The docking stage's part of the report, readable at any campaign size.

Energy heatmap of the best ligands; a sortable, filterable table of every ligand × receptor (best
energy, ligand efficiency, key interactions, drug-likeness) beside one 3-D viewer that shows the
pose of the row clicked; redocking; programs; full cards (diagram, 3-D view, profile) for the
``[report] pose_cards`` best poses only. A 3-D view is live only while on screen
(``present/templates/viewer.js``). Reads the stage's typed findings and ``RUN_DIR/docking``
(names from :mod:`netpharm.docking.files`); a pair without a result is shown as such, never as 0.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from netpharm.docking import files
from netpharm.docking.findings import DockingFindings
from netpharm.docking.pose_cards import PROFILE_COLUMNS, ReportPose, pose_cards, report_poses
from netpharm.io import read_tsv
from netpharm.present.markup import figure_view, rel
from netpharm.present.page import Page, Rendered, StageSection
from netpharm.present.templating import render
from netpharm.stage import StageOutcome

__all__ = ["DockingSection", "EnergyTable"]

#: Columns of the best-pose table (one row per docked system).
SYSTEM_COLUMNS = ["system", "ligand", "engine", "receptor", "paper_pdb", "structure_role", "used_structure", "status",
                  "best_energy", "best_cluster_size", "n_runs", "asp332", "amine_asp332_distance", "salt_bridge",
                  "crystal_ligand_id", "error"]
#: Columns of the redocking table (the Asp3.32 salt bridge of the crystal pose, of the docked pose, kept or not).
REDOCK_COLUMNS = ["system", "ligand", "engine", "best_energy", "rmsd", "rmsd_min", "best_cluster_size", "n_runs",
                  "success", "crystal_local_energy", "failure_cause", "asp332", "crystal_amine_asp332_distance",
                  "amine_asp332_distance", "keeps_salt_bridge", "status", "error"]


def _set_aside(rows: list[tuple[str, str | None, tuple[str, ...]]]) -> list[dict[str, str]]:
    """One row per prepared receptor: what its preparation set aside or removed, each part named."""
    seen: dict[str, dict[str, str]] = {}
    for system, structure, parts in rows:
        if parts and system not in seen:
            seen[system] = {"system": system, "structure": structure or "", "set aside": "; ".join(parts)}
    return list(seen.values())


@dataclass(frozen=True)
class EnergyTable:
    """The heatmap's numbers for one engine, as an HTML table: ligands × receptors, missing cells named."""

    engine: str
    systems: list[str]
    rows: list[tuple[str, list[tuple[float | None, str]]]]


def _results(page: Page) -> pd.DataFrame | None:
    return read_tsv(page.stage_dir(files.FOLDER) / files.RESULTS)


@dataclass(frozen=True)
class Heatmap:
    """The heatmap's files, the ranked rows it was drawn from, and how many ligands it leaves to the table."""

    files: list[Path]
    results: pd.DataFrame
    shown: int
    total: int


def _heatmap(page: Page, results: pd.DataFrame | None) -> Heatmap | None:
    """The ligands × receptors energy heatmap of the best ligands, when ``results.tsv`` holds more than one."""
    if results is None or not {"ligand", "system", "engine", "status", "best_energy"} <= set(results.columns):
        return None
    from netpharm.docking.heatmap import rank_ligands, write_energy_heatmap

    ranked, total = rank_ligands(results)
    if total < 2:
        return None
    shown = ranked["ligand"].astype(str).nunique()
    return Heatmap(write_energy_heatmap(ranked, page.figures_dir), ranked, shown, total)


@dataclass(frozen=True)
class PairRow:
    """A row of the ligand × receptor table (``key``: the pose in the page's 3-D store, ``None``: no pose)."""

    key: str | None
    ligand: str
    receptor: str
    engine: str
    status: str
    energy: float | None
    efficiency: float | None
    heavy_atoms: int | None
    qed: float | None
    interactions: str


def _pair_rows(poses: list[ReportPose]) -> list[PairRow]:
    """Every docked ligand × receptor × engine, lowest best energy first (no result last)."""
    rows = [PairRow(p.key, str(p.entry.ligand or ""), p.entry.system, p.entry.engine, str(p.entry.status), p.energy,
                    p.efficiency, p.heavy_atoms, p.qed, p.summary) for p in poses if not p.redock]
    return sorted(rows, key=lambda r: (r.energy is None, r.energy if r.energy is not None else 0.0))


def _energy_tables(results: pd.DataFrame | None) -> list[EnergyTable]:
    """The values behind ``energy_heatmap.png`` (same grid, :func:`netpharm.docking.heatmap.energy_grid`), so a
    reader can copy them and a browser test can check every cell."""
    if results is None or results.empty:
        return []
    from netpharm.docking.heatmap import energy_grid

    tables = []
    for engine in dict.fromkeys(results["engine"].astype(str)):
        ligands, systems, grid, notes = energy_grid(results, engine)
        tables.append(EnergyTable(engine, systems, [
            (lig, [(None if pd.isna(grid[i, j]) else round(float(grid[i, j]), 2), notes[i][j])
                   for j in range(len(systems))]) for i, lig in enumerate(ligands)]))
    return tables


class DockingSection(StageSection[DockingFindings]):
    """Heatmap of the best ligands, the ligand × receptor table and its 3-D view, the best-pose table, redocking,
    programs, cards for the best poses, PyMOL scripts."""

    anchor = "docking"
    title = "Docking"

    def render(self, page: Page, outcome: StageOutcome[DockingFindings] | None) -> Rendered:
        if outcome is None or outcome.findings is None:
            return Rendered(render(__package__, "docking.html.j2", s=outcome, has_findings=False))
        f, run_dir, base = outcome.findings, page.run_dir, page.report_dir
        heatmap = _heatmap(page, _results(page))
        poses, store = report_poses(run_dir, f.systems, f.redocking)
        cards, uncarded = pose_cards(run_dir, base, poses, store, page.pose_cards)
        pairs = _pair_rows(poses)
        carded = {id(c.pose.entry) for c in cards}
        folder = page.stage_dir(files.FOLDER)
        scripts = sorted(folder.rglob("*.pml")) if folder.is_dir() else []
        caption = "Best energy (kcal/mol), ligands × receptors" + (
            f": the {heatmap.shown} best of {heatmap.total} ligands" if heatmap and heatmap.shown < heatmap.total
            else "")
        html = render(
            __package__, "docking.html.j2", s=outcome, has_findings=True,
            rows=[{c: getattr(s, c) for c in SYSTEM_COLUMNS} for s in f.systems
                  if len(f.systems) <= page.pose_cards or id(s) in carded],
            n_systems=len(f.systems), columns=SYSTEM_COLUMNS,
            redocking=[{c: getattr(r, c) for c in REDOCK_COLUMNS} for r in f.redocking],
            redock_columns=REDOCK_COLUMNS,
            set_aside=_set_aside([(s.system, s.receptor, s.set_aside) for s in f.systems]
                                 + [(r.system, r.receptor, r.set_aside) for r in f.redocking]),
            programs={k: v or "not installed" for k, v in f.programs.items()},
            heatmap=heatmap, heatmaps=[figure_view(p, caption, base) for p in (heatmap.files if heatmap else [])
                                       if p.suffix == ".png"],
            energy_tables=_energy_tables(heatmap.results) if heatmap else [],
            pairs=pairs, receptors=sorted({r.receptor for r in pairs}), engines=sorted({r.engine for r in pairs}),
            explorer=next((r.key for r in pairs if r.key), None) or next((v.key for v in store.poses), None),
            store=store.data() if store.poses else None, cards=cards, uncarded=uncarded, top=page.pose_cards,
            profile_columns=PROFILE_COLUMNS, systems_tsv=rel(folder / files.SYSTEMS, base),
            checks=[{"system": c.system, "receptor": c.receptor, "target": c.target or "—", "identity": c.identity,
                     "target chains": ", ".join(c.target_chains), "docked": ", ".join(c.docked_chains),
                     "finding": c.finding, "box holds": f"{c.box_fraction:.0%}", "blind": c.blind}
                    for c in f.receptor_checks],
            scripts=[(rel(p, base), str(p.relative_to(run_dir))) for p in scripts])
        return Rendered(html, heatmap.files if heatmap else [], list(store.poses), tables=bool(pairs))

    def stand_ins(self, outcome: StageOutcome[DockingFindings] | None) -> list[str]:
        systems = outcome.findings.systems if outcome is not None and outcome.findings is not None else ()
        return [f"docking {s.system}: {Path(str(s.used_structure)).name} used as a stand-in for {s.paper_pdb}"
                for s in systems if s.stand_in]

    def programs(self, outcome: StageOutcome[DockingFindings] | None) -> dict[str, str | None]:
        return dict(outcome.findings.programs) if outcome is not None and outcome.findings is not None else {}

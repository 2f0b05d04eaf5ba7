"""The report's view of each best pose: its 2-D diagram, its 3-D view (3Dmol.js) and its interaction profile.

Built from the docking findings and the files they name (``best_pose.sdf``, ``best_pose_pocket.pdb``,
the diagram); a pose whose files are missing gets no 3-D view, never an empty one.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from netpharm.docking.findings import DockedSystem, Interaction, RedockResult
from netpharm.docking.pose.styles import KIND_COLOURS
from netpharm.present.markup import FigureView, figure_view, rel
from netpharm.present.viewer import PoseView

__all__ = ["PoseCard", "pose_cards", "pose_view", "PROFILE_COLUMNS"]

#: Columns of the interaction profile table under each pose.
PROFILE_COLUMNS = ["kind", "residue", "generic", "prolif_type", "distance", "ligand_atoms", "receptor_atoms", "count"]


@dataclass(frozen=True)
class PoseCard:
    """One best pose: its 2-D diagram, its 3-D view and its interaction profile (rows for the table)."""

    title: str
    figure: FigureView | None
    view: PoseView | None
    interactions: list[dict[str, object]]
    tsv: str | None
    summary: str
    note: str


def _summary(interactions: Sequence[Interaction]) -> str:
    strong = [f"{r.kind} {r.residue}" + (f" ({r.generic})" if r.generic else "")
              for r in interactions if r.kind != "hydrophobic"]
    n_hydrophobic = sum(r.kind == "hydrophobic" for r in interactions)
    return "; ".join(strong + ([f"{n_hydrophobic} hydrophobic contacts"] if n_hydrophobic else []))


def pose_cards(run_dir: Path, base: Path, systems: Sequence[DockedSystem],
               redocking: Sequence[RedockResult]) -> list[PoseCard]:
    """A card per best pose that left a diagram or a pocket (docked systems first, then redocking)."""
    poses: list[tuple[str, DockedSystem | RedockResult]] = [(s.system, s) for s in systems]
    poses += [(f"redocking {r.system}", r) for r in redocking]
    cards = []
    for i, (name, x) in enumerate(poses):
        if not (x.figure or x.pocket_pdb):
            continue
        title = f"{name} ({x.engine})" + (f": {x.ligand}" if x.ligand else "")
        figure = figure_view(run_dir / x.figure, f"Best pose, {title}", base) if x.figure else None
        view = None
        if x.pocket_pdb and x.pose_sdf:
            view = pose_view(f"pose{i}", title, run_dir / x.pocket_pdb, run_dir / x.pose_sdf, x.interactions)
        tsv = rel(run_dir / x.interactions_tsv, base) if x.interactions_tsv else None
        rows: list[dict[str, object]] = [{c: getattr(r, c) for c in PROFILE_COLUMNS} for r in x.interactions]
        cards.append(PoseCard(title, figure, view, rows, tsv, _summary(x.interactions), x.interactions_error or ""))
    return cards


def _sdf_positions(sdf: str) -> list[tuple[float, float, float]]:
    """Atom coordinates of the first molecule of a V2000 molfile (fixed columns)."""
    lines = sdf.splitlines()
    if len(lines) < 4:
        return []
    count = int(lines[3][:3])
    return [(float(ln[0:10]), float(ln[10:20]), float(ln[20:30])) for ln in lines[4:4 + count]]


def _pdb_atoms(pdb: str) -> dict[tuple[str, int, str], tuple[float, float, float]]:
    return {(ln[21].strip(), int(ln[22:26]), ln[12:16].strip()): (float(ln[30:38]), float(ln[38:46]),
                                                                    float(ln[46:54]))
            for ln in pdb.splitlines() if ln.startswith(("ATOM", "HETATM"))}


def _first_index(labels: str) -> int | None:
    m = re.match(r"[A-Za-z]+(\d+)", labels or "")
    return int(m[1]) - 1 if m else None


def pose_view(key: str, title: str, pocket_file: Path, sdf_file: Path,
              interactions: Sequence[Interaction]) -> PoseView | None:
    """The 3-D view of a pose, or ``None`` when its pocket or SDF file is missing."""
    if not (pocket_file.is_file() and sdf_file.is_file()):
        return None
    pocket, sdf = pocket_file.read_text(encoding="utf-8"), sdf_file.read_text(encoding="utf-8")
    ligand, receptor = _sdf_positions(sdf), _pdb_atoms(pocket)
    lines, labels, seen = [], [], set()
    residues = sorted({(r.chain, r.resnum) for r in interactions})
    for r in interactions:
        if r.kind == "hydrophobic":
            continue
        i = _first_index(r.ligand_atoms)
        name = r.receptor_atoms.split(",")[0]
        start = ligand[i] if i is not None and i < len(ligand) else None
        end = receptor.get((r.chain, r.resnum, name))
        if start is None or end is None:
            continue
        lines.append({"start": start, "end": end, "color": KIND_COLOURS.get(r.kind, "#555555"), "kind": r.kind,
                      "distance": r.distance})
        if r.residue not in seen:
            seen.add(r.residue)
            labels.append({"text": f"{r.resname.title()}{r.resnum}", "position": end})
    return PoseView(key, title, pocket, sdf, lines, labels, [{"chain": c, "resi": n} for c, n in residues])

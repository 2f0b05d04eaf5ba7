"""2-D interaction diagram of a pose: the ligand as RDKit depicts it, its residues around it.

The layout follows the usual ligand-interaction diagrams (LigPlot+, Laskowski & Swindells
2011; PoseView, Stierand & Rarey 2010): the ligand's 2-D depiction (RDKit ``Compute2DCoords`` with
CoordGen, deterministic) in the centre, each interacting residue in a box on a ring around it, placed in
the direction of the ligand atoms it touches, and joined to them with one line style per
interaction kind. Hydrophobic-only residues get a plain box joined by a thin dotted line.
Drawn with matplotlib and written by :func:`netpharm.figures.save_figure`, so reruns are
byte-identical.
"""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from rdkit import Chem
from rdkit.Chem import rdDepictor

from netpharm.docking.pose.interactions import INTERACTION_KINDS
from netpharm.docking.pose.styles import STYLES
from netpharm.figures import save_figure

__all__ = ["STYLES", "depict_ligand", "place_residues", "draw_interaction_diagram", "write_interaction_diagram"]

log = logging.getLogger(__name__)

_ELEMENT_COLOURS = {"N": "#2040d0", "O": "#d02020", "S": "#b8a000", "F": "#20a020", "Cl": "#20a020",
                    "Br": "#a05020", "I": "#802080", "P": "#e08000"}


def depict_ligand(mol: Chem.Mol) -> tuple[Chem.Mol, np.ndarray, dict[int, int]]:
    """Heavy-atom 2-D depiction: (molecule without H, (n, 2) coordinates, pose index → depiction index).

    Hydrogens are removed for the picture; an interaction on a polar H is drawn to its heavy atom.
    """
    heavy_of = {}
    for atom in mol.GetAtoms():
        if atom.GetAtomicNum() == 1 and atom.GetDegree() == 1:
            heavy_of[atom.GetIdx()] = atom.GetNeighbors()[0].GetIdx()
    keep = [a.GetIdx() for a in mol.GetAtoms() if a.GetIdx() not in heavy_of]
    new_index = {old: new for new, old in enumerate(keep)}
    index = {old: new_index[heavy_of.get(old, old)] for old in range(mol.GetNumAtoms())}
    try:
        flat = Chem.RemoveHs(Chem.Mol(mol))
    except Chem.rdchem.MolSanitizeException:  # a pose whose bond orders Open Babel guessed oddly
        flat = Chem.RemoveHs(Chem.Mol(mol), sanitize=False)
    flat.RemoveAllConformers()
    # CoordGen (Schrödinger's coordgenlibs, bundled with RDKit) draws bridged ring systems such as
    # the morphinan skeleton recognisably; it is deterministic. The preference is global: restore it.
    previous = rdDepictor.GetPreferCoordGen()
    rdDepictor.SetPreferCoordGen(True)
    try:
        rdDepictor.Compute2DCoords(flat)
    finally:
        rdDepictor.SetPreferCoordGen(previous)
    xy = np.array(flat.GetConformer().GetPositions()[:, :2], dtype=float)
    return flat, xy - xy.mean(axis=0), index


def _ligand_indices(labels: str) -> list[int]:
    """``"N13,H44"`` (element + 1-based pose index, :mod:`netpharm.docking.pose.interactions`) → [12, 43]."""
    return [int(m) - 1 for m in re.findall(r"[A-Za-z]+(\d+)", labels or "")]


def _residue_groups(records: Iterable[Mapping[str, Any]]) -> dict[str, list[Mapping[str, Any]]]:
    groups: dict[str, list[Mapping[str, Any]]] = {}
    for r in records:
        groups.setdefault(str(r["residue"]), []).append(r)
    return groups


def place_residues(anchors: Mapping[str, np.ndarray], radius: float, min_gap: float) -> dict[str, np.ndarray]:
    """Put each residue on a circle of ``radius`` in the direction of its ligand anchor point,
    then spread neighbours apart to at least ``min_gap`` radians (deterministic: sorted by angle, name).

    Hand-written because the placement is a one-dimensional spacing problem of a few labels.
    """
    if not anchors:
        return {}
    angles = sorted((math.atan2(float(p[1]), float(p[0])) if np.hypot(*p) > 1e-6 else 0.0, name)
                    for name, p in anchors.items())
    gap = min(min_gap, 2 * math.pi / len(angles))
    placed = [angles[0][0]]
    for angle, _ in angles[1:]:
        placed.append(max(angle, placed[-1] + gap))
    overflow = placed[-1] - (placed[0] + 2 * math.pi - gap)
    if overflow > 0:  # wrapped past the first label: shift everything back evenly
        placed = [a - overflow * i / max(len(placed) - 1, 1) for i, a in enumerate(placed)]
    return {name: np.array([radius * math.cos(a), radius * math.sin(a)]) for a, (_, name) in zip(placed, angles)}


def _draw_ligand(ax: Any, mol: Chem.Mol, xy: np.ndarray) -> None:
    try:
        Chem.Kekulize(mol, clearAromaticFlags=False)  # aromatic rings drawn as alternating double bonds
    except Chem.KekulizeException:
        log.debug("ligand not kekulizable: aromatic bonds drawn single")
    for bond in mol.GetBonds():
        i, j = bond.GetBeginAtomIdx(), bond.GetEndAtomIdx()
        a, b = xy[i], xy[j]
        if bond.GetBondType() in (Chem.BondType.DOUBLE, Chem.BondType.TRIPLE):
            normal = np.array([-(b - a)[1], (b - a)[0]]) / max(np.linalg.norm(b - a), 1e-6) * 0.09
            for s in (1, -1):
                ax.plot(*zip(a + s * normal, b + s * normal), color="#222222", lw=1.3, zorder=2)
        else:
            ax.plot(*zip(a, b), color="#222222", lw=1.3, zorder=2)
    for atom in mol.GetAtoms():
        sym = atom.GetSymbol()
        if sym == "C":
            continue
        charge = atom.GetFormalCharge()
        label = sym + ("+" if charge > 0 else "−" if charge < 0 else "")
        x, y = xy[atom.GetIdx()]
        ax.text(float(x), float(y), label, ha="center", va="center", fontsize=8, zorder=3,
                color=_ELEMENT_COLOURS.get(sym, "#333333"),
                bbox={"boxstyle": "circle,pad=0.12", "fc": "white", "ec": "none"})


def _residue_label(rows: list[Mapping[str, Any]]) -> str:
    r = rows[0]
    generic = next((str(x["generic"]) for x in rows if x.get("generic")), "")
    name = f"{str(r['resname']).title()}{r['resnum']}"
    chain = f" ({r['chain']})" if r.get("chain") else ""
    return name + chain + (f"\n{generic}" if generic else "")


def draw_interaction_diagram(mol: Chem.Mol, records: Sequence[Mapping[str, Any]], title: str) -> Any:
    """The diagram as a matplotlib figure (see the module docstring)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D

    flat, xy, index = depict_ligand(mol)
    groups = _residue_groups(records)
    order = {k: i for i, k in enumerate(INTERACTION_KINDS)}
    anchors = {}
    for res, rows in groups.items():
        atoms = [index[i] for r in rows for i in _ligand_indices(str(r["ligand_atoms"])) if i in index]
        anchors[res] = xy[atoms].mean(axis=0) if atoms else np.zeros(2)
    extent = float(np.abs(xy).max()) if len(xy) else 1.0
    positions = place_residues(anchors, extent + 2.2, min_gap=0.42)
    fig, ax = plt.subplots(figsize=(7.0, 7.0), dpi=110)
    for res in sorted(groups, key=lambda r: (min(order[x["kind"]] for x in groups[r]), r)):
        rows = sorted(groups[res], key=lambda x: order[x["kind"]])
        pos = positions[res]
        strong = [x for x in rows if x["kind"] != "hydrophobic"]
        drawn = strong or rows[:1]
        for k, r in enumerate(drawn):
            label, colour, style, width = STYLES[r["kind"]]
            atoms = [index[i] for i in _ligand_indices(str(r["ligand_atoms"])) if i in index]
            target = xy[atoms].mean(axis=0) if atoms else np.zeros(2)
            # several kinds to one residue (a salt bridge that is also an H-bond): side by side
            direction = (pos - target) / max(float(np.linalg.norm(pos - target)), 1e-6)
            shift = np.array([-direction[1], direction[0]]) * 0.16 * (k - (len(drawn) - 1) / 2)
            ax.plot(*zip(target + shift, pos + shift), color=colour, linestyle=style, lw=width, zorder=1)
            if r["kind"] != "hydrophobic":
                mid = (target + pos) / 2 + shift * 2.5
                ax.text(float(mid[0]), float(mid[1]), f"{float(r['distance']):.1f}", fontsize=6.5,
                        color=colour, ha="center", va="center", zorder=4,
                        bbox={"boxstyle": "round,pad=0.1", "fc": "white", "ec": "none", "alpha": 0.85})
        edge = STYLES[strong[0]["kind"]][1] if strong else "#b0b6ba"
        ax.text(float(pos[0]), float(pos[1]), _residue_label(rows), ha="center", va="center", fontsize=8, zorder=5,
                bbox={"boxstyle": "round,pad=0.3", "fc": "#eef3f8" if strong else "#f4f4f4", "ec": edge,
                      "lw": 1.4 if strong else 0.8})
    _draw_ligand(ax, flat, xy)
    kinds = [k for k in INTERACTION_KINDS if any(r["kind"] == k for r in records)]
    handles = [Line2D([0], [0], color=STYLES[k][1], linestyle=STYLES[k][2], lw=STYLES[k][3], label=STYLES[k][0])
               for k in kinds]
    if handles:
        ax.legend(handles=handles, loc="lower center", bbox_to_anchor=(0.5, -0.08), ncol=min(len(handles), 3),
                  fontsize=7.5, frameon=False)
    else:
        ax.text(0, -(extent + 1.0), "no interaction detected", ha="center", fontsize=9, color="#7f1d1d")
    lim = extent + 3.4
    ax.set_xlim(-lim, lim)
    ax.set_ylim(-lim, lim)
    ax.set_aspect("equal")
    ax.set_axis_off()
    ax.set_title(title + "\n(distances in Å, ProLIF)", fontsize=9)
    fig.tight_layout()
    return fig


def write_interaction_diagram(mol: Chem.Mol, records: Sequence[Mapping[str, Any]], out_stem: Path,
                              title: str) -> list[Path]:
    """Write ``<stem>.png`` and ``<stem>.svg``; returns both paths."""
    import matplotlib.pyplot as plt

    fig = draw_interaction_diagram(mol, records, title)
    try:
        return save_figure(fig, Path(out_stem), dpi=150)
    finally:
        plt.close(fig)

"""What the docking stage writes about a best pose besides its files: its interactions and its pocket.

For each best pose: the ProLIF interaction profile (``<stem>_interactions.tsv`` and ``.json``) and the
pocket (receptor residues within :data:`POCKET_RADIUS` Å of the ligand, ``<stem>_pocket.pdb``) that the
report's 3-D view shows with the pose's SDF. A pose whose profile cannot be computed keeps its other
results and says why. The 2-D diagram is drawn later, for the poses that get a card only
(:mod:`netpharm.docking.pose.card_diagrams`).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from rdkit import Chem

from netpharm.docking.pose.interactions import (
    has_interaction,
    profile_pose,
    profile_records,
    profile_table,
    receptor_molecule,
    skipped_residues,
)
from netpharm.docking.pose.poses import ReceptorAtom, _pdb_line
from netpharm.errors import InteractionError
from netpharm.io import write_json_atomic, write_table, write_text_atomic

__all__ = ["POCKET_RADIUS", "PoseViews", "describe_pose", "pocket_pdb"]

log = logging.getLogger(__name__)

#: Å: residues with an atom this close to the ligand make up the pocket shown in 3-D.
POCKET_RADIUS = 8.0


@dataclass(frozen=True)
class PoseViews:
    """Interaction profile and pocket files of one best pose (paths absolute)."""

    interactions: list[dict[str, Any]] = field(default_factory=list)
    interactions_tsv: Path | None = None
    interactions_json: Path | None = None
    pocket_pdb: Path | None = None
    salt_bridge_asp332: bool | None = None
    error: str = ""  # why there is no profile, or what it left out


def pocket_pdb(receptor_text: str, atoms: list[ReceptorAtom], ligand_xyz: np.ndarray,
               radius: float = POCKET_RADIUS) -> str:
    """PDB records of every receptor residue with an atom within ``radius`` Å of the ligand."""
    rec = np.array([a.xyz for a in atoms], dtype=float)
    lig = np.asarray(ligand_xyz, dtype=float)
    near = np.sqrt(((rec[:, None, :] - lig[None, :, :]) ** 2).sum(axis=2)).min(axis=1) <= radius
    keep = {atoms[i].residue for i in np.nonzero(near)[0]}
    lines = [ln for ln in receptor_text.splitlines() if ln.startswith(("ATOM", "HETATM"))]
    is_pdbqt = any(len(ln) >= 78 and ln[77:79].strip() for ln in lines)
    out = [(_pdb_line(ln) if is_pdbqt else ln) for ln, a in zip(lines, atoms) if a.residue in keep]
    return "\n".join(out + ["END"]) + "\n"


@lru_cache(maxsize=4)
def _receptor(receptor_text: str, label: str) -> Any:  # label names it in errors
    """One ProLIF receptor per receptor text: a campaign profiles many ligands in the same receptor, and
    the template standardisation (1–3 s for a GPCR) need not be repeated. Errors are not cached."""
    return receptor_molecule(receptor_text, label)


def describe_pose(mol: Chem.Mol | None, receptor_text: str, atoms: list[ReceptorAtom], ligand_xyz: np.ndarray,
                  asp332: str | None, out_dir: Path, stem: str, label: str) -> PoseViews:
    """Profile and pocket of a best pose, written into ``out_dir`` as ``<stem>_*``.

    Parameters
    ----------
    mol : rdkit.Chem.Mol or None
        The pose with hydrogens (:func:`netpharm.docking.pose.poses.pose_to_mol`); ``None`` when it
        could not be rebuilt: no profile then, the reason in ``error``.
    receptor_text : str
        The receptor PDBQT (or PDB) the ligand was docked into.
    asp332 : str or None
        ``chain:ASPnnn`` of the TM3-motif Asp3.32, if the receptor has one.
    label : str
        Names the system in error messages.
    """
    out_dir = Path(out_dir)
    pocket = write_text_atomic(out_dir / f"{stem}_pocket.pdb", pocket_pdb(receptor_text, atoms, ligand_xyz))
    if mol is None:
        return PoseViews(pocket_pdb=pocket, error=f"{label}: the pose could not be rebuilt as a molecule "
                                                  "(meeko and Open Babel failed): no interaction profile")
    try:
        receptor = _receptor(receptor_text, "receptor")
        rows = profile_pose(mol, receptor, asp332)
    except InteractionError as exc:
        log.warning("%s: %s", label, exc)
        return PoseViews(pocket_pdb=pocket, error=f"{label}: interaction profile: {exc}")
    skipped = skipped_residues(receptor)
    note = (f"{label}: interaction profile without residues {', '.join(skipped)} (no ProLIF residue template)"
            if skipped else "")
    records = profile_records(rows)
    tsv = write_table(out_dir / f"{stem}_interactions.tsv", profile_table(rows))
    js = write_json_atomic(out_dir / f"{stem}_interactions.json", {"interactions": records})
    bridge = has_interaction(records, "salt_bridge", "D3.32") if asp332 else None
    return PoseViews(records, tsv, js, pocket, bridge, note)

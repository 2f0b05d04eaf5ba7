"""The best pose of a finished docking job: pose files, contacts, Asp3.32 salt bridge, ProLIF profile,
2-D diagram and 3-D pocket, and for redocking the symmetry-corrected RMSD to the crystal pose."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rdkit import Chem

from netpharm.docking.pose.dlg import DockingLog, parse_dlg, parse_vina_pdbqt
from netpharm.docking.pose.poses import (
    asp332_salt_bridge,
    contact_residues,
    pose_to_mol,
    pymol_script,
    read_receptor_atoms,
    write_pose_files,
)
from netpharm.docking.pose.rmsd import symmetry_rmsd
from netpharm.docking.pose.views import describe_pose
from netpharm.docking.run.executor import JobResult
from netpharm.io import write_text_atomic

if TYPE_CHECKING:
    from netpharm.docking.stage import PreparedSystem

__all__ = ["read_log", "analyse_pose", "redock_rmsd"]

log = logging.getLogger(__name__)


def redock_rmsd(mol: Chem.Mol | None, reference_sdf: Path) -> float | None:
    """Symmetry-corrected heavy-atom RMSD (Å) of the pose to the crystal ligand (spyrmsd; Meli & Biggin 2020).

    Returns ``None`` when either molecule cannot be read.
    """
    ref = Chem.MolFromMolFile(str(reference_sdf), removeHs=False, sanitize=False)
    if mol is None or ref is None:
        return None
    return round(symmetry_rmsd(mol, ref), 3)


def read_log(p: PreparedSystem, result: JobResult, engine: str) -> DockingLog:
    if engine == "autodock4" and "chunks" in result.outputs:  # chunked run: merged and re-clustered
        from netpharm.docking.run.stage_jobs import merged_log

        return merged_log(Path(p.workdir))
    if engine == "autodock4":
        return parse_dlg(Path(p.workdir) / result.outputs["dlg"])
    return parse_vina_pdbqt(Path(p.workdir) / result.outputs["vina_out"])


def analyse_pose(p: PreparedSystem, engine: str, result: JobResult, run_dir: Path) -> dict[str, Any]:
    """Best pose files, contacts, salt bridge, figure (and RMSD for redocking)."""
    dlog = read_log(p, result, engine)
    best = dlog.best
    wd = Path(p.workdir)
    receptor_text = (wd / p.receptor_pdbqt).read_text(encoding="utf-8")
    atoms = read_receptor_atoms(receptor_text)
    stem = "best_pose" if engine == "autodock4" else "best_pose_vina"
    files = write_pose_files(best, receptor_text, wd, stem)
    mol = pose_to_mol(best)
    contacts = contact_residues(atoms, best.coords)
    bridge = asp332_salt_bridge(atoms, best, mol)
    write_text_atomic(wd / f"{stem}.pml", pymol_script(p.receptor_pdbqt, files.pdbqt.name, contacts, bridge))
    title = f"{p.system or p.name}: {p.ligand_name} ({engine}), {best.energy:.2f} kcal/mol"
    views = describe_pose(mol, receptor_text, atoms, best.coords, bridge.residue, wd, stem, title,
                          f"system {p.system or p.name} ({engine})")
    rel = lambda path: str(Path(path).relative_to(run_dir)) if path else None  # noqa: E731
    cluster = dlog.best_cluster
    if "chunks" in result.outputs:
        extra: dict[str, Any] = {"run_chunks": len(json.loads((wd / result.outputs["chunks"]).read_text())["chunks"]),
                                 "chunk_plan": result.outputs["chunks"], "clustering": "merged_clusters.txt"}
    else:
        extra = {}
    row: dict[str, Any] = dict(
        status="ok", best_energy=best.energy, best_run=best.run,
        best_cluster_size=cluster.size if cluster else None,
        best_cluster_mean_energy=cluster.mean_energy if cluster else None,
        n_runs=len(dlog.runs), n_clusters=len(dlog.clusters) or None, ki=best.ki, ki_unit=best.ki_unit,
        # The Asp3.32 salt bridge is the profile's row (ProLIF ionic, 4.0 Å); the amine–carboxylate
        # distance check stands in only when no profile could be computed.
        salt_bridge=bridge.formed if views.salt_bridge_asp332 is None else views.salt_bridge_asp332,
        amine_asp332_distance=bridge.distance, asp332=bridge.residue,
        contacts=contacts, interactions=views.interactions,
        figure=rel(views.diagram[0]) if views.diagram else None,
        diagram_svg=rel(views.diagram[1]) if len(views.diagram) > 1 else None,
        pose_sdf=rel(files.sdf), pocket_pdb=rel(views.pocket_pdb), interactions_tsv=rel(views.interactions_tsv),
        interactions_error=views.error or None, **extra)
    if p.reference_sdf:
        from netpharm.docking.pose.redock import assess_redock

        verdict = assess_redock(dlog, wd / p.reference_sdf, wd, engine)
        row.update(rmsd=verdict.rmsd_best_energy, rmsd_min=verdict.rmsd_min, rmsd_min_pose=verdict.rmsd_min_pose,
                   best_cluster_size=verdict.cluster_size, cluster_basis=verdict.cluster_basis,
                   success=verdict.success, crystal_local_energy=verdict.crystal_local_energy,
                   failure_cause=verdict.failure_cause)
    return row

"""The best pose of a finished docking job: pose files, contacts, Asp3.32 salt bridge, ProLIF profile and
3-D pocket, and for redocking the symmetry-corrected RMSD to the crystal pose. The 2-D diagram is drawn
afterwards, for the poses that get a card only (:mod:`netpharm.docking.pose.card_diagrams`)."""

from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path

from netpharm.docking.files import best_pose_stem
from netpharm.docking.findings import Interaction
from netpharm.docking.pose.poses import (
    asp332_salt_bridge,
    contact_residues,
    pose_to_mol,
    pymol_script,
    receptor_atoms,
    write_pose_files,
)
from netpharm.docking.pose.views import describe_pose
from netpharm.docking.prepare.prepared import PreparedSystem
from netpharm.docking.rows import DockingRow
from netpharm.docking.run.executor import JobResult
from netpharm.docking.run.stage_jobs import finished_log
from netpharm.errors import NetpharmError
from netpharm.io import read_json, write_text_atomic

__all__ = ["analyse_pose", "analyse_in_worker"]

log = logging.getLogger(__name__)


def analyse_pose(p: PreparedSystem, row: DockingRow, result: JobResult, run_dir: Path) -> DockingRow:
    """``row`` (a finished job of ``p``) with its best pose: files, contacts, salt bridge, profile, pocket (and
    RMSD for redocking); ``figure`` stays ``None`` until the pose's card diagram is drawn."""
    engine = row.engine
    dlog = finished_log(Path(p.workdir), engine, result.outputs)
    best = dlog.best
    wd = Path(p.workdir)
    receptor_text = (wd / p.receptor_pdbqt).read_text(encoding="utf-8")
    atoms = receptor_atoms(receptor_text)
    stem = best_pose_stem(engine)
    mol = pose_to_mol(best)
    files = write_pose_files(best, receptor_text, wd, stem, mol)
    contacts = contact_residues(atoms, best.coords)
    bridge = asp332_salt_bridge(atoms, best, mol)
    write_text_atomic(wd / f"{stem}.pml", pymol_script(p.receptor_pdbqt, files.pdbqt.name, contacts, bridge))
    views = describe_pose(mol, receptor_text, atoms, best.coords, bridge.residue, wd, stem,
                          f"system {p.system or p.name} ({engine})")

    def rel(path: Path | None) -> str | None:
        return str(Path(path).relative_to(run_dir)) if path else None

    cluster = dlog.best_cluster
    if "chunks" in result.outputs:
        row = replace(row, run_chunks=len(read_json(wd / result.outputs["chunks"], "chunk plan")["chunks"]),
                      chunk_plan=result.outputs["chunks"], clustering="merged_clusters.txt")
    row = replace(
        row, status="ok", best_energy=best.energy, best_run=best.run,
        best_cluster_size=cluster.size if cluster else None,
        best_cluster_mean_energy=cluster.mean_energy if cluster else None,
        n_runs=len(dlog.runs), n_clusters=len(dlog.clusters) or None, ki=best.ki, ki_unit=best.ki_unit,
        # The Asp3.32 salt bridge is the profile's row (ProLIF ionic, 4.0 Å); the amine–carboxylate
        # distance check stands in only when no profile could be computed.
        salt_bridge=bridge.formed if views.salt_bridge_asp332 is None else views.salt_bridge_asp332,
        amine_asp332_distance=bridge.distance, asp332=bridge.residue,
        contacts=tuple(contacts), interactions=tuple(Interaction(**i) for i in views.interactions),
        pose_sdf=rel(files.sdf), pocket_pdb=rel(views.pocket_pdb), interactions_tsv=rel(views.interactions_tsv),
        interactions_error=views.error or None)
    if p.reference_sdf:
        from netpharm.docking.pose.redock import assess_redock, crystal_salt_bridge

        verdict = assess_redock(dlog, wd / p.reference_sdf, wd, engine)
        crystal = crystal_salt_bridge(wd, atoms, p.ligand_pdbqt)
        row = replace(row, rmsd=verdict.rmsd_best_energy, rmsd_min=verdict.rmsd_min,
                      rmsd_min_pose=verdict.rmsd_min_pose, best_cluster_size=verdict.cluster_size,
                      cluster_basis=verdict.cluster_basis, success=verdict.success,
                      crystal_local_energy=verdict.crystal_local_energy, failure_cause=verdict.failure_cause,
                      crystal_amine_asp332_distance=crystal.distance,
                      crystal_salt_bridge=crystal.formed if crystal.distance is not None else None,
                      # kept = the crystal pose has the salt bridge and the best-energy pose has it too
                      keeps_salt_bridge=row.salt_bridge if crystal.formed else None)
    return row


def analyse_in_worker(item: tuple[PreparedSystem, DockingRow, JobResult, str]) -> tuple[DockingRow, str]:
    """Worker function (:func:`netpharm.docking.run.executor.map_in_workers`): ``(analysed row, "")``, or
    ``(row, error)`` when the pose cannot be analysed."""
    p, row, result, run_dir = item
    try:
        return analyse_pose(p, row, result, Path(run_dir)), ""
    except NetpharmError as exc:
        return row, f"system {p.name} ({row.engine}): {exc}"

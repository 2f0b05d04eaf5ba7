"""From a finished job's files to rows of the results database.

Runs in the campaign's process (the database's only writer) as each job's result
arrives, so a kill between two jobs leaves every finished job and its poses stored.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from rdkit import Chem

from netpharm.docking.pose.dlg import DockingLog
from netpharm.docking.resultsdb import PoseRecord, ResultsDB
from netpharm.docking.run.executor import DockingJob, JobResult
from netpharm.docking.run.stage_jobs import finished_log
from netpharm.errors import NetpharmError
from netpharm.io import file_sha256

__all__ = ["pose_records", "record_result", "reference_mol"]

log = logging.getLogger(__name__)


def reference_mol(path: Path | None) -> Chem.Mol | None:
    """A crystal pose (SDF/MOL or PDB) for per-pose RMSDs; None when absent or unreadable."""
    if path is None or not path.is_file():
        return None
    if path.suffix.lower() == ".pdb":
        return Chem.MolFromPDBFile(str(path), removeHs=False, sanitize=False)
    return Chem.MolFromMolFile(str(path), removeHs=False, sanitize=False)


def _rmsd(pose: Any, reference: Chem.Mol | None, what: str) -> float | None:
    from netpharm.docking.pose.poses import pose_to_mol
    from netpharm.docking.pose.rmsd import symmetry_rmsd

    if reference is None:
        return None
    mol = pose_to_mol(pose)
    if mol is None:
        return None
    try:
        return round(symmetry_rmsd(mol, reference), 3)
    except (NetpharmError, ValueError, RuntimeError) as exc:  # a different molecule than the reference
        log.debug("%s: no RMSD to the reference: %s", what, exc)
        return None


def pose_records(dlog: DockingLog, reference: Chem.Mol | None = None, what: str = "",
                 run_indices: tuple[int, ...] = ()) -> list[PoseRecord]:
    """Every pose of a log with its energy rank, AutoDock cluster and RMSD to ``reference``.

    For a job that is a chunk of a system's GA runs, ``run_indices`` maps the DLG's run
    numbers (1..chunk size) to the system's run numbers, so merged chunks keep distinct runs.
    """
    membership = {run: (c.rank, c.size) for c in dlog.clusters for run in c.members}
    ordered = sorted(dlog.runs, key=lambda p: (p.energy, p.run))

    def global_run(run: int) -> int:
        return run_indices[run - 1] if run_indices and 0 < run <= len(run_indices) else run

    return [PoseRecord(run=global_run(p.run), rank=rank, energy=p.energy, intermolecular=p.intermolecular,
                       internal=p.internal, torsional=p.torsional, ki=p.ki, ki_unit=p.ki_unit,
                       cluster=membership.get(p.run, (None, None))[0], cluster_size=membership.get(p.run, (None, None))[1],
                       rmsd=_rmsd(p, reference, what))
            for rank, p in enumerate(ordered, start=1)]


def _chunk_provenance(workdir: Path, merged: str) -> dict[str, Any]:
    """How a chunked system's poses were made: every chunk's runs, seed and DLG (with sha256), and the
    re-clustering that replaced AutoDock's own (:mod:`netpharm.docking.run.chunks`)."""
    from netpharm.docking.run.chunks import PLAN_FILE, read_plan

    plans = read_plan(workdir)
    return {"plan": PLAN_FILE, "clustering": f"{merged}: all runs re-clustered by netpharm with AutoDock 4.2.6's "
            "rules (energy order, leader clustering at rmstol, type-matched RMSD)",
            "chunks": [{"chunk": p.index + 1, "runs": [p.first_run, p.first_run + p.runs - 1], "seed": list(p.seed),
                        "dpf": p.dpf, "dlg": p.dlg, "dlg_sha256": file_sha256(workdir / p.dlg)} for p in plans]}


def record_result(db: ResultsDB, job: DockingJob, result: JobResult, run_dir: Path,
                  reference: Chem.Mol | None = None) -> str:
    """Store a job's outcome; for a finished job, every pose with its provenance.

    Returns a problem to report ("" = none): a reference pose none of whose poses could be compared with
    (another molecule than the one docked), which would otherwise leave the RMSD column silently empty.
    """
    if result.status == "failed":
        db.record_job(job.key, "failed", result.fingerprint, result.attempts, result.started or None,
                      result.finished or None, result.seconds, result.error, worker=result.worker)
        return ""
    try:
        dlog = finished_log(Path(job.workdir), job.engine, result.outputs)
    except (NetpharmError, OSError, KeyError) as exc:
        db.record_job(job.key, "failed", result.fingerprint, result.attempts, error=f"{job.name}: {exc}")
        return ""
    out_file = Path(dlog.path).resolve()
    try:
        shown = str(out_file.relative_to(Path(run_dir).resolve()))
    except ValueError:  # outside the run directory (e.g. a benchmark's folder)
        shown = str(out_file)
    provenance: dict[str, Any] = {
        "engine": job.engine, "program": dlog.version, "seeds": list(dlog.seed or job.seeds), "file": shown,
        "file_sha256": file_sha256(out_file), "input_fingerprint": result.fingerprint, "runs_requested": dlog.n_requested}
    if "chunks" in result.outputs:
        provenance["split"] = _chunk_provenance(Path(job.workdir), shown)  # key: results.sqlite format
    poses = pose_records(dlog, reference, job.name, job.run_indices)
    db.record_job(job.key, "done", result.fingerprint, result.attempts, result.started or None,
                  result.finished or None, result.seconds,
                  poses=poses,
                  provenance=provenance, keep_timings=result.status == "skipped" and
                  (db.job_status(job.key) or ("", None))[0] == "done", worker=result.worker)
    if reference is not None and poses and all(p.rmsd is None for p in poses):
        return (f"system {job.name} ({job.engine}): the reference pose is not the docked molecule (its atoms do not "
                "match the ligand's), so no RMSD could be computed")
    return ""

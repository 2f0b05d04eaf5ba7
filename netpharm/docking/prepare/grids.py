"""AutoGrid maps shared by every ligand of a campaign docked into one receptor.

An AutoDock 4 map holds, per grid point, the interaction energy of one probe atom type with
the receptor (Morris et al. 1998, J. Comput. Chem. 19:1639; AutoGrid 4.2.6): it depends on
the receptor, the box (centre, points, spacing) and that type only, and the ``e`` and ``d``
maps on the receptor and box only. So one autogrid4 run per (receptor, box, spacing) for the
union of the campaign's ligand atom types serves every ligand: each ligand's DPF reads the
maps of its own types from ``docking/<system>/maps/``. ``tests/test_grids.py`` checks this on
real runs (maps of the shared types byte-identical, poses and energies identical to a grid of
the ligand's own types).

A map set is identified by the sha256 of its inputs (receptor PDBQT + GPF, which holds the
box, spacing and types); ``done_grid.json`` records it with every map's sha256, so a rerun
reuses the maps only when both still match, and each ligand job holds a copy of that record
(``maps.json``) among its fingerprinted inputs: new maps mean the job is docked again.

Every AutoDock 4 job of a campaign docks on its receptor's maps, chunked or not: the grid is a
job of the stage's one schedule (:func:`netpharm.docking.run.stage_jobs.run_stage_jobs`), and the
receptor's unchunked jobs and chunks wait for it (``DockingJob.after``), so docking into one
receptor starts while another receptor's grid still runs, and a failed grid fails only its
receptor's jobs. ``maps.json`` is written into each waiting job's folder when the grid
finishes (:func:`write_maps_record`), before the job can start; a chunk fingerprints it too.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from netpharm.docking.prepare.autodock_files import gpf_text, pdbqt_atom_types
from netpharm.docking.run.executor import DockingJob, JobResult, fingerprint
from netpharm.docking.run.runner import run_autogrid
from netpharm.errors import AutoGridError, NetpharmError
from netpharm.io import file_sha256, read_json, write_json_atomic, write_text_atomic

__all__ = ["MAPS_DIR", "MAPS_RECORD", "SharedGrid", "union_types", "write_shared_grid", "grid_job",
           "write_maps_record", "shares_maps", "is_shared_grid", "reusable_record", "sync_maps_records"]

log = logging.getLogger(__name__)

MAPS_DIR = "maps"            # docking/<system>/maps/
MAPS_RECORD = "maps.json"    # in each ligand job folder: the map set it docks on
RECORD = "done_grid.json"    # in the maps folder
RECEPTOR, GPF, STEM = "receptor.pdbqt", "receptor.gpf", "receptor"


@dataclass(frozen=True)
class SharedGrid:
    """One receptor's map set: its folder, the ligand types it has maps for, its cost estimate."""

    system: str
    folder: str
    ligand_types: tuple[str, ...]
    cost: float = 0.0

    def job(self, timeout: float) -> DockingJob:
        """The autogrid4 job (plain data, for :func:`run_jobs`); key ``<system>/maps:autogrid4``."""
        return DockingJob(name=f"{self.system}/{MAPS_DIR}", workdir=str(Path(self.folder).resolve()),
                          engine="autogrid4", receptor=RECEPTOR, ligand="", gpf=GPF, autogrid_timeout=timeout,
                          system=self.system, cost=self.cost)


def shares_maps(campaign: bool) -> bool:
    """Campaign jobs share one map set per receptor (unchunked and chunked alike); the classic
    one-ligand run keeps each system's own grid, so its outputs stay as they were."""
    return campaign


def is_shared_grid(job: DockingJob) -> bool:
    """Whether ``job`` is a receptor's shared autogrid4 job (:meth:`SharedGrid.job`: no ligand),
    not a chunked system's own grid (which has its ligand)."""
    return job.engine == "autogrid4" and not job.ligand


def union_types(ligand_pdbqts: Iterable[str]) -> list[str]:
    """The AutoDock atom types of all ligands, in order of first appearance (deterministic GPF)."""
    out: dict[str, None] = {}
    for text in ligand_pdbqts:
        out.update(dict.fromkeys(pdbqt_atom_types(text)))
    return list(out)


def write_shared_grid(folder: Path, system: str, receptor_text: str, ligand_types: Sequence[str],
                      box: Any) -> SharedGrid:
    """Write the receptor PDBQT, the GPF for ``ligand_types`` and a ``run.sh`` into ``folder``.

    Raises
    ------
    ValueError
        More ligand types than autogrid4 handles (:data:`~netpharm.docking.prepare.autodock_files.MAX_LIGAND_TYPES`).
    """
    folder.mkdir(parents=True, exist_ok=True)
    write_text_atomic(folder / RECEPTOR, receptor_text)
    write_text_atomic(folder / GPF, gpf_text(RECEPTOR, pdbqt_atom_types(receptor_text), ligand_types, box))
    write_text_atomic(folder / "run.sh", "#!/bin/sh\n# Written by netpharm: the grid maps every ligand of this "
                      "receptor docks on (run: sh run.sh)\nset -e\n" 'cd "$(dirname "$0")"\n'
                      f"autogrid4 -p {GPF} -l receptor.glg\n")
    (folder / "run.sh").chmod(0o755)
    npts = box.npts
    points = (npts[0] + 1) * (npts[1] + 1) * (npts[2] + 1)
    # the autogrid4 term of netpharm.docking.prepare.campaign.estimate_cost (points × maps × 50)
    return SharedGrid(system, str(folder), tuple(ligand_types), points * (len(ligand_types) + 2) * 50.0)


def _map_names(folder: Path) -> list[str]:
    """The map files the GPF asks for (``map``, ``elecmap``, ``dsolvmap`` lines)."""
    names = []
    for line in (folder / GPF).read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) >= 2 and parts[0] in ("map", "elecmap", "dsolvmap"):
            names.append(parts[1])
    return names + [f"{STEM}.maps.fld", f"{STEM}.maps.xyz"]


def _earlier(folder: Path, fp: str) -> dict[str, Any] | None:
    """The record of an earlier run with the same inputs whose maps are all unchanged, else None."""
    try:
        record = read_json(folder / RECORD, "map record", AutoGridError)
        if record.get("fingerprint") != fp:
            return None
        maps = record["maps"]
        if set(maps) != set(_map_names(folder)):
            return None
        return record if all(file_sha256(folder / n) == h for n, h in maps.items()) else None
    except (OSError, ValueError, KeyError, TypeError, AutoGridError):
        return None


def grid_job(job: DockingJob) -> JobResult:
    """autogrid4 in a shared maps folder (worker function: module level, plain data in and out)."""
    folder = Path(job.workdir)
    start, wall = time.perf_counter(), time.time()
    try:
        fp = fingerprint(folder, [job.receptor, job.gpf])
        if (record := _earlier(folder, fp)) is not None:
            return JobResult(job.name, "skipped", {"glg": record["glg"]}, fingerprint=fp)
        (folder / RECORD).unlink(missing_ok=True)
        glg = run_autogrid(folder / job.gpf, folder, job.autogrid_timeout)
        maps = {n: file_sha256(folder / n) for n in _map_names(folder)}
    except (NetpharmError, OSError, ValueError) as exc:
        return JobResult(job.name, "failed", error=f"grid maps {job.name}: {exc}", error_type=type(exc).__name__,
                         seconds=time.perf_counter() - start, started=wall, finished=time.time())
    seconds = time.perf_counter() - start
    write_json_atomic(folder / RECORD, {"system": job.system, "fingerprint": fp, "glg": glg.name, "maps": maps,
                                        "seconds": round(seconds, 3)})
    return JobResult(job.name, "done", {"glg": glg.name}, seconds=seconds, fingerprint=fp, started=wall,
                     finished=time.time())


def reusable_record(grid: SharedGrid) -> dict[str, Any] | None:
    """The record of maps made earlier from the same inputs and all unchanged, else None
    (what :func:`grid_job` will find: it then skips)."""
    folder = Path(grid.folder)
    try:
        return _earlier(folder, fingerprint(folder, [RECEPTOR, GPF]))
    except OSError:
        return None


def write_maps_record(job_folder: Path, grid: SharedGrid) -> Path:
    """Copy the map set's record into a ligand job's folder as ``maps.json`` (one of its inputs)."""
    folder = Path(grid.folder)
    record = read_json(folder / RECORD, "map record", AutoGridError)
    return write_json_atomic(job_folder / MAPS_RECORD, {
        "folder": os.path.relpath(folder, job_folder), "system": grid.system, "ligand_types": list(grid.ligand_types),
        "fingerprint": record["fingerprint"], "maps": record["maps"]})


def sync_maps_records(job_folders: Iterable[Path], grid: SharedGrid) -> None:
    """Before the stage queues its jobs: ``maps.json`` from the maps already made when they are
    still valid (a resumed job then keeps its fingerprint, hence its finished row), else removed
    (a stale record must not make a job look unchanged; the grid job's result writes it anew)."""
    valid = reusable_record(grid) is not None
    for folder in job_folders:
        if valid:
            write_maps_record(Path(folder), grid)
        else:
            (Path(folder) / MAPS_RECORD).unlink(missing_ok=True)

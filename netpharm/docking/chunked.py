"""Run AutoDock 4 systems split into chunks of LGA runs: the hook between the stage and the executor.

``docking.run_chunks = N`` (> 1) makes the docking stage run each AutoDock 4 system as
one autogrid4 job and N autodock4 jobs of about ``ga_runs / N`` runs each
(:mod:`netpharm.docking.split`), all through :func:`netpharm.docking.executor.run_jobs`, so
local processes and a Dask cluster work alike. Phase 1 computes every system's grid maps
in parallel; phase 2 runs every chunk of every system in parallel (more jobs than
workers keeps all workers busy until the end, which a system-per-job schedule cannot
when systems differ in cost). Each system's chunks are then merged and re-clustered into
one :class:`~netpharm.docking.dlg.DockingLog`; the folder records ``chunks.json`` (run
ranges and seeds) and ``merged_clusters.txt`` (the re-clustered histogram).

Every job writes its own ``done_<what>.json`` with the sha256 of its inputs, so a rerun
skips finished grids and chunks exactly like unsplit jobs.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import time
from collections.abc import Sequence
from pathlib import Path

from netpharm.docking.dlg import DockingLog
from netpharm.docking.executor import DockingJob, JobResult, fingerprint, run_jobs
from netpharm.docking.runner import run_autodock, run_autogrid
from netpharm.docking.split import PLAN_FILE, ChunkPlan, merge_chunk_dlgs, plan_chunks, read_plan, write_chunk_dpfs
from netpharm.errors import NetpharmError
from netpharm.io import write_json_atomic

__all__ = ["run_chunked", "grid_job", "chunk_job", "merged_log", "ligand_cost"]

log = logging.getLogger(__name__)


def _cached(job: DockingJob, record: Path, names: list[str]) -> JobResult | None:
    try:
        done = json.loads(record.read_text(encoding="utf-8"))
        fp = fingerprint(Path(job.workdir), names)
    except (OSError, ValueError):
        return None
    outputs = done.get("outputs", {})
    if done.get("fingerprint") != fp or not all((Path(job.workdir) / o).is_file() for o in outputs.values()):
        return None
    return JobResult(job.name, "skipped", outputs, fingerprint=fp)


def _execute(job: DockingJob, record: str, names: list[str], action: str) -> JobResult:
    workdir = Path(job.workdir)
    earlier = _cached(job, workdir / record, names)
    if earlier is not None:
        return earlier
    start = time.perf_counter()
    try:
        fp = fingerprint(workdir, names)
        if action == "grid":
            outputs = {"glg": run_autogrid(workdir / job.gpf, workdir, job.autogrid_timeout).name}
        else:
            outputs = {"dlg": run_autodock(workdir / job.dpf, workdir, job.autodock_timeout).name}
    except (NetpharmError, OSError, ValueError) as exc:
        return JobResult(job.name, "failed", error=f"system {job.name}: {exc}", error_type=type(exc).__name__,
                         seconds=time.perf_counter() - start)
    seconds = time.perf_counter() - start
    write_json_atomic(workdir / record, {"job": job.name, "fingerprint": fp, "outputs": outputs,
                                         "seconds": round(seconds, 3)})
    return JobResult(job.name, "done", outputs, seconds=seconds, fingerprint=fp)


def grid_job(job: DockingJob) -> JobResult:
    """autogrid4 for one system (worker function: module level, plain data in and out)."""
    return _execute(job, "done_grid.json", [job.receptor, job.ligand, job.gpf], "grid")


def chunk_job(job: DockingJob) -> JobResult:
    """autodock4 on one chunk's DPF (its maps must exist)."""
    return _execute(job, f"done_{Path(job.dpf).stem}.json", [job.receptor, job.ligand, job.gpf, job.dpf], "dock")


def ligand_cost(ligand_pdbqt: Path) -> float:
    """Relative cost of one LGA run: (ligand atoms)², as AutoDock's intramolecular pair terms grow.

    A scheduling estimate only (it orders the jobs, never changes a result); on this machine
    imatinib (40 atoms) costs 2.7× morphine (24 atoms) per run, (40/24)² = 2.8.
    """
    try:
        text = ligand_pdbqt.read_text(encoding="utf-8")
    except OSError:
        return 1.0
    return float(sum(1 for ln in text.splitlines() if ln.startswith(("ATOM", "HETATM"))) ** 2)


def merged_log(workdir: Path, rmstol: float = 2.0) -> DockingLog:
    """The merged, re-clustered log of a split system (from its ``chunks.json``)."""
    return merge_chunk_dlgs(Path(workdir), read_plan(Path(workdir)), rmstol)


def run_chunked(jobs: Sequence[DockingJob], runs: int, chunks: int, seed: tuple[int, int], workers: int = 2,
                scheduler: str = "") -> list[JobResult]:
    """Run AutoDock 4 ``jobs`` split into ``chunks`` chunks each; one result per job, in order.

    A job's result is "done" when its grid and every chunk finished, with outputs
    ``{"chunks": "chunks.json", "dlg": "merged_clusters.txt"}``; else "failed" with the
    first error. ``seed`` is chunk 1's seed (= the unsplit run's); the others are derived
    (:func:`netpharm.docking.split.chunk_seed`) and recorded.
    """
    plans: dict[str, list[ChunkPlan]] = {}
    for job in jobs:
        if job.engine != "autodock4":
            raise ValueError(f"only autodock4 jobs are split, got {job.engine} for {job.name}")
        plans[job.name] = plan_chunks(runs, chunks, seed, stem=Path(job.dpf).stem)
        write_chunk_dpfs(Path(job.workdir), job.dpf, plans[job.name])
    grids = dict(zip([j.name for j in jobs],
                     run_jobs([dataclasses.replace(j, engine="autogrid4") for j in jobs], workers, scheduler,
                              fn=grid_job)))
    chunk_jobs = [dataclasses.replace(j, name=f"{j.name}#chunk{p.index + 1}", engine="autodock4-chunk", dpf=p.dpf)
                  for j in jobs if grids[j.name].status != "failed" for p in plans[j.name]]
    # longest first (LPT): a worker that picks up the costliest chunks early leaves only short
    # ones for the end; stable, so equal costs keep the workflow's order
    runs_of = {f"{j.name}#chunk{p.index + 1}": p.runs for j in jobs for p in plans[j.name]}
    chunk_jobs.sort(key=lambda c: -runs_of[c.name] * ligand_cost(Path(c.workdir) / c.ligand))
    done = dict(zip([c.name for c in chunk_jobs], run_jobs(chunk_jobs, workers, scheduler, fn=chunk_job)))
    results = []
    for job in jobs:
        failures = [grids[job.name]] if grids[job.name].status == "failed" else \
            [done[f"{job.name}#chunk{p.index + 1}"] for p in plans[job.name]
             if done[f"{job.name}#chunk{p.index + 1}"].status == "failed"]
        if failures:
            results.append(JobResult(job.name, "failed", error=failures[0].error, error_type=failures[0].error_type))
            continue
        seconds = grids[job.name].seconds + sum(done[f"{job.name}#chunk{p.index + 1}"].seconds
                                                for p in plans[job.name])
        log.info("docking %s: %d chunks finished, merging and re-clustering", job.name, len(plans[job.name]))
        results.append(JobResult(job.name, "done", {"chunks": PLAN_FILE, "dlg": "merged_clusters.txt"},
                                 seconds=seconds))
    return results

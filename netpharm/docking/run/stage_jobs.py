"""Run AutoDock 4 systems cut into chunks of LGA runs: the hook between the stage and the executor.

``docking.run_chunks = N`` (> 1) makes the docking stage run each AutoDock 4 system as
one autogrid4 job and N autodock4 jobs of about ``ga_runs / N`` runs each
(:mod:`netpharm.docking.run.chunks`); ``run_chunks = "auto"`` chooses N per system from the
workers and every job's cost estimate (:func:`netpharm.docking.run.schedule.auto_chunks`:
the longest chunk at most 1/10 of total / workers). Grids, chunks and the stage's
unchunked jobs go to :func:`netpharm.docking.run.executor.run_jobs` together, each chunk
waiting only for its own system's maps (``DockingJob.after``), so local processes and a
Dask cluster work alike and no worker waits for another system's grid. When a system's
last chunk finishes its chunks are merged and re-clustered into one
:class:`~netpharm.docking.pose.dlg.DockingLog`; the folder records ``chunks.json`` (run
ranges and seeds) and ``merged_clusters.txt`` (the re-clustered histogram).

A campaign's receptors have one shared map set each (:mod:`netpharm.docking.prepare.grids`): its
autogrid4 job is one more job of the same schedule, and that receptor's unchunked jobs and
chunks wait for it instead of running a grid of their own (``maps.json``, written when the
grid finishes, is then among each job's and chunk's fingerprinted inputs).

Every job writes its own ``done_<what>.json`` with the sha256 of its inputs, so a rerun
skips finished grids and chunks exactly like unchunked jobs.
"""

from __future__ import annotations

import dataclasses
import logging
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from netpharm.docking import files
from netpharm.docking.config import DockingConfig
from netpharm.docking.pose.dlg import DockingLog, parse_dlg, parse_vina_pdbqt
from netpharm.docking.prepare.grids import SharedGrid, is_shared_grid, write_maps_record
from netpharm.docking.prepare.grids import grid_job as shared_grid_job
from netpharm.docking.run import schedule
from netpharm.docking.run.chunks import PLAN_FILE, ChunkPlan, merge_chunk_dlgs, plan_chunks, read_plan, write_chunk_dpfs
from netpharm.docking.run.executor import DockingJob, JobResult, execute_job, fingerprint, run_jobs, worker_id
from netpharm.docking.run.job_records import OUTPUT_DIGESTS, grid_outputs, output_digests, outputs_intact
from netpharm.docking.run.runner import KILLED_BY_SIGNAL, run_autodock, run_autogrid
from netpharm.docking.run.vina_batch import BATCH_ENGINE, batch_vina_jobs, vina_batch_job, vina_module_version
from netpharm.errors import NetpharmError, SchedulerError
from netpharm.io import read_json, write_json_atomic

__all__ = ["run_chunked", "ChunkedRun", "chunk_steps", "run_step", "grid_job", "chunk_job", "merged_log", "finished_log",
           "grid_key", "schedule_rows", "SCHEDULE_FILE", "run_stage_jobs"]

SCHEDULE_FILE = files.SCHEDULE

log = logging.getLogger(__name__)


def _cached(job: DockingJob, record: Path, names: list[str]) -> JobResult | None:
    try:
        done = read_json(record, "job record", SchedulerError)
        fp = fingerprint(Path(job.workdir), names)
    except (OSError, ValueError, SchedulerError):
        return None
    if done.get("fingerprint") != fp or not outputs_intact(Path(job.workdir), done):
        return None
    return JobResult(job.name, "skipped", done.get("outputs", {}), fingerprint=fp)


def _execute(job: DockingJob, record: str, names: list[str], action: str) -> JobResult:
    workdir = Path(job.workdir)
    earlier = _cached(job, workdir / record, names)
    if earlier is not None:
        return earlier
    wall_start = time.time()
    start = time.perf_counter()
    try:
        fp = fingerprint(workdir, names)
        if action == "grid":
            outputs = {"glg": run_autogrid(workdir / job.gpf, workdir, job.autogrid_timeout).name}
        else:
            outputs = {"dlg": run_autodock(workdir / job.dpf, workdir, job.autodock_timeout).name}
    except (NetpharmError, OSError, ValueError) as exc:
        return JobResult(job.name, "failed", error=f"system {job.name}: {exc}", error_type=type(exc).__name__,
                         seconds=time.perf_counter() - start, died=KILLED_BY_SIGNAL in str(exc),
                         started=wall_start, finished=time.time(), worker=worker_id())
    seconds = time.perf_counter() - start
    made = [*outputs.values(), *(grid_outputs(workdir, job.gpf) if action == "grid" else [])]
    try:
        write_json_atomic(workdir / record, {"job": job.name, "fingerprint": fp, "outputs": outputs,
                                             OUTPUT_DIGESTS: output_digests(workdir, made),
                                             "seconds": round(seconds, 3)})
    except (NetpharmError, OSError) as exc:  # e.g. a full disk: not done until recorded
        return JobResult(job.name, "failed", error=f"system {job.name}: cannot record its result: {exc}",
                         error_type=type(exc).__name__, seconds=seconds, started=wall_start, finished=time.time(),
                         worker=worker_id())
    return JobResult(job.name, "done", outputs, seconds=seconds, fingerprint=fp, started=wall_start,
                     finished=time.time(), worker=worker_id())


def grid_job(job: DockingJob) -> JobResult:
    """autogrid4 for one system (worker function: module level, plain data in and out)."""
    return _execute(job, "done_grid.json", [job.receptor, job.ligand, job.gpf], "grid")


def chunk_job(job: DockingJob) -> JobResult:
    """autodock4 on one chunk's DPF (its maps must exist: its own system's, or the receptor's shared
    map set, whose record ``maps.json`` is then an input instead of the GPF)."""
    inputs = [n for n in (job.receptor, job.ligand, job.gpf, job.maps, job.dpf) if n]
    return _execute(job, f"done_{Path(job.dpf).stem}.json", inputs, "dock")


def merged_log(workdir: Path, rmstol: float = 2.0) -> DockingLog:
    """The merged, re-clustered log of a chunked system (from its ``chunks.json``)."""
    return merge_chunk_dlgs(Path(workdir), read_plan(Path(workdir)), rmstol)


def finished_log(workdir: Path, engine: str, outputs: Mapping[str, str]) -> DockingLog:
    """The log of a finished job in ``workdir`` from its result's ``outputs``: the DLG (AutoDock 4),
    the chunks merged and re-clustered (a chunked AutoDock 4 job) or the output PDBQT (Vina)."""
    if engine == "autodock4" and "chunks" in outputs:
        return merged_log(workdir)
    if engine == "autodock4":
        return parse_dlg(workdir / outputs["dlg"])
    return parse_vina_pdbqt(workdir / outputs["vina_out"])


def grid_key(job: DockingJob) -> str:
    """Key of a chunked system's autogrid4 job."""
    return f"{job.name}:autogrid4"


def chunk_steps(job: DockingJob, plans: Sequence[ChunkPlan], shared: str = "") -> list[DockingJob]:
    """A chunked system's jobs: its grid, then one autodock4 job per chunk waiting for that grid;
    with ``shared`` (the key of the receptor's shared grid job) only the chunks, waiting for it.

    Costs: the grid gets ``job.grid_cost``, each chunk its share of the rest by runs
    (the executor orders by them; :mod:`netpharm.docking.run.schedule`).
    """
    runs = sum(p.runs for p in plans)
    dock = max(job.cost - job.grid_cost, 0.0)
    grid = [] if shared else [dataclasses.replace(job, engine="autogrid4", cost=job.grid_cost, after=(), ga_runs=0)]
    return grid + [dataclasses.replace(job, name=f"{job.name}#chunk{p.index + 1}", engine="autodock4-chunk",
                                       dpf=p.dpf, cost=dock * p.runs / runs, after=(shared or grid_key(job),),
                                       ga_runs=p.runs, run_indices=tuple(range(p.first_run, p.first_run + p.runs)),
                                       seeds=tuple(p.seed))
                   for p in plans]


def run_step(job: DockingJob) -> JobResult:
    """Worker function for a stage's mixed job list: shared and per-system grids, chunks and unchunked jobs."""
    if is_shared_grid(job):
        return shared_grid_job(job)
    if job.engine == "autogrid4":
        return grid_job(job)
    if job.engine == "autodock4-chunk":
        return chunk_job(job)
    if job.engine == BATCH_ENGINE:
        return vina_batch_job(job)
    return execute_job(job)


def member_results(batch: DockingJob, result: JobResult) -> list[tuple[DockingJob, JobResult]]:
    """A Vina batch job's result as its members' own (a member without one failed with the batch)."""
    out = []
    for i, member in enumerate(batch.members):
        if i < len(result.parts):
            part = result.parts[i]
            part.attempts = result.attempts
        else:
            part = JobResult(member.name, "failed", error=f"system {member.name} (vina): {result.error}",
                             error_type=result.error_type, died=result.died, attempts=result.attempts)
        out.append((member, part))
    return out


def _batched(jobs: list[DockingJob], cfg: DockingConfig) -> list[DockingJob]:
    """A campaign's (``cfg.ligands``) Vina jobs docked in batches on maps computed once per receptor, when
    the ``vina`` module is installed (:mod:`netpharm.docking.run.vina_batch`): every one of them, so that a
    ligand's score does not depend on how many others the campaign docks. Without ligands (the paper's
    systems, redocking) the jobs run the ``vina`` program as before."""
    if not cfg.ligands or vina_module_version() is None:
        return jobs
    out = batch_vina_jobs(jobs, cfg.workers, min_members=1)
    batches = [j for j in out if j.engine == BATCH_ENGINE]
    if batches:
        log.info("docking: %d Vina ligands in %d batches on maps computed once per batch (vina module %s)",
                 sum(len(b.members) for b in batches), len(batches), vina_module_version())
    return out


class ChunkedRun:
    """The chunked systems of one stage run: their plans written, their jobs, and the merge.

    Parameters
    ----------
    jobs : sequence of DockingJob
        AutoDock 4 jobs, one per system.
    chunks : sequence of int
        Chunks per job (each capped at ``runs``).
    runs : int
        ``ga_run`` of every job.
    seed : (int, int)
        Chunk 1's seed (= the unchunked run's); the others are derived and recorded.
    shared : mapping, optional
        ``job.key`` → key of the shared grid job its chunks wait for (a campaign job docking
        on its receptor's maps); the other jobs get a grid of their own.
    """

    def __init__(self, jobs: Sequence[DockingJob], chunks: Sequence[int], runs: int, seed: tuple[int, int],
                 shared: Mapping[str, str] | None = None) -> None:
        self.jobs = {j.key: j for j in jobs}
        self.plans: dict[str, list[ChunkPlan]] = {}
        self.steps: list[DockingJob] = []
        self.owner: dict[str, str] = {}
        self.results: dict[str, dict[str, JobResult]] = {}
        self.expected: dict[str, int] = {}
        for job, n in zip(jobs, chunks, strict=True):
            if job.engine != "autodock4":
                raise ValueError(f"only autodock4 jobs are split, got {job.engine} for {job.name}")
            self.plans[job.key] = plan_chunks(runs, n, seed, stem=Path(job.dpf).stem)
            write_chunk_dpfs(Path(job.workdir), job.dpf, self.plans[job.key])
            steps = chunk_steps(job, self.plans[job.key], (shared or {}).get(job.key, ""))
            self.expected[job.key] = len(steps)
            self.steps += steps
            self.owner.update({s.key: job.key for s in steps})
            self.results[job.key] = {}

    def step_done(self, step: DockingJob, result: JobResult) -> tuple[DockingJob, JobResult] | None:
        """Record a step's final result; when its system's last step is in, the system's result
        (merged and re-clustered if every step succeeded)."""
        key = self.owner.get(step.key)
        if key is None:
            return None
        self.results[key][step.key] = result
        job = self.jobs[key]
        if len(self.results[key]) < self.expected[key]:
            return None
        return job, self._system_result(job, list(self.results[key].values()))

    def _system_result(self, job: DockingJob, steps: list[JobResult]) -> JobResult:
        failures = [r for r in steps if r.status == "failed"]
        started = min((r.started for r in steps if r.started), default=0.0)
        finished = max((r.finished for r in steps), default=0.0)
        if failures:
            first = next((r for r in failures if "not run:" not in r.error), failures[0])
            return JobResult(job.name, "failed", error=first.error, error_type=first.error_type,
                             seconds=sum(r.seconds for r in steps), attempts=max(r.attempts for r in steps),
                             started=started, finished=finished, died=first.died)
        n = len(self.plans[job.key])
        log.info("docking %s: %d chunks finished, merging and re-clustering", job.name, n)
        try:
            merged_log(Path(job.workdir))
            fp = fingerprint(Path(job.workdir), job.inputs())
        except (NetpharmError, OSError, ValueError) as exc:
            return JobResult(job.name, "failed", error=f"system {job.name}: merging {n} chunks: {exc}",
                             error_type=type(exc).__name__)
        status = "skipped" if all(r.status == "skipped" for r in steps) else "done"
        workers = sorted({r.worker for r in steps if r.worker})
        return JobResult(job.name, status, {"chunks": PLAN_FILE, "dlg": "merged_clusters.txt"},
                         seconds=sum(r.seconds for r in steps), fingerprint=fp,
                         attempts=max(r.attempts for r in steps), started=started, finished=finished,
                         worker=",".join(workers))


def schedule_rows(jobs: Sequence[DockingJob], run_dir: Path) -> list[dict[str, object]]:
    """``docking/schedule.tsv``: the jobs exactly as the executor schedules them.

    One row per job handed to :func:`run_jobs` — ``job`` (key), ``system``, ``engine``, ``cost``
    (estimate), ``after`` (keys it waits for, comma-separated), ``runs`` and ``logs`` (the
    autogrid4/autodock4 logs it writes, relative to the run directory; their CPU lines give the
    job's measured cost). Inputs only, no timings, so a rerun writes the same file;
    ``benchmarks/docking_split.py`` replays it with :func:`netpharm.docking.run.schedule.simulate`.
    """
    rows: list[dict[str, object]] = []
    for job in jobs:
        folder = Path(job.workdir)
        if job.engine == "autogrid4":
            logs = [Path(job.gpf).stem + ".glg"]
        elif job.engine == "autodock4-chunk":
            logs = [Path(job.dpf).stem + ".dlg"]
        elif job.engine == "autodock4":  # no GPF: it docks on a shared map set (netpharm.docking.prepare.grids)
            logs = ([Path(job.gpf).stem + ".glg"] if job.gpf else []) + [Path(job.dpf).stem + ".dlg"]
        else:
            logs = []
        try:
            where = folder.resolve().relative_to(Path(run_dir).resolve())
        except ValueError:
            where = folder
        rows.append({"job": job.key, "system": job.system or job.name, "engine": job.engine, "cost": job.cost,
                     "after": ",".join(job.after), "runs": len(job.run_indices) or job.ga_runs,
                     "logs": ",".join(str(where / name) for name in logs)})
    return rows


def run_chunked(jobs: Sequence[DockingJob], runs: int, chunks: int | Sequence[int], seed: tuple[int, int],
                workers: int = 2, scheduler: str = "",
                on_result: Callable[[DockingJob, JobResult], None] | None = None) -> list[JobResult]:
    """Run AutoDock 4 ``jobs`` cut into ``chunks`` chunks each (one count, or one per job); one result
    per job, in order.

    A job's result is "done" when its grid and every chunk finished, with outputs
    ``{"chunks": "chunks.json", "dlg": "merged_clusters.txt"}``; else "failed" with the
    first error. ``seed`` is chunk 1's seed (= the unchunked run's); the others are derived
    (:func:`netpharm.docking.run.chunks.chunk_seed`) and recorded.
    """
    counts = [chunks] * len(jobs) if isinstance(chunks, int) else list(chunks)
    chunked = ChunkedRun(jobs, counts, runs, seed)
    out: dict[str, JobResult] = {}

    def step_done(step: DockingJob, result: JobResult) -> None:
        whole = chunked.step_done(step, result)
        if whole is not None:
            out[whole[0].key] = whole[1]
            if on_result is not None:
                on_result(*whole)

    run_jobs(chunked.steps, workers, scheduler, fn=run_step, on_result=step_done)
    return [out[j.key] for j in jobs]


def run_stage_jobs(jobs: list[DockingJob], cfg: DockingConfig, store: Callable[[DockingJob, JobResult], None],
                   run_dir: Path, grids: Sequence[SharedGrid] = ()) -> dict[str, JobResult]:
    """Every job's result by ``job.key``, all jobs in one :func:`run_jobs` call.

    AutoDock 4 jobs are cut into chunks when ``cfg.run_chunks`` is > 1, or ``"auto"`` and
    :func:`netpharm.docking.run.schedule.auto_chunks` gives a job more than one chunk; a job
    left at one chunk runs unchunked (``dock.dpf``/``dock.dlg``), exactly as with ``run_chunks = 1``.
    ``grids`` are the receptors' shared map sets (:mod:`netpharm.docking.prepare.grids`): each is a job of
    the same schedule, and every job docking on it (``job.maps``: unchunked, or each of its chunks)
    waits for it; when it finishes, its record goes into those jobs' folders (``maps.json``)
    before any of them starts; when it fails, only they fail, with its error. Grid jobs are not
    passed to ``store`` nor returned.
    """
    import pandas as pd

    from netpharm.io import write_table

    docks_on = {g.system: [j for j in jobs if j.maps and j.system == g.system] for g in grids}
    grid_jobs = {g.system: g.job(cfg.autogrid_timeout) for g in grids if docks_on[g.system]}
    by_grid = {gj.key: g for g in grids if (gj := grid_jobs.get(g.system)) is not None}
    shared = {j.key: grid_jobs[j.system].key for j in jobs if j.maps and j.system in grid_jobs}
    jobs = [dataclasses.replace(j, after=(*j.after, shared[j.key])) if j.key in shared else j for j in jobs]
    ad4 = [j for j in jobs if j.engine == "autodock4"]
    if cfg.run_chunks == "auto":
        # the stage's jobs as they will run: an unchunked redocking case without a grid estimate
        # (prepared PDBQTs) still counts with its whole cost; shared grids count once each
        counts = schedule.auto_chunks(  # via the module: the benchmark plans for other workers
            [j.cost - j.grid_cost for j in ad4], cfg.ga_runs,
            sum(j.cost for j in jobs) + sum(g.cost for g in grid_jobs.values()), cfg.workers)
    else:
        counts = [int(cfg.run_chunks)] * len(ad4)
    chosen = {j.key: min(n, cfg.ga_runs) for j, n in zip(ad4, counts, strict=True)}
    chunked = [j for j in ad4 if chosen[j.key] > 1]
    if chunked:
        log.info("docking: %s", ", ".join(f"{j.name} in {chosen[j.key]} chunks" for j in chunked))
    if grid_jobs:
        log.info("docking: grid maps once per receptor for %d receptors (%s)", len(grid_jobs),
                 ", ".join(f"{g.system}: {len(g.ligand_types)} ligand types" for g in by_grid.values()))
    whole = _batched([j for j in jobs if j not in chunked], cfg)
    runner = ChunkedRun(chunked, [chosen[j.key] for j in chunked], cfg.ga_runs, cfg.ad4_seed, shared)
    results: dict[str, JobResult] = {}
    grid_failed: dict[str, JobResult] = {}

    def finished(job: DockingJob, result: JobResult) -> None:
        if job.key in by_grid:
            if result.status == "failed":
                grid_failed[job.system] = result
            else:  # before run_jobs makes the waiting jobs ready (it calls this first)
                for dep in docks_on[job.system]:
                    write_maps_record(Path(dep.workdir), by_grid[job.key])
            return
        if job.engine == BATCH_ENGINE:
            for member, part in member_results(job, result):
                results[member.key] = part
                store(member, part)
            return
        system = runner.step_done(job, result)
        if system is not None:
            job, result = system
        elif job.key in runner.owner:
            return
        if result.status == "failed" and job.key in shared and job.system in grid_failed:
            # the grid's own error, not "not run: ... failed" with its first line only
            result = dataclasses.replace(result, error=f"system {job.name} ({job.engine}): "
                                         f"{grid_failed[job.system].error}",
                                         error_type=grid_failed[job.system].error_type)
        results[job.key] = result
        store(job, result)

    todo = list(grid_jobs.values()) + whole + runner.steps
    if todo:
        write_table(Path(run_dir) / "docking" / SCHEDULE_FILE,
                    pd.DataFrame(schedule_rows(todo, run_dir),
                                 columns=["job", "system", "engine", "cost", "after", "runs", "logs"]))
    run_jobs(todo, cfg.workers, cfg.dask_scheduler, fn=run_step, on_result=finished)
    return results

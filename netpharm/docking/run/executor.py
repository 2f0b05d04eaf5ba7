"""Run docking jobs in parallel: local processes by default, or a Dask cluster.

Both paths go through the ``concurrent.futures.Executor`` interface:
``ProcessPoolExecutor(N)`` locally, ``distributed.Client(address).get_executor()`` on a
Dask cluster, so the job code is the same. autodock4 is single-threaded, so a job (one
ligand into one system with one engine, or a chunk of its GA runs) is the unit of
parallelism. Jobs are started one per free worker, in the order of
:class:`netpharm.docking.run.schedule.Dispatcher` (longest chain of estimated cost first,
``DockingJob.cost``; a job waits for the jobs in its ``after``), so the campaign's
makespan approaches total CPU time / workers and ``benchmarks/docking_split.py`` can
simulate exactly this policy. Jobs are held back in this process rather than queued in
the pool, so the choice is made when a worker frees, with the dependencies known.

Each job runs in its own folder and leaves a ``done_<engine>.json`` recording the sha256
fingerprint of its inputs (receptor PDBQT, ligand PDBQT, GPF, DPF / Vina config). A rerun
skips a job whose record matches and whose outputs still exist, so an interrupted run
loses nothing finished. A failing job does not stop the others: its error is returned in
its :class:`JobResult` (and written to ``error_<engine>.txt``). A job whose worker died
(the worker process crashed, or the program was killed by a signal) is retried once in a
fresh pool, then recorded as failed with its log tail.
"""

from __future__ import annotations

import concurrent.futures as cf
import hashlib
import logging
import os
import signal
import socket
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from netpharm.docking.run.job_records import OUTPUT_DIGESTS, grid_outputs, output_digests, outputs_intact
from netpharm.docking.run.orphans import stop_orphans
from netpharm.docking.run.runner import KILLED_BY_SIGNAL, run_autodock, run_autogrid, run_vina, stop_programs
from netpharm.docking.run.schedule import Dispatcher, Task
from netpharm.errors import NetpharmError, SchedulerError
from netpharm.io import read_json, write_json_atomic, write_text_atomic
from netpharm.progress import Progress

__all__ = ["DockingJob", "JobResult", "fingerprint", "execute_job", "run_jobs", "is_done", "dlg_runs_done", "worker_id",
           "map_in_workers"]

log = logging.getLogger(__name__)

POLL_SECONDS = 2.0  # how often a growing DLG is re-read for the per-job run count
SCHEDULER_TIMEOUT = 30.0  # seconds to reach a Dask scheduler


@dataclass(frozen=True)
class DockingJob:
    """One docking run in ``workdir`` (plain data: it crosses process boundaries).

    ``engine`` "autodock4" needs ``gpf`` and ``dpf``; "vina" needs ``vina_config``; file
    names are relative to ``workdir``. ``name`` is unique within a campaign (e.g.
    "MOR/naloxone"); ``system`` and ``ligand_name`` say what is docked. A job may be a
    chunk of a system's GA runs: ``run_indices`` lists the runs it covers (1-based,
    empty = all of the DPF's ``ga_run``) and ``seeds`` its AutoDock seeds, so chunks of
    one system can be merged and re-clustered afterwards. ``cost`` is the estimate used
    to start the longest jobs first (:func:`netpharm.docking.prepare.campaign.estimate_cost`);
    ``after`` names jobs this one waits for (:mod:`netpharm.docking.run.schedule`).
    """

    name: str
    workdir: str
    engine: str
    receptor: str
    ligand: str
    gpf: str = ""
    dpf: str = ""
    vina_config: str = ""
    autogrid_timeout: float = 1800.0
    autodock_timeout: float = 7200.0
    vina_timeout: float = 3600.0
    system: str = ""
    ligand_name: str = ""
    run_indices: tuple[int, ...] = ()
    seeds: tuple[int, ...] = ()
    ga_runs: int = 0
    cost: float = 0.0
    grid_cost: float = 0.0  # the autogrid4 part of ``cost`` (a chunked system's grid job)
    after: tuple[str, ...] = ()  # keys of jobs that must finish first (a chunk waits for its maps)
    #: a campaign job docking on its receptor's shared maps (netpharm.docking.prepare.grids): the map set's
    #: record in ``workdir`` (an input); ``gpf`` is then empty and no autogrid4 runs here
    maps: str = ""
    #: a batch job (:mod:`netpharm.docking.run.vina_batch`): the Vina jobs it docks on one map set
    members: tuple[DockingJob, ...] = ()

    @property
    def key(self) -> str:
        """Unique id of the job in a campaign (name + engine)."""
        return f"{self.name}:{self.engine}"

    def inputs(self) -> list[str]:
        names = [self.receptor, self.ligand]
        names += [n for n in (self.gpf, self.dpf, self.maps) if n] if self.engine == "autodock4" \
            else [self.vina_config]
        return names


@dataclass
class JobResult:
    """Outcome of one job: ``status`` "done", "skipped" (already done) or "failed".

    ``died`` is true when the worker or the program was killed (a retry may succeed);
    ``attempts`` counts the tries of this run.
    """

    name: str
    status: str
    outputs: dict[str, str] = field(default_factory=dict)
    error: str = ""
    error_type: str = ""
    seconds: float = 0.0
    fingerprint: str = ""
    died: bool = False
    attempts: int = 1
    started: float = 0.0
    finished: float = 0.0
    worker: str = ""  # host:pid of the process that ran it
    #: a batch job's members' results, in the order of ``DockingJob.members``
    parts: list[JobResult] = field(default_factory=list)


def worker_id() -> str:
    """host:pid of this process."""
    return f"{socket.gethostname()}:{os.getpid()}"


def fingerprint(workdir: Path, names: list[str]) -> str:
    """sha256 over the inputs' names and contents."""
    h = hashlib.sha256()
    for name in names:
        h.update(name.encode())
        h.update(b"\0")
        h.update((Path(workdir) / name).read_bytes())
        h.update(b"\0")
    return h.hexdigest()


def _done_file(job: DockingJob) -> Path:
    return Path(job.workdir) / f"done_{job.engine}.json"


def is_done(job: DockingJob) -> JobResult | None:
    """The earlier result if ``done_<engine>.json`` matches the current inputs, else None."""
    path = _done_file(job)
    if not path.is_file():
        return None
    try:
        record = read_json(path, "job record", SchedulerError)
        fp = fingerprint(Path(job.workdir), job.inputs())
    except (OSError, ValueError, SchedulerError):
        return None
    if record.get("fingerprint") != fp or not outputs_intact(Path(job.workdir), record):
        return None
    return JobResult(job.name, "skipped", record.get("outputs", {}), seconds=0.0, fingerprint=fp)


def execute_job(job: DockingJob) -> JobResult:
    """Run one job (in a worker); never raises for a docking failure, returns it."""
    workdir = Path(job.workdir)
    earlier = is_done(job)
    if earlier is not None:
        return earlier
    wall_start = time.time()
    start = time.perf_counter()
    try:
        fp = fingerprint(workdir, job.inputs())
        if job.engine == "autodock4":
            glg = run_autogrid(workdir / job.gpf, workdir, job.autogrid_timeout) if job.gpf else None
            dlg = run_autodock(workdir / job.dpf, workdir, job.autodock_timeout)
            outputs = {"glg": glg.name, "dlg": dlg.name} if glg is not None else {"dlg": dlg.name}
        elif job.engine == "vina":
            out = run_vina(workdir / job.vina_config, workdir, job.vina_timeout)
            outputs = {"vina_out": out.name}
        else:
            raise ValueError(f"unknown engine {job.engine!r}")
    except (NetpharmError, OSError, ValueError) as exc:
        message = f"system {job.name} ({job.engine}): {exc}"
        _keep_error(workdir / f"error_{job.engine}.txt", message)
        return JobResult(job.name, "failed", error=message, error_type=type(exc).__name__,
                         seconds=time.perf_counter() - start, died=KILLED_BY_SIGNAL in str(exc),
                         started=wall_start, finished=time.time(), worker=worker_id())
    seconds = time.perf_counter() - start
    (workdir / f"error_{job.engine}.txt").unlink(missing_ok=True)
    made = [*outputs.values(), *(grid_outputs(workdir, job.gpf) if job.gpf and job.engine == "autodock4" else [])]
    try:
        write_json_atomic(_done_file(job), {"system": job.name, "engine": job.engine, "fingerprint": fp,
                                            "outputs": outputs, OUTPUT_DIGESTS: output_digests(workdir, made),
                                            "seconds": round(seconds, 3),
                                            "finished": time.strftime("%Y-%m-%dT%H:%M:%S%z")})
    except (NetpharmError, OSError) as exc:  # e.g. a full disk: the job is not done until it is recorded
        return JobResult(job.name, "failed", error=f"system {job.name} ({job.engine}): cannot record its result: "
                         f"{exc}", error_type=type(exc).__name__, seconds=seconds, started=wall_start,
                         finished=time.time(), worker=worker_id())
    return JobResult(job.name, "done", outputs, seconds=seconds, fingerprint=fp, started=wall_start,
                     finished=time.time(), worker=worker_id())


def _keep_error(path: Path, message: str) -> None:
    """Write a failed job's ``error_<engine>.txt`` if the disk lets us (the error is returned either way)."""
    try:
        write_text_atomic(path, message + "\n")
    except (NetpharmError, OSError) as exc:
        log.debug("cannot write %s: %s", path, exc)


def dlg_runs_done(path: Path) -> int:
    """LGA runs finished so far in a (growing) DLG: AutoDock writes one ``DOCKED: USER    Run =``
    block as each run ends."""
    try:
        with open(path, "rb") as handle:
            return handle.read().count(b"DOCKED: USER    Run =")
    except OSError:
        return 0


def _stop_worker(signum: int, frame: object) -> None:
    """An interrupted pool worker (Ctrl-C, or the CLI passing on SIGTERM) stops its docking program and exits.

    Without this an idle worker prints a KeyboardInterrupt traceback, and one mid-job unwinds through the
    pool's machinery; the parent records nothing for the job, so ``--resume`` runs it again.
    """
    stop_programs()
    os._exit(130)


def _quiet_interrupts() -> None:
    """Pool initializer: a worker handles SIGINT with :func:`_stop_worker`."""
    signal.signal(signal.SIGINT, _stop_worker)


def capped_workers(workers: int, jobs: int) -> int:
    """Local worker processes: at most one per job and one per CPU core (each docking program is
    single-threaded; more only adds processes that compete for the same cores), said when capped."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    capped = max(1, min(workers, jobs, cores))
    if capped < workers:
        log.info("docking: %d worker processes, not %d (%d jobs, %d CPU cores)", capped, workers, jobs, cores)
    return capped


def _first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else "no details"


def _connection_problem(exc: OSError) -> str:
    """Why a Dask client could not connect, in words (distributed says only that it timed out)."""
    if "timed out" in str(exc).lower():
        return ("no scheduler answered (is `dask scheduler` running there, and is its port open to this "
                "machine?)")
    return _first_line(exc)


def _executor(workers: int, scheduler: str) -> tuple[cf.Executor, Callable[[], None], int]:
    """(executor, its shutdown, how many jobs run at once)."""
    if scheduler:
        try:
            from distributed import Client
        except ImportError as exc:  # pragma: no cover - optional dependency
            raise SchedulerError("dask_scheduler is set but 'distributed' is not installed "
                                 "(pip install 'netpharm[dask]')") from exc
        try:
            client = Client(scheduler, timeout=SCHEDULER_TIMEOUT)
        except OSError as exc:
            raise SchedulerError(f"cannot reach the Dask scheduler at {scheduler} within {SCHEDULER_TIMEOUT:g} s: "
                                 f"{_connection_problem(exc)}") from exc
        except ValueError as exc:  # e.g. an address scheme distributed does not know
            raise SchedulerError(f"cannot connect to a Dask scheduler at {scheduler}: {_first_line(exc)} "
                                 "(give tcp://HOST:PORT)") from exc
        slots = sum(client.nthreads().values()) or workers  # the cluster's threads, not --workers
        return client.get_executor(), client.close, max(1, slots)
    if workers == 1:
        # One worker = this process (a thread, so the main thread can still poll DLGs and
        # draw progress); autodock4 runs as a subprocess either way.
        pool: cf.Executor = cf.ThreadPoolExecutor(max_workers=1)
    else:
        pool = cf.ProcessPoolExecutor(max_workers=workers, initializer=_quiet_interrupts)
    # cancel_futures: after Ctrl-C (or an error here) queued jobs must not start; running ones end
    # with their program (it got the same SIGINT), and finished ones are already recorded
    return pool, lambda: pool.shutdown(wait=True, cancel_futures=True), workers


def map_in_workers(fn: Callable[[Any], Any], items: Sequence[Any], workers: int, scheduler: str = "") -> list[Any]:
    """``[fn(item) for item in items]`` on the docking workers (local processes or the Dask cluster), in order.

    For the per-ligand work around docking (ligand preparation, pose analysis), so that it scales with the
    workers instead of running in this process. ``fn`` is a module-level function returning plain data and
    reporting failures in its result. One worker (or one item) runs here; a pool that breaks (a worker
    killed) leaves the rest to this process.
    """
    if len(items) < 2 or (workers <= 1 and not scheduler):
        return [fn(item) for item in items]
    executor, close, _ = _executor(workers, scheduler)
    done: list[Any] = []
    try:
        for result in executor.map(fn, items):
            done.append(result)
    except cf.BrokenExecutor as exc:
        log.warning("a worker died (%s); the %d remaining items run in this process", exc, len(items) - len(done))
    finally:
        close()
    return done + [fn(item) for item in items[len(done):]]


class _Watcher:
    """Campaign progress: jobs done/total, and LGA runs of the running AutoDock jobs."""

    def __init__(self, jobs: list[DockingJob], skipped: list[DockingJob]) -> None:
        self.bar = Progress(len(jobs), "docking jobs", log)
        # the ETA weighs jobs by the schedule's cost estimates (netpharm.docking.run.schedule), not by count:
        # a campaign's jobs differ by orders of magnitude (a grid, a chunk, a whole AutoDock job)
        self.bar.set_work(sum(j.cost for j in jobs))
        self.since = time.time()
        if skipped:
            self.bar.skip(len(skipped), work=sum(j.cost for j in skipped))

    def poll(self, running: list[DockingJob]) -> None:
        parts = []
        for job in running:
            if job.engine not in ("autodock4", "autodock4-chunk") or not job.ga_runs:
                continue
            dlg = Path(job.workdir) / (Path(job.dpf).stem + ".dlg")
            try:
                fresh = dlg.stat().st_mtime >= self.since
            except OSError:
                fresh = False
            if fresh:
                parts.append(f"{job.name} {dlg_runs_done(dlg)}/{job.ga_runs} LGA runs")
        self.bar.update(0, detail="; ".join(parts))

    def finished(self, job: DockingJob, result: JobResult) -> None:
        if result.status == "skipped":  # found done by its worker (a job that waited for another: its maps)
            log.info("docking %s (%s): inputs unchanged, skipping (done earlier)", job.name, job.engine)
        else:
            log.info("docking %s (%s): %s in %.1f s", job.name, job.engine, result.status, result.seconds)
        self.bar.update(1, work=job.cost)


def _run_round(dispatcher: Dispatcher, by_key: dict[str, DockingJob], workers: int, scheduler: str,
               fn: Callable[[DockingJob], JobResult], watcher: _Watcher,
               final: Callable[[DockingJob, JobResult], None], attempts: dict[str, int]) -> list[str]:
    """Start ready jobs one per free worker until none is left; returns the keys whose worker
    died on a first attempt (to retry in a fresh pool: a crashed worker breaks a process pool)."""
    retry: list[str] = []
    executor, close, slots = _executor(workers, scheduler)
    futures: dict[cf.Future[JobResult], DockingJob] = {}
    broken = False
    try:
        while True:
            while not broken and len(futures) < slots and dispatcher.has_ready():
                job = by_key[dispatcher.pop()]
                try:
                    futures[executor.submit(fn, job)] = job
                except (RuntimeError, cf.BrokenExecutor):  # the pool broke: the rest waits for a fresh one
                    dispatcher.requeue(job.key)
                    broken = True
                else:
                    attempts[job.key] = attempts.get(job.key, 0) + 1
            if not futures:
                return retry
            done, _ = cf.wait(futures, timeout=POLL_SECONDS, return_when=cf.FIRST_COMPLETED)
            for fut in done:
                job = futures.pop(fut)
                try:
                    res = fut.result()
                except Exception as exc:  # a worker crash must not lose the other jobs
                    res = JobResult(job.name, "failed", error=f"system {job.name} ({job.engine}): worker died: "
                                    f"{exc or 'no reason given'}", error_type=type(exc).__name__, died=True)
                    broken = broken or isinstance(exc, cf.BrokenExecutor)
                res.attempts = attempts[job.key]
                if res.died and res.attempts < 2:
                    retry.append(job.key)
                else:
                    final(job, res)
            watcher.poll(list(futures.values()))
    except KeyboardInterrupt:  # Ctrl-C or SIGTERM: programs run by a worker thread would outlive the run
        stop_programs()
        raise
    finally:
        close()


def run_jobs(jobs: list[DockingJob], workers: int = 2, scheduler: str = "",
             fn: Callable[[DockingJob], JobResult] = execute_job,
             on_result: Callable[[DockingJob, JobResult], None] | None = None) -> list[JobResult]:
    """Run ``jobs`` in parallel, longest chain first, each after its ``after`` jobs; results in input order.

    Parameters
    ----------
    jobs : list of DockingJob
        Keys (``name`` + ``engine``) must be unique; ``after`` may name only their keys.
    workers : int
        Local processes (ignored with ``scheduler``); 1 runs in this process.
    scheduler : str
        Dask scheduler address; the jobs' folders must be on a shared filesystem.
    fn : callable
        The job function (a module-level function: it is sent to the workers).
    on_result : callable, optional
        Called in this process with each final result as it arrives (also for skipped
        jobs and for jobs that cannot run because a job they wait for failed), e.g. to
        record it in the results database: the single writer.
    """
    workers = workers if scheduler else capped_workers(workers, len(jobs))
    keys = [j.key for j in jobs]
    if len(set(keys)) != len(keys):
        raise ValueError(f"docking job names must be unique: {sorted({k for k in keys if keys.count(k) > 1})}")
    by_key = {j.key: j for j in jobs}
    dispatcher = Dispatcher([Task(j.key, j.cost, j.after) for j in jobs])
    results: dict[str, JobResult] = {}
    watcher: _Watcher | None = None

    def final(job: DockingJob, res: JobResult) -> None:
        results[job.key] = res
        if watcher is not None:
            watcher.finished(job, res)
        if on_result is not None:
            on_result(job, res)
        for lost in dispatcher.finish(job.key, res.status != "failed"):
            if lost not in results:
                dep = by_key[lost]
                final(dep, JobResult(dep.name, "failed", error=f"system {dep.name} ({dep.engine}): not run: "
                                     f"{job.key} failed ({res.error.splitlines()[0] if res.error else ''})",
                                     error_type=res.error_type))

    blocked = stop_orphans(j.workdir for j in jobs)  # programs a killed run left writing these folders
    for job in jobs:
        if job.workdir in blocked:
            final(job, JobResult(job.name, "failed", error=f"system {job.name} ({job.engine}): not started: "
                                 f"{blocked[job.workdir]}", error_type="SchedulerError"))
            continue
        earlier = is_done(job)
        if earlier is not None and not job.after:
            log.info("docking %s (%s): inputs unchanged, skipping (done earlier)", job.name, job.engine)
            final(job, earlier)
    # jobs found done above are out of the dispatcher: rebuild it with them finished
    pending = [j for j in jobs if j.key not in results]
    dispatcher = Dispatcher([Task(j.key, j.cost, tuple(a for a in j.after if a not in results)) for j in pending])
    watcher = _Watcher(jobs, [j for j in jobs if j.key in results])
    attempts: dict[str, int] = {}
    try:
        while len(results) < len(jobs):
            retry = _run_round(dispatcher, by_key, workers, scheduler, fn, watcher, final, attempts)
            if retry:
                log.warning("retrying %d docking job(s) whose worker died: %s", len(retry),
                            ", ".join(by_key[k].name for k in retry))
                for key in retry:
                    dispatcher.requeue(key)
            elif len(results) < len(jobs) and not dispatcher.has_ready():  # pragma: no cover - defensive
                raise RuntimeError("docking jobs left that can never start")
    finally:
        watcher.bar.close()
    return [results[j.key] for j in jobs]

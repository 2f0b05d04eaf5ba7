"""Run docking jobs in parallel: local processes by default, or a Dask cluster.

Both paths go through the ``concurrent.futures.Executor`` interface:
``ProcessPoolExecutor(N)`` locally, ``distributed.Client(address).get_executor()`` on a
Dask cluster, so the job code is the same. autodock4 is single-threaded (the paper's
three receptors × 20 runs ≈ 6 min of one core), so systems are the unit of parallelism.

Each job runs in its own folder and leaves a ``done.json`` recording the sha256
fingerprint of its inputs (receptor PDBQT, ligand PDBQT, GPF, DPF / Vina config). A rerun
skips a job whose ``done.json`` matches and whose outputs still exist, so an interrupted
run loses nothing finished. A failing job does not stop the others: its error is
returned in its :class:`JobResult` (and written to ``error.txt``).
"""

from __future__ import annotations

import concurrent.futures as cf
import hashlib
import json
import logging
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from netpharm.docking.runner import run_autodock, run_autogrid, run_vina
from netpharm.errors import NetpharmError
from netpharm.io import write_json_atomic, write_text_atomic

__all__ = ["DockingJob", "JobResult", "fingerprint", "execute_job", "run_jobs", "is_done"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DockingJob:
    """One docking run in ``workdir`` (plain data: it crosses process boundaries).

    ``engine`` "autodock4" needs ``gpf`` and ``dpf``; "vina" needs ``vina_config``; file
    names are relative to ``workdir``.
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

    def inputs(self) -> list[str]:
        names = [self.receptor, self.ligand]
        names += [self.gpf, self.dpf] if self.engine == "autodock4" else [self.vina_config]
        return names


@dataclass
class JobResult:
    """Outcome of one job: ``status`` "done", "skipped" (already done) or "failed"."""

    name: str
    status: str
    outputs: dict[str, str] = field(default_factory=dict)
    error: str = ""
    error_type: str = ""
    seconds: float = 0.0
    fingerprint: str = ""


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
        record = json.loads(path.read_text(encoding="utf-8"))
        fp = fingerprint(Path(job.workdir), job.inputs())
    except (OSError, ValueError):
        return None
    outputs = record.get("outputs", {})
    if record.get("fingerprint") != fp or not all((Path(job.workdir) / o).is_file() for o in outputs.values()):
        return None
    return JobResult(job.name, "skipped", outputs, seconds=0.0, fingerprint=fp)


def execute_job(job: DockingJob) -> JobResult:
    """Run one job (in a worker); never raises for a docking failure, returns it."""
    workdir = Path(job.workdir)
    earlier = is_done(job)
    if earlier is not None:
        return earlier
    start = time.perf_counter()
    try:
        fp = fingerprint(workdir, job.inputs())
        if job.engine == "autodock4":
            glg = run_autogrid(workdir / job.gpf, workdir, job.autogrid_timeout)
            dlg = run_autodock(workdir / job.dpf, workdir, job.autodock_timeout)
            outputs = {"glg": glg.name, "dlg": dlg.name}
        elif job.engine == "vina":
            out = run_vina(workdir / job.vina_config, workdir, job.vina_timeout)
            outputs = {"vina_out": out.name}
        else:
            raise ValueError(f"unknown engine {job.engine!r}")
    except (NetpharmError, OSError, ValueError) as exc:
        message = f"system {job.name} ({job.engine}): {exc}"
        write_text_atomic(workdir / f"error_{job.engine}.txt", message + "\n")
        return JobResult(job.name, "failed", error=message, error_type=type(exc).__name__,
                         seconds=time.perf_counter() - start)
    seconds = time.perf_counter() - start
    (workdir / f"error_{job.engine}.txt").unlink(missing_ok=True)
    write_json_atomic(_done_file(job), {"system": job.name, "engine": job.engine, "fingerprint": fp,
                                        "outputs": outputs, "seconds": round(seconds, 3),
                                        "finished": time.strftime("%Y-%m-%dT%H:%M:%S%z")})
    return JobResult(job.name, "done", outputs, seconds=seconds, fingerprint=fp)


def _executor(workers: int, scheduler: str) -> tuple[cf.Executor, Callable[[], None]]:
    if scheduler:
        try:
            from distributed import Client
        except ImportError as exc:  # pragma: no cover - optional dependency
            raise NetpharmError("dask_scheduler is set but 'distributed' is not installed "
                                "(pip install 'netpharm[dask]')") from exc
        client = Client(scheduler)
        return client.get_executor(), client.close
    pool = cf.ProcessPoolExecutor(max_workers=workers)
    return pool, lambda: pool.shutdown(wait=True)


def run_jobs(jobs: list[DockingJob], workers: int = 2, scheduler: str = "",
             fn: Callable[[DockingJob], JobResult] = execute_job) -> list[JobResult]:
    """Run ``jobs`` in parallel and return their results in the input order.

    Parameters
    ----------
    jobs : list of DockingJob
    workers : int
        Local processes (ignored with ``scheduler``); 1 runs in this process.
    scheduler : str
        Dask scheduler address; the jobs' folders must be on a shared filesystem.
    fn : callable
        The job function (a module-level function: it is sent to the workers).
    """
    pending = [j for j in jobs if is_done(j) is None]
    results: dict[str, JobResult] = {j.name + j.engine: r for j in jobs if (r := is_done(j)) is not None}
    for r in results.values():
        log.info("docking %s: inputs unchanged, skipping (done earlier)", r.name)
    if pending and workers == 1 and not scheduler:
        for i, job in enumerate(pending, 1):
            log.info("docking %s (%s) [%d/%d]", job.name, job.engine, i, len(pending))
            results[job.name + job.engine] = fn(job)
    elif pending:
        executor, close = _executor(workers, scheduler)
        try:
            futures = {executor.submit(fn, job): job for job in pending}
            for i, fut in enumerate(cf.as_completed(futures), 1):
                job = futures[fut]
                try:
                    res = fut.result()
                except Exception as exc:  # a worker crash must not lose the other systems
                    res = JobResult(job.name, "failed", error=f"system {job.name} ({job.engine}): {exc}",
                                    error_type=type(exc).__name__)
                results[job.name + job.engine] = res
                log.info("docking %s (%s): %s [%d/%d]", job.name, job.engine, res.status, i, len(pending))
        finally:
            close()
    return [results[j.name + j.engine] for j in jobs]


def result_record(result: JobResult) -> dict[str, object]:
    """JSON-ready form of a result."""
    return asdict(result)

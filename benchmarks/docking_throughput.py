"""Docking throughput: a 12-job campaign, bare programs vs netpharm on 1 / 2 workers vs a Dask cluster.

Twelve real AutoDock jobs (imatinib into the 1IEP grid, the Vina team's prepared files in
tests/data/autodock: autogrid4 + autodock4 with a reduced budget, 2 LGA runs × 100,000
evaluations, a different seed pair per job) are run, in one process, four ways:

1. bare: ``autogrid4 && autodock4`` in a ``sh`` loop over the job folders (baseline);
2. the campaign path with 1 local worker: ``netpharm.docking.run.executor.run_jobs`` with the
   results database as the single writer (every DLG parsed and every pose stored), the
   progress reporting and the resume records, i.e. what ``netpharm dock`` does per job;
3. the same with 2 local worker processes;
4. the same on a ``distributed.LocalCluster`` of 2 single-threaded worker processes; the
   cluster's start-up is timed separately and excluded from its campaign time.

Targets: overhead of (2) over (1) ≤ 5 %; (3) ≥ 1.8× (2); (4) ≥ 1.7× (2). The machine may be
shared, so the load average is printed next to the ratios; nothing is asserted.

Usage: ``.venv/bin/python benchmarks/docking_throughput.py [--jobs 12] [--evals 100000]``
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from netpharm.docking.prepare.autodock_files import LGAParams, dpf_text, pdbqt_atom_types, pdbqt_center  # noqa: E402
from netpharm.docking.resultsdb import ResultsDB  # noqa: E402
from netpharm.docking.resultsdb_records import record_result  # noqa: E402
from netpharm.docking.run.executor import DockingJob, JobResult, run_jobs  # noqa: E402

DATA = REPO / "tests" / "data" / "autodock"
TARGETS = {"overhead": 5.0, "two_workers": 1.8, "dask": 1.7}


def make_jobs(root: Path, n: int, runs: int, evals: int) -> list[DockingJob]:
    lig = (DATA / "1iep_ligand.pdbqt").read_text()
    types = pdbqt_atom_types(lig)
    params = LGAParams(ga_runs=runs, ga_num_evals=evals)
    jobs = []
    for i in range(n):
        work = root / f"job{i:02d}"
        work.mkdir(parents=True)
        for name in ("1iep_receptor.pdbqt", "1iep_ligand.pdbqt", "1iep.gpf"):
            shutil.copy(DATA / name, work / name)
        (work / "dock.dpf").write_text(dpf_text("1iep_ligand.pdbqt", types, "1iep_receptor", pdbqt_center(lig),
                                                params, (1000 + i, 2000 + i)))
        jobs.append(DockingJob(f"1IEP/seed{i:02d}", str(work), "autodock4", "1iep_receptor.pdbqt",
                               "1iep_ligand.pdbqt", "1iep.gpf", "dock.dpf", system="1IEP",
                               ligand_name=f"seed{i:02d}", seeds=(1000 + i, 2000 + i), ga_runs=runs))
    return jobs


def bare(root: Path) -> float:
    script = 'for d in job*; do (cd "$d" && autogrid4 -p 1iep.gpf -l 1iep.glg && autodock4 -p dock.dpf -l dock.dlg) ' \
             '|| exit 1; done'
    start = time.perf_counter()
    subprocess.run(["sh", "-c", script], cwd=root, check=True)
    return time.perf_counter() - start


def campaign(root: Path, jobs: list[DockingJob], **kwargs: object) -> float:
    """The campaign path: executor + results database (single writer) + progress."""
    with ResultsDB(root / "results.sqlite") as db:
        for job in jobs:
            db.queue_job(job.key, job.system, job.ligand_name, job.engine, job.workdir, {"bench": True})

        def store(job: DockingJob, result: JobResult) -> None:
            record_result(db, job, result, root)

        start = time.perf_counter()
        results = run_jobs(jobs, on_result=store, **kwargs)  # type: ignore[arg-type]
        elapsed = time.perf_counter() - start
    bad = [r for r in results if r.status != "done"]
    if bad:
        raise SystemExit(f"benchmark job failed: {bad[0].error}")
    return elapsed


def energies(root: Path) -> list[float]:
    import sqlite3

    db = sqlite3.connect(root / "results.sqlite")
    try:
        return [e for (e,) in db.execute("SELECT energy FROM poses ORDER BY job_id, run")]
    finally:
        db.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=12)
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--evals", type=int, default=100_000)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        jobs = {name: make_jobs(root / name, args.jobs, args.runs, args.evals) for name in ("bare", "w1", "w2", "dask")}
        t_bare = bare(root / "bare")
        t1 = campaign(root / "w1", jobs["w1"], workers=1)
        t2 = campaign(root / "w2", jobs["w2"], workers=2)
        t_dask = t_start = None
        try:
            from distributed import LocalCluster

            tic = time.perf_counter()
            with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                              dashboard_address=None, silence_logs=logging.WARNING) as cluster:
                t_start = time.perf_counter() - tic
                t_dask = campaign(root / "dask", jobs["dask"], scheduler=cluster.scheduler_address)
        except ImportError:
            pass
        same = energies(root / "w1") == energies(root / "w2") == (energies(root / "dask") if t_dask else
                                                                  energies(root / "w2"))
    load_after = os.getloadavg()
    print(f"{args.jobs} AutoDock jobs (autogrid4 + autodock4, {args.runs} LGA runs x {args.evals:,} evals each), "
          f"{os.cpu_count()} CPUs, load average before {load_before[0]:.2f}, after {load_after[0]:.2f}")
    print(f"bare autogrid4 && autodock4, sh loop : {t_bare:7.2f} s")
    print(f"netpharm campaign, 1 worker          : {t1:7.2f} s   overhead vs bare {100 * (t1 / t_bare - 1):+.1f} % "
          f"(target <= {TARGETS['overhead']:g} %)")
    print(f"netpharm campaign, 2 workers         : {t2:7.2f} s   speed-up vs 1 worker {t1 / t2:.2f}x "
          f"(target >= {TARGETS['two_workers']}x)")
    if t_dask is not None:
        print(f"Dask LocalCluster, 2 workers         : {t_dask:7.2f} s   speed-up vs 1 worker {t1 / t_dask:.2f}x "
              f"(target >= {TARGETS['dask']}x); cluster start-up {t_start:.2f} s (excluded)")
    print(f"identical poses on every path: {same}")


if __name__ == "__main__":
    main()

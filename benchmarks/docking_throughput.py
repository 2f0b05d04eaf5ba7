"""Docking throughput: netpharm's executor on 1 vs 2 workers and on a local Dask cluster.

N short AutoDock jobs (imatinib into the 1IEP grid: autogrid4 + autodock4 with a reduced
budget, 2 LGA runs × 60,000 evaluations) are run

1. bare: ``autogrid4`` then ``autodock4`` called directly, one job after another (baseline);
2. through ``netpharm.docking.executor.run_jobs`` with 1 worker (overhead vs. bare);
3. with 2 local worker processes (speed-up vs. 1 worker; target ≥ 1.8× on 2 cores);
4. on a ``distributed.LocalCluster`` with 2 single-threaded workers, same code path.

Targets: speed-up ≥ 1.8× on 2 idle cores, overhead ≤ 5 %. The machine is shared, so
ratios are measured in the same run and printed, never asserted.

Usage: ``.venv/bin/python benchmarks/docking_throughput.py [--jobs 4]``
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from netpharm.docking.autodock_files import LGAParams, dpf_text, pdbqt_atom_types, pdbqt_center  # noqa: E402
from netpharm.docking.executor import DockingJob, run_jobs  # noqa: E402

DATA = REPO / "tests" / "data" / "autodock"


def make_jobs(root: Path, n: int) -> list[DockingJob]:
    lig = (DATA / "1iep_ligand.pdbqt").read_text()
    types = pdbqt_atom_types(lig)
    params = LGAParams(ga_runs=2, ga_num_evals=60_000)
    jobs = []
    for i in range(n):
        work = root / f"job{i}"
        work.mkdir(parents=True)
        for name in ("1iep_receptor.pdbqt", "1iep_ligand.pdbqt", "1iep.gpf"):
            shutil.copy(DATA / name, work / name)
        (work / "dock.dpf").write_text(dpf_text("1iep_ligand.pdbqt", types, "1iep_receptor", pdbqt_center(lig),
                                                params, (1000 + i, 2000 + i)))
        jobs.append(DockingJob(f"job{i}", str(work), "autodock4", "1iep_receptor.pdbqt", "1iep_ligand.pdbqt",
                               "1iep.gpf", "dock.dpf"))
    return jobs


def bare(jobs: list[DockingJob]) -> float:
    start = time.perf_counter()
    for job in jobs:
        subprocess.run(["autogrid4", "-p", job.gpf, "-l", "bare.glg"], cwd=job.workdir, check=True)
        subprocess.run(["autodock4", "-p", job.dpf, "-l", "bare.dlg"], cwd=job.workdir, check=True)
    return time.perf_counter() - start


def timed(root: Path, n: int, **kwargs: object) -> float:
    jobs = make_jobs(root, n)
    start = time.perf_counter()
    results = run_jobs(jobs, **kwargs)  # type: ignore[arg-type]
    elapsed = time.perf_counter() - start
    bad = [r for r in results if r.status != "done"]
    if bad:
        raise SystemExit(f"benchmark job failed: {bad[0].error}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=4)
    n = parser.parse_args().jobs
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        t_bare = bare(make_jobs(root / "bare", n))
        t1 = timed(root / "w1", n, workers=1)
        t2 = timed(root / "w2", n, workers=2)
        t_dask = None
        try:
            from distributed import LocalCluster

            with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                              dashboard_address=None) as cluster:
                t_dask = timed(root / "dask", n, workers=1, scheduler=cluster.scheduler_address)
        except ImportError:
            pass
    print(f"{n} AutoDock jobs (autogrid4 + autodock4, 2 runs x 60k evals each)")
    print(f"bare autogrid4+autodock4, sequential : {t_bare:7.2f} s")
    print(f"netpharm executor, 1 worker          : {t1:7.2f} s   overhead vs bare {100 * (t1 / t_bare - 1):+.1f} %"
          " (target <= 5 %)")
    print(f"netpharm executor, 2 workers         : {t2:7.2f} s   speed-up vs 1 worker {t1 / t2:.2f}x (target >= 1.8x)")
    if t_dask is not None:
        print(f"Dask LocalCluster, 2 workers         : {t_dask:7.2f} s   speed-up vs 1 worker {t1 / t_dask:.2f}x")


if __name__ == "__main__":
    main()

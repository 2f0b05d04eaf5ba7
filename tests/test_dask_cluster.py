"""A real Dask cluster: `dask scheduler` + two `dask worker` processes on loopback run a small campaign.

The campaign (morphine and naloxone into the κ-OR 6B73 stand-in, real autogrid4/autodock4, a tiny
GA budget with fixed seeds) runs once on the local pool and once through the cluster; every pose's
energy must be identical (AutoDock 4 is deterministic for fixed seeds). The test stops every process
it started.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import NALOXONE, docking_context, opioid_systems, require_autodock

from netpharm.docking.config import DockingConfig, LigandSpec
from netpharm.docking.stage import run_docking_stage
from netpharm.stage import RunContext

pytestmark = [pytest.mark.needs_autodock, pytest.mark.slow]

REPO = Path(__file__).resolve().parents[1]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _dask_bin() -> str:
    exe = Path(sys.executable).parent / "dask"
    return str(exe) if exe.exists() else (shutil.which("dask") or "")


@pytest.fixture
def cluster(tmp_path: Path) -> Iterator[tuple[str, list[int]]]:
    pytest.importorskip("distributed")
    if not _dask_bin():
        pytest.skip("the `dask` command is not installed (pip install 'netpharm[dask]')")
    require_autodock()
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])}
    logs = tmp_path / "dask-logs"
    logs.mkdir()
    procs = [subprocess.Popen([_dask_bin(), "scheduler", "--host", "127.0.0.1", "--port", str(port),
                               "--no-dashboard", "--no-show"], env=env, cwd=tmp_path,
                              stdout=open(logs / "scheduler.log", "w"), stderr=subprocess.STDOUT)]
    try:
        for i in range(2):
            procs.append(subprocess.Popen([_dask_bin(), "worker", address, "--nworkers", "1", "--nthreads", "1",
                                           "--no-dashboard", "--name", f"w{i}", "--local-directory",
                                           str(tmp_path / f"w{i}")], env=env, cwd=tmp_path,
                                          stdout=open(logs / f"worker{i}.log", "w"), stderr=subprocess.STDOUT))
        from distributed import Client

        deadline = time.monotonic() + 90
        while True:
            try:
                with Client(address, timeout=5) as client:
                    client.wait_for_workers(2, timeout=60)
                break
            except (OSError, TimeoutError):
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.5)
        yield address, [p.pid for p in procs[1:]]
    finally:
        for proc in reversed(procs):  # only what this fixture started, by pid
            proc.send_signal(signal.SIGTERM)
        for proc in procs:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)
    assert all(p.poll() is not None for p in procs)


def _campaign(run: Path, scheduler: str = "") -> RunContext:
    docking = DockingConfig(
        systems=opioid_systems()[:1],
        ligands=(LigandSpec("morphine", "morphine"), LigandSpec("naloxone", NALOXONE)),
        ga_runs=2, ga_num_evals=20_000, ga_pop_size=50, workers=2, dask_scheduler=scheduler)
    return docking_context(run.parent, docking, name="dask", base_dir=run.parent, run=run.name)


def _poses(run: Path) -> list[tuple]:
    db = sqlite3.connect(run / "docking" / "results.sqlite")
    try:
        return db.execute("SELECT job_id, run, rank, energy, cluster FROM poses ORDER BY job_id, run").fetchall()
    finally:
        db.close()


def _parent(pid: int) -> int:
    return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])


def test_dask_workers_give_the_local_results(tmp_path: Path, cluster: tuple[str, list[int]]) -> None:
    address, worker_pids = cluster
    local = run_docking_stage(_campaign(tmp_path / "local"))
    dask = run_docking_stage(_campaign(tmp_path / "dask", address))
    assert local.status == dask.status == "ok"
    a, b = _poses(tmp_path / "local"), _poses(tmp_path / "dask")
    assert len(a) == 4 and {p[0] for p in a} == {"KOR/morphine:autodock4", "KOR/naloxone:autodock4"}
    assert a == b
    assert [s.best_energy for s in local.findings.systems] == [s.best_energy for s in dask.findings.systems]
    # the jobs really ran in the cluster's worker processes (children of the `dask worker` nannies)
    db = sqlite3.connect(tmp_path / "dask" / "docking" / "results.sqlite")
    pids = [int(w.split(":")[1]) for (w,) in db.execute("SELECT worker FROM jobs")]
    db.close()
    assert len(pids) == 2 and all(pid != os.getpid() and _parent(pid) in worker_pids for pid in pids)

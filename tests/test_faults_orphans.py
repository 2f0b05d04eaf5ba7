"""A docking program that outlived its run (kill -9 of netpharm) is stopped before the resumed run docks.

TEST DOUBLES for autogrid4/autodock4 (shell scripts first on PATH) and the real 1IEP redocking inputs. The
first run's autodock4 double records its pid and then sleeps in its own session, as a long AutoDock run
would; netpharm is killed with SIGKILL while it waits, which leaves the double running (an orphan writing
the job folder). ``--resume`` must kill it (and only it) and dock the job again.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from helpers import AD, FAKE_AUTODOCK, FAKE_AUTOGRID, IEP_REDOCK_CASE, REPO, fake_bin, fake_program

from netpharm.docking.run.orphans import mark_running, process_start, stop_orphans
from netpharm.registry import load_workflow
from netpharm.workflow import run_workflow

WORKFLOW = """
name = "orphans"
targets = "{repo}/targets.txt"
offline = true
cache_dir = "{cache}"
stages = ["docking"]

[docking]
engine = "autodock4"
workers = {workers}
run_chunks = 1
systems = []
"""
# TEST DOUBLE: autodock4 --version answers; a docking run writes a partial DLG, records its pid, then sleeps
HANGING_AUTODOCK = ('if [ "$1" = "--version" ]; then echo "AutoDock 4.2.6"; exit 0; fi; '
                    'echo "partial DLG of the first run" > "$4"; echo $$ >> "$(dirname "$0")/orphan.pid"; '
                    'exec sleep 300')


def _alive(pid: int) -> bool:
    return process_start(pid) is not None


def _wait(predicate: object, seconds: float, what: str) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if callable(predicate) and predicate():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.mark.slow
@pytest.mark.parametrize("workers", [1, 2])  # the program in a worker thread, or in pool worker processes
def test_fault_orphan_program_after_kill_9_is_stopped_on_resume(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                workers: int) -> None:
    bindir = fake_bin(tmp_path, monkeypatch, ("cp", "grep", "dirname", "sleep"),
                      {"autogrid4": FAKE_AUTOGRID, "autodock4": HANGING_AUTODOCK})
    workflow = tmp_path / "w.toml"
    cases = [f"IEP_{i}" for i in range(workers)]
    workflow.write_text(WORKFLOW.format(repo=REPO, cache=tmp_path / "cache", workers=workers)
                        + "".join(IEP_REDOCK_CASE.format(name=n, ad=AD) for n in cases), encoding="utf-8")
    run_dir = tmp_path / "run"
    env = {**os.environ, "PATH": str(bindir), "PYTHONPATH": str(REPO)}
    first = subprocess.Popen([sys.executable, "-m", "netpharm", "-q", "run", str(workflow), "--out", str(run_dir)],
                             env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    pids = bindir / "orphan.pid"
    try:
        _wait(lambda: pids.is_file() and len(pids.read_text().split()) == workers, 120, "autodock4 to start")
    finally:
        first.kill()  # SIGKILL of netpharm only: it has no chance to stop its programs
        first.wait()
    orphans = [int(p) for p in pids.read_text().split()]
    records = [json.loads(p.read_text()) for p in sorted(run_dir.glob("docking/redock/*/running_*.json"))]
    assert all(_alive(p) for p in orphans)  # what kill -9 leaves behind: autodock4 still writing its folder
    assert sorted(r["pid"] for r in records) == sorted(orphans)
    assert all(r["start"] == process_start(r["pid"]) and r["program"] == "autodock4" for r in records)
    assert all(r["host"] == socket.gethostname() for r in records)
    workers_left = [r["worker_pid"] for r in records if r["worker_pid"] != first.pid]
    assert len(workers_left) == (0 if workers == 1 else workers)  # pool workers outlive their parent

    fake_program(bindir, "autodock4", FAKE_AUTODOCK)  # the resumed run's autodock4 finishes
    resumed = run_workflow(load_workflow(workflow), run_dir, resume=True, stages=["docking"])
    _wait(lambda: not any(_alive(p) for p in orphans + workers_left), 10, "the orphans to be gone")
    assert resumed.outcomes["docking"].status == "ok", resumed.outcomes["docking"].reason
    for name in cases:
        folder = run_dir / "docking" / "redock" / name
        assert (folder / "dock.dlg").read_bytes() == (AD / "1iep_reduced.dlg").read_bytes()
        assert list(folder.glob("running_*.json")) == []


def test_fault_orphan_record_of_a_dead_or_reused_pid_kills_nothing(tmp_path: Path) -> None:
    sleeper = subprocess.Popen(["sleep", "30"], start_new_session=True)
    try:
        path = mark_running(tmp_path, "autodock4", sleeper.pid)
        assert path is not None
        record = json.loads(path.read_text())
        record["start"] += 1  # the same pid, started at another time: another process that reused the pid
        path.write_text(json.dumps(record))
        assert stop_orphans([tmp_path]) == {} and not path.exists()
        assert sleeper.poll() is None  # not ours: left alone
    finally:
        sleeper.kill()
        sleeper.wait()
    dead = mark_running(tmp_path, "autogrid4", sleeper.pid)  # the pid is gone now
    assert dead is not None and stop_orphans([tmp_path]) == {} and not dead.exists()


def test_fault_orphan_record_from_another_host_refuses_the_job(tmp_path: Path) -> None:
    path = tmp_path / "running_4242.json"
    path.write_text(json.dumps({"program": "autodock4", "pid": 4242, "start": 1, "host": "node17", "boot": "x"}))
    blocked = stop_orphans([tmp_path])
    assert blocked == {str(tmp_path): f"autodock4 (pid 4242 on host node17) may still write {tmp_path}: stop it "
                                      "there, delete running_4242.json, and rerun with --resume"}
    assert path.exists()

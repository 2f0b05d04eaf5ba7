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
from helpers import AD, FAKE_AUTODOCK, FAKE_AUTOGRID, REPO, fake_bin, fake_program

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
workers = 1
run_chunks = 1
systems = []

[[docking.redock]]
name = "1IEP"
receptor_pdbqt = "{ad}/1iep_receptor.pdbqt"
ligand_pdbqt = "{ad}/1iep_ligand.pdbqt"
reference = "{ad}/1iep_ligand.sdf"
box_center = [15.190, 53.903, 16.917]
box_size = [20.0, 20.0, 20.0]
"""
# TEST DOUBLE: autodock4 --version answers; a docking run writes a partial DLG, records its pid, then sleeps
HANGING_AUTODOCK = ('if [ "$1" = "--version" ]; then echo "AutoDock 4.2.6"; exit 0; fi; '
                    'echo "partial DLG of the first run" > "$4"; echo $$ > "$(dirname "$0")/orphan.pid"; '
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
def test_fault_orphan_program_after_kill_9_is_stopped_on_resume(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bindir = fake_bin(tmp_path, monkeypatch, ("cp", "grep", "dirname", "sleep"),
                      {"autogrid4": FAKE_AUTOGRID, "autodock4": HANGING_AUTODOCK})
    workflow = tmp_path / "w.toml"
    workflow.write_text(WORKFLOW.format(repo=REPO, cache=tmp_path / "cache", ad=AD), encoding="utf-8")
    run_dir = tmp_path / "run"
    env = {**os.environ, "PATH": str(bindir), "PYTHONPATH": str(REPO)}
    first = subprocess.Popen([sys.executable, "-m", "netpharm", "-q", "run", str(workflow), "--out", str(run_dir)],
                             env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        _wait(lambda: (bindir / "orphan.pid").is_file(), 120, "autodock4 to start")
    finally:
        first.kill()  # SIGKILL: netpharm has no chance to stop its program
        first.wait()
    orphan = int((bindir / "orphan.pid").read_text())
    folder = run_dir / "docking" / "redock" / "1IEP"
    assert _alive(orphan)  # what kill -9 leaves behind: autodock4 still writing the job folder
    record = json.loads((folder / f"running_{orphan}.json").read_text())
    assert record["pid"] == orphan and record["start"] == process_start(orphan)
    assert record["program"] == "autodock4" and record["host"] == socket.gethostname()

    fake_program(bindir, "autodock4", FAKE_AUTODOCK)  # the resumed run's autodock4 finishes
    resumed = run_workflow(load_workflow(workflow), run_dir, resume=True, stages=["docking"])
    assert not _alive(orphan)
    assert resumed.outcomes["docking"].status == "ok", resumed.outcomes["docking"].reason
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

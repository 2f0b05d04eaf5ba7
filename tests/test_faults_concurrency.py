"""Faults of the run folder itself: two runs into one folder, and SIGTERM (what `timeout` and batch schedulers send).

Real programs at a small budget: morphine into the paper's κ entry 6VI4 (tests/data/campaign), 2 LGA runs ×
25,000 evaluations, through `netpharm dock`. A second run into a live run's folder must be refused with one
line naming the first, and must not touch it (the first finishes identical to a solo run). SIGTERM must stop
the run like Ctrl-C: a message, exit 143, no docking program left running, and `--resume` finishes the run.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from helpers import require_autodock

from netpharm.errors import OutputExistsError
from netpharm.runlock import LOCK_FILE, lock_holder, lock_run_dir

REPO = Path(__file__).resolve().parents[1]
DATA = Path(__file__).parent / "data"
MORPHINE = "CN1CC[C@]23[C@@H]4[C@H]1CC5=C2C(=C(C=C5)O)O[C@H]3[C@H](C=C4)O morphine"


def _argv(tmp_path: Path, out: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "netpharm", "dock", "--offline", "--cache", str(tmp_path / "cache"),
            "--receptor", str(DATA / "campaign" / "6VI4.cif.gz"), "--ligand", MORPHINE, "--box-residues", "D3.32",
            "--box-padding", "6", "--runs", "2", "--evals", "25000", "--out", str(out), *extra]


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(REPO)}


def _wait_for(predicate: object, proc: subprocess.Popen[bytes], what: str, limit: float = 300) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if callable(predicate) and predicate():
            return
        if proc.poll() is not None:
            raise AssertionError(f"the run ended before {what}: {proc.stderr.read().decode() if proc.stderr else ''}")
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def _programs_in(folder: Path) -> list[int]:
    """Pids of running processes whose working directory lies inside ``folder`` (docking programs run there)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cwd = Path(os.readlink(entry / "cwd"))
        except OSError:
            continue
        if cwd == folder or folder in cwd.parents:
            pids.append(int(entry.name))
    return pids


def test_lock_is_exclusive_names_its_holder_and_dies_with_it(tmp_path: Path) -> None:
    """Fault class: concurrent writers. The lock of a live process refuses a second holder; a dead one's does not."""
    holder = subprocess.Popen([sys.executable, "-c", "import sys,time\nfrom pathlib import Path\n"
                               "from netpharm.runlock import lock_run_dir\n"
                               f"with lock_run_dir(Path({str(tmp_path)!r})):\n"
                               "    print('locked', flush=True); time.sleep(60)"],
                              env=_env(), stdout=subprocess.PIPE)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == b"locked"
        with pytest.raises(OutputExistsError, match=rf"in use by another netpharm run \(pid {holder.pid}, started "):
            with lock_run_dir(tmp_path):
                pass
    finally:
        holder.kill()
        holder.wait()
    assert f"pid {holder.pid}" in lock_holder(tmp_path)   # a stale record stays on disk ...
    with lock_run_dir(tmp_path):                          # ... but the lock died with its process
        assert f"pid {os.getpid()}" in lock_holder(tmp_path)


@pytest.mark.slow
@pytest.mark.needs_autodock
def test_second_run_into_a_live_run_folder_is_refused(tmp_path: Path) -> None:
    """Fault class: two runs into one run folder (--resume and --force). The second gets one line naming the
    first and exit 2; the first finishes exactly as a solo run."""
    require_autodock()
    out = tmp_path / "shared"
    first = subprocess.Popen(_argv(tmp_path, out, "--workers", "1"), env=_env(), cwd=tmp_path,
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _wait_for(lambda: f"pid {first.pid}" in lock_holder(out), first, "the first run to take the lock")
    for flag in ("--resume", "--force"):
        second = subprocess.run(_argv(tmp_path, out, "--workers", "1", flag), env=_env(), cwd=tmp_path,
                                capture_output=True, text=True, timeout=120)
        lines = second.stderr.strip().splitlines()
        assert second.returncode == 2, second.stderr
        assert lines[-1].startswith(f"netpharm: error: {out} is in use by another netpharm run (pid {first.pid}, ")
        assert "Traceback" not in second.stderr
        assert (out / LOCK_FILE).is_file() and (out / "netpharm-run.json").is_file()  # --force deleted nothing
    assert first.wait(timeout=600) == 0, first.stderr.read().decode() if first.stderr else ""
    solo = tmp_path / "solo"
    assert subprocess.run(_argv(tmp_path, solo, "--workers", "1"), env=_env(), cwd=tmp_path, capture_output=True,
                          timeout=600).returncode == 0
    for name in ("results.tsv", "systems.tsv"):
        assert (out / "docking" / name).read_text() == (solo / "docking" / name).read_text(), name


@pytest.mark.slow
@pytest.mark.needs_autodock
def test_sigterm_stops_like_ctrl_c_and_resume_finishes(tmp_path: Path) -> None:
    """Fault class: SIGTERM. A message and exit 143, no docking program left running in the run folder, and
    `--resume` then finishes the run."""
    require_autodock()
    out = tmp_path / "run"
    argv = _argv(tmp_path, out, "--workers", "2", "--runs", "6", "--evals", "2500000")
    first = subprocess.Popen(argv, env=_env(), cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                             start_new_session=True)
    _wait_for(lambda: any((out / "docking").rglob("dock.dlg")) and _programs_in(out / "docking"), first,
              "autodock4 to start")
    os.kill(first.pid, signal.SIGTERM)               # the CLI only, as `timeout` does
    assert first.wait(timeout=120) == 143
    err = first.stderr.read().decode() if first.stderr else ""
    assert err.strip().splitlines()[-1] == "netpharm: interrupted; finished outputs are kept (rerun with --resume)"
    assert "Traceback" not in err
    deadline = time.monotonic() + 30
    while _programs_in(out / "docking") and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _programs_in(out / "docking") == []     # no autodock4 outlives the run
    resumed = subprocess.run(argv + ["--resume"], env=_env(), cwd=tmp_path, capture_output=True, text=True,
                             timeout=900)
    assert resumed.returncode == 0, resumed.stderr[-3000:]
    rows = (out / "docking" / "results.tsv").read_text().splitlines()
    assert len(rows) == 2 and "\tok\t" in rows[1]

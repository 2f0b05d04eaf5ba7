"""Injected faults in the external docking programs: TEST DOUBLES for autogrid4/autodock4/vina.

The fakes are shell scripts put first on PATH; they crash, die by a signal, hang, spawn
children that would outlive them, or print garbage. Each case asserts the exact error
class and that no process is left behind (the whole process group is killed).
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from helpers import AD, docking_context, fake_bin, fake_program, iep_case

from netpharm.docking.pose.dlg import parse_dlg
from netpharm.docking.run.runner import run_autodock, run_autogrid, run_vina
from netpharm.errors import AutoDockError, AutoGridError, DLGParseError, VinaError


@pytest.fixture
def fakebin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Overrides conftest's: no test double yet (each test writes its own), and sleep/cat/head besides."""
    return fake_bin(tmp_path, monkeypatch, ("sleep", "cat", "head", "cp", "grep", "dirname"))


@pytest.fixture
def work(tmp_path: Path) -> Path:
    folder = tmp_path / "work"
    folder.mkdir()
    (folder / "receptor.gpf").write_text("npts 4 4 4\n")
    (folder / "dock.dpf").write_text("ga_run 2\n")
    (folder / "vina.txt").write_text("receptor = r.pdbqt\nligand = l.pdbqt\nout = out.pdbqt\n")
    return folder


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a zombie is dead for our purpose (reaped by init later)
    try:
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except FileNotFoundError:
        return False


def wait_dead(pid: int, seconds: float = 3.0) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if not alive(pid):
            return True
        time.sleep(0.05)
    return False


def test_autogrid_crash_carries_its_log(fakebin: Path, work: Path) -> None:
    fake_program(fakebin, "autogrid4", 'echo "ERROR: unknown receptor type Xx" > "$4"; echo "oom" >&2; exit 3')
    with pytest.raises(AutoGridError, match=r"exited with status 3(.|\n)*unknown receptor type Xx"):
        run_autogrid(work / "receptor.gpf", work, timeout=10)


def test_autodock_killed_by_a_signal(fakebin: Path, work: Path) -> None:
    fake_program(fakebin, "autodock4", "kill -SEGV $$")
    with pytest.raises(AutoDockError, match="killed by signal SIGSEGV"):
        run_autodock(work / "dock.dpf", work, timeout=10)


def test_hanging_autodock_times_out(fakebin: Path, work: Path) -> None:
    fake_program(fakebin, "autodock4", "sleep 60")
    tic = time.monotonic()
    with pytest.raises(AutoDockError, match="timed out after 0.5 s"):
        run_autodock(work / "dock.dpf", work, timeout=0.5)
    assert time.monotonic() - tic < 5


def test_timeout_kills_the_whole_process_group(fakebin: Path, work: Path) -> None:
    # The fake starts a grandchild that keeps the output pipe open: killing only the direct
    # child would leave it running (and subprocess would wait for it).
    fake_program(fakebin, "autogrid4", 'sleep 120 & echo $! > child.pid; sleep 120')
    tic = time.monotonic()
    with pytest.raises(AutoGridError, match="process group was killed"):
        run_autogrid(work / "receptor.gpf", work, timeout=1.0)
    assert time.monotonic() - tic < 8
    assert wait_dead(int((work / "child.pid").read_text()))


def test_children_left_behind_by_a_finished_program_are_killed(fakebin: Path, work: Path) -> None:
    fake_program(fakebin, "autogrid4", 'sleep 120 >/dev/null 2>&1 & echo $! > child.pid; '
                               'echo "autogrid4: Successful Completion" > "$4"')
    assert run_autogrid(work / "receptor.gpf", work, timeout=10).name == "receptor.glg"
    assert wait_dead(int((work / "child.pid").read_text()))


def test_garbage_output_without_completion_is_an_error(fakebin: Path, work: Path) -> None:
    fake_program(fakebin, "autogrid4", 'head -c 2000 /dev/urandom > "$4"; head -c 500 /dev/urandom')
    with pytest.raises(AutoGridError, match="did not complete"):
        run_autogrid(work / "receptor.gpf", work, timeout=10)


def test_garbage_dlg_that_claims_success_is_a_parse_error(fakebin: Path, work: Path) -> None:
    fake_program(fakebin, "autodock4", 'echo "DOCKED: garbage" > "$4"; echo "Successful Completion" >> "$4"')
    dlg = run_autodock(work / "dock.dpf", work, timeout=10)
    with pytest.raises(DLGParseError):
        parse_dlg(dlg)


def test_truncated_dlg_is_a_parse_error(fakebin: Path, work: Path) -> None:
    # a real AutoDock log (tests/data/autodock) cut in half, as a killed run leaves it
    text = (AD / "1iep_reduced.dlg").read_text()
    (work / "half.dlg").write_text(text[: len(text) // 2])
    with pytest.raises(DLGParseError, match="truncated"):
        parse_dlg(work / "half.dlg")


def test_vina_writing_no_output_is_an_error(fakebin: Path, work: Path) -> None:
    fake_program(fakebin, "vina", 'echo "Reading input ... done."; exit 0')
    with pytest.raises(VinaError, match="wrote no out.pdbqt"):
        run_vina(work / "vina.txt", work, timeout=10)


def test_vina_hang_with_children_is_killed(fakebin: Path, work: Path) -> None:
    fake_program(fakebin, "vina", 'sleep 120 & echo $! > child.pid; sleep 120')
    with pytest.raises(VinaError, match="timed out"):
        run_vina(work / "vina.txt", work, timeout=0.5)
    assert wait_dead(int((work / "child.pid").read_text()))


# --- the stage: one system's bad input fails that system only ----------------------------------------
def test_missing_box_ligand_fails_that_system_only(tmp_path: Path, fakebin: Path) -> None:
    from netpharm.docking.config import DockingConfig, DockingSystem
    from netpharm.docking.stage import run_docking_stage

    fake_program(fakebin, "autogrid4", 'echo "autogrid4: Successful Completion" > "$4"')
    fake_program(fakebin, "autodock4", f'cp "{AD / "1iep_reduced.dlg"}" "$4"')
    docking = DockingConfig(
        systems=(DockingSystem("MOR", "MOR_8EFO_human_receptor_processed.pdb", box_ligand="no_such_ligand.pdb"),),
        redock=(iep_case(),), workers=1)
    ctx = docking_context(tmp_path, docking)
    outcome = run_docking_stage(ctx)
    systems = {r.system: r for r in outcome.findings.systems}
    redocking = {r.system: r for r in outcome.findings.redocking}
    assert systems["MOR"].status == "failed" and "box_ligand file not found" in (systems["MOR"].error or "")
    assert redocking["1IEP"].status == "ok" and redocking["1IEP"].best_energy == -12.5
    assert outcome.status == "partial"
    assert any("GridBoxError" in m or "box_ligand file not found" in m for m in outcome.missing), outcome.missing

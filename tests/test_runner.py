"""Subprocess runners: real programs, and test-double executables that fail or kill themselves."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from helpers import AD, fake_bin, fake_program

from netpharm.docking.run.runner import (
    find_executable,
    install_hint,
    program_version,
    run_autodock,
    run_autogrid,
    run_vina,
)
from netpharm.errors import AutoDockError, AutoGridError, MissingProgramError, VinaError


@pytest.fixture
def fake_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A PATH holding only the test doubles (plus ``sleep``; the scripts run /bin/sh)."""
    return fake_bin(tmp_path, monkeypatch, ("sleep",))


@pytest.mark.parametrize("name,package", [("autogrid", "autogrid"), ("autodock4", "autodock"),
                                          ("vina", "autodock-vina")])
def test_missing_program_names_debian_package(fake_path: Path, name: str, package: str) -> None:
    with pytest.raises(MissingProgramError, match=f"apt-get install {package}"):
        find_executable(name)
    assert install_hint(name) == f"apt-get install {package}"
    assert program_version(name) is None


def test_autodock_nonzero_exit_carries_log_tail(fake_path: Path, tmp_path: Path) -> None:
    fake_program(fake_path, "autodock4",
                 'echo "DPF> move ligand.pdbqt" > "$4"; echo "ERROR: ligand.pdbqt not found" >> "$4"; exit 3')
    work = tmp_path / "MOR"
    work.mkdir()
    (work / "dock.dpf").write_text("move ligand.pdbqt\n")
    with pytest.raises(AutoDockError, match=r"exited with status 3 in .*MOR(.|\n)*ligand.pdbqt not found"):
        run_autodock(work / "dock.dpf", work, timeout=30)


def test_autodock_killed_by_signal(fake_path: Path, tmp_path: Path) -> None:
    fake_program(fake_path, "autodock4", 'echo "Run: 1" > "$4"; kill -9 $$')
    with pytest.raises(AutoDockError, match="killed by signal SIGKILL(.|\n)*Run: 1"):
        run_autodock(tmp_path / "dock.dpf", tmp_path, timeout=30)


def test_autodock_timeout(fake_path: Path, tmp_path: Path) -> None:
    fake_program(fake_path, "autodock4", 'echo "started" > "$4"; exec sleep 30')
    with pytest.raises(AutoDockError, match="timed out after 1 s(.|\n)*started"):
        run_autodock(tmp_path / "dock.dpf", tmp_path, timeout=1)


def test_exit_zero_without_completion_is_an_error(fake_path: Path, tmp_path: Path) -> None:
    fake_program(fake_path, "autogrid4", 'echo "can not open receptor" > "$4"; exit 0')
    with pytest.raises(AutoGridError, match="did not complete(.|\n)*can not open receptor"):
        run_autogrid(tmp_path / "r.gpf", tmp_path, timeout=30)


def test_vina_failure(fake_path: Path, tmp_path: Path) -> None:
    fake_program(fake_path, "vina", 'echo "Parse error on line 1 in file ligand.pdbqt: MASTER" >&2; exit 1')
    (tmp_path / "vina.txt").write_text("receptor = r.pdbqt\nligand = l.pdbqt\nout = o.pdbqt\n")
    with pytest.raises(VinaError, match="Parse error on line 1"):
        run_vina(tmp_path / "vina.txt", tmp_path, timeout=30)


@pytest.mark.needs_autodock
def test_real_versions() -> None:
    assert program_version("autodock4").startswith("AutoDock 4.2.6")
    assert program_version("autogrid").startswith("AutoGrid 4.2.6")


@pytest.mark.needs_autodock
def test_real_autogrid_reports_missing_receptor(tmp_path: Path) -> None:
    shutil.copy(AD / "1iep.gpf", tmp_path)  # receptor file deliberately absent
    with pytest.raises(AutoGridError, match="1iep_receptor.pdbqt"):
        run_autogrid(tmp_path / "1iep.gpf", tmp_path, timeout=60)


@pytest.mark.needs_vina
def test_real_vina_short_run(tmp_path: Path) -> None:
    for name in ("1iep_receptor.pdbqt", "1iep_ligand.pdbqt"):
        shutil.copy(AD / name, tmp_path)
    text = (AD / "1iep_vina.txt").read_text().replace("exhaustiveness = 8", "exhaustiveness = 1")
    (tmp_path / "vina.txt").write_text(text.replace("num_modes = 9", "num_modes = 2"))
    out = run_vina(tmp_path / "vina.txt", tmp_path, timeout=300)
    assert out.name == "1iep_ligand_out.pdbqt" and "REMARK VINA RESULT" in out.read_text()
    assert "AutoDock Vina" in (tmp_path / "vina.log").read_text()

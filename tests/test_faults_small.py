"""Small faults every user meets (issue 20, "Smaller, but seen by every user"): each test names its fault class."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from netpharm.cli.main import build_parser, main

REPO = Path(__file__).resolve().parents[1]


def test_fault_cli_log_flags_work_after_the_command() -> None:
    parser = build_parser()
    assert parser.parse_args(["run", "w.toml", "-q"]).quiet is True
    assert parser.parse_args(["run", "w.toml"]).quiet is False and parser.parse_args(["run", "w.toml"]).verbose == 0
    assert parser.parse_args(["-q", "run", "w.toml"]).quiet is True            # before the command, as before
    assert parser.parse_args(["dock", "--receptor", "6VI4", "--ligand", "morphine", "-vv"]).verbose == 2
    assert parser.parse_args(["-v", "cache", "list"]).verbose == 1


def test_fault_cache_command_on_a_missing_folder_is_an_error(tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "no-cache"
    for action in ("list", "verify"):
        assert main(["cache", action, "--cache", str(missing)]) == 2
        err = capsys.readouterr().err.strip().splitlines()
        assert err == [f"netpharm: error: cache folder not found: {missing} (give --cache DIR)"]
    assert not missing.exists()   # and nothing was created


def test_fault_library_deprecation_warning_does_not_reach_the_user() -> None:
    """Loading ProLIF loads MDAnalysis, whose deprecated MDAnalysis.topology.tables warned on every docking run."""
    code = ("from netpharm.docking.pose.interactions import _prolif\n_prolif()\n"
            "import MDAnalysis.topology.tables\n")
    err = subprocess.run([sys.executable, "-W", "default", "-c", code], capture_output=True, text=True, cwd=REPO,
                         timeout=300, check=True).stderr
    assert "DeprecationWarning" not in err


@pytest.mark.parametrize(("verbose", "shown"), [(0, False), (2, True)])
def test_fault_library_warnings_go_to_the_log_at_debug(verbose: int, shown: bool) -> None:
    """Any Python warning a library emits during a run is a DEBUG log line (-vv), never raw stderr."""
    code = ("import warnings\nfrom netpharm.cli.main import _setup_logging\n"
            f"_setup_logging({verbose}, False)\n"
            "warnings.warn('a library talking', UserWarning)\nwarnings.warn('old API', DeprecationWarning)\n")
    err = subprocess.run([sys.executable, "-W", "default", "-c", code], capture_output=True, text=True, cwd=REPO,
                         timeout=120, check=True).stderr
    assert ("DEBUG py.warnings" in err and "a library talking" in err) is shown
    assert ("a library talking" in err) is shown


@pytest.mark.parametrize("extra, words", [
    (["--species", "99999999999999"], "--species must be an NCBI taxon id (e.g. 9606 human, 10116 rat), got 99999999999999"),
    (["--receptor", "BINARY.pdb"], "--receptor BINARY.pdb: not a readable PDB/mmCIF structure"),
    (["--receptor", "8EF6", "--ligand", "EMPTY.sdf"], "--ligand EMPTY.sdf: no molecule RDKit can read in the file"),
])
def test_fault_init_refuses_impossible_species_and_unreadable_files(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                                    monkeypatch: pytest.MonkeyPatch, extra: list[str],
                                                                    words: str) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "genes.txt").write_text("GRIN1\nGRIN2B\n")
    (tmp_path / "BINARY.pdb").write_bytes(bytes(range(256)) * 8)
    (tmp_path / "EMPTY.sdf").write_text("")
    assert main(["init", "study", "--targets", "genes.txt", *extra]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and words in err and "Traceback" not in err
    assert not (tmp_path / "study").exists()


# --- stop 25 probes: each command with an empty, wrong-format or folder input -------------------------------------
@pytest.mark.parametrize("args, words", [
    (["run", "empty.toml"], "empty.toml: the workflow file holds no settings (not even a name)"),
    (["report", "hello.txt"], "hello.txt is a file, not a run directory"),
    (["results", "hello.txt"], "hello.txt is a file, not a run folder"),
    (["nmda", "hello.pdb", "--out", "o"], "hello.pdb: no atoms (not a PDB/mmCIF structure file)"),
    (["nmda", "empty.pdb", "--out", "o"], "empty.pdb: no atoms (not a PDB/mmCIF structure file)"),
    (["nmda", "folder", "--out", "o"], "folder: a folder, not a structure file"),
    (["dock", "--receptor", "folder", "--ligand", "morphine", "--box-center", "0", "0", "0", "--box-size", "20", "20",
      "20", "--out", "o"], "--receptor folder: a folder, not a structure file"),
], ids=["run-empty-workflow", "report-on-a-file", "results-on-a-file", "nmda-text", "nmda-empty", "nmda-folder",
        "dock-folder"])
def test_fault_bad_input_files_give_one_specific_line(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                      monkeypatch: pytest.MonkeyPatch, args: list[str],
                                                      words: str) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "empty.toml").write_text("")
    (tmp_path / "empty.pdb").write_text("")
    (tmp_path / "hello.txt").write_text("hello world\n")
    (tmp_path / "hello.pdb").write_text("hello world\n")
    (tmp_path / "folder").mkdir()
    before = sorted(p.name for p in tmp_path.iterdir())
    assert main(args) == 2
    err = capsys.readouterr().err
    assert err.startswith("netpharm: error: ") and err.count("\n") == 1, err
    assert words in err and "Traceback" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # no run folder, no results/


def test_fault_empty_cache_folder_is_listed_as_empty(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["cache", "list", "--cache", str(tmp_path)]) == 0
    assert capsys.readouterr().out == f"no entries in the cache at {tmp_path}\n"


def test_fault_file_system_refusal_outside_netpharm_io_names_the_file_in_words(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    import errno

    import netpharm.report.build as build

    def refuse(run_dir: Path) -> Path:
        raise PermissionError(errno.EACCES, "Permission denied", str(run_dir / "report" / "report.html"))

    (tmp_path / "netpharm-run.json").write_text('{"netpharm_run": true, "workflow": "w"}')
    monkeypatch.setattr(build, "write_report", refuse)
    assert main(["report", str(tmp_path)]) == 2
    assert capsys.readouterr().err == (f"netpharm: error: cannot access {tmp_path}/report/report.html: "
                                       "permission denied\n")


def test_fault_unreadable_ligand_file_is_named_before_any_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import netpharm.docking.preflight as preflight

    (tmp_path / "lig.sdf").write_text("x")
    monkeypatch.setattr(preflight.os, "access", lambda path, mode: False)  # as for a user without read permission
    assert preflight.ligand_source_problem("lig.sdf", lambda s: tmp_path / s) == (
        f"ligand file {tmp_path}/lig.sdf cannot be read (permission denied)")

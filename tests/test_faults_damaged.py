"""Damaged results on --resume: what a run finished earlier and was then damaged is re-made, never trusted.

TEST DOUBLES for autogrid4/autodock4 (conftest's ``fakebin``: the AutoDock double copies the real stored
1IEP DLG and counts its calls), so a damaged output shows as one more program call, and the real 1IEP
redocking inputs (tests/data/autodock). The results database cases use real SQLite files: a damaged one
(bytes cut), another program's, and one stamped with a newer schema.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
from helpers import AD, REPO, iep_case, workflow_config

from netpharm.cli.main import main
from netpharm.docking.config import DockingConfig
from netpharm.docking.resultsdb import DB_NAME, SCHEMA_VERSION, query_poses
from netpharm.errors import OutputExistsError
from netpharm.workflow import run_workflow


def _config(tmp_path: Path, name: str = "damaged") -> Any:
    return workflow_config(AD, name=name, offline=True, cache_dir=str(tmp_path / "cache"), targets=str(REPO / "targets.txt"),
                           docking=DockingConfig(systems=(), redock=(iep_case(),), workers=1, run_chunks=1))


def _dock(tmp_path: Path, resume: bool = False, name: str = "damaged") -> Any:
    return run_workflow(_config(tmp_path, name), tmp_path / "run", resume=resume, stages=["docking"])


def _case(tmp_path: Path) -> Path:
    return tmp_path / "run" / "docking" / "redock" / "1IEP"


def _cut(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


@pytest.mark.parametrize("damage", ["truncated dlg", "overwritten map"])
def test_fault_damaged_output_is_remade_on_resume(tmp_path: Path, fakebin: Path, damage: str) -> None:
    first = _dock(tmp_path)
    assert first.outcomes["docking"].status == "ok"
    dlg, damaged = _case(tmp_path) / "dock.dlg", _case(tmp_path) / "receptor.A.map"
    if damage == "truncated dlg":
        _cut(dlg)
    else:
        damaged.write_text("not a map\n")
    resumed = _dock(tmp_path, resume=True)
    # docked again (not "skipped (done earlier)" and then failed): the DLG is whole, the maps re-made
    assert resumed.outcomes["docking"].status == "ok", resumed.outcomes["docking"].reason
    assert dlg.read_bytes() == (AD / "1iep_reduced.dlg").read_bytes() and damaged.read_bytes() == b""
    assert resumed.outcomes["docking"].findings == first.outcomes["docking"].findings
    stamp = dlg.stat().st_mtime_ns
    _cut(_case(tmp_path) / "best_pose.sdf")  # the stage re-runs; the intact job is not docked again
    again = _dock(tmp_path, resume=True)
    assert again.outcomes["docking"].status == "ok" and dlg.stat().st_mtime_ns == stamp


def _damage_db(path: Path, how: str) -> None:
    for side in (path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        side.unlink(missing_ok=True)
    if how == "corrupt":
        data = bytearray(path.read_bytes())
        data[100:4096] = b"\xff" * (4096 - 100)  # the schema page overwritten
        path.write_bytes(bytes(data))
    elif how == "not sqlite":
        path.write_text("a note someone saved under this name\n")
    elif how == "foreign":
        path.unlink()
        with sqlite3.connect(path) as conn:
            conn.execute("CREATE TABLE measurements (x REAL)")
            conn.execute("INSERT INTO measurements VALUES (1.5)")
        conn.close()


@pytest.mark.parametrize("how", ["corrupt", "not sqlite", "foreign"])
def test_fault_damaged_results_database_is_kept_aside_and_rebuilt_on_resume(tmp_path: Path, fakebin: Path,
                                                                           how: str) -> None:
    first = _dock(tmp_path)
    db = tmp_path / "run" / "docking" / DB_NAME
    poses = query_poses(db, top=100)
    dlg = _case(tmp_path) / "dock.dlg"
    stamp = dlg.stat().st_mtime_ns
    assert len(poses) == 4  # the stored DLG's runs
    _damage_db(db, how)
    resumed = _dock(tmp_path, resume=True)
    assert resumed.outcomes["docking"].status == "ok"
    assert dlg.stat().st_mtime_ns == stamp  # rebuilt from the job folder's DLG: nothing docked again
    assert query_poses(db, top=100) == poses
    assert (db.parent / f"{DB_NAME}.damaged-1").is_file()  # the damaged file is kept, not deleted
    assert resumed.outcomes["docking"].findings == first.outcomes["docking"].findings


def _stamp_newer(path: Path) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
        conn.execute("ALTER TABLE jobs RENAME COLUMN status TO state")  # what a newer schema may do
    conn.close()


def test_fault_newer_schema_database_is_one_line_and_never_restamped(tmp_path: Path, fakebin: Path,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    _dock(tmp_path)
    db = tmp_path / "run" / "docking" / DB_NAME
    _stamp_newer(db)
    before = db.read_bytes()
    assert main(["results", str(tmp_path / "run")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"written by a newer netpharm (results schema {SCHEMA_VERSION + 1}" in err
    assert "Traceback" not in err
    resumed = _dock(tmp_path, resume=True)
    outcome = resumed.outcomes["docking"]
    assert outcome.status == "failed" and "written by a newer netpharm" in outcome.reason
    assert db.read_bytes() == before  # not re-stamped, not rebuilt
    with sqlite3.connect(f"{db.as_uri()}?mode=ro", uri=True) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION + 1
    conn.close()


def test_fault_resume_into_another_workflows_run_is_refused(tmp_path: Path, fakebin: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    _dock(tmp_path, name="first")
    kept = {p: p.read_bytes() for p in (tmp_path / "run").rglob("*") if p.is_file()}
    with pytest.raises(OutputExistsError, match="holds a run of workflow 'first', not 'second'"):
        _dock(tmp_path, resume=True, name="second")
    assert {p: p.read_bytes() for p in (tmp_path / "run").rglob("*") if p.is_file()} == kept


def test_fault_results_top_out_of_range_is_one_line(tmp_path: Path, fakebin: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    _dock(tmp_path)
    assert main(["results", str(tmp_path / "run"), "--top", "99999999999999999999"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--top must be between 1 and 1,000,000" in err

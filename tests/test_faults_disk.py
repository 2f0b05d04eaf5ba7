"""A full disk during docking: the first failure is reported, no SQLite traceback, the run's records still written.

What real AutoGrid 4.2.6 does when the disk fills up was seen on a 1.5 MB tmpfs (1IEP receptor, this repo's
GPF): it writes "Problems writing grid maps - there may not be enough disk space" into its log, leaves the
maps cut short and exits 0 without "Successful Completion". The TEST DOUBLE below does the same. SQLite's own
refusal is real: the results database is capped (``PRAGMA max_page_count``) as the double runs, so its next
commit fails with SQLITE_FULL ("database or disk is full"), exactly as on a full disk. As in the network
stage's full-disk test (tests/test_faults_inputs.py), the space comes back afterwards (the double's partial
maps are removed), so the manifest and the report can be written, and ``--resume`` finishes the run.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from helpers import AD, FAKE_AUTOGRID, REPO, fake_program, iep_case, workflow_config

from netpharm.docking.config import DockingConfig
from netpharm.docking.resultsdb import DB_NAME, ResultsDB, query_poses
from netpharm.workflow import run_workflow

# TEST DOUBLE: autogrid4 out of disk space, as the real one behaves (see the module docstring)
FULL_AUTOGRID = ('[ "$1" = "-p" ] || exit 0; for m in N C OA HD A NA e d; do printf "GRID_PARAMETER_FILE rec" > "receptor.$m.map"; done; '
                 'printf "autogrid4: WARNING:  Problems writing grid maps - there may not be enough disk space.\\n"'
                 ' > "$4"; echo full > "$(dirname "$0")/disk"')


class _FullDisk:
    """TEST DOUBLE of a connection on a full disk: every statement runs, the COMMIT fails as SQLite's does
    when its WAL cannot grow (SQLITE_FULL, "database or disk is full"; the real error is checked below)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def execute(self, sql: str, *args: Any) -> Any:
        if sql == "COMMIT":
            exc = sqlite3.OperationalError("database or disk is full")
            exc.sqlite_errorcode, exc.sqlite_errorname = 13, "SQLITE_FULL"
            raise exc
        return self._conn.execute(sql, *args)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._conn, name)


def _config(tmp_path: Path) -> Any:
    return workflow_config(AD, name="disk", offline=True, cache_dir=str(tmp_path / "cache"),
                           targets=str(REPO / "targets.txt"),
                           docking=DockingConfig(systems=(), redock=(iep_case(),), workers=1, run_chunks=1))


def test_fault_full_disk_during_docking_reports_autogrid_first_and_writes_the_run(
        tmp_path: Path, fakebin: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    fake_program(fakebin, "autogrid4", FULL_AUTOGRID)
    real_record = ResultsDB.record_job

    def record_on_a_full_disk(self: ResultsDB, *args: Any, **kwargs: Any) -> None:
        if (fakebin / "disk").is_file():  # the disk filled up while autogrid4 ran: the WAL cannot grow
            self.conn = _FullDisk(self.conn)  # type: ignore[assignment]
        real_record(self, *args, **kwargs)

    monkeypatch.setattr(ResultsDB, "record_job", record_on_a_full_disk)
    run_dir = tmp_path / "run"
    result = run_workflow(_config(tmp_path), run_dir, stages=["docking", "report"])
    outcome = result.outcomes["docking"]
    assert outcome.status == "failed"
    # the first failure first, in words; then why it could not even be recorded; no sqlite3 exception
    assert outcome.reason.startswith("system 1IEP (autodock4): autogrid4 ran out of disk space in "), \
        outcome.reason
    assert "'Problems writing grid maps - there may not be enough disk space'" in outcome.reason
    assert "then cannot write " in outcome.reason and "results.sqlite: no space left on the device (disk full)" \
        in outcome.reason
    assert "\n" not in outcome.reason.split("; then")[0]
    case = run_dir / "docking" / "redock" / "1IEP"
    assert list(case.glob("*.map")) == []  # the cut maps are removed (useless; their space lets the run finish)
    assert (run_dir / "manifest.json").is_file() and (run_dir / "report" / "report.html").is_file()
    assert "Traceback" not in caplog.text

    monkeypatch.setattr(ResultsDB, "record_job", real_record)  # space again
    fake_program(fakebin, "autogrid4", FAKE_AUTOGRID)
    resumed = run_workflow(_config(tmp_path), run_dir, resume=True, stages=["docking", "report"])
    assert resumed.outcomes["docking"].status == "ok", resumed.outcomes["docking"].reason
    assert len(query_poses(run_dir / "docking" / DB_NAME, top=100)) == 4


def test_fault_full_disk_sqlite_refusal_is_an_output_write_error(tmp_path: Path) -> None:
    from netpharm.errors import OutputWriteError

    with ResultsDB(tmp_path / DB_NAME) as db:
        pages = db.conn.execute("PRAGMA page_count").fetchone()[0]
        db.conn.execute(f"PRAGMA max_page_count = {pages}")
        with pytest.raises(OutputWriteError, match=r"cannot write .*results\.sqlite: no space left on the device "
                                                   r"\(disk full\)"):
            for n in range(200):  # until a page is needed
                db.add_ligand(f"ligand{n}", "x" * 500)
        assert not db.conn.in_transaction
    with sqlite3.connect(tmp_path / DB_NAME) as conn:  # what was committed before is intact
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()


# --- a disk that stays full: the run ends on one line saying what is kept, and resumes ---------------------------
@pytest.mark.parametrize("fills_at, lasting, stopped, kept, manifest", [
    ("report/.summary.json.", True, "report", "kept: network (recorded)",
     "manifest.json not updated (the one there was written before stage report); "),
    ("network/.nodes.tsv.", True, "network", "no stage was recorded",
     "manifest.json not written either; report not built; "),
    ("report/.summary.json.", False, "report", "kept: network (recorded)",
     "manifest.json written (the run marked unfinished); "),
], ids=["at-the-report-summary", "inside-the-network-stage", "space-again-for-the-manifest"])
def test_fault_full_disk_that_stays_full_ends_in_one_line_and_resumes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fills_at: str, lasting: bool, stopped: str, kept: str,
        manifest: str) -> None:
    import errno
    import os
    import tempfile

    import netpharm.io as nio
    from netpharm.errors import OutputWriteError
    from netpharm.registry import load_workflow

    config = load_workflow(REPO / "workflows/microdiscectomy-offline.toml", {"network": {"bootstrap": 5}})
    real_mkstemp, real_fsync = tempfile.mkstemp, os.fsync
    full = {"since": ""}

    def mkstemp(*args: Any, **kwargs: Any) -> tuple[int, str]:
        fd, name = real_mkstemp(*args, **kwargs)
        if not full["since"] and fills_at in name:
            full["since"] = name  # from this write on, nothing fits: the data reach a temporary file only
        return fd, name

    def fsync(fd: int) -> None:
        if full["since"] and full["since"] != "over":
            full["since"] = full["since"] if lasting else "over"  # "over": one refusal, then space again
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real_fsync(fd)

    monkeypatch.setattr(nio.tempfile, "mkstemp", mkstemp)
    monkeypatch.setattr(nio.os, "fsync", fsync)
    run = tmp_path / "run"
    with pytest.raises(OutputWriteError) as caught:
        run_workflow(config, run, stages=["network", "report"])
    message = str(caught.value)
    assert "\n" not in message and message.startswith(f"cannot write {run}/{stopped}/")
    assert message.endswith(f": no space left on the device (disk full); the run stopped at stage {stopped}: {kept}; "
                            f"{manifest}`--resume` continues from {stopped} once there is space"), message
    assert full["since"] and not list(run.rglob("*.tmp"))  # no half-written file, under any name
    assert not (run / "stages" / f"{stopped}.json").exists()
    if stopped == "report":  # the manifest written before the report stage (or again), intact and unfinished
        record = json.loads((run / "manifest.json").read_text())
        assert record["finished"] is None and record["stages"]["network"]["status"] == "partial"
        assert record["stages"].get("report", {}).get("status") == (None if lasting else "failed")  # unrecorded
    else:
        assert not (run / "manifest.json").exists()

    monkeypatch.setattr(nio.os, "fsync", real_fsync)  # space again
    resumed = run_workflow(config, run, stages=["network", "report"], resume=True)
    assert resumed.skipped == (["network"] if stopped == "report" else [])
    assert resumed.outcomes["network"].status == "partial" and resumed.outcomes["report"].status == "ok"
    assert (run / "manifest.json").is_file()
    reference = run_workflow(config, tmp_path / "ref", stages=["network"])
    for name in ("nodes.tsv", "hubs.tsv", "edges.tsv"):
        assert (run / "network" / name).read_bytes() == (tmp_path / "ref/network" / name).read_bytes()
    assert reference.outcomes["network"].findings == resumed.outcomes["network"].findings

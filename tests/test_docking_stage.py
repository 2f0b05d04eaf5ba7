"""Executor (parallel, failure isolation, resume) and the docking stage."""

from __future__ import annotations

import json
import shutil
import stat
from pathlib import Path

import pytest

from netpharm.docking.executor import DockingJob, execute_job, fingerprint, run_jobs

AD = Path(__file__).parent / "data" / "autodock"

FAKE_AUTOGRID = 'echo "autogrid4: Successful Completion" > "$4"'
# test double: writes a DLG copied from the real stored one, and counts its calls
FAKE_AUTODOCK = ('echo x >> "$(dirname "$0")/calls"; '
                 'if grep -q crash "$2"; then echo "ERROR: bad dpf" > "$4"; exit 2; fi; '
                 f'cp "{AD / "1iep_reduced.dlg"}" "$4"')


def fake_program(folder: Path, name: str, body: str) -> None:
    path = folder / name
    path.write_text("#!/bin/sh\n# TEST DOUBLE for " + name + "\n" + body + "\n")
    path.chmod(path.stat().st_mode | stat.S_IEXEC)


@pytest.fixture
def fakebin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    bindir = tmp_path / "fakebin"
    bindir.mkdir()
    for tool in ("cp", "grep", "dirname"):
        (bindir / tool).symlink_to(shutil.which(tool))
    fake_program(bindir, "autogrid4", FAKE_AUTOGRID)
    fake_program(bindir, "autodock4", FAKE_AUTODOCK)
    monkeypatch.setenv("PATH", str(bindir))
    return bindir


def make_job(root: Path, name: str, dpf_text: str = "ga_run 4\n") -> DockingJob:
    work = root / name
    work.mkdir(parents=True, exist_ok=True)
    shutil.copy(AD / "1iep_receptor.pdbqt", work / "receptor.pdbqt")
    shutil.copy(AD / "1iep_ligand.pdbqt", work / "ligand.pdbqt")
    (work / "receptor.gpf").write_text("npts 4 4 4\n")
    (work / "dock.dpf").write_text(dpf_text)
    return DockingJob(name, str(work), "autodock4", "receptor.pdbqt", "ligand.pdbqt", "receptor.gpf", "dock.dpf")


def calls(fakebin: Path) -> int:
    path = fakebin / "calls"
    return len(path.read_text().splitlines()) if path.exists() else 0


@pytest.mark.parametrize("workers", [1, 2])
def test_failure_isolated_and_resume(tmp_path: Path, fakebin: Path, workers: int) -> None:
    jobs = [make_job(tmp_path, "MOR"), make_job(tmp_path, "DOR", "crash\n"), make_job(tmp_path, "KOR")]
    results = run_jobs(jobs, workers=workers)
    assert [(r.name, r.status) for r in results] == [("MOR", "done"), ("DOR", "failed"), ("KOR", "done")]
    failed = results[1]
    assert failed.error_type == "AutoDockError" and "system DOR" in failed.error and "bad dpf" in failed.error
    assert (tmp_path / "DOR" / "error_autodock4.txt").read_text().startswith("system DOR")
    record = json.loads((tmp_path / "MOR" / "done_autodock4.json").read_text())
    assert record["fingerprint"] == fingerprint(tmp_path / "MOR", jobs[0].inputs())
    assert record["outputs"] == {"glg": "receptor.glg", "dlg": "dock.dlg"}
    assert calls(fakebin) == 3

    # rerun: finished systems with unchanged inputs are skipped, the failed one is retried
    (tmp_path / "DOR" / "dock.dpf").write_text("ga_run 4\n")
    again = run_jobs(jobs, workers=workers)
    assert [r.status for r in again] == ["skipped", "done", "skipped"]
    assert calls(fakebin) == 4
    # a changed input (ligand) invalidates the record
    (tmp_path / "KOR" / "ligand.pdbqt").write_text((AD / "1iep_ligand.pdbqt").read_text().replace("14.798", "14.799"))
    assert [r.status for r in run_jobs(jobs, workers=workers)] == ["skipped", "skipped", "done"]


def test_missing_output_invalidates_record(tmp_path: Path, fakebin: Path) -> None:
    job = make_job(tmp_path, "MOR")
    assert execute_job(job).status == "done"
    (tmp_path / "MOR" / "dock.dlg").unlink()
    assert execute_job(job).status == "done" and calls(fakebin) == 2


def test_dask_cluster_same_code_path(tmp_path: Path, fakebin: Path) -> None:
    distributed = pytest.importorskip("distributed")
    jobs = [make_job(tmp_path, "MOR"), make_job(tmp_path, "DOR", "crash\n")]
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False, protocol="tcp://", host="127.0.0.1",
                                  dashboard_address=None) as cluster:
        results = run_jobs(jobs, workers=1, scheduler=cluster.scheduler_address)
    assert [r.status for r in results] == ["done", "failed"]
    assert "system DOR" in results[1].error

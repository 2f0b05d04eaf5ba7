"""Executor (parallel, failure isolation, resume) and the docking stage."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from helpers import AD, FAKE_AUTODOCK, calls, docking_context, fake_program, iep_case, make_job

from netpharm.config import to_mapping
from netpharm.docking.config import DockingConfig, DockingSystem
from netpharm.docking.run.executor import execute_job, fingerprint, run_jobs
from netpharm.docking.stage import run_docking_stage


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


# --------------------------------------------------------------------------- stage
def test_stage_redock_failures_and_resume(tmp_path: Path, fakebin: Path) -> None:
    docking = DockingConfig(systems=(DockingSystem("MOR", "8EF6", paper_pdb="8EF6"),), workers=2, redock=(
        iep_case(), iep_case("far_box", box_center=(150.0, 150.0, 150.0), box_size=(20.0, 20.0, 20.0))))
    ctx = docking_context(tmp_path, docking)
    outcome = run_docking_stage(ctx)
    assert outcome.status == "partial"
    out = ctx.run_dir / "docking"
    rows = {r["system"]: r for r in json.loads((out / "systems.json").read_text())["systems"]}
    # 8EF6 is not in the offline cache: a specific error naming the system
    assert rows["MOR"]["status"] == "failed" and "docking system MOR (8EF6)" in rows["MOR"]["error"]
    assert rows["far_box"]["status"] == "failed" and "far_box" in rows["far_box"]["error"]
    red = rows["1IEP"]
    # numbers of the stored real DLG the test double returns (run 2), RMSD to the crystal pose
    assert red["status"] == "ok" and red["best_energy"] == -12.50 and red["best_run"] == 2
    assert red["rmsd"] == pytest.approx(1.171, abs=0.002)
    assert red["ki"] == 682.07 and red["ki_unit"] == "pM" and red["best_cluster_size"] == 1
    assert "A:THR315" in red["contacts"] and red["salt_bridge"] is False
    # the ProLIF profile of the best pose (hinge and gatekeeper H-bonds, tests/test_interactions.py)
    from netpharm.docking.pose.interactions import has_interaction
    assert has_interaction(red["interactions"], "hbond", "A:THR315") and has_interaction(red["interactions"],
                                                                                         "hbond", "A:MET318")
    assert red["figure"] == "docking/redock/1IEP/best_pose.png" and red["pocket_pdb"].endswith("best_pose_pocket.pdb")
    import sqlite3
    with sqlite3.connect(out / "results.sqlite") as con:  # the profile of the best pose in the results DB
        stored = con.execute("SELECT interactions FROM poses WHERE job_id = '1IEP:autodock4' AND run = 2").fetchone()
    assert json.loads(stored[0]) == red["interactions"]
    results = pd.read_csv(out / "results.tsv", sep="\t")
    assert list(results.columns[:6]) == ["ligand", "system", "kind", "receptor", "engine", "status"]
    assert results.set_index("system").loc["1IEP", "best_energy"] == -12.5
    assert results.set_index("system").loc["MOR", "status"] == "failed"
    case = out / "redock" / "1IEP"
    for name in ("receptor.pdbqt", "ligand.pdbqt", "receptor.gpf", "dock.dpf", "vina.txt", "run.sh",
                 "best_pose.pdbqt", "best_pose.sdf", "best_pose_complex.pdb", "best_pose.pml", "best_pose.png",
                 "best_pose.svg", "crystal_ligand.sdf", "done_autodock4.json", "best_pose_interactions.tsv",
                 "best_pose_interactions.json", "best_pose_pocket.pdb"):
        assert (case / name).is_file(), name
    assert "rmsref ligand.pdbqt" in (case / "dock.dpf").read_text()
    found = to_mapping(outcome.findings)["redocking"][0]
    assert {k: found[k] for k in ("system", "engine", "best_energy", "rmsd", "status")} == {
        "system": "1IEP", "engine": "autodock4", "best_energy": -12.5, "rmsd": red["rmsd"], "status": "ok"}
    assert found["success"] is True and found["failure_cause"] == "" and found["rmsd_min"] <= found["rmsd"]
    assert found["cluster_basis"] == "AutoDock clustering, rmstol 2.0 Å" and found["crystal_local_energy"] < -10
    assert found["figure"] == red["figure"] and found["interactions"] == red["interactions"]
    assert to_mapping(outcome.findings)["systems"][0]["system"] == "MOR"
    assert any("MOR" in m for m in outcome.missing)
    table = (out / "systems.tsv").read_text().splitlines()
    assert table[0].split("\t")[:4] == ["system", "ligand", "kind", "engine"] and len(table) == 4
    # the results database holds every job (failed preparations included) and every pose
    import sqlite3

    db = sqlite3.connect(out / "results.sqlite")
    jobs = dict(db.execute("SELECT id, status FROM jobs"))
    assert jobs == {"MOR/morphine:autodock4": "failed", "far_box/far_box:autodock4": "failed",
                    "1IEP:autodock4": "done"}
    poses = db.execute("SELECT run, rank, energy, cluster, rmsd FROM poses WHERE job_id = '1IEP:autodock4' "
                       "ORDER BY rank").fetchall()
    assert [p[0] for p in poses] == [2, 1, 3, 4] and poses[0][2] == -12.50 and poses[0][3] == 1
    assert poses[0][4] == pytest.approx(red["rmsd"], abs=1e-3)   # RMSD of every pose to the crystal pose
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    db.close()

    # rerun: the finished case is not docked again (its DLG and done record are untouched)
    stamps = [(case / n).stat().st_mtime_ns for n in ("dock.dlg", "done_autodock4.json")]
    assert to_mapping(run_docking_stage(ctx).findings)["redocking"][0]["rmsd"] == red["rmsd"]
    assert [(case / n).stat().st_mtime_ns for n in ("dock.dlg", "done_autodock4.json")] == stamps


def test_stage_without_programs_writes_run_scripts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    empty = tmp_path / "emptybin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    ctx = docking_context(tmp_path, DockingConfig(systems=(), redock=(iep_case(engine="both"),)))
    outcome = run_docking_stage(ctx)
    assert outcome.status == "not_run"
    text = " ".join(outcome.missing)
    assert "apt-get install autogrid" in text and "apt-get install autodock-vina" in text
    script = (ctx.run_dir / "docking" / "redock" / "1IEP" / "run.sh").read_text()
    assert "autogrid4 -p receptor.gpf -l receptor.glg\nautodock4 -p dock.dpf -l dock.dlg\nvina --config vina.txt" \
        in script
    assert to_mapping(outcome.findings)["programs"]["autodock4"] is None


def test_stage_crashed_autodock_keeps_others(tmp_path: Path, fakebin: Path) -> None:
    fake_program(fakebin, "autodock4", 'case "$PWD" in */redock/crash) kill -9 $$;; esac; ' + FAKE_AUTODOCK)
    ctx = docking_context(tmp_path, DockingConfig(systems=(), redock=(iep_case(), iep_case("crash")), workers=2))
    outcome = run_docking_stage(ctx)
    rows = {r["system"]: r for r in to_mapping(outcome.findings)["redocking"]}
    assert rows["1IEP"]["status"] == "ok" and rows["crash"]["status"] == "failed"
    assert any("system crash (autodock4)" in m and "SIGKILL" in m for m in outcome.missing)


def test_config_loader_builds_nested_sections(tmp_path: Path) -> None:
    from netpharm.errors import ConfigError
    from netpharm.registry import load_workflow

    toml = tmp_path / "w.toml"
    toml.write_text('''
[docking]
engine = "both"
ga_runs = 10
seeds = [1, 2]
[[docking.systems]]
name = "KOR"
receptor = "KOR_6B73_human_receptor_processed.pdb"
paper_pdb = "6VI4"
stand_in = "6VI4 not available offline"
pocket_residues = ["A:138", "A:139", "A:320"]
[[docking.redock]]
name = "1IEP"
receptor_pdbqt = "r.pdbqt"
ligand_pdbqt = "l.pdbqt"
box_center = [1.0, 2.0, 3.0]
box_size = [20, 20, 20]
''')
    cfg = load_workflow(toml).docking
    assert cfg.engine == "both" and cfg.lga().ga_runs == 10 and cfg.ad4_seed == (1, 2)
    assert cfg.systems[0].pocket_residues == ("A:138", "A:139", "A:320") and cfg.systems[0].ligand_name == "morphine"
    assert cfg.redock[0].box_size == (20.0, 20.0, 20.0)
    toml.write_text('[docking]\nengine = "gold"\n')
    with pytest.raises(ConfigError, match="gold"):
        load_workflow(toml)
    toml.write_text('[[docking.systems]]\nname = "A"\nreceptor = "x"\nbox_center = [1, 2]\nbox_size = [1, 2, 3]\n')
    with pytest.raises(ConfigError, match="box_center"):
        load_workflow(toml)

"""Campaigns: ligands × systems, the results database, longest-first jobs, retries, `netpharm dock`/`results`."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from helpers import (
    AD,
    FAKE_AUTODOCK,
    FAKE_AUTOGRID,
    NALOXONE,
    NALOXONE_KEY,
    calls,
    copy_synthetic_run,
    docking_context,
    fake_program,
    make_job,
    opioid_systems,
)
from rdkit import Chem

from netpharm.docking.config import DockingConfig, DockingSystem, LigandSpec
from netpharm.docking.prepare.campaign import campaign_ligands, estimate_cost
from netpharm.docking.resultsdb import PoseRecord, ResultsDB, query_poses
from netpharm.docking.run.executor import DockingJob, JobResult, run_jobs

REPO = Path(__file__).resolve().parents[1]
STRUCT = Path(__file__).parent / "data" / "structures"
FENTANYL = "CCC(=O)N(C1CCN(CC1)CCC2=CC=CC=C2)C3=CC=CC=C3"
FENTANYL_KEY = "PJMPHNIQZUBGLI-UHFFFAOYSA-N"


def test_sdf_with_several_molecules_becomes_several_ligands(tmp_path: Path) -> None:
    sdf = tmp_path / "opioids.sdf"
    writer = Chem.SDWriter(str(sdf))
    for name, smiles in (("naloxone", NALOXONE), ("", FENTANYL)):
        mol = Chem.MolFromSmiles(smiles)
        mol.SetProp("_Name", name)
        writer.write(mol)
    writer.close()
    cfg = DockingConfig(systems=opioid_systems()[:1],
                        ligands=(LigandSpec("set", "opioids.sdf"), LigandSpec("morphine", "morphine")))
    ligands = campaign_ligands(cfg, cfg.systems[0], lambda p: tmp_path / p)
    assert [lig.name for lig in ligands] == ["set_naloxone", "set_2", "morphine"]
    assert ligands[1].origin.endswith("opioids.sdf record 2") and ligands[1].molblock
    keyed = campaign_ligands(DockingConfig(systems=cfg.systems, ligands=(LigandSpec("set", "opioids.sdf",
                                                                                      NALOXONE_KEY),)),
                             cfg.systems[0], lambda p: tmp_path / p)
    assert [(lig.name, lig.problem) for lig in keyed] == [("set", f"{tmp_path / 'opioids.sdf'} holds 2 molecules; "
                                                           "expected_inchikey applies to a single molecule (split the "
                                                           "file or drop the key)")]
    # no ligand list: the system's own ligand (the paper's morphine), folder unchanged
    assert [lig.name for lig in campaign_ligands(DockingConfig(), cfg.systems[0], lambda p: tmp_path / p)] == \
        ["morphine"]


def test_cost_grows_with_atoms_torsions_and_budget() -> None:
    cfg = DockingConfig(ga_runs=10, ga_num_evals=100_000)
    small, big = estimate_cost("autodock4", 24, 2, cfg, 10_000, 8), estimate_cost("autodock4", 48, 9, cfg, 10_000, 8)
    assert big > 2 * small
    assert estimate_cost("autodock4", 24, 2, DockingConfig(ga_runs=20, ga_num_evals=100_000), 10_000, 8) > small


def _record_order(job: DockingJob) -> JobResult:  # module-level: sent to the worker thread
    with open(Path(job.workdir).parent / "order.txt", "a") as fh:
        fh.write(job.name + "\n")
    return JobResult(job.name, "done")


def test_longest_jobs_start_first(tmp_path: Path) -> None:
    jobs = [DockingJob(n, str(tmp_path / n), "autodock4", "r", "l", "g", "d", cost=c)
            for n, c in (("short", 1.0), ("long", 9.0), ("mid", 5.0))]
    for job in jobs:
        Path(job.workdir).mkdir()
    results = run_jobs(jobs, workers=1, fn=_record_order)
    assert [r.name for r in results] == ["short", "long", "mid"]  # results in input order
    assert (tmp_path / "order.txt").read_text().split() == ["long", "mid", "short"]


def test_job_whose_program_died_is_retried_once(tmp_path: Path, fakebin: Path) -> None:
    # TEST DOUBLE: autodock4 is killed by SIGKILL on its first call in a folder, then works
    fake_program(fakebin, "autodock4", 'if [ ! -e died ]; then echo > died; kill -9 $$; fi; ' + FAKE_AUTODOCK)
    seen: list[tuple[str, int]] = []
    result = run_jobs([make_job(tmp_path, "MOR")], workers=2,
                      on_result=lambda j, r: seen.append((r.status, r.attempts)))[0]
    assert result.status == "done" and result.attempts == 2 and seen == [("done", 2)]
    # always killed: tried twice, then failed with the signal named
    fake_program(fakebin, "autodock4", "kill -9 $$")
    failed = run_jobs([make_job(tmp_path, "DOR")], workers=1)[0]
    assert failed.status == "failed" and failed.attempts == 2 and "SIGKILL" in failed.error


def test_results_database_query_and_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from netpharm.cli.main import main

    run = tmp_path / "run"
    with ResultsDB(run / "docking" / "results.sqlite") as db:
        for rec, lig, energies in (("KOR", "morphine", (-7.5, -6.0)), ("KOR", "fentanyl", (-9.1,)),
                                   ("DOR", "morphine", (-5.2, -8.0))):
            job = f"{rec}/{lig}:autodock4"
            db.queue_job(job, rec, lig, "autodock4", f"docking/{rec}/{lig}", {"ga_runs": 2})
            poses = [PoseRecord(run=i + 1, rank=r, energy=e) for i, (r, e) in
                     enumerate(zip(sorted(range(1, len(energies) + 1), key=lambda k: energies[k - 1]), energies))]
            db.record_job(job, "done", "fp", poses=poses, provenance={"file": "dock.dlg"})
        db.queue_job("DOR/fentanyl:autodock4", "DOR", "fentanyl", "autodock4", "docking/DOR/fentanyl", {})
        db.record_job("DOR/fentanyl:autodock4", "failed", error="autodock4 was killed by signal SIGKILL\nlog tail")
    best = query_poses(run / "docking" / "results.sqlite")
    assert [(r["receptor"], r["ligand"], r["energy"]) for r in best] == [
        ("KOR", "fentanyl", -9.1), ("DOR", "morphine", -8.0), ("KOR", "morphine", -7.5)]
    assert [r["energy"] for r in query_poses(run / "docking" / "results.sqlite", top=2, receptor="kor",
                                             ligand="morphine")] == [-7.5, -6.0]
    assert main(["results", str(run), "--max-energy", "-7.6", "--tsv"]) == 0
    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert lines[0].split("\t")[:6] == ["receptor", "ligand", "engine", "rank", "run", "energy"]
    assert [ln.split("\t")[:2] for ln in lines[1:]] == [["KOR", "fentanyl"], ["DOR", "morphine"]]
    assert "3 of 4 jobs done" in err and "DOR/fentanyl:autodock4: failed: autodock4 was killed" in err
    assert main(["results", str(tmp_path / "nothing")]) == 2
    assert "no results database" in capsys.readouterr().err


KILL_WRITER = textwrap.dedent("""
    import os, signal, sys
    sys.path.insert(0, {repo!r})
    from netpharm.docking.resultsdb import PoseRecord, ResultsDB
    db = ResultsDB({path!r})
    for i in range(100000):
        job = f"R/lig{{i}}:autodock4"
        db.queue_job(job, "R", f"lig{{i}}", "autodock4", "w", {{}})
        db.record_job(job, "done", "fp", poses=[PoseRecord(run=k, rank=k, energy=-k) for k in range(1, 21)])
        if i == 50:
            print("ready", flush=True)
""")


def test_database_killed_mid_write_stays_readable(tmp_path: Path) -> None:
    path = tmp_path / "results.sqlite"
    proc = subprocess.Popen([sys.executable, "-c", KILL_WRITER.format(repo=str(REPO), path=str(path))],
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "ready"
    proc.kill()  # SIGKILL while it is writing
    proc.wait(timeout=30)
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    done = db.execute("SELECT count(*) FROM jobs WHERE status = 'done'").fetchone()[0]
    assert done >= 51
    # every finished job has all its poses: a job and its poses are one transaction
    counts = {n for (n,) in db.execute("SELECT count(*) FROM poses p JOIN jobs j ON j.id = p.job_id "
                                       "WHERE j.status = 'done' GROUP BY p.job_id")}
    assert counts == {20}
    db.close()


def test_campaign_stage_docks_every_ligand_into_every_system(tmp_path: Path, fakebin: Path) -> None:
    from netpharm.docking.stage import run_docking_stage

    # reference: the test double returns the real 1IEP DLG (imatinib poses), so the crystal imatinib is the
    # reference whose per-pose RMSD is known (run 2: 1.171 Å, as in the redocking test)
    systems = (DockingSystem("KOR", str(STRUCT / "KOR_6B73_human_receptor_processed.pdb"), paper_pdb="6VI4",
                             pocket_residues=("A:138",), box_padding=5.0, reference=str(AD / "1iep_ligand.sdf")),
               DockingSystem("BAD", "9ZZZ"))
    ligands = (LigandSpec("morphine", "morphine"), LigandSpec("naloxone", NALOXONE, NALOXONE_KEY),
               LigandSpec("wrong", FENTANYL, NALOXONE_KEY))
    ctx = docking_context(tmp_path, DockingConfig(systems=systems, ligands=ligands, workers=2, ga_runs=4))
    outcome = run_docking_stage(ctx)
    assert outcome.status == "partial"
    found = {(s.system, s.ligand): s.status for s in outcome.findings.systems}
    assert found == {("KOR", "morphine"): "ok", ("KOR", "naloxone"): "ok", ("KOR", "wrong"): "failed",
                     ("BAD", "morphine"): "failed", ("BAD", "naloxone"): "failed", ("BAD", "wrong"): "failed"}
    assert any("ligand wrong" in m and "InChIKey" in m for m in outcome.missing)
    out = ctx.run_dir / "docking"
    for lig in ("morphine", "naloxone"):
        assert (out / "KOR" / lig / "dock.dlg").is_file() and (out / "KOR" / lig / "best_pose.sdf").is_file()
    assert (out / "KOR" / "receptor_prep.pdbqt").is_file()   # the receptor is prepared once per system
    db = sqlite3.connect(out / "results.sqlite")
    assert dict(db.execute("SELECT id, status FROM jobs")) == {
        "KOR/morphine:autodock4": "done", "KOR/naloxone:autodock4": "done",
        "KOR/wrong:autodock4": "failed", "BAD/morphine:autodock4": "failed", "BAD/naloxone:autodock4": "failed",
        "BAD/wrong:autodock4": "failed"}
    assert db.execute("SELECT inchikey FROM ligands WHERE name = 'naloxone'").fetchone()[0] == NALOXONE_KEY
    prov = json.loads(db.execute("SELECT provenance FROM poses WHERE job_id = 'KOR/naloxone:autodock4' "
                                 "AND rank = 1").fetchone()[0])
    assert prov["file"] == "docking/KOR/naloxone/dock.dlg" and len(prov["file_sha256"]) == 64
    assert db.execute("SELECT count(*) FROM poses WHERE job_id = 'KOR/morphine:autodock4'").fetchone()[0] == 4
    rmsd = dict(db.execute("SELECT run, rmsd FROM poses WHERE job_id = 'KOR/morphine:autodock4'"))
    assert rmsd[2] == pytest.approx(1.171, abs=0.002) and all(v is not None for v in rmsd.values())
    db.close()
    # rerun: both finished jobs are skipped (their DLGs are not rewritten)
    stamps = [(out / "KOR" / lig / "dock.dlg").stat().st_mtime_ns for lig in ("morphine", "naloxone")]
    assert run_docking_stage(ctx).findings.systems[0].status == "ok"
    assert [(out / "KOR" / lig / "dock.dlg").stat().st_mtime_ns for lig in ("morphine", "naloxone")] == stamps


def test_campaign_shares_one_map_set_per_receptor_and_resumes_correctly(tmp_path: Path,
                                                                        fakebin: Path) -> None:
    """TEST DOUBLES for autogrid4/autodock4 (they count their calls); real receptor, ligands and inputs."""
    from netpharm.docking.stage import run_docking_stage

    fake_program(fakebin, "autogrid4", 'echo x >> "$(dirname "$0")/grid_calls"; ' + FAKE_AUTOGRID)
    # the stage asks each program for its version (--version) once per run: counted below as +1 each
    grids = lambda: calls(fakebin, "grid_calls")  # noqa: E731
    kor = opioid_systems()[0]
    two = (LigandSpec("morphine", "morphine"), LigandSpec("naloxone", NALOXONE, NALOXONE_KEY))
    ctx = docking_context(tmp_path, DockingConfig(systems=(kor,), ligands=two, workers=1, ga_runs=4))
    assert run_docking_stage(ctx).status == "ok"
    out = ctx.run_dir / "docking" / "KOR"
    assert (grids(), calls(fakebin)) == (1 + 1, 1 + 2)  # one autogrid4 for the receptor, one autodock4 per ligand
    gpf = (out / "maps" / "receptor.gpf").read_text()
    assert set(gpf.split("ligand_types ")[1].split("\n")[0].split()) == {"C", "N", "A", "OA", "HD"}  # the union
    for lig in ("morphine", "naloxone"):
        assert not (out / lig / "receptor.gpf").exists() and "fld ../maps/receptor.maps.fld" in \
            (out / lig / "dock.dpf").read_text()
        assert "autogrid4" not in (out / lig / "run.sh").read_text().split("set -e")[1].split("#")[0]
    db = sqlite3.connect(ctx.run_dir / "docking" / "results.sqlite")
    first = dict(db.execute("SELECT id, fingerprint FROM jobs"))
    box = json.loads(db.execute("SELECT box FROM receptors WHERE name = 'KOR'").fetchone()[0])
    db.close()
    assert box["maps"]["folder"] == "KOR/maps" and len(box["maps"]["fingerprint"]) == 64
    # resume: maps and jobs reused
    assert run_docking_stage(ctx).status == "ok" and (grids(), calls(fakebin)) == (2 + 1, 3 + 1)
    # a fluorinated ligand joins (para-fluorofentanyl): new maps (F), so every job is docked again on them
    pff = LigandSpec("p-fluorofentanyl", "CCC(=O)N(C1CCN(CC1)CCC2=CC=CC=C2)C3=CC=C(F)C=C3")
    ctx = docking_context(tmp_path, DockingConfig(systems=(kor,), ligands=(*two, pff), workers=1, ga_runs=4))
    assert run_docking_stage(ctx).status == "ok"
    assert (grids(), calls(fakebin)) == (3 + 1 + 1, 4 + 1 + 3)
    assert " F" in (out / "maps" / "receptor.gpf").read_text().split("ligand_types")[1].split("\n")[0]
    db = sqlite3.connect(ctx.run_dir / "docking" / "results.sqlite")
    again = dict(db.execute("SELECT id, fingerprint FROM jobs"))
    db.close()
    assert all(again[k] != v for k, v in first.items()) and len(again) == 3


def test_campaign_grid_failure_fails_that_receptors_jobs(tmp_path: Path, fakebin: Path) -> None:
    """TEST DOUBLE: autogrid4 fails (AutoGrid's own error line, no "Successful Completion")."""
    from netpharm.docking.stage import run_docking_stage

    fake_program(fakebin, "autogrid4", 'echo "autogrid4: ERROR: Unknown receptor type: \"Xx\"" > "$4"; exit 1')
    kor = opioid_systems()[0]
    ligands = (LigandSpec("morphine", "morphine"), LigandSpec("naloxone", NALOXONE, NALOXONE_KEY))
    ctx = docking_context(tmp_path, DockingConfig(systems=(kor,), ligands=ligands, workers=1, ga_runs=4))
    outcome = run_docking_stage(ctx)
    assert outcome.status == "failed" and calls(fakebin) == 1  # autodock4 only asked for its version
    assert {s.status for s in outcome.findings.systems} == {"failed"}
    assert all("grid maps KOR/maps" in s.error and "Unknown receptor type" in s.error
               for s in outcome.findings.systems)
    db = sqlite3.connect(ctx.run_dir / "docking" / "results.sqlite")
    rows = dict(db.execute("SELECT id, status FROM jobs"))
    db.close()
    assert rows == {"KOR/morphine:autodock4": "failed", "KOR/naloxone:autodock4": "failed"}


def test_vina_modes_become_ranked_poses() -> None:
    from netpharm.docking.pose.dlg import parse_vina_pdbqt
    from netpharm.docking.resultsdb_records import pose_records

    poses = pose_records(parse_vina_pdbqt(AD / "1iep_ligand_vina_out.pdbqt"))
    text = (AD / "1iep_ligand_vina_out.pdbqt").read_text()
    first = float(text.split("REMARK VINA RESULT:")[1].split()[0])
    assert poses[0].run == 1 and poses[0].rank == 1 and poses[0].energy == first and poses[0].cluster is None
    assert [p.rank for p in poses] == list(range(1, len(poses) + 1)) and len(poses) == text.count("MODEL")


def test_shipped_campaign_workflow_loads() -> None:
    from netpharm.registry import load_workflow

    config = load_workflow(REPO / "workflows" / "opioid-campaign-offline.toml")
    assert [lig.name for lig in config.docking.ligands] == ["morphine", "naloxone", "fentanyl"]
    assert [s.paper_pdb for s in config.docking.systems] == ["8EF6", "6PT2", "6VI4"]
    assert [(s.receptor, s.structure_role) for s in config.docking.systems] == [
        ("8EF6", "paper_entry"), ("6PT2", "paper_entry"), ("6VI4", "paper_entry")]   # resolved from cache/


def test_docking_claim_picks_its_ligand_in_a_campaign(tmp_path: Path) -> None:
    from helpers import claim_from_table, run_claims

    run = copy_synthetic_run(tmp_path)
    path = run / "docking" / "summary.json"
    data = json.loads(path.read_text())
    mor = next(s for s in data["findings"]["systems"] if s["system"] == "MOR")   # morphine: -7.1 kcal/mol
    data["findings"]["systems"].append({**mor, "ligand": "naloxone", "best_energy": -9.4, "salt_bridge": False})
    path.write_text(json.dumps(data))

    def verdict(**extra: object) -> object:
        claim = claim_from_table(1, {"id": "x", "text": "t", "kind": "docking", "systems": ["MOR"],
                                     "max_energy": -8.0, "salt_bridge": False, **extra})
        return run_claims(run, [claim])[0]

    assert verdict().verdict == "not supported" and "-7.10 kcal/mol" in verdict().evidence    # morphine's pose
    naloxone = verdict(ligand="naloxone")
    assert naloxone.verdict != "not supported" and "-9.40 kcal/mol" in naloxone.evidence


def test_chunk_runs_map_to_the_systems_run_numbers() -> None:
    from netpharm.docking.pose.dlg import parse_dlg
    from netpharm.docking.resultsdb_records import pose_records

    # the stored DLG as if it were the chunk holding runs 5-8 of a 20-run system
    poses = pose_records(parse_dlg(AD / "1iep_reduced.dlg"), run_indices=(5, 6, 7, 8))
    assert [(p.run, p.rank, p.energy) for p in poses] == [(6, 1, -12.50), (5, 2, -7.70), (7, 3, -7.00),
                                                          (8, 4, -3.93)]


def test_requeue_keeps_a_finished_job_only_with_the_same_fingerprint(tmp_path: Path) -> None:
    with ResultsDB(tmp_path / "r.sqlite") as db:
        db.queue_job("K/m:autodock4", "K", "m", "autodock4", "w", {"ga_runs": 2}, fingerprint="aaa")
        db.record_job("K/m:autodock4", "done", "aaa", poses=[PoseRecord(run=1, rank=1, energy=-7.0)])
        db.queue_job("K/m:autodock4", "K", "m", "autodock4", "w", {"ga_runs": 2}, fingerprint="aaa")
        assert db.job_status("K/m:autodock4") == ("done", "aaa")
        db.queue_job("K/m:autodock4", "K", "m", "autodock4", "w", {"ga_runs": 4}, fingerprint="bbb")
        assert db.job_status("K/m:autodock4") == ("pending", None)
        assert db.conn.execute("SELECT count(*) FROM poses").fetchone()[0] == 0


def test_unreachable_scheduler_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("distributed")
    from netpharm.docking.run import executor
    from netpharm.errors import SchedulerError

    monkeypatch.setattr(executor, "SCHEDULER_TIMEOUT", 2.0)
    job = DockingJob("K/m", str(tmp_path), "autodock4", "r", "l", "g", "d")
    with pytest.raises(SchedulerError, match=r"cannot reach the Dask scheduler at tcp://127.0.0.1:9 within 2 s"):
        run_jobs([job], scheduler="tcp://127.0.0.1:9")

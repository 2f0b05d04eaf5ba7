"""`netpharm results` filters (energy, ligand efficiency, interaction, SMARTS) and exports (CSV, SDF, complex PDB).

Two databases: a real campaign (morphine, naloxone, fentanyl into KOR with the real autogrid4/autodock4 at a
tiny budget, ProLIF profiles of the best poses), and a SYNTHETIC 100,000-pose database (tests/helpers/
synthetic_results.py) whose filtered top-100 is checked against a brute-force filter of the same rows.
"""

from __future__ import annotations

import csv
import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from helpers import NALOXONE, NALOXONE_KEY, docking_context, opioid_systems, require_autodock
from helpers.synthetic_results import make_synthetic_db
from rdkit import Chem

from netpharm.docking.config import DockingConfig, LigandSpec
from netpharm.docking.results_filter import PoseFilter, filter_poses, write_complexes, write_csv, write_sdf
from netpharm.errors import InputError, InteractionError

FENTANYL = "CCC(=O)N(C1CCN(CC1)CCC2=CC=CC=C2)C3=CC=CC=C3"
#: heavy atoms, hand-counted from the formulas: morphine C17H19NO3, naloxone C19H21NO4, fentanyl C22H28N2O
HEAVY = {"morphine": 21, "naloxone": 24, "fentanyl": 25}


@pytest.fixture(scope="module")
def campaign(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real campaign's run directory (real programs, tiny budget: 2 LGA runs x 25,000 evaluations)."""
    require_autodock()
    from netpharm.docking.stage import run_docking_stage

    tmp = tmp_path_factory.mktemp("campaign")
    ligands = (LigandSpec("morphine", "morphine"), LigandSpec("naloxone", NALOXONE, NALOXONE_KEY),
               LigandSpec("fentanyl", FENTANYL))
    cfg = DockingConfig(systems=(opioid_systems()[0],), ligands=ligands, workers=2, ga_runs=2, ga_num_evals=25_000,
                        ga_pop_size=50)
    ctx = docking_context(tmp, cfg)
    assert run_docking_stage(ctx).status == "ok"
    return ctx.run_dir


def _db(run: Path) -> Path:
    return run / "docking" / "results.sqlite"


def test_energy_and_ligand_efficiency_filters_on_a_real_campaign(campaign: Path) -> None:
    every = filter_poses(_db(campaign), PoseFilter(top=2))
    assert sorted({r["ligand"] for r in every}) == ["fentanyl", "morphine", "naloxone"] and len(every) == 6
    assert {r["ligand"]: r["n_heavy"] for r in every} == HEAVY
    for r in every:
        assert r["ligand_efficiency"] == pytest.approx(r["energy"] / HEAVY[r["ligand"]], abs=1e-4)
    energies = sorted(r["energy"] for r in every)
    cut = energies[2]                                      # a threshold inside the real energies
    kept = filter_poses(_db(campaign), PoseFilter(top=2, max_energy=cut))
    assert [r["energy"] for r in kept] == [e for e in energies if e <= cut]
    les = sorted(r["energy"] / HEAVY[r["ligand"]] for r in every)
    by_le = filter_poses(_db(campaign), PoseFilter(top=2, max_le=les[1], order="le"))
    assert [r["ligand_efficiency"] for r in by_le] == [round(le, 4) for le in les[:2]]


def test_interaction_filter_on_a_real_campaign(campaign: Path) -> None:
    db = sqlite3.connect(_db(campaign))
    profiles = {job: json.loads(text) for job, text in
                db.execute("SELECT job_id, interactions FROM poses WHERE interactions IS NOT NULL")}
    db.close()
    assert len(profiles) == 3 and any(profiles.values())   # every best pose has its ProLIF profile
    seen = next(i for rows in profiles.values() for i in rows)
    entry = f"{seen['prolif_type']}:{seen['chain']}:{seen['resname']}{seen['resnum']}"
    expected = sorted(job for job, rows in profiles.items()
                      if any((i["prolif_type"], i["chain"], i["resname"], i["resnum"]) ==
                             (seen["prolif_type"], seen["chain"], seen["resname"], seen["resnum"]) for i in rows))
    got = filter_poses(_db(campaign), PoseFilter(top=20, interactions=(entry,)))
    assert sorted(r["job"] for r in got) == expected and all(r["rank"] == 1 for r in got)
    # netpharm's kind and residue without a chain find the same; a residue nobody touches finds none
    assert len(filter_poses(_db(campaign), PoseFilter(top=20, interactions=(f"any:{seen['resnum']}",)))) >= len(got)
    assert filter_poses(_db(campaign), PoseFilter(interactions=("hbond:A:9999",))) == []
    with pytest.raises(InteractionError, match="VdWContact"):
        PoseFilter(interactions=("VdWContact:A:147",))


def test_smarts_filter_and_exports_on_a_real_campaign(campaign: Path, tmp_path: Path) -> None:
    phenol = filter_poses(_db(campaign), PoseFilter(smarts=("c[OX2H]",)))     # morphine and naloxone
    assert sorted(r["ligand"] for r in phenol) == ["morphine", "naloxone"]
    amide = filter_poses(_db(campaign), PoseFilter(smarts=("C(=O)N",)))       # fentanyl's anilide
    assert [r["ligand"] for r in amide] == ["fentanyl"]
    assert filter_poses(_db(campaign), PoseFilter(smarts=("c[OX2H]", "C(=O)N"))) == []
    with pytest.raises(InputError, match=r"--smarts 'c\[O': not a valid SMARTS"):
        filter_poses(_db(campaign), PoseFilter(smarts=("c[O",)))

    rows = filter_poses(_db(campaign), PoseFilter())
    table = list(csv.DictReader(write_csv(rows, tmp_path / "poses.csv").open()))
    assert [(t["ligand"], float(t["energy"])) for t in table] == [(r["ligand"], r["energy"]) for r in rows]
    sdf, n = write_sdf(rows, campaign, tmp_path / "poses.sdf")
    mols = [m for m in Chem.SDMolSupplier(str(sdf), removeHs=False)]
    assert n == 3 and len(mols) == 3
    for mol, row in zip(mols, rows, strict=True):
        assert float(mol.GetProp("energy")) == row["energy"] and mol.GetProp("ligand") == row["ligand"]
        # the best pose's coordinates are those the stage wrote (best_pose.sdf in the job folder)
        best = Chem.MolFromMolFile(str(campaign / row["workdir"] / "best_pose.sdf"), removeHs=False)
        assert mol.GetNumAtoms() == best.GetNumAtoms()
        assert mol.GetConformer().GetPositions() == pytest.approx(best.GetConformer().GetPositions(), abs=1e-3)
    pdbs = write_complexes(rows, campaign, tmp_path / "complexes")
    assert len(pdbs) == 3
    text = pdbs[0].read_text()
    assert "TER" in text and sum(1 for ln in text.splitlines() if " LIG L 999" in ln) > 10


def test_results_command_filters_and_exports(campaign: Path, tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    from netpharm.cli.main import main

    assert main(["results", str(campaign), "--smarts", "C(=O)N", "--tsv", "--csv", str(tmp_path / "a.csv"),
                 "--sdf", str(tmp_path / "a.sdf"), "--pdb-dir", str(tmp_path / "pdb")]) == 0
    out, err = capsys.readouterr()
    assert [ln.split("\t")[1] for ln in out.splitlines()[1:]] == ["fentanyl"]
    assert "1 poses ->" in err and "1 complexes ->" in err and (tmp_path / "a.sdf").is_file()
    assert main(["results", str(campaign), "--smarts", "c[O"]) == 2
    assert "not a valid SMARTS" in capsys.readouterr().err


def _brute(poses: list[dict[str, Any]], max_energy: float, max_le: float, resnum: int, ptype: str,
           smiles: set[str]) -> list[tuple[str, int]]:
    kept = [p for p in poses if p["energy"] <= max_energy and p["energy"] <= max_le * p["n_heavy"]
            and p["smiles"] in smiles
            and any(i["resnum"] == resnum and i["prolif_type"] == ptype for i in p["profile"])]
    kept.sort(key=lambda p: (p["energy"], p["receptor"], p["ligand"]))
    return [(p["job"], p["run"]) for p in kept[:100]]


def test_synthetic_100000_pose_database_answers_a_filtered_top_100(tmp_path: Path) -> None:
    """SYNTHETIC rows (seeded RNG): correctness of a combined filter at scale; its speed is in the benchmark."""
    path = tmp_path / "results.sqlite"
    poses = make_synthetic_db(path, n_jobs=10_000, poses_per_job=10)
    assert len(poses) == 100_000
    from helpers.synthetic_results import SMILES

    phenols = {SMILES["morphine"], SMILES["naloxone"]}
    got = filter_poses(path, PoseFilter(top=10, max_energy=-6.0, max_le=-0.2, interactions=("HBDonor:A:TYR129",),
                                        smarts=("c[OX2H]",), limit=100))
    expected = _brute(poses, -6.0, -0.2, 129, "HBDonor", phenols)
    assert len(expected) == 100
    assert [(r["job"], r["run"]) for r in got] == expected
    # the plan uses the indexes (no full scan of the interactions table)
    db = sqlite3.connect(path)
    plan = " ".join(str(r) for r in db.execute(
        "EXPLAIN QUERY PLAN SELECT 1 FROM interactions i WHERE i.job_id = ? AND i.run = ? AND i.resnum = ?",
        ("x", 1, 129)))
    db.close()
    assert "USING INDEX" in plan


def test_a_version_1_database_gains_the_interactions_table(tmp_path: Path) -> None:
    from netpharm.docking.resultsdb import PoseRecord, ResultsDB

    path = tmp_path / "results.sqlite"
    profile = [{"prolif_type": "Cationic", "kind": "salt_bridge", "chain": "A", "resname": "ASP", "resnum": 147,
                "generic": "D3.32", "distance": 3.1}]
    with ResultsDB(path) as db:
        db.queue_job("MOR/morphine:autodock4", "MOR", "morphine", "autodock4", "docking/MOR/morphine", {})
        db.record_job("MOR/morphine:autodock4", "done", "fp", poses=[PoseRecord(run=3, rank=1, energy=-8.0)])
        db.conn.execute("UPDATE poses SET interactions = ?", (json.dumps(profile),))  # as version 1 stored it
        db.conn.execute("PRAGMA user_version = 1")
    assert filter_poses(path, PoseFilter(interactions=("salt_bridge:D3.32",))) == []   # not indexed yet
    ResultsDB(path).close()                                                             # a run reopens it
    rows = filter_poses(path, PoseFilter(interactions=("salt_bridge:D3.32",)))
    assert [(r["job"], r["run"]) for r in rows] == [("MOR/morphine:autodock4", 3)]
    assert filter_poses(path, PoseFilter(interactions=("Cationic:A:ASP147",))) == rows
    db = sqlite3.connect(path)
    db.execute("DROP TABLE interactions")          # a file written before the table existed, opened read-only
    db.commit()
    db.close()
    with pytest.raises(InputError, match="no such table: interactions.*--resume"):
        filter_poses(path, PoseFilter(interactions=("salt_bridge:D3.32",)))

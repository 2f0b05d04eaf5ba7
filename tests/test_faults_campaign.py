"""A bad ligand costs only itself; inputs, budgets and boxes are checked before any docking.

The campaign cases use TEST DOUBLES for autogrid4/autodock4 (conftest's ``fakebin``) and the real KOR
stand-in receptor (tests/data/structures), morphine and naloxone (tests/helpers/docking.py). The bad
SDF files are made from naloxone's real molecule: one record cut to garbage, and an empty file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from helpers import NALOXONE, NALOXONE_KEY, REPO, docking_context, opioid_systems
from rdkit import Chem

from netpharm.cli.main import main
from netpharm.docking.config import DockingConfig, LigandSpec
from netpharm.docking.run.executor import capped_workers
from netpharm.errors import ConfigError
from netpharm.registry import load_workflow

DATA = Path(__file__).parent / "data"
KOR_FILE = DATA / "campaign" / "6VI4.cif.gz"


def _sdf(path: Path, broken_record: bool) -> Path:
    """Naloxone twice (the second renamed), with the middle record cut to garbage when asked."""
    mol = Chem.MolFromSmiles(NALOXONE)
    block = Chem.MolToMolBlock(mol)
    records = [f"naloxone{block[block.index(chr(10)):]}$$$$\n"]
    if broken_record:
        records.append("broken\n  RDKit\n\n  3  2  0  0  0  0  0  0  0  0999 V2000\nnot atoms\nM  END\n$$$$\n")
    records.append(f"nal2{block[block.index(chr(10)):]}$$$$\n")
    path.write_text("".join(records))
    return path


@pytest.mark.parametrize("bad", ["one broken record", "empty sdf"])
def test_fault_bad_ligand_costs_only_itself(tmp_path: Path, fakebin: Path, bad: str) -> None:
    from netpharm.docking.stage import run_docking_stage

    if bad == "empty sdf":
        (tmp_path / "bad.sdf").write_text("")
        ligands: tuple[LigandSpec, ...] = (LigandSpec("bad", "bad.sdf"), LigandSpec("morphine", "morphine"))
    else:
        _sdf(tmp_path / "set.sdf", broken_record=True)
        ligands = (LigandSpec("set", "set.sdf"), LigandSpec("morphine", "morphine"))
    kor = opioid_systems()[0]
    ctx = docking_context(tmp_path, DockingConfig(systems=(kor,), ligands=ligands, workers=1, ga_runs=4),
                          base_dir=tmp_path)
    outcome = run_docking_stage(ctx)
    rows = {r.ligand: r for r in outcome.findings.systems}
    assert outcome.status == "partial"
    if bad == "empty sdf":
        assert set(rows) == {"bad", "morphine"}
        assert rows["bad"].status == "failed" and rows["bad"].error == \
            f"system KOR, ligand bad: {tmp_path / 'bad.sdf'}: no molecule in the file"
    else:
        assert set(rows) == {"set_naloxone", "set_2", "set_nal2", "morphine"}
        assert rows["set_2"].status == "failed" and rows["set_2"].error == \
            f"system KOR, ligand set_2: {tmp_path / 'set.sdf'} record 2 does not parse as a molecule"
        assert rows["set_naloxone"].status == "ok" and rows["set_nal2"].status == "ok"
    assert rows["morphine"].status == "ok"  # the good ligand docked
    assert all("\n" not in (r.error or "") for r in rows.values())


def _dock_args(tmp_path: Path, *extra: str, ligand: str = "morphine") -> list[str]:
    return ["dock", "--offline", "--cache", str(REPO / "cache"), "--receptor", str(KOR_FILE), "--ligand", ligand,
            "--box-residues", "D3.32", "--out", str(tmp_path / "run"), *extra]


@pytest.mark.parametrize("extra, ligand, words", [
    ((), "C1CC((", "ligand ligand1: 'C1CC((' is not a valid SMILES (RDKit cannot parse it)"),
    ((), "missing.sdf", "ligand missing: ligand file not found: "),
    ((), "FOLDER.sdf", "is a folder, not a ligand file"),
    (("--reference", "EMPTY.sdf"), "morphine", "cannot be read as a molecule (SDF, MOL or PDB)"),
    (("--runs", "5000"), "morphine", "ga_runs must be a whole number within 1-2,000 (AutoDock 4.2.6's MAX_RUNS)"),
    (("--evals", "100000000000000000000"), "morphine", "ga_num_evals must be a whole number within 1-2,147,483,647"),
    (("--exhaustiveness", "0"), "morphine", "vina_exhaustiveness must be a whole number within 1-10,000"),
    (("--scheduler", "garbage"), "morphine", "dask_scheduler must be an address like tcp://HOST:8786"),
    (("--workers", "100000"), "morphine", "workers must be within 1-1024"),
    (("--box-residues", " , "), "morphine", "--box-residues ' , ' names no residue; give e.g. A:147,A:148 or D3.32"),
    (("--box-center", "nan", "nan", "nan", "--box-size", "20", "20", "20"), "morphine",
     "box_center must be 3 finite coordinates in Å, got [nan, nan, nan]"),
])
def test_fault_early_check_is_one_line_before_any_run_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                             extra: tuple[str, ...], ligand: str, words: str) -> None:
    (tmp_path / "FOLDER.sdf").mkdir()
    (tmp_path / "EMPTY.sdf").write_text("")
    args = [a.replace("EMPTY.sdf", str(tmp_path / "EMPTY.sdf")) for a in extra]
    ligand = str(tmp_path / ligand) if ligand.endswith(".sdf") else ligand
    argv = _dock_args(tmp_path, *args, ligand=ligand)
    if {"--box-residues", "--box-center"} & set(args):  # replaces the default box
        argv = argv[:argv.index("D3.32") - 1] + argv[argv.index("D3.32") + 1:]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("netpharm: error: ") and words in err, err
    assert "Traceback" not in err and not (tmp_path / "run").exists()


@pytest.mark.parametrize("docking, words", [
    ({"ga_pop_size": 100_000_000}, "ga_pop_size must be a whole number within 1-100,000"),
    ({"systems": [{"name": "KOR", "receptor": "x.pdb", "box_center": [float("nan"), 0, 0], "box_size": [20, 20, 20]}],
      "ligands": [{"name": "m", "source": "morphine"}]}, "KOR: box_center must be 3 finite coordinates"),
    ({"ligands": [{"name": "m", "source": "morphine"}]},
     "[[docking.ligands]] are given but no [[docking.systems]] to dock them into"),
])
def test_fault_docking_budget_box_and_systems_checked_at_load(docking: dict[str, Any], words: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_workflow(None, {"name": "w", "docking": docking})
    assert words in str(caught.value) and "\n" not in str(caught.value)


def test_fault_campaign_ligand_over_autodocks_torsion_limit_fails_alone(tmp_path: Path, fakebin: Path) -> None:
    from netpharm.docking.stage import run_docking_stage

    chain = "C" * 36 + "O"  # a straight C36 alcohol: 34 rotatable bonds plus the OH
    kor = opioid_systems()[0]
    ligands = (LigandSpec("long", chain), LigandSpec("naloxone", NALOXONE, NALOXONE_KEY))
    outcome = run_docking_stage(docking_context(tmp_path, DockingConfig(systems=(kor,), ligands=ligands, workers=1,
                                                                        ga_runs=4)))
    rows = {r.ligand: r for r in outcome.findings.systems}
    assert rows["long"].status == "failed" and "active torsions; AutoDock 4.2.6 docks at most 32 (MAX_TORS)" in \
        (rows["long"].error or "")
    assert rows["naloxone"].status == "ok"


def test_fault_workers_are_capped_at_jobs_and_cores(caplog: pytest.LogCaptureFixture) -> None:
    import os

    cores = len(os.sched_getaffinity(0))
    caplog.set_level("INFO")
    assert capped_workers(40, 1) == 1
    assert f"1 worker processes, not 40 (1 jobs, {cores} CPU cores)" in caplog.text
    assert capped_workers(500, 1000) == cores
    assert capped_workers(1, 5) == 1


def _shifted_pdb(source: Path, target: Path, dx: float) -> Path:
    lines = []
    for line in source.read_text().splitlines():
        if line.startswith(("ATOM", "HETATM")):
            line = f"{line[:30]}{float(line[30:38]) + dx:8.3f}{line[38:]}"
        lines.append(line)
    target.write_text("\n".join(lines) + "\n")
    return target


@pytest.mark.parametrize("shift, words", [
    (0.0, "system MOR: the reference pose matches none of the docked ligands (its atoms differ), so no RMSD could "
          "be computed"),
    (60.0, "lies outside the docking box (centre "),
])
def test_fault_reference_that_cannot_be_compared_is_reported(tmp_path: Path, fakebin: Path, shift: float,
                                                             words: str) -> None:
    """TEST DOUBLE autodock4 (its DLG holds imatinib poses); the reference is 8EFO's real ligand 8QY (tests/data)."""
    from dataclasses import replace

    from helpers import AD

    from netpharm.docking.stage import run_docking_stage

    reference = _shifted_pdb(AD / "MOR_8EFO_ligand_8QY.pdb", tmp_path / "ref.pdb", shift)
    mor = replace(opioid_systems()[1], reference=str(reference))
    ctx = docking_context(tmp_path, DockingConfig(systems=(mor,), ligands=(LigandSpec("morphine", "morphine"),),
                                                  workers=1, ga_runs=4))
    outcome = run_docking_stage(ctx)
    hits = [m for m in outcome.missing if words in m]
    assert len(hits) == 1, outcome.missing
    if shift:
        assert "on receptor chain(s) " in hits[0] and "its RMSDs compare two different sites" in hits[0]
    assert outcome.findings.systems[0].status == "ok"  # the docking itself is kept

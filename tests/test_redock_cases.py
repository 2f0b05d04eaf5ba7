"""Redocking on real co-crystals and the paper's workflow run offline (real programs, reduced budget).

The full validation set (morphine/8EF6, JDTic/6VI4, BU72/5C1M, naltrindole/4N6H, both engines, the paper's
budget) is workflows/redocking-validation.toml; here cases run at a reduced budget, as CI can afford.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from helpers import require_autodock

from netpharm.config import to_mapping
from netpharm.docking.pose.redock import SUCCESS_RMSD, _cause, local_only_dpf
from netpharm.registry import load_workflow
from netpharm.workflow import run_workflow

REPO = Path(__file__).resolve().parents[1]


def _needs_autodock() -> None:
    require_autodock()


def test_local_only_dpf_starts_from_the_crystal_pose() -> None:
    dock = ("autodock_parameter_version 4.2\nmove ligand.pdbqt\nabout 1.397 16.311 -59.125\ntran0 random\n"
            "quaternion0 random\ndihe0 random\nga_pop_size 150\nset_ga\nset_psw1\nga_run 20\n"
            "rmsref ligand.pdbqt\nanalysis\n")
    ligand = "ROOT\nENDROOT\nBRANCH 1 2\nENDBRANCH 1 2\nBRANCH 3 4\nENDBRANCH 3 4\nTORSDOF 2\n"
    text = local_only_dpf(dock, ligand, runs=5)
    assert "tran0 1.397 16.311 -59.125\naxisangle0 1 0 0 0\ndihe0 0 0\n" in text
    assert "do_local_only 5\nanalysis\n" in text and "set_ga" not in text and "rmsref" not in text


def test_failure_cause_names_search_or_scoring() -> None:
    # hand-made numbers: the crystal pose optimised to -10.1 beats a docked -5.1 -> the search missed it
    assert _cause(6.6, -5.1, -10.11, 6.6).startswith("search: the locally optimised crystal pose scores -10.11")
    # docking notes, 8EFO/8QY with AutoDock 4: crystal -7.81 vs docked -8.46 (8.9 A away) -> scoring
    assert _cause(8.9, -8.46, -7.81, 3.0).startswith("scoring: the locally optimised crystal pose scores -7.81")
    assert _cause(8.9, -8.46, None, None).startswith("unknown")


@pytest.mark.slow
@pytest.mark.needs_autodock
def test_bu72_redocks_into_5c1m_at_reduced_budget(tmp_path: Path) -> None:
    """BU72 from the raw 5C1M mmCIF (not covalently linked there), AutoDock 4.2.6, 4 runs x 100 k."""
    _needs_autodock()
    overrides = {"docking": {"ga_runs": 4, "ga_num_evals": 100000,
                             "redock": [{"name": "BU72_5C1M", "receptor": "5C1M", "chains": ["A"],
                                         "ligand_resname": "VF1", "engine": "autodock4",
                                         # the protonated form a crystal SDF gives (issue 11)
                                         "ligand_smiles": "COC12C=CC34CC1(C)C(c1ccccc1)NC2C31CC[NH+](C)"
                                                          "C4Cc2ccc(O)cc21"}]},
                 "claims": [{"id": "bu72", "text": "BU72 redocks into 5C1M.", "kind": "redocking",
                             "case": "BU72_5C1M", "max_rmsd": 2.0}]}
    config = load_workflow(REPO / "workflows" / "redocking-validation.toml", overrides)
    result = run_workflow(config, tmp_path / "run")
    assert result.outcomes["docking"].status == "ok", result.outcomes["docking"].missing
    (verdict,) = json.loads((tmp_path / "run/report/summary.json").read_text())["findings"]["verdicts"]
    assert (verdict["id"], verdict["verdict"], verdict["reason"]) == ("bu72", "supported", "RMSD ≤ 2 Å")
    (row,) = json.loads((tmp_path / "run/docking/summary.json").read_text())["findings"]["redocking"]
    assert row["system"] == "BU72_5C1M" and row["n_runs"] == 4
    assert row["rmsd"] <= SUCCESS_RMSD and row["success"] is True and row["failure_cause"] == ""
    assert row["rmsd_min"] <= row["rmsd"] and 1 <= row["best_cluster_size"] <= 4
    assert row["best_energy"] < -8.0 and row["crystal_local_energy"] < -8.0
    folder = tmp_path / "run/docking/redock/BU72_5C1M"
    assert (folder / "crystal_local.dlg").exists() and (folder / "crystal_ligand.sdf").exists()


@pytest.mark.slow
@pytest.mark.needs_autodock
def test_morphine_redocks_into_8ef6_and_keeps_the_asp149_salt_bridge(tmp_path: Path) -> None:
    """Morphine (MOI R:401) from the raw 8EF6 mmCIF back into chain R, AutoDock 4.2.6, 4 runs x 100 k:
    RMSD, top cluster, and the crystal pose's salt bridge to Asp149 (D3.32) — kept by the docked pose?"""
    _needs_autodock()
    config = load_workflow(REPO / "workflows" / "redocking-validation.toml", {
        "docking": {"ga_runs": 4, "ga_num_evals": 100000}})
    (case,) = [c for c in config.docking.redock if c.name == "morphine_8EF6"]
    overrides = {"docking": {"ga_runs": 4, "ga_num_evals": 100000,
                             "redock": [{**to_mapping(case), "engine": "autodock4"}]},
                 "claims": [{"id": "morphine", "text": "Morphine redocks into 8EF6.", "kind": "redocking",
                             "case": "morphine_8EF6", "max_rmsd": 2.0}]}
    result = run_workflow(load_workflow(REPO / "workflows" / "redocking-validation.toml", overrides), tmp_path / "run")
    assert result.outcomes["docking"].status == "ok", result.outcomes["docking"].missing
    (row,) = json.loads((tmp_path / "run/docking/summary.json").read_text())["findings"]["redocking"]
    assert row["system"] == "morphine_8EF6" and row["n_runs"] == 4 and row["receptor"] == "8EF6"
    # Seeded, so the numbers are fixed: a near miss at this budget. All 4 runs form one cluster 1.7-1.9 A from
    # the cryo-EM pose (AutoDock's own, atom-order, all-atom RMSD); the best-energy pose is 2.01 A away
    # (symmetry-corrected heavy atoms) with its amine pulled 1 A closer to Asp149. A failure names its cause:
    # the locally optimised crystal pose scores -6.65, a hair worse than the docked -6.69 -> "scoring".
    assert row["rmsd"] == pytest.approx(2.01, abs=0.02) and row["rmsd_min"] == pytest.approx(1.97, abs=0.02)
    assert row["success"] is (row["rmsd"] <= SUCCESS_RMSD) is False
    assert row["failure_cause"].startswith("scoring: the locally optimised crystal pose scores -6.65")
    assert row["best_cluster_size"] == 4 and row["best_energy"] == pytest.approx(-6.69, abs=0.01)
    assert row["amine_asp332_distance"] == pytest.approx(2.639, abs=2e-3)
    # the crystal pose: N17 of MOI R:401 to OD1 of Asp149, 3.667 A (hand-checked in the mmCIF's coordinates)
    assert row["asp332"] == "R:ASP149"
    assert row["crystal_amine_asp332_distance"] == pytest.approx(3.667, abs=2e-3)
    assert row["crystal_salt_bridge"] is True
    assert row["keeps_salt_bridge"] is row["salt_bridge"] is True and row["amine_asp332_distance"] <= 4.0
    assert "chain M (7TM receptor: Mu-type opioid receptor, 287 residues)" in row["set_aside"]
    assert "chain E (antibody/nanobody: scFV16, 231 residues)" in row["set_aside"]
    assert row["crystal_ligand"] == "docking/redock/morphine_8EF6/crystal_ligand.sdf"
    assert row["crystal_ligand_id"] == "MOI R:401" and (tmp_path / "run" / row["crystal_ligand"]).is_file()
    html = (tmp_path / "run/report/report.html").read_text()
    assert "keeps_salt_bridge" in html and "What each receptor's preparation set aside" in html


@pytest.mark.slow
@pytest.mark.needs_autodock
def test_paper_workflow_offline_docks_into_all_three_paper_entries(tmp_path: Path) -> None:
    """microdiscectomy.toml offline: 8EF6, 6PT2 and 6VI4 from cache/, each a paper entry, never a stand-in."""
    _needs_autodock()
    overrides = {"offline": True, "docking": {"ga_runs": 2, "ga_num_evals": 50000, "redock": []}}
    config = load_workflow(REPO / "workflows" / "microdiscectomy.toml", overrides)
    result = run_workflow(config, tmp_path / "run", stages=["docking"])
    outcome = result.outcomes["docking"]
    assert outcome.status == "ok", outcome.missing
    systems = {s["system"]: s for s in to_mapping(outcome.findings)["systems"]}
    for name, pdb in (("MOR", "8EF6"), ("DOR", "6PT2"), ("KOR", "6VI4")):
        s = systems[name]
        assert s["status"] == "ok" and s["used_structure"] == pdb and s["structure_role"] == "paper_entry"
        assert s["stand_in"] is False and s["best_energy"] < 0
        assert (tmp_path / "run" / s["crystal_ligand"]).is_file()
    mor = systems["MOR"]
    assert mor["receptor_chains"] == "R: Mu-type opioid receptor (UNP P35372 OPRM_HUMAN)"
    assert mor["crystal_ligand"] == "docking/MOR/crystal_ligand.pdb" and mor["crystal_ligand_id"] == "MOI R:401"
    assert mor["asp332"] == "R:ASP149"
    assert "chain M (7TM receptor: Mu-type opioid receptor, 287 residues)" in mor["set_aside"]
    assert "co-crystal ligand R:401 set aside" in mor["set_aside"] and "CLR lipid x10" in mor["set_aside"]
    crystal = (tmp_path / "run/docking/MOR/crystal_ligand.pdb").read_text()
    assert sum(1 for ln in crystal.splitlines() if ln.startswith("HETATM") and ln[17:20] == "MOI") == 21
    assert systems["DOR"]["crystal_ligand_id"] == "chain C (Peptide agonist KGCHM07)"
    assert systems["KOR"]["crystal_ligand_id"] == "JDC A:401"
    cleaning = json.loads((tmp_path / "run/docking/DOR/cleaning.json").read_text())
    assert cleaning["ligand"] == "chain C" and cleaning["receptor_chains"] == "A: Delta opioid receptor"


def test_workflows_redock_morphine_into_8ef6() -> None:
    """The main job and the validation workflow hold the morphine/8EF6 case; BU72 is validation-only."""
    main = load_workflow(REPO / "workflows" / "microdiscectomy-offline.toml").docking
    paper = load_workflow(REPO / "workflows" / "microdiscectomy.toml").docking
    validation = load_workflow(REPO / "workflows" / "redocking-validation.toml").docking
    assert [c.name for c in main.redock] == [c.name for c in paper.redock] == ["morphine_8EF6", "JDTic_6VI4"]
    cases = {c.name: c for c in validation.redock}
    assert {"morphine_8EF6", "JDTic_6VI4", "BU72_5C1M", "naltrindole_4N6H"} <= set(cases)
    assert all(c.engine == "both" for c in cases.values())
    for cfg in (main, paper):
        assert [(s.name, s.receptor, s.chains, s.ligand_resname, s.structure_role) for s in cfg.systems][0] == \
            ("MOR", "8EF6", ("R",), "MOI", "paper_entry")
        assert all(s.structure_role == "paper_entry" for s in cfg.systems)
        assert (cfg.ga_runs, cfg.ga_num_evals, cfg.ga_pop_size) == (20, 2_500_000, 150)
        (morphine,) = [c for c in cfg.redock if c.name == "morphine_8EF6"]
        assert morphine == replace(cases["morphine_8EF6"], engine="autodock4")  # AutoDock 4.2.6 in the main job

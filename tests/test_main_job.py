"""The main job end to end: the offline microdiscectomy workflow, every stage, on the shipped data.

Docking uses the real programs with a reduced search budget (the shipped workflow keeps the paper's
20 x 2.5 M); everything else is exactly what `make run` does. A second run must reproduce the tables.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from helpers import require_autodock

from netpharm.registry import load_workflow
from netpharm.workflow import run_workflow

pytestmark = [pytest.mark.slow, pytest.mark.needs_autodock]

REDUCED = {"docking": {"ga_runs": 4, "ga_num_evals": 100000, "redock": []}, "network": {"bootstrap": 20}}
IDENTICAL = ["network/nodes.tsv", "network/hubs.tsv", "network/coverage.tsv", "network/rank_stability.tsv",
             "network/network.graphml", "enrichment/offline_BP.tsv", "enrichment/offline_Reactome.tsv",
             "enrichment/themes.tsv", "report/verdict.tsv"]


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict]:
    require_autodock()
    repo = Path(__file__).resolve().parents[1]
    config = load_workflow(repo / "workflows" / "microdiscectomy-offline.toml", REDUCED)
    base = tmp_path_factory.mktemp("main")
    first = run_workflow(config, base / "a")
    run_workflow(config, base / "b")
    return base / "a", base / "b", {k: v.status for k, v in first.outcomes.items()}


def test_every_stage_reports_an_honest_status(runs: tuple[Path, Path, dict]) -> None:
    run, _, status = runs
    # compounds and ct_pathway: not_run (the paper gives a target list, no compound or disease tables)
    assert status == {"compounds": "not_run", "network": "partial", "enrichment": "ok", "ct_pathway": "not_run",
                      "docking": "ok", "nmda": "partial", "report": "ok"}
    nmda = json.loads((run / "nmda/summary.json").read_text())
    # 7EU8 stands in for 9IYP (named); partial: B/Asn615's side chain is not modelled and 9IYQ is a cache miss
    assert nmda["findings"]["structure"] == "7EU8" and nmda["findings"]["structure_role"] == "stand_in"
    assert nmda["missing"] == ["7EU8: side chain of B/Asn615 not modelled (N-site ring incomplete; not imputed)",
                               "comparison structure 9IYQ not in cache (offline)"]


def test_docking_into_the_three_paper_entries_and_salt_bridges_found(runs: tuple[Path, Path, dict]) -> None:
    run, _, _ = runs
    rows = {r["system"]: r for r in csv.DictReader(open(run / "docking/systems.tsv"), delimiter="\t")}
    assert {"MOR", "DOR", "KOR"} <= set(rows)
    # mu, delta and kappa dock into the paper's own entries (from cache/): no stand-in any more
    for s, pdb in (("MOR", "8EF6"), ("DOR", "6PT2"), ("KOR", "6VI4")):
        assert (rows[s]["paper_pdb"], rows[s]["used_structure"]) == (pdb, pdb)
        assert (rows[s]["structure_role"], rows[s]["stand_in"]) == ("paper_entry", "False")
    assert all(float(rows[s]["best_energy"]) < -5.0 for s in ("MOR", "DOR", "KOR"))
    assert rows["MOR"]["asp332"] == "R:ASP149" and rows["KOR"]["asp332"] == "A:ASP138"
    assert rows["DOR"]["asp332"] == "A:ASP128"
    # 8EF6: chain R, boxed on its morphine (kept as crystal_ligand.pdb); copy M, G protein, scFv16 named as set aside
    assert rows["MOR"]["receptor_chains"] == "R: Mu-type opioid receptor (UNP P35372 OPRM_HUMAN)"
    assert rows["MOR"]["crystal_ligand_id"] == "MOI R:401"
    assert (run / rows["MOR"]["crystal_ligand"]).is_file()
    for part in ("chain M (7TM receptor: Mu-type opioid receptor, 287 residues)", "chain E (antibody/nanobody: scFV16",
                 "chain A (G protein α", "CLR lipid x10", "co-crystal ligand R:401 set aside"):
        assert part in rows["MOR"]["set_aside"]
    verdict = {v["number"]: v for v in csv.DictReader(open(run / "report/verdict.tsv"), delimiter="\t")}["6"]
    assert "3 of 3 in the paper's own entries (MOR 8EF6, DOR 6PT2, KOR 6VI4)" in verdict["data_completeness"]
    assert "stand-in" not in verdict["data_completeness"] and verdict["verdict"] == "supported"
    for s in ("MOR", "DOR", "KOR"):
        assert (run / "docking" / s / "receptor.pdbqt").exists() and (run / "docking" / s / "dock.dlg").exists()
        # the ProLIF profile's D3.32 salt bridge is the same N+ … carboxylate O pair the amine check measures
        profile = list(csv.DictReader(open(run / "docking" / s / "best_pose_interactions.tsv"), delimiter="\t"))
        bridge = [r for r in profile if r["kind"] == "salt_bridge" and r["generic"] == "D3.32"]
        assert rows[s]["salt_bridge"] == str(bool(bridge))
        if bridge:
            assert float(bridge[0]["distance"]) == pytest.approx(float(rows[s]["amine_asp332_distance"]), abs=1e-3)
        assert (run / "docking" / s / "best_pose.svg").exists() and (run / "docking" / s / "best_pose_pocket.pdb").exists()
    # morphine's protonated amine on Asp3.32 in all three receptors (seeded reduced budget; 2.6–2.8 Å)
    assert all(rows[s]["salt_bridge"] == "True" for s in ("MOR", "DOR", "KOR"))


def test_report_and_verdict_cover_all_seven_claims(runs: tuple[Path, Path, dict]) -> None:
    run, _, _ = runs
    html = (run / "report/report.html").read_text()
    verdicts = list(csv.DictReader(open(run / "report/verdict.tsv"), delimiter="\t"))
    assert [v["number"] for v in verdicts] == [str(i) for i in range(1, 8)]
    by = {v["number"]: v for v in verdicts}
    assert by["1"]["verdict"] == "partially supported" and "11 of 13" in by["1"]["reason"]
    assert by["3"]["verdict"] == "cannot be evaluated here"
    assert by["7"]["verdict"] == "partially supported"
    assert by["7"]["reason"].startswith("Mg²⁺ placed (not observed) at the N-site of 7EU8, a stand-in for 9IYP")
    assert by["4"]["verdict"] == by["5"]["verdict"] == "supported"
    assert "OPRM1" in html[: html.find("Replication verdict")] or "OPRM1" in html[:20000]
    assert "8EFO" not in html and "stand-in for 8EF6" not in html  # no docking stand-in left in "What is missing"
    missing = html[html.find('id="missing"'):html.find('id="verdict"')]
    assert "9IYP" in missing and "compounds" not in missing  # a target-list workflow has no compounds gap
    # the table's switching view, one card view per best pose (MOR, DOR, KOR) and the NMDA pore's view
    assert html.count('<div class="viewer3d"') == 5


def test_second_run_reproduces_the_tables(runs: tuple[Path, Path, dict]) -> None:
    first, second, _ = runs
    for name in IDENTICAL:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
    a = json.loads((first / "docking/summary.json").read_text())["findings"]["systems"]
    b = json.loads((second / "docking/summary.json").read_text())["findings"]["systems"]
    assert [s["best_energy"] for s in a] == [s["best_energy"] for s in b]   # fixed seeds

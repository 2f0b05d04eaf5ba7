"""Report and replication verdict: verdict branches on the hand-made synthetic run directory
(tests/data/report/synthetic_run, see its README: NOT results), report files and HTML, and the
real offline run's network stage (rows 1 and 2 of the verdict from the shipped STRING data)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from helpers import copy_synthetic_run, run_offline_workflow

from netpharm.errors import ReportError
from netpharm.report.build import build_report, write_report
from netpharm.report.verdicts import claims_of_run, evaluate_claims
from netpharm.verdict import VERDICTS, Verdict

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def run(tmp_path: Path) -> Path:
    """A fresh copy of the synthetic run directory (the fixture folder is never written to)."""
    return copy_synthetic_run(tmp_path)


def _summary(run: Path, stage: str) -> dict[str, Any]:
    return json.loads((run / stage / "summary.json").read_text())


def _save(run: Path, stage: str, data: dict[str, Any]) -> None:
    (run / stage / "summary.json").write_text(json.dumps(data))


def _findings(run: Path, stage: str, **changes: Any) -> None:
    data = _summary(run, stage)
    data["findings"].update(changes)
    _save(run, stage, data)


def _status(run: Path, stage: str, status: str, reason: str) -> None:
    data = _summary(run, stage)
    data.update(status=status, reason=reason)
    _save(run, stage, data)


def _claim(run: Path, number: int) -> Verdict:
    verdicts = evaluate_claims(run)
    assert [v.number for v in verdicts] == [1, 2, 3, 4, 5, 6, 7]
    assert all(v.verdict in VERDICTS for v in verdicts)
    return verdicts[number - 1]


def _ranks(run: Path, ranks: dict[str, int]) -> None:
    """Set the MCC ranks (hub_ranks["MCC"] is what the hub claim reads; mcc_ranks mirrors it)."""
    hub_ranks = _summary(run, "network")["findings"]["hub_ranks"]
    _findings(run, "network", mcc_ranks=ranks, hub_ranks={**hub_ranks, "MCC": ranks})


def _offline_fdr(run: Path, category: str, term: str, fdr: float) -> None:
    path = run / "enrichment" / f"offline_{category}.tsv"
    table = pd.read_csv(path, sep="\t")
    table.loc[table["term"] == term, "fdr"] = fdr
    table.to_csv(path, sep="\t", index=False)


def _complete_network(run: Path) -> None:
    """Make the synthetic network complete: OPRM1 dropped from the targets, no unknown pair."""
    _findings(run, "network", targets=["GRIN2B", "CREB1", "BDNF", "GRIN1", "AKT1"], uncovered_targets=[],
              unknown_pairs=0)
    cov = pd.read_csv(run / "network" / "coverage.tsv", sep="\t")
    cov[cov["status"] != "unknown"].to_csv(run / "network" / "coverage.tsv", sep="\t", index=False)


# --- claim 1 ---------------------------------------------------------------------------
def test_claim1_partial_data_is_consistent_not_supported(run: Path) -> None:
    v = _claim(run, 1)
    assert v.verdict == "partially supported"
    assert "consistent on 5 of 6 targets" in v.reason
    assert "degree GRIN2B = 4" in v.evidence
    # OPRM1 could gain 5 edges from its 5 unknown pairs, so GRIN2B's lead (4) is not settled.
    assert "GRIN2B ≤ 5" in v.evidence
    assert "OPRM1" in v.data_completeness


def test_claim1_complete_network_supported(run: Path) -> None:
    _complete_network(run)
    v = _claim(run, 1)
    assert (v.verdict, v.data_completeness) == ("supported", "complete: all 5 targets and every target pair covered")


def test_claim1_complete_network_not_supported(run: Path) -> None:
    _complete_network(run)
    _findings(run, "network", degree={"GRIN2B": 2, "CREB1": 3, "BDNF": 3, "AKT1": 3, "GRIN1": 1})
    v = _claim(run, 1)
    assert v.verdict == "not supported"
    assert "AKT1, BDNF, CREB1 more connected than GRIN2B" in v.reason


def test_claim1_settled_despite_unknown_pairs(run: Path) -> None:
    """One unknown pair (GRIN1–OPRM1) cannot lift anyone to GRIN2B's 4: supported on partial data."""
    cov = pd.read_csv(run / "network" / "coverage.tsv", sep="\t")
    keep = (cov["status"] != "unknown") | ((cov["name_a"] == "GRIN1") & (cov["name_b"] == "OPRM1"))
    cov[keep].to_csv(run / "network" / "coverage.tsv", sep="\t", index=False)
    v = _claim(run, 1)
    assert v.verdict == "supported"
    assert "whatever the unknown pairs are" in v.reason


def test_claim1_refuted_even_with_every_unknown_pair(run: Path) -> None:
    _findings(run, "network", degree={"GRIN2B": 4, "CREB1": 9, "BDNF": 3, "AKT1": 3, "GRIN1": 1})
    v = _claim(run, 1)
    assert v.verdict == "not supported"
    assert "even with every unknown pair" in v.reason


@pytest.mark.parametrize("how", ["absent", "failed"])
def test_claims_1_to_3_cannot_be_evaluated_without_network(run: Path, how: str) -> None:
    if how == "absent":
        shutil.rmtree(run / "network")
        expected = "network stage not run"
    else:
        _status(run, "network", "failed", "NetworkError: no edge survives the cut-off")
        expected = "network stage failed: NetworkError: no edge survives the cut-off"
    for number in (1, 2, 3):
        v = _claim(run, number)
        assert (v.verdict, v.reason) == ("cannot be evaluated here", expected)


def test_claim1_protein_without_string_data(run: Path) -> None:
    _findings(run, "network", degree={"CREB1": 3, "BDNF": 3, "AKT1": 3}, uncovered_targets=["GRIN2B"])
    v = _claim(run, 1)
    assert (v.verdict, v.reason) == ("cannot be evaluated here", "no STRING data for GRIN2B in this run")


def test_claim1_protein_absent_from_network(run: Path) -> None:
    # covered (STRING data for every target) and not a node: absent as a fact, so the claim fails (issue 19)
    _findings(run, "network", degree={"CREB1": 3, "BDNF": 3, "AKT1": 3}, uncovered_targets=[])
    v = _claim(run, 1)
    assert v.verdict == "not supported"
    assert v.reason == "absent from the network: GRIN2B (not among its 3 proteins with an interaction)"


# --- claim 2 ---------------------------------------------------------------------------
def test_claim2_branches(run: Path) -> None:
    v = _claim(run, 2)
    assert v.verdict == "partially supported" and "consistent on 5 of 6 targets" in v.reason
    assert v.evidence == "MCC rank CREB1 = 2 of 5; MCC rank BDNF = 2 of 5"
    _complete_network(run)
    assert _claim(run, 2).verdict == "supported"
    _ranks(run, {"GRIN2B": 1, "CREB1": 2, "AKT1": 3, "GRIN1": 4, "X": 5, "Y": 6, "BDNF": 7})
    v = _claim(run, 2)
    assert (v.verdict, v.reason) == ("partially supported", "hubs here: CREB1 (hub = MCC rank ≤ 5)")
    _ranks(run, {"GRIN2B": 1, "A": 2, "B": 3, "C": 4, "D": 5, "E": 6, "CREB1": 7, "BDNF": 8})
    v = _claim(run, 2)
    assert (v.verdict, v.reason) == ("not supported", "not a top MCC hub: CREB1, BDNF (hub = MCC rank ≤ 5)")
    _ranks(run, {"GRIN2B": 1, "A": 2, "B": 3, "C": 4, "D": 5, "E": 6, "CREB1": 7})
    v = _claim(run, 2)
    assert v.verdict == "not supported" and v.evidence.endswith("not in the network: BDNF")
    _ranks(run, {"GRIN2B": 1, "A": 2})
    assert _claim(run, 2).verdict == "cannot be evaluated here"


# --- claim 3 ---------------------------------------------------------------------------
def test_claim3_never_recomputed_offline(run: Path) -> None:
    v = _claim(run, 3)
    assert v.verdict == "cannot be evaluated here"
    assert "not in the cache" in v.reason and "does not recompute it offline" in v.reason


@pytest.mark.parametrize("p, expected", [(1.0e-16, "supported"), (0.31, "not supported")])
def test_claim3_uses_strings_p_value(run: Path, p: float, expected: str) -> None:
    response = {"number_of_nodes": "13", "number_of_edges": "40", "expected_number_of_edges": "9", "p_value": str(p)}
    _findings(run, "network", ppi_enrichment={"number_of_nodes": 13, "number_of_edges": 40,
                                              "expected_number_of_edges": 9, "p_value": p, "response": response})
    v = _claim(run, 3)
    assert v.verdict == expected
    assert "40 edges observed vs 9 expected among 13 proteins" in v.evidence


# --- claims 4 and 5 ----------------------------------------------------------------------
def test_claims_4_5_from_offline_themes(run: Path) -> None:
    v4, v5 = _claim(run, 4), _claim(run, 5)
    assert v4.verdict == "partially supported"
    assert v4.reason == "3 of 4 terms at FDR < 0.05; not: GO:0005262"
    assert v5.verdict == "supported"
    assert "STRING's own enrichment not in the cache" in v5.data_completeness
    assert "GO:0007268" in v4.evidence and "R-HSA-438064" in v5.evidence


def test_claim4_all_or_none(run: Path) -> None:
    _offline_fdr(run, "MF", "GO:0005262", 0.01)
    assert _claim(run, 4).verdict == "supported"
    for cat, term in (("BP", "GO:0007268"), ("CC", "GO:0045211"), ("MF", "GO:0004970"), ("MF", "GO:0005262"),
                      ("Reactome", "R-HSA-438064"), ("Reactome", "R-HSA-442742")):
        _offline_fdr(run, cat, term, 0.5)
    assert _claim(run, 4).verdict == "not supported"
    assert _claim(run, 5).verdict == "not supported"


def test_claim5_alternatives_best_fdr_counts(run: Path) -> None:
    """"CREB1 phosphorylation" is three Reactome pathways: one significant alternative suffices."""
    _offline_fdr(run, "Reactome", "R-HSA-442742", 0.5)
    v = _claim(run, 5)
    assert v.verdict == "partially supported" and "R-HSA-442742 | R-HSA-442720 | R-HSA-442729" in v.reason


def test_claims_4_5_without_enrichment(run: Path) -> None:
    _status(run, "enrichment", "not_run", "offline ORA disabled and STRING's enrichment unavailable")
    for number in (4, 5):
        v = _claim(run, number)
        assert v.verdict == "cannot be evaluated here"
        assert v.reason == "enrichment stage not run: offline ORA disabled and STRING's enrichment unavailable"


# --- claim 6 ---------------------------------------------------------------------------
def test_claim6_partial_with_stand_ins(run: Path) -> None:
    v = _claim(run, 6)
    assert v.verdict == "partially supported"
    assert v.reason.startswith("plausible for MOR only")
    assert "MOR: -7.10 kcal/mol, amine–Asp3.32 3.10 Å (stand-in 8EFO for 8EF6)" in v.evidence
    assert "DOR: -6.50 kcal/mol" in v.evidence and "implausible" in v.evidence
    assert "KOR not docked" in v.data_completeness and "8EFO for 8EF6" in v.data_completeness


def test_claim6_supported_and_not(run: Path) -> None:
    data = _summary(run, "docking")
    for s in data["findings"]["systems"]:
        s.update(status="ok", best_energy=-6.0, salt_bridge=True, amine_asp332_distance=3.0)
    _save(run, "docking", data)
    v = _claim(run, 6)  # plausible everywhere, but in stand-ins: not the paper's docking
    assert v.verdict == "partially supported" and "stand-in structures, not the paper's entries" in v.reason
    data["findings"]["systems"][1].update(stand_in=False, used_structure="6PT2", structure_role="paper_entry")
    _save(run, "docking", data)
    v = _claim(run, 6)  # one real entry (DOR 6PT2) of three: still not the paper's docking
    assert v.verdict == "partially supported" and "but only 1 of 3 in the paper's own entries (DOR 6PT2)" in v.reason
    assert "1 of 3 in the paper's own entries (DOR 6PT2); stand-in structures: 8EFO for 8EF6" in v.data_completeness
    for s in data["findings"]["systems"]:
        s.update(stand_in=False, used_structure=s["paper_pdb"], structure_role="paper_entry")
    _save(run, "docking", data)
    assert _claim(run, 6).verdict == "supported"
    for s in data["findings"]["systems"]:
        s.update(salt_bridge=False, amine_asp332_distance=7.5)
    _save(run, "docking", data)
    assert _claim(run, 6).verdict == "not supported"


def test_claim6_docking_not_run(run: Path) -> None:
    _status(run, "docking", "not_run", "the docking programs are not installed (inputs and run.sh written)")
    v = _claim(run, 6)
    assert v.verdict == "cannot be evaluated here"
    assert "docking programs are not installed" in v.reason
    assert v.evidence == "KOR: synthetic failure"  # each system's own error, as the docking stage recorded it


# --- claim 7 ---------------------------------------------------------------------------
def test_claim7_structure_not_in_cache(run: Path) -> None:
    v = _claim(run, 7)
    assert (v.verdict, v.reason) == ("cannot be evaluated here", "nmda stage not run: structure 9IYP not in cache")


@pytest.mark.parametrize("kind, classification, expected", [
    ("observed", "pore_site_I", "supported"),
    ("placed", "pore_site_I", "partially supported"),
    ("observed", "ntd", "not supported"),
])
def test_claim7_branches(run: Path, kind: str, classification: str, expected: str) -> None:
    site = {"site": "MG1", "kind": kind, "classification": classification, "z_along_axis": 0.4,
            "radial_offset": 0.2, "coordinating": [{"atom": "A/ASN616/OD1", "distance": 2.2}], "delta": 0.7,
            "second_shell": [], "coordination": "inner-sphere",
            "ligands": [{"atom": "A/ASN616/OD1", "distance": 2.2}], "nearest_other": None}
    pore = {"structure": "TEST", "ring_radius": 2.5, "mg_sites": [site], "observed_site_I": kind == "observed",
            "subunits": {"A": "GluN1"}, "profile_minimum": {"z_along_axis": 0.0, "radius": 1.0, "occluded_z": [],
                                                          "m2_region": [-1.0, 15.0]},
            "membrane_span": {"z_extracellular": -20.0, "z_intracellular": 5.0}, "warnings": [],
            "placement": {"status": "placed", "coordination": "inner-sphere", "reason": "r", "narrowest_radius": 1.0,
                          "rules": "r"}, "missing_side_chains": [], "pore_ligands": []}
    _save(run, "nmda", {"stage": "nmda", "status": "ok", "reason": "", "missing": [], "outputs": [],
                        "findings": {**pore, "delta_method": "synthetic", "paper_pdb": "9IYP",
                                     "structure_role": "paper_entry", "stand_in": "", "figures": [], "compare": [],
                                     "statements": [], "data_sources": []}})
    v = _claim(run, 7)
    assert v.verdict == expected
    assert "structure TEST" in v.evidence


def test_claim_texts_are_the_papers_seven(run: Path) -> None:
    claims = claims_of_run(run)  # the fixture's workflow.resolved.json holds the offline workflow's claims
    assert [c.number for c in claims] == [1, 2, 3, 4, 5, 6, 7]
    assert [c.kind for c in claims] == ["most_connected", "hub", "ppi_enrichment", "enriched", "enriched", "docking",
                                        "pore_ion"]
    assert "GRIN2B" in claims[0].text and "CREB1 and BDNF" in claims[1].text and "Mg²⁺" in claims[6].text


# --- report files and HTML ----------------------------------------------------------------
def test_report_files_and_html(run: Path) -> None:
    result = build_report(run)
    html = result.report.read_text(encoding="utf-8")
    table = pd.read_csv(run / "report" / "verdict.tsv", sep="\t")
    assert list(table["number"]) == [1, 2, 3, 4, 5, 6, 7]
    assert (run / "report" / "figures" / "network.png").stat().st_size > 1000
    assert (run / "report" / "figures" / "network.svg").read_bytes().startswith(b"<?xml")
    # What is missing comes first, before the verdict and every stage section.
    order = [html.index(f'<section id="{a}">') for a in ("missing", "verdict", "inputs", "network", "provenance")]
    assert order == sorted(order)
    missing = html[order[0]:order[1]]
    assert "OPRM1" in missing and "structure 9IYP not in cache" in missing
    # each gap once: the nmda stage records 9IYP both as why it did not run and as missing data
    assert missing.count("9IYP") == 1 and "<li>nmda: not run — structure 9IYP not in cache</li>" in missing
    # Inputs: the evidence up front, provenance (keys, sha256) folded into <details>
    inputs = html[order[2]:order[3]]
    unfolded = inputs
    while re.search(r"<details>(?:(?!<details>).)*?</details>", unfolded, re.S):
        unfolded = re.sub(r"<details>(?:(?!<details>).)*?</details>", "", unfolded, flags=re.S)
    assert re.search(r"\b[0-9a-f]{64}\b", inputs) and not re.search(r"\b[0-9a-f]{64}\b", unfolded)
    assert "Targets (" in unfolded
    assert "4EJ4 used as a stand-in for 6PT2" in missing and "program not installed: vina" in missing
    # Escaped (jinja2 autoescaping spells ' as &#39;), self-contained, one script only: the docking table's
    # sorting and filtering (no 3-D pose in this run directory, so no 3Dmol.js), every image embedded.
    scripts = re.findall(r"<script[^>]*>", html)
    assert scripts == ["<script>"] and "table.explore" in html and "$3Dmol" not in html
    assert "&lt;script&gt;alert(&#39;must be escaped&#39;)" in html
    assert not re.search(r'(src|href)="(https?:)?//', html)
    srcs = re.findall(r'<img src="([^"]*)"', html)
    assert len(srcs) == 3 and all(s.startswith("data:image/png;base64,") and len(s) > 100 for s in srcs)
    assert len(re.findall(r'<tr class="claim" data-claim="\d" data-claim-id="[a-z0-9-]+">', html)) == 7
    assert list(table["id"])[0] == "grin2b-most-connected" and list(table["kind"])[6] == "pore_ion"
    assert 'href="../network/network.graphml"' in html and 'href="../docking/MOR/best_pose.pml"' in html
    assert "0.0.0-synthetic" in html and "f" * 64 in html  # manifest rendered
    assert "<td>1. GRIN2B (7)</td>" in html and "<td>2. CREB1 (6)</td>" in html  # top hubs, hand-checked MCC
    # booleans (themes.tsv's recovered, the manifest's offline) read yes/no, never Python's True/False
    assert not re.search(r"<td>(True|False)</td>", html) and "<td>yes</td>" in html and "<td>no</td>" in html


def test_figures_byte_identical_across_reruns(run: Path) -> None:
    build_report(run)
    first = {p.name: p.read_bytes() for p in (run / "report" / "figures").iterdir()}
    html1 = (run / "report" / "report.html").read_bytes()
    shutil.rmtree(run / "report")
    build_report(run)
    assert {p.name: p.read_bytes() for p in (run / "report" / "figures").iterdir()} == first
    assert (run / "report" / "report.html").read_bytes() == html1


def test_half_finished_run(run: Path) -> None:
    for stage in ("enrichment", "docking", "nmda"):
        shutil.rmtree(run / stage)
    (run / "manifest.json").unlink()
    html = write_report(run).read_text(encoding="utf-8")
    verdicts = evaluate_claims(run)
    assert [v.reason for v in verdicts[3:]] == ["enrichment stage not run", "enrichment stage not run",
                                                "docking stage not run", "nmda stage not run"]
    assert "docking stage not run (no docking/summary.json)" in html
    assert "manifest.json not found" in html


def test_bad_inputs_raise_report_error(run: Path, tmp_path: Path) -> None:
    with pytest.raises(ReportError, match="run directory not found"):
        write_report(tmp_path / "nowhere")
    (run / "docking" / "summary.json").write_text("{not json")
    with pytest.raises(ReportError, match=r"docking/summary\.json: unreadable stage summary"):
        write_report(run)


# --- the real offline run (shipped STRING data) -------------------------------------------
@pytest.fixture(scope="module")
def offline_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The offline workflow's network and report stages on the shipped cache."""
    return run_offline_workflow(tmp_path_factory.mktemp("offline") / "run", ["network", "report"])


def _mcc_ranks(edges: pd.DataFrame) -> dict[str, int]:
    """MCC (Chin et al. 2014: Σ (|C|−1)! over maximal cliques) recomputed here, competition-ranked."""
    from math import factorial
    graph = nx.Graph(list(zip(edges["name_a"], edges["name_b"])))
    mcc = {n: 0 for n in graph}
    for clique in nx.find_cliques(graph):
        for n in clique:
            mcc[n] += factorial(len(clique) - 1)
    return {n: 1 + sum(1 for m in mcc if mcc[m] > mcc[n]) for n in mcc}


def test_offline_run_verdict_rows_1_and_2(offline_run: Path) -> None:
    verdicts = evaluate_claims(offline_run)
    v1, v2, v3 = verdicts[:3]
    # Hand count in /work/shared/data/string/string_edges_among_targets.tsv (score ≥ 0.4) plus the 7 GRIA1/GRIA2
    # pairs of more_v12_exports/pair_coverage_delta.tsv: GRIN2B has 9 partners (AKT1 BDNF CACNA1A CACNA1B CAMK2A
    # CREB1 GRIN1 GRIA1 GRIA2); CAMK2A has 8.
    assert v1.verdict == "partially supported"
    assert v1.evidence.startswith("degree GRIN2B = 9; maximum 9 (GRIN2B) among 11 nodes")
    assert "consistent on 11 of 13 targets" in v1.reason
    assert "uncovered: OPRM1, OPRD1;" in v1.data_completeness
    ranks = _mcc_ranks(pd.read_csv(offline_run / "network" / "edges.tsv", sep="\t"))
    assert v2.evidence == f"MCC rank CREB1 = {ranks['CREB1']} of 11; MCC rank BDNF = {ranks['BDNF']} of 11"
    assert ranks["CREB1"] <= 5 and ranks["BDNF"] <= 5
    assert v2.verdict == "partially supported" and "consistent on 11 of 13 targets" in v2.reason
    assert v3.verdict == "cannot be evaluated here"
    stage = json.loads((offline_run / "report" / "summary.json").read_text())
    assert stage["status"] == "ok" and [v["number"] for v in stage["findings"]["verdicts"]] == list(range(1, 8))
    assert "report/report.html" in stage["outputs"] and "report/figures/network.svg" in stage["outputs"]
    html = (offline_run / "report" / "report.html").read_text(encoding="utf-8")
    assert html.count('<tr class="claim"') == 7 and "GRIA2" in html


def test_cli_report_command(run: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    from netpharm.cli.main import main

    assert main(["report", str(run)]) == 0
    assert capsys.readouterr().out.strip() == str(run / "report" / "report.html")
    assert (run / "report" / "verdict.tsv").is_file()
    assert main(["report", str(tmp_path / "nowhere")]) == 2
    assert "run directory not found" in capsys.readouterr().err


# --- docking pictures: real poses, 3-D view, heatmap ------------------------------------------
def test_report_shows_real_poses_in_2d_and_3d(tmp_path: Path) -> None:
    from helpers.pose_run import add_campaign_results, make_pose_run

    run = make_pose_run(tmp_path)
    add_campaign_results(run)
    result = build_report(run)
    html = result.report.read_text(encoding="utf-8")
    # a 3-D view per real pose's card and the table's one switchable view, all fed by one embedded pose store;
    # 3Dmol.js inlined once with its licence line
    views = re.findall(r'<div class="viewer3d" id="([^"]+)" data-pose="([^"]+)"', html)
    assert views == [("pose-explorer", "pose3"), ("pose3", "pose3"), ("pose4", "pose4")]
    assert html.count("/* 3Dmol.js 2.5.5 (BSD-3-Clause") == 1 and html.count("$3Dmol.createViewer") == 1
    store = json.loads(re.search(r'<script type="application/json" class="pose-store">(.*?)</script>', html, re.S)[1])
    assert set(store["poses"]) == {"pose3", "pose4"} and set(store["pockets"]) == {"ABL", "ABL_crystal"}
    data = store["poses"]["pose3"]
    assert data["pocket"] == "ABL" and "ATOM" in store["pockets"]["ABL"]
    # the ligand's heavy atoms: imatinib C29H31N7O has 37, its bonds with their orders
    elements, bonds = data["ligand"]["elem"].split(), data["ligand"]["bonds"]
    assert len(elements) == 37 and len(data["ligand"]["xyz"]) == 3 * 37 and sorted(set(elements)) == ["C", "N", "O"]
    assert len(bonds) == 3 * 41 and set(bonds[2::3]) == {1, 2}  # 41 bonds between heavy atoms (4 rings + 36)
    kinds = {line["kind"] for line in data["lines"]}
    assert kinds == {"hbond"} and {lab["text"] for lab in data["labels"]} >= {"Thr315", "Met318"}
    # every inline script is ours; nothing is loaded from outside
    assert len(re.findall(r"<script", html)) == 4  # the pose store, the table script, 3Dmol.js, the viewer script
    assert not re.search(r'(src|href)="(https?:)?//', html)
    # the interaction profile as a table (collapsed), the 2-D diagrams and the heatmap embedded
    assert "<td>A:THR315</td>" in html and "Interaction profile:" in html
    assert "hbond A:MET318" in html  # the pose's one-line summary
    srcs = re.findall(r'<img src="data:image/png;base64,', html)
    assert len(srcs) == 3 + 2 + 1  # synthetic network/enrichment/MOR figures, two diagrams, heatmap
    assert (run / "report" / "figures" / "energy_heatmap.svg").is_file()
    assert "Hatched grey cells: no result" in html
    # the heatmap's values as a table (the hand-made results of tests/helpers/pose_run.py): missing cells named, never 0
    table = re.search(r'<table class="energy-table" data-engine="autodock4">.*?</table>', html, re.S)[0]
    # ligands ranked by their best energy: naloxone (-8.2) before morphine (-7.1)
    assert re.findall(r'<td data-energy="([^"]+)">', table) == ["-8.2", "-7.1", "-6.5", "-6.9"]
    assert re.findall(r'<td class="missing">([^<]+)</td>', table) == ["failed", "no job"]
    assert "<th>MOR</th><th>DOR</th><th>KOR</th>" in table
    # reruns are byte-identical: page (3-D data included), heatmap and diagrams
    first = {p.name: p.read_bytes() for p in (run / "report" / "figures").iterdir()}
    shutil.rmtree(run / "report")
    assert build_report(run).report.read_text(encoding="utf-8") == html
    assert {p.name: p.read_bytes() for p in (run / "report" / "figures").iterdir()} == first


def test_energy_grid_marks_missing_jobs_not_zero(tmp_path: Path) -> None:
    from helpers.pose_run import add_campaign_results

    from netpharm.docking.heatmap import draw_energy_heatmap, energy_grid

    (tmp_path / "docking").mkdir()
    table = add_campaign_results(tmp_path)
    ligands, systems, grid, notes = energy_grid(table, "autodock4")
    assert (ligands, systems) == (["morphine", "naloxone"], ["MOR", "DOR", "KOR"])
    assert grid[0].tolist() == [-7.1, -6.5, -6.9] and grid[1, 0] == -8.2
    assert np.isnan(grid[1, 1]) and np.isnan(grid[1, 2])
    assert notes[1] == ["-8.20", "failed", "no job"]
    fig = draw_energy_heatmap(table)
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert "failed" in texts and "no job" in texts and "0.00" not in texts
    import matplotlib.pyplot as plt
    plt.close(fig)


def test_single_ligand_run_has_no_heatmap(run: Path) -> None:
    pd.DataFrame([{"ligand": "morphine", "system": "MOR", "kind": "system", "engine": "autodock4", "status": "ok",
                   "best_energy": -7.1}]).to_csv(run / "docking" / "results.tsv", sep="\t", index=False)
    build_report(run)
    assert not (run / "report" / "figures" / "energy_heatmap.png").exists()


def test_structured_values_are_tables_not_json(run: Path) -> None:
    manifest = json.loads((run / "manifest.json").read_text())
    manifest["config"] = {"docking": {"ga_runs": 20, "systems": [{"name": "MOR", "receptor": "8EFO"}]}}
    (run / "manifest.json").write_text(json.dumps(manifest))
    html = write_report(run).read_text(encoding="utf-8")
    provenance = html[html.index('<section id="provenance">'):]
    assert "<pre>" not in provenance
    # config -> docking -> {ga_runs, systems: one row per system}: nested tables, not JSON text
    nested = re.search(r"<tr><td>config</td><td>(.*?)</td></tr>\n?</tbody></table></div>\n</details>", provenance,
                       re.S)
    assert nested and '<table class="nested">' in nested[1] and "<th>ga_runs</th><td>20</td>" in nested[1]
    assert "<th>receptor</th>" in nested[1] and "<td>8EFO</td>" in nested[1]
    assert '{"' not in html and "{&#34;" not in html  # no JSON object dumped into a cell


def test_run_without_claims_has_an_empty_verdict_table(run: Path) -> None:
    resolved = json.loads((run / "workflow.resolved.json").read_text())
    resolved["claims"] = []
    (run / "workflow.resolved.json").write_text(json.dumps(resolved))
    result = build_report(run)
    assert result.verdicts == []
    assert (run / "report" / "verdict.tsv").read_text().splitlines() == [
        "number\tid\tkind\tclaim\tevidence\tverdict\treason\tdata_completeness"]
    assert "The workflow states no claims to check" in result.report.read_text(encoding="utf-8")


def test_campaign_report_stays_small_and_keeps_every_pose(tmp_path: Path) -> None:
    """SYNTHETIC campaigns (copies of the 13 real 1IEP poses, tests/helpers/pose_run.py) of 40 and 100 ligands ×
    2 receptors: every pose is in the table and the 3-D store, ten get a card, and each added pose costs the
    page a few kB (the 10 MB budget at 1,000 ligands × 2 receptors needs < 4 kB a pose). Both are over the
    heatmap's 30 ligands, so the difference is what a pose costs."""
    from helpers.pose_run import make_campaign_run

    cache = tmp_path / "real_poses"
    sizes = {}
    for n in (40, 100):
        run = make_campaign_run(tmp_path / f"n{n}", n, cache)
        sizes[n] = build_report(run).report.stat().st_size
    html = (run / "report" / "report.html").read_text(encoding="utf-8")
    per_pose = (sizes[100] - sizes[40]) / (2 * 60)
    assert per_pose < 3500, per_pose
    assert sizes[100] < 5_000_000, sizes
    rows = re.findall(r'<tr data-show-pose="(pose\d+)">', html)
    assert len(rows) == len(set(rows)) == 200
    store = json.loads(re.search(r'<script type="application/json" class="pose-store">(.*?)</script>', html, re.S)[1])
    assert set(store["poses"]) == set(rows) and set(store["pockets"]) == {"ABL", "ABL_copy"}
    assert list(store["references"]) == ["docking/ABL/crystal_ligand.sdf"]  # the experimental ligand, once
    assert {p["reference"] for p in store["poses"].values()} == {"docking/ABL/crystal_ligand.sdf", None}
    # ten cards, the poses of lowest energy; the rest named as being in the table
    cards = re.findall(r'<div class="viewer3d" id="(pose\d+)"', html)
    energies = {f"pose{i}": e["best_energy"] for i, e in
                enumerate(json.loads((run / "docking" / "summary.json").read_text())["findings"]["systems"])}
    assert len(cards) == 10 and sorted(energies[c] for c in cards) == sorted(energies.values())[:10]
    assert "the other 190 are in the table above" in html and html.count("<h3>Best pose, ") == 10
    assert "The 30 ligands with the lowest best energy of 100" in html


def test_card_without_diagram_says_so_and_shows_no_image(tmp_path: Path) -> None:
    """A pose the docking stage drew no diagram for (``figure`` None) keeps its card (3-D view, profile) with a
    note instead of an image; a diagram named but lost is "Figure missing", never a broken image."""
    from helpers.pose_run import make_pose_run

    run = make_pose_run(tmp_path)
    summary = _summary(run, "docking")
    systems = summary["findings"]["systems"]
    docked = next(s for s in systems if s["system"] == "ABL")
    docked["figure"] = docked["diagram_svg"] = None
    crystal = next(s for s in systems if s["system"] == "ABL_crystal")
    (run / crystal["figure"]).unlink()
    _save(run, "docking", summary)
    html = build_report(run).report.read_text(encoding="utf-8")
    card = html.split("<h3>Best pose, ABL (autodock4): imatinib</h3>")[1].split("<h3>")[0]
    assert "No 2-D interaction diagram for this pose (the docking stage draws one" in card and "<img" not in card
    assert 'id="pose' in card  # its 3-D view stays
    lost = html.split("<h3>Best pose, ABL_crystal (autodock4): imatinib (crystal pose)</h3>")[1].split("<h3>")[0]
    assert "Figure missing: best_pose.png" in lost and "<img" not in lost


def test_report_pose_cards_setting(tmp_path: Path) -> None:
    """``[report] pose_cards``: how many docked poses get a full card (lowest energy first); the rest stay in
    the table; a bad value is a one-line error naming the file."""
    from helpers.pose_run import make_pose_run

    from netpharm.errors import ConfigError
    from netpharm.registry import ReportConfig

    run = make_pose_run(tmp_path)
    resolved_path = run / "workflow.resolved.json"
    resolved = json.loads(resolved_path.read_text())
    resolved.setdefault("report", {})["pose_cards"] = 1
    resolved_path.write_text(json.dumps(resolved))
    html = build_report(run).report.read_text(encoding="utf-8")
    # the imatinib docked pose (-12.50) keeps its card; the synthetic MOR pose (-7.1, a diagram only) and the
    # crystal pose (no energy) do not
    assert re.findall(r"<h3>Best pose, ([^<]+)</h3>", html) == ["ABL (autodock4): imatinib"]
    assert "the other 2 are in the table above" in html
    assert "The 1 pose with a card below; all 5 in" in html
    assert len(re.findall(r'<tr data-show-pose="(pose\d+)">', html)) == 2  # both poses stay in the table
    resolved["report"]["pose_cards"] = -1
    resolved_path.write_text(json.dumps(resolved))
    with pytest.raises(ReportError, match=r"workflow.resolved.json: report.pose_cards must be an integer >= 0"):
        build_report(run)
    with pytest.raises(ValueError, match="pose_cards must be an integer >= 0"):
        ReportConfig(pose_cards=-1)
    with pytest.raises(ConfigError, match="pose_cards"):
        from netpharm.config import from_mapping
        from_mapping(ReportConfig, {"pose_cards": "ten"}, "w.toml: report")

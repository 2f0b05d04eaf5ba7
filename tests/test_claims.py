"""Claims as data: the paper's seven claims from the workflows, pinned verdicts, every kind, invalid claims.

The pinned verdicts of the offline run were recorded from main (commit 7fdc341, before the claims
moved into the workflows) with `netpharm run workflows/microdiscectomy-offline.toml --stages
network,enrichment,report`, then updated for the 11-target offline network (GRIA1/GRIA2 imports of
issue 9: degree and MCC numbers from tests/test_coverage.py); the docking and NMDA ones follow from main's logic (stand-ins cap claim 6
at "partially supported"; 9IYP is not in the cache, so claim 7 cannot be evaluated).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from helpers import (
    KINDS,
    OFFLINE_WORKFLOW,
    claim_from_table,
    copy_synthetic_run,
    recorded_docking_summary,
    run_claims,
    run_offline_workflow,
)

from netpharm.config import read_toml
from netpharm.errors import ConfigError
from netpharm.registry import load_workflow
from netpharm.report.verdicts import evaluate_claims

REPO = Path(__file__).resolve().parents[1]
OFFLINE = OFFLINE_WORKFLOW

#: main's verdicts (7fdc341) on the offline run: (id, verdict, reason start, data completeness start)
PINNED = [
    ("grin2b-most-connected", "partially supported", "consistent on 11 of 13 targets: GRIN2B is the most connected "
     "of the 11 covered targets; the unknown pairs could change it",
     "partial: 11 of 13 targets covered; uncovered: OPRM1, OPRD1; 35 target pairs unknown"),
    ("creb1-bdnf-hubs", "partially supported", "consistent on 11 of 13 targets (hub = MCC rank ≤ 5); the uncovered "
     "targets could change the ranks",
     "partial: 11 of 13 targets covered; uncovered: OPRM1, OPRD1; 35 target pairs unknown"),
    ("ppi-enrichment", "cannot be evaluated here", "STRING's PPI-enrichment p-value is not in the cache (STRING must "
     "be reached online to record it); netpharm does not recompute it offline", "no data"),
    ("synaptic-go-terms", "supported", "all 4 terms at FDR < 0.05",
     "from offline ORA; STRING's own enrichment not in the cache"),
    ("reactome-nmda-creb1", "supported", "both terms at FDR < 0.05",
     "from offline ORA; STRING's own enrichment not in the cache"),
    ("morphine-opioid-docking", "cannot be evaluated here", "docking stage not run", "no data"),
    ("mg-nmda-pore", "cannot be evaluated here", "nmda stage not run", "no data"),
]


@pytest.fixture(scope="module")
def offline_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return run_offline_workflow(tmp_path_factory.mktemp("claims") / "run", ["network", "enrichment", "report"])


def test_paper_verdicts_unchanged_on_the_offline_run(offline_run: Path) -> None:
    verdicts = evaluate_claims(offline_run)
    got = [(v.id, v.verdict, v.reason, v.data_completeness) for v in verdicts]
    assert got == PINNED
    assert verdicts[0].evidence == ("degree GRIN2B = 9; maximum 9 (GRIN2B) among 11 nodes; upper bound with the "
                                    "unknown pairs: GRIN2B ≤ 11")
    assert verdicts[1].evidence == "MCC rank CREB1 = 4 of 11; MCC rank BDNF = 4 of 11"
    # offline FDRs by the default `string` correction (m = 15,706 BP / 2,694 Reactome terms; 6.04e-09 and
    # 2.29e-08 under the former BH over every term within the size limits)
    assert "GO:0007268 chemical synaptic transmission (FDR offline 2.25e-08, STRING n/a)" in verdicts[3].evidence
    assert "R-HSA-442742 CREB1 phosphorylation through NMDA receptor-mediated activation of RAS signaling " \
           "(FDR offline 3.02e-08, STRING n/a)" in verdicts[4].evidence
    header = (offline_run / "report" / "verdict.tsv").read_text(encoding="utf-8").splitlines()[0]
    assert header.split("\t") == ["number", "id", "kind", "claim", "evidence", "verdict", "reason",
                                  "data_completeness"]


def _docking_run(tmp_path: Path) -> Path:
    """The offline situation for claims 6 and 7: three plausible poses in stand-ins; 9IYP not in the cache."""
    run = copy_synthetic_run(tmp_path)
    path = run / "docking" / "summary.json"
    data = json.loads(path.read_text())
    for s in data["findings"]["systems"]:
        s.update(status="ok", best_energy=-6.0, salt_bridge=True, amine_asp332_distance=3.0, error="")
    data.update(status="ok", reason="")
    path.write_text(json.dumps(data))
    (run / "nmda" / "summary.json").write_text(json.dumps(
        {"stage": "nmda", "status": "not_run", "reason": "structure 9IYP not in cache (offline)",
         "missing": ["structure 9IYP"], "outputs": [], "findings": None}))
    return run


def test_paper_docking_and_pore_verdicts_unchanged(tmp_path: Path) -> None:
    v6, v7 = evaluate_claims(_docking_run(tmp_path))[5:]
    assert v6.verdict == "partially supported"
    assert v6.reason.startswith("plausible for MOR, DOR, KOR, but in stand-in structures, not the paper's entries")
    assert "stand-in structures: 8EFO for 8EF6, 4EJ4 for 6PT2, 6B73 for 6VI4" in v6.data_completeness
    assert (v7.verdict, v7.reason) == ("cannot be evaluated here", "nmda stage not run: structure 9IYP not in "
                                                                   "cache (offline)")


def test_both_workflows_state_the_same_seven_claims() -> None:
    a, b = read_toml(OFFLINE)["claims"], read_toml(REPO / "workflows" / "microdiscectomy.toml")["claims"]
    assert a == b and len(a) == 7
    assert [c["kind"] for c in a] == ["most_connected", "hub", "ppi_enrichment", "enriched", "enriched", "docking",
                                      "pore_ion"]
    from netpharm.registry import workflow_claims

    assert [c.id for c in workflow_claims(load_workflow(OFFLINE))] == [c["id"] for c in a]


def test_kinds_are_exactly_the_issue_table() -> None:
    assert set(KINDS) == {"most_connected", "hub", "top_hubs", "module", "core_targets", "ppi_enrichment", "enriched",
                          "docking", "redocking", "pore_ion", "intersection", "ct_degree", "drug_like",
                          "network_size", "binding", "top_terms"}


# --- every kind on the hand-made run ------------------------------------------------------------
def _verdict(run: Path, **table: Any) -> Any:
    claim = claim_from_table(1, {"id": "x", "text": "t", **table})
    return run_claims(run, [claim])[0]


def test_top_hubs_overlap_and_kendall_tau(tmp_path: Path) -> None:
    run = copy_synthetic_run(tmp_path)
    # hand-checked: MCC ranks GRIN2B 1, AKT1 = BDNF = CREB1 2, GRIN1 5 → top-3 with ties = 4 proteins
    v = _verdict(run, kind="top_hubs", method="MCC", n=3, expected=["GRIN2B", "CREB1", "BDNF"])
    assert "overlap 3/3 = 1.00" in v.evidence
    assert "Kendall τ over the 3 shared = 0.82" in v.evidence  # tau-b of (0,1,2) vs (1,2,2): 2/sqrt(6)
    assert v.verdict == "partially supported"  # OPRM1 uncovered: the ranks could change
    v = _verdict(run, kind="top_hubs", method="MCC", n=2, expected=["GRIN1", "OPRM1"])
    assert v.verdict == "not supported" and "not in the network: OPRM1" in v.evidence


def test_most_connected_by_another_metric(tmp_path: Path) -> None:
    run = copy_synthetic_run(tmp_path)
    v = _verdict(run, kind="most_connected", protein="CREB1", metric="ClusteringCoefficient")
    assert v.verdict == "partially supported" and "tied with AKT1, BDNF" in v.reason
    assert v.evidence.startswith("ClusteringCoefficient CREB1 = 1; maximum 1 (AKT1, BDNF, CREB1)")


def test_redocking_and_docking_contact(tmp_path: Path) -> None:
    run = _docking_run(tmp_path)
    v = _verdict(run, kind="redocking", case="1PGP")
    assert (v.verdict, v.reason) == ("supported", "RMSD ≤ 2 Å") and "RMSD 0.80 Å" in v.evidence
    assert _verdict(run, kind="redocking", case="1PGP", max_rmsd=0.5).verdict == "not supported"
    assert _verdict(run, kind="redocking", case="NONE").verdict == "cannot be evaluated here"
    v = _verdict(run, kind="docking", systems=["MOR"], max_energy=-6.5, contact="A:147")
    assert v.verdict == "not supported"  # -6.0 > -6.5
    v = _verdict(run, kind="docking", systems=["MOR"], max_energy=0.0, contact="A:200", salt_bridge=False)
    assert v.verdict == "not supported" and "no contact with A:200" in v.evidence


def test_pore_ion_placed_is_at_most_partial(tmp_path: Path) -> None:
    run = copy_synthetic_run(tmp_path)
    site = {"site": "MG1", "kind": "placed", "classification": "pore_site_I", "z_along_axis": 0.1,
            "radial_offset": 0.0, "delta": 0.7, "coordinating": [], "second_shell": [],
            "coordination": "inner-sphere", "ligands": [], "nearest_other": None}
    pore = {"structure": "T", "ring_radius": 2.5, "mg_sites": [site], "observed_site_I": False, "subunits": {},
            "profile_minimum": {"z_along_axis": 0.0, "radius": 1.0, "occluded_z": [], "m2_region": [-1.0, 15.0]},
            "membrane_span": {"z_extracellular": -20.0, "z_intracellular": 5.0}, "warnings": [],
            "placement": {"status": "placed", "coordination": "inner-sphere", "reason": "r", "narrowest_radius": 1.0,
                          "rules": "r"}, "missing_side_chains": [], "pore_ligands": []}
    _write_nmda(run, pore, "paper_entry")
    v = _verdict(run, kind="pore_ion", site="N-site")
    assert v.verdict == "partially supported" and v.data_completeness == "geometry only; no observed ion"
    assert v.reason.startswith("Mg²⁺ placed (not observed) at the N-site of T; it fits (inner-sphere)")
    # an observed ion in a stand-in is at most partially supported, and the verdict names the stand-in
    observed = {**pore, "mg_sites": [{**site, "kind": "observed"}], "observed_site_I": True}
    _write_nmda(run, observed, "stand_in")
    v = _verdict(run, kind="pore_ion", site="N-site")
    assert (v.verdict, v.reason) == ("partially supported", "an experimentally observed Mg²⁺ at the asparagine ring "
                                     "of T, a stand-in for 9IYP (a resolved ion marks a stable site)")
    # an empty site where no ion fits: not supported, with the narrowest radius
    empty = {**pore, "mg_sites": [], "placement": {"status": "does_not_fit", "coordination": "unassigned",
                                                   "reason": "r", "narrowest_radius": 0.4, "rules": "r"}}
    _write_nmda(run, empty, "paper_entry")
    v = _verdict(run, kind="pore_ion", site="N-site")
    assert (v.verdict, v.reason) == ("not supported", "no Mg²⁺ observed at the asparagine ring of T, and one does "
                                     "not fit there (narrowest radius at the ring 0.40 Å)")


def _write_nmda(run: Path, pore: dict[str, object], role: str) -> None:
    (run / "nmda" / "summary.json").write_text(json.dumps({
        "stage": "nmda", "status": "ok", "reason": "", "missing": [], "outputs": [],
        "findings": {**pore, "delta_method": "m", "paper_pdb": "9IYP", "structure_role": role,
                     "stand_in": "reason" if role == "stand_in" else "", "figures": [], "compare": [],
                     "statements": [], "data_sources": []}}))


# --- invalid claims: one clear ConfigError naming the claim, at load ---------------------------------
@pytest.mark.parametrize("claim, message", [
    ({"kind": "most_central"}, r"claim 'bad': unknown kind 'most_central'"),
    ({"kind": "hub", "proteins": ["CREB1"]}, r"claim 'bad' \(hub\): missing parameter\(s\) \['max_rank'\]"),
    ({"kind": "hub", "proteins": ["CREB1"], "max_rank": 5, "cutoff": 3},
     r"claim 'bad' \(hub\): unknown key\(s\) \['cutoff'\]"),
    ({"kind": "docking", "systems": ["MOR", "NOP"], "max_energy": 0.0},
     r"claim 'bad' \(docking\): system\(s\) \['NOP'\] not in the workflow's \[\[docking.systems\]\]"),
    ({"kind": "redocking", "case": "4DKL"}, r"claim 'bad' \(redocking\): case '4DKL' not in the workflow"),
    ({"kind": "hub", "proteins": ["CREB1"], "max_rank": 5, "method": "PageRank"}, r"not a cytoHubba method"),
    ({"kind": "enriched", "category": "GO", "terms": ["GO:0007268"]}, r"category \['GO'\] not in"),
    ({"kind": "pore_ion", "site": "N-site", "ion": "CA"}, r"locates Mg²⁺ only"),
    ({"kind": "docking", "systems": ["MOR"], "max_energy": 0.0, "contact": "Asp147"}, r"neither a residue"),
    ({"kind": "docking", "systems": ["MOR"], "max_energy": 0.0, "contact": "Y7.43"}, r"only D3\.32"),
    # issue 19's kinds
    ({"kind": "network_size"}, r"claim 'bad' \(network_size\): give 'nodes', 'edges' or both"),
    ({"kind": "binding", "ligand": "morphine", "system": "MOR", "energy": -8.0, "max_energy": -5.0},
     r"give either 'energy' .* or 'max_energy'"),
    ({"kind": "binding", "ligand": "morphine", "system": "NOP", "energy": -8.0},
     r"system 'NOP' not in the workflow's \[\[docking.systems\]\]"),
    ({"kind": "binding", "ligand": "wogonin", "system": "MOR", "max_energy": -5.0},
     r"ligand 'wogonin' not among the workflow's docking ligands \(\['morphine'\]\)"),
    ({"kind": "top_terms", "category": "GO", "terms": ["GO:0007268"], "n": 5}, r"category 'GO' not in"),
    ({"kind": "top_terms", "category": "BP", "terms": ["GO:0007268", "GO:0006955"], "n": 1}, r"list at most n"),
])
def test_invalid_claim_is_a_config_error_naming_it(claim: dict[str, Any], message: str) -> None:
    table = {"id": "bad", "text": "a claim", **claim}
    with pytest.raises(ConfigError, match=message):
        load_workflow(OFFLINE, {"claims": [table]})


def test_invalid_claim_cli_one_line_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from netpharm.cli.main import main

    text = OFFLINE.read_text(encoding="utf-8").replace('metric = "Degree"', 'metric = "Degre"', 1)
    bad = tmp_path / "bad.toml"
    bad.write_text(text.replace('targets = "../targets.txt"', f'targets = "{REPO / "targets.txt"}"')
                   .replace('cache_dir = "../cache"', f'cache_dir = "{REPO / "cache"}"'), encoding="utf-8")
    assert main(["run", str(bad), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith(
        "netpharm: error: claim 'grin2b-most-connected' (most_connected): metric 'Degre' is not a NetworkAnalyzer "
        "column; choose from ['Degree', ")


# --- docking claims asking for interactions, on real profiles ------------------------------------------
MORPHINE = REPO / "tests" / "data" / "morphine_profiles"  # real paper-budget best poses (README there)


def _morphine_run(tmp_path: Path, edit: Any = None) -> Path:
    """The synthetic run with the main job's real docking summary (morphine in MOR 8EFO, DOR 6PT2, KOR 6VI4)."""
    run = copy_synthetic_run(tmp_path)
    data = recorded_docking_summary(MORPHINE / "docking_summary.json")
    if edit is not None:
        edit(data)
    (run / "docking" / "summary.json").write_text(json.dumps(data))
    return run


def test_docking_claim_interactions_supported_on_real_profiles(tmp_path: Path) -> None:
    run = _morphine_run(tmp_path)
    # DOR/KOR are the paper's entries: D3.32 resolves to A:ASP128 and A:ASP138 (tests/data/morphine_profiles/*.tsv)
    v = _verdict(run, kind="docking", systems=["DOR", "KOR"], max_energy=-6.0,
                 interactions=["salt_bridge:D3.32", "HBDonor:D3.32", "ionic:D3.32"])
    assert v.verdict == "supported", v
    assert "DOR: -6.58 kcal/mol" in v.evidence and "KOR: -7.28 kcal/mol" in v.evidence
    assert "salt_bridge:D3.32 (A:ASP128 Cationic 2.99 Å)" in v.evidence
    assert "HBDonor:D3.32 (A:ASP138 HBDonor 2.83 Å)" in v.evidence
    assert "ProLIF profile with salt_bridge:D3.32, HBDonor:D3.32, ionic:D3.32" in v.reason
    # residues by number and name, and the μ stand-in's π-stacking with His299 (5.24 Å): plausible, but 8EFO
    v = _verdict(run, kind="docking", systems=["MOR"], max_energy=-6.0,
                 interactions=["pi-stacking:R:HIS299", "hydrophobic:TRP295", "any:153"])
    assert v.verdict == "partially supported" and "stand-in structures" in v.reason
    assert "pi_stacking:R:HIS299 (R:HIS299 PiStacking 5.24 Å)" in v.evidence
    assert "any:153 (R:MET153 Hydrophobic 3.43 Å)" in v.evidence and "missing" not in v.evidence


def test_docking_claim_interactions_not_supported_on_real_profiles(tmp_path: Path) -> None:
    run = _morphine_run(tmp_path)
    # His278 is within 4 Å of morphine in 6PT2 (a contact) but ProLIF finds no π-stacking with it
    v = _verdict(run, kind="docking", systems=["DOR"], max_energy=-6.0,
                 interactions=["hbond:A:TYR129", "pi_stacking:A:HIS278"])
    assert v.verdict == "not supported"
    assert "interactions found: hbond:A:TYR129 (A:TYR129 HBDonor 3.00 Å); missing: pi_stacking:A:HIS278" in v.evidence
    assert "implausible" in v.evidence
    # direction counts for ProLIF's classes: morphine's N+–H donates to Asp3.32, it does not accept
    v = _verdict(run, kind="docking", systems=["DOR", "KOR"], max_energy=-6.0, interactions=["HBAcceptor:D3.32"])
    assert v.verdict == "not supported" and "missing: HBAcceptor:D3.32 (= A:ASP138)" in v.evidence
    # one of two: partially
    v = _verdict(run, kind="docking", systems=["DOR", "KOR"], max_energy=-6.0, interactions=["hydrophobic:A:MET132"])
    assert v.verdict == "partially supported" and v.reason.startswith("plausible for DOR only")


def test_docking_claim_interactions_cannot_tell_from_incomplete_profile(tmp_path: Path) -> None:
    def incomplete(data: dict) -> None:  # a hand-made variant: KOR's profile marked as leaving residues out
        kor = next(s for s in data["findings"]["systems"] if s["system"] == "KOR")
        kor["interactions_error"] = "interaction profile without residues A:XYZ500"

    run = _morphine_run(tmp_path, incomplete)
    # DOR's Tyr129 H-bond is found; KOR's profile has none, but it is incomplete: cannot tell, not "no"
    v = _verdict(run, kind="docking", systems=["DOR", "KOR"], max_energy=-6.0, interactions=["hbond:A:TYR129"])
    assert v.verdict == "partially supported"
    assert v.reason.startswith("plausible for DOR; the interaction profile cannot tell for KOR")
    assert "KOR: -7.28 kcal/mol" in v.evidence and v.evidence.endswith("— cannot tell")
    assert "interaction profile cannot tell for KOR" in v.data_completeness
    # a missing interaction elsewhere still decides
    v = _verdict(run, kind="docking", systems=["DOR", "KOR"], max_energy=-6.0, interactions=["pi_stacking:A:287"])
    assert v.verdict == "not supported" and "missing: pi_stacking:A:287" in v.evidence
    v = _verdict(run, kind="docking", systems=["KOR"], max_energy=-6.0, interactions=["pi_stacking:A:287"])
    assert v.verdict == "cannot be evaluated here"
    assert "cannot tell: pi_stacking:A:287 (interaction profile without residues A:XYZ500)" in v.evidence
    v = _verdict(run, kind="docking", systems=["KOR"], max_energy=-6.0, interactions=["hydrophobic:A:287"])
    assert v.verdict == "supported"  # found is found, even in a partial profile


def test_claim6_on_three_paper_entries_is_supported_without_a_stand_in_note(tmp_path: Path) -> None:
    """Claim 6 as the main job now judges it: μ in 8EF6 itself, δ 6PT2, κ 6VI4, all ``paper_entry``."""
    def on_8ef6(data: dict) -> None:  # a hand-made variant: the recorded MOR row relabelled as docked into 8EF6
        mor = next(s for s in data["findings"]["systems"] if s["system"] == "MOR")
        mor.update(receptor="8EF6", used_structure="8EF6", stand_in=False, structure_role="paper_entry")

    claim = {"kind": "docking", "systems": ["MOR", "DOR", "KOR"], "max_energy": 0.0, "contact": "D3.32",
             "salt_bridge": True}
    v = _verdict(_morphine_run(tmp_path / "a", on_8ef6), **claim)
    assert v.verdict == "supported", v
    assert v.data_completeness == ("complete: all 3 systems docked; 3 of 3 in the paper's own entries "
                                   "(MOR 8EF6, DOR 6PT2, KOR 6VI4)")
    assert "MOR: -7.08 kcal/mol, amine–Asp3.32" in v.evidence and "(paper's entry 8EF6)" in v.evidence
    # the recorded run (MOR in the 8EFO stand-in) stays "partially supported", naming the stand-in
    v = _verdict(_morphine_run(tmp_path / "b"), **claim)
    assert v.verdict == "partially supported" and "2 of 3 in the paper's own entries" in v.reason


@pytest.mark.parametrize("entry, message", [
    ("pi_stacking", r"'pi_stacking': expected TYPE:RESIDUE"),
    ("ionic_lock:A:147", r"'ionic_lock:A:147': interaction type 'ionic_lock': expected one of salt_bridge"),
    ("VdWContact:A:147", r"'VdWContact:A:147': interaction type 'VdWContact': a ProLIF class netpharm does not"),
    ("pi_stacking:W6.48", r"'pi_stacking:W6.48': generic position 'W6.48': of the generic positions the docking "
                          r"stage locates only D3\.32"),
    ("hbond:TM3-Asp", r"'hbond:TM3-Asp': residue 'TM3-Asp': expected e\.g\. A:147"),
])
def test_docking_claim_bad_interactions_entry(entry: str, message: str) -> None:
    table = {"id": "bad", "text": "a claim", "kind": "docking", "systems": ["MOR"], "max_energy": 0.0,
             "interactions": ["salt_bridge:D3.32", entry]}
    with pytest.raises(ConfigError, match=r"^claim 'bad' \(docking\): interactions entry " + message):
        load_workflow(OFFLINE, {"claims": [table]})

"""Issue 22: a tie is not evidence (netpharm/ties.py), and vacuous claims are configuration errors.

Real data: tests/data/cytoscape/pfas_retinal135/ (README there): the 135-protein STRING export of
NHTOman/PFAS_Retinal, recorded with ``netpharm import`` and run through the network stage, and the HubbaTable
cytoHubba wrote for it in the same Cytoscape session (the published EcCentricity and EPC top 10 are read from
it, ranked by that column). The targets are the export's 135 nodes (derived: the study's query list is not
published), so every target pair is known and the verdicts are not weakened by coverage.
"""

from __future__ import annotations

import csv
import logging
from pathlib import Path
from typing import Any

import pytest
from helpers import OFFLINE_WORKFLOW, REPO, claim_from_table, copy_synthetic_run, run_claims

from netpharm.errors import ConfigError
from netpharm.registry import load_workflow
from netpharm.ties import boundary_tie

PFAS = REPO / "tests" / "data" / "cytoscape" / "pfas_retinal135"


def _hubba_top(method: str, n: int = 10) -> list[str]:
    """cytoHubba's top ``n`` by ``method`` from its HubbaTable (a .cytable: columns on line 2, data from line 6)."""
    rows = list(csv.reader((PFAS / "cytohubba_hubbatable.csv").read_text(encoding="utf-8").splitlines()))
    column = rows[1].index(method)
    return [r[0] for r in sorted(rows[5:], key=lambda r: -float(r[column]))][:n]


@pytest.fixture(scope="module")
def pfas_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The network stage on the real PFAS export (import recorded in a fresh cache; no bootstrap)."""
    from netpharm.network.imports import record_import
    from netpharm.network.tables import parse_string_table
    from netpharm.sources.cache import Cache
    from netpharm.workflow import run_workflow

    tmp = tmp_path_factory.mktemp("pfas")
    export = PFAS / "string_interactions_short.tsv"
    record_import(export, Cache(tmp / "cache"), "pfas-retinal135", 0.4, "unknown")
    nodes = parse_string_table(export.read_text(encoding="utf-8"), origin=str(export)).nodes
    (tmp / "targets.txt").write_text("\n".join(nodes) + "\n", encoding="utf-8")
    config = load_workflow(None, {
        "name": "pfas-retinal135", "targets": str(tmp / "targets.txt"), "offline": True,
        "cache_dir": str(tmp / "cache"), "stages": ["network"],
        "network": {"source": "import", "imports": ["pfas-retinal135"], "stability_cutoffs": [400],
                    "bootstrap": 0, "ppi_enrichment": False}})
    result = run_workflow(config, tmp / "run")
    assert not result.failed
    return result.run_dir


def _verdict(run: Path, **table: Any) -> Any:
    return run_claims(run, [claim_from_table(1, {"id": "x", "text": "t", **table})])[0]


# --- the rule on hand-made rankings ---------------------------------------------------------------
def test_boundary_tie_is_the_group_holding_position_n() -> None:
    ranks = {"a": 1, "b": 2, "c": 2, "d": 2, "e": 5}  # hand-made competition ranks
    tie, top3, top4, named3 = (boundary_tie(ranks, 2), boundary_tie(ranks, 3), boundary_tie(ranks, 4),
                               boundary_tie(ranks, 2, selected=3))
    assert tie is not None and top3 is not None and top4 is not None and named3 is not None
    assert tie.members == top3.members == top4.members == ("b", "c", "d") and tie.rank == 2
    assert not tie.decides  # 3 tied for a top 2
    assert top3.decides and top4.decides and named3.decides  # a top 3/4, or 3 proteins claimed within rank 2
    assert tie.rests_on(["a", "c", "e"]) == ["c"] and top3.rests_on(["c"]) == []
    assert tie.statement("MCC 4") == "3 proteins tie at MCC 4 for the top 2"


# --- the rule on the real PFAS export ---------------------------------------------------------------
def test_eccentricity_top10_on_a_50_protein_tie_is_not_supported(pfas_run: Path) -> None:
    published = _hubba_top("EcCentricity")
    v = _verdict(pfas_run, kind="top_hubs", method="EcCentricity", n=10, expected=published, ordered=False)
    assert "overlap 10/10 = 1.00" in v.evidence  # every published protein is in netpharm's top 10 ...
    assert v.verdict == "partially supported"  # ... but only through the tie
    assert v.reason.startswith("50 proteins tie at EcCentricity 0.25 for the top 10: the ranking cannot tell "
                               "SLC1A1, NMNAT1")
    assert "50 proteins tie at EcCentricity 0.25 for the top 10: the ranking cannot discriminate" in v.evidence
    assert v.data_completeness.startswith("complete: all 135 targets")


def test_clustering_coefficient_15_tie_for_a_top10_is_caught(pfas_run: Path) -> None:
    v = _verdict(pfas_run, kind="top_hubs", method="ClusteringCoefficient", n=10,
                 expected=_hubba_top("ClusteringCoefficient"), ordered=False)
    assert v.verdict == "partially supported"
    assert v.reason.startswith("15 proteins tie at ClusteringCoefficient 1 for the top 10")


def test_epc_top10_is_judged_without_a_tie(pfas_run: Path) -> None:
    """EPC (keep probability 0.08, 20,000 runs, seed 12345): no tie at the top; cytoHubba's 10 are the 10 here."""
    published = _hubba_top("EPC")
    assert published == ["TNF", "APOE", "CCL2", "IL1B", "MMP9", "TLR4", "PROM1", "CASP3", "ICAM1", "BCL2"]
    v = _verdict(pfas_run, kind="top_hubs", method="EPC", n=10, expected=published)
    assert "proteins tie at" not in v.evidence and "tie" not in v.reason
    assert "EPC top-10 here (ties included): TNF (1), APOE (2), IL1B (3), CCL2 (4), MMP9 (5), PROM1 (6), " \
           "CASP3 (7), ICAM1 (8), BCL2 (9), TLR4 (10)" in v.evidence
    # the cut is the expectation's, not the seed's: TLR4 and IL1A 2.1 standard errors apart
    assert "EPC is a Monte-Carlo mean (20000 reduced networks, seed 12345): at the cut TLR4 (#10) 32.9" in v.evidence
    assert "vs IL1A (#11) 32.49 ± 0.16, 2.1 standard errors apart" in v.evidence
    assert (v.verdict, v.reason) == ("supported", "overlap 1.00 (supported = overlap ≥ 1)")
    # with cytoHubba's own 1,000 runs TLR4 (its 6th, 34.329) came 12th here: one draw's noise, not a difference
    v = _verdict(pfas_run, kind="hub", method="EPC", proteins=["TLR4"], max_rank=10)
    assert v.verdict == "supported" and "EPC rank TLR4 = 10 of 135" in v.evidence


def test_hub_and_most_connected_inside_the_eccentricity_tie(pfas_run: Path) -> None:
    v = _verdict(pfas_run, kind="hub", method="EcCentricity", proteins=["TNF"], max_rank=10)
    assert v.verdict == "partially supported"
    assert v.reason.startswith("50 proteins tie at EcCentricity 0.25 for the top 10: the ranking cannot tell TNF")
    # a protein decided by the ranking is untouched: TNF is Degree rank 1 alone
    v = _verdict(pfas_run, kind="hub", method="Degree", proteins=["TNF"], max_rank=10)
    assert v.verdict == "supported" and "proteins tie at" not in v.evidence
    # below the tie the ranking still discriminates: ABHD12 has EcCentricity rank 124
    assert _verdict(pfas_run, kind="hub", method="EcCentricity", proteins=["ABHD12"], max_rank=10).verdict == \
        "not supported"
    v = _verdict(pfas_run, kind="most_connected", protein="TNF", metric="Eccentricity")
    assert v.verdict == "partially supported" and "50 proteins tie at Eccentricity 4 for the top" in v.evidence


def test_module_whose_rank_is_a_tie(pfas_run: Path) -> None:
    # MCODE clusters 4, 5, 6 all score 4.0 (Cytoscape's MCODE app, tests/test_mcode.py): "cluster 5" is numbered
    # by node order, not by the data; clusters 1-3 have scores of their own
    import json

    modules = json.loads((pfas_run / "network" / "summary.json").read_text())["findings"]["modules"]
    five = next(m for m in modules if m["cluster"] == 5)
    v = _verdict(pfas_run, kind="module", proteins=five["members"], cluster=5)
    assert v.verdict == "partially supported"
    assert v.reason.startswith("3 clusters tie at MCODE score 4 for rank 4: the ranking cannot tell cluster 5")
    two = next(m for m in modules if m["cluster"] == 2)
    assert _verdict(pfas_run, kind="module", proteins=two["members"], cluster=2).verdict == "supported"


# --- vacuous claims: one-line errors at load; near-vacuous ones warn -----------------------------------
@pytest.mark.parametrize("claim, message", [
    ({"kind": "hub", "proteins": ["CREB1"], "max_rank": 10**20},
     r"^claim 'bad' \(hub\): max_rank = 100000000000000000000 but the network holds at most 13 proteins "
     r"\(13 targets\): every protein ranks within it, so the claim cannot fail; use a bound below 13$"),
    ({"kind": "hub", "proteins": ["CREB1"], "max_rank": 13}, r"max_rank = 13 but the network holds at most 13"),
    ({"kind": "top_hubs", "n": 13, "expected": ["OPRM1", "OPRD1", "GRIN1", "GRIN2B", "GRIA1", "GRIA2", "CACNA1A",
                                                "CACNA1B", "CAMK2A", "MAPK1", "AKT1", "CREB1", "BDNF"]},
     r"^claim 'bad' \(top_hubs\): n = 13 but the network holds at most 13 proteins"),
    ({"kind": "top_hubs", "n": 10, "expected": ["GRIN2B", "CREB1"]},
     r"^claim 'bad' \(top_hubs\): 'expected' lists 2 proteins for a top 10: the overlap \(at most 2/10\) can never "
     r"reach min_overlap = 1, so the claim cannot be supported"),
    ({"kind": "top_hubs", "n": 2, "expected": ["GRIN2B", "CREB1", "BDNF"]},
     r"'expected' lists 3 proteins for a top 2; list at most n"),
])
def test_vacuous_claim_is_a_config_error(claim: dict[str, Any], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        load_workflow(OFFLINE_WORKFLOW, {"claims": [{"id": "bad", "text": "a claim", **claim}]})


def test_added_nodes_widen_the_bound() -> None:
    table = {"id": "wide", "text": "t", "kind": "hub", "proteins": ["CREB1"], "max_rank": 13}
    load_workflow(OFFLINE_WORKFLOW, {"claims": [table], "network": {"add_nodes": 20}})  # 33 proteins: may fail


def test_partial_top_list_with_a_matching_min_overlap_is_accepted() -> None:
    table = {"id": "some", "text": "t", "kind": "top_hubs", "n": 10, "expected": ["GRIN2B", "CREB1"],
             "min_overlap": 0.2}
    load_workflow(OFFLINE_WORKFLOW, {"claims": [table]})


def test_near_vacuous_bound_warns_once_naming_the_claim(caplog: pytest.LogCaptureFixture) -> None:
    table = {"id": "loose-hub", "text": "t", "kind": "hub", "proteins": ["CREB1"], "max_rank": 7}
    with caplog.at_level(logging.WARNING, logger="netpharm.verdict"):
        load_workflow(OFFLINE_WORKFLOW, {"claims": [table]})
        load_workflow(OFFLINE_WORKFLOW, {"claims": [table]})
    warned = [r.getMessage() for r in caplog.records if r.name == "netpharm.verdict"]
    assert warned == ["claim 'loose-hub' (hub): max_rank = 7 covers more than half of the at most 13 proteins of "
                      "the network (13 targets): the claim can barely fail"]
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="netpharm.verdict"):
        load_workflow(OFFLINE_WORKFLOW, {"claims": [{**table, "id": "tight-hub", "max_rank": 6}]})
    assert not [r for r in caplog.records if r.name == "netpharm.verdict"]


def test_vacuous_claim_cli_one_line_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from netpharm.cli.main import main

    text = OFFLINE_WORKFLOW.read_text(encoding="utf-8").replace("max_rank = 5", "max_rank = 100000000000000000000")
    assert "max_rank = 100000000000000000000" in text
    bad = tmp_path / "bad.toml"
    bad.write_text(text.replace('targets = "../targets.txt"', f'targets = "{REPO / "targets.txt"}"')
                   .replace('cache_dir = "../cache"', f'cache_dir = "{REPO / "cache"}"'), encoding="utf-8")
    assert main(["run", str(bad), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["netpharm: error: claim 'creb1-bdnf-hubs' (hub): max_rank = 100000000000000000000 but the network "
                   "holds at most 13 proteins (13 targets): every protein ranks within it, so the claim cannot fail; "
                   "use a bound below 13"]


def test_the_paper_claims_are_not_vacuous(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    # the paper's hub claim (MCC rank ≤ 5 of 13 targets) neither fails at load nor warns, and no tie decides it
    with caplog.at_level(logging.WARNING, logger="netpharm.verdict"):
        load_workflow(OFFLINE_WORKFLOW)
    assert not [r for r in caplog.records if r.name == "netpharm.verdict"]
    v = _verdict(copy_synthetic_run(tmp_path), kind="hub", proteins=["CREB1", "BDNF"], max_rank=5)
    assert v.verdict == "partially supported" and "proteins tie at" not in v.evidence

"""Issue 19's claim kinds (``network_size``, ``top_terms``, ``binding``) and the absent-protein rule, on the
hand-made run of tests/data/report/synthetic_run (its README: a hand-made run directory, 6 targets, OPRM1
uncovered) with hand-written tables named as such below. The real-data verdicts are in test_example_scutellaria.py.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from helpers import claim_from_table, run_claims

from netpharm.registry import stages
from netpharm.verdict import AuditFinding, RunView, Verdict, audit_claims

SYNTHETIC = Path(__file__).resolve().parent / "data" / "report" / "synthetic_run"


@pytest.fixture
def run(tmp_path: Path) -> Path:
    out = tmp_path / "run"
    shutil.copytree(SYNTHETIC, out)
    return out


def _verdict(run: Path, **table: Any) -> Verdict:
    return run_claims(run, [claim_from_table(1, {"id": "c", "text": "a claim", **table})])[0]


def _network(run: Path, **changes: Any) -> None:
    path = run / "network" / "summary.json"
    data = json.loads(path.read_text())
    data["findings"].update(changes)
    path.write_text(json.dumps(data))


# --- network_size -------------------------------------------------------------------------------------------------
def test_network_size_on_complete_and_partial_data(run: Path) -> None:
    # the hand-made network: 5 proteins with edges, 7 edges; OPRM1 uncovered (5 pairs unknown)
    v = _verdict(run, kind="network_size", nodes=5, edges=7)
    assert (v.verdict, v.reason) == ("partially supported",
                                     "the counts are equal on the covered targets; the unknown pairs could change them")
    _network(run, uncovered_targets=[], unknown_pairs=0, pair_counts={"edge": 7, "non_edge": 8, "unknown": 0})
    (run / "network" / "coverage.tsv").unlink()
    assert _verdict(run, kind="network_size", nodes=5, edges=7).verdict == "supported"
    wrong = _verdict(run, kind="network_size", edges=8)
    assert (wrong.verdict, wrong.reason) == ("not supported", "edges 8 stated, 7 here")


# --- the absent-protein rule --------------------------------------------------------------------------------------
def test_a_protein_outside_the_targets_is_absent_and_audited(run: Path) -> None:
    v = _verdict(run, kind="hub", proteins=["CREB1", "EGFR"], max_rank=3, method="Degree")
    assert v.verdict == "not supported"
    assert v.reason.startswith("absent from the network: EGFR (not among its 5 proteins with an interaction); ")
    claim = claim_from_table(1, {"id": "c", "text": "t", "kind": "hub", "proteins": ["CREB1", "EGFR"],
                                 "max_rank": 3, "method": "Degree"})
    assert audit_claims([claim], RunView(run, stages())) == [
        AuditFinding("absent_from_network", "c", "the study names EGFR (hub), not in its own network of 5 proteins "
                     "with an interaction and 7 edges", "error")]


def test_an_uncovered_target_is_unknown_not_absent(run: Path) -> None:
    v = _verdict(run, kind="most_connected", protein="OPRM1")  # OPRM1: a target without STRING data here
    assert (v.verdict, v.reason) == ("cannot be evaluated here", "no STRING data for OPRM1 in this run")


# --- top_terms (hand-written offline_BP.tsv: one best term, then 11 terms sharing one FDR, then one more) -----------
def _terms(run: Path) -> None:
    rows = ["category\tterm\tname\tfdr", "BP\tGO:0000001\tbest\t1e-06"]
    rows += [f"BP\tGO:00000{i:02d}\ttied {i}\t0.0001" for i in range(2, 13)]
    rows += ["BP\tGO:0000013\tlast\t0.01"]
    (run / "enrichment" / "offline_BP.tsv").write_text("\n".join(rows) + "\n")


def test_top_terms_ranks_and_the_tie_rule(run: Path) -> None:
    _terms(run)
    best = _verdict(run, kind="top_terms", category="BP", terms=["GO:0000001"], n=1)
    assert (best.verdict, best.reason) == ("supported", "the term is among the top 1 of BP by FDR, offline ORA")
    # rank 2 is shared by 11 terms: the top 3 cannot single out GO:0000002 (tie larger than n)
    tied = _verdict(run, kind="top_terms", category="BP", terms=["GO:0000002"], n=3)
    assert tied.verdict == "partially supported"
    assert tied.reason == ("GO:0000002 only within a tie of 11 terms larger than the top 3: the ranking cannot "
                           "discriminate")
    assert "11 terms tie at FDR 0.0001 for the top 3" in tied.evidence
    # with n = 12 the tie fits: every tied term is within the top 12
    assert _verdict(run, kind="top_terms", category="BP", terms=["GO:0000002"], n=12).verdict == "supported"
    last = _verdict(run, kind="top_terms", category="BP", terms=["GO:0000013", "GO:0000001"], n=12)
    assert (last.verdict, last.reason) == ("partially supported",
                                           "1 of 2 among the top 12 of BP by FDR, offline ORA; not: GO:0000013")
    absent = _verdict(run, kind="top_terms", category="BP", terms=["GO:9999999"], n=5)
    assert absent.verdict == "not supported" and "GO:9999999: not in the offline ORA table" in absent.evidence


# --- binding (the hand-made run's docking summary: MOR -7.1, DOR -6.5 in stand-ins, KOR failed) ----------------------
def test_binding_energy_within_tolerance_and_max_energy(run: Path) -> None:
    systems = json.loads((run / "docking" / "summary.json").read_text())["findings"]["systems"]
    dor = min(s["best_energy"] for s in systems if s["system"] == "DOR" and s["status"] == "ok")
    close = _verdict(run, kind="binding", ligand="morphine", system="DOR", energy=round(dor + 0.9, 2))
    far = _verdict(run, kind="binding", ligand="morphine", system="DOR", energy=round(dor + 1.1, 2))
    # DOR here is 4EJ4 standing in for the paper's 6PT2: at most partially supported, as for ``docking``
    assert (close.verdict, far.verdict) == ("partially supported", "not supported")
    assert close.reason == "|here − stated| ≤ 1 kcal/mol, but in the stand-in 4EJ4 for 6PT2"
    assert _verdict(run, kind="binding", ligand="morphine", system="DOR", max_energy=dor - 0.01).verdict == \
        "not supported"
    claim = claim_from_table(1, {"id": "c", "text": "t", "kind": "binding", "ligand": "morphine", "system": "DOR",
                                 "energy": round(dor + 1.1, 2)})
    rows = audit_claims([claim], RunView(run, stages()))
    assert [(r.check, r.subject, r.severity) for r in rows] == [("docking_score", "morphine in DOR", "warning")]
    assert _verdict(run, kind="binding", ligand="morphine", system="NOP", energy=-8.0).verdict == \
        "cannot be evaluated here"

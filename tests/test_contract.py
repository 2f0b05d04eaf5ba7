"""The typed stage contract: one registry, strict findings, one-way imports, a light CLI start-up."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import copy_synthetic_run

import netpharm.registry as registry
from netpharm.config import from_mapping, to_mapping
from netpharm.docking.findings import DockingFindings
from netpharm.enrichment.findings import EnrichmentFindings
from netpharm.errors import ConfigError, StageContractError
from netpharm.network.findings import NetworkFindings
from netpharm.nmda.findings import NmdaFindings
from netpharm.stage import read_outcome
from netpharm.verdict import RunView

sys.path.insert(0, str(Path(__file__).resolve().parent))
import layering  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
NUMERICAL = ("numpy", "pandas", "networkx", "numba", "rdkit", "scipy", "matplotlib", "igraph", "gemmi", "meeko",
             "requests")


# --- one registry -----------------------------------------------------------------------
def test_everything_derives_from_the_registry() -> None:
    names = registry.STAGE_NAMES
    assert names == ("compounds", "network", "enrichment", "ct_pathway", "docking", "nmda")
    assert registry.STEP_NAMES == (*names, "report")
    sections = [sec for s in registry.STAGES for sec in s.sections]
    assert sections == ["compounds", "network", "hubs", "enrichment", "docking", "nmda"]
    assert registry.WorkflowConfig().stages == (*names, "report")
    # the layering checker takes the stages and what they read from the registry itself
    assert layering.stage_reads() == {s.name: set(s.reads) for s in registry.STAGES}
    with pytest.raises(ConfigError, match=r"unknown stage\(s\) \['dock'\]"):
        registry.load_workflow(None, {"stages": ["network", "dock"]})


def test_fingerprint_covers_the_stages_read_transitively() -> None:
    assert registry.fingerprint_sections("network") == ("network", "hubs")
    assert registry.fingerprint_sections("enrichment") == ("network", "hubs", "enrichment")
    assert registry.fingerprint_sections("docking") == ("docking",)
    # the compound–target–pathway step owns no section: it runs on [compounds] and what it reads
    assert registry.fingerprint_sections("ct_pathway") == ("compounds", "network", "hubs", "enrichment")


def _summaries(run: Path) -> RunView:
    view = RunView(run, registry.STAGES)
    for findings in (NetworkFindings, EnrichmentFindings, DockingFindings, NmdaFindings):
        view.outcome(findings)  # read every summary now, as the report does
    return view


# --- strict, typed findings ----------------------------------------------------------------
def _copy(tmp_path: Path) -> Path:
    return copy_synthetic_run(tmp_path)


def test_summaries_read_back_into_typed_findings(tmp_path: Path) -> None:
    s = _summaries(_copy(tmp_path))
    net, dock, nmda = s.outcome(NetworkFindings), s.outcome(DockingFindings), s.outcome(NmdaFindings)
    assert net is not None and net.findings is not None
    assert net.findings.degree["GRIN2B"] == 4 and net.findings.hub_ranks["MCC"]["GRIN1"] == 5
    assert dock is not None and dock.findings is not None
    assert dock.findings.systems[0].asp332 == "A:ASP147" and dock.findings.redocking[0].rmsd == 0.8
    assert nmda is not None and nmda.findings is None and nmda.status == "not_run"
    # round trip: findings → JSON mapping → findings
    for findings in (NetworkFindings, EnrichmentFindings, DockingFindings):
        outcome = s.outcome(findings)
        assert outcome is not None
        again = from_mapping(type(outcome.findings), json.loads(json.dumps(to_mapping(outcome.findings))),
                             complete=True)
        assert again == outcome.findings


@pytest.mark.parametrize("stage, old, new", [("network", "degree", "degrees"), ("docking", "systems", "docked"),
                                             ("enrichment", "themes", "theme_list")])
def test_a_renamed_findings_field_fails_loudly(tmp_path: Path, stage: str, old: str, new: str) -> None:
    run = _copy(tmp_path)
    path = run / stage / "summary.json"
    data = json.loads(path.read_text())
    data["findings"][new] = data["findings"].pop(old)
    path.write_text(json.dumps(data))
    with pytest.raises(StageContractError, match=rf"{stage}/summary\.json: findings: unknown key\(s\) \['{new}'\]"):
        _summaries(run)
    del data["findings"][new]
    path.write_text(json.dumps(data))
    with pytest.raises(StageContractError, match=rf"missing key\(s\) \['{old}'\]"):
        _summaries(run)


def test_a_renamed_nested_field_fails_loudly(tmp_path: Path) -> None:
    run = _copy(tmp_path)
    path = run / "docking" / "summary.json"
    data = json.loads(path.read_text())
    data["findings"]["systems"][0]["energy"] = data["findings"]["systems"][0].pop("best_energy")
    path.write_text(json.dumps(data))
    with pytest.raises(StageContractError, match=r"findings\.systems\[0\]: unknown key\(s\) \['energy'\]"):
        read_outcome(path, registry.stage("docking"))


def test_every_stage_returns_its_findings_type() -> None:
    """Each stage's run function is annotated with its own findings type (checked by mypy too)."""
    import typing

    for s in registry.STAGES:
        hints = typing.get_type_hints(s.load_run())
        assert typing.get_args(hints["return"]) == (s.findings,), s.name


# --- one-way imports ------------------------------------------------------------------------
def test_import_layering() -> None:
    assert layering.check() == []
    graph = layering.graph()
    assert "network" not in graph["hubs"] and "network" not in graph["graphs"]
    assert graph["config"] <= {"errors", "io"} and graph["stage"] <= {"config", "errors", "io", "sources"}


def test_layering_checker_catches_an_upward_import() -> None:
    assert layering.violation("netpharm.hubs.rank", "netpharm.network.paths") is not None
    assert layering.violation("netpharm.config", "netpharm.docking.config") is not None
    assert layering.violation("netpharm.docking.stage", "netpharm.network.findings") is not None  # not read
    assert layering.violation("netpharm.report.build", "netpharm.network.findings") is None
    assert layering.violation("netpharm.network.claims", "netpharm.report.build") is not None
    assert layering.violation("netpharm.enrichment.stage", "netpharm.network.stage") is not None


@pytest.mark.parametrize("argv", [["--version"], ["--help"], ["run", "--help"]])
def test_cli_start_up_loads_no_numerical_stack(argv: list[str]) -> None:
    code = ("import sys\nfrom netpharm.cli.main import main\n"
            f"try:\n    main({argv!r})\nexcept SystemExit:\n    pass\n"
            f"print(sorted({{m.split('.')[0] for m in sys.modules}} & set({NUMERICAL!r})))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=120,
                         env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"}, check=True).stdout
    assert out.strip().splitlines()[-1] == "[]"


def test_loading_a_workflow_loads_no_numerical_stack() -> None:
    code = ("import sys\nfrom netpharm.registry import load_workflow\n"
            "load_workflow('workflows/microdiscectomy-offline.toml')\n"
            f"print(sorted({{m.split('.')[0] for m in sys.modules}} & set({NUMERICAL!r})))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=120,
                         env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"}, check=True).stdout
    assert out.strip() == "[]"


def _add_compounds_summary(run: Path) -> None:
    """A hand-made compounds summary: two lists sharing GRIN1 as written and CREB1 only after a rename."""
    from netpharm.compounds.ctnetwork import build_ct_graph, summarise
    from netpharm.compounds.druglike import CompoundInput, drug_likeness, mol_from_smiles
    from netpharm.compounds.findings import CompoundRecord, CompoundsFindings, SourceRecord
    from netpharm.io import write_json_atomic
    from netpharm.stage import StageOutcome

    sources = (SourceRecord("Swiss", "compound", "swiss.csv", "0" * 64, "", "swisstargetprediction", "p > 0", 3, 3,
                            3, 3), SourceRecord("GeneCards", "disease", "gc.csv", "1" * 64, "", "genecards", "≥ median",
                                                4, 2, 2, 2))
    findings = CompoundsFindings(
        sources=sources, compounds=(CompoundRecord("wogonin", ("Swiss",), ("AKT1", "CREB1", "GRIN1")),),
        compound_targets=("AKT1", "CREB1", "GRIN1"), disease_targets=("CREB1", "GRIN1"),
        common_targets=("CREB1", "GRIN1"), intersection_size=2, written_intersection_size=1,
        written_common_targets=("GRIN1",), used_as_targets=True,
        renamed={"CREB": "CREB1"}, unmatched=(), ambiguous={}, figure="", gene_table="human_genes_xref.tsv.gz",
        ct_network=summarise(build_ct_graph([("wogonin", "AKT1"), ("wogonin", "CREB1"), ("wogonin", "GRIN1")])),
        # wogonin's SMILES (PubChem CID 5281703), for the drug-likeness fields
        drug_likeness=drug_likeness([CompoundInput("wogonin", mol_from_smiles("COc1c(O)cc(O)c2c(=O)cc(-c3ccccc3)oc12"),
                                                   "SMILES")]))
    write_json_atomic(run / "compounds" / "summary.json", StageOutcome("compounds", "ok", findings=findings).to_json())


def test_every_claim_kind_reads_its_findings_on_the_hand_made_run(tmp_path: Path) -> None:
    """Each evaluator runs on typed findings: a findings field renamed in a dataclass but still read by an
    evaluator (or by the report) raises here, not a silent "cannot be evaluated"."""
    from helpers import KINDS, claim_from_table, run_claims

    from netpharm.report.build import build_report

    params = {"most_connected": {"protein": "GRIN2B"}, "hub": {"proteins": ["CREB1"], "max_rank": 5},
              "top_hubs": {"n": 3, "expected": ["GRIN2B", "CREB1", "GRIN1"]}, "module": {"proteins": ["GRIN2B", "AKT1"]},
              "core_targets": {"proteins": ["CREB1"], "rounds": 2},
              "ppi_enrichment": {}, "enriched": {"category": "BP", "terms": ["GO:0007268"]},
              "docking": {"systems": ["MOR"], "max_energy": 0.0, "contact": "D3.32"},
              "redocking": {"case": "1PGP"}, "pore_ion": {"site": "N-site"}, "intersection": {"size": 1},
              "ct_degree": {"node": "wogonin", "degree": 3}, "drug_like": {"compounds": ["wogonin"],
                                                                           "rule": "lipinski"},
              "network_size": {"nodes": 5}, "binding": {"ligand": "morphine", "system": "MOR", "max_energy": 0.0},
              "top_terms": {"category": "BP", "terms": ["GO:0007268"], "n": 5}}
    assert set(params) == set(KINDS)
    run = _copy(tmp_path)
    _add_compounds_summary(run)
    claims = [claim_from_table(i, {"id": k, "text": k, "kind": k, **p}) for i, (k, p) in enumerate(params.items(), 1)]
    verdicts = {v.kind: v.verdict for v in run_claims(run, claims)}
    assert verdicts == {"most_connected": "partially supported", "hub": "partially supported",
                        "top_hubs": "partially supported", "module": "partially supported",
                        "core_targets": "partially supported", "ppi_enrichment": "cannot be evaluated here",
                        "enriched": "supported", "docking": "partially supported", "redocking": "supported",
                        "pore_ion": "cannot be evaluated here", "intersection": "partially supported",
                        "ct_degree": "supported", "drug_like": "supported", "binding": "partially supported",
                        "network_size": "partially supported", "top_terms": "supported"}
    assert len(build_report(run).verdicts) == 7  # the report reads every stage's findings too

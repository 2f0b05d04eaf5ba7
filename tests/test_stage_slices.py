"""Each stage owns its whole story: a new stage is one package plus one registry line.

The tiny stage in ``tests/tinystage/`` (hand-made: it measures the target symbols) is registered,
run by the workflow, reported and claimed, without a line of ``netpharm/report`` knowing of it;
and the checks the project runs on itself (imports one way, no circle, file names spelled only by
their stage, one verdict vocabulary, a plain WorkflowConfig) hold.
"""

from __future__ import annotations

import ast
import csv
import dataclasses
import json
import sys
from pathlib import Path

import pytest

import netpharm.registry as registry
from netpharm.errors import ConfigError
from netpharm.verdict import VERDICTS, ClaimKind
from netpharm.workflow import run_workflow

TESTS = Path(__file__).resolve().parent
sys.path.insert(0, str(TESTS))
import layering  # noqa: E402
import tinystage  # noqa: E402

NETPHARM = TESTS.parent / "netpharm"


@pytest.fixture
def with_tiny_stage(monkeypatch: pytest.MonkeyPatch) -> None:
    """The registry line a new stage adds."""
    monkeypatch.setattr(registry, "STAGES", (*registry.STAGES, tinystage.STAGE))


def _workflow(tmp_path: Path, protein: str) -> registry.WorkflowConfig:
    return registry.load_workflow(None, {
        "name": "tiny", "target_list": ["OPRM1", "GRIN2B", "BDNF"], "offline": True,
        "cache_dir": str(tmp_path / "cache"), "stages": ["tiny", "report"],
        "claims": [{"id": "longest", "text": "GRIN2B has the longest name", "kind": "longest_symbol",
                    "protein": protein}]})


def test_a_new_stage_is_registered_run_reported_and_claimed(tmp_path: Path, with_tiny_stage: None) -> None:
    result = run_workflow(_workflow(tmp_path, "GRIN2B"), tmp_path / "run")
    assert {n: o.status for n, o in result.outcomes.items()} == {"tiny": "ok", "report": "ok"}
    summary = json.loads((tmp_path / "run" / "tiny" / "summary.json").read_text())
    assert summary["findings"] == {"n_targets": 3, "longest": "GRIN2B"}
    with open(tmp_path / "run" / "report" / "verdict.tsv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    assert [(r["id"], r["verdict"], r["evidence"]) for r in rows] == [("longest", "supported",
                                                                       "longest of 3: GRIN2B")]
    page = (tmp_path / "run" / "report" / "report.html").read_text(encoding="utf-8")
    assert '<a href="#tiny">Symbol lengths</a>' in page and '<section id="tiny">' in page
    assert "Longest symbol: GRIN2B" in page and "<td>GRIN2B</td>\n      <td>6</td>" in page
    assert '<a href="../tiny/lengths.tsv">lengths.tsv</a>' in page
    # its section stands between the inputs and the files, like every stage's
    assert page.index('<section id="inputs">') < page.index('<section id="tiny">') < page.index('<section id="files">')


def test_the_new_claim_kind_is_judged_not_refused_on_a_protein_outside_the_targets(tmp_path: Path,
                                                                                    with_tiny_stage: None) -> None:
    # issue 19: a protein the paper names but the targets lack is a verdict, not a configuration error
    result = run_workflow(_workflow(tmp_path, "CREB1"), tmp_path / "run")
    assert not result.failed
    with open(tmp_path / "run" / "report" / "verdict.tsv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    assert [(r["id"], r["verdict"], r["evidence"]) for r in rows] == [("longest", "not supported",
                                                                       "longest of 3: GRIN2B")]


def test_an_unregistered_stage_and_kind_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"unknown stage\(s\) \['tiny'\]"):
        _workflow(tmp_path, "GRIN2B")
    with pytest.raises(ConfigError, match=r"unknown kind 'longest_symbol'"):
        registry.load_workflow(None, {"target_list": ["A1"], "stages": ["report"], "claims": [
            {"id": "x", "text": "x", "kind": "longest_symbol", "protein": "A1"}]})


# --- the project's checks on itself ------------------------------------------------------
def test_imports_flow_one_way_with_no_circle() -> None:
    assert layering.check() == []
    assert layering.circles() == []


def test_layering_sees_type_checking_imports_and_module_strings(tmp_path: Path) -> None:
    assert layering.violation("netpharm.config", "netpharm.registry") is not None
    assert layering.violation("netpharm.present.page", "netpharm.network.findings") is not None
    assert layering.violation("netpharm.enrichment.stage", "netpharm.network.config") is None  # it reads network
    assert layering.violation("netpharm.docking.stage", "netpharm.network.findings") is not None  # it does not
    assert layering.violation("netpharm.report.build", "netpharm.network.section") is None
    source = ("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from netpharm.registry import X\n"
              "import importlib\nimportlib.import_module('netpharm.workflow')\n")
    probe = layering.ROOT / "_probe_layering.py"
    try:
        probe.write_text(source, encoding="utf-8")
        found = [d for _, d in layering.imports_of(probe)]
    finally:
        probe.unlink()
    assert found == ["netpharm.registry", "netpharm.workflow"]


def test_no_module_outside_a_stage_spells_its_file_names() -> None:
    names = layering.stage_file_names()
    assert {"edges.tsv", "nodes.tsv", "hubs.tsv", "coverage.tsv"} <= names["network"]
    assert {"results.tsv", "results.sqlite"} <= names["docking"]
    assert layering.file_name_leaks() == []


def test_workflow_config_is_a_plain_dataclass_of_the_registered_sections() -> None:
    fields = [f.name for f in dataclasses.fields(registry.WorkflowConfig)]
    sections = [sec for s in registry.STAGES for sec in s.sections]
    assert fields[-len(sections) - 1:] == [*sections, "report"]
    hints = {f.name: f.type for f in dataclasses.fields(registry.WorkflowConfig)}
    assert {sec: hints[sec] for sec in sections} == {sec: cls.__name__ for s in registry.STAGES
                                                     for sec, cls in s.sections.items()}
    assert registry.WorkflowConfig().stages == (*registry.STAGE_NAMES, "report")


def test_one_verdict_vocabulary_and_every_kind_in_its_stage() -> None:
    assert VERDICTS == ("supported", "not supported", "partially supported", "cannot be evaluated here")
    kinds = registry.registered_claim_kinds()
    assert set(kinds) == {"most_connected", "hub", "top_hubs", "module", "core_targets", "ppi_enrichment", "enriched",
                          "docking", "redocking", "pore_ion", "intersection", "ct_degree", "drug_like",
                          "network_size", "binding", "top_terms"}
    for kind, cls in kinds.items():
        assert issubclass(cls, ClaimKind) and dataclasses.is_dataclass(cls)
        assert cls.__module__.startswith(f"netpharm.{cls.stage}.claims"), kind
    quoted = [p for p in NETPHARM.rglob("*.py") if p.name != "verdict.py"
              and '"cannot be evaluated here", ' in p.read_text(encoding="utf-8")]
    assert quoted == []  # the four labels are listed once


def test_claims_and_sections_read_findings_as_typed_objects() -> None:
    """No module turns findings back into dicts to read them with ``.get``."""
    offenders = []
    for path in [*NETPHARM.glob("*/claims.py"), *NETPHARM.glob("*/section.py"), *NETPHARM.glob("report/*.py")]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in (
                    "asdict", "to_mapping", "vars"):
                offenders.append(f"{path.relative_to(NETPHARM)}:{node.lineno}")
    assert offenders == []

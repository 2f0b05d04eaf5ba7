"""``netpharm import --query``: an export's declared query (issue 22, part 3), on the real Scutellaria/RCC study.

Data: ``tests/data/studies/scutellaria_rcc53/`` (README there): the study's STRING export (cut-off 0.7, 53 proteins)
and its 55-target query list. Hand-checked on the files: ABCC2, TYR and VEGFA are queried but absent, COL18A1 is in
the export but not queried; TP53 has degree 40, the next (AKT1, BCL2) 32 — the study's own hub_genes.csv.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest

from netpharm.cli.main import main
from netpharm.errors import ConfigError, InputError
from netpharm.network.build import network_from_imports, record_import
from netpharm.network.config import NetworkConfig
from netpharm.network.files import ABSENT_WITH_PARTNER, ISOLATED, NON_EDGE, NOT_QUERIED, UNKNOWN
from netpharm.sources.cache import Cache
from netpharm.targets import read_targets

DATA = Path(__file__).resolve().parent / "data" / "studies" / "scutellaria_rcc53"
EXPORT = DATA / "string_interactions.tsv"
QUERY = DATA / "query_targets55.txt"
ABSENT = ["ABCC2", "VEGFA", "TYR"]   # the query's order

WORKFLOW = """
name = "scutellaria-query"
targets = "{targets}"
species = 9606
offline = true
cache_dir = "{cache}"
stages = ["network", "report"]

[network]
source = "import"
imports = ["{label}"]
required_score = 700
stability_cutoffs = [700]
bootstrap = 0
ppi_enrichment = false

[[claims]]
id = "tp53-most-connected"
text = "hub_genes.csv: TP53 has the highest degree (40)."
kind = "most_connected"
protein = "TP53"
"""


def _import(cache: Path, label: str, *extra: str) -> None:
    assert main(["import", str(EXPORT), "--label", label, "--cutoff", "0.7", "--cache", str(cache), *extra]) == 0


def _run(tmp: Path, label: str) -> Path:
    from netpharm.registry import load_workflow
    from netpharm.workflow import run_workflow

    toml = tmp / f"{label}.toml"
    toml.write_text(WORKFLOW.format(targets=QUERY, cache=tmp / "cache", label=label), encoding="utf-8")
    result = run_workflow(load_workflow(toml), tmp / f"run-{label}")
    assert not result.failed
    return result.run_dir


def _verdict(run_dir: Path) -> tuple[str, str]:
    with (run_dir / "report" / "verdict.tsv").open(encoding="utf-8", newline="") as fh:
        row = next(r for r in csv.DictReader(fh, delimiter="\t") if r["id"] == "tp53-most-connected")
    return row["verdict"], row["reason"]


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    tmp = tmp_path_factory.mktemp("scutellaria")
    _import(tmp / "cache", "scut-query", "--query", str(QUERY))
    _import(tmp / "cache", "scut-plain")
    return tmp, _run(tmp, "scut-query"), _run(tmp, "scut-plain")


def test_query_recorded_with_the_import(runs: tuple[Path, Path, Path]) -> None:
    tmp = runs[0]
    metas = {e["label"]: e for e in Cache(tmp / "cache").list_entries() if e.get("kind") == "import"}
    assert metas["scut-query"]["query"] == read_targets(QUERY)
    assert len(metas["scut-query"]["query"]) == 55
    assert metas["scut-query"]["query_file"] == QUERY.name
    assert "query" not in metas["scut-plain"]     # no query: the metadata of every earlier import


def test_tp53_most_connected_supported_with_the_query(runs: tuple[Path, Path, Path]) -> None:
    _, with_query, without = runs
    verdict, reason = _verdict(with_query)
    assert verdict == "supported"
    assert reason == "TP53 alone has the highest degree"
    # without a declared query the conservative rule stays: 3 targets uncovered, their pairs unknown
    assert _verdict(without)[0] == "partially supported"


def test_isolated_proteins_are_known_non_edges(runs: tuple[Path, Path, Path]) -> None:
    _, with_query, without = runs
    cov = pd.read_csv(with_query / "network" / "coverage.tsv", sep="\t")
    assert len(cov) == 55 * 54 // 2
    # 379 exported pairs, 2 of them with COL18A1 (not a target); every other pair is a known non-edge
    assert cov["status"].value_counts().to_dict() == {"edge": 377, NON_EDGE: 1485 - 377}
    vegfa = cov[(cov["name_a"] == "VEGFA") | (cov["name_b"] == "VEGFA")]
    assert len(vegfa) == 54 and set(vegfa["status"]) == {NON_EDGE}
    assert "VEGFA queried but absent: isolated at ≥ 0.700" in vegfa["evidence"].iloc[0]
    nodes = pd.read_csv(with_query / "network" / "nodes.tsv", sep="\t")
    assert len(nodes) == 55
    assert nodes.set_index("name").loc[ABSENT, "Degree"].tolist() == [0, 0, 0]
    assert nodes.set_index("name")["Degree"].nlargest(3).to_dict() == {"TP53": 40, "AKT1": 32, "BCL2": 32}
    plain = pd.read_csv(without / "network" / "coverage.tsv", sep="\t")
    assert plain["status"].value_counts()[UNKNOWN] == 3 * 52 + 3


def test_audit_table_and_findings(runs: tuple[Path, Path, Path]) -> None:
    _, with_query, without = runs
    audit = pd.read_csv(with_query / "network" / "query_audit.tsv", sep="\t", keep_default_na=False)
    assert list(zip(audit["protein"], audit["kind"])) == [("COL18A1", NOT_QUERIED), *((p, ISOLATED) for p in ABSENT)]
    assert not (without / "network" / "query_audit.tsv").exists()
    import json

    summary = json.loads((with_query / "network" / "summary.json").read_text(encoding="utf-8"))
    findings = summary["findings"]
    assert findings["query_isolated"] == sorted(ABSENT)
    assert findings["query_disagreements"] == [
        "COL18A1 is in import:scut-query (string_interactions.tsv) but not in its declared query"]
    assert any("COL18A1" in m for m in summary["missing"])
    html = (with_query / "report" / "report.html").read_text(encoding="utf-8")
    assert "Declared query" in html and "COL18A1 is in import:scut-query" in html


def test_absent_with_partner_hand_made(tmp_path: Path) -> None:
    """Hand-made: the real export without its 11 HMOX1 rows, declared with the 55-target query, next to the real
    export (same file: same STRING version, v12.x as its README shows). HMOX1 is then queried, absent, and the
    real export lists it with AKT1 (0.796) and 10 more exported proteins at ≥ 0.7: a disagreement, not isolation."""
    lines = EXPORT.read_text(encoding="utf-8").splitlines(keepends=True)
    hmox1 = [line for line in lines[1:] if "HMOX1\t" in line]
    assert len(hmox1) == 11
    variant = tmp_path / "string_interactions_without_HMOX1_hand_made.tsv"
    variant.write_text("".join(line for line in lines if line not in hmox1), encoding="utf-8")
    cache = Cache(tmp_path / "cache")
    record_import(variant, cache, "variant", 0.7, "12.x", query=read_targets(QUERY), query_file=QUERY.name)
    record_import(EXPORT, cache, "real", 0.7, "12.x")
    network = network_from_imports(read_targets(QUERY), ["variant", "real"], cache, 700, species=9606)
    audit = network.query_audit
    assert audit is not None
    partnered = audit[audit["kind"] == ABSENT_WITH_PARTNER]
    expected = sorted(line.split("\t")[1 - line.split("\t").index("HMOX1")] for line in hmox1)
    assert sorted(partnered["partner"]) == expected and set(partnered["protein"]) == {"HMOX1"}
    akt1 = partnered[partnered["partner"] == "AKT1"].iloc[0]
    assert akt1["score"] == pytest.approx(0.796)
    assert akt1["detail"] == ("HMOX1 was queried and is absent from import:variant, although import:real lists "
                              "HMOX1–AKT1 at 0.796 ≥ its cut-off 0.700 and AKT1 is in it")
    assert list(audit[audit["kind"] == ISOLATED]["protein"]) == ABSENT
    # the same pairs are conflicts in the coverage: an edge against a proven absence
    conflicts = network.coverage.conflicts
    assert len(conflicts) == 11 and all("holds both proteins without it" in c for c in conflicts["conflict"])


def test_a_reference_import_audits_the_query_without_joining_the_network(tmp_path: Path) -> None:
    """The same hand-made variant (the real export without its 11 HMOX1 rows), with the real export as a
    ``network.reference_imports`` entry: the same 11 partners are audited, but the reference adds no node,
    edge or coverage to the network (no conflicts), and the audit row names it a reference with its version."""
    lines = EXPORT.read_text(encoding="utf-8").splitlines(keepends=True)
    variant = tmp_path / "string_interactions_without_HMOX1_hand_made.tsv"
    variant.write_text("".join(line for line in lines if "HMOX1\t" not in line), encoding="utf-8")
    cache = Cache(tmp_path / "cache")
    record_import(variant, cache, "variant", 0.7, "12.x", query=read_targets(QUERY), query_file=QUERY.name)
    record_import(EXPORT, cache, "real", 0.7)  # no declared version: the row says so and compares the scores
    alone = network_from_imports(read_targets(QUERY), ["variant"], cache, 700, species=9606)
    network = network_from_imports(read_targets(QUERY), ["variant"], cache, 700, species=9606, references=["real"])
    assert network.query_audit is not None and alone.query_audit is not None
    partnered = network.query_audit[network.query_audit["kind"] == ABSENT_WITH_PARTNER]
    assert len(partnered) == 11 and set(partnered["protein"]) == {"HMOX1"}
    assert partnered[partnered["partner"] == "AKT1"].iloc[0]["detail"] == (
        "HMOX1 was queried and is absent from import:variant, although reference import:real lists HMOX1–AKT1 at "
        "0.796 ≥ its cut-off 0.700 and AKT1 is in it (STRING version 12.x here, not recorded there; of the 368 "
        "pairs both list, 368 score the same here, 0 higher, 0 lower)")
    assert "HMOX1" in alone.query_audit[alone.query_audit["kind"] == ISOLATED]["protein"].tolist()
    # the network itself is the variant's alone: same nodes, edges, coverage; no conflicts
    assert sorted(network.graph.edges()) == sorted(alone.graph.edges()) and network.graph.degree("HMOX1") == 0
    assert len(network.coverage.conflicts) == 0 and len(network.sources) == 1


def test_reference_imports_misconfigured_are_one_line() -> None:
    with pytest.raises(ConfigError, match="needs network.source = 'import'"):
        NetworkConfig(reference_imports=("real",))
    with pytest.raises(ConfigError, match="real is also in network.imports"):
        NetworkConfig(source="import", imports=("real",), reference_imports=("real",))


def test_query_refused_on_a_partial_listing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(InputError, match="--partial-listing"):
        record_import(EXPORT, Cache(tmp_path), "x", 0.7, query=["TP53"], complete_listing=False)
    code = main(["import", str(EXPORT), "--label", "x", "--query", str(QUERY), "--partial-listing",
                 "--cache", str(tmp_path)])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and len(err) == 1 and "--query declares one query's export" in err[0]


def test_query_file_errors_are_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "query.txt"
    bad.write_text("Target Name\nTP53\n", encoding="utf-8")   # overlapping_targets.csv's header, unstripped
    code = main(["import", str(EXPORT), "--label", "x", "--query", str(bad), "--cache", str(tmp_path)])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and len(err) == 1 and "line 1: 'Target Name' is not a gene symbol" in err[0]

"""The workflow runner: targets, run-directory safety, resume, identical reruns, manifest."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from netpharm.errors import InputError, OutputExistsError
from netpharm.registry import load_workflow
from netpharm.targets import read_targets
from netpharm.workflow import run_workflow

OFFLINE = "workflows/microdiscectomy-offline.toml"
TABLES = ["nodes.tsv", "hubs.tsv", "top_hubs.tsv", "edges.tsv", "coverage.tsv", "network_summary.tsv",
          "rank_stability.tsv", "network.graphml", "network.sif"]


def test_read_targets_dedupes_skips_comments_and_blank_lines(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "t.txt"
    path.write_text("# header\nGRIN2B\n\n  BDNF  # neurotrophin\nGRIN2B\n")
    assert read_targets(path) == ["GRIN2B", "BDNF"]
    assert "duplicate target GRIN2B" in caplog.text


@pytest.mark.parametrize("text, message", [("", "no targets"), ("# only a comment\n\n", "no targets"),
                                           ("GRIN2B\nBDNF;CREB1\n", "line 2: 'BDNF;CREB1' is not a gene symbol")])
def test_read_targets_errors(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "t.txt"
    path.write_text(text)
    with pytest.raises(InputError, match=message):
        read_targets(path)
    with pytest.raises(InputError, match="not found"):
        read_targets(tmp_path / "missing.txt")


def run_network(repo: Path, out: Path, **kwargs: object):
    config = load_workflow(repo / OFFLINE, {"network": {"bootstrap": 20}})
    return run_workflow(config, out, stages=["network"], **kwargs)


def test_offline_network_stage_twice_gives_identical_tables(repo: Path, tmp_path: Path) -> None:
    first = run_network(repo, tmp_path / "a")
    run_network(repo, tmp_path / "b")
    outcome = first.outcomes["network"]
    assert outcome.status == "partial"
    assert any("2 of 13 targets have no STRING data here: OPRM1, OPRD1" in m for m in outcome.missing)
    assert any("35 of 78 target pairs" in m for m in outcome.missing)
    assert any("PPI-enrichment" in m and "not in cache" in m for m in outcome.missing)
    for name in TABLES:
        assert (tmp_path / "a/network" / name).read_bytes() == (tmp_path / "b/network" / name).read_bytes(), name
    findings = outcome.findings
    # 11 targets (GRIA1/GRIA2 from the anaciur exports): GRIN2B has 9 partners, hand-counted in
    # shared/data/string/string_edges_among_targets.tsv + more_v12_exports/pair_coverage_delta.tsv.
    assert findings.most_connected == ("GRIN2B",) and findings.degree["GRIN2B"] == 9
    assert findings.pair_counts == {"edge": 29, "non_edge": 14, "unknown": 35} and findings.conflicts == ()
    assert findings.mcc_ranks["CREB1"] == findings.mcc_ranks["BDNF"] == 4
    assert findings.hub_ranks["MCC"] == findings.mcc_ranks and findings.node_metrics["Degree"]["GRIN2B"] == 9.0
    # read back through the strict loader: the same typed findings
    resumed = run_network(repo, tmp_path / "a", resume=True).outcomes["network"]
    assert resumed.findings == findings


def test_manifest_records_provenance(repo: Path, tmp_path: Path) -> None:
    run_network(repo, tmp_path / "a")
    manifest = json.loads((tmp_path / "a/manifest.json").read_text())
    assert manifest["targets"][0] == "OPRM1" and len(manifest["targets"]) == 13
    entry = manifest["cache_entries"][0]
    assert entry["kind"] == "import" and len(entry["sha256"]) == 64
    assert manifest["seeds"]["epc_seed"] == 12345
    assert manifest["libraries"]["networkx"]
    assert manifest["stages"]["network"]["status"] == "partial"


def test_existing_run_is_refused_unless_resume_or_force(repo: Path, tmp_path: Path) -> None:
    run_network(repo, tmp_path / "a")
    with pytest.raises(OutputExistsError, match="--resume .* or --force"):
        run_network(repo, tmp_path / "a")
    resumed = run_network(repo, tmp_path / "a", resume=True)
    assert resumed.skipped == ["network"] and resumed.outcomes["network"].status == "partial"
    forced = run_network(repo, tmp_path / "a", force=True)
    assert forced.skipped == []


def test_foreign_directory_is_never_deleted(repo: Path, tmp_path: Path) -> None:
    foreign = tmp_path / "mine"
    foreign.mkdir()
    (foreign / "thesis.docx").write_text("precious")
    with pytest.raises(OutputExistsError):
        run_network(repo, foreign, force=True)
    assert (foreign / "thesis.docx").read_text() == "precious"


def test_resume_reruns_a_stage_whose_inputs_changed(repo: Path, tmp_path: Path) -> None:
    run_network(repo, tmp_path / "a")
    config = load_workflow(repo / OFFLINE, {"network": {"bootstrap": 20, "required_score": 700}})
    result = run_workflow(config, tmp_path / "a", stages=["network"], resume=True)
    assert result.skipped == []
    assert result.outcomes["network"].findings.required_score == 700


def _fingerprint_after(repo: Path, changes: dict) -> str:
    from netpharm import workflow

    config = load_workflow(repo / OFFLINE, changes)
    return workflow.stage_fingerprint(config, "enrichment", ["GRIN2B", "CREB1"])


def test_enrichment_fingerprint_covers_the_network_settings_it_reads(repo: Path) -> None:
    """Regression: enrichment asks STRING with [network]'s host and score, so on --resume a changed
    [network] must re-run it (main before the stage registry kept the stale enrichment: this test
    failed there)."""
    base = _fingerprint_after(repo, {})
    assert _fingerprint_after(repo, {"network": {"required_score": 700}}) != base
    assert _fingerprint_after(repo, {"network": {"string_host": "https://string-db.org/api"}}) != base
    assert _fingerprint_after(repo, {"enrichment": {"fdr_threshold": 0.01}}) != base
    assert _fingerprint_after(repo, {"docking": {"ga_runs": 2}}) == base  # not read by enrichment



def test_unknown_stage_in_stages_flag_is_an_error(repo: Path, tmp_path: Path) -> None:
    from netpharm.errors import ConfigError

    with pytest.raises(ConfigError, match=r"unknown stage 'netwrk'; choose from \['compounds', 'network', 'enrichment'"):
        run_workflow(load_workflow(repo / OFFLINE), tmp_path / "x", stages=["netwrk"])
    assert not (tmp_path / "x").exists()

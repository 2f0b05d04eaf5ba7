"""Network assembly from the shipped cache (real STRING export) and from STRING API answers."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import responses

from netpharm.errors import CacheMissError, IdentifierMappingError, ImportFormatError, InputError, NetworkError
from netpharm.network.build import (
    fetch_ppi_enrichment,
    import_request,
    load_import,
    network_from_api,
    network_from_imports,
    record_import,
)
from netpharm.sources.cache import Cache
from netpharm.sources.http import HttpClient
from netpharm.sources.string_db import StringClient
from netpharm.targets import read_targets

LABEL = "string-v12x-export-ahmad321"
COVERED = ["AKT1", "BDNF", "CACNA1A", "CACNA1B", "CAMK2A", "CREB1", "GRIN1", "GRIN2B", "MAPK1"]
UNCOVERED = ["OPRM1", "OPRD1", "GRIA1", "GRIA2"]


@pytest.fixture
def shipped(repo: Path) -> Cache:
    return Cache(repo / "cache", offline=True)


@pytest.fixture
def targets(repo: Path) -> list[str]:
    return read_targets(repo / "targets.txt")


def test_targets_file_is_the_papers_13(targets: list[str]) -> None:
    assert len(targets) == 13 and targets[0] == "OPRM1" and "GRIN2B" in targets


def test_shipped_import_gives_22_edges_14_non_edges_and_names_the_gaps(shipped: Cache, targets: list[str]) -> None:
    net = network_from_imports(targets, [LABEL], shipped, 400)
    assert net.coverage.counts() == {"edge": 22, "non_edge": 14, "unknown": 42}
    assert sorted(net.coverage.covered_targets) == COVERED
    assert sorted(net.coverage.uncovered_targets) == sorted(UNCOVERED)
    assert sorted(net.graph.nodes()) == COVERED      # uncovered targets are not invented as isolates
    assert net.graph.number_of_edges() == 22
    # A real score from the export (AKT1–BDNF 0.835, README of shared/data/string).
    assert net.graph["AKT1"]["BDNF"]["score"] == pytest.approx(0.835)
    unknown = net.coverage.unknown_pairs
    assert set(unknown["name_a"]) | set(unknown["name_b"]) >= set(UNCOVERED)
    assert net.lowest_known_score == pytest.approx(0.4)
    assert net.sources[0]["sha256"] == shipped.get(import_request(LABEL)).sha256


def test_higher_cutoff_filters_but_keeps_coverage(shipped: Cache, targets: list[str]) -> None:
    net = network_from_imports(targets, [LABEL], shipped, 700)
    assert 0 < net.graph.number_of_edges() < 22
    assert all(d["score"] >= 0.7 for *_, d in net.graph.edges(data=True))
    assert net.coverage.counts()["unknown"] == 42


def test_export_cut_above_required_score_leaves_absent_pairs_unknown(tmp_path: Path, repo: Path) -> None:
    cache = Cache(tmp_path / "c")
    record_import(repo / "tests/data/cytoscape/bashir_rat30_string_interactions_short.tsv", cache, "rat")
    parsed, entry = load_import("rat", cache)
    assert parsed.min_score >= 0.4
    nodes = parsed.nodes[:6]
    net = network_from_imports(nodes, ["rat"], cache, 150)  # export cut at >= 0.4 says nothing about 0.15
    assert net.coverage.counts()["non_edge"] == 0
    assert entry.meta["file_sha256"] == entry.sha256


def test_import_errors(tmp_path: Path, shipped: Cache) -> None:
    cache = Cache(tmp_path / "c")
    bad = tmp_path / "bad.tsv"
    bad.write_text("#node1\tnode2\tcombined_score\nA\tB\tzero\n")
    with pytest.raises(ImportFormatError, match="bad.tsv: line 2"):
        record_import(bad, cache, "x")
    with pytest.raises(InputError, match="not found"):
        record_import(tmp_path / "missing.tsv", cache, "x")
    with pytest.raises(CacheMissError, match="no import labelled 'nope'"):
        load_import("nope", shipped)
    with pytest.raises(NetworkError, match="none of the targets"):
        network_from_imports(["ZZZ1", "ZZZ2"], [LABEL], shipped, 400)


def test_same_label_different_file_needs_force(tmp_path: Path, repo: Path) -> None:
    cache = Cache(tmp_path / "c")
    first = repo / "tests/data/cytoscape/bashir_rat30_string_interactions_short.tsv"
    second = tmp_path / "copy.tsv"
    shutil.copy(first, second)
    second.write_text(second.read_text().replace("0.486", "0.487"))
    record_import(first, cache, "lbl")
    record_import(first, cache, "lbl")  # same file again: fine
    with pytest.raises(InputError, match="already holds"):
        record_import(second, cache, "lbl")
    record_import(second, cache, "lbl", force=True)


# Hand-made STRING API answers in STRING's documented TSV format (network-spec §3.2); not real STRING output.
IDS_TSV = ("queryIndex\tqueryItem\tstringId\tncbiTaxonId\ttaxonName\tpreferredName\tannotation\n"
           "0\tP1\t9606.ENSP1\t9606\tHomo sapiens\tP1\tprotein one\n"
           "1\tP2\t9606.ENSP2\t9606\tHomo sapiens\tP2\tprotein two\n"
           "2\tP3\t9606.ENSP3\t9606\tHomo sapiens\tP3\tprotein three\n")
NET_TSV = ("stringId_A\tstringId_B\tpreferredName_A\tpreferredName_B\tncbiTaxonId\tscore\tnscore\tfscore\t"
           "pscore\tascore\tescore\tdscore\ttscore\n"
           "9606.ENSP1\t9606.ENSP2\tP1\tP2\t9606\t0.9\t0\t0\t0\t0.1\t0.5\t0\t0.8\n"
           "9606.ENSP2\t9606.ENSP3\tP2\tP3\t9606\t0.45\t0\t0\t0\t0\t0\t0\t0.45\n")
PPI_TSV = ("number_of_nodes\tnumber_of_edges\taverage_node_degree\tlocal_clustering_coefficient\t"
           "expected_number_of_edges\tp_value\n3\t2\t1.33\t0\t1\t0.26\n")
API = "https://version-12-0.string-db.org/api"


@responses.activate
def test_network_from_api_all_pairs_known_and_cached_for_offline_rerun(tmp_path: Path) -> None:
    responses.post(f"{API}/tsv/get_string_ids", body=IDS_TSV)
    responses.post(f"{API}/tsv/network", body=NET_TSV)
    responses.post(f"{API}/json/version", body='[{"string_version": "12.0"}]')
    responses.post(f"{API}/tsv/ppi_enrichment", body=PPI_TSV)
    cache = Cache(tmp_path / "c")
    client = StringClient(cache, HttpClient(min_interval=0, retries=0), species=9606)
    net = network_from_api(["P1", "P2", "P3"], client, 400)
    assert net.coverage.counts() == {"edge": 2, "non_edge": 1, "unknown": 0}
    assert "12.0" in net.string_version
    ppi, why = fetch_ppi_enrichment(["P1", "P2", "P3"], client)
    assert why == "" and ppi["p_value"] == "0.26"
    sent = responses.calls[1].request.body
    assert "identifiers=9606.ENSP1%0D9606.ENSP2%0D9606.ENSP3" in sent
    for param in ("species=9606", "required_score=400", "network_type=functional", "add_nodes=0",
                  "caller_identity=netpharm"):
        assert param in sent
    # Offline rerun: identical answer from the cache, no HTTP call.
    calls = len(responses.calls)
    offline = StringClient(Cache(tmp_path / "c", offline=True), HttpClient(min_interval=0), species=9606)
    again = network_from_api(["P1", "P2", "P3"], offline, 400)
    assert len(responses.calls) == calls
    assert again.edges.equals(net.edges)


@responses.activate
def test_unknown_symbols_are_listed(tmp_path: Path) -> None:
    responses.post(f"{API}/tsv/get_string_ids", body=IDS_TSV)
    client = StringClient(Cache(tmp_path / "c"), HttpClient(min_interval=0, retries=0), species=9606)
    with pytest.raises(IdentifierMappingError, match="unknown to STRING .*: FOO1, BAR2"):
        network_from_api(["P1", "FOO1", "BAR2"], client, 400)


def test_offline_api_workflow_names_the_missing_request(tmp_path: Path) -> None:
    client = StringClient(Cache(tmp_path / "empty", offline=True), HttpClient(min_interval=0), species=9606)
    with pytest.raises(CacheMissError, match="get_string_ids.*identifiers=OPRM1,GRIN2B"):
        network_from_api(["OPRM1", "GRIN2B"], client, 400)
    ppi, why = fetch_ppi_enrichment(["OPRM1"], client)
    assert ppi is None and "not in cache (offline)" in why


@responses.activate
def test_api_lowercase_symbols_take_strings_names(tmp_path: Path) -> None:
    # Hand-made answer in STRING's format: STRING echoes the query item (p1) and gives its preferred name (P1).
    responses.post(f"{API}/tsv/get_string_ids", body=IDS_TSV.replace("0\tP1\t", "0\tp1\t"))
    responses.post(f"{API}/tsv/network", body=NET_TSV)
    responses.post(f"{API}/json/version", body='[{"string_version": "12.0"}]')
    client = StringClient(Cache(tmp_path / "c"), HttpClient(min_interval=0, retries=0), species=9606)
    net = network_from_api(["p1", "P2", "P3"], client, 400)
    assert net.symbol_matches == {"p1": "P1"} and net.targets == ["P1", "P2", "P3"]
    assert net.coverage.uncovered_targets == [] and net.graph.has_edge("P1", "P2")

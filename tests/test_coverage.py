"""Several STRING imports combined pair by pair: edge / non-edge / unknown / conflict, declared real columns,
version rule, species, case-insensitive symbols, and the full offline 13-target coverage.

Real data: tests/data/string_v12_more/ (anaciur/Pythonproject5 v12.0 web exports, anaciur/PSDExplorer v12.x API
network excerpt), tests/data/string461/ and tests/data/cytoscape/ (READMEs give provenance). Variants with a
changed score or a removed row are hand-made inside the tests from those files and named so.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from netpharm.errors import ImportFormatError, InputError, NetworkError
from netpharm.io import write_table
from netpharm.network.build import Network, network_from_imports, record_import
from netpharm.network.imports import load_import
from netpharm.network.tables import CHANNELS
from netpharm.registry import load_workflow
from netpharm.sources.cache import Cache
from netpharm.targets import read_targets
from netpharm.workflow import run_workflow

MORE = Path(__file__).resolve().parent / "data" / "string_v12_more"
NAMES_AND_SCORE = ["node1", "node2", "combined_score"]
OFFLINE = "workflows/microdiscectomy-offline.toml"


def _record(cache: Cache, path: Path, label: str, version: str = "12.0", **kwargs: object) -> None:
    record_import(path, cache, label, 0.4, version, species=9606, **kwargs)


@pytest.fixture
def cache(tmp_path: Path) -> Cache:
    """GRIA1 web export (v12.0, complete), 2nd_layer (v12.0, stacked) and the PSDExplorer API excerpt (v12.x)."""
    cache = Cache(tmp_path / "cache")
    _record(cache, MORE / "pythonproject5_GRIA1.tsv", "gria1")
    _record(cache, MORE / "pythonproject5_2nd_layer.tsv", "layer2", complete_listing=False)
    _record(cache, MORE / "psdexplorer_up_to_layer4_excerpt.tsv", "psd", "12.x", real_columns=NAMES_AND_SCORE)
    return cache


def _row(net: Network, a: str, b: str) -> pd.Series:
    table = net.coverage.table.set_index(["name_a", "name_b"])
    return table.loc[tuple(sorted((a, b)))]


# --- declared real columns ------------------------------------------------------------------------

def test_zero_channel_file_is_refused_unless_its_real_columns_are_declared(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "c")
    excerpt = MORE / "psdexplorer_up_to_layer4_excerpt.tsv"
    with pytest.raises(ImportFormatError, match=r"excerpt\.tsv: line 2: .* every channel is 0 .*--real-columns"):
        record_import(excerpt, cache, "psd", 0.4, "12.x")
    entry = record_import(excerpt, cache, "psd", 0.4, "12.x", real_columns=NAMES_AND_SCORE, species=9606)
    assert entry.meta["real_columns"] == ["name_a", "name_b", "score"] and entry.meta["species"] == 9606
    parsed, _ = load_import("psd", cache)
    assert len(parsed.edges) == 21 and parsed.edges[list(CHANNELS)].isna().all().all()
    assert (parsed.edges["string_id_a"] == "").all() and parsed.species is None
    # Real combined scores kept (GRIA1–GRIN1 0.907 in the file's row 14, README of shared more_v12_exports).
    assert parsed.edges.set_index(["name_a", "name_b"]).loc[("GRIA1", "GRIN1"), "score"] == 0.907


def test_edges_table_leaves_undeclared_columns_empty(cache: Cache, tmp_path: Path) -> None:
    net = network_from_imports(["GRIA1", "GRIN1", "GRIN2B"], ["psd"], cache, 400)
    path = write_table(tmp_path / "edges.tsv", net.edges)
    lines = path.read_text().splitlines()
    row = next(line for line in lines if line.startswith("GRIA1\tGRIN1\t"))
    assert row == "GRIA1\tGRIN1\t\t\t0.907" + "\t" * 8 + "\timport:psd\timport:psd"
    assert net.partial_columns["psd"][:2] == ["string_id_a", "string_id_b"]


# --- edge / non-edge / unknown --------------------------------------------------------------------

def test_edge_from_any_source_with_channels_from_the_web_export(cache: Cache) -> None:
    net = network_from_imports(["CAMK2A", "GRIA1", "GRIA2", "GRIN1"], ["psd", "gria1"], cache, 400)
    edge = net.edges.set_index(["name_a", "name_b"]).loc[("CAMK2A", "GRIA2")]
    # Listed by both; the row's channels come from the web export (real), not PSDExplorer's zeros.
    assert edge["score"] == 0.977 and edge["source"] == "import:gria1"
    assert edge["sources"] == "import:psd, import:gria1"
    assert edge["escore"] == 0.06 and edge["string_id_a"] == "9606.ENSP00000500386"
    # GRIA1–GRIN1 only in the API excerpt: an edge, channels missing.
    assert _row(net, "GRIA1", "GRIN1")["status"] == "edge"
    assert net.coverage.counts() == {"edge": 6, "non_edge": 0, "unknown": 0}
    assert net.coverage.conflicts.empty


def test_non_edge_only_from_a_complete_listing_at_or_below_the_required_score(cache: Cache) -> None:
    # In the GRIA1 web export CAMK2A and CNIH2 are both present without an edge (3 such pairs of 55).
    net = network_from_imports(["CAMK2A", "CNIH2", "GRIA1"], ["gria1"], cache, 400)
    row = _row(net, "CAMK2A", "CNIH2")
    assert row["status"] == "non_edge" and "import:gria1" in row["evidence"] and "complete listing" in row["evidence"]
    # The same file says nothing about 0.3: the pair may score 0.3–0.4.
    low = network_from_imports(["CAMK2A", "CNIH2", "GRIA1"], ["gria1"], cache, 300)
    assert _row(low, "CAMK2A", "CNIH2")["status"] == "unknown"
    assert "cut above the required 0.300" in _row(low, "CAMK2A", "CNIH2")["evidence"]
    # A pair it lists below a higher required score is a known non-edge with its score.
    high = network_from_imports(["CAMK2A", "GRIA2"], ["gria1"], cache, 980)
    assert _row(high, "CAMK2A", "GRIA2")["status"] == "non_edge" and _row(high, "CAMK2A", "GRIA2")["score"] == 0.977


def test_stacked_file_proves_no_absence(cache: Cache) -> None:
    # 2nd_layer.tsv holds GRIA1 and KRAS without an edge, but it stacks several queries.
    net = network_from_imports(["GRIA1", "KRAS", "GRIN1"], ["layer2"], cache, 400)
    row = _row(net, "GRIA1", "KRAS")
    assert row["status"] == "unknown" and "stacks several queries" in row["evidence"]
    assert _row(net, "GRIA1", "GRIN1")["status"] == "edge"   # its edges do count
    unknown = network_from_imports(["GRIA1", "SHISA9"], ["layer2"], cache, 400)
    assert _row(unknown, "GRIA1", "SHISA9")["evidence"] == "no source covers both proteins"


# --- conflicts ------------------------------------------------------------------------------------

def test_score_disagreement_is_a_reported_conflict_never_averaged(cache: Cache, tmp_path: Path) -> None:
    # Hand-made variant of the real GRIA1 export: CAMK2A–GRIA2 changed from 0.977 to 0.950.
    variant = tmp_path / "GRIA1_variant.tsv"
    variant.write_text((MORE / "pythonproject5_GRIA1.tsv").read_text().replace("\t0.977\n", "\t0.950\n"))
    _record(cache, variant, "variant")
    net = network_from_imports(["CAMK2A", "GRIA1", "GRIA2"], ["variant", "psd"], cache, 400)
    row = _row(net, "CAMK2A", "GRIA2")
    assert row["status"] == "edge" and row["score"] == 0.95           # the first import's score, not a mean
    assert row["conflict"] == ("scores differ: 0.950 (import:variant) vs 0.977 (import:psd); the graph uses "
                               "0.950 from import:variant (first listed), nothing averaged")
    assert len(net.coverage.conflicts) == 1


def test_edge_against_a_proven_absence_is_a_conflict(cache: Cache, tmp_path: Path) -> None:
    # Hand-made variant of the real GRIA1 export without its CAMK2A–GRIA2 row (a complete listing that
    # "proves" the pair below 0.4), against the real API excerpt that lists it at 0.977.
    text = (MORE / "pythonproject5_GRIA1.tsv").read_text()
    variant = tmp_path / "GRIA1_without_pair.tsv"
    variant.write_text("".join(line for line in text.splitlines(True) if not line.startswith("CAMK2A\tGRIA2\t")))
    _record(cache, variant, "variant")
    net = network_from_imports(["CAMK2A", "GRIA1", "GRIA2"], ["variant", "psd"], cache, 400)
    row = _row(net, "CAMK2A", "GRIA2")
    assert row["status"] == "edge"
    assert row["conflict"].startswith("import:psd lists CAMK2A–GRIA2 at 0.977 but import:variant")
    assert "holds both proteins without it" in row["conflict"]


def test_conflict_reaches_the_stage_missing_list(cache: Cache, tmp_path: Path) -> None:
    variant = tmp_path / "GRIA1_variant.tsv"
    variant.write_text((MORE / "pythonproject5_GRIA1.tsv").read_text().replace("\t0.977\n", "\t0.950\n"))
    _record(cache, variant, "variant")
    workflow = tmp_path / "conflict.toml"
    workflow.write_text(f'name = "conflict"\ntarget_list = ["CAMK2A", "GRIA1", "GRIA2"]\noffline = true\n'
                        f'cache_dir = "{cache.root}"\nstages = ["network"]\n[network]\nsource = "import"\n'
                        'imports = ["variant", "psd"]\nbootstrap = 0\nppi_enrichment = false\n')
    outcome = run_workflow(load_workflow(workflow), tmp_path / "run").outcomes["network"]
    assert any(m.startswith("conflicting STRING evidence on CAMK2A–GRIA2 (edge): scores differ") for m in outcome.missing)
    assert outcome.findings.conflicts[0]["pair"] == "CAMK2A–GRIA2"
    coverage = pd.read_csv(tmp_path / "run/network/coverage.tsv", sep="\t", keep_default_na=False)
    assert "scores differ" in coverage.set_index(["name_a", "name_b"]).loc[("CAMK2A", "GRIA2"), "conflict"]


# --- versions and species -------------------------------------------------------------------------

@pytest.mark.parametrize(("first", "second", "ok"), [
    ("12.0", "12.x (release not recorded)", True),
    ("12.0", "12.5", False),
    ("v11.0", "12.x", False),
])
def test_string_versions_are_never_mixed(tmp_path: Path, first: str, second: str, ok: bool) -> None:
    cache = Cache(tmp_path / "c")
    _record(cache, MORE / "pythonproject5_GRIA1.tsv", "a", first)
    _record(cache, MORE / "psdexplorer_up_to_layer4_excerpt.tsv", "b", second, real_columns=NAMES_AND_SCORE)
    if ok:
        net = network_from_imports(["GRIA1", "GRIA2"], ["a", "b"], cache, 400)
        assert "never averaged" in net.version_rule and net.string_version == f"{first} + {second}"
    else:
        with pytest.raises(NetworkError, match="different STRING versions are never mixed"):
            network_from_imports(["GRIA1", "GRIA2"], ["a", "b"], cache, 400)


def test_rat_export_any_species_and_case_insensitive_symbols(datadir: Path, tmp_path: Path) -> None:
    cache = Cache(tmp_path / "c")
    rat = datadir / "cytoscape" / "bashir_rat30_string_interactions_short.tsv"
    entry = record_import(rat, cache, "rat", 0.4, "not recorded")
    assert entry.meta["species"] == 10116                   # from its ids, e.g. 10116.ENSRNOP00000075183
    # Upper-case symbols match STRING's rat names (Dhcr7 ...), reported as matches, never as "no data".
    net = network_from_imports(["DHCR7", "INSIG1", "SQLE", "HMGCS1"], ["rat"], cache, 400, species=10116)
    assert net.symbol_matches == {"DHCR7": "Dhcr7", "INSIG1": "Insig1", "SQLE": "Sqle", "HMGCS1": "Hmgcs1"}
    assert net.coverage.counts() == {"edge": 6, "non_edge": 0, "unknown": 0}      # the K4 of the README
    assert net.graph["Dhcr7"]["Sqle"]["score"] == 0.964
    with pytest.raises(NetworkError, match="import 'rat' .* is species 10116, but the workflow's species is 9606"):
        network_from_imports(["Dhcr7"], ["rat"], cache, 400, species=9606)
    with pytest.raises(ImportFormatError, match=r"line 2: Bard1–Foxm1 is species 10116, not the workflow's species 9606"):
        record_import(rat, cache, "rat-as-human", species=9606)


def test_rat_workflow_network_stage(datadir: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    record_import(datadir / "cytoscape" / "bashir_rat30_string_interactions_short.tsv", Cache(cache), "rat", 0.4)
    workflow = tmp_path / "rat.toml"
    workflow.write_text(f'name = "rat"\ntarget_list = ["Dhcr7", "Insig1", "Sqle", "Hmgcs1", "Cdk1"]\n'
                        f'species = 10116\noffline = true\ncache_dir = "{cache}"\nstages = ["network"]\n'
                        '[network]\nsource = "import"\nimports = ["rat"]\nbootstrap = 0\nppi_enrichment = false\n')
    outcome = run_workflow(load_workflow(workflow), tmp_path / "run").outcomes["network"]
    assert outcome.status == "ok" and outcome.findings.edges == 6
    # Cdk1 is in the other component: its 4 pairs with the K4 are known non-edges (export cut at 0.4).
    assert outcome.findings.pair_counts == {"edge": 6, "non_edge": 4, "unknown": 0}
    assert outcome.findings.degree["Dhcr7"] == 3 and outcome.findings.degree["Cdk1"] == 0


# --- the shipped offline data: 13 targets -----------------------------------------------------------

@pytest.fixture
def offline_network(repo: Path) -> Network:
    config = load_workflow(repo / OFFLINE)
    return network_from_imports(read_targets(repo / "targets.txt"), config.network.imports,
                                Cache(repo / "cache", offline=True), 400, species=9606)


def test_offline_13_targets_coverage(offline_network: Network) -> None:
    net = offline_network
    assert net.coverage.counts() == {"edge": 29, "non_edge": 14, "unknown": 35}
    assert net.coverage.uncovered_targets == ["OPRM1", "OPRD1"] and len(net.coverage.covered_targets) == 11
    assert net.coverage.conflicts.empty and net.graph.number_of_edges() == 29
    degree = dict(net.graph.degree())
    assert degree["GRIN2B"] == 9 and max(degree.values()) == 9 and degree["CAMK2A"] == 8
    # Only the API excerpt lacks channels, and every edge it lists has a web-export row with channels.
    assert not net.edges[list(CHANNELS)].isna().any().any()


def test_offline_coverage_matches_the_shared_classification_plus_delta(offline_network: Network,
                                                                       datadir: Path) -> None:
    shared = pd.read_csv(datadir / "string461" / "pair_coverage.tsv", sep="\t", dtype=str, keep_default_na=False)
    delta = pd.read_csv(MORE / "pair_coverage_delta.tsv", sep="\t", dtype=str, keep_default_na=False)
    status = {"observed": "edge", "below_threshold_in_export": "non_edge", "unknown": "unknown"}
    expected = {tuple(sorted((r.node1, r.node2))): (status[r.status], r.combined_score) for r in shared.itertuples()}
    for r in delta.itertuples():
        if r.new_status == "observed":
            expected[tuple(sorted((r.node1, r.node2)))] = ("edge", r.combined_score)
    # The shared table's OPRD1–MAPK1 "below 0.15" comes from a v11.5-era export: another version, not used.
    expected[("MAPK1", "OPRD1")] = ("unknown", "")
    ours = {(r.name_a, r.name_b): (r.status, r.score) for r in offline_network.coverage.table.itertuples()}
    assert set(ours) == set(expected)
    for pair, (state, score) in ours.items():
        assert state == expected[pair][0], pair
        if state == "edge":
            assert score == pytest.approx(float(expected[pair][1]), abs=1e-9), pair


def test_lowercase_targets_are_matched_not_reported_missing(repo: Path) -> None:
    config = load_workflow(repo / OFFLINE)
    targets = [t.lower() for t in read_targets(repo / "targets.txt")]
    net = network_from_imports(targets, config.network.imports, Cache(repo / "cache", offline=True), 400)
    assert net.symbol_matches["grin2b"] == "GRIN2B" and len(net.symbol_matches) == 11
    assert net.coverage.uncovered_targets == ["oprm1", "oprd1"]
    assert net.coverage.counts() == {"edge": 29, "non_edge": 14, "unknown": 35}


def test_shipped_imports_record_origin_cutoff_version_and_verify(repo: Path) -> None:
    cache = Cache(repo / "cache", offline=True)
    assert cache.verify() == []
    config = load_workflow(repo / OFFLINE)
    for label in config.network.imports:
        meta = load_import(label, cache)[1].meta
        assert meta["declared_cutoff"] == 0.4 and meta["species"] == 9606, label
        assert meta["declared_version"].startswith(("12.0", "12.x")), label
        assert set(meta["origin"]) == {"repo", "path", "commit"} and len(meta["origin"]["commit"]) == 40, label
    psd = load_import("string-v12x-api-psdexplorer-layer4", cache)[1].meta
    assert psd["real_columns"] == ["name_a", "name_b", "score"] and psd["complete_listing"] is True
    assert load_import("string-v12.0-pythonproject5-2nd-layer", cache)[1].meta["complete_listing"] is False


def test_declared_cutoff_above_a_listed_score_is_refused(tmp_path: Path) -> None:
    # The GRIA1 export lists scores down to 0.460: it cannot have been cut at 0.5.
    with pytest.raises(InputError, match=r"declared cut-off 0.5 but the file lists a score of 0.46"):
        record_import(MORE / "pythonproject5_GRIA1.tsv", Cache(tmp_path / "c"), "x", 0.5, "12.0")


def test_import_without_species_is_named_in_the_notes(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "c")
    record_import(MORE / "psdexplorer_up_to_layer4_excerpt.tsv", cache, "psd", 0.4, "12.x",
                  real_columns=NAMES_AND_SCORE)
    net = network_from_imports(["GRIA1", "GRIA2"], ["psd"], cache, 400, species=9606)
    assert net.notes == ["import 'psd' records no species (its STRING ids are not real); taken as the "
                         "workflow's species 9606"]

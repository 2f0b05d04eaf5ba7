"""The command line: the stable `network` interface, errors as one line + exit 2, --help."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from netpharm.cli.main import main

NA_COLUMNS = ["Degree", "BetweennessCentrality", "ClosenessCentrality", "ClusteringCoefficient", "Stress",
              "AverageShortestPathLength", "Eccentricity", "Radiality", "NeighborhoodConnectivity",
              "TopologicalCoefficient"]
HUB_COLUMNS = ["MCC", "DMNC", "MNC", "Degree", "EPC", "BottleNeck", "EcCentricity", "Closeness", "Radiality",
               "Betweenness", "Stress", "ClusteringCoefficient"]


def test_network_command_writes_the_stable_columns(datadir: Path, tmp_path: Path) -> None:
    edges = datadir / "cytoscape" / "bashir_rat30_string_interactions_short.tsv"
    assert main(["network", str(edges), "--out", str(tmp_path / "o"), "--score", "0.4"]) == 0
    nodes = pd.read_csv(tmp_path / "o/nodes.tsv", sep="\t")
    hubs = pd.read_csv(tmp_path / "o/hubs.tsv", sep="\t")
    assert list(nodes.columns[:11]) == ["name", *NA_COLUMNS]
    assert list(hubs.columns[:13]) == ["name", *HUB_COLUMNS]
    assert len(nodes) == 30 and len(hubs) == 30
    golden = pd.read_csv(datadir / "cytoscape" / "bashir_rat30_networkanalyzer_node_table.csv").set_index("name")
    mine = nodes.set_index("name").loc[golden.index]
    for column in NA_COLUMNS:   # full precision survives the TSV round trip
        assert (mine[column] - golden[column]).abs().max() < 1e-12, column


def test_network_command_refuses_to_overwrite(datadir: Path, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    edges = datadir / "cytoscape" / "bashir_rat30_string_interactions_short.tsv"
    assert main(["network", str(edges), "--out", str(tmp_path)]) == 0
    assert main(["network", str(edges), "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("netpharm: error: ") and "--force" in err and err.count("\n") == 1
    assert main(["network", str(edges), "--out", str(tmp_path), "--force"]) == 0


def test_malformed_export_names_file_and_line(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    bad = tmp_path / "bad.tsv"
    bad.write_text("#node1\tnode2\tcombined_score\nA\tB\t0.5\nA\tC\n")
    assert main(["network", str(bad), "--out", str(tmp_path / "o")]) == 2
    assert "bad.tsv: line 3" in capsys.readouterr().err


def test_hubs_command_lists_ties_at_the_boundary(datadir: Path, capsys: pytest.CaptureFixture) -> None:
    edges = datadir / "cytoscape" / "shorna_cytohubba12_string_interactions.tsv"
    assert main(["hubs", str(edges), "--method", "MCC", "--top", "9", "--score", "0"]) == 0
    out, err = capsys.readouterr()
    listed = [line.split("\t")[2] for line in out.splitlines()[1:]]
    assert {"IGF2", "SLC22A18AS", "HOXC12", "SKOR2"} <= set(listed)   # all nodes tied at MCC 1
    assert "tie crosses rank 9" in err


def test_import_and_cache_verify(datadir: Path, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    edges = datadir / "cytoscape" / "bashir_rat30_string_interactions_short.tsv"
    cache = tmp_path / "cache"
    assert main(["import", str(edges), "--label", "rat", "--cache", str(cache), "--cutoff", "0.4"]) == 0
    assert main(["cache", "verify", "--cache", str(cache)]) == 0
    assert "1 of 1 entries verified" in capsys.readouterr().out
    body = next((cache / "entries").glob("*.body"))
    body.write_bytes(body.read_bytes() + b"tampered")
    assert main(["cache", "verify", "--cache", str(cache)]) == 1
    assert "CORRUPT" in capsys.readouterr().out


def test_help_lists_every_command() -> None:
    out = subprocess.run([sys.executable, "-m", "netpharm", "--help"], capture_output=True, text=True, check=True).stdout
    for command in ("init", "run", "network", "hubs", "import", "cache", "report", "nmda"):
        assert command in out
    run_help = subprocess.run([sys.executable, "-m", "netpharm", "run", "--help"], capture_output=True, text=True,
                              check=True).stdout
    for flag in ("--offline", "--resume", "--force", "--stages", "--score", "--out"):
        assert flag in run_help
    from netpharm.registry import STAGE_NAMES

    # the stage names are filled in when help is shown (the registry is not imported otherwise)
    assert ",".join(STAGE_NAMES) in run_help and "{stages" not in run_help


def test_network_command_loads_no_heavy_library(datadir: Path, tmp_path: Path) -> None:
    """Issue 13: `netpharm network` is timed against igraph; it must not pay for pandas (0.15 s), numba,
    matplotlib, requests, jinja2 or the stage registry."""
    edges = datadir / "cytoscape" / "bashir_rat30_string_interactions_short.tsv"
    code = ("import sys\nfrom netpharm.cli.main import main\n"
            f"assert main(['network', {str(edges)!r}, '--out', {str(tmp_path / 'o')!r}]) == 0\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('pandas', 'numba', 'matplotlib', "
            "'requests', 'jinja2', 'igraph') or m == 'netpharm.registry'))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True).stdout
    assert out.strip().splitlines()[-1] == "[]"
    assert (tmp_path / "o" / "nodes.tsv").stat().st_size > 0


def test_run_offline_network_stage_from_cli(repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    code = main(["run", str(repo / "workflows/microdiscectomy-offline.toml"), "--out", str(tmp_path / "r"),
                 "--stages", "network"])
    out = capsys.readouterr().out
    assert code == 0
    assert "missing: 2 of 13 targets have no STRING data here: OPRM1, OPRD1" in out


def test_api_workflow_offline_fails_naming_the_request(repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    code = main(["run", str(repo / "workflows/microdiscectomy.toml"), "--offline", "--out", str(tmp_path / "r"),
                 "--stages", "network", "--cache", str(tmp_path / "empty-cache")])
    out = capsys.readouterr().out
    assert code == 1
    assert "network     failed" in out and "offline and not in cache" in out and "get_string_ids" in out


def test_nmda_command_on_the_synthetic_pore(datadir: Path, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    pdb = datadir / "nmda" / "synthetic_pore.pdb"
    assert main(["nmda", str(pdb), "--out", str(tmp_path / "o"), "--offline"]) == 0
    written = capsys.readouterr().out
    assert "pore_profile.png" in written and "_mg_sites.tsv" in written


def test_nmda_command_offline_cache_miss_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    code = main(["nmda", "9IYP", "--out", str(tmp_path / "o"), "--offline", "--cache", str(tmp_path / "c")])
    assert code == 2
    assert "offline and not in cache" in capsys.readouterr().err


def test_score_one_convention_both_accepted(datadir: Path, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    """--score is STRING's required_score 0-1000 for every command; a 0-1 value is converted, with a note."""
    from netpharm.cli.main import score_arg

    edges = datadir / "cytoscape" / "bashir_rat30_string_interactions_short.tsv"
    assert main(["network", str(edges), "--out", str(tmp_path / "a"), "--score", "400"]) == 0
    capsys.readouterr()
    assert main(["network", str(edges), "--out", str(tmp_path / "b"), "--score", "0.4"]) == 0
    assert "--score 0.4 read as STRING's 0-1 combined score = required_score 400" in capsys.readouterr().err
    assert (tmp_path / "a/nodes.tsv").read_bytes() == (tmp_path / "b/nodes.tsv").read_bytes()
    assert (score_arg("700"), score_arg("0.15"), score_arg("0")) == (700, 150, 0)
    for bad in ("1001", "-1", "450.5", "high"):
        with pytest.raises(SystemExit) as exit_info:
            main(["network", str(edges), "--out", str(tmp_path / "c"), "--score", bad])
        assert exit_info.value.code == 2
        assert "--score" in capsys.readouterr().err


@pytest.mark.parametrize("cutoff", ["400", "-0.1", "1.5"])
def test_import_cutoff_outside_0_1_is_refused(datadir: Path, tmp_path: Path, capsys: pytest.CaptureFixture,
                                              cutoff: str) -> None:
    edges = datadir / "cytoscape" / "bashir_rat30_string_interactions_short.tsv"
    code = main(["import", str(edges), "--label", "x", "--cache", str(tmp_path / "c"), "--cutoff", cutoff])
    err = capsys.readouterr().err
    assert code == 2 and "--cutoff must be within 0–1" in err and "Traceback" not in err
    assert not (tmp_path / "c" / "entries").exists()


def test_score_filter_leaving_no_edge_is_an_error_not_a_ranking(datadir: Path, tmp_path: Path,
                                                                 capsys: pytest.CaptureFixture) -> None:
    # The rat export's highest combined score is 0.999 (Uqcrc2–Uqcrfs1).
    edges = datadir / "cytoscape" / "bashir_rat30_string_interactions_short.tsv"
    assert main(["hubs", str(edges), "--score", "1.0"]) == 2
    err = capsys.readouterr().err
    assert "no interaction scores ≥ 1.0 (highest 0.999)" in err and "nothing to rank" in err
    assert main(["network", str(edges), "--out", str(tmp_path / "n"), "--score", "1.0"]) == 2
    assert not (tmp_path / "n" / "hubs.tsv").exists()


def test_workflow_with_no_edge_at_the_score_says_no_edges(repo: Path, tmp_path: Path,
                                                          capsys: pytest.CaptureFixture) -> None:
    code = main(["run", str(repo / "workflows/microdiscectomy-offline.toml"), "--out", str(tmp_path / "r"),
                 "--stages", "network", "--score", "1000"])
    out = capsys.readouterr().out
    assert code == 0 and "network     partial  no edges: no interaction among the 11 covered targets" in out
    summary = json.loads((tmp_path / "r/network/summary.json").read_text())
    assert summary["findings"]["mcc_ranks"] == {} and summary["findings"]["most_connected"] == []
    assert not (tmp_path / "r/network/hubs.tsv").exists()


def test_import_flags_record_provenance_and_declarations(datadir: Path, tmp_path: Path,
                                                         capsys: pytest.CaptureFixture) -> None:
    from netpharm.network.imports import load_import
    from netpharm.sources.cache import Cache

    excerpt = datadir / "string_v12_more" / "psdexplorer_up_to_layer4_excerpt.tsv"
    cache = tmp_path / "c"
    assert main(["import", str(excerpt), "--label", "psd", "--cache", str(cache), "--cutoff", "0.4"]) == 2
    assert "every channel is 0" in capsys.readouterr().err
    assert main(["import", str(excerpt), "--label", "psd", "--cache", str(cache), "--cutoff", "0.4",
                 "--string-version", "12.x", "--species", "9606", "--real-columns", "node1,node2,combined_score",
                 "--partial-listing", "--source-repo", "anaciur/PSDExplorer",
                 "--source-path", "tests/testthat/up_to_layer4_cumulative.tsv",
                 "--source-commit", "d97b8f835f0454edcb0e1fe4f809aee691f0bbef"]) == 0
    meta = load_import("psd", Cache(cache))[1].meta
    assert meta["origin"] == {"repo": "anaciur/PSDExplorer", "path": "tests/testthat/up_to_layer4_cumulative.tsv",
                              "commit": "d97b8f835f0454edcb0e1fe4f809aee691f0bbef"}
    assert meta["real_columns"] == ["name_a", "name_b", "score"] and meta["complete_listing"] is False
    assert meta["species"] == 9606 and meta["declared_version"] == "12.x"
    assert main(["import", str(excerpt), "--label", "bad", "--cache", str(cache), "--real-columns", "node1,weight"]) == 2
    assert "unknown column(s) declared real: weight" in capsys.readouterr().err

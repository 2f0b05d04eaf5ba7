"""The worked examples of workflows/examples/: real studies replicated end to end, offline from cache/.

Expected values are the studies' own published files (tests/data/cytoscape/README.md): cytoHubba's
MCC/Degree top-10 exports of shorna01/Gene_Expression and the NetworkAnalyzer node table of
Bashir1370/manuscript-1 (rat), computed on the STRING exports recorded in cache/.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd
import pytest

from netpharm.registry import load_workflow
from netpharm.report.verdicts import evaluate_claims

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "workflows" / "examples"
DATA = REPO / "tests" / "data" / "cytoscape"

#: (id, kind, verdict, reason) of the shorna01 example, as the published files imply (see the workflow).
SHORNA_TOP_MCC = ("PBX2", "LHX5", "PBX4", "MEIS2", "PKNOX2", "C16orf71", "FEZF2", "RELN", "IGF2", "SLC22A18AS")

SHORNA_PINNED = [
    ("mcc-top10", "top_hubs", "supported",
     "overlap 1.00, with the same ranks (supported = overlap ≥ 1 and equal ranks); netpharm's top 10 includes ties "
     "(12 proteins): HOXC12, SKOR2 tie at rank 9 with IGF2, SLC22A18AS; the published list stops at 10 rows and so "
     "cuts through that tie"),
    ("degree-top10", "top_hubs", "supported",
     "overlap 1.00, with the same ranks (supported = overlap ≥ 1 and equal ranks); netpharm's top 10 includes ties "
     "(12 proteins): HOXC12, SKOR2 tie at rank 9 with IGF2, SLC22A18AS; the published list stops at 10 rows and so "
     "cuts through that tie"),
    ("pbx2-top-mcc", "hub", "supported", "it is within the top MCC ranks (hub = MCC rank ≤ 1)"),
    ("degree-rank1", "hub", "supported", "all 3 within the top Degree ranks (hub = Degree rank ≤ 1)"),
    ("lhx5-most-connected", "most_connected", "partially supported", "LHX5 is tied with MEIS2, PBX2"),
]

BASHIR_PINNED = [
    ("cdk1-most-connected", "most_connected", "supported", "Cdk1 alone has the highest degree"),
    ("icam1-top-betweenness", "most_connected", "supported", "Icam1 alone has the highest BetweennessCentrality"),
    ("icam1-top-stress", "most_connected", "supported", "Icam1 alone has the highest Stress"),
    ("plk2-top-neighborhood-connectivity", "most_connected", "supported",
     "Plk2 alone has the highest NeighborhoodConnectivity"),
]


def _run(name: str, out: Path) -> Path:
    from netpharm.workflow import run_workflow

    result = run_workflow(load_workflow(EXAMPLES / f"{name}.toml"), out)
    assert not result.failed
    assert list(result.outcomes) == list(load_workflow(EXAMPLES / f"{name}.toml").stages)
    return result.run_dir


@pytest.fixture(scope="module")
def shorna_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _run("shorna01-cytohubba", tmp_path_factory.mktemp("shorna") / "run")


@pytest.fixture(scope="module")
def bashir_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _run("bashir1370-rat-networkanalyzer", tmp_path_factory.mktemp("bashir") / "run")


def _cytohubba_export(path: Path) -> pd.DataFrame:
    """cytoHubba's "Top 10 in network ... ranked by <method> method" export: a title line, then Rank,Name,Score."""
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("Top 10 in network")
    return pd.read_csv(io.StringIO("\n".join(lines[1:])))


def _verdict_rows(run_dir: Path) -> list[tuple[str, str, str, str]]:
    with (run_dir / "report" / "verdict.tsv").open(encoding="utf-8", newline="") as fh:
        return [(r["id"], r["kind"], r["verdict"], r["reason"]) for r in csv.DictReader(fh, delimiter="\t")]


def test_shorna_verdict_table_is_pinned(shorna_run: Path) -> None:
    assert _verdict_rows(shorna_run) == SHORNA_PINNED
    assert [(v.id, v.kind, v.verdict, v.reason) for v in evaluate_claims(shorna_run)] == SHORNA_PINNED


def test_shorna_verdicts_are_in_the_report(shorna_run: Path) -> None:
    html = (shorna_run / "report" / "report.html").read_text(encoding="utf-8")
    for cid, _, _, _ in SHORNA_PINNED:
        assert cid in html
    assert "cuts through that tie" in html


@pytest.mark.parametrize("method", ["MCC", "Degree"])
def test_shorna_scores_and_ranks_equal_cytohubba_exports(shorna_run: Path, method: str) -> None:
    published = _cytohubba_export(DATA / f"shorna_cytohubba12_{method}.csv")
    hubs = pd.read_csv(shorna_run / "network" / "hubs.tsv", sep="\t").set_index("name")
    nodes = pd.read_csv(shorna_run / "network" / "nodes.tsv", sep="\t").set_index("name")
    # cytoHubba's Degree on this full export counts both rows of every pair: DegreeWithDuplicates.
    score = nodes["DegreeWithDuplicates"] if method == "Degree" else hubs[method]
    for row in published.itertuples(index=False):
        assert score[row.Name] == pytest.approx(row.Score, abs=1e-12), row.Name
        assert hubs.loc[row.Name, f"{method}_rank"] == row.Rank, row.Name
    # The tie cytoHubba's 10 rows cut through: two more proteins at the last published score and rank.
    last = published.iloc[-1]
    tied = sorted(hubs.index[hubs[f"{method}_rank"] == last.Rank])
    assert tied == ["HOXC12", "IGF2", "SKOR2", "SLC22A18AS"]
    assert sorted(set(tied) - set(published.Name)) == ["HOXC12", "SKOR2"]


def test_shorna_degree_evidence_names_the_convention(shorna_run: Path) -> None:
    by_id = {v.id: v for v in evaluate_claims(shorna_run)}
    assert "ranked by DegreeWithDuplicates" in by_id["degree-top10"].evidence
    assert "DegreeWithDuplicates = 2 × Degree for every node" in by_id["degree-top10"].evidence
    assert "LHX5 = 8, maximum 8" in by_id["lhx5-most-connected"].evidence
    assert "DegreeWithDuplicates" not in by_id["mcc-top10"].evidence


def test_bashir_verdict_table_is_pinned(bashir_run: Path) -> None:
    assert _verdict_rows(bashir_run) == BASHIR_PINNED


def test_bashir_node_table_equals_networkanalyzer(bashir_run: Path) -> None:
    published = pd.read_csv(DATA / "bashir_rat30_networkanalyzer_node_table.csv").set_index("name")
    nodes = pd.read_csv(bashir_run / "network" / "nodes.tsv", sep="\t").set_index("name")
    assert sorted(nodes.index) == sorted(published.index)
    for column in ("Degree", "BetweennessCentrality", "ClosenessCentrality", "ClusteringCoefficient", "Stress",
                   "AverageShortestPathLength", "Eccentricity", "NeighborhoodConnectivity", "TopologicalCoefficient",
                   "Radiality"):
        diff = (nodes[column] - published.loc[nodes.index, column]).abs().max()
        assert diff < 1e-12, f"{column}: max difference {diff}"


def test_a_differing_published_rank_is_named_and_caps_the_verdict(shorna_run: Path) -> None:
    from helpers import claim_from_table, run_claims

    # The published MCC ranks with PKNOX2 moved from 5 to 4 (a hypothetical mis-print, not the study's data).
    table = {"id": "mcc-misranked", "text": "MCC top 10 with one rank changed", "kind": "top_hubs", "method": "MCC",
             "n": 10, "expected": list(SHORNA_TOP_MCC), "expected_ranks": [1, 2, 2, 2, 4, 6, 6, 6, 9, 9]}
    (v,) = run_claims(shorna_run, [claim_from_table(1, table)])
    assert v.verdict == "partially supported"
    assert v.reason.startswith("overlap 1.00 but 1 rank(s) differ")
    assert "rank differences: PKNOX2 published 4, here 5" in v.evidence


def test_expected_ranks_must_match_expected(tmp_path: Path) -> None:
    from netpharm.errors import ConfigError

    text = (EXAMPLES / "shorna01-cytohubba.toml").read_text(encoding="utf-8")
    bad = tmp_path / "bad.toml"
    bad.write_text(text.replace("expected_ranks = [1, 2, 2, 2, 5, 6, 6, 6, 9, 9]", "expected_ranks = [1, 2, 2]")
                   .replace('"../../cache"', f'"{REPO / "cache"}"').replace('"shorna01-targets.txt"',
                                                                          f'"{EXAMPLES / "shorna01-targets.txt"}"'),
                   encoding="utf-8")
    with pytest.raises(ConfigError, match=r"claim 'mcc-top10' \(top_hubs\): expected_ranks must give one rank"):
        load_workflow(bad)


def test_rat_report_says_why_enrichment_did_not_run(bashir_run: Path) -> None:
    import html

    text = html.unescape((bashir_run / "report" / "report.html").read_text(encoding="utf-8"))
    assert "enrichment: not run" in text
    assert ("offline ORA not run: the shipped GO/Reactome annotation is human (taxon 9606) and the workflow's "
            "species is 10116") in text
    assert "STRING enrichment not in cache (offline)" in text
    assert "not in this workflow's stages (not run): compounds, ct_pathway, docking, nmda" in text
    for cid, _, verdict, _ in BASHIR_PINNED:
        assert cid in text and verdict in text

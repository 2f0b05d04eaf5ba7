"""MCODE (netpharm.graphs.mcode) against Cytoscape's MCODE app on a real session, and on hand-made graphs."""

from __future__ import annotations

import csv
from pathlib import Path

import networkx as nx
import pytest

from netpharm.graphs.mcode import mcode

DATA = Path(__file__).parent / "data" / "cytoscape" / "pfas_retinal135"


def _export() -> tuple[nx.Graph, list[str]]:
    """The STRING export as Cytoscape imports it: nodes created in order of first appearance."""
    graph, order = nx.Graph(), []
    with open(DATA / "string_interactions_short.tsv", encoding="utf-8") as fh:
        for row in csv.reader(fh, delimiter="\t"):
            if row[0].startswith("#"):
                continue
            graph.add_edge(row[0], row[1])
            order += [n for n in row[:2] if n not in order]
    return graph, order


def _session() -> dict[str, dict[str, str]]:
    with open(DATA / "mcode_node_table.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    header = rows[1]
    return {r[header.index("name")]: dict(zip(header, r)) for r in rows[5:]}


@pytest.fixture(scope="module")
def pfas() -> tuple[nx.Graph, list[str], dict[str, dict[str, str]]]:
    graph, order = _export()
    return graph, order, _session()


def test_suids_ascend_in_file_order(pfas):
    graph, order, table = pfas
    assert sorted(graph, key=lambda n: int(table[n]["SUID"])) == order


def test_every_node_score_equals_the_app(pfas):
    graph, order, table = pfas
    scores = mcode(graph, order=order).scores
    assert len(scores) == len(table) == 135
    # The app stores Java's shortest round-trip double: Python's repr prints the same digits.
    assert {n: repr(s) for n, s in scores.items()} == {n: r["MCODE::Score (1)"] for n, r in table.items()}


def test_every_cluster_and_status_equals_the_app(pfas):
    graph, order, table = pfas
    result = mcode(graph, order=order)
    rank, status = result.cluster_of(), result.status()
    assert {n: f"Cluster {rank[n]}" if n in rank else "" for n in graph} == \
        {n: r["MCODE::Clusters (1)"] for n, r in table.items()}
    assert status == {n: r["MCODE::Node Status (1)"].lower() for n, r in table.items()}
    sizes = [len(c.nodes) for c in result.clusters]
    assert sizes == [31, 16, 12, 4, 5, 4, 3, 3]
    # "1: Cluster 1 (Score: 14.533)" is the session's subnetwork title.
    assert f"{result.clusters[0].score:.3f}" == "14.533"
    assert [round(c.score, 3) for c in result.clusters] == [14.533, 10.4, 6.0, 4.0, 4.0, 4.0, 3.0, 3.0]
    assert (result.clusters[0].seed, result.clusters[1].seed) == ("PRPF8", "TNF")
    # Cluster 4's seed (IQCB1) lost the haircut: the app marks it Unclustered.
    assert result.clusters[3].seed == "IQCB1" and status["IQCB1"] == "unclustered"


def test_node_order_only_breaks_ties(pfas):
    graph, _, table = pfas
    result = mcode(graph, order=sorted(graph))
    assert [len(c.nodes) for c in result.clusters] == [31, 16, 12, 4, 5, 4, 3, 3]
    assert result.clusters[0].seed == "SPATA7"  # another seed among PRPF8's equals: not the app's choice
    assert table["SPATA7"]["MCODE::Node Status (1)"] == "Clustered"


def test_hand_made_clique_with_tail():
    """Hand-made: K4 {a,b,c,d} plus a path d–e–f. Checked by hand from the paper's definitions."""
    graph = nx.Graph([("a", "b"), ("a", "c"), ("a", "d"), ("b", "c"), ("b", "d"), ("c", "d"), ("d", "e"),
                      ("e", "f")])
    result = mcode(graph)
    # a: neighbourhood K4 -> 3-core of density 1 -> 3.0; d: {a,b,c,d,e}, highest core the K4 -> 3.0;
    # e: {d,e,f} is a path -> 1-core of density 2/3 -> 0.666...; f has one neighbour -> 0.
    assert result.scores == {"a": 3.0, "b": 3.0, "c": 3.0, "d": 3.0, "e": 2 / 3, "f": 0.0}
    assert len(result.clusters) == 1
    only = result.clusters[0]
    # Seed d: among the four 3.0s the node-list order puts the last created first.
    assert (only.nodes, only.edges, only.score, only.seed) == (("a", "b", "c", "d"), 6, 4.0, "d")


def test_seen_nodes_and_the_score_cutoff_on_a_bowtie():
    """Hand-made bowtie: triangles a-b-c and a-d-e sharing a. Checked by hand from the app's rules."""
    graph = nx.Graph([("a", "b"), ("b", "c"), ("a", "c"), ("a", "d"), ("d", "e"), ("e", "a")])
    # a's neighbourhood is the whole bowtie: a 2-core with 6 of 10 edges -> 2 x 0.6 = 1.2;
    # b, c, d, e each see one triangle -> 2 x 1.0 = 2.0.
    strict = mcode(graph, node_score_cutoff=0.0)
    assert strict.scores == {"a": 1.2, "b": 2.0, "c": 2.0, "d": 2.0, "e": 2.0}
    # Seeds e, d, c, b (ties: last created first). e grows to d only (a scores below 2.0): {d, e} has
    # no 2-core and is dropped, d stays seen; c grows to b, dropped too; a then finds every neighbour seen.
    assert strict.clusters == ()
    assert set(strict.status().values()) == {"unclustered"}
    # Cut-off 0.5 lets a (1.2 >= 2.0 - 1.0) join: e grows through a to the whole bowtie.
    grown = mcode(graph, node_score_cutoff=0.5)
    (only,) = grown.clusters
    assert (only.nodes, only.edges, only.seed, only.score) == (("a", "b", "c", "d", "e"), 6, "e", 3.0)
    assert grown.status()["e"] == "seed" and grown.status()["a"] == "clustered"
    # Fluff adds nothing here (every neighbour is already in); haircut off keeps the same complex.
    assert mcode(graph, node_score_cutoff=0.5, fluff=True, haircut=False).clusters == grown.clusters


def test_max_depth_limits_growth():
    """Hand-made: the bowtie again. The seed is depth 1; nodes past max_depth join but are not expanded."""
    graph = nx.Graph([("a", "b"), ("b", "c"), ("a", "c"), ("a", "d"), ("d", "e"), ("e", "a")])
    # depth 1: e's neighbours a and d join unexpanded -> the triangle {a, d, e} (score 3 x 1.0).
    (tri,) = mcode(graph, node_score_cutoff=0.5, max_depth=1).clusters
    assert tri.nodes == ("a", "d", "e") and tri.score == 3.0
    # depth 2: a is expanded, so b and c join -> the whole bowtie.
    (whole,) = mcode(graph, node_score_cutoff=0.5, max_depth=2).clusters
    assert whole.nodes == ("a", "b", "c", "d", "e")


def test_order_must_cover_the_graph():
    with pytest.raises(ValueError, match="order"):
        mcode(nx.Graph([("a", "b")]), order=["a"])


def test_netpharm_network_writes_the_apps_modules(tmp_path, pfas):
    """`netpharm network` on the real export: modules.tsv and module_clusters.tsv equal the session."""
    from netpharm.cli.main import main

    _, _, table = pfas
    assert main(["network", str(DATA / "string_interactions_short.tsv"), "--out", str(tmp_path)]) == 0
    with open(tmp_path / "modules.tsv", encoding="utf-8") as fh:
        rows = {r["name"]: r for r in csv.DictReader(fh, delimiter="\t")}
    assert {n: (r["mcode_score"], f"Cluster {r['cluster']}" if r["cluster"] else "", r["status"].capitalize())
            for n, r in rows.items()} == \
        {n: (r["MCODE::Score (1)"], r["MCODE::Clusters (1)"], r["MCODE::Node Status (1)"]) for n, r in table.items()}
    with open(tmp_path / "module_clusters.tsv", encoding="utf-8") as fh:
        clusters = list(csv.DictReader(fh, delimiter="\t"))
    assert [(c["cluster"], c["nodes"], c["seed"]) for c in clusters][:3] == \
        [("1", "31", "PRPF8"), ("2", "16", "TNF"), ("3", "12", "CEP290")]
    assert f"{float(clusters[0]['score']):.3f}" == "14.533"
    for c in clusters:
        assert sorted(c["members"].split(",")) == sorted(n for n, r in table.items()
                                                          if r["MCODE::Clusters (1)"] == f"Cluster {c['cluster']}")
    graphml = nx.read_graphml(tmp_path / "network.graphml")
    assert graphml.nodes["PRPF8"]["MCODE_Cluster"] == "Cluster 1"
    assert graphml.nodes["PRPF8"]["MCODE_Node_Status"] == "Seed"


# --- the `module` claim on the hand-made synthetic run (K4 AKT1, BDNF, CREB1, GRIN2B = MCODE cluster 1, score 4) ---
def _module_verdict(run: Path, **table: object):
    from helpers import claim_from_table, run_claims

    return run_claims(run, [claim_from_table(1, {"id": "m", "text": "t", "kind": "module", **table})])[0]


def _complete(run: Path) -> Path:
    """The synthetic run as if every target were covered (hand edit of its summary, for the complete case)."""
    import json

    path = run / "network" / "summary.json"
    summary = json.loads(path.read_text())
    summary["findings"].update(uncovered_targets=[], unknown_pairs=0, targets=summary["findings"]["covered_targets"])
    path.write_text(json.dumps(summary))
    return run


def test_module_claim(tmp_path):
    from helpers import copy_synthetic_run

    run = copy_synthetic_run(tmp_path)
    v = _module_verdict(run, proteins=["GRIN2B", "AKT1"], score=4.0, size=4)
    assert v.verdict == "partially supported" and "uncovered targets" in v.reason  # OPRM1 is uncovered
    assert "MCODE cluster 1: 4 proteins, score 4.000, seed GRIN2B" in v.evidence
    full = _complete(run)
    assert _module_verdict(full, proteins=["GRIN2B", "AKT1"], score=4.0, size=4).verdict == "supported"
    v = _module_verdict(full, proteins=["GRIN2B", "AKT1"], score=4.5)
    assert v.verdict == "partially supported" and "score 4.0 here vs 4.5" in v.reason
    v = _module_verdict(full, proteins=["GRIN2B", "GRIN1"])
    assert v.verdict == "partially supported" and "not in it: GRIN1" in v.evidence
    assert _module_verdict(full, proteins=["GRIN2B", "GRIN1"], min_overlap=0.5).verdict == "supported"
    assert _module_verdict(full, proteins=["GRIN1"]).verdict == "not supported"
    v = _module_verdict(full, proteins=["GRIN2B"], cluster=2)
    assert v.verdict == "not supported" and v.reason == "no cluster 2"


def test_report_shows_the_clusters(tmp_path):
    """The report's network section holds the MCODE clusters table with the parameters used."""
    from helpers import copy_synthetic_run

    from netpharm.report.build import build_report

    run = copy_synthetic_run(tmp_path)
    build_report(run)
    html = (run / "report" / "report.html").read_text(encoding="utf-8")
    assert "MCODE clusters" in html and "node score cutoff 0.2" in html
    assert "fluff no, fluff node density cutoff 0.1, haircut yes" in html  # not Python's False/True
    section = html[html.index("MCODE clusters"):]
    assert "AKT1,BDNF,CREB1,GRIN2B" in section[:4000]


def _score_by_definition(graph: nx.Graph, node: str) -> float:
    """Bader & Hogue's vertex weight as the app's getHighestKCore loop reads: k x density of the highest k-core of
    the node's closed neighbourhood, found by raising k with networkx's k_core (the slow reference)."""
    hood = set(graph[node]) | {node}
    if len(hood) < 3:  # fewer than 2 neighbours, or not above degree cutoff 2
        return 0.0
    sub, k = graph.subgraph(hood), 0
    while nx.k_core(nx.Graph(sub), k + 1).number_of_nodes():
        k += 1
    core = nx.k_core(nx.Graph(sub), k)
    return nx.density(core) * k


@pytest.mark.parametrize("seed", range(12))
def test_node_scores_equal_the_definition_on_random_graphs(seed: int) -> None:
    # hand-made (seeded G(n, p)) graphs: the fast peeling must give the slow reference's weights exactly
    graph = nx.relabel_nodes(nx.gnp_random_graph(8 + 4 * seed, 0.08 + 0.03 * seed, seed=seed), lambda i: f"n{i}")
    scores = mcode(graph).scores
    assert scores == {v: _score_by_definition(graph, v) for v in graph}

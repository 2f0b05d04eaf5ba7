"""CytoNCA's six measures, the median rule and the ``core_targets`` claim kind.

No real CytoNCA output is available: every graph here is HAND-MADE (a star, a path, two triangles
joined by a bridge, K4 with a pendant node, a triangle with an isolated node) and every expected
number was derived by hand from the definitions in ``netpharm/hubs/cytonca.py`` (CytoNCA's
source, cici333/CytoNCA; Tang et al. 2015; Li et al. 2011; Wang et al. 2012); where networkx
computes the same quantity (betweenness, closeness, eigenvector) it is the cross-check, on
Zachary's karate club (a real, classic network shipped with networkx).
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import networkx as nx
import pytest
from helpers import OFFLINE_WORKFLOW, claim_from_table, copy_synthetic_run, run_claims

from netpharm.errors import ConfigError
from netpharm.hubs.config import CYTONCA_MEASURES, HubsConfig
from netpharm.hubs.cytonca import (
    betweenness,
    closeness,
    core_rounds,
    cytonca_measures,
    eigenvector,
    lac,
    network_centrality,
)
from netpharm.network.core import core_table
from netpharm.registry import load_workflow


def _graph(edges: list[tuple[str, str]], isolated: tuple[str, ...] = ()) -> nx.Graph:
    g = nx.Graph(edges)
    g.add_nodes_from(isolated)
    return g


def _close(a: dict[str, float], b: dict[str, float]) -> None:
    assert a.keys() == b.keys()
    for k in a:
        assert a[k] == pytest.approx(b[k], rel=1e-12, abs=1e-12), k


# hand-made graphs
STAR = _graph([("hub", f"leaf{i}") for i in range(1, 5)])
PATH4 = _graph([("a", "b"), ("b", "c"), ("c", "d")])
BRIDGED = _graph([("a", "b"), ("b", "c"), ("a", "c"), ("c", "d"), ("d", "e"), ("e", "f"), ("d", "f")])
K4_PENDANT = _graph([("BDNF", "CREB1"), ("AKT1", "BDNF"), ("AKT1", "CREB1"), ("BDNF", "GRIN2B"),
                     ("CREB1", "GRIN2B"), ("AKT1", "GRIN2B"), ("GRIN1", "GRIN2B")])
LEAVES = [f"leaf{i}" for i in range(1, 5)]


def test_star_by_hand() -> None:
    m = cytonca_measures(STAR)
    _close(m["Degree"], {"hub": 4.0} | dict.fromkeys(LEAVES, 1.0))
    # 4 × 3 ordered leaf pairs pass through the hub (CytoNCA does not halve)
    _close(m["Betweenness"], {"hub": 12.0} | dict.fromkeys(LEAVES, 0.0))
    _close(m["Closeness"], {"hub": 1.0} | dict.fromkeys(LEAVES, 4 / 7))  # leaf: (5 − 1) / (1 + 2 + 2 + 2)
    _close(m["Eigenvector"], {"hub": 1 / math.sqrt(2)} | dict.fromkeys(LEAVES, 1 / (2 * math.sqrt(2))))  # λ = 2
    _close(m["LAC"], dict.fromkeys(["hub", *LEAVES], 0.0))  # no edge among anyone's neighbours
    _close(m["Network"], dict.fromkeys(["hub", *LEAVES], 0.0))  # every edge has a degree-1 end: min(d − 1) = 0


def test_path_by_hand() -> None:
    m = cytonca_measures(PATH4)
    _close(m["Betweenness"], {"a": 0.0, "b": 4.0, "c": 4.0, "d": 0.0})  # b: (a,c), (a,d), both ways
    _close(m["Closeness"], {"a": 3 / 6, "b": 3 / 4, "c": 3 / 4, "d": 3 / 6})
    # P4: λ = 2 cos(π/5), x_k ∝ sin(kπ/5); Σ sin² = 2.5
    end, mid = math.sin(math.pi / 5) / math.sqrt(2.5), math.sin(2 * math.pi / 5) / math.sqrt(2.5)
    _close(m["Eigenvector"], {"a": end, "b": mid, "c": mid, "d": end})
    _close(m["LAC"], dict.fromkeys("abcd", 0.0))
    _close(m["Network"], dict.fromkeys("abcd", 0.0))  # no common neighbours anywhere


def test_two_triangles_and_a_bridge_by_hand() -> None:
    m = cytonca_measures(BRIDGED)
    _close(m["Betweenness"], {"a": 0.0, "b": 0.0, "c": 12.0, "d": 12.0, "e": 0.0, "f": 0.0})  # {a,b}×{d,e,f} ×2
    _close(m["Closeness"], {"a": 5 / 10, "b": 5 / 10, "c": 5 / 7, "d": 5 / 7, "e": 5 / 10, "f": 5 / 10})
    # c's neighbours a, b, d hold one edge (a–b): 2 · 1 / 3; a's neighbours b, c hold one edge: 2 · 1 / 2
    _close(m["LAC"], {"a": 1.0, "b": 1.0, "c": 2 / 3, "d": 2 / 3, "e": 1.0, "f": 1.0})
    # a–b: z = 1 (c), min(1, 1) = 1; a–c: z = 1, min(1, 2) = 1; c–d: z = 0
    _close(m["Network"], dict.fromkeys("abcdef", 2.0))
    # x = (p, p, q, q, p, p): (λ − 1)² = 2, q = √2 p, 8 p² = 1
    p = 1 / math.sqrt(8)
    _close(m["Eigenvector"], {"a": p, "b": p, "c": p * math.sqrt(2), "d": p * math.sqrt(2), "e": p, "f": p})


def test_closeness_counts_an_unreachable_node_at_distance_n() -> None:
    g = _graph([("x", "y"), ("y", "z"), ("x", "z")], isolated=("lone",))
    # n = 4: a triangle node has 1 + 1 + 4 = 6 → 3/6; the isolated node 4 · 3 = 12 → 3/12
    _close(closeness(g), {"x": 0.5, "y": 0.5, "z": 0.5, "lone": 0.25})
    assert lac(g)["lone"] == 0.0 and network_centrality(g)["lone"] == 0.0
    assert eigenvector(g)["lone"] == 0.0  # the largest eigenvalue (2) lives on the triangle only


def test_k4_with_a_pendant_by_hand() -> None:
    m = cytonca_measures(K4_PENDANT)
    assert m["Betweenness"]["GRIN2B"] == 6.0 and m["LAC"]["GRIN2B"] == 1.5 and m["LAC"]["CREB1"] == 2.0
    assert m["Network"]["GRIN2B"] == 3.0 and m["Network"]["GRIN1"] == 0.0  # K4 edges: z = 2, min(d − 1) = 2
    lam = max(r.real for r in __import__("numpy").roots([1, -2, -4, 2]))  # λ³ − 2λ² − 4λ + 2 = 0
    g, h = lam - 2.0, (lam - 2.0) / lam
    norm = math.sqrt(g * g + 3 + h * h)
    _close(m["Eigenvector"], {"GRIN2B": g / norm, "AKT1": 1 / norm, "BDNF": 1 / norm, "CREB1": 1 / norm,
                              "GRIN1": h / norm})


def test_networkx_agrees_on_a_real_connected_network() -> None:
    karate = nx.relabel_nodes(nx.karate_club_graph(), str)
    for _, _, d in karate.edges(data=True):
        d.clear()  # unweighted, as CytoNCA's default
    _close(betweenness(karate), {v: 2 * b for v, b in nx.betweenness_centrality(karate, normalized=False).items()})
    _close(closeness(karate), nx.closeness_centrality(karate))
    theirs = nx.eigenvector_centrality_numpy(karate)
    ours = eigenvector(karate)
    assert all(ours[v] == pytest.approx(theirs[v], abs=1e-9) for v in karate)
    # LAC as Li et al. define it: the mean degree of v's neighbours inside the subgraph they induce
    by_definition = {v: sum(d for _, d in karate.subgraph(karate[v]).degree()) / karate.degree(v) for v in karate}
    _close(lac(karate), by_definition)
    nc = {v: sum(len(list(nx.common_neighbors(karate, v, w))) / (min(karate.degree(v), karate.degree(w)) - 1)
                 for w in karate[v] if min(karate.degree(v), karate.degree(w)) > 1) for v in karate}
    _close(network_centrality(karate), nc)


def test_median_rule_ties_pass_and_even_counts_take_the_middle_mean() -> None:
    star = core_rounds(STAR)
    assert star[0].medians["Degree"] == 1.0 and star[0].core == ("hub", *LEAVES)  # at the median passes
    path = core_rounds(PATH4, rounds=2)
    assert path[0].medians["Degree"] == 1.5 and path[0].medians["Closeness"] == pytest.approx(0.625)
    assert path[0].core == ("b", "c")
    assert path[1].core == ("b", "c") and path[1].values["Degree"] == {"b": 1.0, "c": 1.0}


def test_second_round_ranks_the_first_rounds_core() -> None:
    first, second = core_rounds(K4_PENDANT, rounds=2)
    assert first.core == ("AKT1", "BDNF", "CREB1")  # GRIN2B fails LAC (1.5 < 2), GRIN1 fails five measures
    assert second.values["Degree"] == {"AKT1": 2.0, "BDNF": 2.0, "CREB1": 2.0} and second.core == first.core
    bridged = core_rounds(BRIDGED, rounds=2)
    assert bridged[0].core == ("a", "b", "e", "f")  # the bridge ends fail LAC (2/3 < 1)
    # round 2: two separate edges, n = 4: closeness 3 / (1 + 4 + 4); the eigenvalue 1 is repeated
    _close(bridged[1].values["Closeness"], dict.fromkeys("abef", 1 / 3))
    _close(bridged[1].values["Eigenvector"], dict.fromkeys("abef", 0.5))
    assert bridged[1].core == ("a", "b", "e", "f")
    table = core_table(bridged, CYTONCA_MEASURES)
    assert table["round"] == [1] * 6 + [2] * 4
    rows = dict(zip(table["name"][:6], zip(table["LAC_pass"][:6], table["core"][:6], table["core_round"][:6])))
    assert rows["c"] == (False, False, 0) and rows["a"] == (True, True, 2)


def test_measures_subset_and_config_checks() -> None:
    only = core_rounds(BRIDGED, measures=("Degree", "Betweenness"))
    # medians 2 (of 2, 2, 2, 2, 3, 3) and 0 (of four 0s and two 12s): every node passes, LAC no longer cuts c, d
    assert only[0].core == tuple("abcdef") and only[0].medians == {"Degree": 2.0, "Betweenness": 0.0}
    with pytest.raises(ConfigError, match="cytonca_rounds must be >= 1"):
        HubsConfig(cytonca_rounds=0)
    with pytest.raises(ConfigError, match="cytonca_measures"):
        HubsConfig(cytonca_measures=("Degree", "PageRank"))
    with pytest.raises(ConfigError, match="repeated"):
        HubsConfig(cytonca_measures=("Degree", "Degree"))


# --- the claim kind on the hand-made synthetic run (K4 + pendant; two rounds; OPRM1 uncovered) -----
def _complete(run: Path) -> Path:
    """The same run with OPRM1 dropped from the targets: every target and pair covered."""
    path = run / "network" / "summary.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    f = data["findings"]
    f.update(targets=f["covered_targets"], uncovered_targets=[], unknown_pairs=0,
             pair_counts={"edge": 7, "non_edge": 3, "unknown": 0})
    path.write_text(json.dumps(data), encoding="utf-8")
    return run


def _verdict(run: Path, **params: object) -> tuple[str, str, str]:
    claim = claim_from_table(1, {"id": "core", "text": "t", "kind": "core_targets", **params})
    v = run_claims(run, [claim])[0]
    return v.verdict, v.evidence, v.reason


def test_core_targets_claim_supported_not_supported_and_partial(tmp_path: Path) -> None:
    run = _complete(copy_synthetic_run(tmp_path))
    label, evidence, _ = _verdict(run, proteins=["CREB1", "AKT1"], rounds=2)
    assert label == "supported" and "CREB1 core after 2 round(s)" in evidence
    assert "round 1: 3 of 5 core" in evidence and "round 2: 3 of 3 core" in evidence
    label, evidence, _ = _verdict(run, proteins=["GRIN2B"])
    assert label == "not supported" and "GRIN2B not core (round 1: LAC 1.5 < median 2)" in evidence
    label, _, reason = _verdict(run, proteins=["CREB1", "GRIN2B"])
    assert label == "partially supported" and reason.startswith("core here: CREB1 only")
    label, _, reason = _verdict(run, proteins=["CREB1"], rounds=3)
    assert label == "cannot be evaluated here" and "computed 2 round(s)" in reason


def test_core_targets_claim_on_partial_data(tmp_path: Path) -> None:
    run = copy_synthetic_run(tmp_path)  # OPRM1 uncovered, 5 pairs unknown
    label, evidence, reason = _verdict(run, proteins=["CREB1"], rounds=2)
    assert label == "partially supported" and "unknown pairs could move the medians" in reason
    label, evidence, reason = _verdict(run, proteins=["OPRM1"])
    assert label == "cannot be evaluated here" and "not in the network: OPRM1" in evidence


def test_core_targets_claim_is_checked_against_the_hubs_section() -> None:
    claim = {"id": "core", "text": "t", "kind": "core_targets", "proteins": ["CREB1"], "rounds": 2}
    with pytest.raises(ConfigError, match=r"claim 'core' \(core_targets\): rounds = 2 but \[hubs\] cytonca_rounds = 1"):
        load_workflow(OFFLINE_WORKFLOW, {"claims": [claim]})
    loaded = load_workflow(OFFLINE_WORKFLOW, {"claims": [claim], "hubs": {"cytonca_rounds": 2}})
    assert loaded.hubs.cytonca_rounds == 2
    with pytest.raises(ConfigError, match="differ from \\[hubs\\] cytonca_measures"):
        load_workflow(OFFLINE_WORKFLOW, {"claims": [claim | {"rounds": 1, "measures": ["Degree"]}]})
    with pytest.raises(ConfigError, match="unknown or none"):
        load_workflow(OFFLINE_WORKFLOW, {"claims": [claim | {"rounds": 1, "measures": ["PageRank"]}]})


# --- the network stage on the shipped real STRING data (offline workflow) ------------------------------
def test_network_stage_writes_core_targets_consistent_with_its_other_tables(tmp_path: Path) -> None:
    """Not a CytoNCA comparison (none exists): the stage's table agrees with nodes.tsv, edges.tsv and networkx."""
    import pandas as pd
    from helpers import run_offline_workflow

    from netpharm.network.findings import NetworkFindings
    from netpharm.registry import stages
    from netpharm.verdict import RunView

    run = run_offline_workflow(tmp_path / "run", ["network", "report"])
    table = pd.read_csv(run / "network" / "core_targets.tsv", sep="\t")
    nodes = pd.read_csv(run / "network" / "nodes.tsv", sep="\t").set_index("name")
    edges = pd.read_csv(run / "network" / "edges.tsv", sep="\t")
    graph = nx.Graph(list(zip(edges["name_a"], edges["name_b"])))
    graph.add_nodes_from(nodes.index)
    first = table[table["round"] == 1].set_index("name")
    assert set(first.index) == set(nodes.index) and set(table["round"]) == {1}  # the workflow asks one round
    assert (first["Degree"] == nodes["Degree"].loc[first.index]).all()
    ordered = {v: 2 * b for v, b in nx.betweenness_centrality(graph, normalized=False).items()}
    assert all(first.loc[v, "Betweenness"] == pytest.approx(ordered[v], abs=1e-9) for v in first.index)
    for m in CYTONCA_MEASURES:
        assert list(first[f"{m}_median"]) == pytest.approx([float(first[m].median())] * len(first), rel=1e-12)
    passes = first[[f"{m}_pass" for m in CYTONCA_MEASURES]].all(axis=1)
    assert (passes == first["core"]).all() and passes.any() and not passes.all()
    outcome = RunView(run, stages()).outcome(NetworkFindings)
    assert outcome is not None and outcome.findings.core_targets is not None
    assert outcome.findings.core_targets.core_after(1) == tuple(sorted(first.index[first["core"]]))
    html = (run / "report" / "report.html").read_text(encoding="utf-8")
    assert "CytoNCA core targets" in html and "core_targets.tsv" in html

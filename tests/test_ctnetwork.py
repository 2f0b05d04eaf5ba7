"""Issue 19: the compound–target network on real TCMSP data (tests/data/ctnet/), its Cytoscape files, its figure
and the ``ct_degree`` claim kind.

Hand counts on the real table, independent of netpharm's graph code (dump the sheet, then awk):

    python -c "import pandas as pd; pd.read_excel('tests/data/ctnet/tcmsp_mahuanggen/Mahuanggen_targets.xlsx')\
        .to_csv('/tmp/m.tsv', sep='\\t', index=False)"
    awk -F'\\t' 'NR>1{print $3"\\t"$4}' /tmp/m.tsv | sort -u | wc -l                  # 666 distinct pairs
    awk -F'\\t' 'NR>1{print $3}' /tmp/m.tsv | sort -u | wc -l                         # 25 compounds
    awk -F'\\t' 'NR>1{print $4}' /tmp/m.tsv | sort -u | wc -l                         # 257 targets
    awk -F'\\t' 'NR>1{print $3"\\t"$4}' /tmp/m.tsv | sort -u | cut -f1 | uniq -c | sort -rn | head -12
        # quercetin 154, apigenin 80, kaempferol 63, beta-sitosterol 38, naringenin 37, (-)-epicatechin 32,
        # Psi-ephedrin 25, Eciphin 25, (1R,2R)-2-dimethylamino-1-phenylpropan-1-ol 25, Tybraine 24, ...
    awk -F'\\t' 'NR>1{print $3"\\t"$4}' /tmp/m.tsv | sort -u | cut -f2 | sort | uniq -c | sort -rn | head -11
        # Prostaglandin G/H synthase 2: 20, synthase 1: 18, Beta-2 adrenergic receptor 14, HSP 90 13,
        # Sodium channel protein type 5 subunit alpha 11, Muscarinic acetylcholine receptor M1 11, then five at 10

The table is read with a tiny local reader (pandas, the two named columns): the compounds stage's own readers
are being written on another branch.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import networkx as nx
import pandas as pd
import pytest
from helpers.compounds_run import StandInFindings, compounds_run

import netpharm.compounds.claims  # noqa: F401  (registers ct_degree and drug_like)
from netpharm.compounds import ctnetwork
from netpharm.compounds.claims.ct_degree import CTDegree, evaluate_ct_degree
from netpharm.compounds.ct_findings import CTNetwork
from netpharm.compounds.ctnetwork import annotate, build_ct_graph, draw_ct_network, summarise, write_graphml, write_sif
from netpharm.config import from_mapping, to_mapping
from netpharm.errors import ConfigError
from netpharm.verdict import Claim, claim_from_table, claim_kinds

DATA = Path(__file__).parent / "data" / "ctnet"
MAHUANGGEN = DATA / "tcmsp_mahuanggen" / "Mahuanggen_targets.xlsx"
TIED_AT_7 = ("(1R,2R)-2-dimethylamino-1-phenylpropan-1-ol", "Eciphin", "Psi-ephedrin")


def tcmsp_pairs(path: Path = MAHUANGGEN) -> list[tuple[str, str]]:
    """(compound, target) rows of a TCMSP-Spider ``*_targets.xlsx`` (local reader, see the module docstring)."""
    table = pd.read_excel(path, sheet_name="Sheet1", dtype=str)
    return list(zip(table["molecule_name"], table["target_name"]))


@pytest.fixture(scope="module")
def graph() -> nx.Graph:
    return build_ct_graph(tcmsp_pairs())


@pytest.fixture(scope="module")
def net(graph: nx.Graph) -> CTNetwork:
    return summarise(graph)


def test_degrees_on_the_real_tcmsp_table_match_the_hand_counts(net: CTNetwork) -> None:
    assert (net.compounds, net.targets, net.pathways, net.edges, net.repeated_pairs) == (25, 257, 0, 666, 0)
    compounds = [(n.name, n.degree, n.rank) for n in net.side_nodes("compound")]
    assert compounds[:10] == [("quercetin", 154, 1), ("apigenin", 80, 2), ("kaempferol", 63, 3),
                              ("beta-sitosterol", 38, 4), ("naringenin", 37, 5), ("(-)-epicatechin", 32, 6),
                              *[(name, 25, 7) for name in TIED_AT_7], ("Tybraine", 24, 10)]
    targets = {n.name: (n.degree, n.rank) for n in net.side_nodes("target")}
    assert targets["Prostaglandin G/H synthase 2"] == (20, 1)
    assert targets["Prostaglandin G/H synthase 1"] == (18, 2)
    assert targets["Sodium channel protein type 5 subunit alpha"] == targets["Muscarinic acetylcholine receptor M1"] \
        == (11, 5)
    assert sum(1 for d, r in targets.values() if r == 7) == 5 and all(d == 10 for d, r in targets.values() if r == 7)
    assert sum(n.degree for n in net.side_nodes("compound")) == sum(n.degree for n in net.side_nodes("target")) == 666


def test_core_nodes_include_the_tie_at_the_boundary(net: CTNetwork) -> None:
    assert net.core("compound", 1) == ("quercetin",)
    core7 = net.core("compound", 7)
    assert len(core7) == 9 and set(TIED_AT_7) <= set(core7)  # a top 7 that the tie makes nine long
    assert len(net.core("target", 6)) == 6 and len(net.core("target", 7)) == 11


def test_repeated_rows_make_one_edge_and_are_counted() -> None:
    """The table's first 100 rows listed twice (as a study merging two exports would); quercetin's rows come after
    them. awk -F'\\t' 'NR>1 && NR<=101{print $3}' /tmp/m.tsv | sort | uniq -c | sort -rn: beta-sitosterol 38 (all
    its rows), Sitogluside 17, FER 16, protocatechuic acid 13 (all its rows), ..."""
    pairs = tcmsp_pairs()
    twice = summarise(build_ct_graph(pairs + pairs[:100] + [("", "PTGS2"), ("quercetin", "  ")]))
    assert (twice.edges, twice.repeated_pairs, twice.compounds, twice.targets) == (666, 100, 25, 257)
    first = {name: sum(1 for c, _ in pairs[:100] if c == name) for name, _ in pairs[:100]}
    for node in twice.side_nodes("compound"):
        assert node.rows == node.degree + first.get(node.name, 0)
    assert twice.find("quercetin")[0].rows == 154 and twice.find("beta-sitosterol")[0].rows == 76
    rows = {r["name"]: r for r in ctnetwork.node_rows(twice)}
    assert rows["protocatechuic acid"]["rows"] == 2 * rows["protocatechuic acid"]["degree"]
    assert first["protocatechuic acid"] == 13
    label, reason, evidence = judge(twice, node="protocatechuic acid", degree=26)  # a Cytoscape import of the rows
    assert label == "supported" and "counts every listed row: 26 rows for 13 distinct pairs" in evidence


def test_pathway_form_links_member_targets_only() -> None:
    """Hand-made pathway sets (named as such) on the real table: only members that are network targets link."""
    pathways = {"hand-made set A": ["Prostaglandin G/H synthase 2", "Prostaglandin G/H synthase 1", "NOT A TARGET"],
                "hand-made set B": ["Prostaglandin G/H synthase 2"], "hand-made set C": ["NOT A TARGET"]}
    g = build_ct_graph(tcmsp_pairs(), pathways)
    net = summarise(g)
    assert (net.pathways, net.pathway_edges, net.edges) == (2, 3, 666)
    ptgs2 = net.find("Prostaglandin G/H synthase 2")[0]
    assert (ptgs2.degree, ptgs2.pathway_degree, ptgs2.cytoscape_degree, ptgs2.rank) == (20, 2, 22, 1)
    assert [(n.name, n.degree, n.rank) for n in net.side_nodes("pathway")] == [("hand-made set A", 2, 1),
                                                                                ("hand-made set B", 1, 2)]
    assert net.find("quercetin")[0].pathway_degree == 0
    assert judge(net, node="hand-made set A", side="pathway", degree=2, max_rank=1)[0] == "supported"
    label, _, evidence = judge(net, node="Prostaglandin G/H synthase 2", degree=22)  # Cytoscape's degree on C–T–P
    assert label == "supported" and "counts the 2 pathway links too" in evidence


def test_a_name_on_two_sides_keeps_two_nodes() -> None:
    """Hand-made pairs: "adenosine" is a compound and a target."""
    g = build_ct_graph([("adenosine", "ADORA1"), ("caffeine", "adenosine"), ("caffeine", "ADORA1")])
    net = summarise(g)
    assert {n.side for n in net.find("adenosine")} == {"compound", "target"}
    assert set(g) == {"adenosine [compound]", "adenosine [target]", "ADORA1", "caffeine"}
    assert net.find("adenosine", "target")[0].degree == 1


def test_graphml_round_trip_and_sif(graph: nx.Graph, net: CTNetwork, tmp_path: Path) -> None:
    annotate(graph, net)
    path = write_graphml(tmp_path / "ct.graphml", graph)
    back = nx.read_graphml(path)
    assert (back.number_of_nodes(), back.number_of_edges()) == (282, 666)
    assert back.nodes["quercetin"] == {"name": "quercetin", "side": "compound", "degree": 154, "rank": 1,
                                       "pathway_degree": 0, "rows": 154}
    assert back.nodes["Eciphin"]["rank"] == 7 and back.nodes["Prostaglandin G/H synthase 2"]["side"] == "target"
    assert {d for _, _, d in back.edges(data="kind")} == {"ct"} and {r for _, _, r in back.edges(data="rows")} == {1}
    lines = write_sif(tmp_path / "ct.sif", graph).read_text(encoding="utf-8").splitlines()
    assert len(lines) == 666 and "quercetin\tct\tProstaglandin G/H synthase 2" in lines
    assert sum(1 for x in lines if x.startswith("quercetin\t")) == 154


def test_figure_labels_the_top_of_each_side_with_ties(graph: nx.Graph, net: CTNetwork, tmp_path: Path) -> None:
    import matplotlib.pyplot as plt

    fig = draw_ct_network(graph, net, label_top=7)
    try:
        labels = {t.get_text() for t in fig.axes[0].texts}
    finally:
        plt.close(fig)
    top = [n for side in ("compound", "target") for n in net.side_nodes(side) if n.rank <= 7]  # 9 + 11, ties included
    assert labels == {f"{n.name} ({n.degree})" for n in top} and "quercetin (154)" in labels
    # Hand-made: a tie at the cut that would more than double the labels is left unlabelled.
    small = build_ct_graph([("A", "T1"), ("A", "T2"), ("A", "T3")] + [(c, "T1") for c in "BCDEF"])
    fig = draw_ct_network(small, summarise(small), label_top=2)  # compounds B-F tie at rank 2: 6 > 2 × 2
    try:
        labels = {t.get_text() for t in fig.axes[0].texts}
    finally:
        plt.close(fig)
    assert labels == {"A (3)", "T1 (6)", "T2 (1)", "T3 (1)"}  # targets: 3 ≤ 2 × 2, the tie at rank 2 labelled
    fig = draw_ct_network(graph, net, per_side=100)  # the 257 targets drawn as their best-ranked 100
    try:
        title = fig.axes[0].get_title()
        drawn = [len(c.get_offsets()) for c in fig.axes[0].collections[1:]]  # [0] holds the edges
    finally:
        plt.close(fig)
    assert "showing the top 100 of 257 targets by degree" in title and drawn == [25, 100]
    written = ctnetwork.write_ct_figure(graph, net, tmp_path / "ct_network")
    assert [p.name for p in written] == ["ct_network.png", "ct_network.svg"]
    assert written[0].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and b"<svg" in written[1].read_bytes()[:400]


def test_findings_round_trip_through_json(net: CTNetwork) -> None:
    assert from_mapping(CTNetwork, to_mapping(net), "test", complete=True) == net


# --- the ct_degree claim kind -------------------------------------------------------------------------------
def claim(**params: Any) -> Claim[Any]:
    return claim_from_table(1, {"id": "c1", "text": "a paper's sentence", "kind": "ct_degree", **params},
                            claim_kinds())


def judge(net: CTNetwork | None, **params: Any) -> tuple[str, str, str]:
    c = claim(**params)
    v = evaluate_ct_degree(c, c.params, net)
    return v.verdict, v.reason, v.evidence


def test_ct_degree_on_the_real_network(net: CTNetwork) -> None:
    label, reason, evidence = judge(net, node="quercetin", degree=154, max_rank=1)
    assert label == "supported" and reason == "degree 154; rank 1 ≤ 1"
    assert "compound quercetin: degree 154, rank 1 of 25 compounds" in evidence
    assert judge(net, node="Quercetin", max_rank=1)[0] == "supported"  # case-insensitive match, said
    assert "matched 'Quercetin' to 'quercetin'" in judge(net, node="Quercetin", max_rank=1)[2]
    assert judge(net, node="β-Sitosterol", degree=38, max_rank=4)[0] == "supported"  # TCMSP spells "beta-sitosterol"
    assert judge(net, node="Prostaglandin G/H synthase 2", side="target", degree=20)[0] == "supported"
    label, reason, _ = judge(net, node="apigenin", degree=85, max_rank=2)
    assert label == "partially supported" and "degree 80 here, the paper says 85" in reason
    label, reason, _ = judge(net, node="kaempferol", degree=80, max_rank=2)
    assert label == "not supported" and "rank 3 > 2" in reason


def test_ct_degree_ties_share_a_rank(net: CTNetwork) -> None:
    for name in TIED_AT_7:
        assert judge(net, node=name, degree=25, max_rank=7)[0] == "supported"
        assert judge(net, node=name, max_rank=6)[:2] == ("not supported", "rank 7 > 6")


def test_ct_degree_a_tie_larger_than_the_selection_is_not_evidence() -> None:
    """Hand-made table: A and B each hit three targets, C one; "A hits the most targets" rests on a tie."""
    pairs = [("A", "T1"), ("A", "T2"), ("A", "T3"), ("B", "T1"), ("B", "T2"), ("B", "T4"), ("C", "T1")]
    net = summarise(build_ct_graph(pairs))
    label, reason, evidence = judge(net, node="A", max_rank=1)
    assert label == "partially supported"
    assert reason.startswith("2 compounds tie at degree 3 for the top: the ranking cannot tell A from the other")
    assert judge(net, node="A", degree=3)[0] == "supported"  # a degree claim is exact, no tie involved
    assert judge(net, node="C", max_rank=1)[0] == "not supported"


def test_ct_degree_absent_node_is_not_supported_not_a_config_error(net: CTNetwork) -> None:
    label, reason, evidence = judge(net, node="luteolin", max_rank=1)
    assert (label, reason) == ("not supported", "luteolin is absent from the compound–target network")
    assert evidence == "luteolin is not among its 282 nodes"
    label, _, evidence = judge(net, node="quercetin", side="target", degree=154)
    assert label == "not supported" and evidence == "quercetin is not among the 257 targets"
    assert judge(None, node="quercetin", max_rank=1)[0] == "cannot be evaluated here"
    assert judge(net, node="hsa04080", side="pathway", max_rank=1)[:2] == (
        "cannot be evaluated here", "the compound–target network has no pathways (enrichment gave none)")


def test_ct_degree_a_bound_covering_every_node_cannot_fail(net: CTNetwork) -> None:
    label, reason, _ = judge(net, node="Tybraine", max_rank=25)
    assert label == "partially supported" and "covers every compound, so it cannot fail" in reason


def test_ct_degree_a_name_on_two_sides_needs_side() -> None:
    net = summarise(build_ct_graph([("adenosine", "ADORA1"), ("caffeine", "adenosine"), ("caffeine", "ADORA1")]))
    label, reason, _ = judge(net, node="adenosine", degree=1)
    assert label == "cannot be evaluated here" and 'give side = "compound" or "target"' in reason
    assert judge(net, node="adenosine", side="compound", degree=1)[0] == "supported"


@pytest.mark.parametrize(("params", "message"), [
    ({"node": "quercetin"}, "give 'degree'"),
    ({"node": "quercetin", "max_rank": 0}, "max_rank must be >= 1"),
    ({"node": "quercetin", "degree": 0}, "degree must be >= 1"),
    ({"node": "quercetin", "degree": 3, "side": "drug"}, "not one of"),
    ({"node": " ", "degree": 3}, "'node' must name"),
    ({"node": "quercetin", "degree": 3, "rank": 1}, "unknown key"),
])
def test_ct_degree_bad_parameters_are_config_errors(params: dict[str, Any], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        claim(**params)


# --- the adapter: a claim judged on a run directory through RunView ----------------------------------------
def test_ct_degree_is_judged_on_a_run_directory(net: CTNetwork, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    c = claim(node="quercetin", degree=154, max_rank=1)
    assert isinstance(c.params, CTDegree)
    assert c.params.evaluate(c, compounds_run(tmp_path, monkeypatch, None)).reason == "compounds stage not run"
    v = c.params.evaluate(c, compounds_run(tmp_path, monkeypatch, StandInFindings(net, None)))
    assert v.verdict == "supported" and v.data_completeness.startswith("complete: the compound–target network")
    no_table = c.params.evaluate(c, compounds_run(tmp_path, monkeypatch, StandInFindings(None, None)))
    assert no_table.verdict == "cannot be evaluated here" and "no compound → target table" in no_table.reason

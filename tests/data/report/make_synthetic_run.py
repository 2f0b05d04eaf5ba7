"""Regenerate the hand-made synthetic run directory used by tests/test_report*.py.

NOT RESULTS. Every number below is hand-made to exercise the report and verdict code; the
network is a toy graph whose topology values were checked by hand (see README.md).
Run: .venv/bin/python tests/data/report/make_synthetic_run.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

OUT = Path(__file__).resolve().parent / "synthetic_run"
REPO = Path(__file__).resolve().parents[3]
TARGETS = ["GRIN2B", "CREB1", "BDNF", "GRIN1", "AKT1", "OPRM1"]
# Toy graph: K4 on GRIN2B, CREB1, BDNF, AKT1 plus the pendant edge GRIN2B-GRIN1; OPRM1 uncovered.
EDGES = [("BDNF", "CREB1", 0.9), ("AKT1", "BDNF", 0.8), ("AKT1", "CREB1", 0.7), ("BDNF", "GRIN2B", 0.6),
         ("CREB1", "GRIN2B", 0.75), ("AKT1", "GRIN2B", 0.5), ("GRIN1", "GRIN2B", 0.95)]
DEGREE = {"GRIN2B": 4, "CREB1": 3, "BDNF": 3, "AKT1": 3, "GRIN1": 1}
CLUSTERING = {"GRIN2B": 0.5, "CREB1": 1.0, "BDNF": 1.0, "AKT1": 1.0, "GRIN1": 0.0}
# MCODE by hand (Bader & Hogue 2003, app defaults): every K4 node's neighbourhood holds the K4 (3-core, density 1)
# -> 3.0; GRIN1 has one neighbour -> 0. One cluster, the K4: 6 edges, score 1.0 x 4; seed GRIN2B (the 3.0 that
# comes first in Cytoscape's node-list order, the reverse of the graph's name order).
MCODE = {"GRIN2B": 3.0, "CREB1": 3.0, "BDNF": 3.0, "AKT1": 3.0, "GRIN1": 0.0}
MODULE = ["AKT1", "BDNF", "CREB1", "GRIN2B"]
MCC = {"GRIN2B": 7, "CREB1": 6, "BDNF": 6, "AKT1": 6, "GRIN1": 1}  # 3! + 1!, 3!, 3!, 3!, 1!
MCC_RANK = {"GRIN2B": 1, "CREB1": 2, "BDNF": 2, "AKT1": 2, "GRIN1": 5}
DEGREE_RANK = {"GRIN2B": 1, "CREB1": 2, "BDNF": 2, "AKT1": 2, "GRIN1": 5}
# CytoNCA measures of the toy graph, by hand (see README.md). Eigenvector: with x = (g, c, c, c, h) for
# (GRIN2B, the three others of the K4, GRIN1), A x = λ x gives g = (λ − 2) c, h = g / λ and
# λ³ − 2λ² − 4λ + 2 = 0 (largest root λ ≈ 3.086); x normalised to unit length.
_LAMBDA = max(r.real for r in np.roots([1, -2, -4, 2]))
_G, _C = _LAMBDA - 2.0, 1.0
_NORM = float(np.sqrt(_G ** 2 + 3 * _C ** 2 + (_G / _LAMBDA) ** 2))
K4_REST = ("AKT1", "BDNF", "CREB1")
CYTONCA_ROUND1 = {  # name: (Degree, Betweenness (ordered pairs), Closeness, Eigenvector, LAC, Network)
    "AKT1": (3.0, 0.0, 4 / 5, _C / _NORM, 2.0, 3.0), "BDNF": (3.0, 0.0, 4 / 5, _C / _NORM, 2.0, 3.0),
    "CREB1": (3.0, 0.0, 4 / 5, _C / _NORM, 2.0, 3.0), "GRIN1": (1.0, 0.0, 4 / 7, _G / _LAMBDA / _NORM, 0.0, 0.0),
    "GRIN2B": (4.0, 6.0, 1.0, _G / _NORM, 6 / 4, 3.0)}
# Round 2: the triangle AKT1–BDNF–CREB1 (GRIN2B fails LAC 1.5 < 2, GRIN1 fails Degree, Closeness, ...).
CYTONCA_ROUND2 = {n: (2.0, 0.0, 1.0, 1 / np.sqrt(3.0), 1.0, 2.0) for n in K4_REST}
MEASURES = ("Degree", "Betweenness", "Closeness", "Eigenvector", "LAC", "Network")


def tsv(path: Path, frame: pd.DataFrame) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(path, sep="\t", index=False, lineterminator="\n")


def js(path: Path, obj: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(obj, indent=2, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")


def toy_figure(path: Path, label: str) -> None:
    fig, ax = plt.subplots(figsize=(3, 2), dpi=60)
    ax.bar([0, 1, 2], [3, 1, 2], color="#888")
    ax.set_title(f"SYNTHETIC TEST FIGURE: {label}", fontsize=7)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, format="png", metadata={"Software": None})
    plt.close(fig)


def core_targets_table() -> tuple[pd.DataFrame, list[dict[str, object]]]:
    """network/core_targets.tsv and the findings' rounds, from the hand-made values above."""
    rows, rounds = [], []
    for k, values in ((1, CYTONCA_ROUND1), (2, CYTONCA_ROUND2)):
        medians = {m: float(np.median([v[i] for v in values.values()])) for i, m in enumerate(MEASURES)}
        core = sorted(K4_REST)
        rounds.append({"round": k, "nodes": len(values), "medians": medians, "core": core})
        for name in sorted(values):
            row: dict[str, object] = {"round": k, "name": name}
            for i, m in enumerate(MEASURES):
                v = float(values[name][i])
                row.update({m: v, f"{m}_median": medians[m], f"{m}_pass": v >= medians[m] - 1e-9})
            rows.append(row | {"core": name in core, "core_round": 2 if name in K4_REST else 0})
    return pd.DataFrame(rows), rounds


def network() -> None:
    d = OUT / "network"
    tsv(d / "edges.tsv", pd.DataFrame(
        [(a, b, f"9606.SYNTH_{a}", f"9606.SYNTH_{b}", s, "synthetic fixture") for a, b, s in EDGES],
        columns=["name_a", "name_b", "string_id_a", "string_id_b", "score", "source"]))
    names = sorted(DEGREE)
    tsv(d / "nodes.tsv", pd.DataFrame({"name": names, "Degree": [DEGREE[n] for n in names],
                                       "ClusteringCoefficient": [CLUSTERING[n] for n in names]}))
    tsv(d / "hubs.tsv", pd.DataFrame({"name": names, "MCC": [MCC[n] for n in names],
                                      "Degree": [DEGREE[n] for n in names],
                                      "MCC_rank": [MCC_RANK[n] for n in names],
                                      "Degree_rank": [DEGREE_RANK[n] for n in names]}))
    top = [("MCC", MCC_RANK[n], n, MCC[n], False) for n in sorted(names, key=lambda n: (MCC_RANK[n], n))]
    tsv(d / "top_hubs.tsv", pd.DataFrame(top, columns=["method", "rank", "name", "score", "tied_at_boundary"]))
    pairs = []
    edge_set = {(a, b) for a, b, _ in EDGES}
    for i, x in enumerate(TARGETS):
        for y in TARGETS[i + 1:]:
            a, b = sorted((x, y))
            if (a, b) in edge_set:
                pairs.append((a, b, "edge", "interaction reported"))
            elif "OPRM1" in (a, b):
                pairs.append((a, b, "unknown", "no source covers both proteins"))
            else:
                pairs.append((a, b, "non_edge", "both proteins in synthetic export; no interaction"))
    tsv(d / "coverage.tsv", pd.DataFrame(pairs, columns=["name_a", "name_b", "status", "evidence"]))
    tsv(d / "network_summary.tsv", pd.DataFrame({"statistic": ["nodes", "edges"], "value": [5, 7]}))
    tsv(d / "modules.tsv", pd.DataFrame({"name": names, "mcode_score": [MCODE[n] for n in names],
                                         "cluster": pd.array([1 if n in MODULE else None for n in names], dtype="Int64"),
                                         "status": ["seed" if n == "GRIN2B" else "clustered" if n in MODULE
                                                    else "unclustered" for n in names]}))
    tsv(d / "module_clusters.tsv", pd.DataFrame({"cluster": [1], "score": [4.0], "nodes": [4], "edges": [6],
                                                 "seed": ["GRIN2B"], "members": [",".join(MODULE)]}))
    tsv(d / "rank_stability.tsv", pd.DataFrame({"name": ["GRIN2B", "CREB1"], "MCC_rank_at_400": [1, 2],
                                                "MCC_rank_at_700": [1, 2]}))
    core_table, core_rounds = core_targets_table()
    tsv(d / "core_targets.tsv", core_table)
    (d / "network.sif").write_text("".join(f"{a}\tpp\t{b}\n" for a, b, _ in EDGES))
    (d / "network.graphml").write_text('<?xml version="1.0" encoding="UTF-8"?>\n<graphml xmlns='
                                       '"http://graphml.graphdrawing.org/xmlns"><graph edgedefault="undirected">'
                                       "</graph></graphml>\n")
    js(d / "summary.json", {
        "stage": "network", "status": "partial", "reason": "network built on partial STRING data (see missing)",
        "missing": ["STRING PPI-enrichment p-value: not in cache (offline); run online to record it",
                    "1 of 6 targets have no STRING data here: OPRM1",
                    "5 of 15 target pairs are not covered (edge or non-edge unknown); listed in network/coverage.tsv"],
        "outputs": [f"network/{n}" for n in ("edges.tsv", "nodes.tsv", "hubs.tsv", "top_hubs.tsv", "coverage.tsv",
                                             "network_summary.tsv", "rank_stability.tsv", "network.sif",
                                             "network.graphml", "core_targets.tsv", "modules.tsv",
                                              "module_clusters.tsv")],
        "findings": {"nodes": 5, "edges": 7, "targets": TARGETS, "covered_targets": TARGETS[:5],
                     "uncovered_targets": ["OPRM1"], "pair_counts": {"edge": 7, "non_edge": 3, "unknown": 5},
                     "unknown_pairs": 5, "degree": DEGREE,
                     "node_metrics": {"Degree": {n: float(v) for n, v in DEGREE.items()},
                                      "ClusteringCoefficient": CLUSTERING},
                     "most_connected": ["GRIN2B"], "hub_ranks": {"MCC": MCC_RANK, "Degree": DEGREE_RANK},
                     "hub_top": {"MCC": names, "Degree": names}, "mcc_ranks": MCC_RANK, "mcc_top": names,
                     "mcc_tie_at_boundary": False, "ppi_enrichment": None, "string_version": "synthetic",
                     "required_score": 400, "source": "import", "hub_parameters": {"top_n": 10},
                     "conflicts": [], "symbol_matches": {}, "version_rule": "", "partial_columns": {},
                     "core_targets": {"measures": list(MEASURES), "rounds_asked": 2, "rounds": core_rounds},
                     "modules": [{"cluster": 1, "score": 4.0, "seed": "GRIN2B", "members": MODULE, "edges": 6}],
                     "module_parameters": {"degree_cutoff": 2, "node_score_cutoff": 0.2, "haircut": True,
                                           "fluff": False, "fluff_node_density_cutoff": 0.1, "k_core": 2,
                                           "max_depth": 100, "include_loops": False},
                     "query_isolated": [], "query_disagreements": [], "reference_sources": [],
                     "data_sources": [{"source": "synthetic fixture", "file": "hand-made", "version": "none"}]}})


THEMES = [("chemical synaptic transmission", "BP", "GO:0007268", True, 1.0e-6),
          ("postsynaptic membrane", "CC", "GO:0045211", True, 2.0e-4),
          ("ionotropic glutamate receptor activity", "MF", "GO:0004970", True, 3.0e-5),
          ("calcium channel activity", "MF", "GO:0005262", False, 0.2),
          ("post NMDA receptor activation events", "Reactome", "R-HSA-438064", True, 1.0e-7),
          ("CREB1 phosphorylation", "Reactome", "R-HSA-442742", True, 4.0e-3)]


def enrichment() -> None:
    d = OUT / "enrichment"
    themes = [{"theme": t, "category": c, "recovered": r, "best_term": term, "best_term_name": t,
               "fdr_offline": fdr, "fdr_string": None, "recovered_offline": r, "recovered_string": None,
               "rank_offline": 1}
              for t, c, term, r, fdr in THEMES]
    tsv(d / "themes.tsv", pd.DataFrame(themes))
    # offline_<category>.tsv: the hand-made FDRs of the theme terms (what the `enriched` claims read)
    for cat in ("BP", "CC", "MF", "Reactome"):
        rows = [(cat, term, t, fdr) for t, c, term, _, fdr in THEMES if c == cat]
        tsv(d / f"offline_{cat}.tsv", pd.DataFrame(rows, columns=["category", "term", "name", "fdr"]))
    tsv(d / "top_terms.tsv", pd.DataFrame({"category": ["BP", "CC"], "term": ["GO:0007268", "GO:0045211"],
                                           "fdr": [1.0e-6, 2.0e-4]}))
    toy_figure(d / "figures" / "offline_BP.png", "enrichment")
    js(d / "summary.json", {
        "stage": "enrichment", "status": "ok", "reason": "",
        "missing": ["STRING enrichment: not in cache (offline)"],
        "outputs": ["enrichment/themes.tsv", "enrichment/top_terms.tsv", "enrichment/figures/offline_BP.png"]
        + [f"enrichment/offline_{c}.tsv" for c in ("BP", "CC", "MF", "Reactome")],
        "findings": {"themes": themes, "string_enrichment_cached": False, "offline_ora": True,
                     "background": "synthetic", "background_size": {"BP": 100},
                     "figures": ["enrichment/figures/offline_BP.png"], "fdr_threshold": 0.05,
                     "query_genes": TARGETS, "unknown_symbols": [], "significant_terms": {"BP": 1},
                     "string_significant_terms": None,
                     "data_sources": [{"source": "synthetic fixture", "file": "hand-made"}],
                     "string_source": None,
                     "correction": {"offline": {"BP": {"method": "string", "m": 100,
                                                       "label": "string: synthetic fixture"}}, "string": None},
                     "string_terms": [], "offline_terms": {"BP": {"GO:0007268": 1.0e-6}},
                     "annotation": "shipped (human)"}})


def docking() -> None:
    d = OUT / "docking"
    toy_figure(d / "MOR" / "best_pose.png", "pose")
    (d / "MOR" / "best_pose.pml").write_text("# synthetic PyMOL script (test fixture)\n")
    base = {"engine": "autodock4", "ligand": "morphine", "n_runs": 20, "contacts": ["A:ASP147", "A:TYR148"], "asp332": "A:ASP147",
            "error": "", "structure_role": "stand_in", "receptor_chains": "A"}
    systems = [
        {**base, "system": "MOR", "receptor": "8EFO", "paper_pdb": "8EF6", "used_structure": "8EFO",
         "stand_in": True, "status": "ok", "best_energy": -7.1, "best_cluster_size": 12,
         "amine_asp332_distance": 3.1, "salt_bridge": True, "figure": "docking/MOR/best_pose.png"},
        {**base, "system": "DOR", "receptor": "4EJ4", "paper_pdb": "6PT2", "used_structure": "4EJ4",
         "stand_in": True, "status": "ok", "best_energy": -6.5, "best_cluster_size": 7,
         "amine_asp332_distance": 6.2, "salt_bridge": False, "figure": ""},
        {**base, "system": "KOR", "receptor": "6B73", "paper_pdb": "6VI4", "used_structure": "6B73",
         "stand_in": True, "status": "failed", "best_energy": None, "best_cluster_size": None,
         "amine_asp332_distance": None, "salt_bridge": False, "figure": "", "error": "synthetic failure"}]
    # through the findings dataclasses, so fields added to them later get their defaults here
    from netpharm.config import to_mapping
    from netpharm.docking.findings import DockedSystem, RedockResult

    systems = [to_mapping(DockedSystem(**{**x, "contacts": tuple(x["contacts"])})) for x in systems]
    redocking = [to_mapping(RedockResult("1PGP", "autodock4", -9.0, 0.8, "ok", receptor="1PGP", rmsd_min=0.8,
                                         rmsd_min_pose=3, best_cluster_size=15, n_runs=20,
                                         cluster_basis="AutoDock clustering, rmstol 2.0 Å", success=True,
                                         crystal_local_energy=-9.2, failure_cause="", error=None))]
    js(d / "summary.json", {
        "stage": "docking", "status": "partial", "reason": "1 of 3 docking runs did not finish",
        "missing": ["system KOR (autodock4): synthetic failure"], "outputs": ["docking/MOR/best_pose.png"],
        "findings": {"systems": systems, "redocking": redocking,
                     "programs": {"autodock4": "4.2.6", "autogrid4": "4.2.6", "vina": None}}})


def nmda() -> None:
    js(OUT / "nmda" / "summary.json", {
        "stage": "nmda", "status": "not_run", "reason": "structure 9IYP not in cache",
        "missing": ["structure 9IYP not in cache"], "outputs": [], "findings": {}})


def top_level() -> None:
    (OUT / "targets.txt").write_text("\n".join(TARGETS) + "\n")
    sys.path.insert(0, str(REPO))
    from netpharm.config import read_toml

    # the paper's seven claims, exactly as workflows/microdiscectomy-offline.toml states them
    claims = read_toml(REPO / "workflows" / "microdiscectomy-offline.toml")["claims"]
    js(OUT / "workflow.resolved.json", {"name": "synthetic-fixture", "offline": True, "claims": claims,
                                        "network": {"required_score": 400}, "report": {"title": ""}})
    js(OUT / "manifest.json", {
        "netpharm_version": "0.0.0-synthetic", "git_commit": "synthetic", "python": "3.x", "workflow":
        "synthetic-fixture", "libraries": {"networkx": "synthetic", "rdkit": None},
        "programs": {"autodock4": "4.2.6", "vina": None, "chromium": "installed"},
        "seeds": {"epc_seed": 12345}, "targets": TARGETS, "offline": True,
        "cache_entries": [{"key": "0" * 64, "source": "synthetic", "kind": "import", "file": "hand-made.tsv",
                           "retrieved_at": "2000-01-01T00:00:00+00:00", "sha256": "f" * 64}],
        "stages": {"network": {"status": "partial", "reason": ""}}, "started": "2000-01-01T00:00:00+00:00",
        "finished": None, "note": "<script>alert('must be escaped')</script>"})


if __name__ == "__main__":
    network()
    enrichment()
    docking()
    nmda()
    top_level()

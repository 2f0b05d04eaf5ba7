"""The network stage's report figure, as PNG and SVG byte-identical across reruns.

Drawn the way Cytoscape users read STRING networks (Shannon et al. 2003; Szklarczyk et al.
2023): node size by degree, node colour by cytoHubba MCC score (Chin et al. 2014), edge
width by STRING combined score. Targets without STRING data are drawn as grey hollow
nodes so a gap is visible rather than silently absent.
"""

from __future__ import annotations

import logging
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # headless: the report is built on servers and in CI

import matplotlib.pyplot as plt  # noqa: E402
import networkx as nx  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib import cm, colors  # noqa: E402

from netpharm.figures import save_figure  # noqa: E402

__all__ = ["LAYOUT_SEED", "network_graph", "draw_network", "write_network_figure"]

log = logging.getLogger(__name__)

#: Seed of the spring layout: the same network always gets the same picture.
LAYOUT_SEED = 20240401


def _score_column(edges: pd.DataFrame) -> pd.Series:
    """Combined score on 0–1 (STRING exports use 0–1, older tables 0–1000)."""
    col = "score" if "score" in edges.columns else "combined_score"
    score = pd.to_numeric(edges[col], errors="coerce").fillna(0.0)
    return score / 1000.0 if float(score.max() if len(score) else 0.0) > 1.0 else score


def network_graph(edges: pd.DataFrame, nodes: pd.DataFrame | None, hubs: pd.DataFrame | None,
                  uncovered: list[str]) -> nx.Graph:
    """The graph to draw: nodes (sorted, for a stable layout) with degree/MCC, edges with score."""
    graph = nx.Graph()
    names = set(edges["name_a"].astype(str)) | set(edges["name_b"].astype(str)) if len(edges) else set()
    if nodes is not None and "name" in nodes.columns:
        names |= set(nodes["name"].astype(str))
    mcc = dict(zip(hubs["name"].astype(str), pd.to_numeric(hubs["MCC"], errors="coerce"))) \
        if hubs is not None and {"name", "MCC"} <= set(hubs.columns) else {}
    for name in sorted(names):
        graph.add_node(name, covered=True, mcc=float(mcc.get(name, 0.0) or 0.0))
    for name in sorted(set(uncovered) - names):
        graph.add_node(name, covered=False, mcc=0.0)
    scores = _score_column(edges) if len(edges) else pd.Series(dtype=float)
    pairs = sorted(zip(edges["name_a"].astype(str), edges["name_b"].astype(str), scores)) if len(edges) else []
    for a, b, s in pairs:
        graph.add_edge(a, b, score=float(s))
    return graph


def _layout(graph: nx.Graph, covered: list[str], missing: list[str]) -> dict[str, tuple[float, float]]:
    """Spring layout of the covered nodes; nodes without data in a row underneath.

    Laying the data-less nodes out with the rest would push the real network into a corner.
    """
    sub = graph.subgraph(covered)
    k = 2.0 / max(len(covered), 1) ** 0.5
    pos = {n: (float(x), float(y)) for n, (x, y) in
           nx.spring_layout(sub, seed=LAYOUT_SEED, weight="score", k=k).items()} if covered else {}
    for i, name in enumerate(missing):
        x = -1.0 + 2.0 * (i + 0.5) / len(missing)
        pos[name] = (x, -1.35)
    return pos


def draw_network(graph: nx.Graph, title: str) -> plt.Figure:
    """Spring layout (fixed seed, weighted by score); size ∝ degree, colour = MCC, width ∝ score."""
    covered = [n for n, d in graph.nodes(data=True) if d["covered"]]
    missing = [n for n, d in graph.nodes(data=True) if not d["covered"]]
    pos = _layout(graph, covered, missing)
    fig, ax = plt.subplots(figsize=(8.0, 6.5), dpi=120)
    mcc = [graph.nodes[n]["mcc"] for n in covered]
    norm = colors.Normalize(vmin=min(mcc, default=0.0), vmax=max(max(mcc, default=1.0), min(mcc, default=0.0) + 1))
    cmap = matplotlib.colormaps["viridis"]
    widths = [0.5 + 4.0 * d["score"] for _, _, d in graph.edges(data=True)]
    nx.draw_networkx_edges(graph, pos, ax=ax, width=widths, edge_color="#888888", alpha=0.7)
    sizes = [150 + 90 * graph.degree(n) for n in covered]
    nx.draw_networkx_nodes(graph, pos, nodelist=covered, ax=ax, node_size=sizes,
                           node_color=[cmap(norm(v)) for v in mcc], edgecolors="#222222")
    if missing:
        nx.draw_networkx_nodes(graph, pos, nodelist=missing, ax=ax, node_size=200, node_color="white",
                               edgecolors="#999999", linewidths=1.5)
    nx.draw_networkx_labels(graph, pos, ax=ax, font_size=9,
                            bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.75})
    fig.colorbar(cm.ScalarMappable(norm=norm, cmap=cmap), ax=ax, label="MCC score", shrink=0.7)
    note = f"; grey hollow = no STRING data ({len(missing)})" if missing else ""
    ax.set_title(f"{title}\nsize = degree, colour = MCC, width = combined score{note}", fontsize=9)
    ax.set_axis_off()
    fig.tight_layout()
    return fig


def write_network_figure(graph: nx.Graph, out_dir: Path, title: str = "Target network") -> list[Path]:
    """Write ``network.png`` and ``network.svg`` into ``out_dir``; returns both paths."""
    fig = draw_network(graph, title)
    try:
        paths = save_figure(fig, Path(out_dir) / "network")
    finally:
        plt.close(fig)
    log.info("network figure: %d nodes, %d edges -> %s", graph.number_of_nodes(), graph.number_of_edges(), out_dir)
    return paths

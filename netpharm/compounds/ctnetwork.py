"""The compound–target(–pathway) network of a network-pharmacology study, as Cytoscape users build it.

A study's compound → target table becomes a bipartite graph (compounds on one side, targets on the
other); once enrichment ran, each pathway is joined to its member targets (the "C–T–P" network). Papers
rank "core compounds" and "core targets" by degree on it ("quercetin hits the most targets"): here each
side is ranked by its degree with ties sharing a rank (:func:`netpharm.ties.competition_ranks`), so a
claim resting on a tie can be judged by the same rule as the hub claims (:mod:`netpharm.ties`).

Graph in → typed out: :func:`build_ct_graph` (pairs → ``networkx.Graph``), :func:`summarise`
(graph → :class:`~netpharm.compounds.ct_findings.CTNetwork`), :func:`annotate` (ranks back onto the
graph), :func:`write_graphml` / :func:`write_sif` (Cytoscape), :func:`draw_ct_network` /
:func:`write_ct_figure` (a bipartite figure).
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import networkx as nx

from netpharm.compounds.ct_findings import SIDES, CTNetwork, CTNode, Side
from netpharm.io import write_bytes_atomic, write_text_atomic
from netpharm.ties import competition_ranks

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["build_ct_graph", "summarise", "annotate", "write_graphml", "write_sif", "draw_ct_network",
           "write_ct_figure", "SIF_COMPOUND_TARGET", "SIF_PATHWAY_TARGET"]

log = logging.getLogger(__name__)

#: SIF interaction types (the middle column): compound → target, pathway → member target.
SIF_COMPOUND_TARGET = "ct"
SIF_PATHWAY_TARGET = "pt"


def _node_id(side: Side, name: str, shared: set[str]) -> str:
    """The graph's node key: the name itself, suffixed with its side only when the name is on two sides."""
    return f"{name} [{side}]" if name in shared else name


def build_ct_graph(pairs: Iterable[tuple[str, str]],
                   pathways: Mapping[str, Iterable[str]] | None = None) -> nx.Graph:
    """The compound–target(–pathway) graph.

    Parameters
    ----------
    pairs : iterable of (compound, target)
        One row per prediction; repeats of a pair (several sources, or a server listing it twice)
        make one edge, counted in the graph attribute ``repeated_pairs``. Blank names are skipped.
    pathways : mapping, optional
        Pathway (or GO term) → its genes, e.g. enrichment's KEGG terms. Each pathway is joined to its
        genes that are targets of the network; a pathway with none of them is left out.

    Returns
    -------
    networkx.Graph
        Nodes keyed by name (``"name [side]"`` when one name is both a compound and a target), with
        attributes ``name`` and ``side``; edges with ``kind`` = :data:`SIF_COMPOUND_TARGET` or
        :data:`SIF_PATHWAY_TARGET`.

    Examples
    --------
    >>> g = build_ct_graph([("quercetin", "PTGS2"), ("quercetin", "PTGS1"), ("apigenin", "PTGS2"),
    ...                     ("quercetin", "PTGS2")], {"hsa04370": ["PTGS2", "VEGFA"]})
    >>> sorted(g.degree), g.graph["repeated_pairs"]
    ([('PTGS1', 1), ('PTGS2', 3), ('apigenin', 1), ('hsa04370', 1), ('quercetin', 2)], 1)
    """
    seen: dict[tuple[str, str], None] = {}
    repeated = 0
    for compound, target in pairs:
        c, t = str(compound).strip(), str(target).strip()
        if not c or not t:
            continue
        if (c, t) in seen:
            repeated += 1
        seen[(c, t)] = None
    compounds = dict.fromkeys(c for c, _ in seen)
    targets = dict.fromkeys(t for _, t in seen)
    shared = set(compounds) & set(targets)
    graph = nx.Graph(repeated_pairs=repeated)
    sides: tuple[tuple[Side, dict[str, None]], ...] = (("compound", compounds), ("target", targets))
    for side, names in sides:
        for name in names:
            graph.add_node(_node_id(side, name, shared), name=name, side=side)
    graph.add_edges_from((_node_id("compound", c, shared), _node_id("target", t, shared),
                          {"kind": SIF_COMPOUND_TARGET}) for c, t in seen)
    for pathway, genes in (pathways or {}).items():
        members = [g for g in dict.fromkeys(str(x).strip() for x in genes) if g in targets]
        if not members:
            continue
        key = pathway if pathway not in compounds and pathway not in targets else f"{pathway} [pathway]"
        graph.add_node(key, name=pathway, side="pathway")
        graph.add_edges_from((key, _node_id("target", g, shared), {"kind": SIF_PATHWAY_TARGET}) for g in members)
    return graph


def _side_degrees(graph: nx.Graph) -> dict[str, tuple[int, int]]:
    """Node key → (degree in the compound–target network, pathway degree) as :class:`CTNode` defines them."""
    out: dict[str, tuple[int, int]] = {}
    for node, data in graph.nodes(data=True):
        kinds = [graph.edges[node, other]["kind"] for other in graph.adj[node]]
        pathway_links = sum(1 for k in kinds if k == SIF_PATHWAY_TARGET)
        if data["side"] == "pathway":
            out[node] = (pathway_links, 0)
        else:
            out[node] = (len(kinds) - pathway_links, pathway_links if data["side"] == "target" else 0)
    return out


def summarise(graph: nx.Graph) -> CTNetwork:
    """Sizes, every node's degree and its tie-aware rank within its side (graph from :func:`build_ct_graph`)."""
    degrees = _side_degrees(graph)
    nodes: list[CTNode] = []
    for side in SIDES:
        keys = [n for n, d in graph.nodes(data=True) if d["side"] == side]
        ranks = competition_ranks({k: float(degrees[k][0]) for k in keys})
        nodes += sorted((CTNode(graph.nodes[k]["name"], side, degrees[k][0], ranks[k], degrees[k][1]) for k in keys),
                        key=lambda n: (n.rank, n.name))
    count = {side: sum(1 for n in nodes if n.side == side) for side in SIDES}
    kinds = [k for _, _, k in graph.edges(data="kind")]
    return CTNetwork(compounds=count["compound"], targets=count["target"], pathways=count["pathway"],
                     edges=kinds.count(SIF_COMPOUND_TARGET), pathway_edges=kinds.count(SIF_PATHWAY_TARGET),
                     repeated_pairs=int(graph.graph.get("repeated_pairs", 0)), nodes=tuple(nodes))


def annotate(graph: nx.Graph, network: CTNetwork) -> nx.Graph:
    """Set ``degree``, ``rank`` and ``pathway_degree`` on every node of ``graph`` (what Cytoscape styles use)."""
    by = {(n.side, n.name): n for n in network.nodes}
    for _, data in graph.nodes(data=True):
        node = by[(data["side"], data["name"])]
        data.update(degree=node.degree, rank=node.rank, pathway_degree=node.pathway_degree)
    return graph


def write_graphml(path: Path, graph: nx.Graph) -> Path:
    """GraphML for Cytoscape (networkx's writer), atomically; node attributes as set on the graph.

    Run :func:`annotate` first to carry ``degree`` and ``rank``. Graph attributes are not written
    (Cytoscape ignores them).
    """
    plain = nx.Graph()
    plain.add_nodes_from(graph.nodes(data=True))
    plain.add_edges_from(graph.edges(data=True))
    buffer = io.BytesIO()
    nx.write_graphml(plain, buffer, encoding="utf-8", prettyprint=True)
    return write_bytes_atomic(path, buffer.getvalue())


def write_sif(path: Path, graph: nx.Graph) -> Path:
    """Simple Interaction Format, tab-separated so names may hold spaces: ``compound ct target`` and
    ``pathway pt target``, compounds and pathways first, each block sorted. networkx has no SIF writer;
    the format is one line per edge."""
    lines = []
    for source_side, kind in (("compound", SIF_COMPOUND_TARGET), ("pathway", SIF_PATHWAY_TARGET)):
        rows = []
        for a, b, k in graph.edges(data="kind"):
            if k != kind:
                continue
            src, dst = (a, b) if graph.nodes[a]["side"] == source_side else (b, a)
            rows.append((src, dst))
        lines += [f"{a}\t{kind}\t{b}" for a, b in sorted(rows)]
    return write_text_atomic(path, "\n".join(lines) + ("\n" if lines else ""))


#: Node colours per side (colour-blind safe, Okabe & Ito 2008).
_COLOURS: dict[str, str] = {"compound": "#E69F00", "target": "#56B4E9", "pathway": "#009E73"}


def _bipartite_layout(graph: nx.Graph) -> dict[str, tuple[float, float]]:
    """One column per side (compounds left, targets middle, pathways right), each sorted by degree.

    Highest degree at the top of each column, so the core nodes the paper names are where the eye
    starts; a column of n nodes spans the height evenly.
    """
    pos: dict[str, tuple[float, float]] = {}
    columns = [s for s in SIDES if any(d["side"] == s for _, d in graph.nodes(data=True))]
    for x, side in enumerate(columns):
        keys = sorted((n for n, d in graph.nodes(data=True) if d["side"] == side),
                      key=lambda n: (-graph.degree(n), str(n)))
        for i, key in enumerate(keys):
            pos[key] = (float(x), 1.0 - (i + 0.5) / len(keys))
    return pos


def draw_ct_network(graph: nx.Graph, network: CTNetwork, title: str = "Compound–target network",
                    label_top: int = 10) -> Figure:
    """Bipartite figure: a column per side, node size ∝ degree, the top ``label_top`` of each side labelled
    (ties at the boundary included), the other names omitted so ~100 nodes stay readable."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    pos = _bipartite_layout(graph)
    tallest = max((sum(1 for _, d in graph.nodes(data=True) if d["side"] == s) for s in SIDES), default=1)
    fig, ax = plt.subplots(figsize=(3.2 * max(2, len({x for x, _ in pos.values()})), min(4 + 0.12 * tallest, 30)),
                           dpi=110)
    nx.draw_networkx_edges(graph, pos, ax=ax, width=0.4, edge_color="#999999", alpha=0.5)
    for side in SIDES:
        keys = [n for n, d in graph.nodes(data=True) if d["side"] == side]
        if keys:
            nx.draw_networkx_nodes(graph, pos, nodelist=keys, ax=ax, node_color=_COLOURS[side],
                                   node_size=[20 + 12 * graph.degree(k) for k in keys], edgecolors="#333333",
                                   linewidths=0.4, label=f"{side}s ({len(keys)})")
    top = {(s, name) for s in SIDES for name in network.core(s, label_top)}
    labels = {k: d["name"] for k, d in graph.nodes(data=True) if (d["side"], d["name"]) in top}
    for key, text in labels.items():
        x, y = pos[key]
        side = graph.nodes[key]["side"]
        ax.annotate(text, (x, y), xytext=(-6 if side == "compound" else 6, 0), textcoords="offset points",
                    ha="right" if side == "compound" else "left", va="center", fontsize=7,
                    bbox={"boxstyle": "round,pad=0.1", "fc": "white", "ec": "none", "alpha": 0.8})
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, 0.0), ncol=3, fontsize=8, frameon=False)
    ax.set_title(f"{title}\n{network.compounds} compounds, {network.targets} targets, {network.edges} pairs"
                 + (f", {network.pathways} pathways" if network.pathways else "")
                 + f"; size = degree; top {label_top} per side labelled (ties included)", fontsize=9)
    ax.set_xlim(-0.8, max(x for x, _ in pos.values()) + 0.8 if pos else 1)
    ax.set_axis_off()
    fig.tight_layout()
    return fig


def write_ct_figure(graph: nx.Graph, network: CTNetwork, base: Path, title: str = "Compound–target network",
                    label_top: int = 10) -> list[Path]:
    """Write ``base.png`` and ``base.svg`` (:func:`netpharm.figures.save_figure`); returns both paths."""
    import matplotlib.pyplot as plt

    from netpharm.figures import save_figure

    fig = draw_ct_network(graph, network, title, label_top)
    try:
        paths = save_figure(fig, Path(base))
    finally:
        plt.close(fig)
    log.info("compound–target figure: %d nodes, %d edges -> %s", graph.number_of_nodes(), graph.number_of_edges(),
             base)
    return paths

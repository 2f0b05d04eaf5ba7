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

__all__ = ["build_ct_graph", "summarise", "annotate", "node_rows", "write_graphml", "write_sif", "draw_ct_network",
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
        :data:`SIF_PATHWAY_TARGET`, and ``rows`` = the input rows listing the pair (1 for pathway links).

    Examples
    --------
    >>> g = build_ct_graph([("quercetin", "PTGS2"), ("quercetin", "PTGS1"), ("apigenin", "PTGS2"),
    ...                     ("quercetin", "PTGS2")], {"hsa04370": ["PTGS2", "VEGFA"]})
    >>> sorted(g.degree), g.graph["repeated_pairs"]
    ([('PTGS1', 1), ('PTGS2', 3), ('apigenin', 1), ('hsa04370', 1), ('quercetin', 2)], 1)
    """
    seen: dict[tuple[str, str], int] = {}  # pair → rows listing it
    for compound, target in pairs:
        c, t = str(compound).strip(), str(target).strip()
        if c and t:
            seen[(c, t)] = seen.get((c, t), 0) + 1
    repeated = sum(seen.values()) - len(seen)
    compounds = dict.fromkeys(c for c, _ in seen)
    targets = dict.fromkeys(t for _, t in seen)
    shared = set(compounds) & set(targets)
    graph = nx.Graph(repeated_pairs=repeated)
    sides: tuple[tuple[Side, dict[str, None]], ...] = (("compound", compounds), ("target", targets))
    for side, names in sides:
        for name in names:
            graph.add_node(_node_id(side, name, shared), name=name, side=side)
    graph.add_edges_from((_node_id("compound", c, shared), _node_id("target", t, shared),
                          {"kind": SIF_COMPOUND_TARGET, "rows": rows}) for (c, t), rows in seen.items())
    for pathway, genes in (pathways or {}).items():
        members = [g for g in dict.fromkeys(str(x).strip() for x in genes) if g in targets]
        if not members:
            continue
        key = pathway if pathway not in compounds and pathway not in targets else f"{pathway} [pathway]"
        graph.add_node(key, name=pathway, side="pathway")
        graph.add_edges_from((key, _node_id("target", g, shared), {"kind": SIF_PATHWAY_TARGET, "rows": 1})
                             for g in members)
    return graph


def _side_degrees(graph: nx.Graph) -> dict[str, tuple[int, int, int]]:
    """Node key → (degree in the compound–target network, pathway degree, rows) as :class:`CTNode` defines them."""
    out: dict[str, tuple[int, int, int]] = {}
    for node, data in graph.nodes(data=True):
        links = [graph.edges[node, other] for other in graph.adj[node]]
        ct = [e["rows"] for e in links if e["kind"] == SIF_COMPOUND_TARGET]
        pathway_links = len(links) - len(ct)
        if data["side"] == "pathway":
            out[node] = (pathway_links, 0, pathway_links)
        else:
            out[node] = (len(ct), pathway_links, sum(ct))
    return out


def summarise(graph: nx.Graph) -> CTNetwork:
    """Sizes, every node's degree and its tie-aware rank within its side (graph from :func:`build_ct_graph`)."""
    degrees = _side_degrees(graph)
    nodes: list[CTNode] = []
    for side in SIDES:
        keys = [n for n, d in graph.nodes(data=True) if d["side"] == side]
        ranks = competition_ranks({k: float(degrees[k][0]) for k in keys})
        nodes += sorted((CTNode(graph.nodes[k]["name"], side, degrees[k][0], ranks[k], degrees[k][1], degrees[k][2])
                         for k in keys), key=lambda n: (n.rank, n.name))
    count = {side: sum(1 for n in nodes if n.side == side) for side in SIDES}
    kinds = [k for _, _, k in graph.edges(data="kind")]
    return CTNetwork(compounds=count["compound"], targets=count["target"], pathways=count["pathway"],
                     edges=kinds.count(SIF_COMPOUND_TARGET), pathway_edges=kinds.count(SIF_PATHWAY_TARGET),
                     repeated_pairs=int(graph.graph.get("repeated_pairs", 0)), nodes=tuple(nodes))


def annotate(graph: nx.Graph, network: CTNetwork) -> nx.Graph:
    """Set ``degree``, ``rank``, ``pathway_degree`` and ``rows`` on every node of ``graph`` (for Cytoscape styles)."""
    by = {(n.side, n.name): n for n in network.nodes}
    for _, data in graph.nodes(data=True):
        node = by[(data["side"], data["name"])]
        data.update(degree=node.degree, rank=node.rank, pathway_degree=node.pathway_degree, rows=node.rows)
    return graph


def node_rows(network: CTNetwork) -> list[dict[str, str | int]]:
    """The node table (one row per node, by side then rank): ``name``, ``side``, ``degree``, ``rank``,
    ``pathway_degree``, ``cytoscape_degree`` (degree + pathway degree) and ``rows`` (input rows of its pairs)."""
    return [{"name": n.name, "side": n.side, "degree": n.degree, "rank": n.rank, "pathway_degree": n.pathway_degree,
             "cytoscape_degree": n.cytoscape_degree, "rows": n.rows} for n in network.nodes]


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


#: Most nodes in one column of the figure; a larger side is folded into several columns side by side.
_ROWS = 50
#: Horizontal distance between the sides and between the folded columns of one side (data units).
_SIDE_GAP, _FOLD_GAP = 2.0, 0.22


def _bipartite_layout(graph: nx.Graph) -> dict[str, tuple[float, float]]:
    """A block per side (compounds left, targets middle, pathways right), highest degree at the top.

    A side of more than :data:`_ROWS` nodes is folded into columns, the first (highest degrees) on the outer
    edge of its block so that its labels run into free space: compounds' to the left, targets' and pathways'
    to the right. The core nodes a paper names are thus where the eye starts and keep legible labels.
    """
    pos: dict[str, tuple[float, float]] = {}
    columns = [s for s in SIDES if any(d["side"] == s for _, d in graph.nodes(data=True))]
    for block, side in enumerate(columns):
        keys = sorted((n for n, d in graph.nodes(data=True) if d["side"] == side),
                      key=lambda n: (-graph.degree(n), str(n)))
        folds = -(-len(keys) // _ROWS)
        rows = -(-len(keys) // folds)
        outward = -1.0 if side == "compound" else 1.0
        for i, key in enumerate(keys):
            column, row = divmod(i, rows)
            x = _SIDE_GAP * block + outward * _FOLD_GAP * (folds - 1 - column)
            pos[key] = (x, 1.0 - (row + 0.5) / rows)
    return pos


def _drawn(graph: nx.Graph, network: CTNetwork, per_side: int) -> tuple[nx.Graph, str]:
    """The subgraph of each side's ``per_side`` best-ranked nodes (by rank, then name), and what it leaves out."""
    keep: set[tuple[str, str]] = set()
    left_out = []
    for side in SIDES:
        nodes = network.side_nodes(side)
        keep |= {(side, n.name) for n in nodes[:per_side]}
        if len(nodes) > per_side:
            left_out.append(f"the top {per_side} of {len(nodes)} {side}s")
    if not left_out:
        return graph, ""
    sub = graph.subgraph(k for k, d in graph.nodes(data=True) if (d["side"], d["name"]) in keep)
    return sub, "showing " + ", ".join(left_out) + " by degree"


def draw_ct_network(graph: nx.Graph, network: CTNetwork, title: str = "Compound–target network",
                    label_top: int = 10, per_side: int = 200) -> Figure:
    """Bipartite figure (:func:`_bipartite_layout`): node size ∝ degree, the top ``label_top`` of each side
    labelled with its compound–target degree (:func:`_labelled`), other names left out so that a few hundred
    nodes stay readable; a side of more than ``per_side`` nodes is drawn with its ``per_side`` best-ranked ones
    (the title says so; the GraphML holds them all)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    graph, shown = _drawn(graph, network, per_side)
    pos = _bipartite_layout(graph)
    xs = [x for x, _ in pos.values()] or [0.0]
    rows = min(max((sum(1 for _, d in graph.nodes(data=True) if d["side"] == s) for s in SIDES), default=1), _ROWS)
    width = 2.6 + 1.6 * (max(xs) - min(xs))
    fig, ax = plt.subplots(figsize=(min(max(width, 7.5), 14.0), min(max(0.17 * rows + 1.5, 4.0), 11.0)), dpi=110)
    nx.draw_networkx_edges(graph, pos, ax=ax, width=0.35, edge_color="#9a9a9a", alpha=0.45)
    biggest = max((d for _, d in graph.degree), default=1)
    for side in SIDES:
        keys = [n for n, d in graph.nodes(data=True) if d["side"] == side]
        if keys:
            nx.draw_networkx_nodes(graph, pos, nodelist=keys, ax=ax, node_color=_COLOURS[side],
                                   node_size=[12 + 220 * graph.degree(k) / biggest for k in keys],
                                   edgecolors="#333333", linewidths=0.4, label=f"{side}s ({len(keys)})")
    labelled = {(node.side, node.name): node for node in _labelled(network, label_top)}
    for key, data in graph.nodes(data=True):
        node = labelled.get((data["side"], data["name"]))
        if node is None:
            continue
        left = data["side"] == "compound"
        # on the C–T–P form a target's label adds its pathways: "PPARG (1; 10)" = 1 compound, 10 pathways
        degree = f"{node.degree}; {node.pathway_degree}" if network.pathways and node.side == "target" else node.degree
        ax.annotate(f"{node.name} ({degree})", pos[key], xytext=(-7 if left else 7, 0),
                    textcoords="offset points", ha="right" if left else "left", va="center", fontsize=7,
                    bbox={"boxstyle": "round,pad=0.1", "fc": "white", "ec": "none", "alpha": 0.8})
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, 0.0), ncol=3, fontsize=8, frameon=False, markerscale=0.6)
    size = (f"{network.compounds} compounds, {network.targets} targets, {network.edges} pairs"
            + (f", {network.pathways} pathway{'s' if network.pathways > 1 else ''}" if network.pathways else ""))
    size += f"; {shown}" if shown else ""
    how = (f"size = degree; the top {label_top} of each side labelled with its degree\n(a tie at the cut included "
           "unless it would double the labels)")
    if network.pathways:
        how += "; a target's label: (compounds; pathways)"
    ax.set_title(f"{title}\n{size}\n{how}", fontsize=9)
    ax.set_xlim(min(xs) - 1.3, max(xs) + 1.3)
    ax.set_ylim(-0.02, 1.02)
    ax.set_axis_off()
    fig.tight_layout()
    return fig


def _labelled(network: CTNetwork, n: int) -> list[CTNode]:
    """The nodes to label: each side's top ``n`` with the tie at the boundary, unless that tie would more than
    double the labels (a long tail of degree-1 nodes): then only the nodes ranked above it."""
    out: list[CTNode] = []
    for side in SIDES:
        top = [x for x in network.side_nodes(side) if x.rank <= n]
        if len(top) > 2 * n:
            boundary = max(x.rank for x in top)
            top = [x for x in top if x.rank < boundary]
        out += top
    return out


def write_ct_figure(graph: nx.Graph, network: CTNetwork, base: Path, title: str = "Compound–target network",
                    label_top: int = 10, per_side: int = 200) -> list[Path]:
    """Write ``base.png`` and ``base.svg`` (:func:`netpharm.figures.save_figure`); returns both paths."""
    import matplotlib.pyplot as plt

    from netpharm.figures import save_figure

    fig = draw_ct_network(graph, network, title, label_top, per_side)
    try:
        paths = save_figure(fig, Path(base))
    finally:
        plt.close(fig)
    log.info("compound–target figure: %d nodes, %d edges -> %s", graph.number_of_nodes(), graph.number_of_edges(),
             base)
    return paths

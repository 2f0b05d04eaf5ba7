"""cytoHubba's Edge Percolated Component (EPC), seeded and with its Monte-Carlo error.

References
----------
Chin C.-H. et al. (2014) cytoHubba. BMC Syst Biol 8(Suppl 4):S11.
Chen S.-H. et al. (2009) Hubba / edge percolated component (Lin 2008), as quoted by centiserver.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import networkx as nx
import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from netpharm.progress import LARGE_GRAPH_EDGES, Progress

__all__ = ["EPCResult", "epc"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class EPCResult:
    """EPC scores with everything needed to reproduce them.

    ``scores[v]`` = (1/|V|) Σ_k |comp_k(v)| (cytoHubba's scale: runs × mean component
    size / |V|); ``std_error[v]`` is the Monte-Carlo standard error on the same scale.
    """

    scores: dict[str, float]
    std_error: dict[str, float]
    runs: int
    threshold: float
    seed: int
    rng: str = "numpy.random.default_rng (PCG64); one U(0,1) per edge per run, edges in sorted order"


def epc(graph: nx.Graph, runs: int = 1000, threshold: float = 0.5, seed: int = 12345) -> EPCResult:
    """Edge Percolated Component.

    .. math:: EPC(v) = \\frac{1}{|V|} \\sum_{k=1}^{runs} \\sum_{t \\in V} \\delta^k_{vt}

    where δ^k_{vt} = 1 when v and t are connected in the k-th reduced network, in which
    each edge is removed when its U(0,1) draw is below ``threshold`` (δ_vv = 1).

    Examples
    --------
    With threshold 0 nothing is removed: a node in a component of c nodes scores runs·c/|V|.

    >>> g = nx.Graph([("A", "B")]); g.add_node("C")
    >>> epc(g, runs=3, threshold=0.0).scores
    {'A': 2.0, 'B': 2.0, 'C': 1.0}
    """
    nodes = sorted(graph.nodes())
    n = len(nodes)
    index = {v: i for i, v in enumerate(nodes)}
    edges = np.array(sorted((min(index[a], index[b]), max(index[a], index[b])) for a, b in graph.edges()),
                     dtype=np.int64).reshape(-1, 2)
    rng = np.random.default_rng(seed)
    total = np.zeros(n)
    total_sq = np.zeros(n)
    bar = Progress(runs, "EPC runs", log) if len(edges) >= LARGE_GRAPH_EDGES else None
    for _ in range(runs):
        keep = edges[rng.random(len(edges)) >= threshold]
        matrix = sp.coo_matrix((np.ones(len(keep)), (keep[:, 0], keep[:, 1])), shape=(n, n))
        _, labels = connected_components(matrix, directed=False)
        sizes = np.bincount(labels)[labels].astype(np.float64)
        total += sizes
        total_sq += sizes ** 2
        if bar is not None:
            bar.update()
    if bar is not None:
        bar.close()
    mean = total / runs
    sd = np.sqrt(np.maximum(total_sq / runs - mean ** 2, 0.0) * runs / max(runs - 1, 1))
    scale = runs / n if n else 0.0
    scores = {v: float(mean[i] * scale) for i, v in enumerate(nodes)}
    errors = {v: float(sd[i] / np.sqrt(runs) * scale) for i, v in enumerate(nodes)}
    return EPCResult(scores, errors, runs, threshold, seed)

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

from netpharm.graphs.paths import csr_of
from netpharm.progress import LARGE_GRAPH_EDGES, Progress

__all__ = ["EPCResult", "epc", "auto_runs"]

log = logging.getLogger(__name__)

_BATCH_EDGES = 250_000  # draws per batch (2 MB of doubles; measured fastest at 16-64 runs of 9,352 edges)
_BATCH_NODES = 2_000_000


#: The automatic run count: the expectation's precision on small networks, a bounded time on large ones.
MOST_RUNS, FEWEST_RUNS, DRAW_BUDGET = 20_000, 1_000, 20_000_000


def auto_runs(edges: int) -> int:
    """Reduced networks for ``epc_runs = 0``: 20,000 (the expectation cytoHubba's 1,000-run draws scatter
    around, standard error ≈ 0.16 on the 135-node PFAS session) while that costs ≤ 2·10⁷ edge draws
    (≈ 1,000 edges, 0.2 s), then the runs that budget buys (≈ 0.1 s per 1,000 runs of 9,000 edges),
    never fewer than cytoHubba's own 1,000.

    >>> auto_runs(912), auto_runs(9352), auto_runs(100_000)
    (20000, 2138, 1000)
    """
    return max(FEWEST_RUNS, min(MOST_RUNS, DRAW_BUDGET // max(edges, 1)))


@dataclass(frozen=True)
class EPCResult:
    """EPC scores with everything needed to reproduce them.

    ``scores[v]`` is the mean size of v's component over the reduced networks (scale
    ``"mean"``, cytoHubba's printed numbers) or (1/|V|) Σ_k |comp_k(v)| (``"runs_per_node"``,
    the documented formula); ``std_error[v]`` is the Monte-Carlo standard error on the same scale.
    """

    scores: dict[str, float]
    std_error: dict[str, float]
    runs: int
    threshold: float
    seed: int
    scale: str = "mean"
    rng: str = "numpy.random.default_rng (PCG64); one U(0,1) per edge per run, edges in sorted order"


def epc(graph: nx.Graph, runs: int = 0, threshold: float = 0.92, seed: int = 12345,
        scale: str = "mean") -> EPCResult:
    """Edge Percolated Component.

    .. math:: EPC(v) = \\frac{1}{runs} \\sum_{k=1}^{runs} \\sum_{t \\in V} \\delta^k_{vt}

    where δ^k_{vt} = 1 when v and t are connected in the k-th reduced network, in which
    each edge is removed when its U(0,1) draw is below ``threshold`` (δ_vv = 1). With
    ``scale="runs_per_node"`` the sum is divided by |V| instead of ``runs`` (the formula
    cytoHubba's documentation prints, Chen et al. 2009). cytoHubba's own numbers are the mean
    component size with each edge kept with probability 0.08 (threshold 0.92): fitted on a real
    cytoHubba table of 135 nodes, every node within Monte-Carlo error (``tests/test_cytohubba_table.py``);
    cytoHubba's source is not public, so the rule is inferred, not read. cytoHubba prints one
    unseeded draw of 1,000 networks; ``runs = 0`` (:func:`auto_runs`, up to 20,000) estimates the
    expectation those draws scatter around (see :class:`netpharm.hubs.config.HubsConfig`).

    Examples
    --------
    With threshold 0 nothing is removed: a node in a component of c nodes scores c
    (runs·c/|V| on the documented scale).

    >>> g = nx.Graph([("A", "B")]); g.add_node("C")
    >>> epc(g, runs=3, threshold=0.0).scores
    {'A': 2.0, 'B': 2.0, 'C': 1.0}
    >>> epc(g, runs=3, threshold=0.0, scale="runs_per_node").scores
    {'A': 2.0, 'B': 2.0, 'C': 1.0}
    """
    nodes = sorted(graph.nodes())
    n = len(nodes)
    upper = sp.triu(csr_of(graph, nodes), k=1, format="csr")  # (i < j) pairs in sorted order
    upper.sort_indices()
    first = np.repeat(np.arange(n, dtype=np.int64), np.diff(upper.indptr))
    second = upper.indices.astype(np.int64)
    edges = np.stack([first, second], axis=1)
    runs = runs or auto_runs(len(edges))
    rng = np.random.default_rng(seed)
    total = np.zeros(n)
    total_sq = np.zeros(n)
    bar = Progress(runs, "EPC runs", log) if len(edges) >= LARGE_GRAPH_EDGES else None
    # Many reduced networks are solved per connected-components call (as one block-diagonal
    # graph) because SciPy's per-call overhead dominates for small graphs; the draws are the
    # same stream as one rng.random(len(edges)) per run, in run order. Batches stay small
    # (_BATCH_EDGES draws, a few MB) so the arrays stay in cache and a fresh process does not
    # page-fault through hundreds of MB; kept edges are picked with flatnonzero on the flat
    # mask (boolean indexing of 2-D arrays is ~5x slower in NumPy).
    batch = max(1, min(runs, _BATCH_EDGES // max(len(edges), 1), _BATCH_NODES // max(n, 1)))
    index = np.int32 if batch * n < 2**31 - 1 else np.int64
    offsets: np.ndarray = (np.arange(batch, dtype=index) * n)[:, None]
    # endpoints of every edge in every reduced network of a batch, block-diagonal numbering:
    # rows come out sorted (block-major, edges sorted), so the CSR arrays are built directly
    rows_all = (first.astype(index)[None, :] + offsets).ravel()
    cols_all = (second.astype(index)[None, :] + offsets).ravel()
    ones = np.ones(len(cols_all))  # float64, what connected_components converts to anyway: sliced, never copied
    done = 0
    while done < runs:
        size = min(batch, runs - done)
        kept = np.flatnonzero(rng.random((size, len(edges))) >= threshold)
        rows, cols = rows_all[kept], cols_all[kept]
        indptr = np.zeros(size * n + 1, dtype=index)
        np.cumsum(np.bincount(rows, minlength=size * n), out=indptr[1:])
        matrix = sp.csr_matrix((ones[:len(rows)], cols, indptr), shape=(size * n, size * n))
        _, labels = connected_components(matrix, directed=False)
        sizes = np.bincount(labels)[labels].astype(np.float64).reshape(size, n)
        total += sizes.sum(axis=0)
        total_sq += (sizes ** 2).sum(axis=0)
        done += size
        if bar is not None:
            bar.update(size)
    if bar is not None:
        bar.close()
    mean = total / runs
    sd = np.sqrt(np.maximum(total_sq / runs - mean ** 2, 0.0) * runs / max(runs - 1, 1))
    factor = 1.0 if scale == "mean" else (runs / n if n else 0.0)
    scores = {v: float(mean[i] * factor) for i, v in enumerate(nodes)}
    errors = {v: float(sd[i] / np.sqrt(runs) * factor) for i, v in enumerate(nodes)}
    return EPCResult(scores, errors, runs, threshold, seed, scale)

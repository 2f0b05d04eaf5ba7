"""All-sources shortest-path statistics with dense level-synchronous matrix products (no JIT).

For small graphs a compiled BFS is not worth its price: numba needs ~5 s to compile the
kernel on a fresh clone (and ~0.3 s to import and load it from its cache afterwards),
while the same quantities for a few hundred nodes come from a handful of sparse × dense
matrix products in milliseconds. Every source is processed at once: column ``s`` of each
n × n array belongs to source ``s``, and one product with the sparse adjacency matrix
advances all BFS frontiers by one level (Brandes 2001 written level by level, as in the linear-algebra
formulation of Kepner & Gilbert 2011, *Graph Algorithms in the Language of Linear
Algebra*, ch. 6). BottleNeck's shortest-path trees come from SciPy's compiled
``breadth_first_order`` (parents = first discoverer, neighbours in sorted index order,
the same tree as the compiled kernel). Memory is a few n × n float arrays, so this path is
used only below :data:`netpharm.graphs.paths.PLAIN_MAX_NODES` nodes.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import breadth_first_order

__all__ = ["dense_all_sources"]


def _levels(adj: sp.csr_matrix) -> tuple[np.ndarray, np.ndarray]:
    """Distances (−1 = unreachable) and shortest-path counts from every source.

    Both are symmetric (d(s, w) = d(w, s), σ_sw = σ_ws); column ``s`` is source ``s``. The
    arrays are updated in place (``out=``/``where=``) rather than rebuilt each level: each new
    n × n temporary costs page faults, which made this loop twice as slow at 1,000 nodes.
    """
    n = adj.shape[0]
    dist = np.full((n, n), -1, dtype=np.int64)
    np.fill_diagonal(dist, 0)
    sigma = np.eye(n)
    frontier = np.eye(n)
    level = 0
    while True:
        counts = adj @ frontier
        new = counts > 0
        new &= sigma == 0  # not reached before (σ = 0 exactly where dist = −1)
        if not new.any():
            return dist, sigma
        level += 1
        np.copyto(dist, level, where=new)
        np.multiply(counts, new, out=counts)  # σ of the new level; 0 elsewhere
        sigma += counts
        frontier = counts


def _dependencies(adj: sp.csr_matrix, dist: np.ndarray, sigma: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Brandes dependencies δ_s(v) and Stress path counts below v (row v, column s)."""
    delta = np.zeros_like(sigma)
    below = np.zeros_like(sigma)
    for level in range(int(dist.max()), 1, -1):
        at, parent_level = dist == level, dist == level - 1
        with np.errstate(divide="ignore", invalid="ignore"):
            share = np.where(at, (1.0 + delta) / sigma, 0.0)
        delta += np.where(parent_level, sigma * (adj @ share), 0.0)
        below += np.where(parent_level, adj @ np.where(at, 1.0 + below, 0.0), 0.0)
    return delta, below


#: Sources per breadth-first search in :func:`_tree_parents`. Measured (CPU s for all sources):
#: 461-node STRING export 0.029 at 16-32, 0.035 at 64; BA 1k 0.060 at 32; larger blocks spill caches.
_BFS_BLOCK = 32


def _tree_parents(adj: sp.csr_matrix) -> np.ndarray:
    """Parent of w in source s's BFS tree (row w, column s; −9999 = none), SciPy's compiled BFS.

    One ``breadth_first_order`` call per :data:`_BFS_BLOCK` sources instead of one per source
    (its per-call checks cost more than the search on small graphs): the block's sources are
    copies of the graph side by side, entered from one extra root. A FIFO queue keeps each
    copy's vertices in the order a search from that copy's source alone would visit them, so
    every parent (the first discoverer) is the same as in a single-source search.
    """
    n = adj.shape[0]
    arcs = adj.nnz
    index = np.int32 if _BFS_BLOCK * (arcs + n) + 1 < 2**31 - 1 else np.int64  # int32 halves the memory traffic
    indptr, indices = adj.indptr.astype(index), adj.indices.astype(index)
    parent = np.empty((n, n), dtype=np.int64)
    for start in range(0, n, _BFS_BLOCK):
        sources = np.arange(start, min(n, start + _BFS_BLOCK), dtype=index)
        k = len(sources)
        shift = (np.arange(k, dtype=index) * n)[:, None]
        columns = np.concatenate([(indices[None, :] + shift).ravel(), shift.ravel() + sources])
        rows = np.concatenate([(indptr[:-1][None, :] + (np.arange(k, dtype=index) * arcs)[:, None]).ravel(),
                               np.array([k * arcs, k * arcs + k], dtype=index)])
        block = sp.csr_matrix((np.ones(len(columns), dtype=np.int8), columns, rows), shape=(k * n + 1, k * n + 1))
        _, found = breadth_first_order(block, k * n, directed=True, return_predecessors=True)
        local = found[:k * n].reshape(k, n).astype(np.int64) - shift
        local[np.arange(k), sources] = -9999  # a source has no parent (its own is the extra root)
        local[local < 0] = -9999
        parent[:, sources] = local.T
    return parent


def _tree_subtrees(adj: sp.csr_matrix, dist: np.ndarray) -> np.ndarray:
    """Subtree sizes (node included) in each source's BFS tree (row w, column s); 0 where unreachable."""
    n = adj.shape[0]
    parent = _tree_parents(adj).ravel()
    level_of = dist.ravel()
    subtree = (level_of >= 0).astype(np.float64)
    for level in range(int(dist.max()), 0, -1):
        # flat index w * n + s of every node at this level; its parent's entry in the same column s.
        # np.add.at on those entries only (a bincount of length n² per level was twice as slow).
        at = np.flatnonzero(level_of == level)
        np.add.at(subtree, parent[at] * n + at % n, subtree[at])
    return subtree.reshape(n, n)


def dense_all_sources(matrix: sp.csr_matrix, comp_size: np.ndarray, all_paths: bool,
                      strict: bool) -> tuple[np.ndarray, ...]:
    """Same outputs as the compiled kernel: dist_sum, reach, ecc, harmonic, bc, stress, bn.

    Parameters
    ----------
    matrix : scipy.sparse.csr_matrix
        Symmetric 0/1 adjacency with sorted indices.
    comp_size : numpy.ndarray
        Size of each node's connected component (BottleNeck's |V(T_s)|).
    all_paths, strict : bool
        BottleNeck mode and strictness (see :func:`netpharm.graphs.paths.path_stats`).
    """
    adj = matrix.astype(np.float64)
    dist, sigma = _levels(adj)
    off = dist > 0
    dist_sum = np.where(off, dist, 0).sum(axis=0).astype(np.float64)
    reach = off.sum(axis=0).astype(np.int64)
    ecc = dist.max(axis=0).astype(np.int64)
    with np.errstate(divide="ignore"):
        harmonic = np.where(off, 1.0 / dist, 0.0).sum(axis=0)
    delta, below = _dependencies(adj, dist, sigma)
    bc = np.where(off, delta, 0.0).sum(axis=1)
    stress = np.where(off, sigma * below, 0.0).sum(axis=1)
    weight = sigma * (1.0 + below) if all_paths else _tree_subtrees(matrix, dist)
    quarter = comp_size / 4.0  # per source = per column
    hit = (weight > quarter) if strict else (weight >= quarter)
    bn = (hit & off).sum(axis=1).astype(np.int64)
    return dist_sum, reach, ecc, harmonic, bc, stress, bn

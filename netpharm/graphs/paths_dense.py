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

    Both are symmetric (d(s, w) = d(w, s), σ_sw = σ_ws); column ``s`` is source ``s``.
    """
    n = adj.shape[0]
    dist = np.full((n, n), -1, dtype=np.int64)
    np.fill_diagonal(dist, 0)
    sigma = np.eye(n)
    frontier = np.eye(n)
    level = 0
    while True:
        counts = adj @ frontier
        new = (counts > 0) & (dist < 0)
        if not new.any():
            return dist, sigma
        level += 1
        dist[new] = level
        sigma[new] = counts[new]
        frontier = np.where(new, sigma, 0.0)


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


def _tree_subtrees(adj: sp.csr_matrix, dist: np.ndarray) -> np.ndarray:
    """Subtree sizes (node included) in each source's BFS tree (row w, column s); 0 where unreachable."""
    n = adj.shape[0]
    parent = np.empty((n, n), dtype=np.int64)
    for s in range(n):
        parent[:, s] = breadth_first_order(adj, s, directed=False, return_predecessors=True)[1]
    subtree = (dist >= 0).astype(np.float64)
    for level in range(int(dist.max()), 0, -1):
        w, src = np.nonzero(dist == level)
        flat = parent[w, src] * n + src
        subtree += np.bincount(flat, weights=subtree[w, src], minlength=n * n).reshape(n, n)
    return subtree


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

"""The compiled all-sources BFS (numba), imported only for graphs above the plain-code limit.

One BFS per source computes every shortest-path quantity at once (distance sums,
eccentricity, harmonic closeness, Brandes betweenness, Stress, BottleNeck subtree
counts). Written by hand because no maintained library offers Stress and BottleNeck,
and one BFS per source for all of them is what makes 20k-node networks practical.
``cache=True`` stores the machine code next to this file, so only the first large graph
on a machine pays the compile (about 5 s on 2 cores).

References
----------
Brandes U. (2001) A faster algorithm for betweenness centrality. J Math Sociol 25:163–177.
Lin C.-Y. et al. (2008) Hubba: hub objects analyzer. Nucleic Acids Res 36:W438–W443.
"""

from __future__ import annotations

import numba
import numpy as np

__all__ = ["compiled_all_sources", "threads"]


@numba.njit(cache=True, nogil=True)
def _one_source(s, indptr, indices, comp_size, all_paths, strict,
                dist, sigma, delta, sdep, subtree, parent, order,
                dist_sum, reach, ecc, harmonic, bc, stress, bn):  # pragma: no cover - compiled
    # Breadth-first search from s: distances, shortest-path counts, BFS-tree parents.
    dist[s] = 0
    sigma[s] = 1.0
    order[0] = s
    head, tail = 0, 1
    while head < tail:
        v = order[head]
        head += 1
        for k in range(indptr[v], indptr[v + 1]):
            w = indices[k]
            if dist[w] < 0:
                dist[w] = dist[v] + 1
                parent[w] = v
                order[tail] = w
                tail += 1
            if dist[w] == dist[v] + 1:
                sigma[w] += sigma[v]
    total, far, harm = 0.0, 0, 0.0
    for i in range(1, tail):
        d = dist[order[i]]
        total += d
        harm += 1.0 / d
        if d > far:
            far = d
    dist_sum[s] = total
    reach[s] = tail - 1
    ecc[s] = far
    harmonic[s] = harm
    # Dependencies, accumulated in reverse BFS order (Brandes 2001).
    for i in range(tail - 1, 0, -1):
        w = order[i]
        for k in range(indptr[w], indptr[w + 1]):
            v = indices[k]
            if dist[v] == dist[w] - 1:
                delta[v] += sigma[v] / sigma[w] * (1.0 + delta[w])
                sdep[v] += 1.0 + sdep[w]
        subtree[parent[w]] += subtree[w]
    quarter = comp_size[s] / 4.0
    for i in range(1, tail):
        w = order[i]
        bc[w] += delta[w]
        stress[w] += sigma[w] * sdep[w]
        weight = sigma[w] * (1.0 + sdep[w]) if all_paths else subtree[w]
        if (weight > quarter) if strict else (weight >= quarter):
            bn[w] += 1
    # Reset only what this source touched.
    for i in range(tail):
        w = order[i]
        dist[w] = -1
        sigma[w] = 0.0
        delta[w] = 0.0
        sdep[w] = 0.0
        subtree[w] = 1.0
        parent[w] = -1


@numba.njit(parallel=True, cache=True)
def _all_sources(indptr, indices, comp_size, all_paths, strict, n_chunks):  # pragma: no cover - compiled
    n = indptr.shape[0] - 1
    dist_sum = np.zeros(n)
    reach = np.zeros(n, dtype=np.int64)
    ecc = np.zeros(n, dtype=np.int64)
    harmonic = np.zeros(n)
    bc = np.zeros((n_chunks, n))
    stress = np.zeros((n_chunks, n))
    bn = np.zeros((n_chunks, n), dtype=np.int64)
    for c in numba.prange(n_chunks):
        dist = np.full(n, -1, dtype=np.int64)
        sigma = np.zeros(n)
        delta = np.zeros(n)
        sdep = np.zeros(n)
        subtree = np.ones(n)
        parent = np.full(n, -1, dtype=np.int64)
        order = np.empty(n, dtype=np.int64)
        for s in range(c, n, n_chunks):
            _one_source(s, indptr, indices, comp_size, all_paths, strict, dist, sigma, delta, sdep,
                        subtree, parent, order, dist_sum, reach, ecc, harmonic, bc[c], stress[c], bn[c])
    return dist_sum, reach, ecc, harmonic, bc.sum(axis=0), stress.sum(axis=0), bn.sum(axis=0)


def threads() -> int:
    """Threads numba runs the kernel on."""
    return int(numba.get_num_threads())


def compiled_all_sources(indptr: np.ndarray, indices: np.ndarray, comp_size: np.ndarray, all_paths: bool,
                         strict: bool) -> tuple[np.ndarray, ...]:
    """dist_sum, reach, ecc, harmonic, bc, stress, bn from the compiled kernel."""
    n = len(indptr) - 1
    chunks = max(1, min(threads() * 4, n))
    return _all_sources(indptr.astype(np.int64), indices.astype(np.int64), comp_size.astype(np.int64),
                        all_paths, strict, chunks)

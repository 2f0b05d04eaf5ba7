"""Rank stability of the top hubs: across STRING score cut-offs and under edge bootstrap.

cytoHubba reports ranks on one network; how much they depend on the confidence cut-off
and on individual interactions is what a reviewer asks next.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

import networkx as nx
import numpy as np
import pandas as pd

from netpharm.hubs.local import degree, mcc
from netpharm.hubs.rank import competition_rank
from netpharm.network.build import Network
from netpharm.progress import LARGE_GRAPH_EDGES, Progress

__all__ = ["rank_stability"]

log = logging.getLogger(__name__)


def _bootstrap_ranks(graph: nx.Graph, hubs: Sequence[str], resamples: int, seed: int) -> dict[str, list[int]]:
    edges = sorted(graph.edges())
    rng = np.random.default_rng(seed)
    ranks: dict[str, list[int]] = {h: [] for h in hubs}
    bar = Progress(resamples, "bootstrap resamples", log) if len(edges) >= LARGE_GRAPH_EDGES else None
    for _ in range(resamples):
        drawn = rng.integers(0, len(edges), size=len(edges))
        sample = nx.Graph()
        sample.add_nodes_from(graph.nodes())
        sample.add_edges_from(edges[i] for i in set(drawn.tolist()))
        r = competition_rank(mcc(sample))
        for h in hubs:
            ranks[h].append(r[h])
        if bar is not None:
            bar.update()
    if bar is not None:
        bar.close()
    return ranks


def rank_stability(network: Network, hubs: Sequence[str], cutoffs: Sequence[int], resamples: int,
                   seed: int, top_n: int) -> pd.DataFrame:
    """MCC and Degree ranks of ``hubs`` at each cut-off, and MCC rank under edge bootstrap.

    A cut-off below the lowest score at which the data are complete is reported as not
    evaluable (an export cut at 0.4 says nothing about pairs scoring 0.15–0.4).

    Returns
    -------
    DataFrame
        One row per hub: ``MCC_rank@<c>``, ``Degree_rank@<c>`` per cut-off, and
        ``bootstrap_median_rank``, ``bootstrap_rank_2.5%``, ``bootstrap_rank_97.5%``,
        ``bootstrap_top_n_fraction`` (fraction of resamples with MCC rank ≤ top_n).
    """
    table = pd.DataFrame({"name": list(hubs)})
    for cut in cutoffs:
        if cut / 1000.0 < network.lowest_known_score - 1e-9:
            table[f"MCC_rank@{cut}"] = "n/a: data cut at %.3f" % network.lowest_known_score
            table[f"Degree_rank@{cut}"] = table[f"MCC_rank@{cut}"]
            continue
        graph = network.graph_at(cut)
        mcc_rank, deg_rank = competition_rank(mcc(graph)), competition_rank(degree(graph))
        table[f"MCC_rank@{cut}"] = [mcc_rank[h] for h in hubs]
        table[f"Degree_rank@{cut}"] = [deg_rank[h] for h in hubs]
    if resamples > 0 and network.graph.number_of_edges() > 0:
        boot = _bootstrap_ranks(network.graph, hubs, resamples, seed)
        table["bootstrap_median_rank"] = [float(np.median(boot[h])) for h in hubs]
        table["bootstrap_rank_2.5%"] = [float(np.percentile(boot[h], 2.5)) for h in hubs]
        table["bootstrap_rank_97.5%"] = [float(np.percentile(boot[h], 97.5)) for h in hubs]
        table["bootstrap_top_n_fraction"] = [float(np.mean(np.array(boot[h]) <= top_n)) for h in hubs]
        table["bootstrap_resamples"] = resamples
        table["bootstrap_seed"] = seed
    return table

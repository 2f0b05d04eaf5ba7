"""CytoNCA core targets of the network: the median rule's rounds as a table and as findings.

The measures and the rule are :mod:`netpharm.hubs.cytonca` (Tang et al. 2015); this module
lays them out as ``network/core_targets.tsv`` (:data:`~netpharm.network.files.CORE_TARGETS`)
and the typed :class:`~netpharm.network.findings.CoreTargets`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import networkx as nx

from netpharm.hubs.config import HubsConfig
from netpharm.hubs.cytonca import CoreRound, core_rounds, passes_median
from netpharm.io import write_columns
from netpharm.network import files
from netpharm.network.findings import CoreTargetRound, CoreTargets

__all__ = ["select_core_targets", "core_table", "write_core_targets"]


def select_core_targets(graph: nx.Graph, config: HubsConfig) -> list[CoreRound]:
    """The rounds of the median rule on ``graph`` as ``[hubs]`` asks (rounds, measures)."""
    return core_rounds(graph, config.cytonca_rounds, config.cytonca_measures)


def core_table(rounds: list[CoreRound], measures: tuple[str, ...]) -> dict[str, list[Any]]:
    """core_targets.tsv's columns: one row per (round, node), nodes sorted by name within a round."""
    last = {n: r.round for r in rounds for n in r.core}
    columns: dict[str, list[Any]] = {files.ROUND: [], files.NAME: []}
    for m in measures:
        columns.update({m: [], m + files.MEDIAN_SUFFIX: [], m + files.PASS_SUFFIX: []})
    columns.update({files.CORE: [], files.CORE_ROUND: []})
    for r in rounds:
        core = set(r.core)
        for node in sorted(r.values[measures[0]]):
            columns[files.ROUND].append(r.round)
            columns[files.NAME].append(node)
            for m in measures:
                value, median = r.values[m][node], r.medians[m]
                columns[m].append(value)
                columns[m + files.MEDIAN_SUFFIX].append(median)
                columns[m + files.PASS_SUFFIX].append(passes_median(value, median))
            columns[files.CORE].append(node in core)
            columns[files.CORE_ROUND].append(last.get(node, 0))
    return columns


def core_findings(rounds: list[CoreRound], config: HubsConfig) -> CoreTargets:
    """The findings' summary of the rounds (medians and core per round)."""
    return CoreTargets(tuple(config.cytonca_measures), config.cytonca_rounds,
                       tuple(CoreTargetRound(r.round, len(r.values[config.cytonca_measures[0]]), dict(r.medians),
                                             r.core) for r in rounds))


def write_core_targets(out_dir: Path, graph: nx.Graph, config: HubsConfig) -> tuple[Path, CoreTargets]:
    """Select the core targets of ``graph`` and write ``core_targets.tsv``; return the path and findings."""
    rounds = select_core_targets(graph, config)
    path = write_columns(out_dir / files.CORE_TARGETS, core_table(rounds, tuple(config.cytonca_measures)))
    return path, core_findings(rounds, config)

"""cytoHubba's 12 hub-ranking methods (Chin et al. 2014), graph in, dict out.

A library used by the network stage (not a stage). Names are loaded on first use (PEP 562)
so that ``netpharm.hubs.config`` can be imported without the numerical stack.
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = [
    "mcc", "dmnc", "mnc", "degree", "clustering_coefficient", "epc", "EPCResult",
    "bottleneck", "eccentricity", "closeness", "radiality", "betweenness", "stress",
    "HubRanking", "competition_rank", "rank_hubs", "top_n",
]

_LAZY = {"EPCResult": "percolation", "epc": "percolation", **{n: "local" for n in ("clustering_coefficient", "degree", "dmnc",
                                                                       "mcc", "mnc")},
         **{n: "paths" for n in ("betweenness", "bottleneck", "closeness", "eccentricity", "radiality", "stress")},
         **{n: "rank" for n in ("HubRanking", "competition_rank", "rank_hubs", "top_n")}}


def __getattr__(name: str) -> Any:
    """Load the method modules on first use."""
    if name in _LAZY:
        return getattr(importlib.import_module(f"{__name__}.{_LAZY[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

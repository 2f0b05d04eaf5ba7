"""cytoHubba's 12 hub-ranking methods (Chin et al. 2014), graph in, dict out."""

from netpharm.hubs.epc import EPCResult, epc
from netpharm.hubs.local import clustering_coefficient, degree, dmnc, mcc, mnc
from netpharm.hubs.paths import betweenness, bottleneck, closeness, eccentricity, radiality, stress
from netpharm.hubs.rank import HubRanking, competition_rank, rank_hubs, top_n

__all__ = [
    "mcc", "dmnc", "mnc", "degree", "clustering_coefficient", "epc", "EPCResult",
    "bottleneck", "eccentricity", "closeness", "radiality", "betweenness", "stress",
    "HubRanking", "competition_rank", "rank_hubs", "top_n",
]

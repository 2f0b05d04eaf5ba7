"""The network stage's claim kinds, one class each: ``most_connected``, ``hub``, ``top_hubs``
(:mod:`.ranks`), ``module`` (:mod:`.modules`), ``core_targets`` (:mod:`.core`), ``ppi_enrichment`` (:mod:`.ppi`), ``network_size``
(:mod:`.size`).

Importing this package imports every module, so every kind registers itself (:class:`netpharm.verdict.ClaimKind`).
Light at import: the workflow validates the claims at load.
"""

from netpharm.network.claims.common import coverage_note
from netpharm.network.claims.core import CoreTargetsClaim
from netpharm.network.claims.modules import Module
from netpharm.network.claims.ppi import PpiEnrichmentClaim
from netpharm.network.claims.ranks import METRICS, Hub, MostConnected, TopHubs
from netpharm.network.claims.size import NetworkSize

__all__ = ["MostConnected", "Hub", "TopHubs", "Module", "CoreTargetsClaim", "PpiEnrichmentClaim", "METRICS", "NetworkSize",
           "coverage_note"]

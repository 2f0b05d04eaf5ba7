"""netpharm.network: the network stage (STRING network → NetworkAnalyzer topology → cytoHubba hubs → files).

Exports the stage object :data:`STAGE` (see :class:`netpharm.stage.Stage`). Light on purpose:
importing this package loads no numerical library; the run function is imported when the
stage runs.
"""

from netpharm.hubs.config import HubsConfig
from netpharm.network.config import NetworkConfig
from netpharm.network.findings import NetworkFindings
from netpharm.stage import Stage

__all__ = ["STAGE"]

STAGE: Stage[NetworkFindings] = Stage(
    name="network", sections={"network": NetworkConfig, "hubs": HubsConfig}, reads=(),
    run="netpharm.network.stage:run_network_stage", findings=NetworkFindings,
    claims="netpharm.network.claims", section="netpharm.network.section:NetworkSection",
    audit="netpharm.network.audit:audit")

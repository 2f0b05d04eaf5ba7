"""netpharm.enrichment: STRING's enrichment (API or imports) and the offline GO/Reactome over-representation analysis.

Exports the stage object :data:`STAGE`. It reads the network stage's settings (STRING host,
species, score) to ask STRING, so its resume fingerprint covers them. Light on purpose: the
numerical modules (``library``, ``ora``, ...) are imported from where they are defined.
"""

from netpharm.enrichment.config import EnrichmentConfig
from netpharm.enrichment.findings import EnrichmentFindings
from netpharm.stage import Stage

__all__ = ["STAGE"]

STAGE: Stage[EnrichmentFindings] = Stage(
    name="enrichment", sections={"enrichment": EnrichmentConfig}, reads=("network",),
    run="netpharm.enrichment.stage:run_enrichment_stage", findings=EnrichmentFindings,
    claims="netpharm.enrichment.claims", section="netpharm.enrichment.section:EnrichmentSection")

"""netpharm.compounds: the compounds stage (compound → target and disease gene files → their common targets).

Exports the stage object :data:`STAGE` and :data:`CTP_STAGE`, the compound–target–pathway step that runs after
enrichment (why a step of its own: :mod:`netpharm.compounds.ctp_stage`). Light on purpose: importing this package
loads no numerical library.
"""

from netpharm.compounds.config import CompoundsConfig
from netpharm.compounds.ct_findings import CTPathwayFindings
from netpharm.compounds.findings import CompoundsFindings
from netpharm.stage import Stage

__all__ = ["STAGE", "CTP_STAGE"]

STAGE: Stage[CompoundsFindings] = Stage(
    name="compounds", sections={"compounds": CompoundsConfig}, reads=(),
    run="netpharm.compounds.stage:run_compounds_stage", findings=CompoundsFindings,
    claims="netpharm.compounds.claims", section="netpharm.compounds.section:CompoundsSection",
    audit="netpharm.compounds.audit:audit")

#: The compound–target–pathway network: its settings are ``[compounds]``'s (it owns no section), its inputs the
#: ``pathway_network`` the workflow fills from the compounds and enrichment outcomes. Its claim is ``ct_degree``
#: (``side = "pathway"``), registered by the compounds stage.
CTP_STAGE: Stage[CTPathwayFindings] = Stage(
    name="ct_pathway", sections={}, reads=("compounds", "enrichment"),
    run="netpharm.compounds.ctp_stage:run_ct_pathway_stage", findings=CTPathwayFindings,
    section="netpharm.compounds.section:CTPathwaySection")

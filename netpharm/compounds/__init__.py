"""netpharm.compounds: the compounds stage (compound → target and disease gene files → their common targets).

Exports the stage object :data:`STAGE`. Light on purpose: importing this package loads no numerical library.
"""

from netpharm.compounds.config import CompoundsConfig
from netpharm.compounds.findings import CompoundsFindings
from netpharm.stage import Stage

__all__ = ["STAGE"]

STAGE: Stage[CompoundsFindings] = Stage(
    name="compounds", sections={"compounds": CompoundsConfig}, reads=(),
    run="netpharm.compounds.stage:run_compounds_stage", findings=CompoundsFindings,
    claims="netpharm.compounds.claims", section="netpharm.compounds.section:CompoundsSection")

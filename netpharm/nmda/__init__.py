"""netpharm.nmda: the NMDA-pore stage (Mg²⁺ in the GluN1/GluN2B channel: observed or placed, axis, profile).

Exports the stage object :data:`STAGE`; the run function is imported when the stage runs.
"""

from netpharm.nmda.config import NmdaConfig
from netpharm.nmda.findings import NmdaFindings
from netpharm.stage import Stage

__all__ = ["STAGE"]

STAGE: Stage[NmdaFindings] = Stage(
    name="nmda", sections={"nmda": NmdaConfig}, reads=(),
    run="netpharm.nmda.stage:run_nmda_stage", findings=NmdaFindings,
    claims="netpharm.nmda.claims", section="netpharm.nmda.section:NmdaSection")

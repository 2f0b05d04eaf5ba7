"""netpharm.docking: receptor/ligand preparation, grid box, AutoDock 4.2.6 / Vina runs, pose analysis.

Exports the stage object :data:`STAGE`; the run function is imported when the stage runs.
"""

from netpharm.docking.config import DockingConfig
from netpharm.docking.findings import DockingFindings
from netpharm.stage import Stage

__all__ = ["STAGE"]

STAGE: Stage[DockingFindings] = Stage(
    name="docking", sections={"docking": DockingConfig}, reads=(),
    run="netpharm.docking.stage:run_docking_stage", findings=DockingFindings,
    claims="netpharm.docking.claims", section="netpharm.docking.section:DockingSection")

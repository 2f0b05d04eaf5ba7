"""netpharm.docking: receptor/ligand preparation, grid box, AutoDock 4.2.6 / Vina runs, pose analysis.

Exports the stage object :data:`STAGE`; the run function is imported when the stage runs.

Layout: :mod:`.prepare` (structures, ligands, boxes, job input files, shared grid maps),
:mod:`.run` (external programs, the job pool and its schedule, LGA-run chunks, Dask) and
:mod:`.pose` (logs, clustering, RMSD, best poses, interactions, pictures) do the work. At this
level stay what belongs to the stage as a whole: its configuration (:mod:`.config`), its
findings (:mod:`.findings`) and the questions the claims ask of them (:mod:`.profile_query`),
the recipe (:mod:`.stage`), its result rows and tables (:mod:`.rows`, :mod:`.outcome`) and its
results database (:mod:`.resultsdb`, filled job by job by :mod:`.resultsdb_records`): these are
the stage's records in the run directory, written from all three sub-packages' results, so they
belong to none of them.
"""

from netpharm.docking.config import DockingConfig
from netpharm.docking.findings import DockingFindings
from netpharm.stage import Stage

__all__ = ["STAGE"]

STAGE: Stage[DockingFindings] = Stage(
    name="docking", sections={"docking": DockingConfig}, reads=(),
    run="netpharm.docking.stage:run_docking_stage", findings=DockingFindings,
    claims="netpharm.docking.claims", section="netpharm.docking.section:DockingSection",
    audit="netpharm.docking.audit:audit", facts=("pose_cards",))

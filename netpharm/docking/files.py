"""The docking stage's run-directory files (``RUN_DIR/docking/``) and the columns readers rely on.

The writers and every reader (the stage's report section, ``netpharm results``) use these
names; no other module spells them. Light module.
"""

from __future__ import annotations

__all__ = ["FOLDER", "SYSTEMS", "SYSTEMS_JSON", "RESULTS", "SCHEDULE", "RESULTS_DB", "RECEPTOR_CHECKS",
           "RECEPTOR_CHECK_COLUMNS", "CRYSTAL_LIGAND", "REFERENCE_LIGAND", "best_pose_stem", "DIAGRAM_RECORD"]

#: The stage's folder in the run directory.
FOLDER = "docking"
#: One row per docked system (receptor × ligand × engine): best pose, energy, Asp3.32 distance, files.
SYSTEMS = "systems.tsv"
#: The same rows as JSON, with every pose's interaction profile.
SYSTEMS_JSON = "systems.json"
#: Every job's outcome, systems and redocking (``kind``), with ``ligand``, ``system``, ``engine``, ``status``,
#: ``best_energy``: what the energy heatmap is drawn from.
RESULTS = "results.tsv"
#: The jobs as the executor got them (cost estimate, prerequisites, logs).
SCHEDULE = "schedule.tsv"
#: The run's SQLite results database (``netpharm results``).
RESULTS_DB = "results.sqlite"
#: One row per prepared system: the structure's identity against the system's ``target`` gene and the
#: blind-docking criterion (:data:`RECEPTOR_CHECK_COLUMNS`, ``netpharm.structures.identity``).
RECEPTOR_CHECKS = "receptor_checks.tsv"
#: Columns of receptor_checks.tsv (chains comma-separated, proteins "; "-separated).
RECEPTOR_CHECK_COLUMNS: tuple[str, ...] = ("system", "receptor", "target", "identity", "target_chains",
                                           "docked_chains", "proteins", "finding", "box_fraction", "blind")
#: In a system's folder (``docking/<system>/``): the co-crystal ligand the box was built on, as deposited
#: (PDB records; ``DockedSystem.crystal_ligand`` points to it). A redocking case keeps its crystal pose as
#: ``crystal_ligand.sdf`` (bond orders from its template).
CRYSTAL_LIGAND = "crystal_ligand.pdb"
#: The experimental pose of a job's or a system's ligand (SDF), when it has one: a redocking case's crystal
#: ligand (in the case's folder), the co-crystal ligand a system's box was drawn around (in the system's
#: folder). The report draws it next to the docked pose.
REFERENCE_LIGAND = "crystal_ligand.sdf"


def best_pose_stem(engine: str) -> str:
    """Stem of a job's best-pose files in its folder: ``best_pose`` (AutoDock 4) or ``best_pose_vina``, then
    ``.pdbqt``, ``.sdf``, ``_complex.pdb``, ``_pocket.pdb``, ``_interactions.tsv|json``, ``.pml`` and, for a pose
    with a card (:mod:`netpharm.docking.cards`), the 2-D diagram ``.png``/``.svg``."""
    return "best_pose" if engine == "autodock4" else "best_pose_vina"


#: Next to a drawn 2-D diagram (``<stem>_diagram.json``): the sha256 of the pose, profile and title it was drawn
#: from and of its PNG and SVG, so a resumed run redraws only a missing, damaged or outdated diagram.
DIAGRAM_RECORD = "{stem}_diagram.json"

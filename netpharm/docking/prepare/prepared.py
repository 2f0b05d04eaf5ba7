"""A docking job folder with every input written: what preparation hands to running and analysis.

Its own module so that the recipe (:mod:`netpharm.docking.stage`), the pose analysis
(:mod:`netpharm.docking.pose.analyse`) and the tables (:mod:`netpharm.docking.outcome`) share
the type without importing each other.
"""

from __future__ import annotations

from dataclasses import dataclass

from netpharm.docking.prepare.inputs import DPF, GPF, RECEPTOR, VINA

__all__ = ["PreparedSystem"]


@dataclass(frozen=True)
class PreparedSystem:
    """A system folder with every input written (names relative to ``workdir``)."""

    name: str
    kind: str  # "system" | "redock"
    workdir: str
    engine: str
    receptor: str
    paper_pdb: str
    used_structure: str
    stand_in: bool
    ligand_name: str
    structure_role: str = "stand_in"  # paper_entry | stand_in | co_crystal (redocking)
    receptor_chains: str = ""
    receptor_pdbqt: str = RECEPTOR
    ligand_pdbqt: str = "ligand.pdbqt"
    gpf: str = GPF
    dpf: str = DPF
    vina_config: str = VINA
    reference_sdf: str = ""
    system: str = ""         # the system (receptor) name; ``name`` is the job folder label
    cost: float = 0.0        # relative run time estimate (longest first)
    grid_cost: float = 0.0   # its autogrid4 part
    reference: str = ""      # crystal pose for per-pose RMSDs in the results database
    maps: str = ""           # MAPS_RECORD when the job docks on its receptor's shared maps (gpf then "")
    set_aside: tuple[str, ...] = ()  # what receptor preparation removed, each part named (clean_structure)
    crystal_ligand: str = ""         # run-directory path of the co-crystal ligand the box was built on
    crystal_ligand_id: str = ""      # its id: "MOI R:401", "chain C"

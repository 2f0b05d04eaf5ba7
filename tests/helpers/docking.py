"""Docking inputs shared by the docking tests: the 1IEP redocking case, opioid systems, executor jobs."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from netpharm.docking.config import DockingSystem, RedockCase
from netpharm.docking.run.executor import DockingJob

from .paths import AD, STRUCT

NALOXONE = "C=CCN1CC[C@]23[C@@H]4C(=O)CC[C@]2([C@H]1CC5=C3C(=C(C=C5)O)O4)O"
NALOXONE_KEY = "UZHSEJADLWPNLE-GRGSLBFTSA-N"

#: the Vina team's box around imatinib in 1IEP (tests/data/autodock/README.md)
IEP_BOX: dict[str, Any] = dict(box_center=(15.190, 53.903, 16.917), box_size=(20.0, 20.0, 20.0))


def iep_case(name: str = "1IEP", **extra: Any) -> RedockCase:
    """The 1IEP imatinib redocking case on the stored PDBQT files (``extra`` overrides its fields)."""
    return RedockCase(name, receptor_pdbqt="1iep_receptor.pdbqt", ligand_pdbqt="1iep_ligand.pdbqt",
                      reference="1iep_ligand.sdf", **{**IEP_BOX, **extra})


def opioid_systems() -> tuple[DockingSystem, DockingSystem]:
    """KOR (6B73 file standing in for 6VI4) and MOR (8EFO file standing in for 8EF6), pocket-boxed."""
    return (DockingSystem("KOR", str(STRUCT / "KOR_6B73_human_receptor_processed.pdb"), paper_pdb="6VI4",
                          pocket_residues=("A:138",), box_padding=5.0),
            DockingSystem("MOR", str(STRUCT / "MOR_8EFO_human_receptor_processed.pdb"), paper_pdb="8EF6",
                          pocket_residues=("D3.32",), box_padding=5.0))


IEP_INPUTS = ("1iep_receptor.pdbqt", "1iep_ligand.pdbqt", "1iep.gpf", "1iep_reduced.dpf")


def copy_1iep_inputs(folder: Path) -> None:
    """Copy the stored 1IEP receptor, ligand, GPF and reduced-budget DPF into ``folder``."""
    for name in IEP_INPUTS:
        shutil.copy(AD / name, folder / name)


def make_job(root: Path, name: str, dpf_text: str = "ga_run 4\n") -> DockingJob:
    """An AutoDock job in ``root/name`` on the 1IEP files, with a stub GPF and the DPF ``dpf_text``."""
    work = root / name
    work.mkdir(parents=True, exist_ok=True)
    shutil.copy(AD / "1iep_receptor.pdbqt", work / "receptor.pdbqt")
    shutil.copy(AD / "1iep_ligand.pdbqt", work / "ligand.pdbqt")
    (work / "receptor.gpf").write_text("npts 4 4 4\n")
    (work / "dock.dpf").write_text(dpf_text)
    return DockingJob(name, str(work), "autodock4", "receptor.pdbqt", "ligand.pdbqt", "receptor.gpf", "dock.dpf")


#: A workflow's ``[[docking.redock]]`` table of the Vina team's 1IEP files (``name``, ``ad`` = their folder), for
#: fault tests that need a small real docking job.
IEP_REDOCK_CASE = """
[[docking.redock]]
name = "{name}"
receptor_pdbqt = "{ad}/1iep_receptor.pdbqt"
ligand_pdbqt = "{ad}/1iep_ligand.pdbqt"
reference = "{ad}/1iep_ligand.sdf"
box_center = [15.190, 53.903, 16.917]
box_size = [20.0, 20.0, 20.0]
"""

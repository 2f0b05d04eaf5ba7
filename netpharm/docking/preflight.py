"""Checks of the docking inputs that cost nothing, made before any run folder, receptor or grid.

A campaign that would fail on its inputs fails at once, one line per problem naming the ligand or
system, instead of after receptor preparation with an AutoDock log tail: a ligand file that is missing
or a folder, a SMILES RDKit cannot parse, a reference pose that is missing or unreadable, a receptor
file that is missing, does not parse or was cut short (a truncated download docked as a smaller
protein would give a wrong answer that looks right). The
search budget and boxes are checked when the workflow loads (:mod:`netpharm.docking.config`); what
needs the prepared ligand (more than 32 torsions for AutoDock 4) fails that ligand alone
(:mod:`netpharm.docking.stage`).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from rdkit import Chem

from netpharm.docking.config import DockingConfig
from netpharm.docking.prepare.box import GridBox
from netpharm.errors import ConfigError

__all__ = ["FILE_SUFFIXES", "ligand_source_problem", "reference_problem", "receptor_problem", "check_docking_inputs"]

#: a ligand source with one of these endings is a file (relative to the workflow file)
FILE_SUFFIXES = (".sdf", ".sd", ".mol", ".mol2", ".pdb", ".pdbqt")
_SMILES_ONLY = set("()[]=#@%\\")  # characters a compound name (PubChem, built-in) does not hold


def _smiles_parses(text: str) -> bool:
    from rdkit import Chem, rdBase

    _quiet = rdBase.BlockLogs()  # noqa: F841 - the problem is reported below in one line
    return Chem.MolFromSmiles(text) is not None


def ligand_source_problem(source: str, resolve: Callable[[str], Path]) -> str:
    """Why ``source`` (SMILES, compound name or file) cannot be a ligand, or ""."""
    looks_like_file = source.lower().endswith(FILE_SUFFIXES)
    path = resolve(source) if looks_like_file or "/" in source else None
    if path is not None and path.is_dir():
        return f"{source} is a folder, not a ligand file"
    if looks_like_file and path is not None and path.is_file() and not os.access(path, os.R_OK):
        return f"ligand file {path} cannot be read (permission denied)"
    if looks_like_file:
        return "" if path is not None and path.is_file() else f"ligand file not found: {path}"
    if path is not None and path.is_file():
        return ""
    if _SMILES_ONLY & set(source) and not _smiles_parses(source):
        return f"{source!r} is not a valid SMILES (RDKit cannot parse it)"
    return ""


def reference_problem(reference: str, resolve: Callable[[str], Path]) -> str:
    """Why a reference pose (SDF/MOL/PDB) cannot be read as a molecule, or ""."""
    from netpharm.docking.resultsdb_records import reference_mol

    path = resolve(reference)
    if path.is_dir():
        return f"reference {reference} is a folder, not a file"
    if not path.is_file():
        return f"reference file not found: {path}"
    try:
        mol = reference_mol(path)
    except (OSError, ValueError, RuntimeError):
        mol = None
    if mol is None or mol.GetNumAtoms() == 0:
        return f"reference {path} cannot be read as a molecule (SDF, MOL or PDB)"
    return ""


def receptor_problem(receptor: str, resolve: Callable[[str], Path]) -> str:
    """Why a receptor structure file cannot be docked into (missing, not PDB/mmCIF, cut short), or "".

    A PDB id that is not a local file is checked when it is fetched (the cache validates the entry).
    """
    from netpharm.errors import StructureError
    from netpharm.sources.constants import is_pdb_id
    from netpharm.structures.fetch import load_structure

    path = resolve(receptor)
    if not receptor or (is_pdb_id(receptor) and not path.exists()):
        return ""
    if path.is_dir():
        return f"receptor {receptor} is a folder, not a structure file"
    if not path.is_file():
        return f"receptor file not found: {path}"
    try:
        load_structure(path)
    except StructureError as exc:
        return str(exc)
    return ""


def check_docking_inputs(cfg: DockingConfig, resolve: Callable[[str], Path]) -> None:
    """Raise one :class:`ConfigError` listing every problem of the docking inputs, one line each.

    Raises
    ------
    ConfigError
        A ligand or reference that cannot be used (the ligand or system named on its line).
    """
    if not cfg.enabled:
        return
    problems = [f"ligand {spec.name}: {why}" for spec in cfg.ligands
                if (why := ligand_source_problem(spec.source, resolve))]
    for system in cfg.systems:
        if why := receptor_problem(system.receptor, resolve):
            problems.append(f"system {system.name}: {why}")
        if system.reference and (why := reference_problem(system.reference, resolve)):
            problems.append(f"system {system.name}: {why}")
    for case in cfg.redock:
        if why := receptor_problem(case.receptor, resolve):
            problems.append(f"redocking case {case.name}: {why}")
        if case.reference and (why := reference_problem(case.reference, resolve)):
            problems.append(f"redocking case {case.name}: {why}")
    if problems:
        raise ConfigError("\n".join(problems))


BOX_TOLERANCE = 2.0  # Å beyond the box faces still counted inside (a pose's atoms may reach past the centre)


def reference_outside_box(reference: str, mol: Chem.Mol | None, box: GridBox, chains: str) -> str:
    """Why a reference pose cannot be compared with poses docked in ``box`` (its centroid outside), or "".

    An entry may hold two copies of the receptor with their ligands (cryo-EM MOR-Gi entries such as 8EF6: chains
    R and M); netpharm keeps one copy (``chains``), and a reference taken from the other copy lies outside the box.
    """
    if mol is None or mol.GetNumConformers() == 0:
        return ""
    positions = mol.GetConformer().GetPositions()
    centroid = positions.mean(axis=0)
    center, size = box.center, box.size
    if all(abs(centroid[i] - center[i]) <= size[i] / 2 + BOX_TOLERANCE for i in range(3)):
        return ""
    return (f"reference {reference} (centroid {', '.join(f'{v:.1f}' for v in centroid)}) lies outside the docking box "
            f"(centre {', '.join(f'{v:.1f}' for v in center)}, size {', '.join(f'{v:g}' for v in size)} Å) on "
            f"receptor chain(s) {chains or '?'}: it belongs to another site or copy of the receptor, so its RMSDs "
            "compare two different sites (take the reference from these chains, or choose them with --chain)")

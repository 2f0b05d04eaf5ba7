"""Campaigns: which ligands go into which systems, and how long each job will take.

A workflow's ``[[docking.ligands]]`` (or ``netpharm dock --ligand``) lists SMILES, names
and SDF files; every ligand is docked into every system. An SDF may hold several
molecules: each record becomes its own ligand. Without a ligand list each system keeps
its own ``ligand`` (the paper's morphine), and its folder stays ``docking/<system>/``.

The cost estimate orders the jobs longest first (Graham's LPT rule: the makespan of
greedy list scheduling is within 4/3 of optimal), so a campaign's wall time approaches
total CPU time / workers instead of ending on one long job started last.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from rdkit import Chem

from netpharm.docking.config import DockingConfig, DockingSystem, LigandSpec
from netpharm.errors import LigandPrepError

__all__ = ["CampaignLigand", "campaign_ligands", "ligand_folder", "estimate_cost", "grid_cost", "sdf_records"]


@dataclass(frozen=True)
class CampaignLigand:
    """One ligand to prepare: a spec string for :func:`prepare_ligand` or one SDF record.

    ``problem`` says why it cannot be docked (an SDF record RDKit cannot read, an empty SDF): it is then a
    failed row of its own with that reason, and the other ligands dock (a bad ligand costs only itself).
    """

    name: str
    source: str
    expected_inchikey: str = ""
    molblock: str = ""  # set for a record of a multi-molecule SDF
    origin: str = ""    # where it came from (SMILES / name / "file.sdf record 2")
    problem: str = ""


def _plain(name: str) -> str:
    """A folder-friendly version of an SDF record title."""
    return re.sub(r"[^A-Za-z0-9_.+-]+", "_", name.strip()).strip("._") or "ligand"


def sdf_records(path: Path) -> list[tuple[str, str, str]]:
    """(title, mol block, problem) of every record of an SDF file: a record RDKit cannot read has an empty
    block and its problem (naming the record); an empty file is one such entry."""
    from rdkit import rdBase

    if not path.is_file():
        raise LigandPrepError(f"ligand file not found: {path}")
    _quiet = rdBase.BlockLogs()  # noqa: F841 - a bad record is reported by number below, not by RDKit's log
    try:
        supplier = Chem.SDMolSupplier(str(path), removeHs=False)
    except OSError:  # RDKit: "File error: Invalid input file" (an empty file)
        return [("", "", f"{path}: no molecule in the file")]
    records = []
    for index in range(len(supplier)):
        mol = supplier[index]
        if mol is None:
            records.append(("", "", f"{path} record {index + 1} does not parse as a molecule"))
        else:
            records.append((mol.GetProp("_Name") if mol.HasProp("_Name") else "", Chem.MolToMolBlock(mol), ""))
    return records or [("", "", f"{path}: no molecule in the file")]


def _expand(spec: LigandSpec, resolve: Callable[[str], Path]) -> list[CampaignLigand]:
    if not spec.source.lower().endswith((".sdf", ".sd")):
        return [CampaignLigand(spec.name, spec.source, spec.expected_inchikey, origin=spec.source)]
    path = resolve(spec.source)
    records = sdf_records(path)
    if len(records) == 1:
        return [CampaignLigand(spec.name, str(path), spec.expected_inchikey, origin=str(path), problem=records[0][2])]
    if spec.expected_inchikey:
        return [CampaignLigand(spec.name, str(path), origin=str(path), problem=(
            f"{path} holds {len(records)} molecules; expected_inchikey applies to a single molecule (split the file "
            "or drop the key)"))]
    out, seen = [], set()
    for index, (title, block, problem) in enumerate(records, start=1):
        name = f"{spec.name}_{_plain(title)}" if title.strip() else f"{spec.name}_{index}"
        if name in seen:
            name = f"{name}_{index}"
        seen.add(name)
        out.append(CampaignLigand(name, str(path), molblock=block, origin=f"{path} record {index}", problem=problem))
    return out


def campaign_ligands(cfg: DockingConfig, system: DockingSystem,
                     resolve: Callable[[str], Path]) -> list[CampaignLigand]:
    """The ligands docked into ``system``: the campaign's list, else the system's own ligand."""
    if not cfg.ligands:
        return [CampaignLigand(system.ligand_name, system.ligand, system.expected_inchikey, origin=system.ligand)]
    out: list[CampaignLigand] = []
    for spec in cfg.ligands:
        out += _expand(spec, resolve)
    names = [lig.name for lig in out]
    dup = sorted({n for n in names if names.count(n) > 1})
    if dup:
        raise LigandPrepError(f"ligand names repeat after expanding SDF files: {dup}")
    return out


def ligand_folder(cfg: DockingConfig, system: str, ligand: str) -> str:
    """``<system>`` for the classic one-ligand run, ``<system>/<ligand>`` for a campaign."""
    return f"{system}/{ligand}" if cfg.ligands else system


def estimate_cost(engine: str, n_atoms: int, torsions: int, cfg: DockingConfig, grid_points: int,
                  n_maps: int) -> float:
    """Relative cost of a job (arbitrary units, only the order matters).

    AutoDock 4's time is dominated by energy evaluations: each costs a trilinear grid
    lookup per ligand atom plus the intramolecular pairs (≈ atoms² / 2, scaled down: a
    few per atom pair are non-bonded within the cut-off), and the local search moves every
    torsion; so cost ≈ runs × evals × (atoms + torsions + atoms² / 40). autogrid4 adds
    ≈ grid points × maps. Vina's Monte-Carlo chains scale with exhaustiveness and, per
    step, with atoms and torsions (Trott & Olson 2010).
    """
    per_eval = n_atoms + torsions + n_atoms * n_atoms / 40.0
    if engine == "vina":
        return cfg.vina_exhaustiveness * 2.0e4 * per_eval * (1 + torsions / 4.0)
    return cfg.ga_runs * cfg.ga_num_evals * per_eval + grid_cost(grid_points, n_maps)


def grid_cost(grid_points: int, n_maps: int) -> float:
    """The autogrid4 part of :func:`estimate_cost`: ≈ grid points × maps (same units)."""
    return grid_points * n_maps * 50.0

"""Inputs of the docking stage: an entry loaded with its mmCIF facts, a receptor prepared once, the grid
box, the prepared ligand, and the files of a job folder (PDBQTs, GPF, DPF, Vina config, ``run.sh``).

Kept apart from :mod:`netpharm.docking.stage` so the stage stays a short recipe.
"""

from __future__ import annotations

import dataclasses
import os
import re
from pathlib import Path
from typing import Any, NamedTuple

from rdkit import Chem

from netpharm.docking import files
from netpharm.docking.config import DockingConfig, DockingSystem, RedockCase
from netpharm.docking.findings import ReceptorCheck
from netpharm.docking.pose.poses import read_receptor_atoms, receptor_atoms
from netpharm.docking.prepare.autodock_files import dpf_text, gpf_text, pdbqt_atom_types, pdbqt_center, vina_config_text
from netpharm.docking.prepare.campaign import CampaignLigand
from netpharm.errors import CacheMissError, GridBoxError, LigandPrepError, NetpharmError
from netpharm.io import (
    bytes_sha256,
    check_input_file,
    link_or_write_atomic,
    read_text_file,
    write_json_atomic,
    write_text_atomic,
)
from netpharm.sources.constants import is_pdb_id
from netpharm.stage import RunContext

__all__ = ["load_receptor_entry", "prepared_receptor", "receptor_source", "grid_box", "write_inputs",
           "ReceptorBox", "prepare_receptor_box", "prepare_campaign_ligand", "crystal_ligand", "engines_of",
           "RECEPTOR", "MAPS", "GPF", "DPF", "VINA"]

#: File names in a job folder (relative to it).
RECEPTOR, MAPS, GPF, DPF, VINA = "receptor.pdbqt", "receptor", "receptor.gpf", "dock.dpf", "vina.txt"

_RECEPTORS: dict[str, Any] = {}


def prepared_receptor(cleaned: Any, workdir: Path) -> Any:
    """prepare_receptor, reused within a process when the cleaned receptor is identical.

    6VI4 is both the κ system and the JDTic redocking case; its 43 side-chain completions take
    ~50 s on OpenMM's deterministic Reference platform, so the second folder gets a copy. The key is
    the cleaned PDB text itself, so a different cleaning can never share a result.
    """
    from netpharm.docking.prepare.receptor import prepare_receptor

    key = bytes_sha256(cleaned.receptor_pdb.encode("utf-8"))
    done = _RECEPTORS.get(key)
    if done is not None and Path(done.pdbqt_path).is_file() and Path(done.clean_pdb_path).is_file():
        workdir.mkdir(parents=True, exist_ok=True)
        paths = {}
        for field_name in ("pdbqt_path", "clean_pdb_path"):
            target = workdir / Path(getattr(done, field_name)).name
            if Path(getattr(done, field_name)).resolve() != target.resolve():
                write_text_atomic(target, Path(getattr(done, field_name)).read_text(encoding="utf-8"))
            paths[field_name] = target
        return dataclasses.replace(done, **paths)
    rec = prepare_receptor(cleaned, workdir, "receptor_prep")
    _RECEPTORS[key] = rec
    return rec


def load_receptor_entry(source: str, ctx: RunContext[DockingConfig]) -> tuple[Any, Any]:
    """(structure, entry facts); an offline cache miss names the entry: "9IYP not in cache (offline)"."""
    from netpharm.structures.fetch import load_entry

    try:
        return load_entry(source, ctx.cache, ctx.http)
    except CacheMissError as exc:
        raise CacheMissError(f"{source.upper()} not in cache (offline): {exc}") from exc


def engines_of(engine: str) -> list[str]:
    """The engines an ``engine`` setting runs ("both" = AutoDock 4 and Vina)."""
    return ["autodock4", "vina"] if engine == "both" else [engine]


def receptor_source(ctx: RunContext[DockingConfig], receptor: str) -> str:
    """A PDB id stays an id; anything else is a path relative to the workflow file."""
    return receptor if is_pdb_id(receptor) else str(ctx.run.resolve(receptor))


def grid_box(spec: DockingSystem | RedockCase, cleaned: Any, ligand_pdb: str | None, spacing: float) -> Any:
    """Explicit box > reference ligand > pocket residues (``D3.32`` = the motif's Asp)."""
    from netpharm.docking.pose.poses import find_asp332
    from netpharm.docking.prepare import box as boxes

    if spec.box_center:
        return boxes.explicit_box(tuple(spec.box_center), tuple(spec.box_size), spacing=spacing)
    if getattr(spec, "blind", False):  # the whole receptor: blind docking, as a web server's whole-protein search
        box = boxes.box_from_ligand(cleaned.receptor_pdb, padding=spec.box_padding, spacing=spacing, center="extent")
        return dataclasses.replace(box, source=f"whole receptor (blind docking) + {spec.box_padding:g} Å")
    if ligand_pdb:
        return boxes.box_from_ligand(ligand_pdb, padding=spec.box_padding, spacing=spacing)
    residues = list(getattr(spec, "pocket_residues", ()))
    if "D3.32" in residues:
        asp = find_asp332(read_receptor_atoms(cleaned.receptor_pdb))
        if asp is None:
            raise GridBoxError(f"{spec.name}: no Asp3.32 (TM3 motif ...SIDYYNMF...) in the receptor for the box")
        chain, res = asp.split(":")
        residues = [f"{chain}:{re.sub(r'[^0-9-]', '', res)}" if r == "D3.32" else r for r in residues]
    if not residues:
        raise GridBoxError(f"{spec.name}: no box: give box_center/box_size, a co-crystal ligand or pocket_residues")
    return boxes.box_from_residues(cleaned.receptor_pdb, residues, spec.box_padding, spacing=spacing)


def write_inputs(workdir: Path, engine: str, receptor_text: str, ligand_text: str, box: Any,
                  cfg: DockingConfig, rmsref: str | None = None, maps_stem: str = "",
                  receptor_file: str = "") -> None:
    """GPF, DPF, Vina config and run.sh next to the receptor/ligand PDBQT.

    ``maps_stem`` (e.g. ``../maps/receptor``): the DPF reads shared maps (no GPF here). ``receptor_file``: the
    system's prepared receptor PDBQT holding ``receptor_text``; the job folder's ``receptor.pdbqt`` is then a hard
    link to it, not one more copy per ligand (:func:`netpharm.io.link_or_write_atomic`)."""
    from netpharm.docking.prepare.box import check_box_covers_receptor

    rec_atoms = receptor_atoms(receptor_text)  # parsed once per receptor in a campaign
    check_box_covers_receptor(box, [a.xyz for a in rec_atoms])
    ltypes = pdbqt_atom_types(ligand_text)
    link_or_write_atomic(workdir / RECEPTOR, receptor_text, receptor_file or None)
    write_text_atomic(workdir / "ligand.pdbqt", ligand_text)
    if not maps_stem:
        write_text_atomic(workdir / GPF, gpf_text(RECEPTOR, pdbqt_atom_types(receptor_text), ltypes, box))
    write_text_atomic(workdir / DPF, dpf_text("ligand.pdbqt", ltypes, maps_stem or MAPS, pdbqt_center(ligand_text),
                                             cfg.lga(), cfg.ad4_seed, rmsref))
    cpus = max(1, (os.cpu_count() or 1) // cfg.workers)
    write_text_atomic(workdir / VINA, vina_config_text(RECEPTOR, "ligand.pdbqt", box, cfg.vina_exhaustiveness,
                                                       cfg.seeds[0], cfg.vina_num_modes, out="vina_out.pdbqt",
                                                       cpu=cpus))
    grid = f"# grid maps: {Path(maps_stem).parent}/ (its run.sh first)" if maps_stem else \
        f"autogrid4 -p {GPF} -l receptor.glg"
    steps = {"autodock4": [grid, f"autodock4 -p {DPF} -l dock.dlg"], "vina": [f"vina --config {VINA}"]}
    cmds = [c for e in engines_of(engine) for c in steps[e]]
    script = "#!/bin/sh\n# Written by netpharm: the docking commands of this folder (run: sh run.sh)\nset -e\n" \
             'cd "$(dirname "$0")"\n' + "\n".join(cmds) + "\n"
    write_text_atomic(workdir / "run.sh", script)
    (workdir / "run.sh").chmod(0o755)


class ReceptorBox(NamedTuple):
    """A system's prepared receptor, shared by every ligand of a campaign.

    ``text`` the receptor PDBQT, ``box`` the grid box, ``chains`` the kept chains (with their entity);
    ``set_aside`` what cleaning removed, each part named; ``crystal_ligand`` the file (in the system's
    folder) holding the co-crystal ligand the box was built on, ``crystal_ligand_id`` its id ("" = none);
    ``path`` the receptor PDBQT file ``text`` was read from.
    """

    text: str
    box: Any
    chains: str
    set_aside: tuple[str, ...] = ()
    crystal_ligand: str = ""
    crystal_ligand_id: str = ""
    path: str = ""


def prepare_receptor_box(system: DockingSystem, cfg: DockingConfig, ctx: RunContext[DockingConfig],
                         workdir: Path, checks: list[ReceptorCheck] | None = None) -> ReceptorBox:
    """Structure → cleaned receptor → receptor PDBQT text (in ``workdir``), grid box and the kept chains.

    The co-crystal ligand (or the ``box_ligand`` file) the box is built on is written, as deposited, to
    ``workdir/crystal_ligand.pdb`` (:data:`netpharm.docking.files.CRYSTAL_LIGAND`), so the report can show
    the experimental pose next to the docked one.

    Receptor PDBQT by meeko (Forli lab); grid box from the co-crystal ligand, a reference ligand
    file or pocket residues (``D3.32`` = Asp3.32 from the TM3 motif). Prepared once per system
    and shared by every ligand of a campaign. ``checks`` receives the system's :class:`ReceptorCheck`
    (identity against its ``target``, blind-docking box), also written to ``cleaning.json``.

    Raises
    ------
    NetpharmError
        Any preparation failure, prefixed with the system's name and receptor.
    """
    from netpharm.structures.clean import clean_structure

    try:
        if system.box_ligand:  # fail fast, before minutes of receptor preparation
            check_input_file(ctx.run.resolve(system.box_ligand), "box_ligand file", GridBoxError)
        st, entry = load_receptor_entry(receptor_source(ctx, system.receptor), ctx)
        cleaned = clean_structure(st, chains=system.chains or None, ligand=system.ligand_resname or None,
                                  drop_residues=system.drop_residues, entry=entry,
                                  ligand_chain=system.ligand_chain or None)
        workdir.mkdir(parents=True, exist_ok=True)
        rec = prepared_receptor(cleaned, workdir)
        ref = (read_text_file(ctx.run.resolve(system.box_ligand), "box_ligand file", GridBoxError)
               if system.box_ligand
               else cleaned.ligand_pdb if system.ligand_resname or system.ligand_chain else None)
        chains = cleaned.receptor_label or ",".join(cleaned.chains)
        box = grid_box(system, cleaned, ref, cfg.box_spacing)
        check = receptor_check(system, ctx, st, entry, list(cleaned.chains), cleaned.receptor_pdb, box)
        write_json_atomic(workdir / "cleaning.json", {"receptor_chains": chains, "ligand": cleaned.ligand_id,
                                                      "removed": cleaned.removed,
                                                      "receptor_check": dataclasses.asdict(check)})
        if checks is not None:
            checks.append(check)
        crystal, crystal_id = "", ""
        if ref:
            crystal = str(write_text_atomic(workdir / files.CRYSTAL_LIGAND, ref))
            crystal_id = (f"{Path(system.box_ligand).name} (box_ligand file)" if system.box_ligand
                          else _ligand_label(cleaned))
    except NetpharmError as exc:
        raise type(exc)(f"docking system {system.name} ({system.receptor}): {exc}") from exc
    return ReceptorBox(Path(rec.pdbqt_path).read_text(encoding="utf-8"), box, chains, tuple(cleaned.removed),
                       crystal, crystal_id, str(rec.pdbqt_path))


def _ligand_label(cleaned: Any) -> str:
    """"MOI R:401" for a hetero ligand, "chain C (Peptide agonist KGCHM07)" for a polymer-chain ligand."""
    ligand_id = str(cleaned.ligand_id or "")
    if ligand_id.startswith("chain"):
        return f"{ligand_id} ({cleaned.ligand_resname})" if cleaned.ligand_resname else ligand_id
    return f"{cleaned.ligand_resname} {ligand_id}".strip()


def receptor_check(system: DockingSystem, ctx: RunContext[DockingConfig], structure: Any, entry: Any,
                   kept: list[str], receptor_pdb: str, box: Any) -> ReceptorCheck:
    """The system's structure checked before docking: is it its ``target`` (which chains), is the box blind?"""
    from netpharm.docking.prepare.box import pdb_coordinates
    from netpharm.structures.identity import BLIND_FRACTION, box_fraction, check_identity

    source = receptor_source(ctx, system.receptor)
    pdb_text = ""
    if Path(source).is_file() and not Path(source).name.lower().endswith((".cif", ".mmcif", ".cif.gz")):
        pdb_text = read_text_file(Path(source), "structure file", GridBoxError, allow_gzip=source.endswith(".gz"))
    fraction = box_fraction(box.center, box.size, pdb_coordinates(receptor_pdb))
    if system.target:
        found = check_identity(structure, system.target, entry, pdb_text, kept)
        identity, target_chains, proteins, finding = found.status, found.chains, found.proteins, found.finding
    else:
        identity, target_chains, proteins, finding = "not checked", (), (), "no target gene given for this system"
    return ReceptorCheck(system.name, system.receptor, system.target, identity, tuple(target_chains), tuple(kept),
                         tuple(proteins), finding, round(fraction, 4), fraction >= BLIND_FRACTION)


def prepare_campaign_ligand(ligand: CampaignLigand, ctx: RunContext[DockingConfig]) -> Any:
    """A campaign ligand → :class:`~netpharm.docking.prepare.ligand.PreparedLigand` (PubChem names via the cache)."""
    from netpharm.docking.prepare.ligand import prepare_ligand, prepare_ligand_from_mol

    if ligand.molblock:
        mol = Chem.MolFromMolBlock(ligand.molblock)
        if mol is None:
            raise LigandPrepError(f"ligand {ligand.name} ({ligand.origin}): the record does not parse")
        return prepare_ligand_from_mol(mol, ligand.name, keep_coordinates=False)
    return prepare_ligand(ligand.source, name=ligand.name, expected_inchikey=ligand.expected_inchikey or None,
                          cache=ctx.cache, http=ctx.http)


def prepare_ligand_offline(ligand: CampaignLigand) -> tuple[str, Any, str]:
    """Worker function: ``(name, PreparedLigand or None, error)`` without the network.

    A ligand given as SMILES, file, record or built-in name is prepared exactly as
    :func:`prepare_campaign_ligand` does (fixed seeds: same PDBQT in any process); one that needs a
    PubChem look-up, or fails, comes back as None for the campaign's process to prepare (through the
    cache) or to report with its own error.
    """
    from netpharm.docking.prepare.ligand import prepare_ligand, prepare_ligand_from_mol

    try:
        if ligand.molblock:
            mol = Chem.MolFromMolBlock(ligand.molblock)
            if mol is None:
                return ligand.name, None, "the record does not parse"
            return ligand.name, prepare_ligand_from_mol(mol, ligand.name, keep_coordinates=False), ""
        return ligand.name, prepare_ligand(ligand.source, name=ligand.name,
                                           expected_inchikey=ligand.expected_inchikey or None), ""
    except NetpharmError as exc:
        return ligand.name, None, str(exc)


def crystal_ligand(case: RedockCase, ctx: RunContext[DockingConfig]) -> tuple[Any, str, Chem.Mol | None]:
    """(cleaned structure, the ligand's PDB block, crystal ligand molecule)."""
    from netpharm.docking.prepare.ligand import ligand_from_pdb_block
    from netpharm.structures.clean import clean_structure

    st, entry = load_receptor_entry(receptor_source(ctx, case.receptor), ctx)
    cleaned = clean_structure(st, chains=case.chains or None, ligand=case.ligand_resname or None,
                              drop_residues=case.drop_residues, entry=entry)
    block = (read_text_file(ctx.run.resolve(case.ligand_file), "ligand file", LigandPrepError)
             if case.ligand_file
             else cleaned.ligand_pdb)
    if not block:
        raise LigandPrepError(f"redocking {case.name}: ligand {case.ligand_resname} not found")
    mol = ligand_from_pdb_block(block, case.ligand_smiles)
    return cleaned, block, mol

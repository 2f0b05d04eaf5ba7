"""The docking stage: morphine (or a campaign of ligands) into the opioid receptors, plus redocking.

Recipe (the paper's AutoDock 4.2.6 protocol, Lamarckian GA 20 × 2.5 M evaluations):

1. per system: load the structure, clean it, prepare the receptor PDBQT and the grid box
   once; per ligand of the campaign (:mod:`netpharm.docking.campaign`; default the paper's
   morphine): the ligand PDBQT (meeko), GPF, DPF, Vina config and a ``run.sh``;
2. run autogrid4 + autodock4 (and/or Vina) for all jobs in parallel, longest first
   (:mod:`netpharm.docking.executor`); a campaign computes each receptor's maps once, for
   the union of its ligands' atom types (:mod:`netpharm.docking.grids`); finished jobs with
   unchanged inputs are skipped;
   every job and pose goes into ``docking/results.sqlite`` (:mod:`netpharm.docking.resultsdb`);
3. per job: parse the DLG, write the best pose (PDBQT/SDF/complex PDB), its contacts,
   the amine–Asp3.32 distance, a PyMOL script and a figure;
4. redocking cases: same, plus the symmetry-corrected RMSD to the crystal pose.

A system that fails (bad PDB id, receptor that does not prepare, box off the receptor,
autodock4 crash) is reported with its reason; the others go on.
"""

from __future__ import annotations

import json
import logging
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
from rdkit import Chem

from netpharm.docking.autodock_files import dpf_text, gpf_text, pdbqt_atom_types, pdbqt_center, vina_config_text
from netpharm.docking.campaign import CampaignLigand, campaign_ligands, estimate_cost, ligand_folder
from netpharm.docking.config import DockingConfig, DockingSystem, RedockCase
from netpharm.docking.dlg import DockingLog, parse_dlg, parse_vina_pdbqt, pose_coords
from netpharm.docking.executor import DockingJob, JobResult, fingerprint, run_jobs
from netpharm.docking.findings import DockedSystem, DockingFindings, Interaction, RedockResult
from netpharm.docking.grids import (
    MAPS_DIR,
    MAPS_RECORD,
    SharedGrid,
    run_shared_grids,
    shares_maps,
    union_types,
    write_maps_record,
    write_shared_grid,
)
from netpharm.docking.inputs import load_receptor_entry, prepared_receptor
from netpharm.docking.pose_views import describe_pose
from netpharm.docking.poses import (
    asp332_salt_bridge,
    contact_residues,
    pose_to_mol,
    pymol_script,
    read_receptor_atoms,
    write_pose_files,
)
from netpharm.docking.records import record_result, reference_mol
from netpharm.docking.resultsdb import DB_NAME, ResultsDB
from netpharm.docking.rmsd import symmetry_rmsd
from netpharm.docking.runner import find_executable, install_hint, program_version
from netpharm.errors import GridBoxError, LigandPrepError, MissingProgramError, NetpharmError, ReceptorPrepError
from netpharm.io import check_input_file, read_text_file, write_json_atomic, write_table, write_text_atomic
from netpharm.sources.constants import is_pdb_id
from netpharm.stage import RunContext, StageOutcome, Status
from netpharm.structures import records

__all__ = ["run_docking_stage", "ENGINE_PROGRAMS"]

log = logging.getLogger(__name__)

ENGINE_PROGRAMS = {"autodock4": ("autogrid", "autodock"), "vina": ("vina",)}
SYSTEM_COLUMNS = ["system", "ligand", "kind", "engine", "receptor", "paper_pdb", "used_structure", "stand_in", "status",
                  "best_energy", "best_run", "best_cluster_size", "best_cluster_mean_energy", "n_runs",
                  "n_clusters", "ki", "ki_unit", "salt_bridge", "amine_asp332_distance", "asp332", "rmsd",
                  "rmsd_min", "rmsd_min_pose", "cluster_basis", "success", "crystal_local_energy",
                  "failure_cause", "structure_role", "receptor_chains", "contacts", "interactions", "figure", "diagram_svg", "pose_sdf",
                  "pocket_pdb", "interactions_tsv", "interactions_error", "error"]
#: docking/results.tsv: one row per (ligand, system, engine) job, the table the report's energy heatmap reads.
RESULT_COLUMNS = ["ligand", "system", "kind", "receptor", "engine", "status", "best_energy", "best_cluster_size",
                  "n_runs", "salt_bridge", "rmsd"]


RECEPTOR, MAPS, GPF, DPF, VINA = "receptor.pdbqt", "receptor", "receptor.gpf", "dock.dpf", "vina.txt"


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
    reference: str = ""      # crystal pose for per-pose RMSDs in the results database
    maps: str = ""           # MAPS_RECORD when the job docks on its receptor's shared maps (gpf then "")


def _source(ctx: RunContext, receptor: str) -> str:
    """A PDB id stays an id; anything else is a path relative to the workflow file."""
    return receptor if is_pdb_id(receptor) else str(ctx.config.resolve(receptor))


def _box(spec: DockingSystem | RedockCase, cleaned: Any, ligand_pdb: str | None, spacing: float) -> Any:
    """Explicit box > reference ligand > pocket residues (``D3.32`` = the motif's Asp)."""
    from netpharm.docking import box as boxes
    from netpharm.docking.poses import find_asp332

    if spec.box_center:
        return boxes.explicit_box(tuple(spec.box_center), tuple(spec.box_size), spacing=spacing)
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


def _write_inputs(workdir: Path, engine: str, receptor_text: str, ligand_text: str, box: Any,
                  cfg: DockingConfig, rmsref: str | None = None, maps_stem: str = "") -> None:
    """GPF, DPF, Vina config and run.sh next to the receptor/ligand PDBQT.

    ``maps_stem`` (e.g. ``../maps/receptor``): the DPF reads shared maps (no GPF here)."""
    from netpharm.docking.box import check_box_covers_receptor

    rec_atoms = read_receptor_atoms(receptor_text)
    check_box_covers_receptor(box, [a.xyz for a in rec_atoms])
    ltypes = pdbqt_atom_types(ligand_text)
    write_text_atomic(workdir / RECEPTOR, receptor_text)
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
    cmds = [c for e in _engines(engine) for c in steps[e]]
    script = "#!/bin/sh\n# Written by netpharm: the docking commands of this folder (run: sh run.sh)\nset -e\n" \
             'cd "$(dirname "$0")"\n' + "\n".join(cmds) + "\n"
    write_text_atomic(workdir / "run.sh", script)
    (workdir / "run.sh").chmod(0o755)


def prepare_receptor_box(system: DockingSystem, cfg: DockingConfig, ctx: RunContext,
                         workdir: Path) -> tuple[str, Any, str]:
    """Structure → cleaned receptor → receptor PDBQT text (in ``workdir``), grid box and the kept chains.

    Receptor PDBQT by meeko (Forli lab); grid box from the co-crystal ligand, a reference ligand
    file or pocket residues (``D3.32`` = Asp3.32 from the TM3 motif). Prepared once per system
    and shared by every ligand of a campaign.

    Raises
    ------
    NetpharmError
        Any preparation failure, prefixed with the system's name and receptor.
    """
    from netpharm.structures.clean import clean_structure

    try:
        if system.box_ligand:  # fail fast, before minutes of receptor preparation
            check_input_file(ctx.config.resolve(system.box_ligand), "box_ligand file", GridBoxError)
        st, entry = load_receptor_entry(_source(ctx, system.receptor), ctx)
        cleaned = clean_structure(st, chains=system.chains or None, ligand=system.ligand_resname or None,
                                  drop_residues=system.drop_residues, entry=entry,
                                  ligand_chain=system.ligand_chain or None)
        workdir.mkdir(parents=True, exist_ok=True)
        rec = prepared_receptor(cleaned, workdir)
        ref = (read_text_file(ctx.config.resolve(system.box_ligand), "box_ligand file", GridBoxError)
               if system.box_ligand
               else cleaned.ligand_pdb if system.ligand_resname or system.ligand_chain else None)
        chains = cleaned.receptor_label or ",".join(cleaned.chains)
        write_json_atomic(workdir / "cleaning.json", {"receptor_chains": chains, "ligand": cleaned.ligand_id,
                                                      "removed": cleaned.removed})
        box = _box(system, cleaned, ref, cfg.box_spacing)
    except NetpharmError as exc:
        raise type(exc)(f"docking system {system.name} ({system.receptor}): {exc}") from exc
    return Path(rec.pdbqt_path).read_text(encoding="utf-8"), box, chains


def prepare_campaign_ligand(ligand: CampaignLigand, ctx: RunContext) -> Any:
    """A campaign ligand → :class:`~netpharm.docking.ligand.PreparedLigand` (PubChem names via the cache)."""
    from netpharm.docking.ligand import prepare_ligand, prepare_ligand_from_mol

    if ligand.molblock:
        mol = Chem.MolFromMolBlock(ligand.molblock)
        if mol is None:
            raise LigandPrepError(f"ligand {ligand.name} ({ligand.origin}): the record does not parse")
        return prepare_ligand_from_mol(mol, ligand.name, keep_coordinates=False)
    return prepare_ligand(ligand.source, name=ligand.name, expected_inchikey=ligand.expected_inchikey or None,
                          cache=ctx.cache, http=ctx.http)


def prepare_system(system: DockingSystem, cfg: DockingConfig, ctx: RunContext, workdir: Path,
                   receptor: tuple[str, Any, str] | None = None, ligand: Any = None,
                   label: str = "", grid: SharedGrid | None = None) -> PreparedSystem:
    """Receptor PDBQT + box (given, or prepared here) and ligand PDBQT → the job folder ``workdir``;
    with ``grid`` the AutoDock job docks on that shared map set instead of its own."""
    rec_text, box, chains = receptor if receptor is not None else prepare_receptor_box(system, cfg, ctx, workdir)
    try:
        if ligand is None:
            ligand = prepare_campaign_ligand(CampaignLigand(system.ligand_name, system.ligand,
                                                            system.expected_inchikey), ctx)
        workdir.mkdir(parents=True, exist_ok=True)
        stem = os.path.join(os.path.relpath(grid.folder, workdir), "receptor") if grid is not None else ""
        _write_inputs(workdir, cfg.engine, rec_text, ligand.pdbqt, box, cfg, maps_stem=stem)
    except NetpharmError as exc:
        raise type(exc)(f"docking system {system.name} ({system.receptor}): {exc}") from exc
    npts = box.npts
    points = (npts[0] + 1) * (npts[1] + 1) * (npts[2] + 1)
    cost = estimate_cost(cfg.engine if cfg.engine != "both" else "autodock4", ligand.n_atoms,
                         ligand.active_torsions, cfg, points, 0 if grid is not None else len(ligand.atom_types) + 2)
    return PreparedSystem(label or system.name, "system", str(workdir), cfg.engine, system.receptor,
                          system.paper_pdb, system.receptor, system.structure_role == "stand_in", ligand.name,
                          structure_role=system.structure_role, receptor_chains=chains, system=system.name,
                          cost=cost, reference=str(ctx.config.resolve(system.reference)) if system.reference else "",
                          gpf="" if grid is not None else GPF, maps=MAPS_RECORD if grid is not None else "")


def _crystal_ligand(case: RedockCase, ctx: RunContext) -> tuple[Any, str, Chem.Mol | None]:
    """(cleaned structure or None, receptor PDBQT text, crystal ligand molecule)."""
    from netpharm.docking.ligand import ligand_from_pdb_block
    from netpharm.structures.clean import clean_structure

    st, entry = load_receptor_entry(_source(ctx, case.receptor), ctx)
    cleaned = clean_structure(st, chains=case.chains or None, ligand=case.ligand_resname or None,
                              drop_residues=case.drop_residues, entry=entry)
    block = (read_text_file(ctx.config.resolve(case.ligand_file), "ligand file", LigandPrepError)
             if case.ligand_file
             else cleaned.ligand_pdb)
    if not block:
        raise LigandPrepError(f"redocking {case.name}: ligand {case.ligand_resname} not found")
    mol = ligand_from_pdb_block(block, case.ligand_smiles)
    return cleaned, block, mol


def prepare_redock(case: RedockCase, cfg: DockingConfig, ctx: RunContext, workdir: Path) -> PreparedSystem:
    """Redocking inputs: prepared PDBQTs as given, or prepared from the co-crystal structure.

    The co-crystal ligand, docked back into its own receptor, validates the protocol: a
    best-energy pose within 2 Å RMSD of the crystal pose is the usual success criterion.

    Raises
    ------
    LigandPrepError
        An input file cannot be read or the crystal ligand cannot be built.
    """
    from netpharm.docking import box as boxes

    workdir.mkdir(parents=True, exist_ok=True)
    try:
        if case.receptor_pdbqt:
            rec_text = read_text_file(ctx.config.resolve(case.receptor_pdbqt), "receptor PDBQT", ReceptorPrepError)
            lig_text = read_text_file(ctx.config.resolve(case.ligand_pdbqt), "ligand PDBQT", LigandPrepError)
            ref = Chem.MolFromMolFile(str(check_input_file(ctx.config.resolve(case.reference), "reference pose",
                                                           LigandPrepError)), removeHs=False) \
                if case.reference else None
            heavy = [ln for ln in lig_text.splitlines()
                     if records.is_atom(ln) and records.pdbqt_type(ln) not in ("HD", "HS", "H")]
            box = (boxes.explicit_box(tuple(case.box_center), tuple(case.box_size), spacing=cfg.box_spacing)
                   if case.box_center else
                   boxes.box_from_ligand(pose_coords(heavy), padding=case.box_padding, spacing=cfg.box_spacing))
        else:
            from netpharm.docking.ligand import prepare_ligand_from_mol

            cleaned, block, ref = _crystal_ligand(case, ctx)
            if ref is None:
                raise LigandPrepError(f"the crystal ligand {case.ligand_resname} could not be read as a molecule")
            rec_text = Path(prepared_receptor(cleaned, workdir).pdbqt_path).read_text(
                encoding="utf-8")
            lig_text = prepare_ligand_from_mol(ref, case.name, keep_coordinates=True).pdbqt
            box = _box(case, cleaned, block, cfg.box_spacing)
        if ref is None:
            raise LigandPrepError("no crystal reference pose (set 'reference')")
        write_text_atomic(workdir / "crystal_ligand.sdf", Chem.MolToMolBlock(ref) + "$$$$\n")
        _write_inputs(workdir, case.engine, rec_text, lig_text, box, cfg, rmsref="ligand.pdbqt")
    except OSError as exc:
        raise LigandPrepError(f"redocking case {case.name}: cannot read an input file: {exc}") from exc
    except NetpharmError as exc:
        raise type(exc)(f"redocking case {case.name}: {exc}") from exc
    return PreparedSystem(case.name, "redock", str(workdir), case.engine, case.receptor or case.receptor_pdbqt,
                          "", case.receptor or case.receptor_pdbqt, False, case.name,
                          structure_role="co_crystal", reference_sdf="crystal_ligand.sdf", system=case.name,
                          reference=str(workdir / "crystal_ligand.sdf"))


def redock_rmsd(mol: Chem.Mol | None, reference_sdf: Path) -> float | None:
    """Symmetry-corrected heavy-atom RMSD (Å) of the pose to the crystal ligand (spyrmsd; Meli & Biggin 2020).

    Returns ``None`` when either molecule cannot be read.
    """
    ref = Chem.MolFromMolFile(str(reference_sdf), removeHs=False, sanitize=False)
    if mol is None or ref is None:
        return None
    return round(symmetry_rmsd(mol, ref), 3)


def _engines(engine: str) -> list[str]:
    return ["autodock4", "vina"] if engine == "both" else [engine]


def _missing_programs(engines: list[str]) -> dict[str, str]:
    """engine -> message naming every program of that engine that is not installed."""
    out = {}
    for engine in engines:
        gaps = []
        for name in ENGINE_PROGRAMS[engine]:
            try:
                find_executable(name)
            except MissingProgramError as exc:
                gaps.append(str(exc))
        if gaps:
            out[engine] = "; ".join(gaps)
    return out


def _jobs(p: PreparedSystem, engines: list[str], cfg: DockingConfig) -> list[DockingJob]:
    # absolute: Dask workers may run in another folder (the run directory must be on a shared filesystem)
    common: dict[str, Any] = dict(
        name=p.name, workdir=str(Path(p.workdir).resolve()), receptor=p.receptor_pdbqt, ligand=p.ligand_pdbqt,
        autogrid_timeout=cfg.autogrid_timeout, autodock_timeout=cfg.autodock_timeout, vina_timeout=cfg.vina_timeout,
        system=p.system or p.name, ligand_name=p.ligand_name, seeds=tuple(cfg.ad4_seed), ga_runs=cfg.ga_runs,
        cost=p.cost)
    return [DockingJob(engine="autodock4", gpf=p.gpf, dpf=p.dpf, maps=p.maps, **common) if e == "autodock4"
            else DockingJob(engine="vina", vina_config=p.vina_config, **common) for e in engines]


def _run_all(jobs: list[DockingJob], cfg: DockingConfig,
             store: Callable[[DockingJob, JobResult], None]) -> dict[str, JobResult]:
    """Every job's result by ``job.key``; AutoDock 4 jobs split into ``cfg.run_chunks`` chunks when > 1."""
    split = [j for j in jobs if j.engine == "autodock4"] if cfg.run_chunks > 1 else []
    whole = [j for j in jobs if j not in split]
    results = {j.key: r for j, r in zip(whole, run_jobs(whole, cfg.workers, cfg.dask_scheduler, on_result=store))}
    if split:
        from netpharm.docking.chunked import run_chunked

        done = run_chunked(split, cfg.ga_runs, cfg.run_chunks, cfg.ad4_seed, cfg.workers, cfg.dask_scheduler)
        for job, result in zip(split, done):
            store(job, result)
            results[job.key] = result
    return results


def _log_of(p: PreparedSystem, result: JobResult, engine: str) -> DockingLog:
    if engine == "autodock4" and "chunks" in result.outputs:  # split run: merged and re-clustered
        from netpharm.docking.chunked import merged_log

        return merged_log(Path(p.workdir))
    if engine == "autodock4":
        return parse_dlg(Path(p.workdir) / result.outputs["dlg"])
    return parse_vina_pdbqt(Path(p.workdir) / result.outputs["vina_out"])


def _analyse(p: PreparedSystem, engine: str, result: JobResult, run_dir: Path) -> dict[str, Any]:
    """Best pose files, contacts, salt bridge, figure (and RMSD for redocking)."""
    dlog = _log_of(p, result, engine)
    best = dlog.best
    wd = Path(p.workdir)
    receptor_text = (wd / p.receptor_pdbqt).read_text(encoding="utf-8")
    atoms = read_receptor_atoms(receptor_text)
    stem = "best_pose" if engine == "autodock4" else "best_pose_vina"
    files = write_pose_files(best, receptor_text, wd, stem)
    mol = pose_to_mol(best)
    contacts = contact_residues(atoms, best.coords)
    bridge = asp332_salt_bridge(atoms, best, mol)
    write_text_atomic(wd / f"{stem}.pml", pymol_script(p.receptor_pdbqt, files.pdbqt.name, contacts, bridge))
    title = f"{p.system or p.name}: {p.ligand_name} ({engine}), {best.energy:.2f} kcal/mol"
    views = describe_pose(mol, receptor_text, atoms, best.coords, bridge.residue, wd, stem, title,
                          f"system {p.system or p.name} ({engine})")
    rel = lambda path: str(Path(path).relative_to(run_dir)) if path else None  # noqa: E731
    cluster = dlog.best_cluster
    if "chunks" in result.outputs:
        extra: dict[str, Any] = {"run_chunks": len(json.loads((wd / result.outputs["chunks"]).read_text())["chunks"]),
                                 "chunk_plan": result.outputs["chunks"], "clustering": "merged_clusters.txt"}
    else:
        extra = {}
    row: dict[str, Any] = dict(
        status="ok", best_energy=best.energy, best_run=best.run,
        best_cluster_size=cluster.size if cluster else None,
        best_cluster_mean_energy=cluster.mean_energy if cluster else None,
        n_runs=len(dlog.runs), n_clusters=len(dlog.clusters) or None, ki=best.ki, ki_unit=best.ki_unit,
        # The Asp3.32 salt bridge is the profile's row (ProLIF ionic, 4.0 Å); the amine–carboxylate
        # distance check stands in only when no profile could be computed.
        salt_bridge=bridge.formed if views.salt_bridge_asp332 is None else views.salt_bridge_asp332,
        amine_asp332_distance=bridge.distance, asp332=bridge.residue,
        contacts=contacts, interactions=views.interactions,
        figure=rel(views.diagram[0]) if views.diagram else None,
        diagram_svg=rel(views.diagram[1]) if len(views.diagram) > 1 else None,
        pose_sdf=rel(files.sdf), pocket_pdb=rel(views.pocket_pdb), interactions_tsv=rel(views.interactions_tsv),
        interactions_error=views.error or None, **extra)
    if p.reference_sdf:
        from netpharm.docking.redock import assess_redock

        verdict = assess_redock(dlog, wd / p.reference_sdf, wd, engine)
        row.update(rmsd=verdict.rmsd_best_energy, rmsd_min=verdict.rmsd_min, rmsd_min_pose=verdict.rmsd_min_pose,
                   best_cluster_size=verdict.cluster_size, cluster_basis=verdict.cluster_basis,
                   success=verdict.success, crystal_local_energy=verdict.crystal_local_energy,
                   failure_cause=verdict.failure_cause)
    return row


def _base_row(p: PreparedSystem | None, name: str, kind: str, engine: str, ligand: str = "") -> dict[str, Any]:
    row: dict[str, Any] = {c: None for c in SYSTEM_COLUMNS}
    row.update(system=name, ligand=p.ligand_name if p is not None else ligand, kind=kind, engine=engine,
               contacts=[], interactions=[], salt_bridge=False)
    if p is not None:
        row.update(receptor=p.receptor, paper_pdb=p.paper_pdb, used_structure=p.used_structure,
                   stand_in=p.stand_in, structure_role=p.structure_role, receptor_chains=p.receptor_chains,
                   ligand=p.ligand_name)
    return row


def _failed_rows(kind: str, item: Any, engines: list[str], error: str, ligand: str = "") -> list[dict[str, Any]]:
    rows = []
    for engine in engines:
        row = _base_row(None, item.name, kind, engine, ligand)
        row.update(status="failed", error=error, receptor=getattr(item, "receptor", ""),
                   paper_pdb=getattr(item, "paper_pdb", ""))
        rows.append(row)
    return rows


def _prepare_systems(ctx: RunContext, cfg: DockingConfig, out: Path, rows: list[dict[str, Any]],
                     missing: list[str], db: ResultsDB, order: list[str],
                     grids: list[SharedGrid]) -> list[PreparedSystem]:
    """Every (system, ligand) folder: receptor and box once per system, each ligand once, and
    (campaigns, :func:`netpharm.docking.grids.shares_maps`) one map set per system in ``grids``.

    ``order`` collects the ligand names in campaign order (for the tables)."""
    prepared: list[PreparedSystem] = []
    ligands: dict[str, Any] = {}
    share = shares_maps(cfg.run_chunks, bool(cfg.ligands)) and "autodock4" in _engines(cfg.engine)
    for system in cfg.systems:
        log.info("preparing docking system %s", system.name)
        try:
            todo = campaign_ligands(cfg, system, lambda path: ctx.config.resolve(path))
        except NetpharmError as exc:
            missing.append(f"system {system.name}: {exc}")
            rows += _failed_rows("system", system, _engines(cfg.engine), str(exc), "?")
            continue
        try:
            receptor = prepare_receptor_box(system, cfg, ctx, out / system.name)
        except NetpharmError as exc:
            missing.append(f"system {system.name}: {exc}")
            log.warning("%s", missing[-1])
            for lig in todo:  # every job of this system is recorded as failed, with the reason
                rows += _failed_rows("system", system, _engines(cfg.engine), str(exc), lig.name)
            order += [lig.name for lig in todo if lig.name not in order]
            continue
        order += [lig.name for lig in todo if lig.name not in order]
        ready = []
        for lig in todo:
            try:
                if lig.name not in ligands:
                    ligands[lig.name] = prepare_campaign_ligand(lig, ctx)
                    _record_ligand(db, lig, ligands[lig.name])
                ready.append(lig)
            except NetpharmError as exc:
                message = f"system {system.name}, ligand {lig.name}: {exc}"
                missing.append(message)
                log.warning("%s", message)
                rows += _failed_rows("system", system, _engines(cfg.engine), message, lig.name)
        grid = None
        if share and ready:
            types = union_types(ligands[lig.name].pdbqt for lig in ready)
            try:
                grid = write_shared_grid(out / system.name / MAPS_DIR, system.name, receptor[0], types, receptor[1])
                grids.append(grid)
            except ValueError as exc:  # more types than autogrid4 maps at once: each job grids its own
                log.warning("docking system %s: one map set per ligand (%s)", system.name, exc)
        db.add_receptor(system.name, system.receptor, system.paper_pdb, bool(system.stand_in),
                        _sha256_text(receptor[0]), _box_record(receptor[1], grid, out))
        for lig in ready:
            label = ligand_folder(cfg, system.name, lig.name)
            try:
                prepared.append(prepare_system(system, cfg, ctx, out / label, receptor, ligands[lig.name], label,
                                               grid))
            except NetpharmError as exc:
                message = f"system {system.name}, ligand {lig.name}: {exc}"
                missing.append(message)
                log.warning("%s", message)
                rows += _failed_rows("system", system, _engines(cfg.engine), message, lig.name)
    return prepared


def _sha256_text(text: str) -> str:
    import hashlib

    return hashlib.sha256(text.encode()).hexdigest()


def _box_record(box: Any, grid: SharedGrid | None = None, out: Path | None = None) -> dict[str, Any]:
    """The receptors table's box, with the shared map set (folder, ligand types, input fingerprint) if any."""
    record: dict[str, Any] = {"center": list(box.center), "size": list(box.size), "spacing": box.spacing}
    if grid is not None and out is not None:
        folder = Path(grid.folder)
        record["maps"] = {"folder": str(folder.relative_to(out)), "ligand_types": list(grid.ligand_types),
                          "fingerprint": fingerprint(folder, ["receptor.pdbqt", "receptor.gpf"])}
    return record


def _record_ligand(db: ResultsDB, lig: CampaignLigand, prep: Any) -> None:
    db.add_ligand(lig.name, lig.origin or lig.source, prep.smiles, prep.inchikey, prep.n_atoms, prep.n_heavy,
                  prep.active_torsions, prep.total_charge, prep.protonation)


def _prepare_redocks(ctx: RunContext, cfg: DockingConfig, out: Path, rows: list[dict[str, Any]],
                     missing: list[str]) -> list[PreparedSystem]:
    prepared = []
    for case in cfg.redock:
        log.info("preparing docking redock %s", case.name)
        try:
            prepared.append(prepare_redock(case, cfg, ctx, out / "redock" / case.name))
        except NetpharmError as exc:
            missing.append(f"redock {case.name}: {exc}")
            log.warning("%s", missing[-1])
            rows += _failed_rows("redock", case, _engines(case.engine), str(exc), case.name)
    return prepared


def _shared_maps(jobs: list[DockingJob], grids: list[SharedGrid], cfg: DockingConfig, db: ResultsDB,
                 missing: list[str]) -> tuple[list[DockingJob], dict[str, JobResult]]:
    """autogrid4 once per receptor for the jobs that dock on shared maps; each such job gets the
    map set's record (``maps.json``, one of its inputs). Jobs whose maps failed are recorded failed."""
    wanted = {j.system for j in jobs if j.maps}
    done = run_shared_grids([g for g in grids if g.system in wanted], cfg.workers, cfg.dask_scheduler,
                            cfg.autogrid_timeout)
    by_system = {g.system: g for g in grids}
    kept, failed = [], {}
    for job in jobs:
        result = done.get(job.system) if job.maps else None
        if result is not None and result.status == "failed":
            failed[job.key] = JobResult(job.name, "failed", error=f"system {job.name} ({job.engine}): {result.error}",
                                        error_type=result.error_type)
            db.queue_job(job.key, job.system, job.ligand_name, job.engine, "", {}, status="failed",
                         error=result.error)
            continue
        if job.maps:
            write_maps_record(Path(job.workdir), by_system[job.system])
        kept.append(job)
    missing += list(dict.fromkeys(r.error for r in done.values() if r.status == "failed"))
    return kept, failed


def _queue(db: ResultsDB, jobs: list[DockingJob], cfg: DockingConfig, run_dir: Path) -> None:
    params = {"ga_runs": cfg.ga_runs, "ga_num_evals": cfg.ga_num_evals, "ga_pop_size": cfg.ga_pop_size,
              "seeds": list(cfg.seeds), "vina_exhaustiveness": cfg.vina_exhaustiveness,
              "vina_num_modes": cfg.vina_num_modes, "box_spacing": cfg.box_spacing}
    for job in jobs:
        db.queue_job(job.key, job.system, job.ligand_name, job.engine,
                     os.path.relpath(job.workdir, Path(run_dir).resolve()), params, job.run_indices,
                     job.seeds, job.cost, fingerprint=fingerprint(Path(job.workdir), job.inputs()))


def run_docking_stage(ctx: RunContext) -> StageOutcome[DockingFindings]:
    """The docking stage: prepare every system and redocking case, dock, analyse the best poses.

    AutoDock 4.2.6 Lamarckian GA (Morris et al. 1998, 2009) with the workflow's budget, and/or
    AutoDock Vina (Trott & Olson 2010; Eberhardt et al. 2021); poses are analysed for contacts,
    the amine–Asp3.32 salt bridge (Ballesteros–Weinstein numbering) and, for redocking, the
    symmetry-corrected RMSD to the crystal pose.

    Parameters
    ----------
    ctx : RunContext
        Uses ``ctx.config.docking``.

    Returns
    -------
    StageOutcome[DockingFindings]
        ``not_run`` with ready-to-run inputs and ``run.sh`` when the programs are missing;
        ``partial`` when some runs did not finish.
    """
    cfg: DockingConfig = ctx.config.docking
    out = ctx.stage_dir("docking")
    if not cfg.enabled:
        return StageOutcome("docking", "not_run", reason="docking disabled in the workflow")
    programs = {name: program_version(name) for name in ("autogrid4", "autodock4", "vina", "obabel")}
    rows: list[dict[str, Any]] = []
    missing: list[str] = []
    with ResultsDB(out / DB_NAME) as db:
        ligand_order: list[str] = []
        grids: list[SharedGrid] = []
        prepared = _prepare_systems(ctx, cfg, out, rows, missing, db, ligand_order, grids)
        prepared += _prepare_redocks(ctx, cfg, out, rows, missing)
        for row in rows:  # preparation failures are jobs that could not start
            db.queue_job(f"{row['system']}/{row['ligand']}:{row['engine']}", row["system"], row["ligand"] or "",
                         row["engine"], "", {}, status="failed", error=row["error"] or "")

        absent: dict[str, str] = {}
        jobs: list[DockingJob] = []
        for p in prepared:
            engines = _engines(p.engine)
            gaps = _missing_programs(engines)
            absent.update(gaps)
            jobs += _jobs(p, [e for e in engines if e not in gaps], cfg)
            for engine in gaps:
                db.queue_job(f"{p.name}:{engine}", p.system, p.ligand_name, engine, p.workdir, {},
                             status="not_run", error=gaps[engine])
        for engine, message in absent.items():
            hints = " && ".join(install_hint(n) for n in ENGINE_PROGRAMS[engine])
            missing.append(f"{message}: the {engine} inputs and run.sh are written in each docking/ system "
                           f"folder; install ({hints}) and run `sh run.sh` there, or rerun netpharm")
        jobs, grid_failures = _shared_maps(jobs, grids, cfg, db, missing)
        _queue(db, jobs, cfg, ctx.run_dir)
        references = {p.name: reference_mol(Path(p.reference)) if p.reference else None for p in prepared}

        def store(job: DockingJob, result: JobResult) -> None:
            record_result(db, job, result, ctx.run_dir, references.get(job.name))

        results = {**_run_all(jobs, cfg, store), **grid_failures}

    profiles: list[tuple[str, int, list[dict[str, Any]]]] = []
    for p in prepared:
        for engine in _engines(p.engine):
            row = _base_row(p, p.system or p.name, p.kind, engine)
            result = results.get(f"{p.name}:{engine}")
            if result is None:
                row.update(status="not_run", error=absent.get(engine, "not run"))
            elif result.status == "failed":
                row.update(status="failed", error=result.error)
                missing.append(result.error)
            else:
                try:
                    row.update(_analyse(p, engine, result, ctx.run_dir))
                    if row.get("interactions_error"):
                        missing.append(row["interactions_error"])
                    profiles.append((f"{p.name}:{engine}", row["best_run"], row["interactions"]))
                except NetpharmError as exc:
                    row.update(status="failed", error=f"system {p.name} ({engine}): {exc}")
                    missing.append(row["error"])
            rows.append(row)
    with ResultsDB(out / DB_NAME) as db:  # each best pose's profile into its poses row (JSON)
        for job_id, run, interactions in profiles:
            db.set_interactions(job_id, run, interactions)
    order = {n: i for i, n in enumerate([s.name for s in cfg.systems] + [r.name for r in cfg.redock])}
    lig_order = {n: i for i, n in enumerate(ligand_order)}
    rows.sort(key=lambda r: (order[r["system"]], lig_order.get(r["ligand"], -1), r["engine"]))
    return _outcome(ctx, out, rows, missing, programs)


def _interaction_summary(row: dict[str, Any]) -> str:
    """``kind residue`` pairs of a pose's profile, hydrophobic contacts left to the TSV."""
    return "; ".join(f"{i['kind']} {i['residue']}" for i in row.get("interactions") or []
                     if i["kind"] != "hydrophobic")


def _outcome(ctx: RunContext, out: Path, rows: list[dict[str, Any]], missing: list[str],
             programs: dict[str, str | None]) -> StageOutcome[DockingFindings]:
    table = pd.DataFrame([{**r, "contacts": ",".join(r["contacts"]), "interactions": _interaction_summary(r)}
                          for r in rows], columns=SYSTEM_COLUMNS)
    for column in ("best_run", "best_cluster_size", "n_runs", "n_clusters"):
        table[column] = table[column].astype("Int64")  # integers with gaps for failed systems
    outputs = [write_table(out / "systems.tsv", table)]
    outputs.append(write_json_atomic(out / "systems.json", {"systems": rows}))
    outputs.append(write_table(out / "results.tsv", pd.DataFrame(rows, columns=RESULT_COLUMNS)))
    if (out / DB_NAME).is_file():
        outputs.append(out / DB_NAME)

    def profile(r: dict[str, Any]) -> tuple[Interaction, ...]:
        return tuple(Interaction(**i) for i in r.get("interactions") or [])

    def fields(r: dict[str, Any], cls: Any, skip: tuple[str, ...]) -> dict[str, Any]:
        return {k: r.get(k) for k in cls.__dataclass_fields__ if k not in skip}

    systems = tuple(DockedSystem(**fields(r, DockedSystem, ("contacts", "interactions")),
                                 contacts=tuple(r["contacts"]), interactions=profile(r))
                    for r in rows if r["kind"] == "system")
    redocking = tuple(RedockResult(**fields(r, RedockResult, ("interactions",)), interactions=profile(r))
                      for r in rows if r["kind"] == "redock")
    ok = [r for r in rows if r["status"] == "ok"]
    status: Status
    if rows and len(ok) == len(rows):
        status, reason = "ok", ""
    elif ok:
        status, reason = "partial", f"{len(rows) - len(ok)} of {len(rows)} docking runs did not finish"
    elif rows and all(r["status"] == "not_run" for r in rows):
        status, reason = "not_run", "the docking programs are not installed (inputs and run.sh written)"
    else:
        status, reason = ("failed" if rows else "not_run"), ("no docking run finished" if rows
                                                            else "no docking systems configured")
    return StageOutcome(
        "docking", status, reason, list(dict.fromkeys(missing)),
        [str(Path(p).relative_to(ctx.run_dir)) for p in outputs],
        DockingFindings(systems, redocking, dict(programs)))

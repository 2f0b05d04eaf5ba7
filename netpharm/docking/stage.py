"""The docking stage: morphine (or a campaign of ligands) into the opioid receptors, plus redocking.

Recipe (the paper's AutoDock 4.2.6 protocol, Lamarckian GA 20 × 2.5 M evaluations):

1. per system: load the structure, clean it, prepare the receptor PDBQT and the grid box
   once; per ligand of the campaign (:mod:`netpharm.docking.prepare.campaign`; default the paper's
   morphine): the ligand PDBQT (meeko), GPF, DPF, Vina config and a ``run.sh``;
2. run autogrid4 + autodock4 (and/or Vina) for all jobs in parallel, longest first
   (:mod:`netpharm.docking.run.executor`); a campaign computes each receptor's maps once, for
   the union of its ligands' atom types (:mod:`netpharm.docking.prepare.grids`); finished jobs with
   unchanged inputs are skipped;
   every job and pose goes into ``docking/results.sqlite`` (:mod:`netpharm.docking.resultsdb`);
3. per job (on the workers): parse the DLG, write the best pose (PDBQT/SDF/complex PDB), its contacts,
   the amine–Asp3.32 distance, its ProLIF profile, its pocket and a PyMOL script;
4. redocking cases: same, plus the symmetry-corrected RMSD to the crystal pose;
5. once every job is done: the 2-D interaction diagrams of the poses that get a full card in the report
   (:mod:`netpharm.docking.cards`: the best ``[report] pose_cards`` and every redocking case) — drawing one
   for every pose was most of a campaign job's own CPU.

Steps live in the sub-packages (:mod:`~netpharm.docking.prepare`, :mod:`~netpharm.docking.run`,
:mod:`~netpharm.docking.pose`); the rows are :class:`~netpharm.docking.rows.DockingRow`, written with the
findings by :mod:`~netpharm.docking.outcome`; this module holds the job model and the recipe.

A system that fails (bad PDB id, receptor that does not prepare, box off the receptor,
autodock4 crash) is reported with its reason; the others go on.
"""

from __future__ import annotations

import logging
import os
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any

from rdkit import Chem

from netpharm.docking import files
from netpharm.docking.cards import CardCandidate, card_choice, card_energy
from netpharm.docking.config import MAX_TORSIONS, DockingConfig, DockingSystem, RedockCase
from netpharm.docking.findings import DockingFindings, ReceptorCheck
from netpharm.docking.outcome import build_outcome
from netpharm.docking.pose.analyse import analyse_in_worker
from netpharm.docking.pose.dlg import pose_coords
from netpharm.docking.preflight import check_docking_inputs, reference_outside_box
from netpharm.docking.prepare.autodock_files import pdbqt_atom_types
from netpharm.docking.prepare.campaign import CampaignLigand, campaign_ligands, estimate_cost, grid_cost, ligand_folder
from netpharm.docking.prepare.grids import (
    MAPS_DIR,
    MAPS_RECORD,
    SharedGrid,
    shares_maps,
    sync_maps_records,
    union_types,
    write_shared_grid,
)
from netpharm.docking.prepare.inputs import (
    GPF,
    ReceptorBox,
    crystal_ligand,
    engines_of,
    grid_box,
    prepare_campaign_ligand,
    prepare_ligand_offline,
    prepare_receptor_box,
    prepared_receptor,
    write_inputs,
)
from netpharm.docking.prepare.prepared import PreparedSystem
from netpharm.docking.resultsdb import DB_NAME, ResultsDB
from netpharm.docking.resultsdb_records import record_result, reference_mol
from netpharm.docking.rows import DockingRow, failed_rows
from netpharm.docking.run.executor import DockingJob, JobResult, fingerprint, map_in_workers
from netpharm.docking.run.runner import find_executable, install_hint, program_version
from netpharm.docking.run.stage_jobs import run_stage_jobs
from netpharm.docking.run.vina_batch import vina_module_version
from netpharm.errors import LigandPrepError, MissingProgramError, NetpharmError, OutputWriteError, ReceptorPrepError
from netpharm.io import bytes_sha256, check_input_file, read_text_file, write_text_atomic
from netpharm.stage import RunContext, StageOutcome
from netpharm.structures import records

__all__ = ["run_docking_stage", "ENGINE_PROGRAMS", "prepare_system", "prepare_redock"]

log = logging.getLogger(__name__)

ENGINE_PROGRAMS = {"autodock4": ("autogrid", "autodock"), "vina": ("vina",)}


def prepare_system(system: DockingSystem, cfg: DockingConfig, ctx: RunContext[DockingConfig], workdir: Path,
                   receptor: ReceptorBox | None = None, ligand: Any = None,
                   label: str = "", grid: SharedGrid | None = None) -> PreparedSystem:
    """Receptor PDBQT + box (given, or prepared here) and ligand PDBQT → the job folder ``workdir``;
    with ``grid`` the AutoDock job docks on that shared map set instead of its own."""
    prepared = receptor if receptor is not None else prepare_receptor_box(system, cfg, ctx, workdir)
    rec_text, box, chains = prepared.text, prepared.box, prepared.chains
    try:
        if ligand is None:
            ligand = prepare_campaign_ligand(CampaignLigand(system.ligand_name, system.ligand,
                                                            system.expected_inchikey), ctx)
        workdir.mkdir(parents=True, exist_ok=True)
        stem = os.path.join(os.path.relpath(grid.folder, workdir), "receptor") if grid is not None else ""
        write_inputs(workdir, cfg.engine, rec_text, ligand.pdbqt, box, cfg, maps_stem=stem, receptor_file=prepared.path)
    except NetpharmError as exc:
        raise type(exc)(f"docking system {system.name} ({system.receptor}): {exc}") from exc
    npts = box.npts
    points = (npts[0] + 1) * (npts[1] + 1) * (npts[2] + 1)
    cost = estimate_cost(cfg.engine if cfg.engine != "both" else "autodock4", ligand.n_atoms,
                         ligand.active_torsions, cfg, points, 0 if grid is not None else len(ligand.atom_types) + 2)
    return PreparedSystem(label or system.name, "system", str(workdir), cfg.engine, system.receptor,
                          system.paper_pdb, system.receptor, system.structure_role == "stand_in", ligand.name,
                          structure_role=system.structure_role, receptor_chains=chains, system=system.name,
                          cost=cost, reference=str(ctx.run.resolve(system.reference)) if system.reference else "",
                          gpf="" if grid is not None else GPF, maps=MAPS_RECORD if grid is not None else "",
                          # a shared map set is computed once, outside this job (netpharm.docking.prepare.grids)
                          grid_cost=0.0 if grid is not None else grid_cost(points, len(ligand.atom_types) + 2),
                          set_aside=prepared.set_aside, crystal_ligand=_run_path(prepared.crystal_ligand, ctx),
                          crystal_ligand_id=prepared.crystal_ligand_id)


def _run_path(path: str, ctx: RunContext[DockingConfig]) -> str:
    """``path`` relative to the run directory (as the findings name files); "" stays ""."""
    return os.path.relpath(Path(path).resolve(), Path(ctx.run_dir).resolve()) if path else ""


def prepare_redock(case: RedockCase, cfg: DockingConfig, ctx: RunContext[DockingConfig], workdir: Path) -> PreparedSystem:
    """Redocking inputs: prepared PDBQTs as given, or prepared from the co-crystal structure.

    The co-crystal ligand, docked back into its own receptor, validates the protocol: a
    best-energy pose within 2 Å RMSD of the crystal pose is the usual success criterion.

    Raises
    ------
    LigandPrepError
        An input file cannot be read or the crystal ligand cannot be built.
    """
    from netpharm.docking.prepare import box as boxes

    workdir.mkdir(parents=True, exist_ok=True)
    set_aside: tuple[str, ...] = ()
    crystal_id = ""
    try:
        if case.receptor_pdbqt:
            rec_text = read_text_file(ctx.run.resolve(case.receptor_pdbqt), "receptor PDBQT", ReceptorPrepError)
            lig_text = read_text_file(ctx.run.resolve(case.ligand_pdbqt), "ligand PDBQT", LigandPrepError)
            ref = Chem.MolFromMolFile(str(check_input_file(ctx.run.resolve(case.reference), "reference pose",
                                                           LigandPrepError)), removeHs=False) \
                if case.reference else None
            heavy = [ln for ln in lig_text.splitlines()
                     if records.is_atom(ln) and records.pdbqt_type(ln) not in ("HD", "HS", "H")]
            box = (boxes.explicit_box(tuple(case.box_center), tuple(case.box_size), spacing=cfg.box_spacing)
                   if case.box_center else
                   boxes.box_from_ligand(pose_coords(heavy), padding=case.box_padding, spacing=cfg.box_spacing))
        else:
            from netpharm.docking.prepare.ligand import prepare_ligand_from_mol

            cleaned, block, ref = crystal_ligand(case, ctx)
            if ref is None:
                raise LigandPrepError(f"the crystal ligand {case.ligand_resname} could not be read as a molecule")
            rec_text = Path(prepared_receptor(cleaned, workdir).pdbqt_path).read_text(
                encoding="utf-8")
            lig_text = prepare_ligand_from_mol(ref, case.name, keep_coordinates=True).pdbqt
            box = grid_box(case, cleaned, block, cfg.box_spacing)
            set_aside = tuple(cleaned.removed)
            crystal_id = f"{cleaned.ligand_resname or case.ligand_resname} {cleaned.ligand_id or ''}".strip()
        if ref is None:
            raise LigandPrepError("no crystal reference pose (set 'reference')")
        write_text_atomic(workdir / files.REFERENCE_LIGAND, Chem.MolToMolBlock(ref) + "$$$$\n")
        write_inputs(workdir, case.engine, rec_text, lig_text, box, cfg, rmsref="ligand.pdbqt")
    except OSError as exc:
        raise LigandPrepError(f"redocking case {case.name}: cannot read an input file: {exc}") from exc
    except NetpharmError as exc:
        raise type(exc)(f"redocking case {case.name}: {exc}") from exc
    cost, grid = _pdbqt_cost(lig_text, box, cfg, case.engine)
    return PreparedSystem(case.name, "redock", str(workdir), case.engine, case.receptor or case.receptor_pdbqt,
                          "", case.receptor or case.receptor_pdbqt, False, case.name,
                          structure_role="co_crystal", reference_sdf=files.REFERENCE_LIGAND, system=case.name,
                          reference=str(workdir / files.REFERENCE_LIGAND), cost=cost, grid_cost=grid,
                          set_aside=set_aside, crystal_ligand=_run_path(str(workdir / files.REFERENCE_LIGAND), ctx),
                          crystal_ligand_id=crystal_id or case.reference)


def _pdbqt_cost(ligand_text: str, box: Any, cfg: DockingConfig, engine: str) -> tuple[float, float]:
    """(cost, grid cost) estimates of a job from its ligand PDBQT and box (as :func:`prepare_system`
    has them from the prepared ligand): a redocking case is ordered and chunked like any system."""
    atoms = [ln for ln in ligand_text.splitlines() if records.is_atom(ln)]
    torsions = sum(1 for ln in ligand_text.splitlines() if ln.startswith("BRANCH"))
    npts = box.npts
    points = (npts[0] + 1) * (npts[1] + 1) * (npts[2] + 1)
    maps = len(pdbqt_atom_types(ligand_text)) + 2
    return (estimate_cost(engine if engine != "both" else "autodock4", len(atoms), torsions, cfg, points, maps),
            grid_cost(points, maps))


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
        cost=p.cost, grid_cost=p.grid_cost)
    return [DockingJob(engine="autodock4", gpf=p.gpf, dpf=p.dpf, maps=p.maps, **common) if e == "autodock4"
            else DockingJob(engine="vina", vina_config=p.vina_config, **common) for e in engines]


def _prepare_systems(ctx: RunContext[DockingConfig], cfg: DockingConfig, out: Path, rows: list[DockingRow],
                     missing: list[str], db: ResultsDB, order: list[str],
                     grids: list[SharedGrid], checks: list[ReceptorCheck]) -> list[PreparedSystem]:
    """Every (system, ligand) folder: receptor and box once per system, each ligand once, and
    (campaigns, :func:`netpharm.docking.prepare.grids.shares_maps`) one map set per system in ``grids``.

    ``order`` collects the ligand names in campaign order (for the tables)."""
    prepared: list[PreparedSystem] = []
    ligands: dict[str, Any] = {}
    share = shares_maps(bool(cfg.ligands)) and "autodock4" in engines_of(cfg.engine)
    per_system: dict[str, list[CampaignLigand] | NetpharmError] = {}
    for system in cfg.systems:
        try:
            per_system[system.name] = campaign_ligands(cfg, system, lambda path: ctx.run.resolve(path))
        except NetpharmError as exc:
            per_system[system.name] = exc
    ready_made = _prepare_ligands([lig for todo in per_system.values() if isinstance(todo, list) for lig in todo], cfg)
    for system in cfg.systems:
        log.info("preparing docking system %s", system.name)
        try:
            found = per_system[system.name]
            if isinstance(found, NetpharmError):
                raise found
            todo = found
        except NetpharmError as exc:
            missing.append(f"system {system.name}: {exc}")
            rows += failed_rows("system", system, engines_of(cfg.engine), str(exc), "?")
            continue
        try:
            receptor = prepare_receptor_box(system, cfg, ctx, out / system.name, checks)
            if checks and checks[-1].identity == "mismatch":
                log.warning("docking system %s: %s", system.name, checks[-1].finding)
        except NetpharmError as exc:
            missing.append(f"system {system.name}: {exc}")
            log.warning("%s", missing[-1])
            for lig in todo:  # every job of this system is recorded as failed, with the reason
                rows += failed_rows("system", system, engines_of(cfg.engine), str(exc), lig.name)
            order += [lig.name for lig in todo if lig.name not in order]
            continue
        order += [lig.name for lig in todo if lig.name not in order]
        if system.reference and (why := _reference_site(system, receptor, ctx)):  # said, the RMSDs kept
            missing.append(f"system {system.name}: {why}")
            log.warning("%s", missing[-1])
        ready = []
        for lig in todo:
            if lig.problem:  # this ligand only: a failed row with its reason; the others dock
                message = f"system {system.name}, ligand {lig.name}: {lig.problem}"
                missing.append(message)
                log.warning("%s", message)
                rows += failed_rows("system", system, engines_of(cfg.engine), message, lig.name)
                continue
            try:
                if lig.name not in ligands:
                    ligands[lig.name] = ready_made.pop(lig.name, None) or prepare_campaign_ligand(lig, ctx)
                    _record_ligand(db, lig, ligands[lig.name])
                _check_torsions(ligands[lig.name], cfg)
                ready.append(lig)
            except NetpharmError as exc:
                message = f"system {system.name}, ligand {lig.name}: {exc}"
                missing.append(message)
                log.warning("%s", message)
                rows += failed_rows("system", system, engines_of(cfg.engine), message, lig.name)
        grid = None
        if share and ready:
            types = union_types(ligands[lig.name].pdbqt for lig in ready)
            try:
                grid = write_shared_grid(out / system.name / MAPS_DIR, system.name, receptor.text, types,
                                          receptor.box)
                grids.append(grid)
            except ValueError as exc:  # more types than autogrid4 maps at once: each job grids its own
                log.warning("docking system %s: one map set per ligand (%s)", system.name, exc)
        db.add_receptor(system.name, system.receptor, system.paper_pdb, bool(system.stand_in),
                        bytes_sha256(receptor.text.encode()), _box_record(receptor.box, grid, out))
        for lig in ready:
            label = ligand_folder(cfg, system.name, lig.name)
            try:
                prepared.append(prepare_system(system, cfg, ctx, out / label, receptor, ligands[lig.name], label,
                                               grid))
            except NetpharmError as exc:
                message = f"system {system.name}, ligand {lig.name}: {exc}"
                missing.append(message)
                log.warning("%s", message)
                rows += failed_rows("system", system, engines_of(cfg.engine), message, lig.name)
    return prepared


def _prepare_ligands(todo: list[CampaignLigand], cfg: DockingConfig) -> dict[str, Any]:
    """The campaign's ligands prepared on the docking workers (name -> PreparedLigand), each once; those that
    need the network (a PubChem name) or fail are left out, for the campaign's process to prepare or report."""
    unique = list({lig.name: lig for lig in todo}.values())
    if len(unique) < 2 or (cfg.workers <= 1 and not cfg.dask_scheduler):
        return {}  # nothing to share out: prepared in order below, as before
    log.info("preparing %d ligands on %s", len(unique),
             f"the Dask cluster at {cfg.dask_scheduler}" if cfg.dask_scheduler else f"{cfg.workers} workers")
    done = map_in_workers(prepare_ligand_offline, unique, cfg.workers, cfg.dask_scheduler)
    return {name: prep for name, prep, _ in done if prep is not None}


def _reference_site(system: DockingSystem, receptor: ReceptorBox, ctx: RunContext[DockingConfig]) -> str:
    """The problem of a system's reference pose with the prepared box and chains, or ""."""
    path = ctx.run.resolve(system.reference)
    return reference_outside_box(str(path), reference_mol(path), receptor.box, receptor.chains)


def _check_torsions(prep: Any, cfg: DockingConfig) -> None:
    """AutoDock 4 docks at most MAX_TORS active torsions: a ligand with more fails alone, before any docking."""
    if "autodock4" in engines_of(cfg.engine) and prep.active_torsions > MAX_TORSIONS:
        raise LigandPrepError(f"{prep.active_torsions} active torsions; AutoDock 4.2.6 docks at most {MAX_TORSIONS} "
                              "(MAX_TORS): use engine = \"vina\" for it, or a smaller ligand")


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


def _prepare_redocks(ctx: RunContext[DockingConfig], cfg: DockingConfig, out: Path, rows: list[DockingRow],
                     missing: list[str]) -> list[PreparedSystem]:
    prepared = []
    for case in cfg.redock:
        log.info("preparing docking redock %s", case.name)
        try:
            prepared.append(prepare_redock(case, cfg, ctx, out / "redock" / case.name))
        except NetpharmError as exc:
            missing.append(f"redock {case.name}: {exc}")
            log.warning("%s", missing[-1])
            rows += failed_rows("redock", case, engines_of(case.engine), str(exc), case.name)
    return prepared


def _shared_maps(jobs: list[DockingJob], grids: list[SharedGrid]) -> list[SharedGrid]:
    """The map sets some job docks on, each job's ``maps.json`` synchronised with them (written
    from maps still valid, else removed until the grid job has run: :func:`run_stage_jobs`)."""
    used = []
    for grid in grids:
        folders = [Path(j.workdir) for j in jobs if j.maps and j.system == grid.system]
        if folders:
            sync_maps_records(folders, grid)
            used.append(grid)
    return used


def _queue(db: ResultsDB, jobs: list[DockingJob], cfg: DockingConfig, run_dir: Path) -> None:
    params = {"ga_runs": cfg.ga_runs, "ga_num_evals": cfg.ga_num_evals, "ga_pop_size": cfg.ga_pop_size,
              "seeds": list(cfg.seeds), "vina_exhaustiveness": cfg.vina_exhaustiveness,
              "vina_num_modes": cfg.vina_num_modes, "box_spacing": cfg.box_spacing}
    for job in jobs:
        # a job whose shared maps are still to be made has no maps.json yet: no fingerprint to keep
        known = all((Path(job.workdir) / n).is_file() for n in job.inputs())
        db.queue_job(job.key, job.system, job.ligand_name, job.engine,
                     os.path.relpath(job.workdir, Path(run_dir).resolve()), params, job.run_indices,
                     job.seeds, job.cost, fingerprint=fingerprint(Path(job.workdir), job.inputs()) if known else "")


def _unrecorded(exc: OutputWriteError, job: DockingJob, result: JobResult) -> OutputWriteError:
    """The error of a result that could not be stored, naming the job and, when it failed, why it failed."""
    if result.status != "failed" or not result.error:
        return OutputWriteError(f"{exc} (recording {job.key})")
    return OutputWriteError(f"{result.error.splitlines()[0]}; then {exc} (recording that failure)")


def run_docking_stage(ctx: RunContext[DockingConfig]) -> StageOutcome[DockingFindings]:
    """The docking stage: prepare every system and redocking case, dock, analyse the best poses.

    AutoDock 4.2.6 Lamarckian GA (Morris et al. 1998, 2009) with the workflow's budget, and/or
    AutoDock Vina (Trott & Olson 2010; Eberhardt et al. 2021); poses are analysed for contacts,
    the amine–Asp3.32 salt bridge (Ballesteros–Weinstein numbering) and, for redocking, the
    symmetry-corrected RMSD to the crystal pose.

    Parameters
    ----------
    ctx : RunContext
        Uses ``ctx.config``.

    Returns
    -------
    StageOutcome[DockingFindings]
        ``not_run`` with ready-to-run inputs and ``run.sh`` when the programs are missing;
        ``partial`` when some runs did not finish.
    """
    cfg: DockingConfig = ctx.config
    out = ctx.stage_dir()
    if not cfg.enabled:
        return StageOutcome("docking", "not_run", reason="docking disabled in the workflow")
    if cfg.matrix.active and not cfg.matrix.notes:  # never the systems' own ligands in place of the compounds
        return StageOutcome("docking", "not_run", reason="[docking.matrix] is built by the workflow from the "
                            "compounds and network stages (netpharm run); it was not built here")
    check_docking_inputs(cfg, ctx.run.resolve)  # before any receptor, grid or docking
    programs = {name: program_version(name) for name in ("autogrid4", "autodock4", "vina", "obabel")}
    if "vina" in engines_of(cfg.engine) and (module := vina_module_version()) is not None:
        programs["vina Python module"] = module  # a campaign's Vina batches (netpharm.docking.run.vina_batch)
    rows: list[DockingRow] = []
    missing: list[str] = []
    for note in cfg.matrix.notes:  # [docking.matrix], built by the workflow from the compounds and network stages
        if note.startswith(("not docked", "docking matrix not built")):
            missing.append(note)
            log.warning("docking matrix: %s", note)
        else:
            log.info("docking matrix: %s", note)
    with ResultsDB(out / DB_NAME) as db:
        ligand_order: list[str] = []
        grids: list[SharedGrid] = []
        checks: list[ReceptorCheck] = []
        prepared = _prepare_systems(ctx, cfg, out, rows, missing, db, ligand_order, grids, checks)
        prepared += _prepare_redocks(ctx, cfg, out, rows, missing)
        for row in rows:  # preparation failures are jobs that could not start
            db.queue_job(f"{row.system}/{row.ligand}:{row.engine}", row.system, row.ligand or "",
                         row.engine, "", {}, status="failed", error=row.error or "")

        absent: dict[str, str] = {}
        jobs: list[DockingJob] = []
        for p in prepared:
            engines = engines_of(p.engine)
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
        used = _shared_maps(jobs, grids)
        _queue(db, jobs, cfg, ctx.run_dir)
        references = {p.name: reference_mol(Path(p.reference)) if p.reference else None for p in prepared}

        def store(job: DockingJob, result: JobResult) -> None:
            try:
                problem = record_result(db, job, result, ctx.run_dir, references.get(job.name))
                if references.get(job.name) is not None and result.status != "failed":
                    compared.setdefault(job.system, []).append(problem)
            except OutputWriteError as exc:  # a full disk: the job's own failure is what to report first
                raise _unrecorded(exc, job, result) from exc

        compared: dict[str, list[str]] = {}  # system -> per finished job, why it has no RMSD ("" = it has)
        results = run_stage_jobs(jobs, cfg, store, ctx.run_dir, used)
        for system, problems in compared.items():  # a campaign's other ligands need not match the reference
            if all(problems):
                missing.append(f"system {system}: the reference pose matches none of the docked ligands (its atoms "
                               "differ), so no RMSD could be computed")
                log.warning("%s", missing[-1])

    profiles: list[tuple[str, int, list[dict[str, Any]]]] = []
    finished: list[tuple[PreparedSystem, DockingRow, JobResult, str]] = []
    for p in prepared:
        for engine in engines_of(p.engine):
            row = DockingRow.prepared(p, engine)
            result = results.get(f"{p.name}:{engine}")
            if result is None:
                rows.append(replace(row, status="not_run", error=absent.get(engine, "not run")))
            elif result.status == "failed":
                rows.append(replace(row, status="failed", error=result.error))
                missing.append(result.error)
            else:
                finished.append((p, row, result, str(ctx.run_dir)))
    # each best pose's files, contacts, ProLIF profile, diagram and 3-D data: on the workers, not here
    for (p, _, _, _), (row, error) in zip(finished, map_in_workers(analyse_in_worker, finished, cfg.workers,
                                                                  cfg.dask_scheduler), strict=True):
        if error:
            row = replace(row, status="failed", error=error)
            missing.append(error)
        else:
            if row.interactions_error:
                missing.append(row.interactions_error)
            if row.best_run is not None:  # always, for an analysed pose
                profiles.append((f"{p.name}:{row.engine}", row.best_run, [asdict(i) for i in row.interactions]))
        rows.append(row)
    with ResultsDB(out / DB_NAME) as db:  # each best pose's profile into its poses row (JSON)
        for job_id, run, interactions in profiles:
            db.set_interactions(job_id, run, interactions)
    order = {n: i for i, n in enumerate([s.name for s in cfg.systems] + [r.name for r in cfg.redock])}
    lig_order = {n: i for i, n in enumerate(ligand_order)}
    rows.sort(key=lambda r: (order[r.system], lig_order.get(r.ligand, -1), r.engine))
    rows = _card_diagrams(rows, cfg, Path(ctx.run_dir), ctx.run.pose_cards, missing)
    return build_outcome(ctx, out, rows, missing, programs, tuple(checks))


#: Up to this many diagrams are drawn in the campaign's own process (starting workers costs more).
_DIAGRAMS_HERE = 10


def _card_diagrams(rows: list[DockingRow], cfg: DockingConfig, run_dir: Path, top: int,
                   missing: list[str]) -> list[DockingRow]:
    """``rows`` with the 2-D diagram (``figure``, ``diagram_svg``) of every pose that gets a card in the report
    (:func:`netpharm.docking.cards.card_choice`, over the rows in the findings' order: systems, then redocking),
    drawn now or kept from an earlier run when still valid; a pose without a card keeps a diagram only if an
    earlier run drew one that is still valid, else ``figure`` None."""
    from netpharm.docking.pose.card_diagrams import DiagramJob, draw_card_diagram, valid_diagram

    shown = [i for i, r in enumerate(rows) if r.kind == "system"] + [i for i, r in enumerate(rows)
                                                                       if r.kind == "redock"]
    chosen, _ = card_choice([CardCandidate(card_energy(rows[i].best_energy, rows[i].status), rows[i].kind == "redock",
                                           bool(rows[i].pocket_pdb)) for i in shown], top)
    cards = {shown[k] for k in chosen}
    jobs: dict[int, DiagramJob] = {}
    for i, r in enumerate(rows):
        if r.status == "ok" and r.interactions_tsv and r.pocket_pdb and r.best_energy is not None:
            title = f"{r.system}: {r.ligand} ({r.engine}), {r.best_energy:.2f} kcal/mol"
            jobs[i] = DiagramJob(str((run_dir / r.pocket_pdb).parent.resolve()), files.best_pose_stem(r.engine),
                                 title, tuple(asdict(x) for x in r.interactions))
    todo = [i for i in sorted(cards) if i in jobs]
    here = len(todo) <= _DIAGRAMS_HERE
    drawn = map_in_workers(draw_card_diagram, [jobs[i] for i in todo], 1 if here else cfg.workers,
                           "" if here else cfg.dask_scheduler)
    if todo:
        log.info("2-D diagrams of the %d card poses: %d drawn, the others still valid", len(todo),
                 sum(now for _, now, _ in drawn))
    paths: dict[int, list[Path]] = {}
    for i, (found, _, error) in zip(todo, drawn, strict=True):
        if error:
            missing.append(f"system {rows[i].system}, ligand {rows[i].ligand} ({rows[i].engine}): {error}")
            log.warning("%s", missing[-1])
        paths[i] = found
    for i, job in jobs.items():  # a former card's diagram, still valid, stays named
        if i not in cards and (kept := valid_diagram(job)) is not None:
            paths[i] = kept

    def rel(path: Path) -> str:
        return os.path.relpath(path, run_dir.resolve())

    return [replace(r, figure=rel(paths[i][0]), diagram_svg=rel(paths[i][1])) if paths.get(i)
            else replace(r, figure=None, diagram_svg=None) for i, r in enumerate(rows)]

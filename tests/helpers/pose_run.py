"""A run directory with real best poses, for the report tests (imported by test_report*.py).

The hand-made synthetic run (tests/data/report/synthetic_run) gets two real docking entries:
imatinib in Abl 1IEP as AutoDock 4.2.6 docked it (best pose of the stored real DLG,
tests/data/autodock/1iep_reduced.dlg, −12.50 kcal/mol) and the 1IEP crystal pose itself, each
with the files the docking stage writes (pose SDF, pocket PDB, ProLIF profile, 2-D diagram)
made by the stage's own functions.

``make_campaign_run`` builds a SYNTHETIC campaign of many ligands from the 13 real 1IEP poses
(copies, labelled so) for the report-at-scale tests.

``add_campaign_results`` writes a HAND-MADE ``docking/results.tsv`` (two ligands × three
receptors, one failed job, one pair without a job; energies invented) to test the heatmap's
rendering of missing cells — never a result.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
from rdkit import Chem

from netpharm.config import to_mapping
from netpharm.docking.findings import DockedSystem, Interaction
from netpharm.docking.pose.diagram import write_interaction_diagram
from netpharm.docking.pose.dlg import parse_dlg
from netpharm.docking.pose.poses import pose_to_mol, read_receptor_atoms, write_pose_files
from netpharm.docking.pose.views import describe_pose

from .paths import AD
from .runs import copy_synthetic_run


def _entry(run: Path, folder: Path, system: str, ligand: str, energy: float | None, mol: Chem.Mol,
           xyz: object) -> dict:
    receptor = (AD / "1iep_receptor.pdbqt").read_text()
    views = describe_pose(mol, receptor, read_receptor_atoms(receptor), xyz, None, folder, "best_pose",
                          f"system {system}")
    diagram = write_interaction_diagram(mol, views.interactions, folder / "best_pose", f"{system}: {ligand}")
    entry = DockedSystem(
        system=system, engine="autodock4", receptor="1IEP", paper_pdb="", used_structure="1IEP", stand_in=False,
        status="ok", best_energy=energy, best_cluster_size=None, n_runs=4, amine_asp332_distance=None,
        salt_bridge=False, asp332=None, contacts=(), figure=str(diagram[0].relative_to(run)), error="",
        ligand=ligand, interactions=tuple(Interaction(**r) for r in views.interactions),
        interactions_error=views.error or None, diagram_svg=str(diagram[1].relative_to(run)),
        pose_sdf=str((folder / "best_pose.sdf").relative_to(run)), pocket_pdb=str(views.pocket_pdb.relative_to(run)),
        interactions_tsv=str(views.interactions_tsv.relative_to(run)))
    return to_mapping(entry)


def make_pose_run(tmp_path: Path) -> Path:
    """A copy of the synthetic run whose docking summary also holds the two real 1IEP poses."""
    run = copy_synthetic_run(tmp_path)
    best = parse_dlg(AD / "1iep_reduced.dlg").best
    docked = run / "docking" / "ABL"
    files = write_pose_files(best, (AD / "1iep_receptor.pdbqt").read_text(), docked)
    mol = Chem.MolFromMolFile(str(files.sdf), removeHs=False)
    crystal_dir = run / "docking" / "ABL_crystal"
    crystal_dir.mkdir(parents=True)
    crystal = Chem.MolFromMolFile(str(AD / "1iep_ligand.sdf"), removeHs=False)
    (crystal_dir / "best_pose.sdf").write_text(Chem.MolToMolBlock(crystal) + "$$$$\n")
    assert mol is not None and pose_to_mol(best) is not None
    entries = [_entry(run, docked, "ABL", "imatinib", best.energy, mol, mol.GetConformer().GetPositions()),
               _entry(run, crystal_dir, "ABL_crystal", "imatinib (crystal pose)", None, crystal,
                      crystal.GetConformer().GetPositions())]
    summary_path = run / "docking" / "summary.json"
    summary = json.loads(summary_path.read_text())
    summary["findings"]["systems"] += entries
    summary_path.write_text(json.dumps(summary, indent=2))
    return run


def add_campaign_results(run: Path) -> pd.DataFrame:
    """HAND-MADE results table (see the module docstring): morphine × 3, naloxone × 2 (+1 failed)."""
    rows = [("morphine", "MOR", "ok", -7.1), ("morphine", "DOR", "ok", -6.5), ("morphine", "KOR", "ok", -6.9),
            ("naloxone", "MOR", "ok", -8.2), ("naloxone", "DOR", "failed", None)]  # naloxone × KOR: no job
    table = pd.DataFrame([{"ligand": lig, "system": s, "kind": "system", "receptor": s, "engine": "autodock4",
                           "status": st, "best_energy": e, "best_cluster_size": None, "n_runs": 20,
                           "salt_bridge": None, "rmsd": None} for lig, s, st, e in rows])
    table.to_csv(run / "docking" / "results.tsv", sep="\t", index=False)
    return table


def _real_poses() -> list[tuple[str, str, object, Chem.Mol]]:
    """The 13 real 1IEP imatinib poses of tests/data/autodock: the 4 AutoDock 4.2.6 runs of 1iep_reduced.dlg and
    the 9 modes of the Vina team's 1iep_ligand_vina_out.pdbqt, as (label, engine, pose, molecule)."""
    from netpharm.docking.pose.dlg import parse_vina_pdbqt

    sources = [("ad4", "autodock4", parse_dlg(AD / "1iep_reduced.dlg").runs),
               ("vina", "vina", parse_vina_pdbqt(AD / "1iep_ligand_vina_out.pdbqt").runs)]
    out = []
    for tag, engine, poses in sources:
        for pose in poses:
            mol = pose_to_mol(pose)
            assert mol is not None, (tag, pose.run)
            out.append((f"{tag} pose {pose.run}", engine, pose, mol))
    return out


def real_pose_folders(cache: Path) -> list[tuple[Path, dict]]:
    """The 13 real poses' files (pose SDF, pocket, ProLIF profile, diagram, made by the stage's own functions) in
    ``cache/poseNN`` with their findings entries (paths relative to ``cache``); made once per cache folder."""
    index = cache / "entries.json"
    if not index.is_file():
        receptor = (AD / "1iep_receptor.pdbqt").read_text()
        made = []
        for i, (label, engine, pose, mol) in enumerate(_real_poses()):
            folder = cache / f"pose{i:02d}"
            write_pose_files(pose, receptor, folder)
            entry = _entry(cache, folder, "ABL", f"imatinib ({label})", pose.energy, mol,
                           mol.GetConformer().GetPositions())
            made.append({**entry, "engine": engine})
        index.write_text(json.dumps(made))
    return [(cache / f"pose{i:02d}", entry) for i, entry in enumerate(json.loads(index.read_text()))]


_FILE_FIELDS = ("figure", "diagram_svg", "pose_sdf", "pocket_pdb", "interactions_tsv")


def make_campaign_run(tmp_path: Path, n_ligands: int, pose_cache: Path | None = None) -> Path:
    """A SYNTHETIC campaign of ``n_ligands`` × 2 receptors on the synthetic run, built from real poses.

    Every pose is one of the 13 real 1IEP imatinib poses (:func:`_real_poses`) with its real energy, its
    files from :func:`real_pose_folders` (``pose_cache``, default a folder of ``tmp_path``) copied: ligand
    ``synthetic_007`` is a labelled COPY of real pose ``7 % 13``. Receptor ``ABL`` is 1IEP; ``ABL_copy`` is a
    SYNTHETIC second receptor (the same 1IEP files under another name). ``ABL``'s folder holds the 1IEP crystal
    ligand as its experimental ligand (``crystal_ligand.sdf``), ``ABL_copy``'s none. ``docking/results.tsv``
    lists every pair. Nothing here is a docking result of these ligands.
    """
    from netpharm.docking import files

    run = copy_synthetic_run(tmp_path)
    docking = run / "docking"
    cache = pose_cache or tmp_path / "real_poses"
    cache.mkdir(parents=True, exist_ok=True)
    made = real_pose_folders(cache)
    (docking / "ABL").mkdir()
    (docking / "ABL" / files.REFERENCE_LIGAND).write_text((AD / "1iep_ligand.sdf").read_text())
    entries, rows = [], []
    for system in ("ABL", "ABL_copy"):
        for i in range(n_ligands):
            source, entry = made[i % len(made)]
            ligand = f"synthetic_{i:03d}"
            folder = docking / system / ligand
            shutil.copytree(source, folder)
            moved = {k: str(folder.relative_to(run) / Path(v).relative_to(source.name))
                     if k in _FILE_FIELDS and v else v for k, v in entry.items()}
            entries.append({**moved, "system": system, "ligand": ligand})
            rows.append({"ligand": ligand, "system": system, "kind": "system", "receptor": "1IEP",
                         "engine": entry["engine"], "status": "ok", "best_energy": entry["best_energy"],
                         "best_cluster_size": None, "n_runs": 4, "salt_bridge": None, "rmsd": None})
    summary_path = docking / "summary.json"
    summary = json.loads(summary_path.read_text())
    summary["findings"]["systems"] = entries
    summary_path.write_text(json.dumps(summary, indent=2))
    pd.DataFrame(rows).to_csv(docking / files.RESULTS, sep="\t", index=False)
    return run

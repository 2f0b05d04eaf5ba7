"""Vina batches (maps computed once, many ligands per process) give the per-ligand result, bit for bit.

Real inputs: 1IEP receptor and imatinib (tests/data/autodock, AutoDock Vina's own example) and the
1PGP ligand (AutoDock's test case), docked at exhaustiveness 1 with a fixed seed.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from netpharm.docking.run.executor import DockingJob
from netpharm.docking.run.runner import run_vina
from netpharm.docking.run.stage_jobs import member_results, run_step
from netpharm.docking.run.vina_batch import BATCH_ENGINE, batch_vina_jobs, dock_vina_member

AD = Path(__file__).parent / "data" / "autodock"
LIGANDS = ("1iep_ligand.pdbqt", "1pgp_lig.pdbqt")

pytestmark = pytest.mark.needs_vina
pytest.importorskip("vina")  # the optional module (netpharm[docking]); the CLI path has its own tests


def _job(folder: Path, ligand: str) -> DockingJob:
    folder.mkdir(parents=True)
    shutil.copy(AD / "1iep_receptor.pdbqt", folder / "receptor.pdbqt")
    shutil.copy(AD / ligand, folder / "ligand.pdbqt")
    text = (AD / "1iep_vina.txt").read_text()
    for old, new in (("exhaustiveness = 8", "exhaustiveness = 1"), ("num_modes = 9", "num_modes = 3"),
                     ("seed = 42", "seed = 7"), ("1iep_receptor.pdbqt", "receptor.pdbqt"),
                     ("1iep_ligand.pdbqt", "ligand.pdbqt"), ("1iep_ligand_out.pdbqt", "vina_out.pdbqt"),
                     ("19.500", "14.000")):
        text = text.replace(old, new)
    (folder / "vina.txt").write_text(text)
    return DockingJob(name=f"ABL/{folder.name}", workdir=str(folder), engine="vina", receptor="receptor.pdbqt",
                      ligand="ligand.pdbqt", vina_config="vina.txt", system="ABL", ligand_name=folder.name, cost=1.0)


def _atoms(text: str) -> list[str]:
    return [ln for ln in text.splitlines() if ln.startswith(("ATOM", "HETATM", "MODEL"))]


def test_batch_equals_per_ligand_and_the_program_finds_the_same_poses(tmp_path: Path) -> None:
    alone = [_job(tmp_path / "alone" / Path(lig).stem, lig) for lig in LIGANDS]
    together = [_job(tmp_path / "batch" / Path(lig).stem, lig) for lig in LIGANDS]
    for job in alone:
        assert dock_vina_member(job).status == "done"
    batches = batch_vina_jobs(together, workers=1)
    assert [b.engine for b in batches] == [BATCH_ENGINE] and batches[0].members == tuple(together)
    result = run_step(batches[0])
    members = member_results(batches[0], result)
    assert [(m.key, r.status) for m, r in members] == [(j.key, "done") for j in together]
    for a, b in zip(alone, together, strict=True):
        first = (Path(a.workdir) / "vina_out.pdbqt").read_text()
        second = (Path(b.workdir) / "vina_out.pdbqt").read_text()
        assert first == second and "REMARK VINA RESULT" in first  # poses and energies, bit for bit
        assert (Path(b.workdir) / "done_vina.json").is_file()
    # a rerun finds every member done (same record as the per-ligand job writes)
    assert {r.status for _, r in member_results(batches[0], run_step(batches[0]))} == {"skipped"}

    # the Debian program (1.2.3): same search, same coordinates and INTER + INTRA; its UNBOUND term may differ
    # from the module's (seen for imatinib at exhaustiveness 2: -0.155 vs -0.360), shifting every score of the
    # ligand by one constant (here none)
    cli = tmp_path / "cli"
    shutil.copytree(Path(alone[0].workdir), cli)
    for name in ("vina_out.pdbqt", "done_vina.json"):
        (cli / name).unlink()
    program = run_vina(cli / "vina.txt", cli, timeout=600).read_text()
    module = (Path(alone[0].workdir) / "vina_out.pdbqt").read_text()
    assert _atoms(program) == _atoms(module)

    def terms(text: str, key: str, field: int = -1) -> list[float]:
        return [float(ln.split()[field]) for ln in text.splitlines() if ln.startswith(key)]

    assert terms(program, "REMARK INTER + INTRA:") == terms(module, "REMARK INTER + INTRA:")
    scores = zip(terms(program, "REMARK VINA RESULT:", 3), terms(module, "REMARK VINA RESULT:", 3), strict=True)
    assert len({round(a - b, 3) for a, b in scores}) == 1

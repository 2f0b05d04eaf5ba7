"""One map set per receptor for a campaign: verified on real autogrid4/autodock4 runs, not assumed.

The claim of :mod:`netpharm.docking.grids`: maps for extra ligand atom types (the union of a
campaign's ligands) leave the maps of the types a ligand uses, and so its poses and energies,
unchanged. Checked on the 1IEP files (imatinib, the Vina team's box, seeds 1234 5678, 4 LGA
runs × 100,000 evaluations: tests/data/autodock/README.md): once with the ligand's own 6 types
(the golden ``1iep.gpf``), once with 5 more types (F, Cl, Br, SA, P: as if halogenated and
sulfur-containing ligands were in the campaign) written by :func:`write_shared_grid`, the
docking run reading the maps from ``../maps/``.
"""

from __future__ import annotations

import importlib.util
import shutil
import sys
from pathlib import Path

import pytest

from netpharm.docking.autodock_files import dpf_text, pdbqt_atom_types, pdbqt_center
from netpharm.docking.dlg import parse_dlg
from netpharm.docking.grids import grid_job, union_types, write_maps_record, write_shared_grid
from netpharm.docking.runner import run_autodock, run_autogrid

AD = Path(__file__).parent / "data" / "autodock"
EXTRA = ["F", "Cl", "Br", "SA", "P"]


def _regenerate() -> object:
    spec = importlib.util.spec_from_file_location("regenerate", AD / "regenerate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("regenerate", module)  # its dataclass looks its module up while being defined
    spec.loader.exec_module(module)
    return module


def test_union_types_keep_first_appearance_order() -> None:
    imatinib = (AD / "1iep_ligand.pdbqt").read_text()
    pzm21_free = "ATOM      1  F   LIG     1       0.000   0.000   0.000  0.00  0.00    -0.200 F \n"
    assert union_types([imatinib, pzm21_free, imatinib]) == pdbqt_atom_types(imatinib) + ["F"]


@pytest.mark.needs_autodock
def test_shared_maps_give_the_same_poses_and_energies(tmp_path: Path) -> None:
    if shutil.which("autodock4") is None or shutil.which("autogrid4") is None:
        pytest.skip("AutoDock 4.2.6 not installed (make system-deps installs it; CI has it)")
    regen = _regenerate()
    receptor = (AD / "1iep_receptor.pdbqt").read_text()
    ligand = (AD / "1iep_ligand.pdbqt").read_text()
    types = pdbqt_atom_types(ligand)
    # per job: the golden GPF/DPF of the ligand's own types
    own = tmp_path / "own"
    own.mkdir()
    for name in ("1iep_receptor.pdbqt", "1iep_ligand.pdbqt", "1iep.gpf", "1iep_reduced.dpf"):
        shutil.copy(AD / name, own / name)
    run_autogrid(own / "1iep.gpf", own)
    run_autodock(own / "1iep_reduced.dpf", own)
    # shared: 11 types in docking/<system>/maps, the job in docking/<system>/<ligand> reading ../maps
    grid = write_shared_grid(tmp_path / "ABL" / "maps", "ABL", receptor, types + EXTRA, regen.HandMadeBox())
    assert grid.ligand_types == tuple(types + EXTRA)
    first = grid_job(grid.job(600.0))
    assert first.status == "done", first.error
    job = tmp_path / "ABL" / "imatinib"
    job.mkdir()
    (job / "1iep_ligand.pdbqt").write_text(ligand)
    (job / "dock.dpf").write_text(dpf_text("1iep_ligand.pdbqt", types, "../maps/receptor", pdbqt_center(ligand),
                                           regen.REDUCED, regen.SEED, rmsref="1iep_ligand.pdbqt"))
    run_autodock(job / "dock.dpf", job)

    # the maps of the ligand's types, e and d: the same numbers at every grid point (headers name the files)
    maps = tmp_path / "ABL" / "maps"
    for t in [*types, "e", "d"]:
        a = (own / f"1iep_receptor.{t}.map").read_text().splitlines()
        b = (maps / f"receptor.{t}.map").read_text().splitlines()
        assert a[:6] != b[:6] and a[6:] == b[6:] and len(a) == 6 + 53 ** 3, t
    assert all((maps / f"receptor.{t}.map").is_file() for t in EXTRA)
    # the docking: every run's energy and coordinates identical
    a_log, b_log = parse_dlg(own / "1iep_reduced.dlg"), parse_dlg(job / "dock.dlg")
    assert len(a_log.runs) == len(b_log.runs) == 4
    for ra, rb in zip(a_log.runs, b_log.runs):
        assert (ra.run, ra.energy) == (rb.run, rb.energy)
        assert ra.coords.tolist() == rb.coords.tolist()
    assert a_log.best.energy == b_log.best.energy

    # a rerun reuses the maps (same inputs, every map's sha256 unchanged); a changed map is made again
    assert grid_job(grid.job(600.0)).status == "skipped"
    record = write_maps_record(job, grid)
    assert '"folder": "../maps"' in record.read_text() and '"receptor.F.map"' in record.read_text()
    (maps / "receptor.C.map").write_text("damaged\n")
    assert grid_job(grid.job(600.0)).status == "done"
    assert (maps / "receptor.C.map").read_text().splitlines()[6:] == \
        (own / "1iep_receptor.C.map").read_text().splitlines()[6:]

"""GPF/DPF/Vina config writers: golden files checked by hand, and run by autogrid4/autodock4."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from helpers import load_regenerate

from netpharm.docking.pose.dlg import parse_dlg
from netpharm.docking.prepare.autodock_files import (
    LGAParams,
    dpf_text,
    gpf_text,
    pdbqt_atom_types,
    pdbqt_center,
    vina_config_text,
)
from netpharm.docking.run.runner import run_autodock, run_autogrid

AD = Path(__file__).parent / "data" / "autodock"


@pytest.mark.parametrize("name", ["1iep.gpf", "1iep_paper.dpf", "1iep_reduced.dpf", "1iep_vina.txt"])
def test_writers_reproduce_golden_files(name: str) -> None:
    assert load_regenerate().texts()[name] == (AD / name).read_text()


def _keywords(text: str) -> list[str]:
    return [ln.split()[0] for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]


def test_gpf_keywords_follow_autodock_test_case() -> None:
    ours = _keywords((AD / "1iep.gpf").read_text())
    ref = [k for k in _keywords((AD / "1pgp.gpf").read_text()) if k != "parameter_file"]
    assert ours == ref[:8] + ["map"] * 6 + ["elecmap", "dsolvmap", "dielectric"]
    text = (AD / "1iep.gpf").read_text()
    # only the ligand's six types get maps (the Vina team's GPF lists 17)
    assert "ligand_types N C OA HD A NA\n" in text
    assert "dielectric -0.1465\n" in text and "smooth 0.5\n" in text and "npts 52 52 52\n" in text


def test_paper_dpf_has_the_lga_protocol() -> None:
    text = (AD / "1iep_paper.dpf").read_text()
    for line in ["autodock_parameter_version 4.2", "seed 1234 5678", "ga_run 20", "ga_num_evals 2500000",
                 "ga_pop_size 150", "ga_num_generations 27000", "set_ga", "set_psw1", "unbound_model bound",
                 "tran0 random", "quaternion0 random", "dihe0 random", "rmstol 2.0", "about 15.664 53.212 15.545"]:
        assert line + "\n" in text, line
    assert text.rstrip().endswith("analysis") and "rmsref" not in text
    # keywords of AutoDock's own 1pgp.dpf that a docking (not epdb) DPF shares, in the same order
    ref = [k for k in _keywords((AD / "1pgp.dpf").read_text()) if k not in ("parameter_file", "epdb", "unbound")]
    ours = list(dict.fromkeys(k for k in _keywords(text) if k in ref))
    assert ours == list(dict.fromkeys(k for k in ref if k in ours))
    assert len(ours) >= 25


def test_reduced_dpf_differs_only_in_budget() -> None:
    paper = (AD / "1iep_paper.dpf").read_text().splitlines()
    reduced = (AD / "1iep_reduced.dpf").read_text().splitlines()
    diff = sorted(set(reduced) ^ set(paper))
    assert diff == ["ga_num_evals 100000", "ga_num_evals 2500000", "ga_run 20", "ga_run 4",
                    "rmsref 1iep_ligand.pdbqt"]


def test_about_is_ligand_centroid_and_types() -> None:
    lig = (AD / "1iep_ligand.pdbqt").read_text()
    assert pdbqt_atom_types(lig) == ["N", "C", "OA", "HD", "A", "NA"]
    # 40 atoms; AutoDock itself printed "centering ligand on specified point: 15.664 53.212 15.545"
    assert tuple(round(v, 3) for v in pdbqt_center(lig)) == (15.664, 53.212, 15.545)


def test_bad_inputs_rejected() -> None:
    box = load_regenerate().HandMadeBox()
    with pytest.raises(ValueError, match="at most 14"):
        gpf_text("r.pdbqt", ["C"], [f"X{i}" for i in range(15)], box)
    with pytest.raises(ValueError, match="seed"):
        dpf_text("l.pdbqt", ["C"], "r", (0, 0, 0), LGAParams(), (1, 2, 3))  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="ga_runs"):
        LGAParams(ga_runs=0)
    with pytest.raises(ValueError):
        vina_config_text("r", "l", box, 0, 1, 9)


@pytest.mark.needs_autodock
def test_golden_files_run_in_autogrid_and_autodock(tmp_path: Path) -> None:
    for name in ("1iep_receptor.pdbqt", "1iep_ligand.pdbqt", "1iep.gpf", "1iep_reduced.dpf"):
        shutil.copy(AD / name, tmp_path)
    glg = run_autogrid(tmp_path / "1iep.gpf", tmp_path, timeout=300)
    assert "Successful Completion" in glg.read_text()
    assert sorted(p.name for p in tmp_path.glob("*.map")) == sorted(
        f"1iep_receptor.{t}.map" for t in ["N", "C", "OA", "HD", "A", "NA", "e", "d"])
    dlg = run_autodock(tmp_path / "1iep_reduced.dpf", tmp_path, timeout=300)
    log = parse_dlg(dlg)
    assert log.seed == (1234, 5678) and len(log.runs) == 4
    # same program, same inputs, same seeds: the stored DLG is reproduced exactly
    stored = parse_dlg(AD / "1iep_reduced.dlg")
    assert [p.energy for p in log.runs] == [p.energy for p in stored.runs]
    assert [(c.rank, c.run, c.size) for c in log.clusters] == [(c.rank, c.run, c.size) for c in stored.clusters]

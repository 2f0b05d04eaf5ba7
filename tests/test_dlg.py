"""DLG and Vina output parsing on real files (numbers read by hand from the files)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from netpharm.docking.pose.dlg import parse_dlg, parse_dlg_text, parse_vina_pdbqt
from netpharm.errors import DLGParseError

AD = Path(__file__).parent / "data" / "autodock"


@pytest.fixture(scope="module")
def log():
    return parse_dlg(AD / "1iep_reduced.dlg")


def test_runs_and_energy_breakdown(log) -> None:
    assert log.version == "4.2.6" and log.seed == (1234, 5678) and log.n_requested == 4
    assert [p.run for p in log.runs] == [1, 2, 3, 4]
    assert [p.energy for p in log.runs] == [-7.70, -12.50, -7.00, -3.93]
    run2 = log.pose(2)
    assert (run2.intermolecular, run2.internal, run2.torsional) == (-14.59, -0.21, 2.09)
    assert (run2.ki, run2.ki_unit) == (682.07, "pM")
    assert run2.ki_molar == pytest.approx(682.07e-12)
    assert log.pose(1).ki_unit == "uM" and log.pose(1).ki == 2.28
    assert run2.reference_rmsd == 1.25
    assert run2.coords.shape == (40, 3)
    # first atom of run 2's DOCKED model, and the pose keeps meeko's SMILES remark
    assert run2.pdbqt_lines[0].startswith("REMARK SMILES Cc1ccc(NC(=O)")
    assert run2.pdbqt.count("\nATOM") + run2.pdbqt.startswith("ATOM") == 40


def test_best_and_clusters(log) -> None:
    assert log.best.run == 2 and log.best.energy == -12.50
    assert [(c.rank, c.lowest_energy, c.run, c.mean_energy, c.size, c.members) for c in log.clusters] == [
        (1, -12.50, 2, -12.50, 1, (2,)), (2, -7.70, 1, -7.70, 1, (1,)),
        (3, -7.00, 3, -7.00, 1, (3,)), (4, -3.93, 4, -3.93, 1, (4,))]
    assert log.best_cluster.run == log.best.run


def test_truncated_dlg_names_file(tmp_path: Path) -> None:
    text = (AD / "1iep_reduced.dlg").read_text()
    cut = tmp_path / "cut.dlg"
    cut.write_text(text[: len(text) // 2])
    with pytest.raises(DLGParseError, match=r"cut\.dlg.*truncated"):
        parse_dlg(cut)


def test_missing_run_detected() -> None:
    text = (AD / "1iep_reduced.dlg").read_text()
    start = text.index("DOCKED: MODEL        3")
    end = text.index("DOCKED: ENDMDL", start) + len("DOCKED: ENDMDL")
    with pytest.raises(DLGParseError, match="4 runs requested but 3"):
        parse_dlg_text(text[:start] + text[end:], "x.dlg")


def test_model_cut_inside_and_no_histogram() -> None:
    text = (AD / "1iep_reduced.dlg").read_text()
    end = text.index("DOCKED: ENDMDL")
    with pytest.raises(DLGParseError, match="no ENDMDL"):
        parse_dlg_text(text[:end] + "\nautodock4: Successful Completion\n", "y.dlg")
    hist = text.index("CLUSTERING HISTOGRAM")
    with pytest.raises(DLGParseError, match="CLUSTERING HISTOGRAM"):
        parse_dlg_text(text[:hist] + "\nautodock4: Successful Completion\n", "z.dlg")


def test_missing_file() -> None:
    with pytest.raises(DLGParseError, match="nope.dlg"):
        parse_dlg(AD / "nope.dlg")


def test_vina_output() -> None:
    log = parse_vina_pdbqt(AD / "1iep_ligand_vina_out.pdbqt")
    assert log.engine == "vina" and len(log.runs) == 4 and log.clusters == ()
    first = log.runs[0]
    # REMARK VINA RESULT:   -13.234 ... ; REMARK INTER: -18.649 (hand-read)
    assert (first.run, first.energy, first.intermolecular) == (1, -13.234, -18.649)
    assert log.best is first and first.coords.shape == (40, 3)
    assert np.allclose(first.coords[0], [float(x) for x in first.pdbqt_lines[
        next(i for i, ln in enumerate(first.pdbqt_lines) if ln.startswith("ATOM"))][30:54].split()])


def test_vina_truncated(tmp_path: Path) -> None:
    text = (AD / "1iep_ligand_vina_out.pdbqt").read_text()
    bad = tmp_path / "vina_cut.pdbqt"
    bad.write_text(text[: text.index("ENDMDL")])
    with pytest.raises(DLGParseError, match="vina_cut.pdbqt.*truncated"):
        parse_vina_pdbqt(bad)


def test_one_run_log_is_one_cluster_of_one_pose() -> None:
    # real: ga_run 1 (a one-run chunk); AutoDock prints "Unable to perform cluster analysis" and no histogram
    log = parse_dlg(AD / "1iep_1run.dlg")
    assert len(log.runs) == 1 and log.n_requested == 1 and log.seed is not None
    [cluster] = log.clusters
    assert (cluster.size, cluster.members, cluster.lowest_energy) == (1, (1,), log.runs[0].energy)
    text = (AD / "1iep_1run.dlg").read_text()
    with pytest.raises(DLGParseError, match="no CLUSTERING HISTOGRAM"):  # the excuse only counts with one run
        parse_dlg_text(text.replace("Unable to perform cluster analysis", "Unable to do it"), "x.dlg")

"""2-D diagrams for the poses with a card only: the one card rule, the stage drawing them after all jobs, resume.

The campaign test docks for real (AutoDock 4.2.6, 1 LGA run × 25,000 evaluations: seconds): three opioids into
KOR (the 6B73 file) and the 1IEP imatinib redocking case, so the energies that pick the cards are real.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from helpers import NALOXONE, NALOXONE_KEY, iep_case, opioid_systems, require_autodock, stage_context, workflow_config
from helpers.paths import AD

from netpharm.docking.cards import CardCandidate, card_choice, card_energy
from netpharm.docking.config import DockingConfig, LigandSpec
from netpharm.io import link_or_write_atomic, write_text_atomic
from netpharm.registry import ReportConfig

FENTANYL = "CCC(=O)N(C1CCN(CC1)CCC2=CC=CC=C2)C3=CC=CC=C3"


def test_card_rule_hand_checked() -> None:
    """Docked poses by energy (ties keep their order, no energy last), then every redocking case; no pose files,
    no card; all docked poses in their own order when they fit."""
    poses = [CardCandidate(-7.0, False, True), CardCandidate(None, False, True), CardCandidate(-9.0, False, True),
             CardCandidate(-5.0, True, True), CardCandidate(-7.0, False, True), CardCandidate(-12.0, False, False),
             CardCandidate(None, True, False)]
    assert card_choice(poses, 2) == ([2, 0, 3], 2)     # -9.0, then the first of the two -7.0; the redock case
    assert card_choice(poses, 3) == ([2, 0, 4, 3], 1)
    assert card_choice(poses, 4) == ([0, 1, 2, 4, 3], 0)  # all four docked poses with files fit: findings' order
    assert card_choice(poses, 0) == ([3], 4)
    assert card_energy(-7.5, "ok") == -7.5 and card_energy(-7.5, "failed") is None
    assert card_energy(float("nan"), "ok") is None and card_energy(None, "ok") is None


def test_pose_cards_is_in_the_docking_fingerprint_only() -> None:
    """``[report] pose_cards`` decides which diagrams the docking stage draws: a changed value re-runs docking on
    resume (its jobs are skipped, the missing card diagrams drawn), not the other stages."""
    from netpharm.workflow import stage_fingerprint

    ten = workflow_config(AD, name="t")
    three = dataclasses.replace(ten, report=ReportConfig(pose_cards=3))
    assert stage_fingerprint(ten, "docking", ["OPRM1"]) != stage_fingerprint(three, "docking", ["OPRM1"])
    assert stage_fingerprint(ten, "network", ["OPRM1"]) == stage_fingerprint(three, "network", ["OPRM1"])
    assert ten.facts().pose_cards == 10 and three.facts().pose_cards == 3


def test_identical_input_is_hard_linked_not_copied(tmp_path: Path) -> None:
    source = write_text_atomic(tmp_path / "receptor_prep.pdbqt", "ATOM receptor\n")
    linked = link_or_write_atomic(tmp_path / "job" / "receptor.pdbqt", "ATOM receptor\n", source)
    assert linked.read_text() == "ATOM receptor\n" and linked.stat().st_ino == source.stat().st_ino
    assert link_or_write_atomic(linked, "ATOM receptor\n", source).stat().st_ino == source.stat().st_ino  # again
    # a text that differs from the source is written as its own file
    other = link_or_write_atomic(tmp_path / "job2" / "receptor.pdbqt", "ATOM other\n", source)
    assert other.read_text() == "ATOM other\n" and other.stat().st_ino != source.stat().st_ino
    # netpharm replaces files, never rewrites them in place: a new source leaves the linked copy as it was
    write_text_atomic(source, "ATOM changed\n")
    assert linked.read_text() == "ATOM receptor\n"
    assert not [p for p in tmp_path.rglob("*.tmp")]


def _context(tmp_path: Path, cards: int) -> object:
    kor = opioid_systems()[0]
    ligands = (LigandSpec("morphine", "morphine"), LigandSpec("naloxone", NALOXONE, NALOXONE_KEY),
               LigandSpec("fentanyl", FENTANYL))
    docking = DockingConfig(systems=(kor,), ligands=ligands, redock=(iep_case(),), ga_runs=1, ga_num_evals=25000,
                            workers=1)
    config = workflow_config(AD, name="t", docking=docking, offline=True, report=ReportConfig(pose_cards=cards))
    return stage_context(config, tmp_path / "run", tmp_path / "cache", stage="docking")


def _diagrams(run: Path) -> list[str]:
    return sorted(str(p.relative_to(run)) for p in (run / "docking").rglob("best_pose*.*")
                  if p.suffix in (".png", ".svg"))


def test_campaign_draws_diagrams_for_the_card_poses_only_and_resume_draws_the_missing(tmp_path: Path) -> None:
    require_autodock()
    from netpharm.docking.pose_cards import pose_cards, report_poses
    from netpharm.docking.stage import run_docking_stage

    ctx = _context(tmp_path, 1)
    run = ctx.run_dir
    outcome = run_docking_stage(ctx)
    f = outcome.findings
    assert outcome.status == "ok" and [s.status for s in f.systems] == ["ok"] * 3
    energies = {s.ligand: s.best_energy for s in f.systems}
    ranked = sorted(energies, key=energies.get)
    assert len(set(energies.values())) == 3  # real, distinct energies pick the card
    best = ranked[0]
    kor = f.systems[0].system
    # exactly the best docked pose (pose_cards = 1) and the redocking case have a diagram; the others say None
    assert {s.ligand: (s.figure, s.diagram_svg) for s in f.systems} == {
        lig: ((f"docking/{kor}/{lig}/best_pose.png", f"docking/{kor}/{lig}/best_pose.svg") if lig == best
              else (None, None)) for lig in energies}
    assert f.redocking[0].figure == "docking/redock/1IEP/best_pose.png"
    assert _diagrams(run) == sorted([f"docking/{kor}/{best}/best_pose.png", f"docking/{kor}/{best}/best_pose.svg",
                                     "docking/redock/1IEP/best_pose.png", "docking/redock/1IEP/best_pose.svg"])
    # every pose keeps the rest of what its job writes: profile, pocket, pose files, PyMOL script
    for lig in energies:
        folder = run / "docking" / kor / lig
        for name in ("best_pose.sdf", "best_pose_pocket.pdb", "best_pose_interactions.tsv", "best_pose.pml",
                     "best_pose_complex.pdb"):
            assert (folder / name).is_file(), (lig, name)
        # the ligand folders share the system's receptor PDBQT (one file on disk), the docking inputs unchanged
        assert (folder / "receptor.pdbqt").stat().st_ino == (run / "docking" / kor / "receptor_prep.pdbqt").stat().st_ino
    # the report's cards are exactly these poses (the same rule), each with its diagram
    poses, store = report_poses(run, f.systems, f.redocking)
    cards, uncarded = pose_cards(run, tmp_path, poses, store, 1)
    assert [(c.pose.entry.system, c.pose.entry.ligand) for c in cards] == [(kor, best), ("1IEP", "1IEP")]
    assert all(c.figure is not None and c.figure.uri for c in cards) and uncarded == 2

    # resume with two cards, the best pose's PNG lost: the second-best is drawn, the lost PNG drawn again
    # (same bytes), the redocking diagram left as it is; the docking itself is not redone
    png = run / "docking" / kor / best / "best_pose.png"
    drawn = png.read_bytes()
    png.unlink()
    kept = {p: (run / p).stat().st_mtime_ns for p in _diagrams(run) if "redock" in p}
    dlgs = {lig: (run / "docking" / kor / lig / "dock.dlg").stat().st_mtime_ns for lig in energies}
    f2 = run_docking_stage(_context(tmp_path, 2)).findings
    assert {s.ligand: s.best_energy for s in f2.systems} == energies
    assert {lig: (run / "docking" / kor / lig / "dock.dlg").stat().st_mtime_ns for lig in energies} == dlgs
    assert {s.ligand for s in f2.systems if s.figure} == set(ranked[:2])
    assert png.read_bytes() == drawn
    assert {p: (run / p).stat().st_mtime_ns for p in kept} == kept  # not redrawn
    assert _diagrams(run) == sorted([*kept, f"docking/{kor}/{best}/best_pose.png", f"docking/{kor}/{best}/best_pose.svg",
                                     f"docking/{kor}/{ranked[1]}/best_pose.png",
                                     f"docking/{kor}/{ranked[1]}/best_pose.svg"])
    # back to one card: the former card's diagram is still valid and still named; once damaged, it is not
    f3 = run_docking_stage(_context(tmp_path, 1)).findings
    assert {s.ligand for s in f3.systems if s.figure} == set(ranked[:2])
    (run / "docking" / kor / ranked[1] / "best_pose.svg").write_text("not the diagram")
    f4 = run_docking_stage(_context(tmp_path, 1)).findings
    assert {s.ligand for s in f4.systems if s.figure} == {best}


@pytest.mark.parametrize("damage", ["record", "pose"])
def test_diagram_redrawn_when_its_record_or_pose_changed(tmp_path: Path, damage: str) -> None:
    """A diagram is kept only while its record matches the pose, profile and title it was drawn from."""
    from dataclasses import asdict

    from netpharm.docking.findings import Interaction
    from netpharm.docking.pose.card_diagrams import DiagramJob, draw_card_diagram, valid_diagram
    from netpharm.docking.pose.dlg import parse_dlg
    from netpharm.docking.pose.poses import pose_to_mol, read_receptor_atoms, write_pose_files
    from netpharm.docking.pose.views import describe_pose

    receptor = (AD / "1iep_receptor.pdbqt").read_text()
    runs = parse_dlg(AD / "1iep_reduced.dlg").runs
    pose = runs[0]
    mol = pose_to_mol(pose)
    write_pose_files(pose, receptor, tmp_path, "best_pose", mol)
    views = describe_pose(mol, receptor, read_receptor_atoms(receptor), pose.coords, None, tmp_path, "best_pose",
                          "system 1IEP")
    job = DiagramJob(str(tmp_path), "best_pose", "1IEP: imatinib", tuple(asdict(Interaction(**r))
                                                                         for r in views.interactions))
    paths, now, error = draw_card_diagram(job)
    assert (now, error) == (True, "") and [p.name for p in paths] == ["best_pose.png", "best_pose.svg"]
    assert draw_card_diagram(job)[1] is False and valid_diagram(job) == paths
    if damage == "record":
        job.record_path.write_text("{")
    else:  # another pose in the same folder (a rerun with another result)
        write_pose_files(runs[1], receptor, tmp_path, "best_pose")
    assert valid_diagram(job) is None and draw_card_diagram(job)[1] is True

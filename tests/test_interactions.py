"""Interaction profiles (ProLIF) and 2-D interaction diagrams on real complexes.

Reference for imatinib in Abl (PDB 1IEP): Nagar et al. (2002) Cancer Res 62:4236–4243 describe the
crystal pose's hydrogen bonds to the hinge Met318 backbone NH (pyridine N), the gatekeeper Thr315
side chain (aminopyrimidine NH), Glu286 of helix αC (amide NH), the Asp381 backbone NH of the DFG
motif (amide C=O) and the carbonyl of Ile360 (protonated piperazine); the piperazine makes no salt
bridge. Distances are checked here independently with numpy on the file coordinates.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from rdkit import Chem

from netpharm.docking.pose.diagram import draw_interaction_diagram, place_residues, write_interaction_diagram
from netpharm.docking.pose.dlg import parse_dlg
from netpharm.docking.pose.interactions import (
    has_interaction,
    profile_pose,
    profile_records,
    profile_table,
    receptor_molecule,
    residue_matches,
    skipped_residues,
    system_has_interaction,
)
from netpharm.docking.pose.poses import find_asp332, pose_to_mol, read_receptor_atoms
from netpharm.docking.pose.views import describe_pose
from netpharm.errors import InteractionError

AD = Path(__file__).parent / "data" / "autodock"


@pytest.fixture(scope="module")
def abl() -> object:
    return receptor_molecule((AD / "1iep_receptor.pdbqt").read_text(), "1IEP")


@pytest.fixture(scope="module")
def imatinib() -> Chem.Mol:
    return Chem.MolFromMolFile(str(AD / "1iep_ligand.sdf"), removeHs=False)


@pytest.fixture(scope="module")
def crystal_profile(abl: object, imatinib: Chem.Mol) -> list[dict]:
    return profile_records(profile_pose(imatinib, abl))


def _receptor_xyz(resnum: int, name: str) -> np.ndarray:
    atom = next(a for a in read_receptor_atoms((AD / "1iep_receptor.pdbqt").read_text())
                if a.resnum == resnum and a.name == name)
    return np.array(atom.xyz)


def test_imatinib_crystal_pose_hydrogen_bonds(crystal_profile: list[dict], imatinib: Chem.Mol) -> None:
    hbonds = {r["residue"]: r for r in crystal_profile if r["kind"] == "hbond"}
    assert set(hbonds) == {"A:GLU286", "A:THR315", "A:MET318", "A:ILE360", "A:ASP381"}
    # who gives the hydrogen (Nagar et al. 2002): hinge and DFG backbone NH donate, the rest accept
    assert hbonds["A:MET318"]["prolif_type"] == "HBAcceptor" and hbonds["A:MET318"]["receptor_atoms"] == "N,H"
    assert hbonds["A:ASP381"]["prolif_type"] == "HBAcceptor" and hbonds["A:ASP381"]["ligand_atoms"] == "O36"
    assert hbonds["A:THR315"]["prolif_type"] == "HBDonor" and hbonds["A:THR315"]["receptor_atoms"] == "OG1"
    assert hbonds["A:GLU286"]["receptor_atoms"] == "OE2" and hbonds["A:ILE360"]["receptor_atoms"] == "O"
    xyz = imatinib.GetConformer().GetPositions()
    # distances are heavy-atom donor…acceptor: recomputed from the files
    assert hbonds["A:THR315"]["distance"] == pytest.approx(np.linalg.norm(xyz[12] - _receptor_xyz(315, "OG1")),
                                                           abs=1e-3)
    assert hbonds["A:MET318"]["distance"] == pytest.approx(np.linalg.norm(xyz[4] - _receptor_xyz(318, "N")),
                                                           abs=1e-3)
    assert 2.5 < min(r["distance"] for r in hbonds.values()) and max(r["distance"] for r in hbonds.values()) < 3.5
    assert imatinib.GetAtomWithIdx(4).GetSymbol() == "N" and imatinib.GetAtomWithIdx(4).GetIsAromatic()
    assert not any(r["kind"] == "salt_bridge" for r in crystal_profile)


def test_imatinib_hydrophobic_contacts_and_table(crystal_profile: list[dict]) -> None:
    hydrophobic = {r["residue"] for r in crystal_profile if r["kind"] == "hydrophobic"}
    assert {"A:TYR253", "A:LYS271", "A:MET290", "A:ILE313", "A:PHE382"} <= hydrophobic
    table = profile_table(crystal_profile)
    assert list(table.columns[:4]) == ["kind", "prolif_type", "ligand_role", "residue"]
    assert list(table["kind"]).index("hydrophobic") == 5  # strong interactions first
    assert (table["count"] >= 1).all() and table["distance"].between(2.0, 4.6).all()


def test_docked_pose_from_real_dlg_keeps_the_hinge_and_gatekeeper(abl: object) -> None:
    best = parse_dlg(AD / "1iep_reduced.dlg").best  # run 2, −12.50 kcal/mol, 1.17 Å from the crystal
    records = profile_records(profile_pose(pose_to_mol(best), abl))
    assert has_interaction(records, "hbond", "A:315") and has_interaction(records, "hbond", "MET318")
    assert not has_interaction(records, "salt_bridge", "A:ASP381")


def test_pzm21_salt_bridge_to_asp332_in_8efo() -> None:
    """The opioid case: PZM21's protonated amine on Asp149 (D3.32 by the TM3 motif) of human μ-OR."""
    text = (AD / "MOR_8EFO_human_receptor_processed.pdb").read_text()
    asp = find_asp332(read_receptor_atoms(text))
    mol = Chem.MolFromPDBFile(str(AD / "MOR_8EFO_ligand_8QY.pdb"), removeHs=False)
    records = profile_records(profile_pose(mol, receptor_molecule(text), asp))
    bridge = next(r for r in records if r["kind"] == "salt_bridge")
    assert (bridge["residue"], bridge["generic"], bridge["prolif_type"]) == ("R:ASP149", "D3.32", "Cationic")
    # the same N+ … carboxylate O pair as tests/test_poses.py measures with gemmi (8QY atom N23 = index 21)
    n = mol.GetConformer().GetPositions()[21]
    assert mol.GetAtomWithIdx(21).GetPDBResidueInfo().GetName().strip() == "N23"
    od = [np.array(a.xyz) for a in read_receptor_atoms(text) if a.resnum == 149 and a.name in ("OD1", "OD2")]
    assert bridge["distance"] == pytest.approx(min(np.linalg.norm(n - o) for o in od), abs=1e-3)
    for residue in ("D3.32", "R:149", "R:ASP149", "ASP149", "149"):
        assert has_interaction(records, "salt_bridge", residue), residue
    assert not has_interaction(records, "salt_bridge", "A:149") and not has_interaction(records, "pi_stacking",
                                                                                       "D3.32")
    assert has_interaction(records, "any", "D3.32")


def test_query_errors_are_specific(crystal_profile: list[dict]) -> None:
    with pytest.raises(InteractionError, match="interaction kind 'ionic'"):
        has_interaction(crystal_profile, "ionic", "A:315")
    with pytest.raises(InteractionError, match="residue 'Thr-three-fifteen'"):
        residue_matches(crystal_profile[0], "Thr-three-fifteen")


def test_receptor_with_unknown_residue_names_it(imatinib: Chem.Mol) -> None:
    extra = "HETATM 9999  C1  XYZ A 500      10.000  10.000  10.000  1.00  0.00     0.000 C \n"
    text = (AD / "1iep_receptor.pdbqt").read_text() + extra
    with pytest.raises(InteractionError, match=r"1IEP: residue A:XYZ500 has no ProLIF residue template"):
        receptor_molecule(text, "1IEP", skip_unknown=False)
    receptor = receptor_molecule(text, "1IEP")  # default: left out, said so, the rest profiled
    assert skipped_residues(receptor) == ["A:XYZ500"] and receptor.n_residues == 274
    assert has_interaction(profile_records(profile_pose(imatinib, receptor)), "hbond", "A:MET318")


def test_real_modified_residue_is_left_out() -> None:
    """8E0G (mouse μ-OR): His54 is the modified U8S and BU72 (VF1) is still in the file."""
    receptor = receptor_molecule((Path(__file__).parent / "data" / "structures" / "MOR_8E0G_mouse_BU72.pdb")
                                 .read_text(), "8E0G")
    skipped = skipped_residues(receptor)
    assert "A:U8S54" in skipped and any(r.startswith("A:VF1") for r in skipped)


def test_system_query_for_claim_evaluators(crystal_profile: list[dict]) -> None:
    systems = [{"system": "ABL", "engine": "autodock4", "status": "ok", "interactions": crystal_profile},
               {"system": "DOR", "engine": "autodock4", "status": "failed", "interactions": []},
               {"system": "KOR", "engine": "autodock4", "status": "ok", "interactions": [],
                "interactions_error": "system KOR: interaction profile without residues A:U8S54"}]
    assert system_has_interaction(systems, "ABL", "hbond", "A:THR315") is True
    assert system_has_interaction(systems, "ABL", "salt_bridge", "A:THR315") is False
    assert system_has_interaction(systems, "ABL", "hbond", "A:THR315", engine="vina") is None
    assert system_has_interaction(systems, "DOR", "salt_bridge", "D3.32") is None  # no finished pose
    assert system_has_interaction(systems, "KOR", "salt_bridge", "D3.32") is None  # incomplete profile


def test_ligand_without_hydrogens_is_refused(abl: object, imatinib: Chem.Mol) -> None:
    with pytest.raises(InteractionError, match="no explicit hydrogens"):
        profile_pose(Chem.RemoveHs(imatinib), abl)


def test_diagram_is_deterministic_and_drawn(tmp_path: Path, imatinib: Chem.Mol,
                                            crystal_profile: list[dict]) -> None:
    a = write_interaction_diagram(imatinib, crystal_profile, tmp_path / "a", "1IEP imatinib")
    b = write_interaction_diagram(imatinib, crystal_profile, tmp_path / "b", "1IEP imatinib")
    assert [p.suffix for p in a] == [".png", ".svg"]
    assert a[0].read_bytes() == b[0].read_bytes() and a[1].read_bytes() == b[1].read_bytes()
    assert a[0].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and b"<svg" in a[1].read_bytes()[:400]
    fig = draw_interaction_diagram(imatinib, crystal_profile, "1IEP imatinib")
    ax = fig.axes[0]
    labels = {t.get_text() for t in ax.texts}
    # every interacting residue is drawn once, with the ligand's heteroatoms (RDKit depiction)
    residues = {f"{r['resname'].title()}{r['resnum']} (A)" for r in crystal_profile}
    assert residues <= labels and len(residues) == 13  # 5 H-bonded + 10 hydrophobic, 2 both
    assert {"N", "O", "N+"} <= labels
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["hydrogen bond", "hydrophobic contact"]
    styles = {line.get_linestyle() for line in ax.lines if line.get_color() == "#1f7a3a"}
    assert styles == {"--"}  # every hydrogen bond drawn in the same style
    import matplotlib.pyplot as plt
    plt.close(fig)


def test_place_residues_keeps_labels_apart() -> None:
    """Hand-made anchors: three residues in nearly the same direction are spread ≥ the gap."""
    anchors = {"A": np.array([1.0, 0.0]), "B": np.array([1.0, 0.01]), "C": np.array([1.0, -0.01]),
               "D": np.array([-1.0, 0.0])}
    pos = place_residues(anchors, 5.0, min_gap=0.4)
    angles = sorted(np.arctan2(p[1], p[0]) for p in pos.values())
    assert all(np.hypot(*p) == pytest.approx(5.0) for p in pos.values())
    assert min(np.diff(angles)) >= 0.4 - 1e-9
    assert np.arctan2(pos["D"][1], pos["D"][0]) == pytest.approx(np.pi)


def test_describe_pose_writes_profile_and_pocket(tmp_path: Path, imatinib: Chem.Mol) -> None:
    """Profile and pocket; no 2-D diagram (drawn later, for the card poses only: test_card_diagrams.py)."""
    text = (AD / "1iep_receptor.pdbqt").read_text()
    atoms = read_receptor_atoms(text)
    views = describe_pose(imatinib, text, atoms, imatinib.GetConformer().GetPositions(), None, tmp_path,
                          "best_pose", "system 1IEP")
    assert views.error == "" and views.salt_bridge_asp332 is None
    assert views.interactions_tsv.read_text().splitlines()[0].startswith("kind\tprolif_type")
    assert not list(tmp_path.glob("*.png")) and not list(tmp_path.glob("*.svg"))
    pocket = views.pocket_pdb.read_text().splitlines()
    residues = {(ln[21], int(ln[22:26])) for ln in pocket if ln.startswith("ATOM")}
    assert ("A", 315) in residues and ("A", 318) in residues and len(residues) < 80
    assert all(ln[76:78].strip() in {"C", "N", "O", "S", "H"} for ln in pocket if ln.startswith("ATOM"))
    failed = describe_pose(None, text, atoms, imatinib.GetConformer().GetPositions(), None, tmp_path / "x",
                           "best_pose", "system 1IEP")
    assert "system 1IEP: the pose could not be rebuilt" in failed.error and failed.pocket_pdb.is_file()


def test_interaction_types_aliases_and_ligand_filter() -> None:
    """Type names a claim may use, and the campaign's ligand filter, on the real morphine summary."""
    import json

    from netpharm.docking.profile_query import interaction_type, parse_requirement

    assert [interaction_type(t) for t in ("H-bond", "hydrogen bond", "ionic", "PI_STACKING", "hbdonor", "contact",
                                          "CationPi", "pi-cation")] == \
        ["hbond", "hbond", "salt_bridge", "pi_stacking", "HBDonor", "any", "CationPi", "cation_pi"]
    assert parse_requirement(" HBDonor : A:TYR129 ") == ("HBDonor", "A:TYR129")
    systems = json.loads((Path(__file__).parent / "data" / "morphine_profiles" / "docking_summary.json")
                         .read_text())["findings"]["systems"]
    assert system_has_interaction(systems, "DOR", "HBDonor", "A:TYR129", ligand="Morphine") is True
    assert system_has_interaction(systems, "DOR", "HBAcceptor", "A:TYR129", ligand="morphine") is False
    assert system_has_interaction(systems, "DOR", "hbond", "A:TYR129", ligand="naloxone") is None  # not docked

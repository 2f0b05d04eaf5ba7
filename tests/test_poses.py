"""Pose analysis on real files: pose → molecule, RMSD, contacts, Asp3.32, salt bridge, outputs."""

from __future__ import annotations

from pathlib import Path

import gemmi
import numpy as np
import pytest
from rdkit import Chem

from netpharm.docking.pose.dlg import Pose, parse_dlg, pose_coords
from netpharm.docking.pose.poses import (
    amine_nitrogens,
    asp332_salt_bridge,
    contact_residues,
    find_asp332,
    pose_to_mol,
    pymol_script,
    read_receptor_atoms,
    write_pose_files,
)
from netpharm.docking.pose.rmsd import order_rmsd, symmetry_rmsd

AD = Path(__file__).parent / "data" / "autodock"


@pytest.fixture(scope="module")
def best() -> Pose:
    return parse_dlg(AD / "1iep_reduced.dlg").best


@pytest.fixture(scope="module")
def crystal() -> Chem.Mol:
    return Chem.MolFromMolFile(str(AD / "1iep_ligand.sdf"))


def test_pose_to_mol_keeps_chemistry(best: Pose) -> None:
    mol = pose_to_mol(best)
    assert Chem.MolToSmiles(Chem.RemoveHs(mol)) == Chem.MolToSmiles(
        Chem.MolFromSmiles("Cc1ccc(NC(=O)c2ccc(CN3CC[NH+](C)CC3)cc2)cc1Nc1nccc(-c2cccnc2)n1"))
    heavy = Chem.RemoveHs(mol)
    assert heavy.GetNumAtoms() == 37


def test_symmetry_rmsd_vs_atom_order(best: Pose, crystal: Chem.Mol) -> None:
    mol = pose_to_mol(best)
    sym = symmetry_rmsd(mol, crystal)
    # independent check: heavy atoms by PDBQT order against the crystal ligand PDBQT (same atom order)
    ref_lines = [ln for ln in (AD / "1iep_ligand.pdbqt").read_text().splitlines() if ln.startswith("ATOM")]
    heavy = [i for i, ln in enumerate(ref_lines) if ln[77:79].strip() != "HD"]
    plain = order_rmsd(best.coords[heavy], pose_coords(ref_lines)[heavy])
    assert sym == pytest.approx(1.171, abs=0.002)
    assert sym <= plain + 1e-9  # the best mapping can only be better than the file order
    assert symmetry_rmsd(crystal, crystal) == pytest.approx(0.0, abs=1e-9)


def test_rmsd_refuses_different_molecules(best: Pose) -> None:
    with pytest.raises(ValueError):
        symmetry_rmsd(pose_to_mol(best), Chem.AddHs(Chem.MolFromSmiles("CCO"), addCoords=False))


def test_amine_found_by_charge_and_by_pdbqt(best: Pose) -> None:
    # atom 38 (1-based) is imatinib's piperazine N+ carrying HD atom 40; the amide N (atom 1) has an HD too
    assert amine_nitrogens(pose_to_mol(best), best) == [37]
    assert amine_nitrogens(None, best) == [37]


@pytest.mark.parametrize("name,expected", [
    ("MOR_8EFO_human_receptor_processed.pdb", "R:ASP149"),
    ("tm3_MOR_8E0G_mouse_BU72.pdb", "A:ASP147"),
    ("tm3_DOR_4EJ4_mouse_naltrindole_processed.pdb", "A:ASP128"),
    ("tm3_KOR_6B73_human_receptor_processed.pdb", "A:ASP138"),
])
def test_asp332_from_tm3_motif(name: str, expected: str) -> None:
    assert find_asp332(read_receptor_atoms((AD / name).read_text())) == expected


def test_no_asp332_in_a_kinase() -> None:
    assert find_asp332(read_receptor_atoms((AD / "1iep_receptor.pdbqt").read_text())) is None


def test_pzm21_salt_bridge_in_8efo() -> None:
    """8QY (PZM21) in the 8EFO receptor frame: its N23 (N1+) … Asp149 carboxylate."""
    receptor = read_receptor_atoms((AD / "MOR_8EFO_human_receptor_processed.pdb").read_text())
    mol = Chem.MolFromPDBFile(str(AD / "MOR_8EFO_ligand_8QY.pdb"), removeHs=False)
    lines = tuple(ln for ln in (AD / "MOR_8EFO_ligand_8QY.pdb").read_text().splitlines() if ln.startswith("HETATM"))
    pose = Pose(1, 0.0, None, None, None, None, None, lines, pose_coords(lines))
    bridge = asp332_salt_bridge(receptor, pose, mol)
    # hand check with gemmi: distance N23 to the nearer of Asp149 OD1/OD2
    st = gemmi.read_structure(str(AD / "MOR_8EFO_human_receptor_processed.pdb"))
    asp = next(r for r in st[0]["R"] if r.seqid.num == 149)
    n23 = np.array(next(ln for ln in lines if " N23 " in ln)[30:54].split(), float)
    expected = min(np.linalg.norm(n23 - np.array(asp[o][0].pos.tolist())) for o in ("OD1", "OD2"))
    assert asp.name == "ASP"
    assert bridge.residue == "R:ASP149" and bridge.distance == pytest.approx(expected, abs=1e-3)
    assert bridge.formed and bridge.distance < 4.0
    assert lines[bridge.ligand_atom][12:16].strip() == "N23"
    contacts = contact_residues(receptor, pose.coords)
    assert "R:ASP149" in contacts and "R:TYR150" in contacts


def test_outputs_written(tmp_path: Path, best: Pose) -> None:
    rec_text = (AD / "1iep_receptor.pdbqt").read_text()
    atoms = read_receptor_atoms(rec_text)
    files = write_pose_files(best, rec_text, tmp_path)
    sdf = Chem.MolFromMolFile(str(files.sdf))
    assert sdf.GetNumAtoms() == 37
    complex_lines = files.complex_pdb.read_text().splitlines()
    assert sum(ln.startswith("HETATM") and " LIG L" in ln for ln in complex_lines) == 40
    assert gemmi.read_structure(str(files.complex_pdb))[0].count_atom_sites() == len(atoms) + 40
    contacts = contact_residues(atoms, best.coords)
    assert "A:THR315" in contacts  # imatinib's gatekeeper contact in Abl (Nagar et al. 2002)
    bridge = asp332_salt_bridge(atoms, best, pose_to_mol(best))
    assert bridge.residue is None and not bridge.formed
    pml = pymol_script("receptor.pdbqt", files.pdbqt.name, contacts, bridge)
    assert pml.startswith("load receptor.pdbqt, receptor\nload best_pose.pdbqt, ligand\n")
    assert "(chain A and resi 315)" in pml

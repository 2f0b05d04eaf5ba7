"""Ligand preparation (RDKit + meeko) with the facts measured in docking-notes.md."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from rdkit import Chem
from rdkit.Chem import rdCIPLabeler

from netpharm.docking.prepare.ligand import (
    KNOWN_LIGANDS,
    ligand_from_pdb_block,
    prepare_ligand,
    prepare_ligand_from_mol,
    protonate,
    resolve_ligand_name,
)
from netpharm.errors import CacheMissError, LigandPrepError
from netpharm.sources.cache import Cache, Request

DATA = Path(__file__).resolve().parent / "data" / "structures"
MORPHINE = "CN1CC[C@]23[C@@H]4[C@H]1CC5=C2C(=C(C=C5)O)O[C@H]3[C@H](C=C4)O"
MORPHINE_KEY = "BQJCRHHNABKAKU-KBQPJGBKSA-N"
IMATINIB_KEY = "KTUFNOKKBVMGRW-UHFFFAOYSA-N"


@pytest.fixture(scope="module")
def morphine():
    return prepare_ligand(MORPHINE, name="morphine", expected_inchikey=MORPHINE_KEY)


def test_morphine_facts(morphine) -> None:
    assert morphine.inchikey == MORPHINE_KEY
    assert morphine.n_atoms == 24 and morphine.n_heavy == 21            # 21 heavy + 3 polar H
    assert morphine.atom_types == ["A", "C", "HD", "N", "OA"]
    assert morphine.total_charge == pytest.approx(1.0, abs=0.002)        # cationic amine
    assert morphine.active_torsions == 2 and morphine.torsdof == 2        # the two OH rotors
    assert "[NH+]" in morphine.smiles
    assert morphine.conformers_tried == 10 and morphine.mmff_energy is not None
    assert "meeko" in morphine.torsdof_convention
    assert morphine.protonation == ("N2 tertiary aliphatic amine (est. pKa 9.8) protonated",)
    hd = [ln for ln in morphine.pdbqt.splitlines() if ln.startswith("ATOM") and ln[77:79].strip() == "HD"]
    assert len(hd) == 3


def test_morphine_by_name_is_reproducible(morphine) -> None:
    again = prepare_ligand("morphine", name="morphine")
    assert again.pdbqt == morphine.pdbqt                                  # fixed seed: identical file


def test_bad_smiles() -> None:
    with pytest.raises(LigandPrepError, match="not a valid SMILES"):
        prepare_ligand("C1CC(N")


def test_stereo_mismatch() -> None:
    epimer = MORPHINE.replace("[C@H](C=C4)O", "[C@@H](C=C4)O")          # 6-epimer of morphine
    with pytest.raises(LigandPrepError, match="stereochemistry differs"):
        prepare_ligand(epimer, expected_inchikey=MORPHINE_KEY)
    with pytest.raises(LigandPrepError, match="different molecule"):
        prepare_ligand("CCO", expected_inchikey=MORPHINE_KEY)


def test_unmappable_atom_type() -> None:
    with pytest.raises(LigandPrepError, match="atom type\\(s\\) B have no AutoDock 4 parameters"):
        prepare_ligand("OB(O)c1ccccc1", name="phenylboronic acid")


def test_protonation_rules() -> None:
    def charged(smiles: str) -> str:
        return Chem.MolToSmiles(protonate(Chem.MolFromSmiles(smiles))[0])

    assert charged("CC(=O)O") == "CC(=O)[O-]"
    assert charged("Nc1ccccc1") == "Nc1ccccc1"                            # aniline stays neutral
    assert charged("CC(=O)NC") == Chem.CanonSmiles("CC(=O)NC")            # amide
    assert charged("NCCN").count("+") == 1                                 # second pKa of a 1,2-diamine is low
    assert charged("NC(=N)NCCC") == "CCCNC(N)=[NH2+]"                      # guanidine
    # imatinib: only the N-methylpiperazine nitrogen, as in the 1IEP crystal ligand
    imatinib, notes = protonate(Chem.MolFromSmiles(KNOWN_LIGANDS["imatinib"][0]))
    assert Chem.GetFormalCharge(imatinib) == 1
    assert imatinib.HasSubstructMatch(Chem.MolFromSmarts("[CH3][NX4+;H1]"))
    assert any("left neutral (≤ 3 bonds from a protonated amine)" in note for note in notes)


def test_imatinib_sdf_matches_builtin_table() -> None:
    lig = prepare_ligand(str(DATA / "1iep_ligand.sdf"), name="imatinib", expected_inchikey=IMATINIB_KEY)
    assert lig.inchikey == KNOWN_LIGANDS["imatinib"][1]                    # the table's key is the crystal ligand's
    assert lig.total_charge == pytest.approx(1.0, abs=0.002)
    assert set(lig.atom_types) == {"A", "C", "HD", "N", "NA", "OA"}


def test_crystal_pose_kept_for_redocking() -> None:
    """1IEP imatinib written as bare PDB atoms (no bonds) → template bond orders → PDBQT at the crystal pose."""
    sdf = Chem.MolFromMolFile(str(DATA / "1iep_ligand.sdf"), removeHs=False)
    heavy = Chem.RemoveHs(sdf)
    atoms_only = "".join(ln + "\n" for ln in Chem.MolToPDBBlock(heavy).splitlines() if ln.startswith("HETATM"))
    mol = ligand_from_pdb_block(atoms_only, KNOWN_LIGANDS["imatinib"][0])
    assert Chem.MolToInchiKey(mol) == IMATINIB_KEY
    lig = prepare_ligand_from_mol(mol, "imatinib_xtal", keep_coordinates=True)
    assert lig.conformers_tried == 0 and lig.mmff_energy is None
    pdbqt_heavy = np.array([[float(ln[30:38]), float(ln[38:46]), float(ln[46:54])] for ln in lig.pdbqt.splitlines()
                            if ln.startswith("ATOM") and ln[77:79].strip() not in ("HD", "H")])
    crystal = heavy.GetConformer().GetPositions()
    assert len(pdbqt_heavy) == len(crystal) == 37
    # every PDBQT heavy atom sits on a crystal atom (order may differ)
    nearest = np.linalg.norm(pdbqt_heavy[:, None] - crystal[None], axis=2).min(axis=1)
    assert nearest.max() < 1e-3


def test_8qy_pzm21_bonds_from_template_and_stereo_from_3d() -> None:
    """8EFO's 8QY has no bond records; PZM21's graph (no stereo in the template) must match it, and
    the 3D coordinates give (S,S) as the docking notes state."""
    template = "CN(C)C(Cc1ccc(O)cc1)CNC(=O)NC(C)Cc1ccsc1"
    mol = ligand_from_pdb_block((DATA / "MOR_8EFO_ligand_8QY.pdb").read_text(), template)
    rdCIPLabeler.AssignCIPLabels(mol)
    labels = [atom.GetProp("_CIPCode") for atom in mol.GetAtoms() if atom.HasProp("_CIPCode")]
    assert labels == ["S", "S"]
    lig = prepare_ligand_from_mol(mol, "pzm21")
    assert lig.total_charge == pytest.approx(1.0, abs=0.002)               # the dimethylamine is protonated
    with pytest.raises(LigandPrepError, match="do not match the template"):
        ligand_from_pdb_block((DATA / "MOR_8EFO_ligand_8QY.pdb").read_text(), MORPHINE)


def test_name_lookup_through_cache(tmp_path: Path) -> None:
    """Hand-made PubChem-shaped response (values copied from docking-notes.md) stored in a temp cache."""
    cache = Cache(tmp_path, offline=True)
    with pytest.raises(CacheMissError):
        resolve_ligand_name("heroin", cache)
    url = ("https://pubchem.ncbi.nlm.nih.gov/rest/pug/compound/name/morphine%20sulfate/property/"
           "IsomericSMILES,InChIKey/JSON")
    body = {"PropertyTable": {"Properties": [{"CID": 5288826, "IsomericSMILES": MORPHINE, "InChIKey": MORPHINE_KEY}]}}
    cache.put(Request.make("GET", url, source="pubchem"), json.dumps(body).encode())
    assert resolve_ligand_name("morphine sulfate", cache) == (MORPHINE, MORPHINE_KEY)
    lig = prepare_ligand("morphine sulfate", name="m", cache=cache)
    assert lig.inchikey == MORPHINE_KEY and lig.n_atoms == 24

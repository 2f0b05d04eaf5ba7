"""The real wwPDB entries in cache/ (8EF6, 6PT2, 6VI4, 5C1M, 4N6H): cache keys, provenance, chain and
ligand selection and cleaning on the files as deposited (no hand edits).

The entries were copied byte for byte from hzk597955516/mmcif_data (8EF6: matthewkarlhoward/mor_dms_analysis;
see cache/README.md); tests read them from the shipped cache, through the same code path as an RCSB download.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import gemmi
import pytest
from rdkit import Chem
from rdkit.Chem import rdCIPLabeler
from rdkit.Chem.rdMolDescriptors import CalcMolFormula

from netpharm.docking.prepare.ligand import ligand_from_pdb_block, prepare_ligand
from netpharm.errors import CacheMissError, InputError
from netpharm.sources.cache import Cache
from netpharm.sources.rcsb import fetch_structure, record_mirrored_entry, structure_request
from netpharm.structures.chains import chain_sequence, classify_chain
from netpharm.structures.clean import clean_structure
from netpharm.structures.fetch import load_entry, load_structure

REPO = Path(__file__).resolve().parents[1]
MIRROR_COMMIT = "8b606dbb08a2a5e3e5f37b013b126a2b51f8d0b4"
MOR_DMS = ("matthewkarlhoward/mor_dms_analysis", "cc642c102a0a546d2cd431018fe119f05f434eda",
           "structural/public_experimental/8ef6.cif", "9c71d7f9704043f69a22569135450c807948f911")
# id -> (sha256 of the mirrored file, its latest _pdbx_audit_revision_history row); the manifest of the
# shared folder structures/paper_entries/ gives the same sha256 and git blob
ENTRIES = {
    "8EF6": ("d2e3021936e1545053153a883174e0d2628979e209ce1eb276edc6f029939d4e", "1.3 (2025-05-28)"),
    "6PT2": ("a05e8af7a9f657285ca9efa210d3eb8ecc4ec220c6e39f1a438b0b7dccd0571d", "1.1 (2019-12-18)"),
    "6VI4": ("537417ab280901472112c04f31414abfd990de73f337a247f22fbe52fc99a2c4", "1.0 (2020-03-18)"),
    "5C1M": ("de015a4d5ef1c480a5635d63b016a2377f8347075b6b9fad9cb7608e4cc35044", "2.0 (2021-02-10)"),
    "4N6H": ("dcacaa9f47485ed0d46e7f428d2e5f659ae4377b3c82bf276548b4d5e725c6c7", "1.5 (2023-09-20)"),
}
MORPHINE = "BQJCRHHNABKAKU-KBQPJGBKSA-N"  # (-)-morphine, PubChem CID 5288826
# Bond-order templates of the workflows, transcribed from each entry's _chem_comp.name
TEMPLATES = {
    "JDC": ("6VI4", "O=C(NC(CN1CCC(C)(c2cccc(O)c2)C(C)C1)C(C)C)C1Cc2ccc(O)cc2CN1"),
    "VF1": ("5C1M", "COC12C=CC34CC1(C)C(c1ccccc1)NC2C31CCN(C)C4Cc2ccc(O)cc21"),
    "EJ4": ("4N6H", "C1CC1CN2CCC34C5c6[nH]c7ccccc7c6CC3(C2Cc8ccc(O)c(O5)c48)O"),
}
# 8EF6's MOI: the workflows' template (no stereo; it is read from the cryo-EM coordinates)
MOI = ("8EF6", "CN1CCC23C4Oc5c(O)ccc(c52)CC1C3C=CC4O")


@pytest.fixture(scope="module")
def cache() -> Cache:
    return Cache(REPO / "cache", offline=True)


@pytest.fixture(scope="module")
def entries(cache: Cache) -> dict[str, tuple[gemmi.Structure, object]]:
    return {pdb_id: load_entry(pdb_id, cache) for pdb_id in ENTRIES}


def _block(cache: Cache, pdb_id: str) -> gemmi.cif.Block:
    return gemmi.cif.read_string(fetch_structure(pdb_id, cache).text).sole_block()


# --- the cache ----------------------------------------------------------------------------------
@pytest.mark.parametrize("pdb_id", sorted(ENTRIES))
def test_entry_is_cached_under_the_rcsb_key_with_mirror_provenance(cache: Cache, pdb_id: str) -> None:
    entry = cache.get(structure_request(pdb_id))
    assert entry is not None, f"{pdb_id} missing from cache/"
    sha, revision = ENTRIES[pdb_id]
    assert entry.sha256 == sha and entry.meta["url"] == f"https://files.rcsb.org/download/{pdb_id}.cif"
    assert entry.meta["kind"] == "mirror" and entry.meta["wwpdb_revision"] == revision
    repo, commit, path = (MOR_DMS[:3] if pdb_id == "8EF6" else
                          ("hzk597955516/mmcif_data", MIRROR_COMMIT, f"{pdb_id}.cif"))
    assert (entry.meta["mirror"]["repo"], entry.meta["mirror"]["commit"], entry.meta["mirror"]["path"]) == \
        (repo, commit, path)
    assert entry.provenance()["wwpdb_revision"] == revision  # what the run manifest records
    assert entry.text.startswith(f"data_{pdb_id}")


def test_8ef6_records_its_git_blob_and_the_file_as_the_shared_folder_holds_it(cache: Cache) -> None:
    entry = cache.get(structure_request("8EF6"))
    assert entry is not None and entry.meta["mirror"]["git_blob"] == MOR_DMS[3]
    # the git blob id is sha1("blob <size>\0" + body): the body is the mirrored file, byte for byte
    import hashlib

    blob = hashlib.sha1(b"blob %d\0" % len(entry.body) + entry.body).hexdigest()
    assert blob == MOR_DMS[3] and len(entry.body) == 1257982


def test_shipped_cache_verifies_and_9iyp_stays_a_miss(cache: Cache) -> None:
    assert cache.verify() == []
    with pytest.raises(CacheMissError, match="9IYP"):
        load_structure("9IYP", cache)
    assert load_structure("8EF6", cache).name == "8EF6"  # the paper's mu entry resolves offline, by its id


def test_recording_refuses_a_file_of_another_entry(cache: Cache, tmp_path: Path) -> None:
    body = fetch_structure("6VI4", cache).body
    source = tmp_path / "6VI4.cif"
    source.write_bytes(body)
    mirror = {"repo": "hzk597955516/mmcif_data", "commit": MIRROR_COMMIT, "path": "6VI4.cif"}
    with pytest.raises(InputError, match="the file is entry 6VI4, not 6PT2"):
        record_mirrored_entry(source, "6PT2", Cache(tmp_path / "c"), mirror)
    entry = record_mirrored_entry(source, "6VI4", Cache(tmp_path / "c"), mirror)
    assert entry.key == structure_request("6VI4").key and entry.body == body
    meta = json.loads((tmp_path / "c" / "entries" / f"{entry.key}.meta.json").read_text())
    assert meta["wwpdb_revision"] == "1.0 (2020-03-18)" and meta["host"] == "mirror"


# --- chains, ligands, cleaning --------------------------------------------------------------------
def test_6pt2_peptide_agonist_chain_is_the_ligand(entries: dict) -> None:
    st, info = entries["6PT2"]
    cleaned = clean_structure(st, entry=info, ligand_chain="C")  # receptor chains found from contacts
    assert cleaned.chains == ["A"] and cleaned.ligand_id == "chain C"
    assert cleaned.ligand_resname == "Peptide agonist KGCHM07"
    names = [line[17:20] for line in cleaned.ligand_pdb.splitlines() if line.startswith(("ATOM", "HETATM"))]
    assert list(dict.fromkeys(names)) == ["DI7", "DAR", "PHE", "SAR", "OXJ"]  # _entity_poly: (DI7)(DAR)F(SAR)(OXJ)
    removed = "\n".join(cleaned.removed)
    assert "chain D (peptide: Peptide agonist KGCHM07, 5 residues)" in removed
    assert "chain B (7TM receptor: Delta opioid receptor, 361 residues)" in removed
    assert "water: 3 molecules" in removed and "OLA lipid x7" in removed and "CLR lipid x1" in removed
    assert "DI7" not in removed  # the peptide's own monomers are not "hetero groups"
    receptor = gemmi.read_pdb_string(cleaned.receptor_pdb)
    assert [ch.name for ch in receptor[0]] == ["A"]
    assert all(gemmi.find_tabulated_residue(r.name).is_amino_acid() for r in receptor[0]["A"])


def test_6vi4_jdtic_and_nanobody_nb6(entries: dict) -> None:
    st, info = entries["6VI4"]
    cleaned = clean_structure(st, entry=info)  # automatic: the largest non-lipid hetero group
    assert cleaned.ligand_resname == "JDC" and cleaned.ligand_id == "A:401" and cleaned.chains == ["A"]
    assert cleaned.receptor_label == "A: Kappa opioid receptor (UNP P41145 OPRK_HUMAN)"
    removed = "\n".join(cleaned.removed)
    assert "chain C (antibody/nanobody: Nanobody 6, 118 residues)" in removed
    assert "chain D (antibody/nanobody: Nanobody 6, 117 residues)" in removed
    # by sequence alone Nb6 chain C lacks the framework-2 motif: the entity description decides
    assert classify_chain(chain_sequence(st[0]["C"])) == "protein"
    heavy = sum(1 for line in cleaned.ligand_pdb.splitlines() if line.startswith("HETATM"))
    assert heavy == 34  # C28H39N3O3


def test_5c1m_bu72_and_nanobody_39(entries: dict) -> None:
    st, info = entries["5C1M"]
    cleaned = clean_structure(st, entry=info)
    assert (cleaned.ligand_resname, cleaned.ligand_id, cleaned.chains) == ("VF1", "A:407", ["A"])
    removed = "\n".join(cleaned.removed)
    assert "chain B (antibody/nanobody: Nanobody 39, 118 residues)" in removed
    assert "modified residues reverted: YCM A57→CYS" in removed and "water: 94 molecules" in removed
    assert cleaned.receptor_label == "A: Mu-type opioid receptor (UNP P42866 OPRM_MOUSE)"


def test_4n6h_bril_fusion_is_cut_by_struct_ref_seq(entries: dict) -> None:
    st, info = entries["4N6H"]
    assert [(r.db_code, r.begin, r.end) for r in info.chain_refs("A")] == [("C562_ECOLX", 1001, 1106),
                                                                          ("OPRD_HUMAN", 36, 338)]
    cleaned = clean_structure(st, entry=info)
    assert (cleaned.ligand_resname, cleaned.ligand_id, cleaned.chains) == ("EJ4", "A:1219", ["A"])
    numbers = {r.seqid.num for r in gemmi.read_pdb_string(cleaned.receptor_pdb)[0]["A"]}
    assert min(numbers) == 36 and max(numbers) == 338  # BRIL 1001-1106 (and tags 996-1000) gone
    assert any("fusion partner BRIL" in r and "UNP P0ABE7 C562_ECOLX" in r and "A:1001-1106" in r
               for r in cleaned.removed)
    kept = clean_structure(st, entry=info, remove_fusion=False)
    assert max(r.seqid.num for r in gemmi.read_pdb_string(kept.receptor_pdb)[0]["A"]) == 1106


def test_8ef6_chain_r_morphine_and_what_is_set_aside(entries: dict) -> None:
    """The paper's mu entry: two receptor copies (R, M) each with a morphine, Gi heterotrimer, scFv16."""
    st, info = entries["8EF6"]
    cleaned = clean_structure(st, entry=info, chains=["R"], ligand="MOI")  # as the workflows ask
    assert (cleaned.chains, cleaned.ligand_id, cleaned.ligand_resname) == (["R"], "R:401", "MOI")
    assert cleaned.receptor_label == "R: Mu-type opioid receptor (UNP P35372 OPRM_HUMAN)"
    assert sum(1 for line in cleaned.ligand_pdb.splitlines() if line.startswith("HETATM")) == 21  # C17H19NO3
    removed = "\n".join(cleaned.removed)
    assert "chain M (7TM receptor: Mu-type opioid receptor, 287 residues)" in removed   # the second copy
    assert "chain E (antibody/nanobody: scFV16, 231 residues)" in removed
    assert "chain A (G protein α: Guanine nucleotide-binding protein G(i) subunit alpha-1, 225 residues)" in removed
    assert "chain B (protein: Guanine nucleotide-binding protein G(I)/G(S)/G(T) subunit beta-1" in removed
    assert "chain C (protein: Guanine nucleotide-binding protein G(I)/G(S)/G(O) subunit gamma-2" in removed
    assert "chain F (G protein α" in removed
    assert "CLR lipid x10" in removed and "MOI x1 (M:401)" in removed  # the second copy's morphine
    assert "co-crystal ligand R:401 set aside" in removed
    receptor = gemmi.read_pdb_string(cleaned.receptor_pdb)
    assert [ch.name for ch in receptor[0]] == ["R"] and not any(r.name == "MOI" for r in receptor[0]["R"])
    # no choice given: the largest non-lipid hetero group (the first MOI) and the chain it sits in
    auto = clean_structure(st, entry=info)
    assert (auto.chains, auto.ligand_id) == (["R"], "R:401")


def test_8ef6_asp3_32_is_asp149_by_sequence(cache: Cache, entries: dict) -> None:
    """D3.32 of the TM3 motif (…SIDYYNMF…): residue 149 of human MOR, read from the entity sequence and
    UniProt alignment of the file, and the same number in chain R's own residue numbering."""
    from netpharm.docking.pose.poses import find_asp332, read_receptor_atoms

    block = _block(cache, "8EF6")
    seq = next(gemmi.cif.as_string(r[1]) for r in block.find("_entity_poly.", ["entity_id",
               "pdbx_seq_one_letter_code_can"]) if r[0] == "1").replace("\n", "")
    st, info = entries["8EF6"]
    (ref,) = info.chain_refs("R")
    assert (ref.db_code, ref.accession, ref.begin) == ("OPRM_HUMAN", "P35372", 2)  # entity residue 1 = UniProt 2
    assert seq.count("SIDYYNMF") == 1 and seq.index("SIDYYNMF") + 2 + ref.begin == 149
    assert st[0]["R"]["149"][0].name == "ASP"
    cleaned = clean_structure(st, entry=info, chains=["R"], ligand="MOI")
    assert find_asp332(read_receptor_atoms(cleaned.receptor_pdb)) == "R:ASP149"


# --- co-crystal ligands: templates checked against the entry itself --------------------------------
def _formula(block: gemmi.cif.Block, code: str) -> str:
    row = next(r for r in block.find("_chem_comp.", ["id", "formula"]) if r[0] == code)
    return gemmi.cif.as_string(row[1]).replace(" ", "")


def _cip_counts(block: gemmi.cif.Block, code: str) -> tuple[int, int]:
    """(R, S) counts of the stereodescriptors in the entry's own IUPAC name ("(3R,4R)", "11cS")."""
    row = next(r for r in block.find("_chem_comp.", ["id", "name"]) if r[0] == code)
    labels = re.findall(r"\d+[a-z]*([RS])(?=[,)])", gemmi.cif.as_string(row[1]))
    return labels.count("R"), labels.count("S")


@pytest.mark.parametrize("code", sorted(TEMPLATES))
def test_ligand_template_matches_formula_crystal_and_name(cache: Cache, entries: dict, code: str) -> None:
    pdb_id, smiles = TEMPLATES[code]
    block = _block(cache, pdb_id)
    assert CalcMolFormula(Chem.MolFromSmiles(smiles)) == _formula(block, code)
    st, info = entries[pdb_id]
    mol = ligand_from_pdb_block(clean_structure(st, entry=info, ligand=code).ligand_pdb, smiles)
    rdCIPLabeler.AssignCIPLabels(mol)
    labels = [a.GetProp("_CIPCode") for a in mol.GetAtoms() if a.HasProp("_CIPCode")]
    assert (labels.count("R"), labels.count("S")) == _cip_counts(block, code)


def _from_bond_table(block: gemmi.cif.Block, code: str, pdb: str) -> Chem.Mol:
    """The crystal ligand with the bonds of the entry's own _chem_comp_bond table, stereo from 3D."""
    bonds = [r for r in block.find("_chem_comp_bond.", ["comp_id", "atom_id_1", "atom_id_2", "value_order"])
             if r[0] == code]
    crystal = Chem.MolFromPDBBlock(pdb, removeHs=False, sanitize=False, proximityBonding=False)
    index = {a.GetPDBResidueInfo().GetName().strip(): a.GetIdx() for a in crystal.GetAtoms()}
    rw = Chem.RWMol(crystal)
    order = {"SING": Chem.BondType.SINGLE, "DOUB": Chem.BondType.DOUBLE, "AROM": Chem.BondType.AROMATIC}
    for _, a, b, kind in bonds:
        a, b = gemmi.cif.as_string(a), gemmi.cif.as_string(b)
        if a in index and b in index and rw.GetBondBetweenAtoms(index[a], index[b]) is None:
            rw.AddBond(index[a], index[b], order[kind.upper()])
    from_file = rw.GetMol()
    Chem.SanitizeMol(from_file)
    Chem.AssignStereochemistryFrom3D(from_file)
    return from_file


@pytest.mark.parametrize(("code", "pdb_id", "smiles", "inchikey"), [
    ("EJ4", "4N6H", TEMPLATES["EJ4"][1], "WIYUZYBFCWCCQJ-IFKAHUTRSA-N"),
    ("MOI", *MOI, MORPHINE),
])
def test_template_equals_the_entry_bond_table(cache: Cache, entries: dict, code: str, pdb_id: str, smiles: str,
                                              inchikey: str) -> None:
    """4N6H and 8EF6 carry their ligand's _chem_comp_bond table: bond orders from the file itself agree
    with the template (8EF6: natural (-)-morphine, the ligand the paper docked)."""
    st, info = entries[pdb_id]
    pdb = clean_structure(st, entry=info, ligand=code).ligand_pdb
    from_file = _from_bond_table(_block(cache, pdb_id), code, pdb)
    templated = ligand_from_pdb_block(pdb, smiles)
    assert Chem.MolToInchiKey(from_file) == Chem.MolToInchiKey(templated) == inchikey


def test_moi_template_matches_formula_and_every_stereo_label_of_the_entry(cache: Cache, entries: dict) -> None:
    """MOI's _chem_comp.name labels only 3 of morphine's 5 stereocentres, in another numbering
    ("(7R,7AS,12BS)"); the entry's _chem_comp_atom.pdbx_stereo_config labels each atom: the templated
    cryo-EM ligand must carry the same CIP label on every one of them (C5 S, C6 R, C13 R, C14 S, C17 R)."""
    pdb_id, smiles = MOI
    block = _block(cache, pdb_id)
    assert CalcMolFormula(Chem.MolFromSmiles(smiles)) == _formula(block, "MOI") == "C17H19NO3"
    expected = {gemmi.cif.as_string(r[1]): gemmi.cif.as_string(r[2])
                for r in block.find("_chem_comp_atom.", ["comp_id", "atom_id", "pdbx_stereo_config"])
                if r[0] == "MOI" and gemmi.cif.as_string(r[2]) in ("R", "S")}
    assert expected == {"C5": "S", "C6": "R", "C13": "R", "C14": "S", "C17": "R"}
    st, info = entries[pdb_id]
    for chain in ("R", "M"):  # both copies of the entry
        pdb = clean_structure(st, entry=info, chains=[chain], ligand="MOI").ligand_pdb
        mol = ligand_from_pdb_block(pdb, smiles)
        rdCIPLabeler.AssignCIPLabels(mol)
        names = {a.GetPDBResidueInfo().GetName().strip(): a for a in mol.GetAtoms() if a.GetPDBResidueInfo()}
        got = {name: names[name].GetProp("_CIPCode") for name in expected if names[name].HasProp("_CIPCode")}
        assert got == expected, chain
        assert Chem.MolToInchiKey(mol) == MORPHINE


# --- issue 11: protonated templates, RDKit's own messages ------------------------------------------
def test_protonated_template_is_accepted_on_the_neutral_parent(entries: dict) -> None:
    st, info = entries["5C1M"]
    block = clean_structure(st, entry=info, ligand="VF1").ligand_pdb
    neutral = ligand_from_pdb_block(block, TEMPLATES["VF1"][1])
    cation = ligand_from_pdb_block(block, "COC12C=CC34CC1(C)C(c1ccccc1)NC2C31CC[NH+](C)C4Cc2ccc(O)cc21")
    assert Chem.MolToInchiKey(cation) == Chem.MolToInchiKey(neutral) == "RGJHUVJQGAAZLK-GKTFKBBASA-N"
    assert sum(a.GetFormalCharge() for a in cation.GetAtoms()) == 0  # protonated later, by netpharm's rules


def test_protonated_docking_smiles_gives_the_same_ligand() -> None:
    neutral = prepare_ligand("morphine")
    cation = prepare_ligand("C[NH+]1CC[C@]23[C@@H]4[C@H]1CC5=C2C(=C(C=C5)O)O[C@H]3[C@H](C=C4)O",
                            expected_inchikey="BQJCRHHNABKAKU-KBQPJGBKSA-N")
    assert cation.inchikey == neutral.inchikey and cation.pdbqt == neutral.pdbqt and cation.total_charge == 1.0


def test_rdkit_messages_go_to_the_log_not_stderr(capfd: pytest.CaptureFixture[str],
                                                 caplog: pytest.LogCaptureFixture) -> None:
    import netpharm.docking.prepare.ligand  # noqa: F401  (routes RDKit's logger on import)

    capfd.readouterr()
    with caplog.at_level("DEBUG", logger="rdkit"):
        assert Chem.MolFromSmiles("CN(C)(C)(C)C") is None  # pentavalent N: RDKit's own valence error
    assert "Explicit valence" not in capfd.readouterr().err
    records = [r for r in caplog.records if r.name == "rdkit" and "Explicit valence" in r.getMessage()]
    assert records and all(r.levelname == "DEBUG" for r in records)


def test_copying_the_cache_keeps_entries_resolvable(tmp_path: Path) -> None:
    """The shipped cache folder works from anywhere (a fresh clone, a CI checkout)."""
    shutil.copytree(REPO / "cache", tmp_path / "cache")
    st = load_structure("6PT2", Cache(tmp_path / "cache", offline=True))
    assert st.name == "6PT2" and [ch.name for ch in st[0]][:4] == ["A", "B", "C", "D"]


def test_8ef6_crystal_morphine_salt_bridge_to_asp149(entries: dict, tmp_path: Path) -> None:
    """The redocking findings' crystal-pose salt bridge on the real entry: MOI R:401's amine N (protonated,
    as docked) 3.667 Å from Asp149 OD1 — hand-checked on the mmCIF coordinates (N1 139.448 126.120 131.625,
    OD1 138.660 128.532 128.977)."""
    from netpharm.docking.pose.poses import read_receptor_atoms
    from netpharm.docking.pose.redock import crystal_salt_bridge
    from netpharm.docking.prepare.inputs import prepared_receptor
    from netpharm.docking.prepare.ligand import prepare_ligand_from_mol

    st, info = entries["8EF6"]
    cleaned = clean_structure(st, entry=info, chains=["R"], ligand="MOI")
    receptor = Path(prepared_receptor(cleaned, tmp_path).pdbqt_path).read_text()
    ligand = prepare_ligand_from_mol(ligand_from_pdb_block(cleaned.ligand_pdb, MOI[1]), "morphine",
                                     keep_coordinates=True)
    (tmp_path / "ligand.pdbqt").write_text(ligand.pdbqt)
    bridge = crystal_salt_bridge(tmp_path, read_receptor_atoms(receptor))
    assert (bridge.residue, bridge.asp_atom, bridge.formed) == ("R:ASP149", "OD1", True)
    assert bridge.distance == pytest.approx(3.667, abs=2e-3)


def test_the_report_draws_8ef6s_deposited_morphine_from_its_pdb_records(cache: Cache, tmp_path: Path) -> None:
    """A system's co-crystal ligand is kept as deposited PDB records (crystal_ligand.pdb); the report's 3-D store
    reads it with bonds by distance. Morphine, C17H19NO3: 21 heavy atoms; 5 rings, so 21 - 1 + 5 = 25 bonds."""
    from netpharm.docking.pose_cards import _reference_ligand

    structure = gemmi.make_structure_from_block(_block(cache, "8EF6"))
    residue = next(r for ch in structure[0] if ch.name == "R" for r in ch if r.name == "MOI")
    lines = [f"HETATM{i:5d} {a.name:<4s} MOI R 401    {a.pos.x:8.3f}{a.pos.y:8.3f}{a.pos.z:8.3f}  1.00  0.00"
             f"          {a.element.name:>2s}" for i, a in enumerate(residue, 1)]
    path = tmp_path / "crystal_ligand.pdb"
    path.write_text("\n".join(lines) + "\nEND\n", encoding="utf-8")
    shown = _reference_ligand(path)
    assert shown is not None
    assert sorted(shown["elem"].split()) == sorted(["C"] * 17 + ["N"] + ["O"] * 3)
    assert len(shown["bonds"]) == 3 * 25

"""Structure loading and cleaning on real entries (tests/data/structures/README.md)."""

from __future__ import annotations

from pathlib import Path

import gemmi
import pytest

from netpharm.errors import CacheMissError, StructureError, StructureNotFoundError
from netpharm.sources.cache import Cache
from netpharm.structures.chains import chain_sequence, classify_chain, count_tm_segments
from netpharm.structures.clean import clean_structure
from netpharm.structures.fetch import load_structure
from netpharm.structures.repair import find_clashes, repair_clashes

DATA = Path(__file__).resolve().parent / "data" / "structures"


@pytest.fixture(scope="module")
def st_8e0g() -> gemmi.Structure:
    return load_structure(DATA / "MOR_8E0G_mouse_BU72.pdb")


def _residues(pdb_text: str) -> dict[tuple[str, int], str]:
    st = gemmi.read_pdb_string(pdb_text)
    return {(ch.name, res.seqid.num): res.name for ch in st[0] for res in ch}


def test_8e0g_cleaning_keeps_receptor_sets_bu72_aside(st_8e0g: gemmi.Structure) -> None:
    cleaned = clean_structure(st_8e0g)
    assert cleaned.chains == ["A"]
    assert cleaned.ligand_resname == "VF1" and cleaned.ligand_id == "A:407"
    residues = _residues(cleaned.receptor_pdb)
    assert {chain for chain, _ in residues} == {"A"}
    assert residues[("A", 57)] == "CYS" and residues[("A", 54)] == "HIS"   # YCM57, U8S54 reverted
    assert not {"HOH", "OLC", "CLR", "VF1", "PO4", "YCM", "U8S"} & set(residues.values())
    assert len(residues) == 296                                            # the whole chain A polymer
    removed = " | ".join(cleaned.removed)
    assert "water: 68 molecules" in removed
    assert "chain B (antibody/nanobody, 118 residues)" in removed
    assert "OLC lipid x2" in removed and "CLR lipid x1" in removed
    assert "YCM A57→CYS" in removed and "U8S A54→HIS" in removed
    assert "altloc B atoms: 34" in removed
    # the YCM carboxamidomethyl and U8S hydroxyl are cut off: plain Cys/His atoms remain
    st = gemmi.read_pdb_string(cleaned.receptor_pdb)
    assert sorted(a.name for a in st[0]["A"]["57"][0]) == sorted(["N", "CA", "C", "O", "CB", "SG"])
    assert "O12" not in {a.name for a in st[0]["A"]["54"][0]}
    # BU72 kept aside with all 32 heavy atoms, in the receptor frame
    lig = gemmi.read_pdb_string(cleaned.ligand_pdb)
    assert lig[0].count_atom_sites() == 32 and lig[0][0][0].name == "VF1"


def test_8e0g_residues_contiguous_one_altloc(st_8e0g: gemmi.Structure) -> None:
    cleaned = clean_structure(st_8e0g, chains=["A"], ligand="VF1", drop_residues=["A:52-53"])
    seen: list[tuple[str, str]] = []
    for line in cleaned.receptor_pdb.splitlines():
        if line.startswith(("ATOM", "HETATM")):
            assert line[16] == " "                                   # no altloc label left
            key = (line[21], line[22:27])
            if not seen or seen[-1] != key:
                assert key not in seen, f"residue {key} interrupted"
                seen.append(key)
    assert ("A", "  52 ") not in seen and ("A", "  54 ") in seen
    assert "residues A:52-53 deleted on request (2)" in cleaned.removed


def test_auto_chain_choice_without_ligand_picks_7tm_chain(st_8e0g: gemmi.Structure) -> None:
    model = st_8e0g[0]
    receptor, nanobody = chain_sequence(model["A"]), chain_sequence(model["B"])
    assert count_tm_segments(receptor) >= 5 and count_tm_segments(nanobody) == 0
    assert classify_chain(receptor) == "7TM receptor"
    # BU72 deleted, nothing else ligand-like: the 7TM profile decides
    no_ligand = st_8e0g.clone()
    chain_a = no_ligand[0]["A"]
    for index in range(len(chain_a) - 1, -1, -1):
        if chain_a[index].name == "VF1":
            del chain_a[index]
    cleaned = clean_structure(no_ligand)
    assert cleaned.chains == ["A"] and cleaned.ligand_pdb is None


def test_processed_files_clean(tmp_path: Path) -> None:
    dor = clean_structure(load_structure(DATA / "DOR_4EJ4_mouse_naltrindole_processed.pdb"))
    assert dor.chains == ["A"] and dor.ligand_resname == "EJ4"
    assert gemmi.read_pdb_string(dor.ligand_pdb)[0].count_atom_sites() > 30
    assert not any("chain L" in r for r in dor.removed)   # the ligand's own chain is not a "chain removed"
    kor = clean_structure(load_structure(DATA / "KOR_6B73_human_receptor_processed.pdb"))
    assert kor.chains == ["A"] and kor.ligand_pdb is None and kor.removed == []


def test_missing_chain_names_available(st_8e0g: gemmi.Structure) -> None:
    with pytest.raises(StructureError, match=r"chain\(s\) R not found.*A \(296 residues\), B \(118 residues\)"):
        clean_structure(st_8e0g, chains=["R"])


def test_missing_ligand_names_het_groups(st_8e0g: gemmi.Structure) -> None:
    with pytest.raises(StructureError, match="ligand 'MOR' not found; hetero groups present: .*VF1"):
        clean_structure(st_8e0g, ligand="MOR")


def test_no_protein_is_refused() -> None:
    ligand_only = load_structure(DATA / "MOR_8EFO_ligand_8QY.pdb")
    with pytest.raises(StructureError, match="no protein chain"):
        clean_structure(ligand_only)


def test_load_errors(tmp_path: Path) -> None:
    with pytest.raises(StructureNotFoundError, match="not found"):
        load_structure(tmp_path / "absent.pdb")
    with pytest.raises(StructureNotFoundError, match="neither an existing"):
        load_structure("not-a-structure")
    bad = tmp_path / "empty.pdb"
    bad.write_text("REMARK nothing here\nEND\n")
    with pytest.raises(StructureError, match="no atoms"):
        load_structure(bad)


def test_pdb_id_offline_miss_propagates(tmp_path: Path) -> None:
    with pytest.raises(CacheMissError, match="8EF6"):
        load_structure("8EF6", cache=Cache(tmp_path, offline=True))


def test_pdb_id_read_from_cache(tmp_path: Path) -> None:
    """An mmCIF body in the cache (here gemmi's mmCIF rendering of the real 8E0G file) is parsed."""
    from netpharm.sources.rcsb import structure_request

    st = load_structure(DATA / "MOR_8E0G_mouse_BU72.pdb")
    cache = Cache(tmp_path, offline=True)
    cache.put(structure_request("8E0G"), st.make_mmcif_document().as_string().encode())
    loaded = load_structure("8e0g", cache=cache)
    assert loaded[0].count_atom_sites() == st[0].count_atom_sites()
    assert clean_structure(loaded).chains == ["A"]


def test_6b73_met226_clash_found_and_repaired() -> None:
    st = load_structure(DATA / "KOR_6B73_human_receptor_processed.pdb")
    clashes = find_clashes(st)
    worst = min(clashes, key=lambda c: c.distance)
    assert (worst.residue_a, worst.atom_a, worst.residue_b, worst.atom_b) == ("Phe A214", "CZ", "Met A226", "SD")
    assert worst.distance == pytest.approx(1.49, abs=0.01)
    repairs = repair_clashes(st)
    assert len(repairs) == 1 and repairs[0].startswith("Met A226 side chain re-placed")
    assert "χ = 180°, 60°, 60°" in repairs[0]                 # the rotamer the docking notes found
    assert find_clashes(st) == []

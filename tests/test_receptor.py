"""Receptor PDBQT preparation (PDBFixer + meeko 0.8) on real structures."""

from __future__ import annotations

from pathlib import Path

import gemmi
import pytest

from netpharm.docking.prepare.receptor import pdbqt_summary, prepare_receptor
from netpharm.errors import ReceptorPrepError
from netpharm.structures.clean import clean_structure
from netpharm.structures.fetch import load_structure

DATA = Path(__file__).resolve().parent / "data" / "structures"
AD4_RECEPTOR_TYPES = {"A", "C", "HD", "N", "NA", "OA", "SA", "S"}


def _prep(name: str, tmp_path: Path, **kwargs: object):
    return prepare_receptor(clean_structure(load_structure(DATA / name)), tmp_path, "rec", **kwargs)


def test_1iep_matches_vina_team_receptor(tmp_path: Path) -> None:
    rec = _prep("1iep_receptorH.pdb", tmp_path)
    reference = (DATA / "1iep_receptor.pdbqt").read_text()
    ref_types, ref_charge, ref_atoms = pdbqt_summary(reference)
    assert ref_charge == pytest.approx(-7.0, abs=1e-3)
    assert rec.total_charge == pytest.approx(-7.0, abs=1e-3)
    assert rec.atom_types == ref_types == ["A", "C", "HD", "N", "OA", "S", "SA"]
    assert rec.n_atoms == ref_atoms == 2702
    assert rec.hydrogens == "input" and rec.repairs == []
    assert rec.pdbqt_path.read_text().count("\nATOM") + 1 >= rec.n_atoms


def test_8efo_processed_with_hydrogens(tmp_path: Path) -> None:
    rec = _prep("MOR_8EFO_human_receptor_processed.pdb", tmp_path)
    assert set(rec.atom_types) <= AD4_RECEPTOR_TYPES and {"C", "A", "N", "OA", "HD", "SA"} <= set(rec.atom_types)
    assert rec.total_charge == pytest.approx(round(rec.total_charge), abs=1e-3)
    assert rec.total_charge == pytest.approx(13.0, abs=1e-3)
    assert rec.hydrogens == "input"
    assert rec.clean_pdb_path.exists() and rec.pdbqt_path.name == "rec.pdbqt"


def test_4ej4_needs_pdb_atom_order(tmp_path: Path) -> None:
    """4EJ4 lists Ser side chains before C/O; meeko 0.8 only matches them in PDB order."""
    rec = _prep("DOR_4EJ4_mouse_naltrindole_processed.pdb", tmp_path)
    assert rec.total_charge == pytest.approx(14.0, abs=1e-3)
    assert rec.n_atoms == 2884 and rec.hydrogens == "meeko"


def test_6b73_rotamer_repair_and_hydrogen_fallback(tmp_path: Path) -> None:
    rec = _prep("KOR_6B73_human_receptor_processed.pdb", tmp_path)
    assert any(r.startswith("Met A226 side chain re-placed") and "Phe A214 CZ was 1.49 Å" in r for r in rec.repairs)
    assert any(r.startswith("input hydrogens removed") and "ARG A:270" in r for r in rec.repairs)
    assert rec.hydrogens == "meeko"
    assert rec.total_charge == pytest.approx(6.0, abs=1e-3)
    assert set(rec.atom_types) <= AD4_RECEPTOR_TYPES
    # Met226 in the written PDB is no longer within bonding distance of Phe214
    st = gemmi.read_structure(str(rec.clean_pdb_path))
    sd = st[0]["A"]["226"][0]["SD"][0].pos
    assert min(sd.dist(a.pos) for a in st[0]["A"]["214"][0]) > 3.0


def test_6b73_without_repair_names_residues(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import netpharm.docking.prepare.receptor as receptor

    monkeypatch.setattr(receptor, "repair_clashes", lambda st: [])
    with pytest.raises(ReceptorPrepError, match=r"MET A:226"):
        _prep("KOR_6B73_human_receptor_processed.pdb", tmp_path, hydrogens="strip")


def test_8e0g_side_chains_and_reverted_residues(tmp_path: Path) -> None:
    rec = _prep("MOR_8E0G_mouse_BU72.pdb", tmp_path)
    assert rec.total_charge == pytest.approx(12.0, abs=1e-3)
    assert rec.residue_templates.get("HIE", 0) + rec.residue_templates.get("HID", 0) \
        + rec.residue_templates.get("HIP", 0) >= 1


def test_truncated_side_chain_completed(tmp_path: Path) -> None:
    """Lys/Arg side chains cut back to CB (as in many cryo-EM models) are rebuilt by PDBFixer."""
    cleaned = clean_structure(load_structure(DATA / "MOR_8E0G_mouse_BU72.pdb"))
    st = gemmi.read_pdb_string(cleaned.receptor_pdb)
    residue = st[0]["A"]["100"][0]
    for index in range(len(residue) - 1, -1, -1):
        if residue[index].name not in ("N", "CA", "C", "O", "CB"):
            del residue[index]
    cleaned.receptor_pdb = st.make_pdb_string(gemmi.PdbWriteOptions(minimal=True))
    rec = prepare_receptor(cleaned, tmp_path, "trunc")
    assert any(f"{residue.name.capitalize()} A100: side chain completed by PDBFixer" in r for r in rec.repairs)
    assert rec.total_charge == pytest.approx(12.0, abs=1e-3)
    with pytest.raises(ReceptorPrepError, match=r"A:100"):
        prepare_receptor(cleaned, tmp_path, "trunc2", complete_side_chains=False)

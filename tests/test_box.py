"""Grid boxes from real co-crystal ligands and pocket residues."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from netpharm.docking.prepare.box import (
    GridBox,
    box_from_ligand,
    box_from_residues,
    check_box_covers_receptor,
    explicit_box,
    pdb_coordinates,
)
from netpharm.errors import GridBoxError
from netpharm.structures.clean import clean_structure
from netpharm.structures.fetch import load_structure

DATA = Path(__file__).resolve().parent / "data" / "structures"


def test_npts_even_and_rounded_up() -> None:
    box = GridBox(center=(0.0, 0.0, 0.0), size=(22.5, 20.0, 20.1))
    assert box.npts == (60, 54, 54)            # 60 exactly; 53.33 → 54; 53.6 → 54
    assert box.grid_size == pytest.approx((22.5, 20.25, 20.25))
    assert GridBox((0.0, 0.0, 0.0), (15.0, 15.0, 15.0), spacing=1.0).npts == (16, 16, 16)


def test_box_from_4ej4_naltrindole() -> None:
    cleaned = clean_structure(load_structure(DATA / "DOR_4EJ4_mouse_naltrindole_processed.pdb"))
    heavy = pdb_coordinates(cleaned.ligand_pdb)
    assert len(heavy) == 31                                           # naltrindole C26H26N2O3: 31 heavy atoms
    box = box_from_ligand(cleaned.ligand_pdb, padding=8.0)
    assert box.center == pytest.approx(tuple(heavy.mean(axis=0)), abs=1e-3)
    assert box.contains(heavy).all()                                   # whole ligand inside
    extent = heavy.max(axis=0) - heavy.min(axis=0)
    assert all(s >= max(20.0, e + 16.0) - 1e-6 for s, e in zip(box.size, extent))
    assert all(n % 2 == 0 for n in box.npts)
    assert check_box_covers_receptor(box, cleaned.receptor_pdb) > 100
    assert "ligand (31 heavy atoms)" in box.source


def test_box_from_6b73_pocket_residues() -> None:
    receptor = clean_structure(load_structure(DATA / "KOR_6B73_human_receptor_processed.pdb")).receptor_pdb
    box = box_from_residues(receptor, ["ASP138", "A:139", "A:TYR320"], padding=8.0)
    assert box.source.startswith("residues ASPA138, TYRA139, TYRA320")
    # the three pocket residues' heavy atoms, by hand from the file
    rows = [line for line in receptor.splitlines() if line.startswith("ATOM") and line[22:26].strip()
            in ("138", "139", "320") and line[76:78].strip() != "H"]
    xyz = np.array([[float(r[30:38]), float(r[38:46]), float(r[46:54])] for r in rows])
    assert len(xyz) == 8 + 12 + 12
    assert box.center == pytest.approx(tuple((xyz.max(0) + xyz.min(0)) / 2), abs=1e-3)
    assert box.size == pytest.approx(tuple(np.maximum(20.0, xyz.max(0) - xyz.min(0) + 16.0)), abs=1e-3)
    assert check_box_covers_receptor(box, receptor) > 200


def test_box_residue_errors() -> None:
    receptor = clean_structure(load_structure(DATA / "KOR_6B73_human_receptor_processed.pdb")).receptor_pdb
    with pytest.raises(GridBoxError, match="'A:204' is not in the receptor"):   # crystal gap 203-205
        box_from_residues(receptor, ["A:204"])
    with pytest.raises(GridBoxError, match="residue A:138 is ASP"):
        box_from_residues(receptor, ["A:TYR138"])
    with pytest.raises(GridBoxError, match="use 'A:138'"):
        box_from_residues(receptor, ["pocket"])


def test_box_missing_the_receptor_is_refused() -> None:
    receptor = clean_structure(load_structure(DATA / "KOR_6B73_human_receptor_processed.pdb")).receptor_pdb
    far = explicit_box((500.0, 500.0, 500.0), (20.0, 20.0, 20.0))
    with pytest.raises(GridBoxError, match="contains 0 receptor atoms"):
        check_box_covers_receptor(far, receptor)


def test_explicit_box_validation() -> None:
    assert explicit_box([1, 2, 3], [20, 22, 24]).center == (1.0, 2.0, 3.0)
    with pytest.raises(GridBoxError):
        explicit_box((0, 0, 0), (20, -1, 20))
    with pytest.raises(GridBoxError):
        explicit_box((0, 0), (20, 20, 20))
    with pytest.raises(GridBoxError):
        explicit_box(("x", 0, 0), (20, 20, 20))

"""Structure files cut short (a download or copy that stopped early) are refused in one line naming the file
and the line, never docked as a smaller protein (issue 20, left open at stop 25).

Every cut file is made here from a real one: the wwPDB mmCIFs of 6VI4 (``_atom_site`` in the middle) and 8EF6
(``_atom_site`` last) recorded in the shipped ``cache/``, and the unmodified PDB-format file of 8E0G in
``tests/data/structures`` (SEQRES, REMARK 465, ANISOU records, END). What cannot be told from a complete file
is listed in :mod:`netpharm.sources.truncation`.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from netpharm.cli.main import main
from netpharm.errors import PoreAnalysisError, StructureError
from netpharm.nmda.pore_io import read_structure_file
from netpharm.sources.cache import Cache
from netpharm.sources.rcsb import structure_request
from netpharm.structures.fetch import load_structure

REPO = Path(__file__).resolve().parents[1]
STRUCTURES = REPO / "tests" / "data" / "structures"
PDB_8E0G = STRUCTURES / "MOR_8E0G_mouse_BU72.pdb"


def _cached(pdb_id: str) -> str:
    entry = Cache(REPO / "cache").get(structure_request(pdb_id))
    assert entry is not None and entry.meta["kind"] == "mirror"
    return entry.text


def _after_hash_line(text: str, category: str) -> str:
    """``text`` up to and including the ``#`` line that closes ``category``."""
    start = text.index(f"\n{category}.")
    hash_line = text.index("\n#", start) + 1
    return text[: text.index("\n", hash_line) + 1]


def _lines(text: str) -> int:
    return text.rstrip().count("\n") + 1


def _one_error_line(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("netpharm: error: ") and "Traceback" not in err, err
    return err


# --- mmCIF -----------------------------------------------------------------------------------------------
def test_fault_truncated_mmcif_cut_after_a_hash_line_names_the_file_and_line(tmp_path: Path) -> None:
    cut = _after_hash_line(_cached("6VI4"), "_atom_site")  # every atom there, the categories after it lost
    path = tmp_path / "6VI4.cif"
    path.write_text(cut)
    with pytest.raises(StructureError) as caught:
        load_structure(path)
    assert str(caught.value) == (
        f"{path}: truncated mmCIF file, ends at line {_lines(cut)} without _pdbx_audit_revision_history, "
        "_pdbx_poly_seq_scheme, _pdbx_nonpoly_scheme, _pdbx_entity_nonpoly, which a wwPDB entry with these "
        "entities always holds; use a complete copy (download it again)")


def test_fault_truncated_mmcif_cut_inside_the_atom_sites_at_a_line_end(tmp_path: Path) -> None:
    text = _cached("8EF6")  # _atom_site is its last category
    cut = text[: text.rindex("\n", 0, len(text) - 200_000) + 1]
    path = tmp_path / "8EF6.cif"
    path.write_text(cut)
    with pytest.raises(StructureError, match=rf"^{path}: truncated mmCIF file, cut at line {_lines(cut)} inside "
                                             r"category _atom_site \(not closed by a '#' line\)"):
        load_structure(path)


def test_fault_truncated_mmcif_without_hash_lines_shows_against_what_its_header_promises(tmp_path: Path) -> None:
    """Written without '#' separators (as some programs do), a cut at a row end of 8EF6's atom sites shows only
    against _struct_asym, which lists every instance with atoms."""
    text = "".join(line for line in _cached("8EF6").splitlines(keepends=True) if line.strip() != "#")
    cut = text[: text.rindex("\n", 0, len(text) - 400_000) + 1]
    path = tmp_path / "8EF6.cif"
    path.write_text(cut)
    with pytest.raises(StructureError, match=rf"ends at line {_lines(cut)} although _struct_asym lists 14 "
                                             r"instance\(s\) with no atoms in _atom_site \(F, G, H, I, J \.\.\.\)"):
        load_structure(path)


def test_fault_truncated_mmcif_cut_mid_row_is_one_line(tmp_path: Path) -> None:
    text = _cached("6VI4")
    path = tmp_path / "6VI4.cif"
    path.write_text(text[: text.index("\nATOM", len(text) // 3) + 30])  # inside an atom row's values
    with pytest.raises(StructureError) as caught:
        load_structure(path)
    message = str(caught.value)  # gemmi's position said as a line, without the offending text it appends
    atom_sites = text[: text.index("\n_atom_site.group_PDB")].count("\n") + 1  # the loop_ line opening them
    assert message == (f"{path}: cannot be parsed as CIF (line {atom_sites}: Wrong number of values in loop "
                       "_atom_site.*)"), message


def test_pdb_file_named_cif_is_read_as_what_it_is(tmp_path: Path) -> None:
    path = tmp_path / "8E0G.cif"
    path.write_bytes(PDB_8E0G.read_bytes())
    assert load_structure(path)[0].count_atom_sites() == load_structure(PDB_8E0G)[0].count_atom_sites()


# --- PDB format ------------------------------------------------------------------------------------------
def _pdb_cut(tmp_path: Path, atom: int, column: int | None) -> tuple[Path, int]:
    """8E0G cut before its ``atom``-th ATOM record, or inside it at ``column`` (no line end); the cut's line."""
    lines = PDB_8E0G.read_text().split("\n")
    at = [n for n, line in enumerate(lines) if line.startswith("ATOM  ")][atom]
    text = "\n".join(lines[:at]) + "\n" + (lines[at][:column] if column else "")
    path = tmp_path / "cut.pdb"
    path.write_text(text)
    return path, at + 1 if column else at


@pytest.mark.parametrize("column, words", [
    (40, "ATOM record cut at column 40 (coordinates incomplete)"),
    (60, "the last ATOM record stops at column 60 without a line end (every other one reaches column 78)"),
], ids=["inside-the-coordinates", "after-the-coordinates"])
def test_fault_truncated_pdb_cut_mid_record_names_the_line(tmp_path: Path, column: int, words: str) -> None:
    path, line = _pdb_cut(tmp_path, 1000, column)
    with pytest.raises(StructureError) as caught:
        load_structure(path)
    assert str(caught.value) == f"{path}: truncated PDB file, line {line}: {words}; use a complete copy " \
                                "(download it again)"


@pytest.mark.parametrize("atom, words", [
    (1000, "inside chain A: SEQRES lists 296 residues, the file holds 131 and REMARK 465 calls 0 unobserved"),
    (3000, "inside chain B: SEQRES lists 125 residues, the file holds 81 and REMARK 465 calls 7 unobserved"),
], ids=["chain-A", "chain-B"])
def test_fault_truncated_pdb_cut_between_records_shows_against_seqres(tmp_path: Path, atom: int, words: str) -> None:
    path, line = _pdb_cut(tmp_path, atom, None)
    with pytest.raises(StructureError, match=rf"^{path}: truncated PDB file, ends at line {line} without an END "
                                             rf"record, {words}"):
        load_structure(path)


def test_complete_shipped_structures_are_not_called_truncated() -> None:
    for path in sorted(STRUCTURES.glob("*.pdb")):
        assert load_structure(path)[0].count_atom_sites() > 0, path
    for pdb_id in ("8EF6", "6VI4", "6PT2", "5C1M", "7EU8", "4N6H"):
        assert load_structure(pdb_id, Cache(REPO / "cache", offline=True))[0].count_atom_sites() > 1000


# --- commands: one line, exit 2, nothing written -----------------------------------------------------------
def test_fault_truncated_receptor_is_refused_by_dock_before_any_run_folder(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path, line = _pdb_cut(tmp_path, 3000, None)
    out = tmp_path / "run"
    assert main(["dock", "--receptor", str(path), "--ligand", "morphine", "--box-center", "0", "0", "0",
                 "--box-size", "20", "20", "20", "--out", str(out)]) == 2
    err = _one_error_line(capsys)
    assert f"system cut: {path}: truncated PDB file, ends at line {line} without an END record" in err
    assert not out.exists()


def test_fault_truncated_structure_is_refused_by_nmda_and_init(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    cut = _after_hash_line(_cached("6VI4"), "_atom_site")
    path = tmp_path / "6VI4.cif"
    path.write_text(cut)
    with pytest.raises(PoreAnalysisError, match=rf"^{path}: truncated structure file, ends at line {_lines(cut)}"):
        read_structure_file(path)
    assert main(["nmda", str(path), "--out", str(tmp_path / "pore")]) == 2
    assert f"{path}: truncated structure file" in _one_error_line(capsys)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "genes.txt").write_text("GRIN1\nGRIN2B\n")
    assert main(["init", "study", "--targets", "genes.txt", "--receptor", "6VI4.cif"]) == 2
    err = _one_error_line(capsys)
    assert "--receptor 6VI4.cif: not a readable PDB/mmCIF structure (truncated mmCIF file, ends at line" in err
    assert not (tmp_path / "study").exists() and not (tmp_path / "pore").exists()


def test_fault_truncated_mirror_copy_is_refused_before_it_is_recorded(tmp_path: Path) -> None:
    from netpharm.errors import InputError
    from netpharm.sources.rcsb import record_mirrored_entry

    cut = _after_hash_line(_cached("6VI4"), "_atom_site")
    path = tmp_path / "6VI4.cif"
    path.write_text(cut)
    mirror = {"repo": "hzk597955516/mmcif_data", "commit": "x", "path": "6VI4.cif"}
    with pytest.raises(InputError, match=rf"^{path}: a truncated mmCIF file, ends at line {_lines(cut)} without "):
        record_mirrored_entry(path, "6VI4", Cache(tmp_path / "cache"), mirror)
    assert not (tmp_path / "cache").exists()

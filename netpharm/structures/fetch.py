"""Load a macromolecular structure from a PDB id (RCSB, cached) or a local PDB/mmCIF file.

gemmi (Wojdyr 2022, JOSS 7:4200) reads both formats into one model; every later step
(cleaning, box, receptor preparation) works on :class:`gemmi.Structure`.
"""

from __future__ import annotations

import logging
from pathlib import Path

import gemmi

from netpharm.errors import StructureError, StructureNotFoundError
from netpharm.io import read_text_file
from netpharm.sources.cache import Cache
from netpharm.sources.constants import is_pdb_id
from netpharm.sources.http import HttpClient
from netpharm.sources.rcsb import fetch_structure
from netpharm.sources.truncation import mmcif_truncation, parse_problem, pdb_truncation
from netpharm.structures.entry import EntryInfo, entry_info_from_block

__all__ = ["load_structure", "load_entry", "read_structure_text"]

log = logging.getLogger(__name__)

_PDB_RECORDS = ("ATOM  ", "HETATM", "HEADER", "CRYST1", "MODEL ", "REMARK", "SEQRES", "COMPND", "TITLE ")
_SUFFIXES = (".pdb", ".ent", ".cif", ".mmcif", ".pdb.gz", ".cif.gz", ".ent.gz")


def load_structure(source: str | Path, cache: Cache | None = None,
                   http: HttpClient | None = None) -> gemmi.Structure:
    """Return the structure named by ``source``.

    Parameters
    ----------
    source : str or Path
        A 4-character PDB id (fetched as mmCIF from RCSB through ``cache``) or the path of
        a local ``.pdb``/``.cif`` file (optionally gzipped).
    cache : Cache, optional
        Needed for PDB ids; offline caches raise :class:`~netpharm.errors.CacheMissError`
        on a miss (propagated unchanged).
    http : HttpClient, optional
        Client used on a cache miss.

    Raises
    ------
    StructureNotFoundError
        The file does not exist, or RCSB does not know the id.
    StructureError
        The file cannot be parsed or holds no atoms.
    """
    text_source = str(source)
    path = Path(source)
    if isinstance(source, Path) or text_source.lower().endswith(_SUFFIXES) or path.exists():
        structure = _read_file(path)
    elif is_pdb_id(text_source):
        if cache is None:
            raise StructureError(f"PDB id {text_source.upper()} needs a cache to be fetched from RCSB")
        entry = fetch_structure(text_source, cache, http)
        structure = read_structure_text(entry.text, f"RCSB {text_source.upper()}.cif", fmt="cif")
    else:
        raise StructureNotFoundError(
            f"{text_source!r} is neither an existing .pdb/.cif file nor a PDB id (e.g. 8EF6)")
    log.info("loaded %s: %d model(s), chains %s", text_source, len(structure),
             ",".join(ch.name for ch in structure[0]))
    return structure


def load_entry(source: str | Path, cache: Cache | None = None,
               http: HttpClient | None = None) -> tuple[gemmi.Structure, EntryInfo]:
    """:func:`load_structure` plus what the mmCIF entry says about its chains.

    The entry facts (entity descriptions, ``_struct_ref_seq`` ranges) are empty for PDB files.
    """
    structure = load_structure(source, cache, http)
    text_source = str(source)
    block = None
    if is_pdb_id(text_source) and not Path(source).exists() and cache is not None:
        # a second cache read of the same verified body; parsing is what costs, and it is needed
        entry = fetch_structure(text_source, cache, http)
        block = gemmi.cif.read_string(entry.text).sole_block()
    elif structure.input_format == gemmi.CoorFormat.Mmcif:  # by content: a PDB file named .cif has no block
        try:
            block = gemmi.cif.read(str(source)).sole_block()
        except (RuntimeError, ValueError) as exc:
            raise StructureError(f"{source}: cannot be parsed as mmCIF ({parse_problem(exc)})") from exc
    return structure, (entry_info_from_block(block, structure) if block is not None else EntryInfo())


def _read_file(path: Path) -> gemmi.Structure:
    if not path.exists():
        raise StructureNotFoundError(f"structure file not found: {path}")
    # The shared reader gives one line for a folder, an unreadable, binary or non-UTF-8 file
    # (gemmi would accept some of them and fail later with a less helpful message).
    text = read_text_file(path, "structure file", StructureError, allow_gzip=path.suffix == ".gz")
    text = text.removeprefix("\ufeff")  # gemmi would read a byte-order mark into the first record
    stem = path.name[:-3] if path.suffix == ".gz" else path.name
    fmt = _format(text, stem)
    structure = _parse(text, str(path), fmt)
    structure.merge_chain_parts()  # as gemmi.read_structure does: a chain's ligands and waters join it
    if fmt == "pdb":
        structure.name = Path(stem).stem  # as gemmi names a file it reads itself
    return _finish(structure, str(path))


def _format(text: str, name: str) -> str:
    """``cif`` or ``pdb``: by the content (a ``data_`` block, PDB records), else by the file's extension."""
    if text.lstrip().startswith("data_"):
        return "cif"
    if any(line.startswith(_PDB_RECORDS) for line in text.splitlines()[:2000]):
        return "pdb"  # a PDB file named .cif is read as what it is
    return "cif" if name.lower().endswith((".cif", ".mmcif")) else "pdb"


def read_structure_text(text: str, label: str, fmt: str = "pdb") -> gemmi.Structure:
    """Parse PDB or mmCIF text (``fmt`` = ``pdb`` | ``cif``); ``label`` names it in errors.

    Raises
    ------
    StructureError
        The text does not parse, holds no atoms, or shows it was cut short (a download or copy
        that stopped early would otherwise be docked as a smaller protein; see
        :mod:`netpharm.sources.truncation` for what can be told).
    """
    return _finish(_parse(text, label, fmt), label)


def _parse(text: str, label: str, fmt: str) -> gemmi.Structure:
    """gemmi's reading of ``text``, refused when it shows it was cut short."""
    block = None
    try:
        if fmt == "cif":
            block = gemmi.cif.read_string(text).sole_block()
            cut = mmcif_truncation(text, block)
        else:
            cut = pdb_truncation(text)  # before gemmi, which would read a record cut short as a smaller one
        if cut:
            raise StructureError(f"{label}: truncated {'mmCIF' if fmt == 'cif' else 'PDB'} file, {cut}; "
                                 "use a complete copy (download it again)")
        structure = gemmi.make_structure_from_block(block) if block is not None else gemmi.read_pdb_string(text)
    except (RuntimeError, ValueError) as exc:
        raise StructureError(f"{label}: cannot be parsed as {fmt.upper()} ({parse_problem(exc)})") from exc
    return structure


def _finish(structure: gemmi.Structure, label: str) -> gemmi.Structure:
    if len(structure) == 0 or structure[0].count_atom_sites() == 0:
        raise StructureError(f"{label}: no atoms")
    if not structure.name:
        structure.name = Path(label).stem
    # Processed files (no SEQRES/HETATM headers) need entities to tell polymer from ligand.
    structure.setup_entities()
    return structure

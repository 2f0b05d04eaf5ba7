"""Load a macromolecular structure from a PDB id (RCSB, cached) or a local PDB/mmCIF file.

gemmi (Wojdyr 2022, JOSS 7:4200) reads both formats into one model; every later step
(cleaning, box, receptor preparation) works on :class:`gemmi.Structure`.
"""

from __future__ import annotations

import logging
from pathlib import Path

import gemmi

from netpharm.errors import StructureError, StructureNotFoundError
from netpharm.sources.cache import Cache
from netpharm.sources.constants import is_pdb_id
from netpharm.sources.http import HttpClient
from netpharm.sources.rcsb import fetch_structure

__all__ = ["load_structure", "read_structure_text"]

log = logging.getLogger(__name__)

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


def _read_file(path: Path) -> gemmi.Structure:
    if not path.is_file():
        raise StructureNotFoundError(f"structure file not found: {path}")
    try:
        structure = gemmi.read_structure(str(path))
    except (RuntimeError, ValueError) as exc:
        raise StructureError(f"{path}: cannot be parsed as PDB/mmCIF ({exc})") from exc
    return _finish(structure, str(path))


def read_structure_text(text: str, label: str, fmt: str = "pdb") -> gemmi.Structure:
    """Parse PDB or mmCIF text (``fmt`` = ``pdb`` | ``cif``); ``label`` names it in errors."""
    try:
        if fmt == "cif":
            structure = gemmi.make_structure_from_block(gemmi.cif.read_string(text).sole_block())
        else:
            structure = gemmi.read_pdb_string(text)
    except (RuntimeError, ValueError) as exc:
        raise StructureError(f"{label}: cannot be parsed as {fmt.upper()} ({exc})") from exc
    return _finish(structure, label)


def _finish(structure: gemmi.Structure, label: str) -> gemmi.Structure:
    if len(structure) == 0 or structure[0].count_atom_sites() == 0:
        raise StructureError(f"{label}: no atoms")
    if not structure.name:
        structure.name = Path(label).stem
    # Processed files (no SEQRES/HETATM headers) need entities to tell polymer from ligand.
    structure.setup_entities()
    return structure

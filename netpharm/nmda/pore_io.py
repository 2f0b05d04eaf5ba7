"""Reading a structure for the pore analysis, with the entry's own subunit names.

An RCSB mmCIF names each polymer entity (``_entity.pdbx_description``), its UniProt accession
(``_struct_ref.pdbx_db_accession``) and its author chains (``_entity_poly.pdbx_strand_id``), so
GluN1 and GluN2B are told apart by what the entry says, not by chain letters. A PDB-format file
carries no such mapping here; the analysis then infers the subunit type from the N-site.
"""

from __future__ import annotations

import re
from pathlib import Path

import gemmi

from netpharm.errors import PoreAnalysisError, StructureNotFoundError
from netpharm.io import read_text_file
from netpharm.sources.truncation import mmcif_truncation, parse_problem, pdb_truncation

__all__ = ["read_structure_text", "read_structure_file", "subunit_labels_from_cif", "UNIPROT_SUBUNITS"]

# Human NMDA receptor subunits by UniProt accession (GRIN1 and GRIN2B).
UNIPROT_SUBUNITS = {"Q05586": "GluN1", "Q13224": "GluN2B"}

_DESCRIPTIONS = (
    (re.compile(r"GluN1|NMDA[ -]?(receptor )?(subunit )?(1|zeta[- ]?1)\b|\bNR1\b", re.I), "GluN1"),
    (re.compile(r"GluN2B|NMDA[ -]?(receptor )?(subunit )?(2B|epsilon[- ]?2)\b|\bNR2B\b", re.I), "GluN2B"),
    (re.compile(r"GluN2A|NMDA[ -]?(receptor )?(subunit )?(2A|epsilon[- ]?1)\b|\bNR2A\b", re.I), "GluN2A"),
)


def subunit_labels_from_cif(block: gemmi.cif.Block) -> dict[str, str]:
    """Author chain → GluN1/GluN2B(/GluN2A) from an mmCIF block's UniProt references or descriptions."""
    by_entity: dict[str, str] = {}
    refs = block.find("_struct_ref.", ["entity_id", "pdbx_db_accession"])
    for row in refs:
        accession = gemmi.cif.as_string(row[1]).split("-")[0]
        if accession in UNIPROT_SUBUNITS:
            by_entity[gemmi.cif.as_string(row[0])] = UNIPROT_SUBUNITS[accession]
    for row in block.find("_entity.", ["id", "pdbx_description"]):
        entity, text = gemmi.cif.as_string(row[0]), gemmi.cif.as_string(row[1])
        for pattern, name in _DESCRIPTIONS:
            if entity not in by_entity and pattern.search(text):
                by_entity[entity] = name
    labels: dict[str, str] = {}
    for row in block.find("_entity_poly.", ["entity_id", "pdbx_strand_id"]):
        entity = gemmi.cif.as_string(row[0])
        if entity in by_entity:
            for chain in gemmi.cif.as_string(row[1]).split(","):
                labels[chain.strip()] = by_entity[entity]
    return labels


def read_structure_text(text: str, name: str, label: str = "") -> tuple[gemmi.Structure, dict[str, str]]:
    """Parse mmCIF (or PDB) text; return the structure and the entry's chain → subunit names.

    ``label`` names the text in errors (the file), ``name`` by default.
    """
    label = label or name
    try:
        if text.lstrip().startswith("data_"):
            block = gemmi.cif.read_string(text).sole_block()
            cut = mmcif_truncation(text, block)
            structure = gemmi.make_structure_from_block(block)
            labels = subunit_labels_from_cif(block)
        else:
            cut = pdb_truncation(text)  # before gemmi, which reads a record cut short as a smaller one
            structure = gemmi.read_pdb_string(text) if not cut else gemmi.Structure()
            labels = {}
    except (RuntimeError, ValueError) as exc:
        raise PoreAnalysisError(f"{label}: cannot parse the structure ({parse_problem(exc)})") from exc
    if cut:  # a pore measured on a file cut short would miss subunits or residues
        raise PoreAnalysisError(f"{label}: truncated structure file, {cut}; use a complete copy")
    if len(structure) == 0 or structure[0].count_atom_sites() == 0:  # gemmi reads any text as a PDB file
        raise PoreAnalysisError(f"{label}: no atoms (not a PDB/mmCIF structure file)")
    structure.name = name
    structure.setup_entities()
    return structure, labels


def read_structure_file(path: Path | str) -> tuple[gemmi.Structure, dict[str, str]]:
    """Read a user's PDB/mmCIF file (gzip allowed) with the same labelling as :func:`read_structure_text`."""
    path = Path(path)
    if not path.exists():
        raise StructureNotFoundError(f"structure file not found: {path}")
    text = read_text_file(path, "structure file", PoreAnalysisError, allow_gzip=path.suffix == ".gz")
    stem = path.name.split(".")[0]
    return read_structure_text(text, stem, str(path))

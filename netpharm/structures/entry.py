"""What an mmCIF entry says about its chains: entity descriptions, sequence references, revision.

gemmi's :class:`gemmi.Structure` keeps entities and their subchains but not the
``_entity.pdbx_description`` ("Nanobody 6", "Peptide agonist KGCHM07") nor the
``_struct_ref``/``_struct_ref_seq`` mapping of residue ranges to UniProt entries
(OPRK_HUMAN, or C562_ECOLX = the BRIL fusion of 4N6H). Both are read here from the mmCIF
block, so chain selection and cleaning can name what they keep and remove, and cut an
engineered fusion partner out of a receptor chain. PDB-format files carry none of this:
:func:`read_entry_info` then returns an empty :class:`EntryInfo`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import gemmi

__all__ = ["DbRef", "EntryInfo", "read_entry_info", "entry_info_from_block", "FUSION_PARTNERS"]

#: Soluble proteins fused into GPCRs to help crystallisation (UniProt entry names). They are
#: part of the receptor's polymer chain but not of the receptor.
FUSION_PARTNERS: dict[str, str] = {
    "C562_ECOLX": "BRIL (thermostabilised cytochrome b562)",
    "ENLYS_BPT4": "T4 lysozyme",
    "LYS_BPT4": "T4 lysozyme",
    "RUBR_CLOPA": "rubredoxin",
    "GLGA_PYRAB": "PGS (Pyrococcus glycogen synthase domain)",
    "FLAV_DESVH": "flavodoxin",
}


@dataclass(frozen=True)
class DbRef:
    """One ``_struct_ref_seq`` row: author residues ``begin``..``end`` of ``chain`` map to ``db_code``."""

    chain: str
    entity_id: str
    db_name: str
    db_code: str
    accession: str
    begin: int
    end: int

    @property
    def fusion_partner(self) -> str:
        """Name of the crystallisation fusion partner this range is, or ``""``."""
        return FUSION_PARTNERS.get(self.db_code.upper(), "")

    def label(self) -> str:
        return f"{self.db_name} {self.accession} {self.db_code}".strip()


@dataclass(frozen=True)
class EntryInfo:
    """Entry-level facts of an mmCIF file (all empty for PDB-format input)."""

    entry_id: str = ""
    descriptions: dict[str, str] = field(default_factory=dict)  # entity id -> _entity.pdbx_description
    chain_entity: dict[str, str] = field(default_factory=dict)  # author chain -> entity id
    refs: tuple[DbRef, ...] = ()

    def description(self, chain: str) -> str:
        """``_entity.pdbx_description`` of the entity ``chain`` belongs to ("" when unknown)."""
        return self.descriptions.get(self.chain_entity.get(chain, ""), "")

    def chain_refs(self, chain: str) -> list[DbRef]:
        return [ref for ref in self.refs if ref.chain == chain]

    def uniprot(self, chain: str) -> str:
        """"UNP P41145 OPRK_HUMAN" for the chain's non-fusion UniProt reference, else ""."""
        refs = [r for r in self.chain_refs(chain) if r.db_name == "UNP" and not r.fusion_partner]
        return refs[0].label() if refs else ""


def _clean(value: str) -> str:
    return "" if value in ("?", ".") else gemmi.cif.as_string(value).strip()


def _int(value: str) -> int | None:
    match = re.match(r"-?\d+", _clean(value))
    return int(match.group()) if match else None


def read_entry_info(text: str, structure: gemmi.Structure | None = None) -> EntryInfo:
    """Entity descriptions, chain→entity map and sequence references of an mmCIF entry.

    Parameters
    ----------
    text : str
        The mmCIF text (PDB text gives an empty result).
    structure : gemmi.Structure, optional
        The parsed model, used for the chain→entity map (``label_entity_id`` of each residue).
    """
    try:
        block = gemmi.cif.read_string(text).sole_block()
    except (RuntimeError, ValueError):
        return EntryInfo()
    return entry_info_from_block(block, structure)


def entry_info_from_block(block: gemmi.cif.Block, structure: gemmi.Structure | None = None) -> EntryInfo:
    """:func:`read_entry_info` on an already parsed mmCIF block."""
    descriptions = {row[0]: _clean(row[1]) for row in block.find("_entity.", ["id", "pdbx_description"])}
    chain_entity: dict[str, str] = {}
    if structure is not None and len(structure):
        for chain in structure[0]:
            for residue in chain:
                if residue.entity_type == gemmi.EntityType.Polymer and residue.entity_id:
                    chain_entity.setdefault(chain.name, residue.entity_id)
    ref_entity = {row[0]: row for row in block.find("_struct_ref.", ["id", "entity_id", "db_name", "db_code",
                                                                        "pdbx_db_accession"])}
    refs = []
    for row in block.find("_struct_ref_seq.", ["ref_id", "pdbx_strand_id", "pdbx_auth_seq_align_beg",
                                                "pdbx_auth_seq_align_end"]):
        ref = ref_entity.get(row[0])
        begin, end = _int(row[2]), _int(row[3])
        if ref is None or begin is None or end is None:
            continue
        refs.append(DbRef(chain=_clean(row[1]), entity_id=_clean(ref[1]), db_name=_clean(ref[2]),
                          db_code=_clean(ref[3]), accession=_clean(ref[4]), begin=begin, end=end))
        chain_entity.setdefault(refs[-1].chain, refs[-1].entity_id)
    entry_id = _clean(block.find_value("_entry.id") or "") or block.name
    return EntryInfo(entry_id=entry_id.upper(), descriptions=descriptions, chain_entity=chain_entity,
                     refs=tuple(refs))

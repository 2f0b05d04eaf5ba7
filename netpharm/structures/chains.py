"""Which chains are the receptor: classification of protein chains and automatic selection.

Cryo-EM GPCR entries (8EF6, 6PT2, 6VI4...) carry G-protein subunits, scFv16 and nanobodies
next to the receptor, and the G-protein α subunit is *longer* than the receptor, so "the
longest chain" is wrong there. The receptor is found, in order of preference, as

1. the polymer chain(s) in contact with the named co-crystal ligand,
2. a chain with a seven-transmembrane hydropathy profile (Kyte & Doolittle 1982, J Mol Biol
   157:105; 19-residue window, mean ≥ 1.6 marks a membrane-spanning segment),
3. the longest protein chain.

Written by hand because no installed library classifies chains this way; the motifs are the
textbook ones (immunoglobulin V-domain "W-[FY]-R-[QR]" framework 2 after a Cys, Gα P-loop).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

import gemmi

from netpharm.errors import StructureError
from netpharm.structures.residues import MODIFIED_PARENT

__all__ = ["chain_sequence", "is_protein_residue", "protein_chains", "classify_chain",
           "count_tm_segments", "ligand_contacts", "select_receptor_chains"]

_KD = {"A": 1.8, "R": -4.5, "N": -3.5, "D": -3.5, "C": 2.5, "Q": -3.5, "E": -3.5, "G": -0.4,
       "H": -3.2, "I": 4.5, "L": 3.8, "K": -3.9, "M": 1.9, "F": 2.8, "P": -1.6, "S": -0.8,
       "T": -0.7, "W": -0.9, "Y": -1.3, "V": 4.2}
_IG_V_DOMAIN = re.compile(r"C.{8,16}W[FYVIL][RQK][QRK]")
_IG_CYS_92 = re.compile(r"[YF][YFH]C")
_G_ALPHA_PLOOP = re.compile(r"G.GESGK[ST]T")
_CONTACT_RADIUS = 4.5


def is_protein_residue(residue: gemmi.Residue) -> bool:
    """True for standard and known modified amino acids."""
    info = gemmi.find_tabulated_residue(residue.name)
    return (info is not None and info.is_amino_acid()) or residue.name in MODIFIED_PARENT


def chain_sequence(chain: gemmi.Chain) -> str:
    """One-letter sequence of the chain's amino-acid residues (modified → parent letter, else X)."""
    letters = []
    for residue in chain:
        if not is_protein_residue(residue):
            continue
        info = gemmi.find_tabulated_residue(MODIFIED_PARENT.get(residue.name, residue.name))
        code = info.one_letter_code.upper() if info is not None else "X"
        letters.append(code if code.isalpha() else "X")
    return "".join(letters)


def protein_chains(model: gemmi.Model) -> dict[str, int]:
    """Chain name → number of amino-acid residues, for chains with at least one."""
    counts: dict[str, int] = {}
    for chain in model:
        n = sum(1 for residue in chain if is_protein_residue(residue))
        if n:
            counts[chain.name] = counts.get(chain.name, 0) + n
    return counts


def count_tm_segments(sequence: str, window: int = 19, threshold: float = 1.6) -> int:
    """Number of hydrophobic membrane-spanning segments (Kyte-Doolittle hydropathy)."""
    values = [_KD.get(letter, 0.0) for letter in sequence]
    segments, inside = 0, False
    for start in range(0, max(0, len(values) - window + 1)):
        hydrophobic = sum(values[start:start + window]) / window >= threshold
        if hydrophobic and not inside:
            segments += 1
        inside = hydrophobic
    return segments


_DESCRIBED = ((re.compile(r"nanobody|antibody|\bfab\b|scfv|\bnb\d|heavy chain|light chain", re.I), "antibody/nanobody"),
              (re.compile(r"peptide", re.I), "peptide"),
              (re.compile(r"guanine nucleotide-binding protein g\([a-z/]+\) subunit alpha", re.I), "G protein α"))
_PEPTIDE_MAX = 30


def classify_chain(sequence: str, description: str = "") -> str:
    """A short label for reports: "7TM receptor", "antibody/nanobody", "G protein α", "peptide", "protein".

    ``description`` is the entity's ``_entity.pdbx_description`` when the file has one
    ("Nanobody 6", "Peptide agonist KGCHM07"): the depositors' word beats a sequence motif
    (6VI4's Nb6 chain C lacks the W-[FY]-R-[QR] framework motif the sequence rule looks for).
    """
    if count_tm_segments(sequence) >= 5:
        return "7TM receptor"
    for pattern, label in _DESCRIBED:
        if description and pattern.search(description):
            return label
    if 0 < len(sequence) <= _PEPTIDE_MAX:
        return "peptide"
    if count_tm_segments(sequence) >= 5:
        return "7TM receptor"
    if len(sequence) < 300 and _IG_V_DOMAIN.search(sequence) and _IG_CYS_92.search(sequence):
        return "antibody/nanobody"
    if _G_ALPHA_PLOOP.search(sequence):
        return "G protein α"
    return "protein"


def ligand_contacts(model: gemmi.Model, ligand: gemmi.Residue) -> Counter[str]:
    """Protein atoms within 4.5 Å of the ligand's atoms, counted per chain."""
    # An empty unit cell: no symmetry images (processed files carry dummy 1 Å CRYST1 cells).
    search = gemmi.NeighborSearch(model, gemmi.UnitCell(), 6.0).populate()
    counts: Counter[str] = Counter()
    for atom in ligand:
        for mark in search.find_atoms(atom.pos, "\0", radius=_CONTACT_RADIUS):
            cra = mark.to_cra(model)
            if is_protein_residue(cra.residue):
                counts[cra.chain.name] += 1
    return counts


def select_receptor_chains(model: gemmi.Model, chains: Sequence[str] | None,
                           ligand: gemmi.Residue | None) -> tuple[list[str], str]:
    """Return the receptor chain names and how they were chosen.

    Raises
    ------
    StructureError
        No protein chain, or a requested chain is absent (available chains named).
    """
    available = protein_chains(model)
    if not available:
        raise StructureError("no protein chain in the structure (only ligands/waters/nucleic acids)")
    if chains:
        missing = [name for name in chains if name not in available]
        if missing:
            raise StructureError(f"chain(s) {', '.join(missing)} not found; protein chains available: "
                                 f"{', '.join(f'{k} ({v} residues)' for k, v in available.items())}")
        return list(dict.fromkeys(chains)), "requested"
    if ligand is not None:
        contacts = ligand_contacts(model, ligand)
        if contacts:
            best = max(contacts.values())
            # a ligand at an interface (e.g. between NMDA subunits) keeps every chain it really touches
            chosen = [name for name, n in contacts.most_common() if n >= 0.25 * best]
            return chosen, f"in contact with ligand {ligand.name}"
    sequences = {chain.name: chain_sequence(chain) for chain in model if chain.name in available}
    seven_tm = [name for name, seq in sequences.items() if classify_chain(seq) == "7TM receptor"]
    if seven_tm:
        return [max(seven_tm, key=lambda name: available[name])], "seven-transmembrane hydropathy profile"
    return [max(available, key=lambda name: available[name])], "longest protein chain"

"""Fixed-column fields of PDB and PDBQT ATOM/HETATM records: the one place the columns are written down.

PDB format v3.3 §ATOM (wwPDB): name 13–16, residue name 18–20, chain 22, residue number 23–26,
insertion code 27, x/y/z 31–38/39–46/47–54, element 77–78. PDBQT (AutoDock 4, Morris et al.
2009) keeps columns 1–66 and adds the partial charge in 71–76 and the AutoDock atom type in
78–79. Written by hand because these are slices of one line, and gemmi/RDKit would need a
whole parsed structure for a field.
"""

from __future__ import annotations

__all__ = ["is_atom", "atom_name", "residue_name", "chain_id", "residue_number", "insertion_code", "xyz",
           "pdb_element", "pdbqt_charge", "pdbqt_type"]


def is_atom(line: str) -> bool:
    """An ATOM or HETATM record."""
    return line.startswith(("ATOM", "HETATM"))


def atom_name(line: str) -> str:
    """Atom name (columns 13–16)."""
    return line[12:16].strip()


def residue_name(line: str) -> str:
    """Residue name (columns 18–20)."""
    return line[17:20].strip()


def chain_id(line: str) -> str:
    """Chain identifier (column 22)."""
    return line[21].strip() if len(line) > 21 else ""


def residue_number(line: str) -> int:
    """Residue sequence number (columns 23–26)."""
    return int(line[22:26])


def insertion_code(line: str) -> str:
    """Insertion code (column 27), ``""`` when blank."""
    return line[26].strip() if len(line) > 26 else ""


def xyz(line: str) -> tuple[float, float, float]:
    """Orthogonal coordinates (Å); ``ValueError`` when the columns do not hold numbers."""
    return float(line[30:38]), float(line[38:46]), float(line[46:54])


def pdb_element(line: str) -> str:
    """PDB element symbol (columns 77–78), ``""`` when absent."""
    return line[76:78].strip() if len(line) >= 78 else ""


def pdbqt_charge(line: str) -> float:
    """PDBQT partial charge (columns 71–76)."""
    return float(line[70:76])


def pdbqt_type(line: str) -> str:
    """AutoDock 4 atom type (columns 78–79: ``C``, ``A``, ``OA``, ``HD``...)."""
    return line[77:79].strip()

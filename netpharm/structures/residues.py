"""Residue tables: standard amino-acid heavy atoms, modified-residue parents, side-chain χ angles.

The atom names follow the wwPDB Chemical Component Dictionary (PDB v3 names). They are
written out here, rather than read from a monomer library, because gemmi's library is
not installed offline and these 20 residues never change.
"""

from __future__ import annotations

__all__ = ["AMINO_ACID_ATOMS", "MODIFIED_PARENT", "CHI_ATOMS", "ATOM_RENAMES", "WATER_NAMES",
           "LIPID_NAMES", "ADDITIVE_NAMES", "canonical_atom_rank"]

#: Heavy atoms of the 20 standard amino acids, in the order of the PDB's own files
#: (backbone N, CA, C, O first, then the side chain outwards; OXT only at C-termini).
AMINO_ACID_ATOMS: dict[str, tuple[str, ...]] = {
    "ALA": ("N", "CA", "C", "O", "CB"),
    "ARG": ("N", "CA", "C", "O", "CB", "CG", "CD", "NE", "CZ", "NH1", "NH2"),
    "ASN": ("N", "CA", "C", "O", "CB", "CG", "OD1", "ND2"),
    "ASP": ("N", "CA", "C", "O", "CB", "CG", "OD1", "OD2"),
    "CYS": ("N", "CA", "C", "O", "CB", "SG"),
    "GLN": ("N", "CA", "C", "O", "CB", "CG", "CD", "OE1", "NE2"),
    "GLU": ("N", "CA", "C", "O", "CB", "CG", "CD", "OE1", "OE2"),
    "GLY": ("N", "CA", "C", "O"),
    "HIS": ("N", "CA", "C", "O", "CB", "CG", "ND1", "CD2", "CE1", "NE2"),
    "ILE": ("N", "CA", "C", "O", "CB", "CG1", "CG2", "CD1"),
    "LEU": ("N", "CA", "C", "O", "CB", "CG", "CD1", "CD2"),
    "LYS": ("N", "CA", "C", "O", "CB", "CG", "CD", "CE", "NZ"),
    "MET": ("N", "CA", "C", "O", "CB", "CG", "SD", "CE"),
    "PHE": ("N", "CA", "C", "O", "CB", "CG", "CD1", "CD2", "CE1", "CE2", "CZ"),
    "PRO": ("N", "CA", "C", "O", "CB", "CG", "CD"),
    "SER": ("N", "CA", "C", "O", "CB", "OG"),
    "THR": ("N", "CA", "C", "O", "CB", "OG1", "CG2"),
    "TRP": ("N", "CA", "C", "O", "CB", "CG", "CD1", "CD2", "NE1", "CE2", "CE3", "CZ2", "CZ3", "CH2"),
    "TYR": ("N", "CA", "C", "O", "CB", "CG", "CD1", "CD2", "CE1", "CE2", "CZ", "OH"),
    "VAL": ("N", "CA", "C", "O", "CB", "CG1", "CG2"),
}

#: Common modified residues and their parent amino acid. The parent keeps only the atoms it
#: owns (the modification is cut off). U8S is the hydroxy-imidazoline "His" that 8E0G links
#: to BU72; YCM is carboxamidomethyl-Cys (8E0G Cys57); MSE is selenomethionine.
MODIFIED_PARENT: dict[str, str] = {
    "MSE": "MET", "YCM": "CYS", "U8S": "HIS", "CSO": "CYS", "CSD": "CYS", "CME": "CYS",
    "CSS": "CYS", "CAS": "CYS", "OCS": "CYS", "SEP": "SER", "TPO": "THR", "PTR": "TYR",
    "MLY": "LYS", "MLZ": "LYS", "M3L": "LYS", "KCX": "LYS", "ALY": "LYS", "LLP": "LYS",
    "HYP": "PRO", "HIC": "HIS", "NEP": "HIS", "MHO": "MET", "CGU": "GLU", "PCA": "GLN",
    "TYS": "TYR", "NLE": "LEU", "SCH": "CYS", "CSX": "CYS", "SMC": "CYS",
}

#: Atoms renamed when reverting (selenium of MSE becomes the sulfur of Met).
ATOM_RENAMES: dict[str, dict[str, tuple[str, str]]] = {"MSE": {"SE": ("SD", "S")}}

#: Side-chain dihedrals (χ1...χn) as atom quadruples; the last three define the rotation axis
#: and the atoms that move (everything further out along the side chain).
CHI_ATOMS: dict[str, tuple[tuple[str, str, str, str], ...]] = {
    "ARG": (("N", "CA", "CB", "CG"), ("CA", "CB", "CG", "CD"), ("CB", "CG", "CD", "NE"),
            ("CG", "CD", "NE", "CZ")),
    "ASN": (("N", "CA", "CB", "CG"), ("CA", "CB", "CG", "OD1")),
    "ASP": (("N", "CA", "CB", "CG"), ("CA", "CB", "CG", "OD1")),
    "CYS": (("N", "CA", "CB", "SG"),),
    "GLN": (("N", "CA", "CB", "CG"), ("CA", "CB", "CG", "CD"), ("CB", "CG", "CD", "OE1")),
    "GLU": (("N", "CA", "CB", "CG"), ("CA", "CB", "CG", "CD"), ("CB", "CG", "CD", "OE1")),
    "HIS": (("N", "CA", "CB", "CG"), ("CA", "CB", "CG", "ND1")),
    "ILE": (("N", "CA", "CB", "CG1"), ("CA", "CB", "CG1", "CD1")),
    "LEU": (("N", "CA", "CB", "CG"), ("CA", "CB", "CG", "CD1")),
    "LYS": (("N", "CA", "CB", "CG"), ("CA", "CB", "CG", "CD"), ("CB", "CG", "CD", "CE"),
            ("CG", "CD", "CE", "NZ")),
    "MET": (("N", "CA", "CB", "CG"), ("CA", "CB", "CG", "SD"), ("CB", "CG", "SD", "CE")),
    "PHE": (("N", "CA", "CB", "CG"), ("CA", "CB", "CG", "CD1")),
    "SER": (("N", "CA", "CB", "OG"),),
    "THR": (("N", "CA", "CB", "OG1"),),
    "TRP": (("N", "CA", "CB", "CG"), ("CA", "CB", "CG", "CD1")),
    "TYR": (("N", "CA", "CB", "CG"), ("CA", "CB", "CG", "CD1")),
    "VAL": (("N", "CA", "CB", "CG1"),),
}

WATER_NAMES = frozenset({"HOH", "WAT", "DOD", "H2O", "TIP", "TIP3", "SOL"})

#: Membrane lipids and detergents seen in GPCR structures (reported as "lipid").
LIPID_NAMES = frozenset({"OLC", "OLA", "OLB", "CLR", "MPG", "PLM", "PEF", "POV", "PCW", "LDA",
                         "Y01", "D10", "D12", "HTG", "LMT", "BNG", "PEE", "PGW", "CHD", "UNL",
                         "1WV", "2CV", "R16", "POPC", "POP", "LPP", "DGA"})

#: Crystallisation additives, buffers and ions: never the ligand of interest.
ADDITIVE_NAMES = frozenset({"SO4", "PO4", "GOL", "EDO", "PEG", "PGE", "PG4", "P6G", "1PE", "2PE",
                            "ACT", "ACE", "NH2", "FMT", "DMS", "MPD", "TRS", "EPE", "MES", "CIT",
                            "BME", "IPA", "EOH", "NA", "CL", "K", "MG", "CA", "ZN", "MN", "IOD",
                            "BR", "NI", "CO", "CU", "CD", "NO3", "SCN", "PEO", "TAR", "MLI",
                            "UNX", "HEZ", "BU3", "GLC", "NAG", "NDG", "MAN", "BMA", "FUC"})

def canonical_atom_rank(resname: str, atom_name: str, original_index: int) -> tuple[int, int]:
    """Sort key putting a residue's atoms in PDB order (backbone first).

    meeko 0.8's template matching of heavy-atom-only residues depends on atom order: 4EJ4's
    Ser37 written N, CA, CB, OG, C, O fails ("excess inter-residue bond") while the PDB order
    N, CA, C, O, CB, OG matches. Hydrogens and unknown atoms keep their relative order at the end.
    """
    names = AMINO_ACID_ATOMS.get(resname)
    if names and atom_name in names:
        return (names.index(atom_name), original_index)
    if atom_name == "OXT":
        return (len(names or ()), original_index)
    return (100, original_index)

"""Symmetry-corrected RMSD of a docked pose against the crystal pose (heavy atoms).

Redocking success is judged by the RMSD of the docked ligand to its co-crystal pose in
the receptor frame, *without* superposition (Morris et al. 2009; the usual 2.0 Å
criterion). Symmetric groups (carboxylates, phenyl rings, N-methyl piperazine) make a
plain atom-order RMSD too pessimistic (1IEP imatinib: 0.91 Å by atom order, 0.38 Å
symmetry-corrected), so RDKit's ``rdMolAlign.CalcRMS`` is used: it enumerates the
graph automorphisms and takes the best mapping, and does not align the molecules.
"""

from __future__ import annotations

import numpy as np
from rdkit import Chem
from rdkit.Chem import rdMolAlign

__all__ = ["symmetry_rmsd", "order_rmsd", "heavy_skeleton"]


def heavy_skeleton(mol: Chem.Mol) -> Chem.Mol:
    """Heavy-atom graph with every bond single and no charges or aromatic flags.

    Docking programs and crystal files disagree on bond orders, protonation and
    aromaticity (PDBQT carries none); atom identity and connectivity are what the RMSD
    mapping needs.
    """
    rw = Chem.RWMol(Chem.RemoveHs(mol, sanitize=False))
    for atom in rw.GetAtoms():
        atom.SetFormalCharge(0)
        atom.SetIsAromatic(False)
        atom.SetNoImplicit(True)
        atom.SetNumExplicitHs(0)
    for bond in rw.GetBonds():
        bond.SetBondType(Chem.BondType.SINGLE)
        bond.SetIsAromatic(False)
    out = rw.GetMol()
    out.UpdatePropertyCache(strict=False)
    return out


def symmetry_rmsd(probe: Chem.Mol, reference: Chem.Mol, probe_conf: int = -1, ref_conf: int = -1) -> float:
    """Heavy-atom RMSD (Å) between two poses of the same molecule, symmetry-corrected,
    in place (no alignment).

    Parameters
    ----------
    probe, reference : rdkit.Chem.Mol
        Molecules with 3D conformers in the same (receptor) frame; hydrogens are ignored.
    probe_conf, reference_conf : int
        Conformer ids (-1 = default).

    Raises
    ------
    ValueError
        When the two molecules do not have the same heavy-atom graph.
    """
    a, b = heavy_skeleton(probe), heavy_skeleton(reference)
    if a.GetNumAtoms() != b.GetNumAtoms():
        raise ValueError(f"different heavy-atom counts: {a.GetNumAtoms()} vs {b.GetNumAtoms()}")
    if not a.HasSubstructMatch(b):
        raise ValueError("the pose and the reference are not the same molecular graph")
    return float(rdMolAlign.CalcRMS(a, b, probe_conf, ref_conf))


def order_rmsd(probe_xyz: np.ndarray, ref_xyz: np.ndarray) -> float:
    """Plain RMSD by atom order (Å): what AutoDock's RMSD table reports without symmetry."""
    p, r = np.asarray(probe_xyz, float), np.asarray(ref_xyz, float)
    if p.shape != r.shape:
        raise ValueError(f"coordinate shapes differ: {p.shape} vs {r.shape}")
    return float(np.sqrt(((p - r) ** 2).sum(axis=1).mean()))

"""Side-chain repairs before receptor preparation: PDBFixer completion and a rotamer scan for clashes.

meeko infers bonds between residues from distance (1.2 × the sum of covalent radii, as in
``meeko.polymer.find_inter_mols_bonds``), so two side chains that overlap look bonded and the
residues match no template ("excess inter-residue bond(s)"). The processed 6B73 file has Met226
SD 1.49 Å from Phe214 CZ (PDBFixer rebuilds the same clash). A χ-angle scan over staggered
rotamers (60°, 180°, 300°; Lovell et al. 2000, Proteins 40:389) that maximises the clearance
from the neighbouring atoms fixes it. Written by hand because PDBFixer has no rotamer search
and no rotamer library package is installable here.
"""

from __future__ import annotations

import io
import itertools
import logging
from dataclasses import dataclass
from typing import Any

import gemmi
import numpy as np

from netpharm.errors import ReceptorPrepError
from netpharm.structures.residues import CHI_ATOMS

__all__ = ["Clash", "find_clashes", "repair_clashes", "complete_side_chains", "residue_label"]

log = logging.getLogger(__name__)

#: Covalent radii (Å) as in meeko 0.8 ``utils/covalent_radius_table.py`` (Cordero et al. 2008).
_COVALENT_RADIUS = {"H": 0.31, "C": 0.76, "N": 0.71, "O": 0.66, "S": 1.05, "SE": 1.20, "P": 1.07}
_BOND_ALLOWANCE = 1.2
_STAGGERED = (60.0, 180.0, 300.0)
_MIN_CLEARANCE = 2.8
_DEPTH = {"A": 0, "B": 1, "G": 2, "D": 3, "E": 4, "Z": 5, "H": 6}


@dataclass(frozen=True)
class Clash:
    """Two atoms of different residues close enough for meeko to bond them."""

    residue_a: str
    atom_a: str
    residue_b: str
    atom_b: str
    distance: float


def residue_label(chain: str, residue: gemmi.Residue) -> str:
    """``Met A226`` style label used in reports and errors."""
    return f"{residue.name.capitalize()} {chain}{residue.seqid.num}{residue.seqid.icode.strip()}"


def _radius(atom: gemmi.Atom) -> float:
    return _COVALENT_RADIUS.get(atom.element.name.upper(), 0.77)


def _expected_bond(chain_a: str, atom_a: str, chain_b: str, atom_b: str) -> bool:
    names = {atom_a, atom_b}
    if names == {"C", "N"} and chain_a == chain_b:
        return True  # peptide bond (also across a numbering jump)
    return names == {"SG"}  # disulfide


def find_clashes(st: gemmi.Structure) -> list[Clash]:
    """Inter-residue heavy-atom pairs that meeko would read as bonds but are not peptide/disulfide bonds."""
    model = st[0]
    search = gemmi.NeighborSearch(model, gemmi.UnitCell(), 4.0).populate()
    clashes = []
    for chain in model:
        for residue in chain:
            for atom in residue:
                if atom.is_hydrogen():
                    continue
                for mark in search.find_atoms(atom.pos, "\0", radius=2.6):
                    cra = mark.to_cra(model)
                    if cra.residue is residue or cra.atom.is_hydrogen() or (
                            cra.chain.name, cra.residue.seqid.num) <= (chain.name, residue.seqid.num):
                        continue
                    distance = atom.pos.dist(cra.atom.pos)
                    limit = _BOND_ALLOWANCE * (_radius(atom) + _radius(cra.atom))
                    if distance < limit and not _expected_bond(chain.name, atom.name, cra.chain.name,
                                                                cra.atom.name):
                        clashes.append(Clash(residue_label(chain.name, residue), atom.name,
                                             residue_label(cra.chain.name, cra.residue), cra.atom.name,
                                             round(distance, 2)))
    return clashes


def _depth(atom_name: str) -> int:
    return _DEPTH.get(atom_name[1:2], 0) if len(atom_name) > 1 else 0


def _rotate(points: np.ndarray, origin: np.ndarray, axis: np.ndarray, angle: float) -> np.ndarray:
    """Rodrigues rotation of ``points`` about the line through ``origin`` along ``axis``."""
    k = axis / np.linalg.norm(axis)
    v = points - origin
    cos, sin = np.cos(angle), np.sin(angle)
    return origin + v * cos + np.cross(k, v) * sin + np.outer(v @ k, k) * (1 - cos)


def _dihedral(p: np.ndarray) -> float:
    b0, b1, b2 = p[0] - p[1], p[2] - p[1], p[3] - p[2]
    b1 = b1 / np.linalg.norm(b1)
    v = b0 - (b0 @ b1) * b1
    w = b2 - (b2 @ b1) * b1
    return float(np.arctan2(np.cross(b1, v) @ w, v @ w))


def _set_chis(names: list[str], xyz: np.ndarray, resname: str, chis: tuple[float, ...]) -> np.ndarray:
    out = xyz.copy()
    index = {name: i for i, name in enumerate(names)}
    for quad, target in zip(CHI_ATOMS[resname], chis):
        p = out[[index[n] for n in quad]]
        moving = [i for i, n in enumerate(names) if _depth(n) > _depth(quad[2]) and n not in ("C", "O", "OXT")]
        delta = np.radians(target) - _dihedral(p)
        out[moving] = _rotate(out[moving], p[2], p[2] - p[1], delta)
    return out


def _scan(model: gemmi.Model, chain: gemmi.Chain, residue: gemmi.Residue) -> tuple[float, tuple[float, ...], np.ndarray]:
    """Best staggered rotamer of ``residue``: (clearance Å, χ angles, new heavy-atom coordinates)."""
    heavy = [a for a in residue if not a.is_hydrogen()]
    names = [a.name for a in heavy]
    quads = CHI_ATOMS.get(residue.name, ())
    if not quads or any(n not in names for quad in quads for n in quad):
        return 0.0, (), np.empty((0, 3))
    xyz = np.array([a.pos.tolist() for a in heavy])
    centre = residue["CA"][0].pos
    search = gemmi.NeighborSearch(model, gemmi.UnitCell(), 5.0).populate()
    others = np.array([m.pos.tolist() for m in search.find_atoms(centre, "\0", radius=16.0)
                       if not m.to_cra(model).atom.is_hydrogen() and m.to_cra(model).residue is not residue
                       and not (m.to_cra(model).chain.name == chain.name
                                and m.to_cra(model).residue.seqid == residue.seqid)])
    side = [i for i, n in enumerate(names) if _depth(n) >= _DEPTH["G"]]
    best: tuple[float, tuple[float, ...], Any] = (-1.0, (), xyz)
    for chis in itertools.product(_STAGGERED, repeat=len(quads)):
        trial = _set_chis(names, xyz, residue.name, chis)
        gaps = np.linalg.norm(trial[side][:, None, :] - others[None, :, :], axis=2)
        clearance = float(gaps.min())
        if clearance > best[0] + 1e-6:  # best: (clearance, chi angles, coordinates)
            best = (clearance, chis, trial)
    return best


def repair_clashes(st: gemmi.Structure) -> list[str]:
    """Re-place side chains that meeko would bond to a neighbour; return what was done.

    For each clash the side chain (of the two residues) whose best staggered rotamer gives the
    larger clearance is moved; its hydrogens are removed (meeko adds them back from its
    templates).

    Raises
    ------
    ReceptorPrepError
        No rotamer of either residue clears ``2.8 Å`` (residues named).
    """
    repairs: list[str] = []
    for _ in range(10):  # each pass fixes one residue; clashes are rare
        clashes = find_clashes(st)
        if not clashes:
            return repairs
        clash = min(clashes, key=lambda c: c.distance)
        model = st[0]
        options = []
        for chain in model:
            for residue in chain:
                label = residue_label(chain.name, residue)
                if label in (clash.residue_a, clash.residue_b):
                    clearance, chis, xyz = _scan(model, chain, residue)
                    options.append((clearance, len(chis), label, chis, xyz, residue))
        clearance, _, label, chis, xyz, residue = max(options, key=lambda o: (o[0], o[1]))
        if clearance < _MIN_CLEARANCE:
            raise ReceptorPrepError(
                f"residues {clash.residue_a} and {clash.residue_b} overlap ({clash.atom_a}–{clash.atom_b} "
                f"{clash.distance} Å: meeko would bond them, 'excess inter-residue bond') and no staggered "
                f"rotamer clears them; delete one with drop_residues or fix the file")
        _apply(residue, xyz)
        chi_text = ", ".join(f"{c:.0f}°" for c in chis)
        repairs.append(f"{label} side chain re-placed by rotamer scan (χ = {chi_text}; clearance {clearance:.1f} Å): "
                       f"{clash.residue_a} {clash.atom_a} was {clash.distance} Å from {clash.residue_b} {clash.atom_b}")
        log.info("repair: %s", repairs[-1])
    raise ReceptorPrepError(f"too many side-chain clashes to repair: {find_clashes(st)[:5]}")


def _apply(residue: gemmi.Residue, xyz: np.ndarray) -> None:
    for index in range(len(residue) - 1, -1, -1):
        if residue[index].is_hydrogen():
            del residue[index]
    for atom, position in zip(residue, xyz):
        atom.pos = gemmi.Position(*position)


def complete_side_chains(st: gemmi.Structure) -> list[str]:
    """Add missing side-chain heavy atoms with PDBFixer (Eastman et al. 2017, PLoS Comput Biol 13:e1005659).

    ``st`` is edited in place; only the completed residues change (their hydrogens are dropped so
    meeko rebuilds them). Missing loops and terminal OXT atoms are *not* added (meeko has
    templates for termini without OXT) and no hydrogens are added (meeko cannot match PDBFixer's
    hydrogen names). Returns one line per completed residue.
    """
    from openmm.app import PDBFile  # imported lazily: OpenMM is an optional dependency
    from pdbfixer import PDBFixer

    heavy = st.clone()
    heavy.remove_hydrogens()
    options = gemmi.PdbWriteOptions(minimal=True)
    options.cryst1_record = False
    fixer = PDBFixer(pdbfile=io.StringIO(heavy.make_pdb_string(options)))
    fixer.findMissingResidues()
    fixer.missingResidues = {}
    fixer.findMissingAtoms()
    fixer.missingTerminals = {}
    if not fixer.missingAtoms:
        return []
    notes = [f"{res.name.capitalize()} {res.chain.id}{res.id}: side chain completed by PDBFixer "
             f"(+{', '.join(a.name for a in atoms)})" for res, atoms in fixer.missingAtoms.items()]
    wanted = {(res.chain.id, res.id.strip(), res.insertionCode.strip()) for res in fixer.missingAtoms}
    fixer.addMissingAtoms(seed=0)
    out = io.StringIO()
    PDBFile.writeFile(fixer.topology, fixer.positions, out, keepIds=True)
    rebuilt = gemmi.read_pdb_string(out.getvalue())
    new_residues = {(chain.name, str(res.seqid.num), res.seqid.icode.strip()): res
                    for chain in rebuilt[0] for res in chain}
    for chain in st[0]:
        for residue in chain:
            key = (chain.name, str(residue.seqid.num), residue.seqid.icode.strip())
            if key in wanted and key in new_residues:
                for index in range(len(residue) - 1, -1, -1):
                    del residue[index]
                for atom in new_residues[key]:
                    if not atom.is_hydrogen():
                        residue.add_atom(atom)
    return notes

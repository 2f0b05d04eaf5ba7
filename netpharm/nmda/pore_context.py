"""What surrounds the N-site: side chains the model leaves out, and molecules bound in the pore.

* **Missing side chains.** A cryo-EM model may stop a side chain at Cβ or Cα (7EU8: GluN2B Asn615 of
  chain B has only its Cα). Such a residue in the site is reported with the atoms it lacks and what that
  leaves unknown — it is never rebuilt silently: the wall is then thinner than drawn, the ring may lack a
  member, and a placed ion may sit where that side chain would be. The expected atoms are the wwPDB
  Chemical Component Dictionary names of :data:`netpharm.structures.residues.AMINO_ACID_ATOMS`.
* **Pore ligands.** A non-polymer molecule (not water, not an ion) whose centroid lies within
  ``pore_radial_cutoff`` of the axis inside the profiled span — e.g. S-ketamine (JC9) in 7EU8's
  vestibule — with its height relative to the N-site ring and the residues closest to it (scipy KD-tree).
"""

from __future__ import annotations

from collections.abc import Mapping

import gemmi
import numpy as np
from scipy.spatial import cKDTree

from netpharm.nmda.config import NmdaConfig
from netpharm.nmda.pore_model import AtomTable, Contact, MissingSideChain, PoreAxis, PoreLigand, RingGeometry
from netpharm.structures.residues import AMINO_ACID_ATOMS

__all__ = ["missing_side_chains", "pore_ligands", "pore_view_pdb", "SITE_RADIUS", "CONTACT_RADIUS", "VIEW_RADIUS"]

#: Å from the N-site ring centre within which a residue (any modelled atom) belongs to the site.
SITE_RADIUS = 8.0
#: Å: residues with an atom this close to a pore ligand are listed as its closest residues.
CONTACT_RADIUS = 4.5
#: Å from the axis, and the axis span around the N-site, of the residues the 3-D view shows.
VIEW_RADIUS = 11.0
_VIEW_SPAN = (-14.0, 8.0)


def missing_side_chains(model: gemmi.Model, axis: PoreAxis, nsite: RingGeometry,
                        windows: Mapping[str, tuple[int, int]]) -> tuple[MissingSideChain, ...]:
    """Standard residues of the N-site region missing side-chain atoms (an Asn of the N-site window is flagged)."""
    centre = np.asarray(axis.point(nsite.z))
    ring = {(r.chain, r.resnum) for r in nsite.residues}
    out = []
    for chain in model:
        low, high = windows.get(chain.name, (0, -1))
        for res in chain:
            expected = AMINO_ACID_ATOMS.get(res.name)
            if expected is None or res.seqid.num is None:
                continue
            present = tuple(a.name for a in res)
            missing = tuple(a for a in expected[4:] if a not in present)  # side chain: after N, CA, C, O
            if not missing:
                continue
            in_window = res.name == "ASN" and low <= res.seqid.num <= high
            near = min(float(np.linalg.norm(np.asarray(a.pos.tolist()) - centre)) for a in res) <= SITE_RADIUS
            if near:
                number = str(res.seqid.num)
                out.append(MissingSideChain(chain.name, res.name, number, present, missing, in_window,
                                            _limits(res.name, chain.name, number, in_window,
                                                    (chain.name, number) in ring)))
    return tuple(out)


def _limits(resname: str, chain: str, number: str, in_window: bool, in_ring: bool) -> str:
    name = f"{chain}/{resname.title()}{number}"
    if in_ring:
        return (f"{name} is an N-site ring member placed by its backbone: the ring radius and any ion contact "
                "with its side chain are unknown")
    if in_window:
        return (f"{name} is an asparagine of the N-site loop with no side chain modelled: the ring is incomplete "
                "(its amide, a possible Mg²⁺ ligand and pore-wall atom, is not in the model), so the pore may be narrower and "
                "a placed ion may sit where that side chain would be; it is not imputed")
    return (f"{name} lies in the N-site region without its full side chain: the pore wall there is thinner "
            "than modelled; not imputed")


def pore_ligands(atoms: AtomTable, axis: PoreAxis, nsite: RingGeometry, z_range: tuple[float, float],
                 cfg: NmdaConfig) -> tuple[PoreLigand, ...]:
    """Non-polymer molecules in the pore, their height relative to the N-site and their closest residues."""
    groups: dict[tuple[str, str, str], list[int]] = {}
    for i in np.flatnonzero(~atoms.is_protein & ~atoms.is_water):
        groups.setdefault((atoms.chain[i], atoms.resname[i], atoms.resnum[i]), []).append(int(i))
    tree = cKDTree(atoms.xyz[atoms.is_protein])
    protein = np.flatnonzero(atoms.is_protein)
    out = []
    for (chain, resname, resnum), members in groups.items():
        if len(members) == 1:  # a monatomic ion (Mg²⁺ has its own analysis), not a bound molecule
            continue
        xyz = atoms.xyz[members]
        centroid = xyz.mean(axis=0)
        z, radial = float(axis.z(centroid)), float(axis.radial(centroid))
        if radial > cfg.pore_radial_cutoff or not z_range[0] <= z <= z_range[1]:
            continue
        heights = axis.z(xyz) - nsite.z
        gap = 0.0 if heights.min() <= 0.0 <= heights.max() else float(np.min(np.abs(heights)))
        out.append(PoreLigand(f"{resname} {chain}/{resnum}", resname, z - nsite.z, float(heights.min()),
                              float(heights.max()), radial, gap,
                              _closest_residues(atoms, members, tree, protein)))
    return tuple(sorted(out, key=lambda p: p.z))


def _closest_residues(atoms: AtomTable, members: list[int], tree: cKDTree,
                      protein: np.ndarray) -> tuple[tuple[Contact, str], ...]:
    best: dict[tuple[str, str], tuple[float, int, int]] = {}
    for m in members:
        for j in tree.query_ball_point(atoms.xyz[m], CONTACT_RADIUS):
            i = int(protein[j])
            d = float(np.linalg.norm(atoms.xyz[i] - atoms.xyz[m]))
            key = (atoms.chain[i], atoms.resnum[i])
            if key not in best or (d, i, m) < best[key]:
                best[key] = (d, i, m)
    ordered = sorted(best.values())
    return tuple((Contact(atoms.chain[i], atoms.resname[i], atoms.resnum[i], atoms.atom[i], d), atoms.atom[m])
                 for d, i, m in ordered)


def pore_view_pdb(model: gemmi.Model, axis: PoreAxis, nsite: RingGeometry,
                  ligands: tuple[PoreLigand, ...]) -> str:
    """PDB text of the pore around the N-site: residues with an atom within :data:`VIEW_RADIUS` of the axis
    in the span from above the bound ligands (or 14 Å extracellular) to 8 Å intracellular of the ring."""
    low = min([_VIEW_SPAN[0], *(g.z_min - 3.0 for g in ligands)]) + nsite.z
    high = _VIEW_SPAN[1] + nsite.z
    keep = {tuple(g.ligand.split(" ")[1].split("/")) for g in ligands}
    view = gemmi.Structure()
    out_model = gemmi.Model(1)
    for chain in model:
        kept = gemmi.Chain(chain.name)
        for res in chain:
            xyz = np.asarray([a.pos.tolist() for a in res])
            z, radial = axis.z(xyz), axis.radial(xyz)
            if (chain.name, str(res.seqid.num)) in keep or bool(np.any((radial <= VIEW_RADIUS) & (z >= low) & (z <= high))):
                kept.add_residue(res)
        if len(kept):
            out_model.add_chain(kept)
    view.add_model(out_model)
    view.setup_entities()
    return view.make_pdb_string(gemmi.PdbWriteOptions(minimal=True))

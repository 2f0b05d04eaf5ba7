"""Mg²⁺ sites of an NMDA receptor: classification, coordination shells, placement, depth δ.

9IYP (Huang et al., Neuron 2025) carries Mg²⁺ at site I, in the selectivity filter where the N-site
asparagine ring (GluN1 Asn616, GluN2B Asn615/Asn616) coordinates it — the voltage-dependent block —
and at sites II/III in the GluN2B amino-terminal domain. Each observed ion is classified from geometry
alone (distance from the pore axis, height relative to the N-site ring, which domain its neighbours
belong to). When no ion is observed at site I (9IYQ, 7EU8, or a user's structure) one is *placed*
where it can sit (:mod:`netpharm.nmda.pore_placement`), and labelled so: a placed ion is a hypothesis,
never an observation.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import gemmi
import numpy as np

from netpharm.nmda.config import NmdaConfig
from netpharm.nmda.pore_model import (
    AtomTable,
    Classification,
    Contact,
    Coordination,
    MembraneSpan,
    MgSite,
    PoreAxis,
    RingGeometry,
)

__all__ = ["classify_mg_sites", "contacts_of", "coordination_of", "capable_atoms", "contact_at", "INNER_ATOMS",
           "OUTER_ATOMS", "INNER_SPHERE", "OUTER_SPHERE", "INNER_CLEARANCE", "OUTER_CLEARANCE"]

_LEADING_INT = re.compile(r"^-?\d+")

#: Mg–ligand distance window (Å) of a direct (inner-sphere) ligand, and the clearance of every other atom.
INNER_SPHERE = (2.0, 2.3)
INNER_CLEARANCE = 2.8
#: Mg–ligand distance window (Å) across the water shell (outer-sphere), and the room the shell needs.
OUTER_SPHERE = (4.0, 4.5)
OUTER_CLEARANCE = 3.5

#: Side-chain atoms that can be a direct ligand of Mg²⁺ (oxygens; His ring nitrogens).
INNER_ATOMS = {("ASN", "OD1"), ("GLN", "OE1"), ("ASP", "OD1"), ("ASP", "OD2"), ("GLU", "OE1"), ("GLU", "OE2"),
                ("SER", "OG"), ("THR", "OG1"), ("TYR", "OH"), ("HIS", "ND1"), ("HIS", "NE2")}
#: Side-chain atoms that can hydrogen-bond a first-shell water (the above plus amide and indole N–H).
OUTER_ATOMS = INNER_ATOMS | {("ASN", "ND2"), ("GLN", "NE2"), ("TRP", "NE1")}



def classify_mg_sites(atoms: AtomTable, axis: PoreAxis, nsite: RingGeometry, membrane: MembraneSpan,
                      motif_starts: Mapping[str, int], cfg: NmdaConfig) -> tuple[MgSite, ...]:
    """Every Mg²⁺ of the model, classified (placing one at an empty site I is the caller's next step).

    Classification (first that applies):

    * ``pore_site_I`` — within ``pore_radial_cutoff`` of the axis, inside the M3 span, and within
      ``site_height_tolerance`` of the N-site ring plane;
    * ``pore`` — within the radial cut-off and the span, elsewhere along the axis;
    * ``ntd`` — a channel-subunit residue within the second shell lies at least
      ``ntd_residues_before_motif`` residues N-terminal of the gate motif (amino-terminal domain);
    * ``other``.
    """
    sites = []
    for index in np.flatnonzero(np.asarray(atoms.element) == "Mg"):
        xyz = atoms.xyz[index]
        direct, second = contacts_of(atoms, xyz, cfg, exclude=int(index))
        z, radial = float(axis.z(xyz)), float(axis.radial(xyz))
        kind = _classify(z, radial, direct + second, nsite, membrane, motif_starts, cfg)
        distances = np.linalg.norm(atoms.xyz - xyz, axis=1)
        distances[index] = np.inf
        mode, ligands, nearest = _observed_coordination(atoms, distances)
        sites.append(MgSite(
            site=f"{atoms.resname[index]} {atoms.chain[index]}/{atoms.resnum[index]}", kind="observed",
            classification=kind, xyz=_vec(xyz), z=z, radial=radial,
            delta=membrane.delta(z) if kind.startswith("pore") else None,
            coordinating=direct, second_shell=second, coordination=mode, ligands=ligands, nearest_other=nearest))
    return tuple(sites)


def _observed_coordination(atoms: AtomTable, distances: np.ndarray) -> tuple[Coordination, tuple[Contact, ...],
                                                                               Contact | None]:
    """An observed ion's coordination: inner-sphere if a side-chain O/N is in its first shell, else outer-sphere
    if one is across a water shell, else unassigned (e.g. held by backbone carbonyls or waters only)."""
    modes: tuple[Coordination, ...] = ("inner-sphere", "outer-sphere")
    for mode in modes:
        ligands, nearest = coordination_of(atoms, distances, mode)
        if ligands:
            return mode, ligands, nearest
    _, nearest = coordination_of(atoms, distances, "inner-sphere")
    return "unassigned", (), nearest


def contacts_of(atoms: AtomTable, xyz: np.ndarray, cfg: NmdaConfig,
                exclude: int | None = None) -> tuple[tuple[Contact, ...], tuple[Contact, ...]]:
    """Atoms within ``coordination_cutoff`` (direct) and up to ``second_shell_cutoff`` (second shell)."""
    distances = np.linalg.norm(atoms.xyz - xyz, axis=1)
    if exclude is not None:
        distances[exclude] = np.inf
    near = np.flatnonzero(distances <= cfg.second_shell_cutoff)
    near = near[np.lexsort((near, distances[near]))]  # by distance, ties by file order
    contacts = [Contact(atoms.chain[i], atoms.resname[i], atoms.resnum[i], atoms.atom[i], float(distances[i]))
                for i in near]
    direct = tuple(c for c in contacts if c.distance <= cfg.coordination_cutoff)
    return direct, tuple(c for c in contacts if c.distance > cfg.coordination_cutoff)


def _classify(z: float, radial: float, contacts: tuple[Contact, ...], nsite: RingGeometry,
              membrane: MembraneSpan, motif_starts: Mapping[str, int], cfg: NmdaConfig) -> Classification:
    low = min(membrane.z_extracellular, membrane.z_intracellular)
    high = max(membrane.z_extracellular, membrane.z_intracellular)
    if radial <= cfg.pore_radial_cutoff and low <= z <= high:
        return "pore_site_I" if abs(z - nsite.z) <= cfg.site_height_tolerance else "pore"
    for contact in contacts:
        info = gemmi.find_tabulated_residue(contact.resname)
        if not (info and info.is_amino_acid()):  # waters/ligands share the chain but not its numbering
            continue
        start = motif_starts.get(contact.chain)
        number = _LEADING_INT.match(contact.resnum)
        if start is not None and number and int(number.group()) <= start - cfg.ntd_residues_before_motif:
            return "ntd"
    return "other"


def _vec(values: np.ndarray) -> tuple[float, float, float]:
    return float(values[0]), float(values[1]), float(values[2])


def capable_atoms(atoms: AtomTable, table: set[tuple[str, str]]) -> np.ndarray:
    return np.array([p and (r, a) in table for p, r, a in zip(atoms.is_protein, atoms.resname, atoms.atom)], bool)


def contact_at(atoms: AtomTable, i: int, distance: float) -> Contact:
    return Contact(atoms.chain[i], atoms.resname[i], atoms.resnum[i], atoms.atom[i], float(distance))


def coordination_of(atoms: AtomTable, distances: np.ndarray,
                    mode: Coordination) -> tuple[tuple[Contact, ...], Contact | None]:
    """The ligand atoms of an ion in ``mode`` (by distance) and the closest heavy atom that is not one."""
    table, window = (INNER_ATOMS, INNER_SPHERE) if mode == "inner-sphere" else (OUTER_ATOMS, OUTER_SPHERE)
    capable = capable_atoms(atoms, table)
    is_ligand = capable & (distances >= window[0]) & (distances <= window[1])
    order = np.lexsort((np.arange(len(distances)), distances))
    ligands = tuple(contact_at(atoms, int(i), distances[i]) for i in order if is_ligand[i])
    others = [int(i) for i in order if not is_ligand[i] and np.isfinite(distances[i])]
    return ligands, (contact_at(atoms, others[0], distances[others[0]]) if others else None)

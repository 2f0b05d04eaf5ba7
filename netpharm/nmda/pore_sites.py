"""Mg²⁺ sites of an NMDA receptor: classification, coordination shells, placement, depth δ.

9IYP (Huang et al., Neuron 2025) carries Mg²⁺ at site I, in the selectivity filter where the N-site
asparagine ring (GluN1 Asn616, GluN2B Asn615/Asn616) coordinates it — the voltage-dependent block —
and at sites II/III in the GluN2B amino-terminal domain. Each observed ion is classified from geometry
alone (distance from the pore axis, height relative to the N-site ring, which domain its neighbours
belong to). When no ion is observed at site I (9IYQ, or a user's structure) one is *placed* on the
axis at the ring height, and labelled so: a placed ion is a hypothesis, never an observation.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import gemmi
import numpy as np

from netpharm.nmda.config import NmdaConfig
from netpharm.nmda.pore_model import AtomTable, Classification, Contact, MembraneSpan, MgSite, PoreAxis, RingGeometry

__all__ = ["classify_mg_sites", "contacts_of", "place_mg"]

_LEADING_INT = re.compile(r"^-?\d+")


def classify_mg_sites(atoms: AtomTable, axis: PoreAxis, nsite: RingGeometry, membrane: MembraneSpan,
                      motif_starts: Mapping[str, int], cfg: NmdaConfig) -> tuple[MgSite, ...]:
    """Every Mg²⁺ of the model, classified; plus a placed ion if site I is empty.

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
        sites.append(MgSite(
            site=f"{atoms.resname[index]} {atoms.chain[index]}/{atoms.resnum[index]}", kind="observed",
            classification=kind, xyz=_vec(xyz), z=z, radial=radial,
            delta=membrane.delta(z) if kind.startswith("pore") else None,
            coordinating=direct, second_shell=second))
    if not any(s.classification == "pore_site_I" for s in sites):
        sites.append(place_mg(atoms, axis, nsite, membrane, cfg))
    return tuple(sites)


def place_mg(atoms: AtomTable, axis: PoreAxis, nsite: RingGeometry, membrane: MembraneSpan,
             cfg: NmdaConfig) -> MgSite:
    """A Mg²⁺ placed on the pore axis at the N-site ring height (kind ``placed``)."""
    xyz = axis.point(nsite.z)
    direct, second = contacts_of(atoms, xyz, cfg)
    return MgSite(site="placed at N-site ring", kind="placed", classification="pore_site_I", xyz=_vec(xyz),
                  z=nsite.z, radial=0.0, delta=membrane.delta(nsite.z), coordinating=direct,
                  second_shell=second)


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

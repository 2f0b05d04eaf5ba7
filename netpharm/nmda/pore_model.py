"""Result types of the NMDA receptor pore analysis (frozen dataclasses, JSON-ready via ``asdict``).

Coordinates along the pore are in the axis frame: ``z`` (Å) is the signed distance along the axis
from the N-site ring plane, increasing from the extracellular to the intracellular side; ``radial``
is the distance from the axis line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import numpy.typing as npt

__all__ = [
    "AtomTable", "PoreAxis", "Subunit", "RingResidue", "RingGeometry", "Contact", "MgSite",
    "RadiusProfile", "MembraneSpan", "PoreAnalysis", "Placement", "MissingSideChain", "PoreLigand",
]

Vec3 = tuple[float, float, float]
FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class AtomTable:
    """Heavy atoms of one model as parallel arrays (hydrogens dropped: cryo-EM models have none,
    and HOLE-like profiles of heavy atoms are what is compared between entries)."""

    xyz: FloatArray
    chain: tuple[str, ...]
    resname: tuple[str, ...]
    resnum: tuple[str, ...]
    atom: tuple[str, ...]
    element: tuple[str, ...]
    vdw: FloatArray
    is_protein: npt.NDArray[np.bool_]
    is_water: npt.NDArray[np.bool_]


@dataclass(frozen=True)
class PoreAxis:
    """The pore axis: ``origin`` lies in the N-site ring plane; ``direction`` is a unit vector
    pointing from the extracellular to the intracellular side."""

    origin: Vec3
    direction: Vec3
    n_layers: int
    layer_rmsd: float  # RMS distance of the layer centroids from the fitted line (Å)

    def z(self, xyz: npt.ArrayLike) -> FloatArray:
        """Signed position(s) along the axis (Å; 0 = N-site ring plane, + = intracellular)."""
        return np.asarray(np.asarray(xyz, float) - self.origin) @ np.asarray(self.direction)

    def radial(self, xyz: npt.ArrayLike) -> FloatArray:
        """Distance(s) from the axis line (Å)."""
        rel = np.asarray(xyz, float) - np.asarray(self.origin)
        along = rel @ np.asarray(self.direction)
        perp = rel - np.multiply.outer(along, np.asarray(self.direction))
        return np.asarray(np.linalg.norm(perp, axis=-1))

    def point(self, z: float) -> FloatArray:
        """The axis point at height ``z``."""
        return np.asarray(self.origin) + z * np.asarray(self.direction)


@dataclass(frozen=True)
class Subunit:
    """A channel subunit: a chain carrying the gate motif.

    ``label`` is GluN1/GluN2B when the entry says so (UniProt accession or entity description),
    ``GluN1-like``/``GluN2-like`` when inferred from the N-site (one vs two adjacent Asn), else
    ``unassigned``; ``assigned_by`` says which.
    """

    chain: str
    label: str
    assigned_by: str
    motif_start: str  # residue number of the motif's first residue


@dataclass(frozen=True)
class RingResidue:
    """One residue of a ring: the atom of it closest to the axis, and where that atom sits."""

    chain: str
    resname: str
    resnum: str
    atom: str
    z: float
    radial: float
    complete: bool = True  # False if the side-chain atoms expected (OD1/ND2 for Asn) are absent


@dataclass(frozen=True)
class RingGeometry:
    """A ring of four equivalent residues (N-site or a SYTANLAAF position)."""

    name: str
    residues: tuple[RingResidue, ...]

    @property
    def radius(self) -> float:
        return float(np.mean([r.radial for r in self.residues]))

    @property
    def z(self) -> float:
        return float(np.mean([r.z for r in self.residues]))


@dataclass(frozen=True)
class Contact:
    """An atom near a Mg²⁺ site."""

    chain: str
    resname: str
    resnum: str
    atom: str
    distance: float

    @property
    def label(self) -> str:
        return f"{self.chain}/{self.resname}{self.resnum}/{self.atom}"


Kind = Literal["observed", "placed"]
Classification = Literal["pore_site_I", "pore", "ntd", "other"]
#: How a Mg²⁺ is held: ``inner-sphere`` = side-chain O/N in its first shell (Mg–O/N 2.0–2.3 Å);
#: ``outer-sphere`` = through its water shell (ligand atoms 4.0–4.5 Å); ``unassigned`` = neither pattern.
Coordination = Literal["inner-sphere", "outer-sphere", "unassigned"]


@dataclass(frozen=True)
class MgSite:
    """A Mg²⁺ ion: observed in the entry, or placed where it can sit at the N-site (:mod:`netpharm.nmda.pore_placement`)."""

    site: str
    kind: Kind
    classification: Classification
    xyz: Vec3
    z: float
    radial: float
    delta: float | None
    coordinating: tuple[Contact, ...]
    second_shell: tuple[Contact, ...]
    coordination: Coordination = "unassigned"
    ligands: tuple[Contact, ...] = ()  # the atoms holding it (direct, or across the water shell)
    nearest_other: Contact | None = None  # closest heavy atom that is not one of its ligands


@dataclass(frozen=True)
class RadiusProfile:
    """HOLE-like pore radius profile: at each ``z`` the largest sphere, centred in that slice
    within ``max_offset`` of the axis, touching no atom's van der Waals sphere."""

    z: tuple[float, ...]
    radius: tuple[float, ...]  # never negative: an occluded slice has radius 0 and ``occluded`` set
    offset: tuple[float, ...]  # distance of the sphere centre from the axis
    centres: tuple[Vec3, ...]
    occluded: tuple[bool, ...] = ()  # no empty point in the slice's disc: atoms fill it

    @property
    def minimum(self) -> tuple[float, float]:
        """(z, radius) of the narrowest slice (the first one, along the axis, on a tie)."""
        i = int(np.argmin(self.radius))
        return self.z[i], self.radius[i]

    @property
    def occluded_z(self) -> tuple[float, ...]:
        """Heights of the occluded slices."""
        return tuple(z for z, o in zip(self.z, self.occluded) if o)


@dataclass(frozen=True)
class MembraneSpan:
    """Transmembrane span along the axis, for the geometric electrical-distance proxy δ."""

    z_extracellular: float
    z_intracellular: float
    method: str

    def delta(self, z: float) -> float:
        """Fractional depth from the extracellular boundary (0) to the intracellular one (1)."""
        return (z - self.z_extracellular) / (self.z_intracellular - self.z_extracellular)


@dataclass(frozen=True)
class Placement:
    """Where a Mg²⁺ can sit at the N-site when none is observed there.

    ``status``: ``placed`` (a position passes the coordination and clash rules), ``does_not_fit`` (none
    does within the ring: ``narrowest_radius`` says how tight it is), ``observed`` (nothing to place).
    """

    status: Literal["placed", "does_not_fit", "observed"]
    coordination: Coordination
    reason: str
    narrowest_radius: float
    rules: str


@dataclass(frozen=True)
class MissingSideChain:
    """A residue of the N-site region whose side chain is (partly) not modelled."""

    chain: str
    resname: str
    resnum: str
    present: tuple[str, ...]
    missing: tuple[str, ...]
    in_ring_window: bool  # an Asn of the N-site search window (a possible ring member)
    limits: str  # what its absence leaves unknown


@dataclass(frozen=True)
class PoreLigand:
    """A non-polymer molecule in the pore (e.g. S-ketamine, JC9, in 7EU8's vestibule)."""

    ligand: str  # "JC9 B/903"
    resname: str
    z: float  # centroid height (Å from the N-site ring plane, + = intracellular)
    z_min: float
    z_max: float
    radial: float  # centroid distance from the axis
    nsite_gap: float  # Å along the axis from the ring plane to the ligand's nearest atom (0 = it spans it)
    contacts: tuple[tuple[Contact, str], ...]  # closest atom of each residue near it, and the ligand atom


@dataclass(frozen=True)
class PoreAnalysis:
    """Everything the NMDA pore analysis found in one structure."""

    structure: str
    model: str
    subunits: tuple[Subunit, ...]
    axis: PoreAxis
    nsite_ring: RingGeometry
    nsite_candidates: tuple[RingResidue, ...]
    gate_rings: tuple[RingGeometry, ...]
    membrane: MembraneSpan
    mg_sites: tuple[MgSite, ...]
    profile: RadiusProfile
    warnings: tuple[str, ...] = field(default_factory=tuple)
    placement: Placement | None = None
    missing_side_chains: tuple[MissingSideChain, ...] = ()
    pore_ligands: tuple[PoreLigand, ...] = ()
    m2_region: tuple[float, float] = (0.0, 0.0)  # z span of the N-site window's Cα atoms (the M2 loop)
    view_pdb: str = ""  # the pore around the N-site as PDB text, for the report's 3-D view

    @property
    def observed_site_i(self) -> bool:
        return any(s.kind == "observed" and s.classification == "pore_site_I" for s in self.mg_sites)

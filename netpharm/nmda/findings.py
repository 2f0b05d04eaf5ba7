"""The NMDA-pore stage's findings: the typed ``findings`` of ``nmda/summary.json``.

Geometry conventions: ``z_along_axis`` is Å from the N-site asparagine ring plane along the
pore axis (+ = intracellular), ``radial_offset`` Å from the axis, ``delta`` the geometric
electrical-distance proxy (Woodhull 1973) along the M3 span. Light module.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["NmdaFindings", "PoreFindings", "MgSiteFinding", "ContactFinding", "ProfileMinimum", "SpanFinding",
           "PlacementFinding", "MissingSideChainFinding", "PoreLigandFinding"]


@dataclass(frozen=True)
class ContactFinding:
    """An atom near a Mg²⁺ (``chain/RESnnn/ATOM``) and its distance (Å)."""

    atom: str
    distance: float


@dataclass(frozen=True)
class MgSiteFinding:
    """A Mg²⁺ site: observed in the entry or placed where it can sit; ``pore_site_I`` = at the N-site ring.

    ``coordination`` is ``inner-sphere`` (``ligands`` at Mg–O/N 2.0–2.3 Å), ``outer-sphere`` (``ligands`` at
    4.0–4.5 Å, across its water shell) or ``unassigned``; ``nearest_other`` is the closest heavy atom that is
    not a ligand."""

    site: str
    kind: str
    classification: str
    z_along_axis: float
    radial_offset: float
    delta: float | None
    coordinating: tuple[ContactFinding, ...]
    second_shell: tuple[ContactFinding, ...]
    coordination: str
    ligands: tuple[ContactFinding, ...]
    nearest_other: ContactFinding | None


@dataclass(frozen=True)
class PlacementFinding:
    """Whether a Mg²⁺ could be placed at an empty N-site: ``placed`` | ``does_not_fit`` | ``observed``."""

    status: str
    coordination: str
    reason: str
    narrowest_radius: float
    rules: str


@dataclass(frozen=True)
class MissingSideChainFinding:
    """A residue of the N-site region whose side chain is not (fully) modelled, and what that leaves unknown."""

    residue: str
    missing: tuple[str, ...]
    in_ring_window: bool
    limits: str


@dataclass(frozen=True)
class PoreLigandFinding:
    """A molecule bound in the pore (e.g. S-ketamine): heights from the N-site ring plane (+ = intracellular),
    distance from the axis and its closest residues (``chain/RESnnn/ATOM`` of the residue, distance)."""

    ligand: str
    z_along_axis: float
    z_min: float
    z_max: float
    radial_offset: float
    nsite_gap: float
    closest_residues: tuple[ContactFinding, ...]


@dataclass(frozen=True)
class ProfileMinimum:
    """Narrowest point of the radius profile (radius ≥ 0; ``occluded`` slices are listed by height)."""

    z_along_axis: float
    radius: float
    occluded_z: tuple[float, ...]
    m2_region: tuple[float, float]  # z span of the M2 loop (N-site window Cα) the minimum is judged against


@dataclass(frozen=True)
class SpanFinding:
    """The M3 span along the axis (membrane proxy)."""

    z_extracellular: float
    z_intracellular: float


@dataclass(frozen=True)
class PoreFindings:
    """One structure's pore."""

    structure: str
    ring_radius: float
    mg_sites: tuple[MgSiteFinding, ...]
    observed_site_I: bool
    subunits: dict[str, str]
    profile_minimum: ProfileMinimum
    membrane_span: SpanFinding
    warnings: tuple[str, ...]
    placement: PlacementFinding
    missing_side_chains: tuple[MissingSideChainFinding, ...]
    pore_ligands: tuple[PoreLigandFinding, ...]


@dataclass(frozen=True)
class NmdaFindings(PoreFindings):
    """What the NMDA stage found (``nmda/summary.json`` → ``findings``): the primary structure's
    pore, the comparison structures' (``compare``), the figures and one plain statement per structure.

    ``structure_role`` is ``paper_entry`` (9IYP itself), ``stand_in`` (another structure for ``paper_pdb``,
    ``stand_in`` says why) or ``user_structure``, as for a docking system."""

    paper_pdb: str
    structure_role: str
    stand_in: str
    delta_method: str
    figures: tuple[str, ...]
    compare: tuple[PoreFindings, ...]
    statements: tuple[str, ...]
    data_sources: tuple[dict[str, Any], ...]

"""The NMDA-pore stage's findings: the typed ``findings`` of ``nmda/summary.json``.

Geometry conventions: ``z_along_axis`` is Å from the N-site asparagine ring plane along the
pore axis (+ = intracellular), ``radial_offset`` Å from the axis, ``delta`` the geometric
electrical-distance proxy (Woodhull 1973) along the M3 span. Light module.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["NmdaFindings", "PoreFindings", "MgSiteFinding", "ContactFinding", "ProfileMinimum", "SpanFinding"]


@dataclass(frozen=True)
class ContactFinding:
    """An atom near a Mg²⁺ (``chain/RESnnn/ATOM``) and its distance (Å)."""

    atom: str
    distance: float


@dataclass(frozen=True)
class MgSiteFinding:
    """A Mg²⁺ site: observed in the entry or placed on the axis; ``pore_site_I`` = at the N-site ring."""

    site: str
    kind: str
    classification: str
    z_along_axis: float
    radial_offset: float
    delta: float | None
    coordinating: tuple[ContactFinding, ...]
    second_shell: tuple[ContactFinding, ...]


@dataclass(frozen=True)
class ProfileMinimum:
    """Narrowest point of the radius profile."""

    z_along_axis: float
    radius: float


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


@dataclass(frozen=True)
class NmdaFindings(PoreFindings):
    """What the NMDA stage found (``nmda/summary.json`` → ``findings``): the primary structure's
    pore, the comparison structures' (``compare``), the figures and one plain statement per structure."""

    delta_method: str
    figures: tuple[str, ...]
    compare: tuple[PoreFindings, ...]
    statements: tuple[str, ...]
    data_sources: tuple[dict[str, Any], ...]

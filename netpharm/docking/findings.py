"""The docking stage's findings: the typed ``findings`` of ``docking/summary.json``.

Light module (no numerical import): the registry, the report and the claims import it.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["DockingFindings", "DockedSystem", "RedockResult"]


@dataclass(frozen=True)
class DockedSystem:
    """One (system, ligand, engine) docking (AutoDock 4.2.6 LGA or Vina best pose).

    ``asp332`` is the receptor's Asp3.32 (Ballesteros–Weinstein numbering, found from the TM3
    motif) as ``chain:ASPnnn``; ``contacts`` the residues within 4 Å of the best pose in the
    same notation; ``salt_bridge`` the protonated amine within 4 Å of an Asp3.32 carboxylate O.
    """

    system: str
    engine: str
    receptor: str | None
    paper_pdb: str | None
    used_structure: str | None
    stand_in: bool | None
    status: str
    best_energy: float | None
    best_cluster_size: int | None
    n_runs: int | None
    amine_asp332_distance: float | None
    salt_bridge: bool
    asp332: str | None
    contacts: tuple[str, ...]
    figure: str | None
    error: str | None
    ligand: str = "morphine"  # the docked ligand (a campaign docks several into each system)


@dataclass(frozen=True)
class RedockResult:
    """A redocking check: the co-crystal ligand docked back; symmetry-corrected RMSD of the best-energy pose."""

    system: str
    engine: str
    best_energy: float | None
    rmsd: float | None
    status: str


@dataclass(frozen=True)
class DockingFindings:
    """What the docking stage found (``docking/summary.json`` → ``findings``)."""

    systems: tuple[DockedSystem, ...]
    redocking: tuple[RedockResult, ...]
    programs: dict[str, str | None]

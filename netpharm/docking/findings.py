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
    #: ``paper_entry`` (the paper's own PDB entry, e.g. 6PT2) or ``stand_in`` (another structure for it)
    structure_role: str | None = None
    #: the receptor chains kept, with their entity description and UniProt reference when the file has them
    receptor_chains: str | None = None


@dataclass(frozen=True)
class RedockResult:
    """A redocking check: the co-crystal ligand docked back; symmetry-corrected RMSD of the best-energy pose.

    ``rmsd_min`` is the best RMSD among all poses (``rmsd_min_pose``), ``best_cluster_size`` the top
    cluster's population (``cluster_basis`` says how: AutoDock's clustering, or Vina modes within
    2.0 Å of mode 1), ``success`` = ``rmsd`` ≤ 2.0 Å, ``crystal_local_energy`` the score of the locally
    optimised crystal pose and ``failure_cause`` "search: …" or "scoring: …" (netpharm.docking.redock).
    """

    system: str
    engine: str
    best_energy: float | None
    rmsd: float | None
    status: str
    receptor: str | None = None
    rmsd_min: float | None = None
    rmsd_min_pose: int | None = None
    best_cluster_size: int | None = None
    cluster_basis: str | None = None
    n_runs: int | None = None
    success: bool | None = None
    crystal_local_energy: float | None = None
    failure_cause: str | None = None
    error: str | None = None


@dataclass(frozen=True)
class DockingFindings:
    """What the docking stage found (``docking/summary.json`` → ``findings``)."""

    systems: tuple[DockedSystem, ...]
    redocking: tuple[RedockResult, ...]
    programs: dict[str, str | None]

"""The docking stage's result rows: one per (system or redocking case, ligand, engine) job.

A row starts with what preparation knows (:meth:`DockingRow.prepared`, or :func:`failed_rows`
for a system that could not be prepared), then gets its status and, for a finished job, its best
pose (:func:`netpharm.docking.pose.analyse.analyse_pose`). :mod:`netpharm.docking.outcome`
writes the rows as ``systems.tsv|json`` and ``results.tsv`` and turns them into the findings.
Light module (no numerical import).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Any, Protocol

from netpharm.docking.findings import Interaction
from netpharm.docking.prepare.prepared import PreparedSystem

__all__ = ["DockingRow", "SYSTEM_COLUMNS", "RESULT_COLUMNS", "CHUNK_COLUMNS", "failed_rows"]


@dataclass(frozen=True)
class DockingRow:
    """One docking job's row of ``systems.tsv`` (fields in column order; :class:`DockedSystem
    <netpharm.docking.findings.DockedSystem>` documents their meaning), then the fields a chunked
    AutoDock 4 job adds in ``systems.json`` only (:data:`CHUNK_COLUMNS`)."""

    system: str
    ligand: str
    kind: str  # "system" | "redock"
    engine: str
    receptor: str | None = None
    paper_pdb: str | None = None
    used_structure: str | None = None
    stand_in: bool | None = None
    status: str | None = None
    best_energy: float | None = None
    best_run: int | None = None
    best_cluster_size: int | None = None
    best_cluster_mean_energy: float | None = None
    n_runs: int | None = None
    n_clusters: int | None = None
    ki: float | None = None
    ki_unit: str | None = None
    salt_bridge: bool = False
    amine_asp332_distance: float | None = None
    asp332: str | None = None
    rmsd: float | None = None
    rmsd_min: float | None = None
    rmsd_min_pose: int | None = None
    cluster_basis: str | None = None
    success: bool | None = None
    crystal_local_energy: float | None = None
    failure_cause: str | None = None
    structure_role: str | None = None
    receptor_chains: str | None = None
    contacts: tuple[str, ...] = ()
    interactions: tuple[Interaction, ...] = ()
    figure: str | None = None
    diagram_svg: str | None = None
    pose_sdf: str | None = None
    pocket_pdb: str | None = None
    interactions_tsv: str | None = None
    interactions_error: str | None = None
    error: str | None = None
    crystal_amine_asp332_distance: float | None = None
    crystal_salt_bridge: bool | None = None
    keeps_salt_bridge: bool | None = None
    set_aside: tuple[str, ...] = ()
    crystal_ligand: str | None = None
    crystal_ligand_id: str | None = None
    run_chunks: int | None = None
    chunk_plan: str | None = None
    clustering: str | None = None

    @classmethod
    def prepared(cls, p: PreparedSystem, engine: str) -> DockingRow:
        """The row of a prepared job, every result column empty."""
        return cls(p.system or p.name, p.ligand_name, p.kind, engine, receptor=p.receptor, paper_pdb=p.paper_pdb,
                   used_structure=p.used_structure, stand_in=p.stand_in, structure_role=p.structure_role,
                   receptor_chains=p.receptor_chains, set_aside=p.set_aside, crystal_ligand=p.crystal_ligand or None,
                   crystal_ligand_id=p.crystal_ligand_id or None)

    def record(self) -> dict[str, Any]:
        """The row as ``systems.json`` holds it (the chunk fields only for a chunked job)."""
        out = {name: getattr(self, name) for name in SYSTEM_COLUMNS}
        out.update(contacts=list(self.contacts), interactions=[asdict(i) for i in self.interactions],
                   set_aside=list(self.set_aside))
        if self.run_chunks is not None:
            out.update({name: getattr(self, name) for name in CHUNK_COLUMNS})
        return out


#: The chunked-job fields at the end of :class:`DockingRow` (``systems.json`` only).
CHUNK_COLUMNS = ["run_chunks", "chunk_plan", "clustering"]
#: docking/systems.tsv: every field of :class:`DockingRow` but the chunk fields, in order.
SYSTEM_COLUMNS = [f.name for f in fields(DockingRow) if f.name not in CHUNK_COLUMNS]
#: docking/results.tsv: one row per (ligand, system, engine) job, the table the report's energy heatmap reads.
RESULT_COLUMNS = ["ligand", "system", "kind", "receptor", "engine", "status", "best_energy", "best_cluster_size",
                  "n_runs", "salt_bridge", "rmsd"]


class _Unprepared(Protocol):
    """A system or redocking case as configured (``receptor`` and ``paper_pdb`` only on systems)."""

    @property
    def name(self) -> str: ...


def failed_rows(kind: str, item: _Unprepared, engines: list[str], error: str, ligand: str = "") -> list[DockingRow]:
    """One ``failed`` row per engine for a system or redocking case that could not be prepared."""
    return [DockingRow(item.name, ligand, kind, engine, status="failed", error=error,
                       receptor=getattr(item, "receptor", ""), paper_pdb=getattr(item, "paper_pdb", ""))
            for engine in engines]

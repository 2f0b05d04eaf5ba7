"""The docking stage's tables (``systems.tsv|json``, ``results.tsv``) and its typed findings."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from netpharm.docking.config import DockingConfig
from netpharm.docking.findings import DockedSystem, DockingFindings, Interaction, RedockResult
from netpharm.docking.resultsdb import DB_NAME
from netpharm.io import write_json_atomic, write_table
from netpharm.stage import RunContext, StageOutcome, Status

if TYPE_CHECKING:
    from netpharm.docking.stage import PreparedSystem

__all__ = ["SYSTEM_COLUMNS", "RESULT_COLUMNS", "base_row", "failed_rows", "interaction_summary", "build_outcome"]

log = logging.getLogger(__name__)

SYSTEM_COLUMNS = ["system", "ligand", "kind", "engine", "receptor", "paper_pdb", "used_structure", "stand_in", "status",
                  "best_energy", "best_run", "best_cluster_size", "best_cluster_mean_energy", "n_runs",
                  "n_clusters", "ki", "ki_unit", "salt_bridge", "amine_asp332_distance", "asp332", "rmsd",
                  "rmsd_min", "rmsd_min_pose", "cluster_basis", "success", "crystal_local_energy",
                  "failure_cause", "structure_role", "receptor_chains", "contacts", "interactions", "figure", "diagram_svg", "pose_sdf",
                  "pocket_pdb", "interactions_tsv", "interactions_error", "error"]
#: docking/results.tsv: one row per (ligand, system, engine) job, the table the report's energy heatmap reads.
RESULT_COLUMNS = ["ligand", "system", "kind", "receptor", "engine", "status", "best_energy", "best_cluster_size",
                  "n_runs", "salt_bridge", "rmsd"]
def base_row(p: PreparedSystem | None, name: str, kind: str, engine: str, ligand: str = "") -> dict[str, Any]:
    """A ``systems.tsv`` row with what the prepared job (if any) says, every result column empty."""
    row: dict[str, Any] = {c: None for c in SYSTEM_COLUMNS}
    row.update(system=name, ligand=p.ligand_name if p is not None else ligand, kind=kind, engine=engine,
               contacts=[], interactions=[], salt_bridge=False)
    if p is not None:
        row.update(receptor=p.receptor, paper_pdb=p.paper_pdb, used_structure=p.used_structure,
                   stand_in=p.stand_in, structure_role=p.structure_role, receptor_chains=p.receptor_chains,
                   ligand=p.ligand_name)
    return row


def failed_rows(kind: str, item: Any, engines: list[str], error: str, ligand: str = "") -> list[dict[str, Any]]:
    """One ``failed`` row per engine for a system or redocking case that could not be prepared."""
    rows = []
    for engine in engines:
        row = base_row(None, item.name, kind, engine, ligand)
        row.update(status="failed", error=error, receptor=getattr(item, "receptor", ""),
                   paper_pdb=getattr(item, "paper_pdb", ""))
        rows.append(row)
    return rows


def interaction_summary(row: dict[str, Any]) -> str:
    """``kind residue`` pairs of a pose's profile, hydrophobic contacts left to the TSV."""
    return "; ".join(f"{i['kind']} {i['residue']}" for i in row.get("interactions") or []
                     if i["kind"] != "hydrophobic")


def build_outcome(ctx: RunContext[DockingConfig], out: Path, rows: list[dict[str, Any]], missing: list[str],
                  programs: dict[str, str | None]) -> StageOutcome[DockingFindings]:
    """Write ``systems.tsv|json`` and ``results.tsv``; the stage's outcome with its typed findings."""
    table = pd.DataFrame([{**r, "contacts": ",".join(r["contacts"]), "interactions": interaction_summary(r)}
                          for r in rows], columns=SYSTEM_COLUMNS)
    for column in ("best_run", "best_cluster_size", "n_runs", "n_clusters"):
        table[column] = table[column].astype("Int64")  # integers with gaps for failed systems
    outputs = [write_table(out / "systems.tsv", table)]
    outputs.append(write_json_atomic(out / "systems.json", {"systems": rows}))
    outputs.append(write_table(out / "results.tsv", pd.DataFrame(rows, columns=RESULT_COLUMNS)))
    if (out / DB_NAME).is_file():
        outputs.append(out / DB_NAME)

    def profile(r: dict[str, Any]) -> tuple[Interaction, ...]:
        return tuple(Interaction(**i) for i in r.get("interactions") or [])

    def fields(r: dict[str, Any], cls: Any, skip: tuple[str, ...]) -> dict[str, Any]:
        return {k: r.get(k) for k in cls.__dataclass_fields__ if k not in skip}

    systems = tuple(DockedSystem(**fields(r, DockedSystem, ("contacts", "interactions")),
                                 contacts=tuple(r["contacts"]), interactions=profile(r))
                    for r in rows if r["kind"] == "system")
    redocking = tuple(RedockResult(**fields(r, RedockResult, ("interactions",)), interactions=profile(r))
                      for r in rows if r["kind"] == "redock")
    ok = [r for r in rows if r["status"] == "ok"]
    status: Status
    if rows and len(ok) == len(rows):
        status, reason = "ok", ""
    elif ok:
        status, reason = "partial", f"{len(rows) - len(ok)} of {len(rows)} docking runs did not finish"
    elif rows and all(r["status"] == "not_run" for r in rows):
        status, reason = "not_run", "the docking programs are not installed (inputs and run.sh written)"
    else:
        status, reason = ("failed" if rows else "not_run"), ("no docking run finished" if rows
                                                            else "no docking systems configured")
    return StageOutcome(
        "docking", status, reason, list(dict.fromkeys(missing)),
        [str(Path(p).relative_to(ctx.run_dir)) for p in outputs],
        DockingFindings(systems, redocking, dict(programs)))

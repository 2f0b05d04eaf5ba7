"""The docking stage's tables (``systems.tsv|json``, ``results.tsv``) and its typed findings."""

from __future__ import annotations

import logging
from dataclasses import asdict
from pathlib import Path
from typing import Any

import pandas as pd

from netpharm.docking import files
from netpharm.docking.config import DockingConfig
from netpharm.docking.findings import DockedSystem, DockingFindings, ReceptorCheck, RedockResult
from netpharm.docking.resultsdb import DB_NAME
from netpharm.docking.rows import RESULT_COLUMNS, SYSTEM_COLUMNS, DockingRow
from netpharm.io import write_json_atomic, write_table
from netpharm.stage import RunContext, StageOutcome, Status

__all__ = ["interaction_summary", "build_outcome"]

log = logging.getLogger(__name__)


def interaction_summary(row: DockingRow) -> str:
    """``kind residue`` pairs of a pose's profile, hydrophobic contacts left to the TSV."""
    return "; ".join(f"{i.kind} {i.residue}" for i in row.interactions if i.kind != "hydrophobic")


def build_outcome(ctx: RunContext[DockingConfig], out: Path, rows: list[DockingRow], missing: list[str],
                  programs: dict[str, str | None],
                  checks: tuple[ReceptorCheck, ...] = ()) -> StageOutcome[DockingFindings]:
    """Write ``systems.tsv|json``, ``results.tsv`` and ``receptor_checks.tsv``; the stage's outcome with its typed
    findings."""
    records = [r.record() for r in rows]
    table = pd.DataFrame([{**rec, "contacts": ",".join(r.contacts), "interactions": interaction_summary(r),
                           "set_aside": "; ".join(r.set_aside)}
                          for r, rec in zip(rows, records)], columns=SYSTEM_COLUMNS)
    for column in ("best_run", "best_cluster_size", "n_runs", "n_clusters"):
        table[column] = table[column].astype("Int64")  # integers with gaps for failed systems
    outputs = [write_table(out / files.SYSTEMS, table)]
    outputs.append(write_json_atomic(out / files.SYSTEMS_JSON, {"systems": records}))
    outputs.append(write_table(out / files.RESULTS, pd.DataFrame(records, columns=RESULT_COLUMNS)))
    if (out / DB_NAME).is_file():
        outputs.append(out / DB_NAME)
    if checks:
        outputs.append(write_table(out / files.RECEPTOR_CHECKS, pd.DataFrame(
            [{**asdict(c), **{k: ",".join(getattr(c, k)) for k in ("target_chains", "docked_chains")},
              "proteins": "; ".join(c.proteins)} for c in checks], columns=files.RECEPTOR_CHECK_COLUMNS)))

    def fields(r: DockingRow, cls: Any) -> dict[str, Any]:
        return {k: getattr(r, k) for k in cls.__dataclass_fields__}

    systems = tuple(DockedSystem(**fields(r, DockedSystem)) for r in rows if r.kind == "system")
    redocking = tuple(RedockResult(**fields(r, RedockResult)) for r in rows if r.kind == "redock")
    ok = [r for r in rows if r.status == "ok"]
    status: Status
    if rows and len(ok) == len(rows):
        status, reason = "ok", ""
    elif ok:
        status, reason = "partial", f"{len(rows) - len(ok)} of {len(rows)} docking runs did not finish"
    elif rows and all(r.status == "not_run" for r in rows):
        status, reason = "not_run", "the docking programs are not installed (inputs and run.sh written)"
    else:
        status, reason = ("failed" if rows else "not_run"), ("no docking run finished" if rows
                                                            else "no docking systems configured")
    return StageOutcome(
        "docking", status, reason, list(dict.fromkeys(missing)),
        [str(Path(p).relative_to(ctx.run_dir)) for p in outputs],
        DockingFindings(systems, redocking, dict(programs), checks))

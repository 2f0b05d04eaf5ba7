"""What every pipeline stage receives and returns.

A stage is a function ``run_<name>_stage(ctx: RunContext) -> StageOutcome``. It writes
its files under ``ctx.stage_dir(name)`` (atomically, see :mod:`netpharm.io`) and returns
a :class:`StageOutcome`; the workflow writes the outcome to ``<stage>/summary.json``,
which the report and the replication verdict read. See ``docs/run-directory.md``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

from netpharm.config import WorkflowConfig
from netpharm.sources.cache import Cache
from netpharm.sources.http import HttpClient

__all__ = ["RunContext", "StageOutcome", "Status"]

Status = Literal["ok", "partial", "not_run", "failed"]


@dataclass
class RunContext:
    """Everything a stage needs: configuration, targets, output folder, cache and HTTP layer."""

    config: WorkflowConfig
    targets: list[str]
    run_dir: Path
    cache: Cache
    http: HttpClient

    def stage_dir(self, name: str) -> Path:
        path = self.run_dir / name
        path.mkdir(parents=True, exist_ok=True)
        return path


@dataclass
class StageOutcome:
    """A stage's result as the workflow records it.

    Attributes
    ----------
    stage : str
    status : {"ok", "partial", "not_run", "failed"}
        ``partial`` = ran on incomplete data (say what is missing in ``missing``);
        ``not_run`` = could not run here (``reason`` says why, e.g. structure not in cache).
    reason : str
        One sentence for the report when the status is not ``ok``.
    missing : list of str
        Every gap, stated plainly (uncovered targets, programs not installed...).
    outputs : list of str
        Files written, relative to the run directory.
    findings : dict
        Stage-specific JSON-ready facts the report/verdict use (documented per stage in
        ``docs/run-directory.md``).
    """

    stage: str
    status: Status
    reason: str = ""
    missing: list[str] = field(default_factory=list)
    outputs: list[str] = field(default_factory=list)
    findings: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

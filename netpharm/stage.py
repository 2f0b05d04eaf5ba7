"""The typed stage contract: what a stage is, receives and returns.

A stage package (``netpharm.network``, ``netpharm.enrichment``, ``netpharm.docking``,
``netpharm.nmda``, ``netpharm.report``) exports one :class:`Stage`: its name, its config
section dataclass(es), the upstream stages it reads, its run function and its frozen
**findings** dataclass. The run function ``run(ctx: RunContext) -> StageOutcome`` writes its
files under ``ctx.stage_dir(name)`` (atomically, see :mod:`netpharm.io`) and returns a
:class:`StageOutcome` whose ``findings`` is an instance of the stage's findings dataclass;
the workflow writes it to ``<stage>/summary.json`` and every reader reads it back with
:func:`read_outcome`, through the strict loader (an unknown or a missing field fails).
See ``docs/run-directory.md``.

Core layer: imports only the config loader, errors and io (``RunContext``'s types are
named for the type checker only).
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, Literal, TypeVar

from netpharm.config import from_mapping, to_mapping
from netpharm.errors import ConfigError, StageContractError

if TYPE_CHECKING:  # only for the type checker: the core layer does not import these at run time
    from netpharm.registry import WorkflowConfig
    from netpharm.sources.cache import Cache
    from netpharm.sources.http import HttpClient

__all__ = ["RunContext", "StageOutcome", "Status", "Stage", "read_outcome", "USABLE", "StageContractError"]

Status = Literal["ok", "partial", "not_run", "failed"]
#: Statuses whose findings the report and the claims may use.
USABLE: tuple[str, ...] = ("ok", "partial")
F = TypeVar("F")


@dataclass
class RunContext:
    """Everything a stage needs: configuration, targets, output folder, cache and HTTP layer."""

    config: WorkflowConfig
    targets: list[str]
    run_dir: Path
    cache: Cache
    http: HttpClient

    def stage_dir(self, name: str) -> Path:
        """``run_dir/<name>``, created if needed: the only folder stage ``name`` writes to."""
        path = self.run_dir / name
        path.mkdir(parents=True, exist_ok=True)
        return path


@dataclass
class StageOutcome(Generic[F]):
    """A stage's result as the workflow records it (``<stage>/summary.json``).

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
    findings : the stage's findings dataclass, or None
        Typed facts the report and the claims use; ``None`` when the stage produced none
        (not run, failed).
    """

    stage: str
    status: Status
    reason: str = ""
    missing: list[str] = field(default_factory=list)
    outputs: list[str] = field(default_factory=list)
    findings: F | None = None

    @property
    def usable(self) -> bool:
        """``ok`` or ``partial``: the stage produced findings the claims may use."""
        return self.status in USABLE and self.findings is not None

    def why_unusable(self) -> str:
        """One phrase for a verdict's reason when the stage did not produce usable findings."""
        base = f"{self.stage} stage {self.status.replace('_', ' ')}"
        return f"{base}: {self.reason}" if self.reason else base

    def to_json(self) -> dict[str, Any]:
        """JSON-ready mapping (``findings`` through :func:`netpharm.config.to_mapping`)."""
        return {"stage": self.stage, "status": self.status, "reason": self.reason, "missing": list(self.missing),
                "outputs": list(self.outputs), "findings": to_mapping(self.findings)}


@dataclass(frozen=True)
class Stage(Generic[F]):
    """One pipeline stage, as the registry (:mod:`netpharm.registry`) knows it.

    Attributes
    ----------
    name : str
        Stage name: the ``stages`` entry, the run-directory folder and the config section.
    sections : Mapping[str, type]
        Config sections the stage owns, its own first (``network`` owns ``network`` and
        ``hubs``); the registry composes :class:`~netpharm.registry.WorkflowConfig` from them.
    reads : tuple of str
        Upstream stages whose outputs or settings this stage uses. Its resume fingerprint
        covers their config too, and it may import their ``config``/``findings`` modules.
    run : str
        ``"module:function"`` of the run function, imported only when the stage runs (so
        ``netpharm --help`` loads no numerical library).
    findings : type
        The frozen findings dataclass written to and read back from ``summary.json``.
    """

    name: str
    sections: Mapping[str, type]
    reads: tuple[str, ...]
    run: str
    findings: type[F]

    @property
    def config(self) -> type:
        """The stage's own section dataclass."""
        return next(iter(self.sections.values()))

    def load_run(self) -> Callable[[RunContext], StageOutcome[F]]:
        """Import and return the run function."""
        module, func = self.run.split(":")
        runner: Callable[[RunContext], StageOutcome[F]] = getattr(importlib.import_module(module), func)
        return runner

    def read_findings(self, data: Any, where: str) -> F | None:
        """Strictly parse a ``findings`` mapping (``None``/``{}`` = no findings)."""
        if data is None or data == {}:
            return None
        try:
            return from_mapping(self.findings, data, f"{where}: findings", complete=True)
        except ConfigError as exc:
            raise StageContractError(f"{exc} (not this netpharm's {self.name} findings: rerun the stage)") from exc


def read_outcome(path: Path, stage: Stage[F]) -> StageOutcome[F]:
    """Read ``<stage>/summary.json`` back into a typed :class:`StageOutcome`.

    Raises
    ------
    StageContractError
        Unreadable JSON, or fields that do not match the stage's findings dataclass
        (the file and the offending key are named).
    """
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise StageContractError(f"{path}: unreadable stage summary ({exc})") from exc
    if not isinstance(data, dict) or "status" not in data:
        raise StageContractError(f"{path}: not a stage summary (a JSON object with 'stage' and 'status' expected)")
    unknown = sorted(set(data) - {"stage", "status", "reason", "missing", "outputs", "findings"})
    if unknown:
        raise StageContractError(f"{path}: unknown key(s) {unknown}")
    status = str(data["status"])
    if status not in ("ok", "partial", "not_run", "failed"):
        raise StageContractError(f"{path}: status {status!r} is not one of ok, partial, not_run, failed")
    return StageOutcome(
        stage=str(data.get("stage", stage.name)), status=status,  # type: ignore[arg-type]
        reason=str(data.get("reason") or ""), missing=[str(m) for m in data.get("missing") or ()],
        outputs=[str(o) for o in data.get("outputs") or ()],
        findings=stage.read_findings(data.get("findings"), str(path)))

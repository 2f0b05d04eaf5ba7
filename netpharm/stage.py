"""The typed stage contract: what a stage is, receives and returns.

A stage package (``netpharm.network``, ``netpharm.enrichment``, ``netpharm.docking``,
``netpharm.nmda``) exports one :class:`Stage`: its name, its config section dataclass(es), the
upstream stages it reads, its run function, its frozen **findings** dataclass, the module of its
claim kinds and its report section. The run function ``run(ctx: RunContext[Config]) ->
StageOutcome[Findings]`` receives the stage's own typed section (``ctx.config``) and the
run-level facts (``ctx.run``), writes its files under ``ctx.stage_dir()`` (atomically, see
:mod:`netpharm.io`) and returns a :class:`StageOutcome`; the workflow writes it to
``<stage>/summary.json`` and every reader reads it back with :func:`read_outcome`, through the
strict loader (an unknown or a missing field fails). See ``docs/run-directory.md``.

Sits just above the shared libraries (it names :class:`~netpharm.sources.cache.Cache` and
:class:`~netpharm.sources.http.HttpClient`) and below the stages; light at import: the run
function, the claims and the section are imported by name when needed.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, Literal, TypeVar

from netpharm.config import from_mapping, to_mapping
from netpharm.errors import ConfigError, StageContractError
from netpharm.io import read_json

if TYPE_CHECKING:  # a lower layer, named for the type checker only: importing requests would slow the CLI
    from netpharm.sources.cache import Cache
    from netpharm.sources.http import HttpClient

__all__ = ["RunFacts", "RunContext", "StageOutcome", "Status", "Stage", "read_outcome", "load_object", "USABLE"]

Status = Literal["ok", "partial", "not_run", "failed"]
#: Statuses whose findings the report and the claims may use.
USABLE: tuple[str, ...] = ("ok", "partial")
F = TypeVar("F")
C = TypeVar("C")
S = TypeVar("S")


@dataclass(frozen=True)
class RunFacts:
    """What every stage may know of the run besides its own section.

    Attributes
    ----------
    name : str
        The workflow's name.
    species : int
        NCBI taxon id of the targets.
    offline : bool
        Never touch the network; every remote request must be in the cache.
    base_dir : str
        Folder of the workflow file: relative paths in a section resolve against it.
    pose_cards : int
        ``[report] pose_cards``: how many docked poses of lowest energy the report gives a full card; the
        docking stage draws the 2-D diagrams of those (:mod:`netpharm.docking.cards`).
    """

    name: str
    species: int
    offline: bool
    base_dir: str
    pose_cards: int = 10

    def resolve(self, path: str) -> Path:
        """A path from the workflow file, resolved against its folder."""
        p = Path(path)
        return p if p.is_absolute() else Path(self.base_dir) / p


@dataclass
class RunContext(Generic[C]):
    """What a stage's run function receives.

    Attributes
    ----------
    name : str
        The stage's name (its folder under ``run_dir``).
    config : C
        The stage's own config section (e.g. :class:`~netpharm.network.config.NetworkConfig`).
    run : RunFacts
        Species, offline mode, the workflow's name and folder.
    targets : list of str
    run_dir : Path
    cache : Cache
    http : HttpClient
    sections : Mapping[type, object]
        The other config sections the stage owns or reads (by class), see :meth:`section`.
    """

    name: str
    config: C
    run: RunFacts
    targets: list[str]
    run_dir: Path
    cache: Cache
    http: HttpClient
    sections: Mapping[type, object] = field(default_factory=dict)

    def stage_dir(self) -> Path:
        """``run_dir/<name>``, created if needed: the only folder the stage writes to."""
        path = self.run_dir / self.name
        path.mkdir(parents=True, exist_ok=True)
        return path

    def section(self, cls: type[S]) -> S:
        """Another section this stage owns or reads (``ctx.section(HubsConfig)``), typed.

        Raises
        ------
        KeyError
            The stage neither owns nor reads a section of that class (a programming error).
        """
        value = self.sections[cls]
        if not isinstance(value, cls):  # pragma: no cover - the workflow builds the mapping by class
            raise TypeError(f"section {cls.__name__} is a {type(value).__name__}")
        return value


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
        ``hubs``); the registry's :class:`~netpharm.registry.WorkflowConfig` has one field each.
    reads : tuple of str
        Upstream stages whose outputs or settings this stage uses. Its resume fingerprint
        covers their config too, it receives their sections, and it may import their
        ``config``/``findings``/``files`` modules.
    run : str
        ``"module:function"`` of the run function, imported only when the stage runs (so
        ``netpharm --help`` loads no numerical library).
    findings : type
        The frozen findings dataclass written to and read back from ``summary.json``.
    claims : str
        Module of the stage's claim kinds (:class:`netpharm.verdict.ClaimKind` subclasses), or "".
        It must stay light: the workflow imports it to validate ``[[claims]]`` at load.
    section : str
        ``"module:Class"`` of the stage's part of the report (a
        :class:`netpharm.present.page.StageSection`), or "" for none.
    audit : str
        ``"module:function"`` of the stage's part of the audit of the study's own numbers, or "" for none:
        ``audit(run: RunView) -> list[AuditFinding]`` (:class:`netpharm.verdict.AuditFinding`), from the
        stage's findings alone, no claim needed (``report/audit.tsv``). Imported only when the report is built.
    facts : tuple of str
        Fields of :class:`RunFacts` beyond species and offline mode that the stage's outputs depend on
        (``("pose_cards",)``: the docking stage draws the card poses' diagrams); its resume fingerprint covers them.
    """

    name: str
    sections: Mapping[str, type]
    reads: tuple[str, ...]
    run: str
    findings: type[F]
    claims: str = ""
    section: str = ""
    audit: str = ""
    facts: tuple[str, ...] = ()

    @property
    def config(self) -> type:
        """The stage's own section dataclass."""
        return next(iter(self.sections.values()))

    def load_run(self) -> Callable[[RunContext[Any]], StageOutcome[F]]:
        """Import and return the run function."""
        runner: Callable[[RunContext[Any]], StageOutcome[F]] = load_object(self.run)
        return runner

    def load_claims(self) -> None:
        """Import the claims module: its :class:`~netpharm.verdict.ClaimKind` classes register themselves."""
        if self.claims:
            importlib.import_module(self.claims)

    def read_findings(self, data: Any, where: str) -> F | None:
        """Strictly parse a ``findings`` mapping (``None``/``{}`` = no findings)."""
        if data is None or data == {}:
            return None
        try:
            return from_mapping(self.findings, data, f"{where}: findings", complete=True)
        except ConfigError as exc:
            raise StageContractError(f"{exc} (not this netpharm's {self.name} findings: rerun the stage)") from exc


def load_object(ref: str) -> Any:
    """The object named by ``"package.module:name"`` (a stage's run function or report section)."""
    module, name = ref.split(":")
    return getattr(importlib.import_module(module), name)


_OUTCOME_KEYS = {"stage", "status", "reason", "missing", "outputs", "findings"}


def read_outcome(path: Path, stage: Stage[F]) -> StageOutcome[F]:
    """Read ``<stage>/summary.json`` back into a typed :class:`StageOutcome`.

    Raises
    ------
    StageContractError
        Unreadable JSON, or fields that do not match the stage's findings dataclass
        (the file and the offending key are named).
    """
    data = read_json(path, "stage summary", StageContractError)
    if not isinstance(data, dict) or "status" not in data:
        raise StageContractError(f"{path}: not a stage summary (a JSON object with 'stage' and 'status' expected)")
    unknown = sorted(set(data) - _OUTCOME_KEYS)
    if unknown:
        raise StageContractError(f"{path}: unknown key(s) {unknown}")
    status = str(data["status"])
    if status not in ("ok", "partial", "not_run", "failed"):
        raise StageContractError(f"{path}: status {status!r} is not one of ok, partial, not_run, failed")
    record: dict[str, Any] = {k: data[k] for k in _OUTCOME_KEYS if k in data}
    return StageOutcome(
        stage=str(record.pop("stage", stage.name)), status=status,  # type: ignore[arg-type]
        reason=str(record.pop("reason", "") or ""), missing=[str(m) for m in record.pop("missing", None) or ()],
        outputs=[str(o) for o in record.pop("outputs", None) or ()],
        findings=stage.read_findings(record.pop("findings", None), str(path)))

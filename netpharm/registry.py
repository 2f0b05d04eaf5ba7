"""The one registry of stages, and the workflow configuration composed from it.

Everything that used to list the stages by hand derives from :data:`STAGES`: the allowed
``stages`` names and their default order, the section dataclasses of :class:`WorkflowConfig`
(one field per section a stage owns), the resume fingerprint of each stage (its sections and
those of every stage it reads, transitively), the report's stage list and the CLI's help.

Precedence of values is defaults < workflow file < command-line flags. Unknown keys are
rejected with the section named (:func:`netpharm.config.from_mapping`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from netpharm import docking, enrichment, network, nmda, report
from netpharm.config import from_mapping, merge, read_toml, to_mapping
from netpharm.errors import ConfigError
from netpharm.report.config import ReportConfig
from netpharm.stage import Stage

__all__ = ["STAGES", "STAGE_NAMES", "stage", "fingerprint_sections", "WorkflowConfig", "WorkflowBase",
           "ReportConfig", "load_workflow", "apply_overrides"]

#: The pipeline, in run order. A new stage is one line here plus its package's ``STAGE``.
STAGES: tuple[Stage[Any], ...] = (network.STAGE, enrichment.STAGE, docking.STAGE, nmda.STAGE, report.STAGE)
STAGE_NAMES: tuple[str, ...] = tuple(s.name for s in STAGES)
_BY_NAME: dict[str, Stage[Any]] = {s.name: s for s in STAGES}


def _check_registry() -> None:
    """Fail at import if the registry is inconsistent (a read of an unknown or later stage, a section twice)."""
    seen: set[str] = set()
    sections: set[str] = set()
    for s in STAGES:
        late = [r for r in s.reads if r not in seen]
        if late:
            raise RuntimeError(f"stage {s.name} reads {late}, which are not earlier stages")
        dup = sections & set(s.sections)
        if dup:
            raise RuntimeError(f"config section(s) {sorted(dup)} owned by two stages")
        seen.add(s.name)
        sections |= set(s.sections)


_check_registry()


def stage(name: str) -> Stage[Any]:
    """The registered stage ``name``.

    Raises
    ------
    ConfigError
        Not a stage name (the allowed names are listed).
    """
    try:
        return _BY_NAME[name]
    except KeyError:
        raise ConfigError(f"unknown stage {name!r}; choose from {list(STAGE_NAMES)}") from None


def fingerprint_sections(name: str) -> tuple[str, ...]:
    """Config sections a stage's resume fingerprint covers: its own and those of every stage it reads.

    Transitive, in registry order: if enrichment reads network, a changed ``[network]`` or
    ``[hubs]`` re-runs enrichment on ``--resume``.
    """
    wanted: set[str] = set()
    todo = [name]
    while todo:
        current = stage(todo.pop())
        if current.name not in wanted:
            wanted.add(current.name)
            todo.extend(current.reads)
    return tuple(sec for s in STAGES if s.name in wanted for sec in s.sections)


@dataclass(frozen=True)
class WorkflowBase:
    """The run-wide fields of a workflow (the stage sections are added by :data:`WorkflowConfig`).

    Attributes
    ----------
    name : str
        Run name; the default output folder is ``results/<name>``.
    targets : str
        Path of the target list (one symbol per line, ``#`` comments), relative to the
        workflow file. Ignored if ``target_list`` is given.
    target_list : list of str
        Targets given inline.
    species : int
        NCBI taxon id; sent to STRING and checked against every import (the offline
        enrichment's shipped annotations are human only).
    offline : bool
        Never touch the network; every remote request must be in the cache.
    cache_dir : str
        Cache folder, relative to the workflow file.
    stages : list of str
        Stages to run, in order (default: every registered stage).
    claims : list of tables
        The paper's claims to check (``[[claims]]``: ``id``, ``text``, ``kind`` and the kind's
        parameters; see :mod:`netpharm.report.claims`). Validated at load.
    """

    name: str = "netpharm"
    description: str = ""
    targets: str = "targets.txt"
    target_list: tuple[str, ...] = ()
    species: int = 9606
    offline: bool = False
    cache_dir: str = "cache"
    stages: tuple[str, ...] = STAGE_NAMES
    claims: tuple[dict[str, Any], ...] = ()
    # Folder the workflow file was read from: relative paths resolve against it.
    base_dir: str = "."

    def __post_init__(self) -> None:
        bad = [s for s in self.stages if s not in _BY_NAME]
        if bad:
            raise ConfigError(f"unknown stage(s) {bad}; choose from {sorted(STAGE_NAMES)}")
        if self.species <= 0:
            raise ConfigError(f"species must be an NCBI taxon id (e.g. 9606 human, 10116 rat), got {self.species}")
        # Any STRING species: the network stage serves them all; the enrichment stage runs STRING's
        # enrichment for it and the offline ORA only on annotation files for that species (the shipped
        # ones are human; [enrichment] go_obo/go_annotations/gene_sets for others), saying so otherwise.

    def resolve(self, path: str) -> Path:
        """Resolve a path from the workflow file against its folder."""
        p = Path(path)
        return p if p.is_absolute() else Path(self.base_dir) / p


def _section_fields() -> list[tuple[str, type, Any]]:
    return [(sec, cls, field(default_factory=cls)) for s in STAGES for sec, cls in s.sections.items()]


if TYPE_CHECKING:
    class WorkflowConfig(WorkflowBase):
        """A whole netpharm run: :class:`WorkflowBase` plus one section per registered stage section."""

        def __getattr__(self, name: str) -> Any: ...  # the sections (network, hubs, enrichment, ...)
else:
    WorkflowConfig = dataclasses.make_dataclass(
        "WorkflowConfig", _section_fields(), bases=(WorkflowBase,), frozen=True,
        namespace={"__doc__": "A whole netpharm run: :class:`WorkflowBase` plus one field per stage config "
                              "section of the registry (network, hubs, enrichment, docking, nmda, report).",
                   "__module__": __name__})


def _validated(config: WorkflowConfig) -> WorkflowConfig:
    from netpharm.report.claims import parse_claims  # the claims validate against targets and systems

    parse_claims(config)
    return config


def load_workflow(path: Path | str | None, overrides: Mapping[str, Any] | None = None) -> WorkflowConfig:
    """Read a workflow TOML (``None`` = defaults only) and apply ``overrides``.

    ``overrides`` use the file's nesting, e.g. ``{"network": {"required_score": 700}}``;
    they come from command-line flags and win over the file. The ``[[claims]]`` are checked
    here (unknown kind, missing parameter, protein not among the targets, docking system
    not in the workflow: a :class:`ConfigError` naming the claim).
    """
    data: dict[str, Any] = {}
    base_dir = Path.cwd()
    if path is not None:
        path = Path(path)
        data = read_toml(path)
        if "base_dir" in data:
            raise ConfigError(f"{path}: 'base_dir' is set by netpharm, not by the file")
        base_dir = path.resolve().parent
    data = merge(data, overrides or {})
    data.setdefault("base_dir", str(base_dir))
    return _validated(from_mapping(WorkflowConfig, data, str(path) if path else "workflow"))


def apply_overrides(config: WorkflowConfig, overrides: Mapping[str, Any]) -> WorkflowConfig:
    """Return ``config`` with ``overrides`` merged in (re-validated)."""
    merged = merge(to_mapping(config), overrides)
    return _validated(from_mapping(WorkflowConfig, merged, "workflow"))

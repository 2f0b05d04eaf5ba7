"""Workflow configuration: validated, typed, frozen dataclasses.

Precedence is defaults < workflow file < command-line flags. Unknown keys are
rejected with the section named, and every value is type-checked, so a typo in a
workflow file fails loudly instead of being ignored.

Each stage owns its section dataclass in its own package (``netpharm.network.config``,
``netpharm.enrichment.config``...); this module composes them and holds the generic
loader.
"""

from __future__ import annotations

import dataclasses
import sys
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar, get_args, get_origin, get_type_hints

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

from netpharm.analysis.config import NmdaConfig
from netpharm.docking.config import DockingConfig
from netpharm.enrichment.config import EnrichmentConfig
from netpharm.errors import ConfigError
from netpharm.hubs.config import HubsConfig
from netpharm.io import plain_name, read_text_file
from netpharm.network.config import NetworkConfig
from netpharm.sources.config import SourcesConfig

__all__ = ["WorkflowConfig", "ReportConfig", "from_mapping", "to_mapping", "load_workflow", "apply_overrides"]

T = TypeVar("T")


@dataclass(frozen=True)
class ReportConfig:
    """What the final report includes."""

    enabled: bool = True
    title: str = ""


@dataclass(frozen=True)
class WorkflowConfig:
    """A whole netpharm run.

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
        NCBI taxon id (only 9606 is supported by the shipped data).
    offline : bool
        Never touch the network; every remote request must be in the cache.
    cache_dir : str
        Cache folder, relative to the workflow file.
    stages : list of str
        Stages to run, in order.
    sources : SourcesConfig
        HTTP timeouts, retries, deadline and the RCSB/PubChem hosts (``[sources]``).
    """

    name: str = "netpharm"
    description: str = ""
    targets: str = "targets.txt"
    target_list: tuple[str, ...] = ()
    species: int = 9606
    offline: bool = False
    cache_dir: str = "cache"
    stages: tuple[str, ...] = ("network", "enrichment", "docking", "nmda", "report")
    network: NetworkConfig = field(default_factory=NetworkConfig)
    hubs: HubsConfig = field(default_factory=HubsConfig)
    enrichment: EnrichmentConfig = field(default_factory=EnrichmentConfig)
    docking: DockingConfig = field(default_factory=DockingConfig)
    nmda: NmdaConfig = field(default_factory=NmdaConfig)
    report: ReportConfig = field(default_factory=ReportConfig)
    sources: SourcesConfig = field(default_factory=SourcesConfig)
    # Folder the workflow file was read from: relative paths resolve against it.
    base_dir: str = "."

    def __post_init__(self) -> None:
        try:
            plain_name(self.name, "workflow name")
        except ValueError as exc:
            raise ConfigError(str(exc)) from exc
        allowed = {"network", "enrichment", "docking", "nmda", "report"}
        bad = [s for s in self.stages if s not in allowed]
        if bad:
            raise ConfigError(f"unknown stage(s) {bad}; choose from {sorted(allowed)}")
        if self.species != 9606:
            raise ConfigError(
                f"species {self.species} is not supported: netpharm's shipped annotations and "
                "structures are human (9606)")

    def resolve(self, path: str) -> Path:
        """Resolve a path from the workflow file against its folder."""
        p = Path(path)
        return p if p.is_absolute() else Path(self.base_dir) / p


# --------------------------------------------------------------------------
# Generic, strict mapping -> dataclass conversion
# --------------------------------------------------------------------------
def _convert(value: Any, hint: Any, where: str) -> Any:
    origin = get_origin(hint)
    if hint is Any:
        return value
    if dataclasses.is_dataclass(hint):
        if not isinstance(value, Mapping):
            raise ConfigError(f"{where}: expected a table, got {type(value).__name__}")
        return from_mapping(hint, value, where)
    if origin in (typing.Union, types.UnionType):
        args = get_args(hint)
        if value is None and type(None) in args:
            return None
        errors = []
        for arg in args:
            if arg is type(None):
                continue
            try:
                return _convert(value, arg, where)
            except ConfigError as exc:
                errors.append(str(exc))
        raise ConfigError(errors[0] if errors else f"{where}: invalid value {value!r}")
    if origin is typing.Literal:
        if value not in get_args(hint):
            raise ConfigError(f"{where}: {value!r} is not one of {list(get_args(hint))}")
        return value
    if origin in (tuple, list):
        if not isinstance(value, (list, tuple)):
            raise ConfigError(f"{where}: expected a list, got {type(value).__name__}")
        args = get_args(hint)
        item = args[0] if args else Any
        items = [_convert(v, item, f"{where}[{i}]") for i, v in enumerate(value)]
        return tuple(items) if origin is tuple else items
    if origin is dict:
        if not isinstance(value, Mapping):
            raise ConfigError(f"{where}: expected a table, got {type(value).__name__}")
        _, vt = get_args(hint) or (str, Any)
        return {str(k): _convert(v, vt, f"{where}.{k}") for k, v in value.items()}
    if hint is float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ConfigError(f"{where}: expected a number, got {value!r}")
        return float(value)
    if hint is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ConfigError(f"{where}: expected an integer, got {value!r}")
        return value
    if hint is bool:
        if not isinstance(value, bool):
            raise ConfigError(f"{where}: expected true or false, got {value!r}")
        return value
    if hint is str:
        if not isinstance(value, str):
            raise ConfigError(f"{where}: expected a string, got {value!r}")
        return value
    raise ConfigError(f"{where}: unsupported config type {hint!r}")  # pragma: no cover


def from_mapping(cls: type[T], data: Mapping[str, Any], where: str = "workflow") -> T:
    """Build dataclass ``cls`` from ``data``, rejecting unknown keys and wrong types."""
    hints = get_type_hints(cls)
    names = {f.name for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    unknown = sorted(set(data) - names)
    if unknown:
        raise ConfigError(f"{where}: unknown key(s) {unknown}; allowed: {sorted(names)}")
    kwargs = {k: _convert(v, hints[k], f"{where}.{k}") for k, v in data.items()}
    try:
        return cls(**kwargs)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"{where}: {exc}") from exc


def to_mapping(obj: Any) -> Any:
    """Dataclass → plain dict/list (TOML/JSON-ready), for the run's provenance."""
    if dataclasses.is_dataclass(obj):
        return {f.name: to_mapping(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, (list, tuple)):
        return [to_mapping(v) for v in obj]
    if isinstance(obj, dict):
        return {k: to_mapping(v) for k, v in obj.items()}
    return obj


def _merge(base: dict[str, Any], extra: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in extra.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), Mapping):
            out[key] = _merge(dict(out[key]), value)
        else:
            out[key] = value
    return out


def load_workflow(path: Path | str | None, overrides: Mapping[str, Any] | None = None) -> WorkflowConfig:
    """Read a workflow TOML (``None`` = defaults only) and apply ``overrides``.

    ``overrides`` use the file's nesting, e.g. ``{"network": {"required_score": 700}}``;
    they come from command-line flags and win over the file.
    """
    data: dict[str, Any] = {}
    base_dir = Path.cwd()
    if path is not None:
        path = Path(path)
        try:
            data = tomllib.loads(read_text_file(path, "workflow file", ConfigError))
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{path}: invalid TOML: {exc}") from exc
        if "base_dir" in data:
            raise ConfigError(f"{path}: 'base_dir' is set by netpharm, not by the file")
        base_dir = path.resolve().parent
    data = _merge(data, overrides or {})
    data.setdefault("base_dir", str(base_dir))
    return from_mapping(WorkflowConfig, data, str(path) if path else "workflow")


def apply_overrides(config: WorkflowConfig, overrides: Mapping[str, Any]) -> WorkflowConfig:
    """Return ``config`` with ``overrides`` merged in (re-validated)."""
    merged = _merge(to_mapping(config), overrides)
    return from_mapping(WorkflowConfig, merged, "workflow")

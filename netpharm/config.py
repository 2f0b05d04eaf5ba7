"""The strict loader: mapping ⇄ frozen dataclass, TOML reading, override merging.

Core layer: imports nothing of netpharm but :mod:`netpharm.errors` and :mod:`netpharm.io`.
The workflow configuration itself is :class:`netpharm.registry.WorkflowConfig`.

Unknown keys are rejected with the section named and every value is type-checked, so a typo
in a workflow file (or a renamed field in a stage's ``summary.json``) fails loudly instead of
being ignored.
"""

from __future__ import annotations

import dataclasses
import functools
import sys
import types
import typing
from collections.abc import Hashable, Mapping
from pathlib import Path
from typing import Any, TypeVar, cast, get_args, get_origin, get_type_hints

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

from netpharm.errors import ConfigError

__all__ = ["from_mapping", "to_mapping", "merge", "read_toml"]

T = TypeVar("T")

# --------------------------------------------------------------------------
# Generic, strict mapping -> dataclass conversion
# --------------------------------------------------------------------------
@functools.cache
def _hints(cls: Any) -> dict[str, Any]:
    """``cls``'s resolved type hints, once per class (resolving them costs more than building
    the object: a campaign's findings hold thousands of poses and interactions)."""
    return get_type_hints(cls)


def _convert(value: Any, hint: Any, where: str, complete: bool = False) -> Any:
    origin = get_origin(hint)
    if hint is Any:
        return value
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        if not isinstance(value, Mapping):
            raise ConfigError(f"{where}: expected a table, got {toml_kind(value)}")
        return from_mapping(hint, value, where, complete)
    if origin in (typing.Union, types.UnionType):
        args = get_args(hint)
        if value is None and type(None) in args:
            return None
        errors = []
        for arg in args:
            if arg is type(None):
                continue
            try:
                return _convert(value, arg, where, complete)
            except ConfigError as exc:
                errors.append(str(exc))
        raise ConfigError(errors[0] if errors else f"{where}: invalid value {value!r}")
    if origin is typing.Literal:
        if value not in get_args(hint):
            raise ConfigError(f"{where}: {value!r} is not one of {list(get_args(hint))}")
        return value
    if origin in (tuple, list):
        if not isinstance(value, (list, tuple)):
            raise ConfigError(f"{where}: expected an array, got {toml_kind(value)}")
        args = get_args(hint)
        item = args[0] if args else Any
        items = [_convert(v, item, f"{where}[{i}]", complete) for i, v in enumerate(value)]
        return tuple(items) if origin is tuple else items
    if origin is dict:
        if not isinstance(value, Mapping):
            raise ConfigError(f"{where}: expected a table, got {toml_kind(value)}")
        _, vt = get_args(hint) or (str, Any)
        return {str(k): _convert(v, vt, f"{where}.{k}", complete) for k, v in value.items()}
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


def toml_kind(value: Any) -> str:
    """What a value is in TOML's words (for messages; Python's type names mean nothing to a user)."""
    if isinstance(value, bool):
        return f"a boolean ({str(value).lower()})"
    if isinstance(value, (int, float)):
        return f"a number ({value!r})"
    if isinstance(value, str):
        return f"a string ({value!r})"
    if isinstance(value, (list, tuple)):
        return "an array"
    return "a table" if isinstance(value, Mapping) else "a value of another kind"


def from_mapping(cls: type[T], data: Mapping[str, Any], where: str = "workflow", complete: bool = False) -> T:
    """Build dataclass ``cls`` from ``data``, rejecting unknown keys and wrong types.

    Parameters
    ----------
    cls : type
        A dataclass; nested dataclass fields are built recursively with the same rules.
    data : Mapping
        Parsed TOML or JSON.
    where : str
        Prefix of error messages (file and section), e.g. ``"network/summary.json: findings"``.
    complete : bool
        Every field must be present, defaults notwithstanding (how a stage's findings are
        read back: a field the writer did not write is a contract break, not a default).

    Raises
    ------
    ConfigError
        Unknown key, missing key (``complete``), or a value of the wrong type.
    """
    if not isinstance(data, Mapping):
        raise ConfigError(f"{where}: expected a table, got {toml_kind(data)}")
    hints = _hints(cast(Hashable, cls))
    names = [f.name for f in dataclasses.fields(cls)]  # type: ignore[arg-type]
    unknown = sorted(set(data) - set(names))
    if unknown:
        raise ConfigError(f"{where}: unknown key(s) {unknown}; allowed: {sorted(names)}")
    required = [f.name for f in dataclasses.fields(cls)  # type: ignore[arg-type]
                if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING]
    absent = [n for n in (names if complete else required) if n not in data]
    if absent:  # in the file's words, not as a Python TypeError about __init__ arguments
        raise ConfigError(f"{where}: missing key(s) {absent}")
    kwargs = {k: _convert(v, hints[k], f"{where}.{k}", complete) for k, v in data.items()}
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


def merge(base: dict[str, Any], extra: Mapping[str, Any]) -> dict[str, Any]:
    """``base`` with ``extra`` merged in, tables merged key by key (``extra`` wins)."""
    out = dict(base)
    for key, value in extra.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), Mapping):
            out[key] = merge(dict(out[key]), value)
        else:
            out[key] = value
    return out


def read_toml(path: Path) -> dict[str, Any]:
    """Parse a TOML file; a missing file or a syntax error is a :class:`ConfigError` naming the file."""
    from netpharm.io import read_text_file

    try:
        return tomllib.loads(read_text_file(path, "workflow file", ConfigError))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from exc

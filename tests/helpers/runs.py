"""Run directories for the tests: a fresh copy of the synthetic run, the offline workflow run, the
AutoDock input regenerator."""

from __future__ import annotations

import functools
import importlib.util
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

from .paths import AD, OFFLINE_WORKFLOW, SYNTHETIC_RUN


def copy_synthetic_run(tmp_path: Path, name: str = "run") -> Path:
    """A fresh copy of the hand-made synthetic run directory (the stored folder is never written to)."""
    return Path(shutil.copytree(SYNTHETIC_RUN, tmp_path / name))


def run_offline_workflow(out: Path, stages: Sequence[str]) -> Path:
    """Run ``stages`` of the offline microdiscectomy workflow (shipped cache) into ``out``."""
    from netpharm.registry import load_workflow
    from netpharm.workflow import run_workflow

    run_workflow(load_workflow(OFFLINE_WORKFLOW), out, stages=list(stages))
    return out


@functools.cache
def load_regenerate() -> ModuleType:
    """``tests/data/autodock/regenerate.py`` (the golden GPF/DPF writer) as a module."""
    spec = importlib.util.spec_from_file_location("ad_regen", AD / "regenerate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["ad_regen"] = module  # its dataclasses look their module up while being defined
    spec.loader.exec_module(module)
    return module


def recorded_docking_summary(path: Path) -> dict[str, Any]:
    """A docking ``summary.json`` recorded by an earlier netpharm, read as a rerun would write it today.

    The recorded file stays as written (real output, never edited); findings fields added since get their
    defaults, as a rerun writes them. A field without a default is left missing, so the strict reader still
    fails on a real renaming.
    """
    import json

    from netpharm.docking.findings import DockedSystem, DockingFindings, RedockResult

    data: dict[str, Any] = json.loads(Path(path).read_text(encoding="utf-8"))
    found = data["findings"]
    for key, cls in (("systems", DockedSystem), ("redocking", RedockResult)):
        for entry in found.get(key, []):
            _fill_defaults(entry, cls)
    _fill_defaults(found, DockingFindings)
    return data


def _fill_defaults(entry: dict[str, Any], cls: type) -> None:
    import dataclasses

    for f in dataclasses.fields(cls):
        if f.name in entry:
            continue
        if f.default is not dataclasses.MISSING:
            entry[f.name] = list(f.default) if isinstance(f.default, tuple) else f.default
        elif f.default_factory is not dataclasses.MISSING:  # type: ignore[misc]
            value = f.default_factory()  # type: ignore[misc]
            entry[f.name] = list(value) if isinstance(value, tuple) else value

"""The one place tests build a workflow configuration and a stage's ``RunContext``.

When ``RunContext``'s signature changes, :func:`stage_context` is the only function to edit.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from netpharm.registry import WorkflowConfig
from netpharm.registry import stage_context as registry_context
from netpharm.sources.cache import Cache
from netpharm.sources.http import HttpClient
from netpharm.stage import RunContext

from .paths import AD


def workflow_config(base_dir: Path | str, **fields: Any) -> WorkflowConfig:
    """A ``WorkflowConfig`` whose relative paths resolve against ``base_dir``; ``fields`` are its other
    fields (``name``, ``offline``, ``species``, one section per stage...)."""
    return WorkflowConfig(base_dir=str(base_dir), **fields)


def stage_context(config: WorkflowConfig, run_dir: Path, cache: Cache | Path, *, stage: str,
                  targets: Iterable[str] = (), offline: bool = True, http: Any = None) -> RunContext[Any]:
    """The context stage ``stage`` runs in (its own section of ``config`` and those it reads, the run's facts),
    with ``targets``, ``run_dir``, a cache and an HTTP client — as the workflow builds it.

    ``cache`` is a ``Cache`` or its folder (then opened with ``offline``); ``http`` defaults to a real
    ``HttpClient`` (the conftest blocks every non-loopback connection).
    """
    if not hasattr(config, stage):
        raise ValueError(f"the workflow configuration has no section for stage {stage!r}")
    if not isinstance(cache, Cache):
        cache = Cache(cache, offline=offline)
    return registry_context(config, stage, list(targets), Path(run_dir), cache, http or HttpClient())


def docking_context(tmp_path: Path, docking: Any, *, name: str = "t", base_dir: Path = AD,
                    run: str = "run") -> RunContext[Any]:
    """The docking stage's context: offline, run in ``tmp_path/run``, cache in ``tmp_path/cache``, input
    files relative to ``base_dir`` (the stored AutoDock files by default)."""
    config = workflow_config(base_dir, name=name, docking=docking, offline=True)
    return stage_context(config, tmp_path / run, tmp_path / "cache", stage="docking")


def enrichment_context(tmp_path: Path, derived: Path, targets: list[str], offline: bool = True, http: Any = None,
                       **enrichment: Any) -> RunContext[Any]:
    """The enrichment stage's context, its cache holding the session's parsed GO/Reactome library
    (``derived``, linked in) so that no test parses it again."""
    from netpharm.enrichment.config import EnrichmentConfig

    root = tmp_path / "cache"
    (root / "derived").mkdir(parents=True, exist_ok=True)
    if not (root / "derived" / "enrichment").exists():
        (root / "derived" / "enrichment").symlink_to(derived, target_is_directory=True)
    config = workflow_config(tmp_path, offline=offline, enrichment=EnrichmentConfig(**enrichment))
    return stage_context(config, tmp_path / "run", root, stage="enrichment", targets=targets, offline=offline,
                         http=http)

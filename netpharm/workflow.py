"""Run a workflow: targets → network → enrichment → docking → NMDA pore → report.

Each stage writes its own folder of the run directory and a resume record; the manifest
records the provenance of everything used. A run never mixes with an earlier one: an
existing run directory is refused unless ``resume`` (continue, skipping finished stages
whose inputs are unchanged) or ``force`` (start over) is given.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import logging
import platform
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path
from typing import Any

from netpharm import __version__
from netpharm.config import WorkflowConfig, to_mapping
from netpharm.errors import ConfigError, InputError, NetpharmError
from netpharm.io import read_text_file, write_json_atomic, write_text_atomic
from netpharm.runrecord import finished_stage, prepare_run_dir, record_stage
from netpharm.sources.cache import Cache
from netpharm.sources.http import HttpClient
from netpharm.stage import RunContext, StageOutcome

__all__ = ["read_targets", "run_workflow", "RunResult", "STAGES", "write_manifest"]

log = logging.getLogger(__name__)

STAGES: dict[str, str] = {
    "network": "netpharm.network.stage:run_network_stage",
    "enrichment": "netpharm.enrichment.stage:run_enrichment_stage",
    "docking": "netpharm.docking.stage:run_docking_stage",
    "nmda": "netpharm.analysis.nmda_stage:run_nmda_stage",
    "report": "netpharm.report.stage:run_report_stage",
}
# Config sections each stage depends on (its resume fingerprint).
_STAGE_INPUTS = {"network": ("network", "hubs"), "enrichment": ("enrichment",), "docking": ("docking",),
                 "nmda": ("nmda",), "report": ("report",)}
_SYMBOL = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._\-]*$")
_LIBRARIES = ("networkx", "igraph", "numba", "numpy", "scipy", "pandas", "requests", "matplotlib", "rdkit",
              "meeko", "gemmi", "biopython", "obonet", "pdbfixer", "openmm", "vina", "dask", "distributed")
_PROGRAMS = ("autogrid4", "autodock4", "vina", "obabel", "chromium")


def read_targets(path: Path) -> list[str]:
    """Read a target list: one symbol per line, ``#`` comments, duplicates dropped with a warning.

    Raises
    ------
    InputError
        Missing file, a line that is not a gene symbol (line named), or no target at all.
    """
    path = Path(path)
    targets: list[str] = []
    lines = read_text_file(path, "targets file").splitlines()
    for number, line in enumerate(lines, start=1):
        symbol = line.split("#", 1)[0].strip()
        if not symbol:
            continue
        if not _SYMBOL.match(symbol):
            raise InputError(f"{path}: line {number}: {symbol!r} is not a gene symbol")
        if symbol in targets:
            log.warning("%s: line %d: duplicate target %s ignored", path, number, symbol)
            continue
        targets.append(symbol)
    if not targets:
        raise InputError(f"{path}: no targets (empty list)")
    _warn_if_large(targets, str(path))
    return targets


# Above this many targets the all-pairs tables grow quadratically (5,000 targets = 12.5 M pairs)
# and STRING's API refuses such lists; netpharm still runs, but says so first.
LARGE_TARGET_LIST = 2000


def _warn_if_large(targets: Sequence[str], origin: str) -> None:
    if len(targets) > LARGE_TARGET_LIST:
        log.warning("%s: %d targets (more than %d): %d target pairs; the network stage will take long and "
                    "coverage.tsv lists only the pairs with STRING evidence", origin, len(targets),
                    LARGE_TARGET_LIST, len(targets) * (len(targets) - 1) // 2)


def _targets(config: WorkflowConfig) -> list[str]:
    if config.target_list:
        for index, symbol in enumerate(config.target_list):
            if not _SYMBOL.match(symbol):
                raise ConfigError(f"target_list[{index}]: {symbol!r} is not a gene symbol")
        deduped = list(dict.fromkeys(config.target_list))
        if len(deduped) != len(config.target_list):
            log.warning("duplicate targets in target_list ignored")
        _warn_if_large(deduped, "target_list")
        return deduped
    return read_targets(config.resolve(config.targets))


def _select_stages(config: WorkflowConfig, stages: Sequence[str] | None) -> list[str]:
    """The workflow's stages restricted to ``stages``; an unknown or absent name is an error."""
    if stages is None:
        return list(config.stages)
    unknown = [s for s in stages if s not in STAGES]
    if unknown:
        raise ConfigError(f"--stages: unknown stage(s) {', '.join(unknown)}; choose from {', '.join(STAGES)}")
    absent = [s for s in stages if s not in config.stages]
    if absent:
        raise ConfigError(f"--stages: {', '.join(absent)} not in this workflow's stages "
                          f"({', '.join(config.stages)})")
    if not stages:
        raise ConfigError("--stages: no stage named")
    return [s for s in config.stages if s in stages]


def _fingerprint(config: WorkflowConfig, stage: str, targets: Sequence[str]) -> str:
    mapping = to_mapping(config)
    payload = {"stage": stage, "targets": list(targets), "version": __version__,
               "sections": {s: mapping[s] for s in _STAGE_INPUTS[stage]},
               "offline": config.offline, "species": config.species}
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def _load_stage(name: str) -> Callable[[RunContext], StageOutcome]:
    module, func = STAGES[name].split(":")
    return getattr(importlib.import_module(module), func)


def _git_commit() -> str | None:
    repo = Path(__file__).resolve().parents[1]
    if not (repo / ".git").exists() or shutil.which("git") is None:
        return None
    try:
        out = subprocess.run(["git", "-C", str(repo), "rev-parse", "HEAD"], capture_output=True, text=True,
                             timeout=10, check=True)
        dirty = subprocess.run(["git", "-C", str(repo), "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True, timeout=10).stdout.strip()
        return out.stdout.strip() + ("-dirty" if dirty else "")
    except (subprocess.SubprocessError, OSError):
        return None


def _program_versions() -> dict[str, str | None]:
    try:
        from netpharm.docking.runner import program_version
    except ImportError:  # docking extras absent
        program_version = None  # type: ignore[assignment]
    versions: dict[str, str | None] = {}
    for name in _PROGRAMS:
        if shutil.which(name) is None:
            versions[name] = None
        elif program_version is not None and name != "chromium":
            try:
                versions[name] = program_version(name)
            except NetpharmError:
                versions[name] = "installed (version unknown)"
        else:
            versions[name] = "installed"
    return versions


def _library_versions() -> dict[str, str | None]:
    out: dict[str, str | None] = {}
    for lib in _LIBRARIES:
        try:
            out[lib] = metadata.version(lib)
        except metadata.PackageNotFoundError:
            out[lib] = None
    return out


@dataclass
class RunResult:
    """What a workflow run produced."""

    run_dir: Path
    outcomes: dict[str, StageOutcome] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)

    @property
    def failed(self) -> list[str]:
        return [name for name, o in self.outcomes.items() if o.status == "failed"]


def write_manifest(ctx: RunContext, result: RunResult, started: str, finished: str | None) -> None:
    """The run's provenance record (see docs/run-directory.md)."""
    config = ctx.config
    manifest: dict[str, Any] = {
        "netpharm_version": __version__, "git_commit": _git_commit(),
        "python": sys.version.split()[0], "platform": platform.platform(),
        "libraries": _library_versions(), "programs": _program_versions(),
        "workflow": config.name, "config": to_mapping(config), "targets": ctx.targets,
        "offline": config.offline, "cache_dir": str(ctx.cache.root),
        "seeds": {"epc_seed": config.hubs.epc_seed, "bootstrap_seed": config.network.bootstrap_seed,
                  **{k: v for k, v in to_mapping(config.docking).items() if "seed" in k}},
        "cache_entries": [e.provenance() for e in sorted(ctx.cache.used.values(), key=lambda e: e.key)],
        "stages": {name: {"status": o.status, "reason": o.reason} for name, o in result.outcomes.items()},
        "skipped_on_resume": result.skipped, "started": started, "finished": finished,
    }
    write_json_atomic(ctx.run_dir / "manifest.json", manifest)


def run_workflow(config: WorkflowConfig, run_dir: Path | None = None, force: bool = False,
                 resume: bool = False, stages: Sequence[str] | None = None,
                 http: HttpClient | None = None, refresh: Sequence[str] = ()) -> RunResult:
    """Run the workflow's stages in order and return their outcomes.

    A stage that raises a :class:`~netpharm.errors.NetpharmError` is recorded as failed with
    its message; the following stages still run, and the report shows the failure.
    ``refresh`` names cache entries to fetch again (see :class:`~netpharm.sources.cache.Cache`);
    with ``resume``, it re-runs every stage (a skipped stage would fetch nothing).
    """
    targets = _targets(config)
    selected = _select_stages(config, stages)
    run_dir = Path(run_dir or Path("results") / config.name)
    prepare_run_dir(run_dir, config.name, force, resume)
    cache = Cache(config.resolve(config.cache_dir), offline=config.offline, refresh=refresh)
    ctx = RunContext(config, targets, run_dir, cache, http or config.sources.client())
    write_json_atomic(run_dir / "workflow.resolved.json", to_mapping(config))
    write_text_atomic(run_dir / "targets.txt", "\n".join(targets) + "\n")
    started = datetime.now(timezone.utc).isoformat(timespec="seconds")
    result = RunResult(run_dir)
    log.info("run %s: %d targets, stages %s, %s", config.name, len(targets), ", ".join(selected),
             "offline" if config.offline else "online")
    for number, name in enumerate(selected, start=1):
        fingerprint = _fingerprint(config, name, targets)
        previous = (finished_stage(run_dir, name, fingerprint, cache) if resume and not refresh and name != "report"
                    else None)
        if previous is not None:
            log.info("[%d/%d] %s: finished earlier with the same inputs, skipped", number, len(selected), name)
            result.skipped.append(name)
            result.outcomes[name] = StageOutcome(**previous)
            continue
        if name == "report":
            write_manifest(ctx, result, started, None)
        log.info("[%d/%d] %s ...", number, len(selected), name)
        # A stage about to run invalidates its old record (the report lists the run's files).
        (run_dir / "stages" / f"{name}.json").unlink(missing_ok=True)
        tic = time.monotonic()
        earlier, cache.used = cache.used, {}   # which entries this stage reads, for its record
        try:
            outcome = _load_stage(name)(ctx)
        except NetpharmError as exc:
            log.error("%s stage failed: %s", name, exc)
            outcome = StageOutcome(name, "failed", f"{exc.__class__.__name__}: {exc}")
        stage_keys = sorted(cache.used)
        cache.used = {**earlier, **cache.used}
        log.info("[%d/%d] %s: %s in %.1f s", number, len(selected), name, outcome.status, time.monotonic() - tic)
        write_json_atomic(run_dir / name / "summary.json", outcome.to_json())
        record_stage(run_dir, name, fingerprint, outcome.status, stage_keys)
        result.outcomes[name] = outcome
    write_manifest(ctx, result, started, datetime.now(timezone.utc).isoformat(timespec="seconds"))
    return result

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
from netpharm.errors import InputError, NetpharmError, OutputExistsError
from netpharm.io import write_json_atomic, write_text_atomic
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
    if not path.is_file():
        raise InputError(f"targets file not found: {path}")
    targets: list[str] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
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
    return targets


def _targets(config: WorkflowConfig) -> list[str]:
    if config.target_list:
        deduped = list(dict.fromkeys(config.target_list))
        if len(deduped) != len(config.target_list):
            log.warning("duplicate targets in target_list ignored")
        return deduped
    return read_targets(config.resolve(config.targets))


def _fingerprint(config: WorkflowConfig, stage: str, targets: Sequence[str]) -> str:
    mapping = to_mapping(config)
    payload = {"stage": stage, "targets": list(targets), "version": __version__,
               "sections": {s: mapping[s] for s in _STAGE_INPUTS[stage]},
               "offline": config.offline, "species": config.species}
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def _load_stage(name: str) -> Callable[[RunContext], StageOutcome]:
    module, func = STAGES[name].split(":")
    return getattr(importlib.import_module(module), func)


def _prepare_run_dir(run_dir: Path, force: bool, resume: bool) -> None:
    if run_dir.exists() and any(run_dir.iterdir()):
        if resume:
            if not (run_dir / "manifest.json").exists():
                raise OutputExistsError(f"{run_dir} is not a netpharm run directory; cannot resume it")
            return
        if not force:
            raise OutputExistsError(f"{run_dir} already holds an earlier run; use --resume to continue it "
                                    "or --force to replace it")
        if not (run_dir / "manifest.json").exists() and any(run_dir.iterdir()):
            raise OutputExistsError(f"{run_dir} is not empty and not a netpharm run; refusing to delete it")
        shutil.rmtree(run_dir)
    run_dir.mkdir(parents=True, exist_ok=True)


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
        # Files read outside the cache (e.g. the user's annotation files), as each stage recorded them.
        "stage_data_sources": {name: o.findings["data_sources"] for name, o in result.outcomes.items()
                               if o.findings.get("data_sources")},
        "stages": {name: {"status": o.status, "reason": o.reason} for name, o in result.outcomes.items()},
        "skipped_on_resume": result.skipped, "started": started, "finished": finished,
    }
    write_json_atomic(ctx.run_dir / "manifest.json", manifest)


def run_workflow(config: WorkflowConfig, run_dir: Path | None = None, force: bool = False,
                 resume: bool = False, stages: Sequence[str] | None = None,
                 http: HttpClient | None = None) -> RunResult:
    """Run the workflow's stages in order and return their outcomes.

    A stage that raises a :class:`~netpharm.errors.NetpharmError` is recorded as failed with
    its message; the following stages still run, and the report shows the failure.
    """
    targets = _targets(config)
    run_dir = Path(run_dir or Path("results") / config.name)
    _prepare_run_dir(run_dir, force, resume)
    cache = Cache(config.resolve(config.cache_dir), offline=config.offline)
    ctx = RunContext(config, targets, run_dir, cache, http or HttpClient())
    write_json_atomic(run_dir / "workflow.resolved.json", to_mapping(config))
    write_text_atomic(run_dir / "targets.txt", "\n".join(targets) + "\n")
    started = datetime.now(timezone.utc).isoformat(timespec="seconds")
    result = RunResult(run_dir)
    selected = [s for s in config.stages if stages is None or s in stages]
    log.info("run %s: %d targets, stages %s, %s", config.name, len(targets), ", ".join(selected),
             "offline" if config.offline else "online")
    for number, name in enumerate(selected, start=1):
        record = run_dir / "stages" / f"{name}.json"
        fingerprint = _fingerprint(config, name, targets)
        if resume and name != "report" and record.exists():
            previous = json.loads(record.read_text())
            if previous.get("fingerprint") == fingerprint and previous.get("status") != "failed":
                log.info("[%d/%d] %s: finished earlier with the same inputs, skipped", number, len(selected), name)
                result.skipped.append(name)
                result.outcomes[name] = StageOutcome(**json.loads((run_dir / name / "summary.json").read_text()))
                continue
        if name == "report":
            write_manifest(ctx, result, started, None)
        log.info("[%d/%d] %s ...", number, len(selected), name)
        tic = time.monotonic()
        try:
            outcome = _load_stage(name)(ctx)
        except NetpharmError as exc:
            log.error("%s stage failed: %s", name, exc)
            outcome = StageOutcome(name, "failed", f"{exc.__class__.__name__}: {exc}")
        log.info("[%d/%d] %s: %s in %.1f s", number, len(selected), name, outcome.status, time.monotonic() - tic)
        write_json_atomic(run_dir / name / "summary.json", outcome.to_json())
        write_json_atomic(record, {"stage": name, "fingerprint": fingerprint, "status": outcome.status})
        result.outcomes[name] = outcome
    write_manifest(ctx, result, started, datetime.now(timezone.utc).isoformat(timespec="seconds"))
    return result

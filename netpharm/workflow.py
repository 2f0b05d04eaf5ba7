"""Run a workflow: targets → network → enrichment → docking → NMDA pore → report.

Each stage writes its own folder of the run directory and a resume record; the manifest
records the provenance of everything used. A run never mixes with an earlier one: an
existing run directory is refused unless ``resume`` (continue, skipping finished stages
whose inputs are unchanged) or ``force`` (start over) is given.
"""

from __future__ import annotations

import logging
import platform
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
from netpharm.config import to_mapping
from netpharm.errors import ConfigError, NetpharmError, OutputWriteError
from netpharm.io import file_sha256, json_sha256, make_dir, write_json_atomic, write_text_atomic
from netpharm.registry import (
    REPORT,
    WorkflowConfig,
    expand_config,
    fingerprint_sections,
    resolve_targets,
    stage,
    stage_context,
)
from netpharm.registry import stages as registered_stages
from netpharm.report.build import REPORT_STEP
from netpharm.runlock import lock_run_dir
from netpharm.runrecord import check_run_dir, finished_stage, prepare_run_dir, record_stage
from netpharm.sources.cache import Cache
from netpharm.sources.http import HttpClient
from netpharm.stage import RunContext, Stage, StageOutcome, read_outcome

__all__ = ["run_workflow", "RunResult", "write_manifest", "stage_fingerprint"]

log = logging.getLogger(__name__)

_LIBRARIES = ("networkx", "igraph", "numba", "numpy", "scipy", "pandas", "requests", "matplotlib", "rdkit",
              "meeko", "gemmi", "biopython", "obonet", "pdbfixer", "openmm", "vina", "dask", "distributed")
_PROGRAMS = ("autogrid4", "autodock4", "vina", "obabel", "chromium")


def stage_fingerprint(config: WorkflowConfig, name: str, targets: Sequence[str]) -> str:
    """The resume fingerprint of stage ``name``: sha256 of everything its outputs depend on.

    Covers the targets, netpharm's version, offline mode, species and the config sections of
    the stage **and of every stage it reads** (:func:`netpharm.registry.fingerprint_sections`):
    a resumed enrichment re-runs when ``[network]`` changed, because it asks STRING with the
    network's host and score.
    """
    mapping = to_mapping(config)
    sections = {s: mapping[s] for s in _fingerprint_sections(name)}
    payload = {"stage": name, "targets": list(targets), "version": __version__, "sections": sections,
               "files": input_file_hashes(config, sections),
               "offline": config.offline, "species": config.species}
    facts = config.facts()
    payload.update({f: getattr(facts, f) for f in (() if name == REPORT else stage(name).facts)})
    return json_sha256(payload)


def input_file_hashes(config: WorkflowConfig, sections: Any) -> dict[str, str]:
    """sha256 of every existing file a section value names (user GAF/OBO/GMT, receptor PDB, ligand SDF …).

    A path alone is not enough for resume: a user who edits ``my_annotations.gaf`` in place
    must get a re-run, not the previous stage's outputs.
    """
    hashes: dict[str, str] = {}
    for value in _string_leaves(sections):
        try:
            path = config.resolve(value)
            if not path.is_file():
                continue
        except (OSError, ValueError):   # a SMILES or name that is no valid path on this system
            continue
        hashes[value] = file_sha256(path)
    return hashes


def _string_leaves(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [leaf for item in value.values() for leaf in _string_leaves(item)]
    if isinstance(value, (list, tuple)):
        return [leaf for item in value for leaf in _string_leaves(item)]
    return []


def _fingerprint_sections(name: str) -> tuple[str, ...]:
    """A stage's fingerprint sections; the report's are every stage's and its own (it reads them all)."""
    if name == REPORT:
        return (*(sec for s in registered_stages() for sec in s.sections), REPORT)
    return fingerprint_sections(name)


def _step(name: str) -> Stage[Any]:
    """The stage ``name``, or the report (the last step)."""
    return REPORT_STEP if name == REPORT else stage(name)


def _context(config: WorkflowConfig, name: str, targets: list[str], run_dir: Path, cache: Cache,
             http: HttpClient) -> RunContext[Any]:
    if name == REPORT:
        return RunContext(REPORT, config.report, config.facts(), targets, run_dir, cache, http)
    return stage_context(config, name, targets, run_dir, cache, http)


def _select_stages(config: WorkflowConfig, stages: Sequence[str] | None) -> list[str]:
    """The workflow's stages restricted to ``stages`` (known names); one the workflow lacks is an error."""
    if stages is None:
        return list(config.stages)
    absent = [s for s in stages if s not in config.stages]
    if absent:
        raise ConfigError(f"--stages: {', '.join(absent)} not in this workflow's stages "
                          f"({', '.join(config.stages)})")
    if not stages:
        raise ConfigError("--stages: no stage named")
    return [s for s in config.stages if s in stages]


def _load_stage(name: str) -> Callable[[RunContext[Any]], StageOutcome[Any]]:
    """The run function of stage ``name`` or of the report (one seam, so fault tests can wrap it)."""
    return _step(name).load_run()


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
        from netpharm.docking.run.runner import program_version
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
    outcomes: dict[str, StageOutcome[Any]] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)

    @property
    def failed(self) -> list[str]:
        return [name for name, o in self.outcomes.items() if o.status == "failed"]


def write_manifest(config: WorkflowConfig, targets: list[str], run_dir: Path, cache: Cache, result: RunResult,
                   started: str, finished: str | None) -> None:
    """The run's provenance record (see docs/run-directory.md)."""
    manifest: dict[str, Any] = {
        "netpharm_version": __version__, "git_commit": _git_commit(),
        "python": sys.version.split()[0], "platform": platform.platform(),
        "libraries": _library_versions(), "programs": _program_versions(),
        "workflow": config.name, "config": to_mapping(config), "targets": targets,
        "offline": config.offline, "cache_dir": str(cache.root),
        "seeds": {"epc_seed": config.hubs.epc_seed, "bootstrap_seed": config.network.bootstrap_seed,
                  **{k: v for k, v in to_mapping(config.docking).items() if "seed" in k}},
        "cache_entries": [e.provenance() for e in sorted(cache.used.values(), key=lambda e: e.key)],
        # Files read outside the cache (e.g. the user's annotation files), as each stage recorded them.
        "stage_data_sources": {name: to_mapping(sources) for name, o in result.outcomes.items()
                               if (sources := getattr(o.findings, "data_sources", None))},
        "stages": {name: {"status": o.status, "reason": o.reason} for name, o in result.outcomes.items()},
        "skipped_on_resume": result.skipped, "started": started, "finished": finished,
    }
    write_json_atomic(run_dir / "manifest.json", manifest)


def _stop_unwritable(config: WorkflowConfig, targets: list[str], run_dir: Path, cache: Cache, result: RunResult,
                     started: str, stage: str, exc: OutputWriteError) -> None:
    """End a run whose own records cannot be written: one line saying what is kept and what is not.

    The stages recorded so far are intact (every file is written atomically, so none is half-written
    under its final name) and ``--resume`` skips them; ``stage`` has no record and runs again. The
    manifest is tried once more (a small file may still fit); whether it was written is said.

    Raises
    ------
    OutputWriteError
        Always.
    """
    (run_dir / "stages" / f"{stage}.json").unlink(missing_ok=True)  # never a record of an unrecorded stage
    kept = list(result.outcomes)
    result.outcomes[stage] = StageOutcome(stage, "failed", f"not recorded: {exc}")
    earlier = (run_dir / "manifest.json").is_file()  # written before the report stage
    try:
        write_manifest(config, targets, run_dir, cache, result, started, None)
        manifest = "manifest.json written (the run marked unfinished)"
    except OutputWriteError:
        manifest = (f"manifest.json not updated (the one there was written before stage {stage})" if earlier
                    else "manifest.json not written either")
    recorded = f"kept: {', '.join(kept)} (recorded)" if kept else "no stage was recorded"
    report = "" if stage == REPORT else "report not built; "
    raise OutputWriteError(f"{exc}; the run stopped at stage {stage}: {recorded}; {manifest}; {report}"
                           f"`--resume` continues from {stage} once there is space") from exc


def run_workflow(config: WorkflowConfig, run_dir: Path | None = None, force: bool = False,
                 resume: bool = False, stages: Sequence[str] | None = None,
                 http: HttpClient | None = None, refresh: Sequence[str] = ()) -> RunResult:
    """Run the workflow's stages in order and return their outcomes.

    A stage that raises a :class:`~netpharm.errors.NetpharmError` is recorded as failed with
    its message; the following stages still run, and the report shows the failure.
    ``refresh`` names cache entries to fetch again (see :class:`~netpharm.sources.cache.Cache`);
    with ``resume``, it re-runs every stage (a skipped stage would fetch nothing).
    The run directory is marked before anything else is written, and a stage counts as
    finished on ``resume`` only when its record's files are all intact
    (:mod:`netpharm.runrecord`), so a run killed at any point resumes. The folder is locked for
    the run's life (:mod:`netpharm.runlock`): a second run into it is refused, naming the first.
    """
    for name in stages or ():
        if name != REPORT:
            stage(name)  # an unknown name in --stages is a ConfigError listing the stages, not a silent no-op
    targets = resolve_targets(config)
    selected = _select_stages(config, stages)
    run_dir = Path(run_dir or Path("results") / config.name)
    check_run_dir(run_dir, force, resume, config.name)  # before anything is written, the lock file included
    make_dir(run_dir)
    with lock_run_dir(run_dir):  # one run at a time in a folder, for the whole run
        prepare_run_dir(run_dir, config.name, force, resume)
        return _run_stages(config, targets, selected, run_dir, resume, http, refresh)


def _run_stages(config: WorkflowConfig, targets: list[str], selected: list[str], run_dir: Path, resume: bool,
                http: HttpClient | None, refresh: Sequence[str]) -> RunResult:
    """The stages of a prepared, locked run folder, then the report and the manifest."""
    cache = Cache(config.resolve(config.cache_dir), offline=config.offline, refresh=refresh)
    http = http or config.sources.client()
    write_json_atomic(run_dir / "workflow.resolved.json", to_mapping(config))
    write_text_atomic(run_dir / "targets.txt", "\n".join(targets) + "\n")
    started = datetime.now(timezone.utc).isoformat(timespec="seconds")
    result = RunResult(run_dir)
    log.info("run %s: %d targets, stages %s, %s", config.name, len(targets), ", ".join(selected),
             "offline" if config.offline else "online")
    def earlier_outcome(upstream: str) -> StageOutcome[Any] | None:
        """An earlier stage's outcome in this run, else in the run folder (a run of selected stages)."""
        if upstream in result.outcomes:
            return result.outcomes[upstream]
        summary = run_dir / upstream / "summary.json"
        try:
            return read_outcome(summary, _step(upstream)) if summary.is_file() else None
        except NetpharmError:
            return None

    for number, name in enumerate(selected, start=1):
        spec = _step(name)
        config = expand_config(config, name, earlier_outcome, run_dir)  # e.g. the docking matrix, from the stages before it
        fingerprint = stage_fingerprint(config, name, targets)
        previous = (finished_stage(run_dir, name, fingerprint, cache) if resume and not refresh and name != REPORT
                    else None)
        if previous is not None:
            try:
                outcome = read_outcome(run_dir / name / "summary.json", spec)
            except NetpharmError as exc:   # a summary from another netpharm version: run the stage again
                log.info("%s: re-run on resume (%s)", name, exc)
            else:
                log.info("[%d/%d] %s: finished earlier with the same inputs, skipped", number, len(selected), name)
                result.skipped.append(name)
                result.outcomes[name] = outcome
                continue
        if name == REPORT:
            try:
                write_manifest(config, targets, run_dir, cache, result, started, None)
            except OutputWriteError as exc:
                _stop_unwritable(config, targets, run_dir, cache, result, started, name, exc)
        log.info("[%d/%d] %s ...", number, len(selected), name)
        # A stage about to run invalidates its old record (the report lists the run's files).
        (run_dir / "stages" / f"{name}.json").unlink(missing_ok=True)
        tic = time.monotonic()
        earlier, cache.used = cache.used, {}   # which entries this stage reads, for its record
        try:
            outcome = _load_stage(name)(_context(config, name, targets, run_dir, cache, http))
        except NetpharmError as exc:
            log.error("%s stage failed: %s", name, exc)
            outcome = StageOutcome(name, "failed", str(exc))  # the message says what happened; no class names
        stage_keys = sorted(cache.used)
        cache.used = {**earlier, **cache.used}
        if outcome.findings is not None and not isinstance(outcome.findings, spec.findings):
            raise TypeError(f"stage {name} returned {type(outcome.findings).__name__} findings, "
                            f"not {spec.findings.__name__}")  # a programming error: keep the traceback
        log.info("[%d/%d] %s: %s in %.1f s", number, len(selected), name, outcome.status, time.monotonic() - tic)
        try:
            write_json_atomic(run_dir / name / "summary.json", outcome.to_json())
            record_stage(run_dir, name, fingerprint, outcome.status, stage_keys)
        except OutputWriteError as exc:  # the disk is full (or gone read-only): nothing more can be recorded
            _stop_unwritable(config, targets, run_dir, cache, result, started, name, exc)
        result.outcomes[name] = outcome
    write_manifest(config, targets, run_dir, cache, result, started,
                   datetime.now(timezone.utc).isoformat(timespec="seconds"))
    return result

"""Run-directory bookkeeping that makes a killed run resumable.

* A run directory is marked the moment it is created (``netpharm-run.json``), so a run
  killed before its first stage finished is still recognised by ``--resume``/``--force``.
* A stage's resume record (``stages/<stage>.json``) lists every file of its folder with
  size and sha256; ``--resume`` trusts a record only when all of them are still there
  unchanged, and re-runs the stage otherwise (a truncated table, a deleted summary).
* Temporary files of an interrupted atomic write are removed before resuming.

See ``docs/run-directory.md``.
"""

from __future__ import annotations

import logging
import shutil
from collections.abc import Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from netpharm import __version__
from netpharm.errors import CacheCorruptError, ConfigError, InputError, OutputExistsError, OutputWriteError
from netpharm.io import file_sha256, is_temp_file, make_dir, read_json, remove_temp_files, write_json_atomic
from netpharm.runlock import LOCK_FILE
from netpharm.sources.cache import Cache

__all__ = ["MARKER", "is_run_dir", "looks_like_run_dir", "check_run_dir", "prepare_run_dir", "record_stage", "finished_stage", "file_digest"]

log = logging.getLogger(__name__)

MARKER = "netpharm-run.json"


def is_run_dir(path: Path) -> bool:
    """True when ``path`` was created by ``netpharm run`` (marker, or a manifest of older runs)."""
    path = Path(path)
    return path.is_dir() and ((path / MARKER).is_file() or (path / "manifest.json").is_file())


def looks_like_run_dir(path: Path) -> bool:
    """A run directory, or what is left of one: marker, manifest, resolved workflow or a stage summary.

    Lenient on purpose (``netpharm report`` works on half-finished runs), but a folder of
    the user's own files is never mistaken for one.
    """
    path = Path(path)
    if is_run_dir(path) or (path / "workflow.resolved.json").is_file() or (path / "stages").is_dir():
        return True
    from netpharm.registry import STAGE_NAMES  # here: `netpharm network` imports this module, not the registry

    return any((path / stage / "summary.json").is_file() for stage in STAGE_NAMES)


def _mark(run_dir: Path, workflow: str) -> None:
    write_json_atomic(run_dir / MARKER, {
        "netpharm_run": True, "netpharm_version": __version__, "workflow": workflow,
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds")})


def _contents(run_dir: Path) -> list[Path]:
    """What the folder holds besides the run lock."""
    return [p for p in run_dir.iterdir() if p.name != LOCK_FILE]


def _made_by(run_dir: Path) -> str | None:
    """The name of the workflow that made a run folder (its marker, else its manifest), None when unknown."""
    for name in (MARKER, "manifest.json"):
        record = _read_json(run_dir / name) if (run_dir / name).is_file() else None
        if isinstance(record, dict) and isinstance(record.get("workflow"), str):
            return str(record["workflow"])
    return None


def check_run_dir(run_dir: Path, force: bool = False, resume: bool = False, workflow: str = "") -> None:
    """Whether a run of ``workflow`` may write ``run_dir``; writes nothing.

    Raises
    ------
    ConfigError
        ``resume`` and ``force`` together (they contradict each other).
    OutputExistsError
        The folder holds files and neither flag is given, or it is not a netpharm run
        directory (never deleted, never resumed into), or ``resume`` into a run of another
        workflow (its resolved workflow, manifest and report would be replaced).
    OutputWriteError
        The path is a file.
    """
    run_dir = Path(run_dir)
    if resume and force:
        raise ConfigError("--resume and --force contradict each other: --resume keeps finished stages, "
                          "--force deletes them; give one")
    if run_dir.exists() and not run_dir.is_dir():
        raise OutputWriteError(f"run directory {run_dir} is an existing file, not a folder")
    if run_dir.is_dir() and _contents(run_dir):
        if not is_run_dir(run_dir):
            raise OutputExistsError(f"{run_dir} is not empty and not a netpharm run directory; refusing to "
                                    f"{'resume into' if resume else 'delete' if force else 'write into'} it")
        if not resume and not force:
            raise OutputExistsError(f"{run_dir} already holds an earlier run; use --resume to continue it "
                                    "or --force to replace it")
        made_by = _made_by(run_dir) if resume and workflow else None
        if made_by is not None and made_by != workflow:
            raise OutputExistsError(f"{run_dir} holds a run of workflow '{made_by}', not '{workflow}': --resume "
                                    "continues the same workflow only; give another --out (or --force to replace it)")


def prepare_run_dir(run_dir: Path, workflow: str, force: bool = False, resume: bool = False) -> None:
    """Reuse (``resume``) or empty (``force``) a run directory, then mark it; call it holding the run's lock.

    Raises
    ------
    ConfigError, OutputExistsError
        As :func:`check_run_dir` (checked again: another run may have written the folder meanwhile).
    OutputWriteError
        The folder cannot be created or emptied.
    """
    run_dir = Path(run_dir)
    check_run_dir(run_dir, force, resume, workflow)
    if run_dir.is_dir() and _contents(run_dir):
        if resume:
            remove_temp_files(run_dir)
            if not (run_dir / MARKER).is_file():
                _mark(run_dir, workflow)
            return
        for path in _contents(run_dir):  # --force: everything but the lock this run holds
            try:
                shutil.rmtree(path) if path.is_dir() and not path.is_symlink() else path.unlink()
            except OSError as exc:
                raise OutputWriteError(f"cannot delete the earlier run {run_dir}: {exc.strerror or exc}") from exc
    make_dir(run_dir)
    _mark(run_dir, workflow)


def file_digest(path: Path) -> dict[str, Any]:
    """``{"size", "sha256"}`` of a file, read in blocks (docking logs can be large)."""
    return {"size": path.stat().st_size, "sha256": file_sha256(path)}


def _stage_files(run_dir: Path, stage: str) -> dict[str, dict[str, Any]]:
    folder = run_dir / stage
    if not folder.is_dir():
        return {}
    return {str(p.relative_to(run_dir)): file_digest(p) for p in sorted(folder.rglob("*"))
            if p.is_file() and not is_temp_file(p)}


def record_stage(run_dir: Path, stage: str, fingerprint: str, status: str,
                 cache_keys: Sequence[str] = ()) -> Path:
    """Write ``stages/<stage>.json``: fingerprint, status, every file of the stage folder and
    the cache entries the stage read (so a resumed run's manifest still lists them)."""
    return write_json_atomic(Path(run_dir) / "stages" / f"{stage}.json", {
        "stage": stage, "fingerprint": fingerprint, "status": status,
        "files": _stage_files(Path(run_dir), stage), "cache_keys": sorted(cache_keys)})


def _reload_cache_entries(cache: Cache, keys: Sequence[str]) -> str:
    for key in keys:
        try:
            if cache.load(str(key)) is None:
                return f"cache entry {key} it read is gone"
        except (CacheCorruptError, ValueError):
            return f"cache entry {key} it read is corrupt"
    return ""


def _read_json(path: Path) -> Any:
    """The JSON in ``path``, or None when unreadable (the stage is then re-run, not trusted)."""
    try:
        return read_json(path, "resume record")
    except InputError:
        return None


def finished_stage(run_dir: Path, stage: str, fingerprint: str, cache: Cache | None = None) -> dict[str, Any] | None:
    """The stage's recorded summary when it can be trusted on resume, else ``None`` (re-run it).

    Trusted = the record parses, has the same input fingerprint, did not fail, lists its
    files, and every listed file exists with the recorded size and sha256 (so a truncated
    or deleted output, or a record from an older netpharm without file list, re-runs).
    With ``cache``, the cache entries the stage read are loaded (verified) again, so they
    appear in the manifest; one that is gone or corrupt re-runs the stage.
    """
    run_dir = Path(run_dir)
    record = _read_json(run_dir / "stages" / f"{stage}.json")
    why = ""
    if not isinstance(record, dict):
        why = "no readable resume record"
    elif record.get("fingerprint") != fingerprint:
        why = "inputs changed"
    elif record.get("status") == "failed":
        why = "it failed last time"
    elif not isinstance(record.get("files"), dict) or f"{stage}/summary.json" not in record["files"]:
        why = "its record lists no outputs"
    else:
        for name, expected in sorted(record["files"].items()):
            path = run_dir / name
            if not path.is_file() or path.stat().st_size != expected.get("size") \
                    or file_digest(path)["sha256"] != expected.get("sha256"):
                why = f"output {name} is missing or changed"
                break
    summary = None if why else _read_json(run_dir / stage / "summary.json")
    if not why and not isinstance(summary, dict):
        why = "its summary.json is unreadable"
    if not why and cache is not None:
        why = _reload_cache_entries(cache, record.get("cache_keys") or [])
    if why:
        if record is not None:
            log.info("%s: re-run on resume (%s)", stage, why)
        return None
    return summary

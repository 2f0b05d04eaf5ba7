"""Docking programs that outlived their run: recorded while they run, stopped before a resumed run starts.

autodock4/autogrid4/vina run in a session of their own (so a timeout kills their whole group), which also
means a ``kill -9`` of netpharm leaves them running: the orphan keeps writing its job folder, and a resumed
run would start the same job in the same folder beside it. So every program started for a job leaves a
record in the job folder while it runs, ``running_<pid>.json``: its pid and start time (the kernel's, in
clock ticks since boot, so a reused pid is never mistaken for it), the boot, the host, and the worker
process that waits for it. Before a run starts any job, :func:`stop_orphans` looks at the records in the
job folders: the run holds the run folder's lock (:mod:`netpharm.runlock`), so a program still alive there
belongs to a dead run; it is killed, with its worker, and the job is run again. A record from another
host (a Dask worker) cannot be checked from here: its jobs are refused with one line saying what to do.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from netpharm.errors import NetpharmError, SchedulerError
from netpharm.io import read_json, write_json_atomic

__all__ = ["RUNNING_GLOB", "process_start", "mark_running", "stop_orphans"]

log = logging.getLogger(__name__)

RUNNING_GLOB = "running_*.json"
STOP_WAIT = 10.0  # seconds to wait for a killed program to be gone


def process_start(pid: int) -> int | None:
    """The start time of a live process (clock ticks since boot, ``/proc/PID/stat`` field 22), None when it
    is gone or a zombie."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
    except OSError:
        return None
    fields = stat.rpartition(")")[2].split()  # the command name may hold blanks and parentheses
    if len(fields) < 20 or fields[0] in ("Z", "X"):
        return None
    return int(fields[19])


def _boot_id() -> str:
    try:
        return Path("/proc/sys/kernel/random/boot_id").read_text(encoding="ascii").strip()
    except OSError:
        return ""


def mark_running(workdir: Path, program: str, pid: int) -> Path | None:
    """Record a program just started in ``workdir`` (remove the returned file when it has ended); None when
    the record cannot be written (the program still runs: a record is a safeguard, not a condition)."""
    me = os.getpid()
    try:
        return write_json_atomic(Path(workdir) / f"running_{pid}.json", {
            "program": program, "pid": pid, "start": process_start(pid), "worker_pid": me,
            "worker_start": process_start(me), "host": socket.gethostname(), "boot": _boot_id()})
    except (OSError, NetpharmError) as exc:  # e.g. a full disk: the docking itself reports it
        log.debug("cannot record %s (pid %d) in %s: %s", program, pid, workdir, exc)
        return None


def _alive(pid: Any, start: Any) -> bool:
    return isinstance(pid, int) and pid > 1 and pid != os.getpid() and start is not None \
        and process_start(pid) == start


def _kill(pid: int, group: bool) -> None:
    try:
        os.killpg(pid, signal.SIGKILL) if group else os.kill(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def _stop(record: dict[str, Any], folder: Path) -> None:
    """Kill an orphan's worker, then the program's whole group, and wait until it is gone."""
    if _alive(record.get("worker_pid"), record.get("worker_start")):
        _kill(int(record["worker_pid"]), group=False)  # else it would write the job's record when its program ends
    pid = int(record["pid"])
    _kill(pid, group=True)
    deadline = time.monotonic() + STOP_WAIT
    while process_start(pid) == record["start"] and time.monotonic() < deadline:
        time.sleep(0.05)
    log.warning("docking: stopped %s (pid %d), left running in %s by an earlier run that was killed; its job "
                "runs again", record.get("program", "a docking program"), pid, folder)


def stop_orphans(folders: Iterable[str | Path]) -> dict[str, str]:
    """Stop the docking programs that earlier runs left running in ``folders``; call it before any job starts.

    Returns ``{folder: reason}`` for the folders whose jobs must not start (a program recorded on another
    host, which cannot be checked from here).
    """
    host, boot = socket.gethostname(), _boot_id()
    blocked: dict[str, str] = {}
    for folder in dict.fromkeys(str(f) for f in folders):
        for path in sorted(Path(folder).glob(RUNNING_GLOB)):
            try:
                record = read_json(path, "running-program record", SchedulerError)
            except SchedulerError:
                path.unlink(missing_ok=True)  # half-written by a killed run: its program was just starting
                continue
            if not isinstance(record, dict) or not isinstance(record.get("pid"), int):
                path.unlink(missing_ok=True)
                continue
            if record.get("host") != host:
                blocked[folder] = (f"{record.get('program', 'a docking program')} (pid {record['pid']} on host "
                                   f"{record.get('host')}) may still write {folder}: stop it there, delete "
                                   f"{path.name}, and rerun with --resume")
                continue
            if record.get("boot") == boot and _alive(record["pid"], record.get("start")):
                _stop(record, Path(folder))
            path.unlink(missing_ok=True)
    return blocked

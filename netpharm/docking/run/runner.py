"""Run autogrid4, autodock4 and vina as subprocesses.

Argument lists only (no shell), the run folder as working directory (AutoDock resolves
every file name in a GPF/DPF against it), captured output, a timeout, and a specific
error carrying the tail of the program's log when it exits non-zero, times out or is
killed by a signal. The programs are Debian packages (AutoDock 4.2.6, AutoGrid 4.2.6,
AutoDock Vina 1.2.3), not pip packages, so their absence is reported with the
``apt-get install`` line that fixes it.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import signal
import subprocess
from pathlib import Path

from netpharm.docking.run.orphans import mark_running
from netpharm.errors import AutoDockError, AutoGridError, MissingProgramError, NetpharmError, VinaError

__all__ = [
    "PROGRAMS",
    "KILLED_BY_SIGNAL",
    "find_executable",
    "program_version",
    "install_hint",
    "run_autogrid",
    "run_autodock",
    "run_vina",
]

log = logging.getLogger(__name__)

# netpharm's name -> (executable, Debian package)
PROGRAMS: dict[str, tuple[str, str]] = {
    "autogrid": ("autogrid4", "autogrid"),
    "autogrid4": ("autogrid4", "autogrid"),
    "autodock": ("autodock4", "autodock"),
    "autodock4": ("autodock4", "autodock"),
    "vina": ("vina", "autodock-vina"),
    "obabel": ("obabel", "openbabel"),
}

TAIL_LINES = 30
#: Phrase of the error raised when a program dies from a signal (the executor retries those once).
KILLED_BY_SIGNAL = "was killed by signal"


def _lookup(name: str) -> tuple[str, str]:
    if name not in PROGRAMS:
        raise ValueError(f"unknown program {name!r}; known: {sorted(PROGRAMS)}")
    return PROGRAMS[name]


def install_hint(name: str) -> str:
    """``apt-get install <package>`` for a program name."""
    return f"apt-get install {_lookup(name)[1]}"


def find_executable(name: str) -> Path:
    """Absolute path of ``name`` on PATH, or :class:`MissingProgramError` naming the package."""
    exe, package = _lookup(name)
    found = shutil.which(exe)
    if found is None:
        raise MissingProgramError(f"{exe} is not installed (Debian/Ubuntu: apt-get install {package})")
    return Path(found)


def program_version(name: str) -> str | None:
    """Version string of an installed program, or None when it is missing or silent.

    autodock4/autogrid4 print "AutoDock 4.2.6" for ``--version``; vina prints
    "AutoDock Vina v1.2.3"; obabel prints "Open Babel 3.1.1 ...".
    """
    try:
        exe = find_executable(name)
    except MissingProgramError:
        return None
    try:
        proc = subprocess.run([str(exe), "--version"], capture_output=True, text=True, timeout=20,
                              encoding="utf-8", errors="replace", stdin=subprocess.DEVNULL)
    except (OSError, subprocess.TimeoutExpired):
        return None
    text = (proc.stdout + "\n" + proc.stderr).strip()
    for line in text.splitlines():
        if re.search(r"\d+\.\d+", line):
            return line.strip()
    return None


def _tail(*texts: str, n: int = TAIL_LINES) -> str:
    lines = "\n".join(t for t in texts if t).splitlines()
    return "\n".join(lines[-n:])


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def _kill_group(proc: subprocess.Popen[str]) -> None:
    """SIGKILL the program's whole process group (a wrapper script's children included)."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


#: Process groups of the docking programs this process is running (to stop them on an interrupt that
#: reaches another thread, e.g. SIGTERM while a one-worker run docks in a thread).
_LIVE: set[int] = set()


def stop_programs() -> int:
    """SIGKILL every docking program this process started and that still runs; returns how many."""
    live = list(_LIVE)
    for pgid in live:
        try:
            os.killpg(pgid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
    return len(live)


def _run_group(cmd: list[str], workdir: Path, timeout: float) -> subprocess.CompletedProcess[str]:
    """``subprocess.run`` in a new session, killing the whole group on timeout or interrupt.

    ``subprocess.run`` kills only its direct child on timeout; a program started through a
    wrapper (or one that forks) would leave grandchildren running and holding the pipes
    open, so the program gets its own process group and the group is killed.
    """
    proc = subprocess.Popen(cmd, cwd=workdir, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            encoding="utf-8", errors="replace",  # a program printing garbage is no crash
                            stdin=subprocess.DEVNULL, start_new_session=True)
    _LIVE.add(proc.pid)
    running = mark_running(workdir, Path(cmd[0]).name, proc.pid)  # for a resumed run, should this one be killed
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill_group(proc)
        out, err = proc.communicate()
        raise subprocess.TimeoutExpired(cmd, timeout, output=out, stderr=err) from None
    except BaseException:  # Ctrl-C, or the worker being torn down: leave no docking program behind
        _kill_group(proc)
        proc.wait()
        raise
    finally:
        _LIVE.discard(proc.pid)
        if running is not None:
            running.unlink(missing_ok=True)
    _kill_group(proc)  # children a program left running after it exited
    return subprocess.CompletedProcess(cmd, proc.returncode, out, err)


def _run(name: str, args: list[str], workdir: Path, timeout: float, log_path: Path | None,
         error: type[Exception]) -> subprocess.CompletedProcess[str]:
    exe = find_executable(name)
    cmd = [str(exe), *args]
    log.info("running %s in %s", " ".join(cmd), workdir)
    try:
        proc = _run_group(cmd, workdir, timeout)
    except subprocess.TimeoutExpired as exc:
        out = exc.stdout.decode(errors="replace") if isinstance(exc.stdout, bytes) else (exc.stdout or "")
        tail = _tail(_read(log_path) if log_path else "", out)
        raise error(f"{exe.name} timed out after {timeout:g} s in {workdir} (its process group was killed); "
                    f"log tail:\n{tail}") from exc
    except OSError as exc:
        raise error(f"{exe.name} could not be started in {workdir}: {exc.strerror or exc}") from exc
    if proc.returncode != 0:
        if proc.returncode < 0:
            try:
                how = f"{KILLED_BY_SIGNAL} {signal.Signals(-proc.returncode).name}"
            except ValueError:
                how = f"{KILLED_BY_SIGNAL} {-proc.returncode}"
        else:
            how = f"exited with status {proc.returncode}"
        tail = _tail(_read(log_path) if log_path else "", proc.stdout, proc.stderr)
        raise error(f"{exe.name} {how} in {workdir} ({' '.join(args)}); log tail:\n{tail}")
    return proc


def _run_with_log(program: str, parameter_file: Path, workdir: Path, suffix: str, timeout: float,
                  error: type[NetpharmError]) -> Path:
    """``<program> -p X.<gpf|dpf> -l X.<suffix>`` in ``workdir``; returns the log path.

    autogrid4/autodock4 may exit 0 without finishing (e.g. a missing receptor file is only
    reported in the log), so success also requires "Successful Completion" in the log.
    """
    workdir = Path(workdir)
    log_path = workdir / (Path(parameter_file).stem + suffix)
    try:
        _run(program, ["-p", Path(parameter_file).name, "-l", log_path.name], workdir, timeout, log_path, error)
        text = _read(log_path)
        if "Successful Completion" not in text:
            raise error(f"{program}4 did not complete in {workdir}; log tail:\n{_tail(text)}")
    except NetpharmError as exc:
        if _disk_full(workdir):  # the first thing to say: its log may be empty or cut
            raise error(f"{program}4 failed in {workdir}: no space left on the device (disk full); {exc}") from exc
        raise
    return log_path


DISK_FULL_BYTES = 64 * 1024  # below this, a program's write failure is a full disk (AutoDock writes no reason)


def _disk_full(folder: Path) -> bool:
    """True when the file system holding ``folder`` has (almost) no space left for this user."""
    try:
        stat = os.statvfs(folder)
    except OSError:
        return False
    return stat.f_bavail * stat.f_frsize < DISK_FULL_BYTES


#: what autogrid4 4.2.6 writes into its log (and then exits 0) when a map cannot be written
AUTOGRID_DISK_FULL = "Problems writing grid maps - there may not be enough disk space"


def run_autogrid(gpf: Path, workdir: Path, timeout: float = 600.0) -> Path:
    """``autogrid4 -p X.gpf -l X.glg`` in ``workdir``; returns the GLG path.

    Out of disk space, autogrid4 warns in its log and exits 0 with truncated maps: that is an
    :class:`AutoGridError` saying so first, and the partial maps are removed (useless, and the space
    they hold lets the run still write its records and report).
    """
    try:
        return _run_with_log("autogrid", gpf, workdir, ".glg", timeout, AutoGridError)
    except AutoGridError as exc:
        glg = Path(workdir) / (Path(gpf).stem + ".glg")
        said = AUTOGRID_DISK_FULL in _read(glg)
        if not said and not _disk_full(Path(workdir)):
            raise
        removed = _remove_partial_maps(Path(workdir), Path(gpf).name)
        raise AutoGridError(f"autogrid4 ran out of disk space in {workdir} "
                            f"({f'its log: {AUTOGRID_DISK_FULL!r}' if said else 'no space left on the device'}); "
                            f"its {removed} partial map files were removed: free some space and rerun with "
                            "--resume") from exc


def _remove_partial_maps(workdir: Path, gpf: str) -> int:
    from netpharm.docking.run.job_records import grid_outputs

    names = grid_outputs(workdir, gpf)
    for name in names:
        (workdir / name).unlink(missing_ok=True)
    return len(names)


def run_autodock(dpf: Path, workdir: Path, timeout: float = 3600.0) -> Path:
    """``autodock4 -p X.dpf -l X.dlg`` in ``workdir``; returns the DLG path."""
    return _run_with_log("autodock", dpf, workdir, ".dlg", timeout, AutoDockError)


def run_vina(config: Path, workdir: Path, timeout: float = 3600.0) -> Path:
    """``vina --config X.txt`` in ``workdir``; returns the output PDBQT named by ``out =``
    in the config (default ``<ligand>_out.pdbqt``, Vina's own default). Vina's stdout is
    written next to it as ``<config stem>.log``."""
    workdir = Path(workdir)
    cfg = _read(workdir / Path(config).name)
    keys = dict(
        (k.strip(), v.strip()) for k, _, v in (ln.partition("=") for ln in cfg.splitlines() if "=" in ln))
    out = keys.get("out") or (Path(keys.get("ligand", "ligand.pdbqt")).stem + "_out.pdbqt")
    proc = _run("vina", ["--config", Path(config).name], workdir, timeout, None, VinaError)
    (workdir / (Path(config).stem + ".log")).write_text(proc.stdout + proc.stderr, encoding="utf-8")
    out_path = workdir / out
    if not out_path.is_file():
        raise VinaError(f"vina wrote no {out} in {workdir}; output tail:\n{_tail(proc.stdout, proc.stderr)}")
    return out_path

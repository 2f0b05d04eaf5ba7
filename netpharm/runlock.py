"""One run at a time in a run folder: an exclusive lock held for the run's life.

Two runs writing one folder (``--resume`` twice, or ``--force`` deleting a live run) corrupt each
other's results, so :func:`lock_run_dir` takes a POSIX record lock (``fcntl.lockf``) on
``RUN_DIR/.netpharm.lock`` and writes the holder (pid, start time, command) into it. The kernel
releases the lock when the process ends however it ends (kill -9 included), so a lock left by a
dead process is never in the way. A POSIX lock, not ``flock``: it belongs to this process only, so
the docking worker processes it forks do not keep it once it is gone.
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

from netpharm.errors import OutputExistsError, OutputWriteError

__all__ = ["LOCK_FILE", "lock_run_dir", "lock_holder"]

LOCK_FILE = ".netpharm.lock"


def lock_holder(run_dir: Path) -> str:
    """Who holds (or last held) the run folder's lock, as one phrase; "" when unknown."""
    try:
        data = json.loads((Path(run_dir) / LOCK_FILE).read_text(encoding="utf-8"))
        return f"pid {data['pid']}, started {data['started']}: {data['command']}"
    except (OSError, ValueError, KeyError, TypeError):
        return ""


@contextmanager
def lock_run_dir(run_dir: Path) -> Iterator[None]:
    """Hold the exclusive lock of ``run_dir`` (which must exist) for the ``with`` block.

    Raises
    ------
    OutputExistsError
        Another live netpharm process holds it (named in the message).
    OutputWriteError
        The lock file cannot be created.
    """
    path = Path(run_dir) / LOCK_FILE
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise OutputWriteError(f"cannot create the run lock {path}: {exc.strerror or exc}") from exc
    try:
        try:
            fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno not in (errno.EACCES, errno.EAGAIN):
                raise OutputWriteError(f"cannot lock the run folder {run_dir}: {exc.strerror or exc}") from exc
            holder = lock_holder(run_dir) or "another process"
            raise OutputExistsError(f"{run_dir} is in use by another netpharm run ({holder}); wait for it to "
                                    "finish or stop it, or give another --out") from None
        record = {"pid": os.getpid(), "started": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                  "command": " ".join(["netpharm", *sys.argv[1:]])[:300]}
        os.ftruncate(fd, 0)
        os.pwrite(fd, (json.dumps(record) + "\n").encode("utf-8"), 0)
        yield
    finally:
        os.close(fd)  # releases the lock

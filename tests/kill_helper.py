"""Run ``netpharm`` and kill it at a chosen point (test helper for tests/test_faults_kill.py).

    python tests/kill_helper.py SPEC netpharm-arguments...

SPEC is one of

* ``before:<stage>``   SIGKILL when the workflow is about to run ``<stage>``
* ``after:<stage>``    SIGKILL right after ``<stage>``'s resume record is written
* ``write:<name>``     SIGKILL in the middle of writing a file named ``<name>`` (its temporary
                       file is left half-written, as a real kill -9 or power cut leaves it)
* ``record:<stage>``   SIGKILL in the middle of writing ``stages/<stage>.json``
* ``sigint:<stage>``   Ctrl-C (KeyboardInterrupt) when ``<stage>`` starts
* ``autodock:<n>``     SIGKILL when the n-th AutoDock run of the docking stage is about to start
                       (the earlier runs finished; their folders hold DLGs and done records)
* ``none``             no fault

The hooks wrap netpharm's own functions; nothing in netpharm knows about them.
"""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path


def _die() -> None:
    sys.stdout.flush()
    sys.stderr.flush()
    os.kill(os.getpid(), signal.SIGKILL)


def install(spec: str) -> None:
    from netpharm import io, runrecord, workflow

    kind, _, arg = spec.partition(":")
    if kind in ("before", "sigint"):
        real_load = workflow._load_stage

        def load(name: str):  # type: ignore[no-untyped-def]
            stage = real_load(name)
            if name != arg:
                return stage

            def run(ctx):  # type: ignore[no-untyped-def]
                if kind == "sigint":
                    raise KeyboardInterrupt
                _die()
            return run
        workflow._load_stage = load  # type: ignore[assignment]
    elif kind == "after":
        real_record = runrecord.record_stage

        def record(run_dir, stage, *args, **kwargs):  # type: ignore[no-untyped-def]
            path = real_record(run_dir, stage, *args, **kwargs)
            if stage == arg:
                _die()
            return path
        workflow.record_stage = record  # type: ignore[assignment]
    elif kind in ("write", "record"):
        target = f"{arg}.json" if kind == "record" else arg
        real_fsync = io.os.fsync

        def fsync(fd: int) -> None:
            name = Path(os.readlink(f"/proc/self/fd/{fd}")).name
            if io.is_temp_file(Path(name)) and name.startswith(f".{target}."):
                if kind == "record" and "/stages/" not in os.readlink(f"/proc/self/fd/{fd}"):
                    return real_fsync(fd)
                size = os.fstat(fd).st_size
                os.ftruncate(fd, size // 2)   # half of it reached the disk
                _die()
            return real_fsync(fd)
        io.os.fsync = fsync  # type: ignore[assignment]
    elif kind == "autodock":
        from netpharm.docking.run import executor

        real_autodock = executor.run_autodock
        calls = {"n": 0}

        def autodock(*args, **kwargs):  # type: ignore[no-untyped-def]
            calls["n"] += 1
            if calls["n"] == int(arg):
                _die()
            return real_autodock(*args, **kwargs)
        executor.run_autodock = autodock  # type: ignore[assignment]
    elif kind != "none":
        raise SystemExit(f"unknown kill spec {spec!r}")


if __name__ == "__main__":
    install(sys.argv[1])
    from netpharm.cli.main import main

    sys.exit(main(sys.argv[2:]))

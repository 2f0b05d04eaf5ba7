"""TEST DOUBLES for the external programs (autogrid4/autodock4/vina) and a PATH that holds only them."""

from __future__ import annotations

import shutil
import stat
from collections.abc import Iterable, Mapping
from pathlib import Path

import pytest

from .paths import AD

AUTODOCK_MISSING = "AutoDock 4.2.6 not installed (make system-deps installs it; CI has it)"

# test double: touches every map file the GPF names (shell builtins only), then reports success
FAKE_AUTOGRID = ('while read -r key value rest; do case "$key" in map|elecmap|dsolvmap) : > "$value";; '
                 'gridfld) : > "$value"; : > "${value%.fld}.xyz";; esac; done < "$2"; '
                 'echo "autogrid4: Successful Completion" > "$4"')
# test double: writes a DLG copied from the real stored one, and counts its calls
FAKE_AUTODOCK = ('echo x >> "$(dirname "$0")/calls"; '
                 'if grep -q crash "$2"; then echo "ERROR: bad dpf" > "$4"; exit 2; fi; '
                 f'cp "{AD / "1iep_reduced.dlg"}" "$4"')


def fake_program(folder: Path, name: str, body: str) -> Path:
    """Write a test-double executable ``name`` (a /bin/sh script running ``body``) into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text("#!/bin/sh\n# TEST DOUBLE for " + name + "\n" + body + "\n")
    path.chmod(path.stat().st_mode | stat.S_IEXEC)
    return path


def fake_bin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, tools: Iterable[str] = (),
             programs: Mapping[str, str] | None = None) -> Path:
    """``tmp_path/fakebin`` as the whole PATH: links to the real ``tools`` plus the test doubles ``programs``
    (name -> shell body)."""
    bindir = tmp_path / "fakebin"
    bindir.mkdir()
    for tool in tools:
        (bindir / tool).symlink_to(shutil.which(tool))
    for name, body in (programs or {}).items():
        fake_program(bindir, name, body)
    monkeypatch.setenv("PATH", str(bindir))
    return bindir


def calls(bindir: Path, name: str = "calls") -> int:
    """How many times a counting test double ran (one line per call in ``bindir/name``)."""
    path = bindir / name
    return len(path.read_text().splitlines()) if path.exists() else 0


def require_autodock() -> None:
    """Skip the calling test unless the real autogrid4 and autodock4 are on PATH."""
    if shutil.which("autodock4") is None or shutil.which("autogrid4") is None:
        pytest.skip(AUTODOCK_MISSING)

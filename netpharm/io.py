"""Atomic file output shared by every stage.

Outputs are written to a temporary file in the destination folder and renamed into
place, so a crash never leaves a half-written table behind and readers see either the
old file or the new one.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

_UMASK = os.umask(0)
os.umask(_UMASK)

__all__ = ["write_bytes_atomic", "write_text_atomic", "write_json_atomic", "write_table"]


def write_bytes_atomic(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically (temp file in the same folder + rename)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        # mkstemp creates 0600 files; outputs get the usual permissions (0666 less the umask).
        os.fchmod(fd, 0o666 & ~_UMASK)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def write_text_atomic(path: Path, text: str) -> Path:
    """Write UTF-8 text atomically."""
    return write_bytes_atomic(path, text.encode("utf-8"))


def write_json_atomic(path: Path, obj: Mapping[str, Any] | list[Any]) -> Path:
    """Write JSON with sorted keys and a trailing newline, so reruns are byte-identical."""
    return write_text_atomic(path, json.dumps(obj, indent=2, sort_keys=True, default=str) + "\n")


def write_table(path: Path, table: pd.DataFrame) -> Path:
    """Write a DataFrame as TSV (or CSV if the name ends in .csv) at full precision.

    ``repr`` float formatting (pandas' default) keeps every digit, so tables can be
    compared to other tools at 1e-12 and reruns are byte-identical.
    """
    sep = "," if str(path).endswith(".csv") else "\t"
    return write_text_atomic(path, table.to_csv(sep=sep, index=False, lineterminator="\n"))

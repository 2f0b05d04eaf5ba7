"""What a finished job leaves in its folder, and whether it is still intact.

A job's record (``done_<what>.json``) names its outputs and, since this module, the sha256 of each
(``output_sha256``): a DLG truncated after the job finished, a map file overwritten or a deleted
output makes the job run again on ``--resume``, as the README promises, instead of being "skipped
(done earlier)" and then failing when its log is read. Records written by an older netpharm have no
digests: their outputs are trusted when they exist (as before).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from netpharm.io import file_sha256

__all__ = ["OUTPUT_DIGESTS", "output_digests", "outputs_intact", "grid_outputs"]

#: key of a job record holding ``{file name: sha256}`` of everything the job wrote
OUTPUT_DIGESTS = "output_sha256"


def output_digests(workdir: Path, names: Iterable[str]) -> dict[str, str]:
    """``{name: sha256}`` of the files ``names`` in ``workdir`` (what a job record keeps)."""
    return {name: file_sha256(Path(workdir) / name) for name in dict.fromkeys(names)}


def outputs_intact(workdir: Path, record: Mapping[str, Any]) -> bool:
    """True when every output the record names exists and, when the record has digests, is unchanged."""
    workdir = Path(workdir)
    outputs = record.get("outputs", {})
    if not isinstance(outputs, Mapping) or not all((workdir / str(n)).is_file() for n in outputs.values()):
        return False
    digests = record.get(OUTPUT_DIGESTS)
    if digests is None:  # a record of an older netpharm: existence only
        return True
    if not isinstance(digests, Mapping) or not {str(n) for n in outputs.values()} <= set(digests):
        return False
    try:
        return all(file_sha256(workdir / str(name)) == digest for name, digest in digests.items())
    except OSError:
        return False


def grid_outputs(workdir: Path, gpf: str) -> list[str]:
    """The files autogrid4 writes for ``gpf``: every map, the ``gridfld`` and its ``.xyz``."""
    names: list[str] = []
    for line in (Path(workdir) / gpf).read_text(encoding="utf-8", errors="replace").splitlines():
        parts = line.split()
        if len(parts) >= 2 and parts[0] in ("map", "elecmap", "dsolvmap"):
            names.append(parts[1])
        elif len(parts) >= 2 and parts[0] == "gridfld":
            names += [parts[1], parts[1].removesuffix(".fld") + ".xyz"]
    return [n for n in names if (Path(workdir) / n).is_file()]

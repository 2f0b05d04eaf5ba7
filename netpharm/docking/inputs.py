"""Receptor inputs of the docking stage: an entry loaded with its mmCIF facts, a receptor prepared once.

Kept apart from :mod:`netpharm.docking.stage` so the stage stays a short recipe.
"""

from __future__ import annotations

import dataclasses
import hashlib
from pathlib import Path
from typing import Any

from netpharm.errors import CacheMissError
from netpharm.io import write_text_atomic
from netpharm.stage import RunContext

__all__ = ["load_receptor_entry", "prepared_receptor"]

_RECEPTORS: dict[str, Any] = {}


def prepared_receptor(cleaned: Any, workdir: Path) -> Any:
    """prepare_receptor, reused within a process when the cleaned receptor is identical.

    6VI4 is both the κ system and the JDTic redocking case; its 43 side-chain completions take
    ~50 s on OpenMM's deterministic Reference platform, so the second folder gets a copy. The key is
    the cleaned PDB text itself, so a different cleaning can never share a result.
    """
    from netpharm.docking.receptor import prepare_receptor

    key = hashlib.sha256(cleaned.receptor_pdb.encode("utf-8")).hexdigest()
    done = _RECEPTORS.get(key)
    if done is not None and Path(done.pdbqt_path).is_file() and Path(done.clean_pdb_path).is_file():
        workdir.mkdir(parents=True, exist_ok=True)
        paths = {}
        for field_name in ("pdbqt_path", "clean_pdb_path"):
            target = workdir / Path(getattr(done, field_name)).name
            if Path(getattr(done, field_name)).resolve() != target.resolve():
                write_text_atomic(target, Path(getattr(done, field_name)).read_text(encoding="utf-8"))
            paths[field_name] = target
        return dataclasses.replace(done, **paths)
    rec = prepare_receptor(cleaned, workdir, "receptor_prep")
    _RECEPTORS[key] = rec
    return rec


def load_receptor_entry(source: str, ctx: RunContext) -> tuple[Any, Any]:
    """(structure, entry facts); an offline cache miss names the entry: "8EF6 not in cache (offline)"."""
    from netpharm.structures.fetch import load_entry

    try:
        return load_entry(source, ctx.cache, ctx.http)
    except CacheMissError as exc:
        raise CacheMissError(f"{source.upper()} not in cache (offline): {exc}") from exc

"""The compounds × hub targets docking matrix of the network-pharmacology recipe (``[docking.matrix]``).

Pure function of plain data, so the docking stage needs nothing from the stages it is built from: the workflow
(:func:`netpharm.registry.expand_section`) passes the compound–target network's compounds ranked by degree and the
hub ranks, and runs the docking stage on the configuration returned here.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping, Sequence

from netpharm.docking.config import DockingConfig, LigandSpec

__all__ = ["CompoundChoice", "build_matrix", "folder_name"]


@dataclasses.dataclass(frozen=True)
class CompoundChoice:
    """A compound of the compound–target network: its name, degree rank (ties share it) and SMILES ("" = none:
    then its name is looked up on PubChem through the cache, as any ligand name is)."""

    name: str
    rank: int
    smiles: str = ""


def folder_name(name: str, taken: set[str]) -> str:
    """A compound's name as a plain folder name (other characters become "_"; a clash gets "_2", "_3" ...)."""
    base = re.sub(r"[^A-Za-z0-9._+-]", "_", name).lstrip(".")[:90] or "compound"
    out, i = base, 1
    while out.lower() in taken:
        i += 1
        out = f"{base}_{i}"
    taken.add(out.lower())
    return out


def _top(ranks: Mapping[str, int], n: int) -> list[str]:
    """Names with rank <= n (ties at the cut included), best first."""
    return sorted((name for name, rank in ranks.items() if rank <= n), key=lambda name: (ranks[name], name))


def build_matrix(cfg: DockingConfig, compounds: Sequence[CompoundChoice] | None,
                 hub_ranks: Mapping[str, int] | None) -> DockingConfig:
    """``cfg`` with its ligands = the top compounds and its systems = those whose ``target`` is a top hub.

    ``compounds`` None: the compounds stage gave no compound–target network; ``hub_ranks`` None: the network stage
    gave no ranks for the method. Then nothing is docked and the notes say why (never a guess).
    """
    matrix = cfg.matrix
    notes: list[str] = []
    if compounds is None or hub_ranks is None:
        missing = " and ".join(x for x, v in (("the compound–target network (compounds stage)", compounds),
                                              (f"{matrix.method} hub ranks (network stage)", hub_ranks)) if v is None)
        notes.append(f"docking matrix not built: no {missing}")
        return dataclasses.replace(cfg, systems=(), matrix=dataclasses.replace(matrix, notes=tuple(notes)))
    ranked = {c.name: c.rank for c in compounds}
    chosen = [c for c in sorted(compounds, key=lambda c: (c.rank, c.name)) if c.rank <= matrix.compounds]
    hubs = _top(hub_ranks, matrix.hubs)
    by_target = {s.target.upper(): s for s in cfg.systems if s.target}
    systems = tuple(by_target[h.upper()] for h in hubs if h.upper() in by_target)
    unnamed = [h for h in hubs if h.upper() not in by_target]
    notes.append(f"compounds: the {len(chosen)} of degree rank <= {matrix.compounds} in the compound–target network"
                 f" ({', '.join(f'{c.name} ({ranked[c.name]})' for c in chosen)})")
    notes.append(f"hub targets: the {len(hubs)} of {matrix.method} rank <= {matrix.hubs} "
                 f"({', '.join(f'{h} ({hub_ranks[h]})' for h in hubs)}); docked into "
                 f"{', '.join(f'{s.target} {s.receptor}' for s in systems) or 'none'}")
    if unnamed:
        notes.append(f"not docked: no [[docking.systems]] names a structure for the hub target(s) "
                     f"{', '.join(unnamed)} (add one with target = \"GENE\")")
    taken: set[str] = set()
    names = {c.name: folder_name(c.name, taken) for c in chosen}
    renamed = [f"{c} as {n}" for c, n in names.items() if c != n]
    if renamed:
        notes.append(f"ligand folder names: {', '.join(renamed)}")
    ligands = tuple(LigandSpec(names[c.name], c.smiles or c.name) for c in chosen) if systems else ()
    return dataclasses.replace(cfg, systems=systems, ligands=ligands,
                               matrix=dataclasses.replace(matrix, notes=tuple(notes)))

"""The report's interactive 3-D view of a best pose in its pocket (3Dmol.js, inlined).

3Dmol.js (Rego & Koes 2015, Bioinformatics 31:1322) is vendored in ``report/vendor`` and
inlined into the page with its licence header, so the report still loads nothing from outside
and works from ``file://``. Each view gets the pocket (``best_pose_pocket.pdb``), the pose
(``best_pose.sdf``) and the interaction profile's atom pairs as dashed lines, as JSON the page
script reads; nothing is fetched.
"""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

__all__ = ["THREEDMOL_VERSION", "THREEDMOL_SHA256", "PoseView", "pose_view", "threedmol_source"]

log = logging.getLogger(__name__)

THREEDMOL_VERSION = "2.5.5"
THREEDMOL_SHA256 = "f7cc78921ae72e7623e89cdd111434f58c2efddd2ffda1cd212644b406fb8016"
#: Line colour per interaction kind: the colours of the 2-D diagram (netpharm/docking/diagram.py
#: STYLES), repeated because the report reads the run directory, never the docking package.
KIND_COLOURS = {"salt_bridge": "#c0392b", "hbond": "#1f7a3a", "cation_pi": "#8e44ad", "pi_stacking": "#d35400",
                "halogen_bond": "#2471a3", "hydrophobic": "#7f8c8d"}


@dataclass(frozen=True)
class PoseView:
    """What one 3-D view shows (JSON-able through :meth:`data`)."""

    key: str
    title: str
    pocket_pdb: str
    ligand_sdf: str
    lines: list[dict[str, Any]]
    labels: list[dict[str, Any]]
    residues: list[dict[str, Any]]

    def data(self) -> dict[str, Any]:
        return {"pocket": self.pocket_pdb, "ligand": self.ligand_sdf, "lines": self.lines, "labels": self.labels,
                "residues": self.residues}


@lru_cache(maxsize=1)
def threedmol_source() -> str:
    """The vendored 3Dmol.js, checked against its recorded sha256."""
    data = resources.files("netpharm.report").joinpath("vendor/3Dmol-min.js").read_bytes()
    if hashlib.sha256(data).hexdigest() != THREEDMOL_SHA256:
        raise RuntimeError("netpharm/report/vendor/3Dmol-min.js does not match its recorded sha256")
    # An inline script ends at the first "</script"; the minified build must not contain one.
    text = data.decode("utf-8")
    if re.search(r"</script", text, re.IGNORECASE):
        text = re.sub(r"</(script)", r"<\\/\1", text, flags=re.IGNORECASE)
    return text


def _sdf_positions(sdf: str) -> list[tuple[float, float, float]]:
    """Atom coordinates of the first molecule of a V2000 molfile (fixed columns)."""
    lines = sdf.splitlines()
    if len(lines) < 4:
        return []
    count = int(lines[3][:3])
    return [(float(ln[0:10]), float(ln[10:20]), float(ln[20:30])) for ln in lines[4:4 + count]]


def _pdb_atoms(pdb: str) -> dict[tuple[str, int, str], tuple[float, float, float]]:
    return {(ln[21].strip(), int(ln[22:26]), ln[12:16].strip()): (float(ln[30:38]), float(ln[38:46]),
                                                                    float(ln[46:54]))
            for ln in pdb.splitlines() if ln.startswith(("ATOM", "HETATM"))}


def _first_index(labels: str) -> int | None:
    m = re.match(r"[A-Za-z]+(\d+)", labels or "")
    return int(m[1]) - 1 if m else None


def pose_view(key: str, title: str, pocket_file: Path, sdf_file: Path,
              interactions: list[dict[str, Any]]) -> PoseView | None:
    """The 3-D view of a pose, or ``None`` when its pocket or SDF file is missing."""
    if not (pocket_file.is_file() and sdf_file.is_file()):
        return None
    pocket, sdf = pocket_file.read_text(encoding="utf-8"), sdf_file.read_text(encoding="utf-8")
    ligand, receptor = _sdf_positions(sdf), _pdb_atoms(pocket)
    lines, labels, seen = [], [], set()
    residues = sorted({(str(r.get("chain", "")), int(r.get("resnum", 0))) for r in interactions})
    for r in interactions:
        if r.get("kind") == "hydrophobic":
            continue
        i = _first_index(str(r.get("ligand_atoms", "")))
        name = str(r.get("receptor_atoms", "")).split(",")[0]
        start = ligand[i] if i is not None and i < len(ligand) else None
        end = receptor.get((str(r.get("chain", "")), int(r.get("resnum", 0)), name))
        if start is None or end is None:
            continue
        lines.append({"start": start, "end": end, "color": KIND_COLOURS.get(str(r["kind"]), "#555555"), "kind": r["kind"],
                      "distance": r.get("distance")})
        if r["residue"] not in seen:
            seen.add(r["residue"])
            labels.append({"text": f"{str(r['resname']).title()}{r['resnum']}", "position": end})
    return PoseView(key, title, pocket, sdf, lines, labels,
                    [{"chain": c, "resi": n} for c, n in residues])

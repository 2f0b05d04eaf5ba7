"""Interactive 3-D views in the report (3Dmol.js, inlined), a few live at a time whatever the page holds.

3Dmol.js (Rego & Koes 2015, Bioinformatics 31:1322) is vendored in ``present/vendor`` and
inlined into the page with its licence header, so the report still loads nothing from outside
and works from ``file://``. The poses a section can show go into one :class:`PoseStore` (JSON in
the page): each pocket once per receptor, each pose as its ligand's heavy atoms, an optional reference ligand
(the experimental pose, drawn in a second colour) and the lines and labels to draw. A view in
the page is an empty ``div.viewer3d`` naming a pose; the page script (``templates/viewer.js``)
creates its WebGL viewer only while the view is on screen and destroys it when it leaves, so a
campaign of any size keeps a handful of live WebGL contexts (browsers keep about 16 per page).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

from netpharm.io import bytes_sha256

__all__ = ["THREEDMOL_VERSION", "THREEDMOL_SHA256", "PoseView", "PoseStore", "threedmol_source"]

THREEDMOL_VERSION = "2.5.5"
THREEDMOL_SHA256 = "f7cc78921ae72e7623e89cdd111434f58c2efddd2ffda1cd212644b406fb8016"


@dataclass(frozen=True)
class PoseView:
    """What one pose's 3-D view shows (JSON-able through :meth:`data`).

    ``pocket`` names a pocket of the :class:`PoseStore` (PDB text, shared by the poses in one
    receptor); the page shows its residues within 8 Å of the ligand. ``reference`` names the
    experimental ligand of the store (co-crystal or redocking reference), "" when the system has none.
    """

    key: str
    title: str
    pocket: str
    ligand: dict[str, Any]
    lines: list[dict[str, Any]]
    labels: list[dict[str, Any]]
    residues: list[dict[str, Any]]
    reference: str = ""

    def data(self) -> dict[str, Any]:
        return {"title": self.title, "pocket": self.pocket, "ligand": self.ligand, "lines": self.lines,
                "labels": self.labels, "residues": self.residues, "reference": self.reference or None}


@dataclass(frozen=True)
class PoseStore:
    """Every pose a section can show in 3-D, and the pockets (PDB) and experimental ligands they share, each
    once (embedded as JSON). A ligand is ``{"elem": "C N ...", "xyz": [x, y, z, ...], "bonds": [i, j, order, ...]}``:
    heavy atoms only, a third of a molfile's size, so a page of thousands of poses stays small."""

    pockets: dict[str, str] = field(default_factory=dict)
    poses: list[PoseView] = field(default_factory=list)
    references: dict[str, dict[str, Any]] = field(default_factory=dict)

    def data(self) -> dict[str, Any]:
        return {"pockets": self.pockets, "references": self.references,
                "poses": {v.key: v.data() for v in self.poses}}


@lru_cache(maxsize=1)
def threedmol_source() -> str:
    """The vendored 3Dmol.js, checked against its recorded sha256."""
    data = resources.files("netpharm.present").joinpath("vendor/3Dmol-min.js").read_bytes()
    if bytes_sha256(data) != THREEDMOL_SHA256:
        raise RuntimeError("netpharm/present/vendor/3Dmol-min.js does not match its recorded sha256")
    # An inline script ends at the first "</script"; the minified build must not contain one.
    text = data.decode("utf-8")
    if re.search(r"</script", text, re.IGNORECASE):
        text = re.sub(r"</(script)", r"<\\/\1", text, flags=re.IGNORECASE)
    return text

"""Interactive 3-D views in the report (3Dmol.js, inlined).

3Dmol.js (Rego & Koes 2015, Bioinformatics 31:1322) is vendored in ``present/vendor`` and
inlined into the page with its licence header, so the report still loads nothing from outside
and works from ``file://``. A view holds a pocket (PDB text), a pose (SDF text) and lines and
labels to draw, as JSON the page script (``templates/viewer.js``) reads; nothing is fetched.
Which views a page holds is up to the stage sections (docking's best poses).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from netpharm.io import bytes_sha256

__all__ = ["THREEDMOL_VERSION", "THREEDMOL_SHA256", "PoseView", "threedmol_source"]

THREEDMOL_VERSION = "2.5.5"
THREEDMOL_SHA256 = "f7cc78921ae72e7623e89cdd111434f58c2efddd2ffda1cd212644b406fb8016"


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
    data = resources.files("netpharm.present").joinpath("vendor/3Dmol-min.js").read_bytes()
    if bytes_sha256(data) != THREEDMOL_SHA256:
        raise RuntimeError("netpharm/present/vendor/3Dmol-min.js does not match its recorded sha256")
    # An inline script ends at the first "</script"; the minified build must not contain one.
    text = data.decode("utf-8")
    if re.search(r"</script", text, re.IGNORECASE):
        text = re.sub(r"</(script)", r"<\\/\1", text, flags=re.IGNORECASE)
    return text

"""The NMDA-pore stage's run-directory files (``RUN_DIR/nmda/``, ``docs/run-directory.md``).

Every table of a structure starts with its name (``9IYP_mg_sites.tsv``), so the analysed entry and its
comparison structures share the folder. The writers use these names; a reader imports them instead
of spelling them. Light on purpose (no numpy/pandas).
"""

from __future__ import annotations

__all__ = ["FOLDER", "SUBUNITS", "RINGS", "NSITE_CANDIDATES", "MG_SITES", "MG_CONTACTS", "RADIUS_PROFILE", "PORE_JSON",
           "PROFILE_FIGURE", "FIGURE_SUFFIXES", "structure_file", "MG_CONTACTS_COLUMNS"]

#: The stage's folder in the run directory.
FOLDER = "nmda"
#: The channel subunits found by the gate motif (chain, label, motif start).
SUBUNITS = "subunits.tsv"
#: The residues of the N-site and gate rings, with each ring's radius and depth.
RINGS = "rings.tsv"
#: The Asn candidates considered for the N-site ring.
NSITE_CANDIDATES = "nsite_candidates.tsv"
#: The Mg²⁺ sites (observed or placed): position, depth, radial offset, classification.
MG_SITES = "mg_sites.tsv"
#: The atoms around each Mg²⁺ site (direct and second shell, :data:`MG_CONTACTS_COLUMNS`).
MG_CONTACTS = "mg_contacts.tsv"
#: The pore radius along the axis (HOLE-like profile).
RADIUS_PROFILE = "radius_profile.tsv"
#: The whole analysis of a structure as JSON (all but the profile).
PORE_JSON = "pore.json"
#: Stem of the radius-profile figure of all structures (one file per suffix of :data:`FIGURE_SUFFIXES`).
PROFILE_FIGURE = "pore_profile"
#: The figure formats written (:func:`netpharm.figures.save_figure`).
FIGURE_SUFFIXES: tuple[str, ...] = (".png", ".svg")
#: Columns of :data:`MG_CONTACTS` (written even when there is no contact).
MG_CONTACTS_COLUMNS: tuple[str, ...] = ("site", "kind", "shell", "chain", "resname", "resnum", "atom", "distance")


def structure_file(stem: str, name: str) -> str:
    """The file ``name`` (e.g. :data:`MG_SITES`) of the structure whose file stem is ``stem``."""
    return f"{stem}_{name}"

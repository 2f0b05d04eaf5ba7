"""The NMDA-pore stage's run-directory files (``RUN_DIR/nmda/``, ``docs/run-directory.md``).

Every table of a structure starts with its name (``9IYP_mg_sites.tsv``), so the analysed entry and its
comparison structures share the folder. The writers use these names; a reader imports them instead
of spelling them. Light on purpose (no numpy/pandas).
"""

from __future__ import annotations

__all__ = ["FOLDER", "SUBUNITS", "RINGS", "NSITE_CANDIDATES", "MG_SITES", "MG_CONTACTS", "RADIUS_PROFILE", "PORE_JSON",
           "PROFILE_FIGURE", "FIGURE_SUFFIXES", "structure_file", "MG_CONTACTS_COLUMNS", "PORE_LIGANDS",
           "PORE_LIGANDS_COLUMNS", "MISSING_SIDE_CHAINS", "PORE_VIEW_PDB", "MG_SDF"]

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
#: The pore radius along the axis (HOLE-like profile; ``occluded`` flags slices with no empty point).
RADIUS_PROFILE = "radius_profile.tsv"
#: Molecules bound in the pore (7EU8: S-ketamine): height from the N-site and closest residues
#: (one row per residue, :data:`PORE_LIGANDS_COLUMNS`).
PORE_LIGANDS = "pore_ligands.tsv"
#: Residues of the N-site region whose side chain is not (fully) modelled, and what that limits.
MISSING_SIDE_CHAINS = "missing_side_chains.tsv"
#: The pore around the N-site (residues near the axis, bound ligands) for the report's 3-D view.
PORE_VIEW_PDB = "pore_view.pdb"
#: The placed (or observed) site-I Mg²⁺ as an SDF, for the 3-D view.
MG_SDF = "mg_site_I.sdf"
#: The whole analysis of a structure as JSON (all but the profile).
PORE_JSON = "pore.json"
#: Stem of the radius-profile figure of all structures (one file per suffix of :data:`FIGURE_SUFFIXES`).
PROFILE_FIGURE = "pore_profile"
#: The figure formats written (:func:`netpharm.figures.save_figure`).
FIGURE_SUFFIXES: tuple[str, ...] = (".png", ".svg")
#: Columns of :data:`MG_CONTACTS` (written even when there is no contact).
MG_CONTACTS_COLUMNS: tuple[str, ...] = ("site", "kind", "shell", "chain", "resname", "resnum", "atom", "distance")
#: Columns of :data:`PORE_LIGANDS` (written even when the pore holds no ligand).
PORE_LIGANDS_COLUMNS: tuple[str, ...] = ("ligand", "z_along_axis", "z_min", "z_max", "radial_offset", "nsite_gap",
                                         "chain", "resname", "resnum", "atom", "ligand_atom", "distance")


def structure_file(stem: str, name: str) -> str:
    """The file ``name`` (e.g. :data:`MG_SITES`) of the structure whose file stem is ``stem``."""
    return f"{stem}_{name}"

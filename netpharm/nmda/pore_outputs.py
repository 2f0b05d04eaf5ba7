"""Tables, JSON and figure of the NMDA pore analysis (the ``nmda/`` folder of docs/run-directory.md).

Every file name starts with the analysed structure's name (``9IYP_mg_sites.tsv``...), so an entry and
its comparison (9IYQ) sit side by side; the radius-profile figure overlays all of them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

import matplotlib
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from rdkit import Chem
from rdkit.Geometry import Point3D

from netpharm.figures import save_figure
from netpharm.io import write_json_atomic, write_table, write_text_atomic
from netpharm.nmda import files
from netpharm.nmda.pore_model import Contact, MgSite, PoreAnalysis, PoreLigand

__all__ = ["write_pore_outputs", "plot_profiles", "findings", "site_record"]

_PLOT_STYLE: Any = {"font.size": 9}


def write_pore_outputs(analysis: PoreAnalysis, out_dir: Path | str,
                       compare: Sequence[PoreAnalysis] = ()) -> list[Path]:
    """Write tables, JSON and the radius-profile figure of ``analysis`` (and of ``compare``, overlaid).

    Returns the written paths (tables first, figures last).
    """
    out = Path(out_dir)
    paths: list[Path] = []
    for item in (analysis, *compare):
        paths += _write_tables(item, out)
    paths += plot_profiles((analysis, *compare), out / files.PROFILE_FIGURE)
    return paths


def _stem(analysis: PoreAnalysis) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", analysis.structure) or "structure"


def _write_tables(a: PoreAnalysis, out: Path) -> list[Path]:
    p = _stem(a)
    rings = [{"ring": ring.name, "ring_radius": ring.radius, "ring_z": ring.z, **asdict(r)}
             for ring in (a.nsite_ring, *a.gate_rings) for r in ring.residues]
    sites = [{"site": s.site, "kind": s.kind, "classification": s.classification, "x": s.xyz[0], "y": s.xyz[1],
              "z": s.xyz[2], "z_along_axis": s.z, "radial_offset": s.radial, "delta": s.delta,
              "n_direct": len(s.coordinating),
              "coordinating": "; ".join(f"{c.label} {c.distance:.2f}" for c in s.coordinating),
              "coordination": s.coordination,
              "ligands": "; ".join(f"{c.label} {c.distance:.2f}" for c in s.ligands),
              "nearest_other": f"{s.nearest_other.label} {s.nearest_other.distance:.2f}" if s.nearest_other else ""}
             for s in a.mg_sites]
    contacts = [{"site": s.site, "kind": s.kind, "shell": shell, **asdict(c)}
                for s in a.mg_sites
                for shell, group in (("direct", s.coordinating), ("second", s.second_shell)) for c in group]
    profile = pd.DataFrame({"z_along_axis": a.profile.z, "radius": a.profile.radius,
                            "centre_offset": a.profile.offset,
                            "centre_x": [c[0] for c in a.profile.centres],
                            "centre_y": [c[1] for c in a.profile.centres],
                            "centre_z": [c[2] for c in a.profile.centres],
                            "occluded": list(a.profile.occluded)})
    ligands = [{"ligand": g.ligand, "z_along_axis": g.z, "z_min": g.z_min, "z_max": g.z_max, "radial_offset": g.radial,
                "nsite_gap": g.nsite_gap, **{k: v for k, v in asdict(c).items()}, "ligand_atom": atom}
               for g in a.pore_ligands for c, atom in g.contacts]
    missing = [{"chain": m.chain, "resname": m.resname, "resnum": m.resnum, "present": " ".join(m.present),
                "missing": " ".join(m.missing), "in_ring_window": m.in_ring_window, "limits": m.limits}
               for m in a.missing_side_chains]
    return [
        write_table(out / files.structure_file(p, files.SUBUNITS), pd.DataFrame([asdict(s) for s in a.subunits])),
        write_table(out / files.structure_file(p, files.RINGS), pd.DataFrame(rings)),
        write_table(out / files.structure_file(p, files.NSITE_CANDIDATES),
                    pd.DataFrame([asdict(r) for r in a.nsite_candidates])),
        write_table(out / files.structure_file(p, files.MG_SITES), pd.DataFrame(sites)),
        write_table(out / files.structure_file(p, files.MG_CONTACTS),
                    pd.DataFrame(contacts, columns=list(files.MG_CONTACTS_COLUMNS))),
        write_table(out / files.structure_file(p, files.RADIUS_PROFILE), profile),
        write_table(out / files.structure_file(p, files.PORE_LIGANDS),
                    pd.DataFrame(ligands, columns=list(files.PORE_LIGANDS_COLUMNS))),
        write_table(out / files.structure_file(p, files.MISSING_SIDE_CHAINS),
                    pd.DataFrame(missing, columns=["chain", "resname", "resnum", "present", "missing", "in_ring_window",
                                                   "limits"])),
        write_json_atomic(out / files.structure_file(p, files.PORE_JSON), _summary_json(a)),
        *_write_view(a, out, p),
    ]


def _write_view(a: PoreAnalysis, out: Path, stem: str) -> list[Path]:
    """The pore PDB and the site-I ion SDF the report's 3-D view shows (nothing when no ion is at site I)."""
    site = next((s for s in a.mg_sites if s.classification == "pore_site_I"), None)
    if site is None or not a.view_pdb:
        return []
    return [write_text_atomic(out / files.structure_file(stem, files.PORE_VIEW_PDB), a.view_pdb),
            write_text_atomic(out / files.structure_file(stem, files.MG_SDF), ion_sdf(site))]


def ion_sdf(site: MgSite) -> str:
    """A one-atom SDF of a Mg²⁺ site (RDKit writes the molfile; the title names the site and its kind)."""
    mol = Chem.MolFromSmiles("[Mg+2]")
    conformer = Chem.Conformer(1)
    conformer.SetAtomPosition(0, Point3D(*site.xyz))
    mol.AddConformer(conformer)
    mol.SetProp("_Name", f"Mg2+ {site.kind}: {site.site}")
    return Chem.MolToMolBlock(mol) + "$$$$\n"


def _summary_json(a: PoreAnalysis) -> dict[str, Any]:
    data = asdict(a)
    data.pop("profile")  # in the TSV
    data.pop("view_pdb")  # its own file
    data["nsite_ring"]["radius"] = a.nsite_ring.radius
    data["nsite_ring"]["z"] = a.nsite_ring.z
    for ring, record in zip(a.gate_rings, data["gate_rings"]):
        record["radius"], record["z"] = ring.radius, ring.z
    data["profile_minimum"] = _minimum(a)
    data["frame"] = ("z_along_axis: Å from the N-site ring plane along the pore axis, + = intracellular; "
                     "radial_offset: Å from the axis")
    return data


def site_record(site: MgSite) -> dict[str, Any]:
    """One ``mg_sites`` entry of the stage findings (docs/run-directory.md)."""
    return {"site": site.site, "kind": site.kind, "classification": site.classification,
            "z_along_axis": site.z, "radial_offset": site.radial, "delta": site.delta,
            "coordinating": [_contact(c) for c in site.coordinating],
            "second_shell": [_contact(c) for c in site.second_shell],
            "coordination": site.coordination, "ligands": [_contact(c) for c in site.ligands],
            "nearest_other": _contact(site.nearest_other) if site.nearest_other else None}


def _minimum(a: PoreAnalysis) -> dict[str, Any]:
    return {"z_along_axis": a.profile.minimum[0], "radius": a.profile.minimum[1],
            "occluded_z": list(a.profile.occluded_z), "m2_region": list(a.m2_region)}


def _ligand_record(g: PoreLigand) -> dict[str, Any]:
    return {"ligand": g.ligand, "z_along_axis": g.z, "z_min": g.z_min, "z_max": g.z_max, "radial_offset": g.radial,
            "nsite_gap": g.nsite_gap, "closest_residues": [_contact(c) for c, _ in g.contacts]}


def _contact(c: Contact) -> dict[str, Any]:
    return {"atom": c.label, "distance": c.distance}


def findings(analysis: PoreAnalysis, compare: Sequence[PoreAnalysis], figures: Sequence[str]) -> dict[str, Any]:
    """The stage's ``findings`` (docs/run-directory.md, ``nmda/``)."""
    def one(a: PoreAnalysis) -> dict[str, Any]:
        return {"structure": a.structure, "ring_radius": a.nsite_ring.radius,
                "mg_sites": [site_record(s) for s in a.mg_sites],
                "observed_site_I": a.observed_site_i,
                "subunits": {s.chain: s.label for s in a.subunits},
                "profile_minimum": _minimum(a),
                "membrane_span": {"z_extracellular": a.membrane.z_extracellular,
                                  "z_intracellular": a.membrane.z_intracellular},
                "warnings": list(a.warnings),
                "placement": asdict(a.placement) if a.placement else None,
                "missing_side_chains": [{"residue": f"{m.chain}/{m.resname}{m.resnum}", "missing": list(m.missing),
                                         "in_ring_window": m.in_ring_window, "limits": m.limits}
                                        for m in a.missing_side_chains],
                "pore_ligands": [_ligand_record(g) for g in a.pore_ligands]}
    out = one(analysis)
    out["delta_method"] = analysis.membrane.method
    out["figures"] = list(figures)
    out["compare"] = [one(c) for c in compare]
    return out


def plot_profiles(analyses: Sequence[PoreAnalysis], stem: Path) -> list[Path]:
    """Radius profile(s) vs depth, rings and Mg²⁺ sites marked; PNG + SVG, byte-identical on rerun."""
    with matplotlib.rc_context(_PLOT_STYLE):
        fig = Figure(figsize=(5.0, 6.0))
        FigureCanvasAgg(fig)
        ax = fig.add_subplot()
        styles = ("-", "--", ":", "-.")
        for i, a in enumerate(analyses):
            ax.plot(a.profile.radius, a.profile.z, styles[i % 4], color=f"C{i}", label=f"{a.structure} pore radius")
            if a.profile.occluded_z:
                ax.plot([0.0] * len(a.profile.occluded_z), a.profile.occluded_z, "|", color=f"C{i}", markersize=9,
                        label=f"{a.structure} occluded slice")
            for site in a.mg_sites:
                if site.classification.startswith("pore"):
                    marker = "o" if site.kind == "observed" else "x"
                    ax.plot([0.0], [site.z], marker, color=f"C{i}", markersize=7, clip_on=False,
                            label=f"{a.structure} Mg²⁺ {site.kind} ({site.classification})")
        first = analyses[0]
        ax.axhspan(first.membrane.z_extracellular, first.membrane.z_intracellular, color="0.93", zorder=0,
                   label=f"{first.structure} M3 span (δ 0→1)")
        for k, g in enumerate(first.pore_ligands):
            ax.axhspan(g.z_min, g.z_max, color=f"C{k + 3}", alpha=0.25, zorder=0,
                       label=f"{first.structure} {g.ligand} (bound; z {g.z_min:+.1f}…{g.z_max:+.1f} Å)")
            ax.annotate(f"{g.resname} site", (0.02, g.z), xycoords=("axes fraction", "data"), ha="left",
                        va="center", fontsize=7, color="0.2")
        for ring in (first.nsite_ring, *first.gate_rings):
            ax.axhline(ring.z, color="0.2" if ring is first.nsite_ring else "0.5",
                       linewidth=1.2 if ring is first.nsite_ring else 0.7)
            ax.annotate(f"{ring.name} ring", (1.0, ring.z), xycoords=("axes fraction", "data"),
                        ha="right", va="bottom", fontsize=7, color="0.3")
        ax.axvline(0.0, color="0.8", linewidth=0.5)
        ax.set_ylim(max(first.profile.z), min(first.profile.z))  # extracellular at the top
        ax.set_xlim(left=0.0)
        ax.set_xlabel("pore radius (Å, largest empty sphere, vdW radii; 0 = occluded)")
        ax.set_ylabel("depth along pore axis (Å from N-site ring; extracellular up)")
        ax.set_title(" vs ".join(a.structure for a in analyses) + ": NMDA receptor pore")
        ax.legend(loc="lower right", fontsize=6, frameon=False)
        fig.tight_layout()
        paths = save_figure(fig, stem, dpi=150)
    return paths

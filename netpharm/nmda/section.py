"""The NMDA stage's part of the report: the structure (or its stand-in), its Mg²⁺ sites, the bound pore
ligands, missing side chains, the pore tables, the radius-profile figure and a 3-D view of the pore."""

from __future__ import annotations

from pathlib import Path

from netpharm.nmda import files
from netpharm.nmda.findings import NmdaFindings
from netpharm.present.markup import figure_views, tsv_block
from netpharm.present.page import Page, Rendered, StageSection
from netpharm.present.templating import render
from netpharm.present.viewer import PoseStore, PoseView
from netpharm.stage import StageOutcome

__all__ = ["NmdaSection", "SITE_COLUMNS", "pore_view"]

#: Columns of the Mg²⁺ site table.
SITE_COLUMNS = ["site", "kind", "classification", "coordination", "z_along_axis", "radial_offset", "delta", "ligands",
                "nearest_other"]
#: Colour of the dashed lines from the ion to its ligands in the 3-D view.
_LIGAND_LINE = "#1f77b4"


class NmdaSection(StageSection[NmdaFindings]):
    """Structure and N-site ring radius, the Mg²⁺ sites (observed or placed), every pore table and figure."""

    anchor = "nmda"
    title = "NMDA pore"

    def render(self, page: Page, outcome: StageOutcome[NmdaFindings] | None) -> Rendered:
        if outcome is None or not outcome.usable or outcome.findings is None:
            return Rendered(render(__package__, "nmda.html.j2", s=outcome, usable=False))
        f = outcome.findings
        run_dir, base = page.run_dir, page.report_dir
        sites = [{c: getattr(m, c) for c in SITE_COLUMNS} for m in f.mg_sites]
        for row in sites:
            row["ligands"] = [{"atom": c.atom, "distance": c.distance} for c in row["ligands"]]
            other = row["nearest_other"]
            row["nearest_other"] = f"{other.atom} {other.distance:.2f} Å" if other is not None else ""
        figures = figure_views(run_dir, base, list(f.figures), "NMDA pore")
        found = pore_view(run_dir, outcome.outputs, f)
        view, store = found if found is not None else (None, None)
        if view is not None and store is not None:
            store.poses.append(view)
        return Rendered(render(
            __package__, "nmda.html.j2", s=outcome, usable=True, f=f, sites=sites, site_columns=SITE_COLUMNS,
            blocks=[tsv_block(run_dir, base, r, Path(r).stem.replace("_", " ")) for r in outcome.outputs
                    if r.endswith(".tsv")],
            figures=figures, view=view, store=store.data() if store is not None else None), [],
            [view] if view is not None else [])

    def stand_ins(self, outcome: StageOutcome[NmdaFindings] | None) -> list[str]:
        f = outcome.findings if outcome is not None else None
        if f is None or f.structure_role != "stand_in":
            return []
        return [f"nmda: {f.structure} used as a stand-in for {f.paper_pdb}" + (f" ({f.stand_in})" if f.stand_in else "")]


def pore_view(run_dir: Path, outputs: list[str], f: NmdaFindings) -> tuple[PoseView, PoseStore] | None:
    """The 3-D view of the pore around the N-site with its site-I Mg²⁺ and the store holding it (``None`` when the
    files are absent)."""
    pdb = next((r for r in outputs if r.endswith(files.structure_file(f.structure, files.PORE_VIEW_PDB))), None)
    sdf = next((r for r in outputs if r.endswith(files.structure_file(f.structure, files.MG_SDF))), None)
    site = next((s for s in f.mg_sites if s.classification == "pore_site_I"), None)
    if pdb is None or sdf is None or site is None or not (run_dir / pdb).is_file() or not (run_dir / sdf).is_file():
        return None
    pocket, ion = (run_dir / pdb).read_text(encoding="utf-8"), (run_dir / sdf).read_text(encoding="utf-8")
    atoms = _pdb_positions(pocket)
    ion_xyz = _sdf_first_position(ion)
    lines, labels, residues = [], [], []
    for c in site.ligands:
        end = atoms.get(c.atom)
        if end is not None and ion_xyz is not None:
            lines.append({"start": ion_xyz, "end": end, "color": _LIGAND_LINE, "kind": site.coordination,
                          "distance": c.distance})
    for label in dict.fromkeys([c.atom.rsplit("/", 1)[0] for c in site.ligands]
                               + [g.ligand.split(" ")[1] for g in f.pore_ligands]):
        chain, rest = label.split("/", 1)
        number = "".join(ch for ch in rest if ch.isdigit() or ch == "-").lstrip("-") or rest
        residues.append({"chain": chain, "resi": number})
    if ion_xyz is not None:
        labels.append({"text": f"Mg²⁺ {site.kind} ({site.coordination})", "position": ion_xyz})
    for g in f.pore_ligands:
        pos = _residue_centre(pocket, g.ligand.split(" ")[1])
        if pos is not None:
            labels.append({"text": f"{g.ligand} (bound)", "position": pos})
    title = f"{f.structure}: pore around the N-site, Mg²⁺ {site.kind}"
    if ion_xyz is None:
        return None
    # one ion: no bond to draw, so the compact ligand form is written here (the viewer draws Mg as a sphere)
    return PoseView("nmda-pore", title, "nmda-pore", {"elem": "Mg", "xyz": list(ion_xyz), "bonds": []}, lines,
                    labels, residues), PoseStore(pockets={"nmda-pore": pocket})


def _pdb_positions(text: str) -> dict[str, list[float]]:
    """``chain/RESnnn/ATOM`` → xyz of a PDB text's ATOM/HETATM records (fixed columns, as the labels use)."""
    out: dict[str, list[float]] = {}
    for line in text.splitlines():
        if line.startswith(("ATOM", "HETATM")) and len(line) >= 54:
            key = f"{line[21].strip()}/{line[17:20].strip()}{line[22:27].strip()}/{line[12:16].strip()}"
            out[key] = [float(line[30:38]), float(line[38:46]), float(line[46:54])]
    return out


def _residue_centre(text: str, chain_resnum: str) -> list[float] | None:
    chain, number = chain_resnum.split("/", 1)
    xyz = [[float(ln[30:38]), float(ln[38:46]), float(ln[46:54])] for ln in text.splitlines()
           if ln.startswith(("ATOM", "HETATM")) and ln[21].strip() == chain and ln[22:27].strip() == number]
    return [sum(c) / len(xyz) for c in zip(*xyz)] if xyz else None


def _sdf_first_position(text: str) -> list[float] | None:
    lines = text.splitlines()
    if len(lines) < 5:
        return None
    return [float(lines[4][0:10]), float(lines[4][10:20]), float(lines[4][20:30])]

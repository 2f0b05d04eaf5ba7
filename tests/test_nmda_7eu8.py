"""The NMDA pore on a real structure: 7EU8, human GluN1/GluN2B with S-ketamine (JC9), no Mg²⁺.

The entry is the wwPDB mmCIF recorded in ``cache/`` under its RCSB key (cache/README.md: mirror
vallarieastman/NMDAR, blob 61b9bee6…, revision 1.4), read offline exactly like an RCSB download. Distances
and radii are re-measured here independently (gemmi's neighbour search, a brute-force grid), not read back
from the code under test.
"""

from __future__ import annotations

import json
from pathlib import Path

import gemmi
import numpy as np
import pandas as pd
import pytest
from helpers import OFFLINE_WORKFLOW, claim_from_table, run_claims, stage_context

from netpharm.cli.main import main
from netpharm.nmda.pore_geometry import analyse_pore
from netpharm.nmda.pore_model import PoreAnalysis
from netpharm.nmda.stage import load_entry, run_nmda_stage
from netpharm.registry import load_workflow
from netpharm.sources.cache import Cache
from netpharm.sources.rcsb import structure_request

REPO = Path(__file__).resolve().parents[1]
CACHE = REPO / "cache"
SHA256 = "c918a9876a55bdd682e4612710d09656e3fe81983b952227a777560796924409"


@pytest.fixture(scope="module")
def entry() -> tuple[gemmi.Structure, dict[str, str]]:
    loaded = load_entry("7EU8", Cache(CACHE, offline=True))
    return loaded.structure, loaded.labels


@pytest.fixture(scope="module")
def pore(entry: tuple[gemmi.Structure, dict[str, str]]) -> PoreAnalysis:
    structure, labels = entry
    return analyse_pore(structure, subunit_labels=labels, name="7EU8")


def _model_atoms(structure: gemmi.Structure) -> tuple[gemmi.NeighborSearch, gemmi.Model]:
    model = structure[0]
    return gemmi.NeighborSearch(model, structure.cell, 6).populate(), model


def _heavy_atoms_within(structure: gemmi.Structure, xyz: tuple[float, float, float], radius: float) -> dict[str, float]:
    ns, model = _model_atoms(structure)
    point = gemmi.Position(*xyz)
    out = {}
    for mark in ns.find_atoms(point, "\0", radius=radius):
        cra = mark.to_cra(model)
        if cra.atom.element.name != "H":
            out[f"{cra.chain.name}/{cra.residue.name}{cra.residue.seqid.num}/{cra.atom.name}"] = cra.atom.pos.dist(point)
    return out


# ----------------------------------------------------------------------------- the cache entry
def test_7eu8_is_recorded_under_its_rcsb_key_with_provenance() -> None:
    cached = Cache(CACHE, offline=True).get(structure_request("7EU8"))
    assert cached is not None
    meta = cached.meta
    assert meta["sha256"] == SHA256 and meta["url"] == "https://files.rcsb.org/download/7EU8.cif"
    assert meta["kind"] == "mirror" and meta["wwpdb_revision"] == "1.4 (2024-11-06)"
    assert meta["mirror"]["repo"] == "vallarieastman/NMDAR"
    assert meta["mirror"]["commit"] == "30f8c5f5bfa99dd73aa48954f66ff8b52c39d547"
    assert meta["mirror"]["git_blob"] == "61b9bee68c0cc2277ca08712e0c6190f0f0847f5"


# ----------------------------------------------------------------------------- geometry by sequence
def test_subunits_nsite_ring_and_axis(pore: PoreAnalysis) -> None:
    assert [(s.chain, s.label, s.motif_start) for s in pore.subunits] == [
        ("A", "GluN1", "646"), ("B", "GluN2B", "645"), ("C", "GluN1", "646"), ("D", "GluN2B", "645")]
    assert [(r.chain, r.resname, r.resnum) for r in pore.nsite_ring.residues] == [
        ("A", "ASN", "616"), ("B", "ASN", "616"), ("C", "ASN", "616"), ("D", "ASN", "615")]
    assert pore.axis.n_layers == 29 and pore.axis.layer_rmsd < 0.5  # M3 bundle nearly straight
    # the axis passes within 1 Å of the README's Cα centroid of the Asn ring (132.2, 132.5, 64.0)
    rel = np.array([132.2, 132.5, 64.0]) - np.asarray(pore.axis.origin)
    d = np.asarray(pore.axis.direction)
    assert np.linalg.norm(rel - (rel @ d) * d) < 1.0
    # both SYTANLAAF gate rings extracellular of the N-site (z < 0), T3 below A7
    assert [round(g.z, 1) for g in pore.gate_rings] == [-12.7, -18.9]


def test_found_by_sequence_not_residue_numbers(entry: tuple[gemmi.Structure, dict[str, str]],
                                               pore: PoreAnalysis) -> None:
    shifted = entry[0].clone()
    for k, chain in enumerate(shifted[0]):
        for res in chain:
            res.seqid = gemmi.SeqId(res.seqid.num + 1000 * (k + 1), res.seqid.icode)
    again = analyse_pore(shifted, subunit_labels=entry[1], name="renumbered")
    assert [int(r.resnum) - 1000 * (k + 1) for k, r in enumerate(again.nsite_ring.residues)] == [616, 616, 616, 615]
    assert again.nsite_ring.radius == pytest.approx(pore.nsite_ring.radius, abs=1e-9)
    assert np.allclose(again.axis.origin, pore.axis.origin) and np.allclose(again.axis.direction, pore.axis.direction)


# ----------------------------------------------------------------------------- missing side chain
def test_missing_side_chain_of_b_asn615_is_reported_not_imputed(pore: PoreAnalysis) -> None:
    ring = [m for m in pore.missing_side_chains if m.in_ring_window]
    assert [(m.chain, m.resname, m.resnum, m.present, m.missing) for m in ring] == [
        ("B", "ASN", "615", ("N", "CA", "C", "O", "CB"), ("CG", "OD1", "ND2"))]
    assert "ring is incomplete" in ring[0].limits and "not imputed" in ring[0].limits
    assert any("B ASN 615: side chain not modelled" in w for w in pore.warnings)
    # nothing was rebuilt: the entry's B/615 still has no amide anywhere in the analysis
    assert not any(c.chain == "B" and c.resnum == "615" and c.atom in ("OD1", "ND2")
                   for s in pore.mg_sites for c in (*s.coordinating, *s.second_shell))


# ----------------------------------------------------------------------------- placed Mg²⁺
def test_placed_ion_sits_where_it_can(entry: tuple[gemmi.Structure, dict[str, str]], pore: PoreAnalysis) -> None:
    placed = [s for s in pore.mg_sites if s.kind == "placed"]
    assert len(placed) == 1 and placed[0].classification == "pore_site_I"
    site = placed[0]
    assert pore.placement is not None and pore.placement.status == "placed"
    # no side-chain oxygen of 7EU8's ring can hold a bare ion with every other atom >= 2.8 Å: outer-sphere
    assert site.coordination == pore.placement.coordination == "outer-sphere"
    near = _heavy_atoms_within(entry[0], site.xyz, 5.0)
    ligands = {c.label: c.distance for c in site.ligands}
    assert sorted(ligands) == ["A/ASN616/ND2", "B/ASN616/ND2", "C/ASN616/ND2", "D/ASN615/ND2"]
    for label, distance in ligands.items():
        assert near[label] == pytest.approx(distance, abs=1e-6) and 4.0 <= distance <= 4.5
    others = {k: v for k, v in near.items() if k not in ligands}
    assert min(others.values()) >= 3.5  # room for the first-shell waters (and >= 2.8 Å, the clash limit)
    assert min(near.values()) > 2.8  # the old rule put B/Asn616 ND2 at 2.22 Å, its only "ligand"
    assert site.nearest_other is not None and site.nearest_other.label == "B/JC9903/C10"
    assert site.nearest_other.distance == pytest.approx(min(others.values()), abs=1e-6)
    assert abs(site.z) <= 3.0 and site.radial <= max(r.radial for r in pore.nsite_ring.residues)


# ----------------------------------------------------------------------------- radius profile
def test_profile_never_negative_and_narrowest_in_m2(entry: tuple[gemmi.Structure, dict[str, str]],
                                                    pore: PoreAnalysis) -> None:
    radii = np.asarray(pore.profile.radius)
    assert (radii >= 0).all() and len(pore.profile.occluded) == len(radii)
    z_min, r_min = pore.profile.minimum
    low, high = pore.m2_region
    assert low <= z_min <= high and abs(z_min) <= 3.0  # at the N-site of the M2 loop, not at the gate
    assert round(r_min, 2) == 1.37 and z_min == 1.0
    # Independent check of that slice: the sphere at the reported centre touches (gap = radius) and no
    # centre of a 0.1 Å grid over the 4 Å disc does better by more than 0.02 Å.
    i = pore.profile.z.index(z_min)
    centre = np.asarray(pore.profile.centres[i])
    protein = [(np.asarray(a.pos.tolist()), a.element.vdw_r) for ch in entry[0][0] for res in ch
               if gemmi.find_tabulated_residue(res.name) and gemmi.find_tabulated_residue(res.name).is_amino_acid()
               for a in res if a.element.name != "H" and a.pos.dist(gemmi.Position(*centre)) < 12]
    xyz, vdw = np.array([p for p, _ in protein]), np.array([r for _, r in protein])
    gap = float((np.linalg.norm(xyz - centre, axis=1) - vdw).min())
    assert gap == pytest.approx(r_min, abs=1e-6)
    d = np.asarray(pore.axis.direction)
    e1 = np.cross(d, np.eye(3)[int(np.argmin(np.abs(d)))])
    e1 /= np.linalg.norm(e1)
    e2 = np.cross(d, e1)
    ticks = np.arange(-4.0, 4.0001, 0.1)
    on_axis = np.asarray(pore.axis.point(z_min))
    best = max(float((np.linalg.norm(xyz - (on_axis + u * e1 + v * e2), axis=1) - vdw).min())
               for u in ticks for v in ticks if u * u + v * v <= 16.0)
    assert best <= r_min + 0.02


# ----------------------------------------------------------------------------- ketamine
def test_ketamine_in_the_vestibule(pore: PoreAnalysis) -> None:
    assert [g.ligand for g in pore.pore_ligands] == ["JC9 B/903"]
    ket = pore.pore_ligands[0]
    assert ket.z_max < 0 and ket.nsite_gap == pytest.approx(-ket.z_max)  # wholly extracellular of the N-site
    assert round(ket.z, 1) == -7.3 and ket.radial < 1.0  # on the axis, in the vestibule above the filter
    assert pore.gate_rings[0].z < ket.z_min  # ... and below the T3 ring of SYTANLAAF
    closest = [(c.label, round(c.distance, 2)) for c, _ in ket.contacts]
    assert closest[0] == ("B/LEU643/CD1", 2.57)  # GluN2B Leu643, the hydrophobic ketamine contact
    assert {"D/ASN615/ND2", "C/ASN616/ND2"} <= {label for label, _ in closest}  # the N-site Asn below it


# ----------------------------------------------------------------------------- the stage, the workflow, claim 7
def test_offline_workflow_names_7eu8_a_stand_in_and_claim7(tmp_path: Path) -> None:
    config = load_workflow(OFFLINE_WORKFLOW)
    assert (config.nmda.pdb_id, config.nmda.paper_pdb, config.nmda.structure_role) == ("7EU8", "9IYP", "stand_in")
    ctx = stage_context(config, tmp_path / "run", CACHE, stage="nmda")
    outcome = run_nmda_stage(ctx)
    assert outcome.status == "partial"
    assert outcome.missing == ["7EU8: side chain of B/Asn615 not modelled (N-site ring incomplete; not imputed)",
                               "comparison structure 9IYQ not in cache (offline)"]
    f = outcome.findings
    assert f is not None and (f.structure, f.paper_pdb, f.structure_role) == ("7EU8", "9IYP", "stand_in")
    assert f.stand_in.startswith("9IYP is not available offline; 7EU8 is the same human GluN1/GluN2B receptor")
    for name in ("radius_profile", "rings", "mg_sites", "mg_contacts", "pore_ligands", "missing_side_chains"):
        assert f"nmda/7EU8_{name}.tsv" in outcome.outputs
    assert {"nmda/7EU8_pore_view.pdb", "nmda/7EU8_mg_site_I.sdf", "nmda/pore_profile.png"} <= set(outcome.outputs)
    profile = pd.read_csv(ctx.run_dir / "nmda/7EU8_radius_profile.tsv", sep="\t")
    assert list(profile.columns)[:6] == ["z_along_axis", "radius", "centre_offset", "centre_x", "centre_y",
                                         "centre_z"] and (profile["radius"] >= 0).all()
    ketamine = pd.read_csv(ctx.run_dir / "nmda/7EU8_pore_ligands.tsv", sep="\t")
    assert set(ketamine["ligand"]) == {"JC9 B/903"} and ketamine["resname"].iloc[0] == "LEU"
    view = (ctx.run_dir / "nmda/7EU8_pore_view.pdb").read_text()
    assert "JC9" in view and " ASN B 616" in view
    (ctx.run_dir / "nmda/summary.json").write_text(json.dumps(outcome.to_json(), ensure_ascii=False))
    claim = claim_from_table(7, {"id": "mg-nmda-pore", "text": "Mg²⁺ sits stably in the NMDA receptor pore at the "
                                 "asparagine ring.", "kind": "pore_ion", "ion": "MG", "site": "N-site"})
    (v,) = run_claims(ctx.run_dir, [claim])
    assert v.verdict == "partially supported"
    assert v.reason.startswith("Mg²⁺ placed (not observed) at the N-site of 7EU8, a stand-in for 9IYP")
    assert "A/ASN616/ND2 4.24 Å" in v.evidence and "ring incomplete (side chain not modelled: B/ASN615)" in v.evidence


def test_rerun_on_7eu8_is_byte_identical(tmp_path: Path) -> None:
    config = load_workflow(OFFLINE_WORKFLOW)
    first = run_nmda_stage(stage_context(config, tmp_path / "a", CACHE, stage="nmda"))
    second = run_nmda_stage(stage_context(config, tmp_path / "b", CACHE, stage="nmda"))
    assert first.outputs == second.outputs and len(first.outputs) == 13
    for rel in first.outputs:
        assert (tmp_path / "a" / rel).read_bytes() == (tmp_path / "b" / rel).read_bytes(), rel


def test_faithful_workflow_keeps_asking_for_9iyp(tmp_path: Path) -> None:
    config = load_workflow(REPO / "workflows" / "microdiscectomy.toml")
    assert (config.nmda.pdb_id, config.nmda.structure_role) == ("9IYP", "paper_entry")
    outcome = run_nmda_stage(stage_context(config, tmp_path / "run", CACHE, stage="nmda"))
    assert (outcome.status, outcome.reason) == ("not_run", "structure 9IYP not in cache (offline)")


def test_cli_on_a_users_pdb_file(tmp_path: Path, entry: tuple[gemmi.Structure, dict[str, str]]) -> None:
    """``netpharm nmda FILE`` on a user's bare PDB file (no entity names): no other NMDA entry is available
    offline, so the file is 7EU8's transmembrane domain (residues 540–850) written as PDB by gemmi."""
    st = entry[0].clone()
    for chain in st[0]:
        for i in range(len(chain) - 1, -1, -1):
            if not 540 <= (chain[i].seqid.num or 0) <= 850:
                del chain[i]
    path = tmp_path / "my_nmda_tmd.pdb"
    path.write_text(st.make_pdb_string(gemmi.PdbWriteOptions(minimal=True)))
    out = tmp_path / "out"
    assert main(["nmda", str(path), "--out", str(out), "--offline"]) == 0
    subunits = pd.read_csv(out / "my_nmda_tmd_subunits.tsv", sep="\t")
    assert list(subunits["label"]) == ["GluN1-like", "GluN2-like", "GluN1-like", "GluN2-like"]  # from the N-site
    sites = pd.read_csv(out / "my_nmda_tmd_mg_sites.tsv", sep="\t")
    assert list(sites["kind"]) == ["placed"] and list(sites["coordination"]) == ["outer-sphere"]
    assert (pd.read_csv(out / "my_nmda_tmd_radius_profile.tsv", sep="\t")["radius"] >= 0).all()
    assert (out / "my_nmda_tmd_pore_ligands.tsv").is_file()

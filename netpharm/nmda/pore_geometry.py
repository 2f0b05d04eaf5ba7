"""NMDA receptor channel geometry: channel subunits, pore axis, N-site and gate rings.

The paper examined PDB 9IYP (human GluN1/GluN2B with Mg²⁺; Huang et al., Neuron 2025) "to evaluate the
potential positioning of Mg²⁺ ions within the receptor channel pore". This module rebuilds that
evaluation as reproducible geometry:

1. Channel subunits are the chains carrying the M3 gate motif SYTANLAAF (conserved in every iGluR
   subunit) — found by sequence, never by chain letter.
2. The pore axis is the pseudo-symmetry axis of the M3 bundle: for each M3 layer (the residue at the
   same offset from the motif in all four subunits) the centroid of the four Cα lies on the 2-fold
   (GluN1/GluN2 dimer-of-dimers) or 4-fold axis; the axis is the line fitted through those centroids,
   oriented extracellular → intracellular (M3 runs intracellular → extracellular, N → C).
3. The N-site ring (GluN1 Asn616, GluN2B Asn615/616: the Mg²⁺ block site) is, per subunit, the Asn
   closest to the axis within a window of the M2 loop upstream of the motif: a geometric choice, so no
   residue number or fixed offset is trusted.
4. Mg²⁺ ions are classified, and one is placed at the ring when none is observed there
   (:mod:`netpharm.nmda.pore_sites`); a HOLE-like radius profile follows
   (:mod:`netpharm.nmda.pore_profile`).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

import gemmi
import numpy as np

from netpharm.errors import PoreAnalysisError
from netpharm.nmda.config import NmdaConfig
from netpharm.nmda.pore_context import SITE_RADIUS, missing_side_chains, pore_ligands, pore_view_pdb
from netpharm.nmda.pore_model import (
    AtomTable,
    MembraneSpan,
    Placement,
    PoreAnalysis,
    PoreAxis,
    RingGeometry,
    RingResidue,
    Subunit,
)
from netpharm.nmda.pore_placement import place_mg, ring_narrowest
from netpharm.nmda.pore_profile import radius_profile
from netpharm.nmda.pore_sites import classify_mg_sites

__all__ = ["analyse_pore", "atom_table", "find_channel_subunits", "fit_pore_axis", "find_nsite_ring"]

log = logging.getLogger(__name__)

ResidueMap = dict[int, gemmi.Residue]
_AMIDE = ("OD1", "ND2")
_ASN_REACH = 3.5  # Å, about how much nearer the axis the Asn amide can sit than its CB/CA


def analyse_pore(structure: gemmi.Structure, config: NmdaConfig | None = None, *,
                 subunit_labels: Mapping[str, str] | None = None, name: str | None = None) -> PoreAnalysis:
    """Analyse the channel pore of an NMDA receptor structure.

    Parameters
    ----------
    structure : gemmi.Structure
        Any iGluR-like tetramer (mmCIF/PDB). Only the first model is used (a warning says so).
    config : NmdaConfig, optional
        Thresholds and motifs (defaults: SYTANLAAF, 3.0/5.0 Å shells, 0.5 Å profile step).
    subunit_labels : mapping, optional
        Chain → subunit name from the entry (e.g. from :func:`netpharm.nmda.pore_io.read_structure_text`).
    name : str, optional
        Name used in outputs (default: the structure's name).

    Returns
    -------
    PoreAnalysis

    Raises
    ------
    PoreAnalysisError
        Not exactly four chains carry the gate motif, too few M3 layers to fit an axis, or a
        subunit has no asparagine in its N-site window.
    """
    cfg = config or NmdaConfig()
    label = name or structure.name or "structure"
    warnings: list[str] = []
    model = _first_model(structure, label, warnings)
    chains = find_channel_subunits(model, cfg.gate_motif, label)
    axis, layers = fit_pore_axis(chains, cfg, label, warnings)
    first_pass, _ = find_nsite_ring(chains, axis, cfg, label, warnings)
    axis = _recentre(axis, first_pass.z)  # z = 0 at the N-site ring plane
    nsite, candidates = find_nsite_ring(chains, axis, cfg, label, [])
    gates = _gate_rings(chains, axis, cfg, label, warnings)
    membrane = _membrane_span(axis, layers, cfg)
    _check_orientation(nsite, gates, label, warnings)
    subunits = _label_subunits(chains, nsite, subunit_labels or {}, label, warnings)
    atoms = atom_table(model)
    z_range = _profile_range(membrane, cfg)
    profile = radius_profile(atoms, axis, z_range, cfg.profile_step, cfg.profile_max_offset)
    sites = classify_mg_sites(atoms, axis, nsite, membrane, chains_motif_starts(chains), cfg)
    if any(s.classification == "pore_site_I" for s in sites):
        placement = Placement("observed", "unassigned", "a Mg²⁺ is observed at site I: nothing placed",
                              ring_narrowest(profile, nsite, cfg), "")
    else:
        placed, placement = place_mg(atoms, axis, nsite, membrane, profile, cfg)
        sites += (placed,) if placed is not None else ()
    far, near = cfg.nsite_window
    windows = {name: (start - far, start - near) for name, (_, start) in chains.items()}
    missing = missing_side_chains(model, axis, nsite, windows)
    for m in missing:
        if m.in_ring_window:
            warnings.append(f"{label}: chain {m.chain} {m.resname} {m.resnum}: side chain not modelled (missing "
                            f"{', '.join(m.missing)}); {m.limits}")
    others = [f"{m.chain}/{m.resname.title()}{m.resnum}" for m in missing if not m.in_ring_window]
    if others:
        warnings.append(f"{label}: {len(others)} other residue(s) within {SITE_RADIUS:g} Å of the N-site lack side-chain "
                        f"atoms ({', '.join(others)}): the pore wall there is thinner than modelled; not imputed")
    ligands = pore_ligands(atoms, axis, nsite, z_range, cfg)
    for text in warnings:
        log.warning(text)
    return PoreAnalysis(label, str(model.num), subunits, axis, nsite, candidates, gates, membrane, sites, profile,
                        tuple(warnings), placement, missing, ligands, _m2_region(chains, windows, axis),
                        pore_view_pdb(model, axis, nsite, ligands))


def _m2_region(chains: Mapping[str, tuple[ResidueMap, int]], windows: Mapping[str, tuple[int, int]],
               axis: PoreAxis) -> tuple[float, float]:
    """Axis heights spanned by the Cα atoms of the N-site windows (the M2 re-entrant loop), found by sequence."""
    heights = [float(axis.z(ca.pos.tolist())) for name, (rmap, _) in chains.items()
               for n in range(windows[name][0], windows[name][1] + 1)
               if n in rmap and (ca := rmap[n].get_ca()) is not None]
    return (min(heights), max(heights)) if heights else (0.0, 0.0)


# --------------------------------------------------------------------------- model and atoms
def _first_model(structure: gemmi.Structure, label: str, warnings: list[str]) -> gemmi.Model:
    if len(structure) == 0:
        raise PoreAnalysisError(f"{label}: the structure has no model")
    if len(structure) > 1:
        warnings.append(f"{label}: {len(structure)} models; using the first only")
    work = structure.clone()
    work.remove_hydrogens()
    work.remove_alternative_conformations()
    return work[0].clone()  # an owned copy: does not depend on ``work`` staying alive


def atom_table(model: gemmi.Model) -> AtomTable:
    """Heavy atoms of ``model`` as arrays, with gemmi's van der Waals radii (Bondi-type table)."""
    xyz, chain, resname, resnum, atom, element, vdw, protein, water = ([] for _ in range(9))
    for ch in model:
        for res in ch:
            is_aa = gemmi.find_tabulated_residue(res.name)
            aa = bool(is_aa and is_aa.is_amino_acid())
            for at in res:
                if at.element.is_hydrogen:
                    continue
                xyz.append(at.pos.tolist())
                chain.append(ch.name)
                resname.append(res.name)
                resnum.append(str(res.seqid).strip())
                atom.append(at.name)
                element.append(at.element.name)
                vdw.append(at.element.vdw_r)
                protein.append(aa)
                water.append(res.is_water())
    return AtomTable(np.asarray(xyz, float).reshape(-1, 3), tuple(chain), tuple(resname), tuple(resnum),
                     tuple(atom), tuple(element), np.asarray(vdw, float), np.asarray(protein, bool),
                     np.asarray(water, bool))


# --------------------------------------------------------------------------- subunits
def _one_letter(res: gemmi.Residue) -> str:
    info = gemmi.find_tabulated_residue(res.name)
    return info.one_letter_code.upper() if info and info.is_amino_acid() else ""


def _residue_map(chain: gemmi.Chain) -> ResidueMap:
    out: ResidueMap = {}
    for res in chain:
        num = res.seqid.num
        if _one_letter(res) and res.seqid.icode == " " and num is not None and num not in out:
            out[num] = res
    return out


def find_channel_subunits(model: gemmi.Model, motif: str, label: str = "structure") -> dict[str, tuple[ResidueMap, int]]:
    """Chains whose modelled sequence holds ``motif`` once, as ``{chain: (residues by number, motif start)}``.

    Raises
    ------
    PoreAnalysisError
        If not exactly four chains carry the motif (an NMDA receptor has two GluN1 + two GluN2).
    """
    found: dict[str, tuple[ResidueMap, int]] = {}
    for chain in model:
        residues = [r for r in chain if _one_letter(r) and r.seqid.num is not None]
        sequence = "".join(_one_letter(r) for r in residues)
        hits = [i for i in range(len(sequence)) if sequence.startswith(motif, i)]
        numbers = [int(r.seqid.num or 0) for r in residues]  # None filtered above; int() for the type checker
        consecutive = [i for i in hits if numbers[i + len(motif) - 1] - numbers[i] == len(motif) - 1]
        if consecutive:
            found[chain.name] = (_residue_map(chain), numbers[consecutive[0]])
    if len(found) != 4:
        listed = ", ".join(sorted(found)) or "none"
        raise PoreAnalysisError(
            f"{label}: {len(found)} chain(s) carry the M3 gate motif {motif} (chains: {listed}); the NMDA "
            "receptor pore needs four channel subunits (two GluN1 + two GluN2)")
    return found


def chains_motif_starts(chains: Mapping[str, tuple[ResidueMap, int]]) -> dict[str, int]:
    return {name: start for name, (_, start) in chains.items()}


# --------------------------------------------------------------------------- axis
def fit_pore_axis(chains: Mapping[str, tuple[ResidueMap, int]], cfg: NmdaConfig, label: str,
                  warnings: list[str]) -> tuple[PoreAxis, np.ndarray]:
    """Fit the pore axis through the centroids of equivalent M3 Cα layers.

    Returns the axis (origin at the mean layer centroid, direction extracellular → intracellular) and
    the layer centroids, from the most intracellular (N-terminal) to the most extracellular.
    """
    centroids = []
    for k in range(-cfg.m3_residues_before_motif, len(cfg.gate_motif)):
        cas = [rmap[start + k].get_ca() if start + k in rmap else None for rmap, start in chains.values()]
        present = [ca for ca in cas if ca is not None]
        if len(present) == len(cas):
            centroids.append(np.mean([ca.pos.tolist() for ca in present], axis=0))
    if len(centroids) < 4:
        raise PoreAnalysisError(
            f"{label}: only {len(centroids)} M3 layer(s) have Cα atoms in all four subunits "
            f"(residues motif−{cfg.m3_residues_before_motif}…motif end); at least 4 are needed for the axis")
    points = np.asarray(centroids)
    centre = points.mean(axis=0)
    _, _, vt = np.linalg.svd(points - centre)
    direction = vt[0] / np.linalg.norm(vt[0])
    if direction @ (points[-1] - points[0]) > 0:  # layers run intracellular → extracellular (M3 N → C)
        direction = -direction
    rel = points - centre
    perp = rel - np.outer(rel @ direction, direction)
    rmsd = float(np.sqrt(np.mean(np.sum(perp ** 2, axis=1))))
    if rmsd > 1.5:
        warnings.append(f"{label}: M3 layer centroids deviate {rmsd:.2f} Å RMS from a straight axis "
                        "(asymmetric or incomplete transmembrane domain)")
    return PoreAxis(_vec(centre), _vec(direction), len(points), rmsd), points


def _recentre(axis: PoreAxis, z0: float) -> PoreAxis:
    return PoreAxis(_vec(axis.point(z0)), axis.direction, axis.n_layers, axis.layer_rmsd)


def _vec(values: np.ndarray) -> tuple[float, float, float]:
    return float(values[0]), float(values[1]), float(values[2])


# --------------------------------------------------------------------------- rings
def _closest_atom(res: gemmi.Residue, names: tuple[str, ...] | None, axis: PoreAxis) -> gemmi.Atom | None:
    atoms = [a for a in res if names is None or a.name in names]
    if not atoms:
        return None
    radial = axis.radial(np.asarray([a.pos.tolist() for a in atoms]))
    return atoms[int(np.argmin(radial))]


def _ring_residue(chain: str, res: gemmi.Residue, axis: PoreAxis, names: tuple[str, ...] | None) -> RingResidue:
    """The residue's atom closest to the axis among ``names`` (all atoms if none of them is modelled)."""
    atom = _closest_atom(res, names, axis)
    complete = atom is not None
    if atom is None:
        atom = _closest_atom(res, None, axis)
    assert atom is not None  # a modelled residue has at least one atom
    xyz = np.asarray(atom.pos.tolist())
    return RingResidue(chain, res.name, str(res.seqid.num), atom.name, float(axis.z(xyz)),
                       float(axis.radial(xyz)), complete)


def _missing_amide(r: RingResidue, label: str, why: str) -> str:
    return (f"{label}: chain {r.chain} {r.resname} {r.resnum}: side-chain atoms OD1/ND2 absent ({why}); "
            f"its position is taken from {r.atom}")


def find_nsite_ring(chains: Mapping[str, tuple[ResidueMap, int]], axis: PoreAxis, cfg: NmdaConfig, label: str,
                    warnings: list[str]) -> tuple[RingGeometry, tuple[RingResidue, ...]]:
    """Per subunit, the M2-loop asparagine whose amide (OD1/ND2) is closest to the axis.

    Returns the ring and every asparagine of the search windows (the candidates, N+1 included).

    Raises
    ------
    PoreAnalysisError
        A subunit has no asparagine in its window.
    """
    far, near = cfg.nsite_window
    ring, candidates = [], []
    for chain, (rmap, start) in chains.items():
        window = [rmap[n] for n in range(start - far, start - near + 1) if n in rmap and rmap[n].name == "ASN"]
        if not window:
            raise PoreAnalysisError(
                f"{label}: chain {chain} has no asparagine in its N-site window (residues {start - far}–"
                f"{start - near}, {far}–{near} before {cfg.gate_motif} at {start}); no N-site ring")
        found = [_ring_residue(chain, res, axis, _AMIDE) for res in window]
        chosen = min(found, key=lambda r: r.radial)
        if not chosen.complete:
            warnings.append(_missing_amide(chosen, label, "N-site ring residue"))
        for other in found:
            # A truncated Asn whose remaining atoms reach near the ring could be the real N-site.
            if other is not chosen and not other.complete and other.radial <= chosen.radial + _ASN_REACH:
                warnings.append(_missing_amide(other, label, "possible N-site residue"))
        candidates.extend(found)
        ring.append(chosen)
    return RingGeometry("N-site", tuple(ring)), tuple(candidates)


def _gate_rings(chains: Mapping[str, tuple[ResidueMap, int]], axis: PoreAxis, cfg: NmdaConfig, label: str,
                warnings: list[str]) -> tuple[RingGeometry, ...]:
    rings = []
    for pos in cfg.gate_ring_positions:
        members = []
        for chain, (rmap, start) in chains.items():
            if start + pos in rmap:
                members.append(_ring_residue(chain, rmap[start + pos], axis, None))
            else:
                warnings.append(f"{label}: chain {chain} residue {start + pos} ({cfg.gate_motif}[{pos + 1}]) "
                                "not modelled; its gate ring has fewer than four members")
        if members:
            rings.append(RingGeometry(f"{cfg.gate_motif[pos]}{pos + 1} of {cfg.gate_motif}", tuple(members)))
    return tuple(rings)


def _membrane_span(axis: PoreAxis, layers: np.ndarray, cfg: NmdaConfig) -> MembraneSpan:
    return MembraneSpan(
        z_extracellular=float(axis.z(layers[-1])),
        z_intracellular=float(axis.z(layers[0])),
        method=(f"M3 helix extent along the pore axis: axis heights of the most extracellular and most "
                f"intracellular Cα layers (motif−{cfg.m3_residues_before_motif}…end of {cfg.gate_motif}) "
                "modelled in all four subunits; delta = fractional depth from the extracellular end. "
                "A geometric proxy for the electrical distance, not a field calculation."))


def _check_orientation(nsite: RingGeometry, gates: tuple[RingGeometry, ...], label: str,
                       warnings: list[str]) -> None:
    for ring in gates:
        if ring.z >= nsite.z:
            warnings.append(f"{label}: gate ring {ring.name} (z {ring.z:.2f} Å) is not extracellular of the "
                            f"N-site ring (z {nsite.z:.2f} Å); check the channel geometry")


def _label_subunits(chains: Mapping[str, tuple[ResidueMap, int]], nsite: RingGeometry,
                    entry_labels: Mapping[str, str], label: str, warnings: list[str]) -> tuple[Subunit, ...]:
    by_chain = {r.chain: r for r in nsite.residues}
    out = []
    for chain, (rmap, start) in chains.items():
        if chain in entry_labels:
            out.append(Subunit(chain, entry_labels[chain], "entry (UniProt accession/entity description)", str(start)))
            continue
        # GluN2 has an Asn pair at the N-site (GluN2B N615/N616), GluN1 a single Asn (N616); whichever of the
        # pair is nearer the axis was chosen (7EU8: N616 in chain B, N615 in chain D), so look both ways.
        number = int(by_chain[chain].resnum)
        pair = any((r := rmap.get(number + step)) is not None and r.name == "ASN" for step in (-1, 1))
        inferred = "GluN2-like" if pair else "GluN1-like"
        out.append(Subunit(chain, inferred, "N-site pattern (an adjacent Asn pair = GluN2-like), inferred", str(start)))
    names = sorted(s.label.split("-")[0][:5] for s in out)
    if names != ["GluN1", "GluN1", "GluN2", "GluN2"]:
        warnings.append(f"{label}: subunits are {', '.join(f'{s.chain}={s.label}' for s in out)}, "
                        "not two GluN1 + two GluN2")
    return tuple(out)


def _profile_range(membrane: MembraneSpan, cfg: NmdaConfig) -> tuple[float, float]:
    low = min(membrane.z_extracellular, 0.0) - cfg.profile_margin
    high = max(membrane.z_intracellular, 0.0) + cfg.profile_margin
    return low, high

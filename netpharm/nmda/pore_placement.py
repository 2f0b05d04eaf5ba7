"""Placing a Mg²⁺ at the N-site where it can sit: coordinated, and clashing with nothing.

A structure without an ion at site I (7EU8, 9IYQ, a user's file) gets one *placed*, labelled so. The
ring's centre is not good enough: in 7EU8 the axis point at the ring plane is 2.2 Å from the amide
nitrogen of GluN2B Asn616 and nothing else, which no real Mg²⁺ site looks like. So every point of the
ring (a 0.1 Å grid in the axis frame, ``|z| ≤ site_height_tolerance`` from the ring plane and no farther
from the axis than the ring's outermost member) is tested against two coordination patterns:

* **inner-sphere** — side-chain oxygens (Asn OD1, Gln OE1, Asp, Glu, Ser, Thr, Tyr) or a His ring
  nitrogen at Mg–O/N 2.0–2.3 Å (observed mean Mg–O 2.07 Å; Harding, Acta Cryst. D 2006, 62:678),
  every other heavy atom ≥ 2.8 Å. Amide and other N–H nitrogens are not ligands of a cation (their
  lone pair is not available); at cryo-EM resolution OD1/ND2 of an Asn may be swapped, which this
  rule cannot see, and the report says so.
* **outer-sphere** — Mg²⁺ keeps its hexaaqua shell (Mg–O(water) 2.07 Å) and the protein's side-chain
  O/N (amide N–H included: they hydrogen-bond to the shell's water) sit at 4.0–4.5 Å (2.07 Å + a 2.6–2.9 Å
  hydrogen bond, not collinear); no heavy atom closer than 3.5 Å, the room the first-shell waters need.

An inner-sphere position held by two or more residues wins outright (a bare Mg²⁺ held by one side chain
is no site); otherwise the position with the most distinct coordinating residues wins, ties going to
inner-sphere, then to the smallest RMS deviation from the ideal distance (2.07 / 4.2 Å), then to the point nearest the axis and
the ring plane (a deterministic order). Pairs come from scipy's KD-tree (``sparse_distance_matrix``);
only the rules are written here, as no library states them. No point passing either rule means the ion
does not fit here: that is reported with the narrowest pore radius at the ring, never forced.
"""

from __future__ import annotations

import numpy as np
from scipy.spatial import cKDTree

from netpharm.nmda.config import NmdaConfig
from netpharm.nmda.pore_model import (
    AtomTable,
    Coordination,
    MembraneSpan,
    MgSite,
    Placement,
    PoreAxis,
    RadiusProfile,
    RingGeometry,
)
from netpharm.nmda.pore_profile import plane_basis
from netpharm.nmda.pore_sites import (
    INNER_ATOMS,
    INNER_CLEARANCE,
    INNER_SPHERE,
    OUTER_ATOMS,
    OUTER_CLEARANCE,
    OUTER_SPHERE,
    capable_atoms,
    contacts_of,
    coordination_of,
)

__all__ = ["place_mg", "ring_narrowest", "RULES"]

_IDEAL = {"inner-sphere": 2.07, "outer-sphere": 4.2}
_GRID = 0.1  # Å
_INNER_PREFERRED = 2  # coordinating residues from which an inner-sphere site wins outright

RULES = (f"inner-sphere: side-chain O (or His N) at {INNER_SPHERE[0]}–{INNER_SPHERE[1]} Å, every other heavy atom "
         f"≥ {INNER_CLEARANCE} Å; outer-sphere (through the hexaaqua shell): side-chain O/N at {OUTER_SPHERE[0]}–"
         f"{OUTER_SPHERE[1]} Å, every heavy atom ≥ {OUTER_CLEARANCE} Å; searched on a {_GRID} Å grid within the "
         "N-site ring (no farther from the axis than its outermost member, within the site height tolerance "
         "of its plane)")


def _ring_grid(axis: PoreAxis, nsite: RingGeometry, cfg: NmdaConfig) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Grid points of the ring region: world xyz, height z and distance from the axis."""
    reach = max(r.radial for r in nsite.residues)
    e1, e2 = plane_basis(np.asarray(axis.direction))
    n_r, n_z = int(np.floor(reach / _GRID)), int(np.floor(cfg.site_height_tolerance / _GRID))
    ticks = np.arange(-n_r, n_r + 1) * _GRID
    u, v = np.meshgrid(ticks, ticks, indexing="ij")
    disc = np.hypot(u, v).ravel() <= reach + 1e-9
    u, v = u.ravel()[disc], v.ravel()[disc]
    heights = nsite.z + np.arange(-n_z, n_z + 1) * _GRID
    z = np.repeat(heights, len(u))
    uu, vv = np.tile(u, len(heights)), np.tile(v, len(heights))
    xyz = (np.asarray(axis.point(0.0)) + np.multiply.outer(z, np.asarray(axis.direction))
           + np.multiply.outer(uu, e1) + np.multiply.outer(vv, e2))
    return xyz, z, np.hypot(uu, vv)


def _best(mode: Coordination, pairs: tuple[np.ndarray, np.ndarray, np.ndarray], n_points: int,
          capable: np.ndarray, residue_id: np.ndarray, window: tuple[float, float],
          clearance: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per point: number of coordinating residues (0 = rule fails) and RMS deviation from the ideal distance."""
    point, atom, d = pairs
    is_ligand = capable[atom] & (d >= window[0]) & (d <= window[1])
    clash = ~is_ligand & (d < clearance)
    bad = np.zeros(n_points, bool)
    bad[point[clash]] = True
    lp, la = point[is_ligand], atom[is_ligand]
    per_residue = np.unique(lp.astype(np.int64) * (residue_id.max() + 1) + residue_id[la])
    n_res = np.bincount(per_residue // (residue_id.max() + 1), minlength=n_points)
    n_res[bad] = 0
    sq = np.bincount(lp, weights=(d[is_ligand] - _IDEAL[mode]) ** 2, minlength=n_points)
    n_lig = np.bincount(lp, minlength=n_points)
    rms = np.sqrt(sq / np.maximum(n_lig, 1))
    return n_res, rms, is_ligand


def place_mg(atoms: AtomTable, axis: PoreAxis, nsite: RingGeometry, membrane: MembraneSpan,
             profile: RadiusProfile, cfg: NmdaConfig) -> tuple[MgSite | None, Placement]:
    """The best N-site position for a Mg²⁺ (kind ``placed``), or ``None`` with the reason it does not fit."""
    points, z, radial = _ring_grid(axis, nsite, cfg)
    tree = cKDTree(atoms.xyz)
    cutoff = OUTER_SPHERE[1]
    matrix = cKDTree(points).sparse_distance_matrix(tree, cutoff, output_type="coo_matrix")
    pairs = (matrix.row, matrix.col, matrix.data)
    residue_keys = list(zip(atoms.chain, atoms.resnum))
    index = {k: i for i, k in enumerate(dict.fromkeys(residue_keys))}
    residue_id = np.array([index[k] for k in residue_keys], np.int64)
    # a point with no atom within 4.5 Å has no pair at all: it coordinates nothing and fails both rules
    modes: list[tuple[Coordination, tuple[np.ndarray, np.ndarray, np.ndarray]]] = [
        ("inner-sphere", _best("inner-sphere", pairs, len(points), capable_atoms(atoms, INNER_ATOMS), residue_id,
                               INNER_SPHERE, INNER_CLEARANCE)),
        ("outer-sphere", _best("outer-sphere", pairs, len(points), capable_atoms(atoms, OUTER_ATOMS), residue_id,
                               OUTER_SPHERE, OUTER_CLEARANCE))]
    inner_n = modes[0][1][0]
    if inner_n.max() >= _INNER_PREFERRED:  # a real inner-sphere site: two or more residues hold the bare ion
        modes = modes[:1]
    narrowest = ring_narrowest(profile, nsite, cfg)
    best_n = max(int(n.max()) for _, (n, _, _) in modes)
    if best_n == 0:
        reason = (f"does not fit here: no position within the N-site ring meets either rule ({RULES}); the "
                  f"narrowest pore radius at the ring is {narrowest:.2f} Å")
        return None, Placement("does_not_fit", "unassigned", reason, narrowest, RULES)
    # among the positions with the most coordinating residues: inner-sphere first, then the smallest RMS
    # deviation, the nearest the axis, the nearest the ring plane, grid order (rounded: deterministic)
    keys = [(rank, round(float(rms[j]), 6), round(float(radial[j]), 6), round(abs(float(z[j] - nsite.z)), 6), int(j),
             mode_name) for rank, (mode_name, (n, rms, _)) in enumerate(modes) for j in np.flatnonzero(n == best_n)]
    _, _, _, _, chosen, mode = min(keys)
    xyz = points[chosen]
    site = _site(atoms, xyz, mode, axis, membrane, cfg)
    reason = (f"placed ({mode}): {len({(c.chain, c.resnum) for c in site.ligands})} coordinating residue(s), "
              + ", ".join(f"{c.label} {c.distance:.2f} Å" for c in site.ligands)
              + (f"; nearest other heavy atom {site.nearest_other.label} {site.nearest_other.distance:.2f} Å"
                 if site.nearest_other else ""))
    return site, Placement("placed", mode, reason, narrowest, RULES)


def _site(atoms: AtomTable, xyz: np.ndarray, mode: Coordination, axis: PoreAxis, membrane: MembraneSpan,
          cfg: NmdaConfig) -> MgSite:
    distances = np.linalg.norm(atoms.xyz - xyz, axis=1)
    ligands, nearest = coordination_of(atoms, distances, mode)
    direct, second = contacts_of(atoms, xyz, cfg)  # the shells, as listed for an observed ion
    z = float(axis.z(xyz))
    return MgSite(site="placed at N-site", kind="placed", classification="pore_site_I",
                  xyz=(float(xyz[0]), float(xyz[1]), float(xyz[2])), z=z, radial=float(axis.radial(xyz)),
                  delta=membrane.delta(z), coordinating=direct, second_shell=second, coordination=mode,
                  ligands=ligands, nearest_other=nearest)


def ring_narrowest(profile: RadiusProfile, nsite: RingGeometry, cfg: NmdaConfig) -> float:
    """The narrowest profile radius within the site height tolerance of the N-site ring plane."""
    near = [r for r, z in zip(profile.radius, profile.z) if abs(z - nsite.z) <= cfg.site_height_tolerance]
    return float(min(near)) if near else float(profile.minimum[1])

"""HOLE-like pore radius profile along the channel axis.

HOLE (Smart et al., J. Mol. Graph. 1996) finds, plane by plane along a channel, the largest sphere
that fits between the atoms' van der Waals spheres, letting the centre move in the plane. HOLE is not
pip-installable and MDAnalysis only wraps its binary, so the same definition is computed here: in
each slice perpendicular to the axis the sphere radius at centre ``p`` is
``min_a(|p − a| − r_vdW(a))``; it is maximised over centres in the slice within ``max_offset`` of the
axis (HOLE's cylindrical restraint, which keeps the sphere from escaping sideways between helices into
a side pocket) by a 0.25 Å grid search refined with scipy's Nelder–Mead (deterministic, so reruns are
identical). Only the objective is written here (a minimum over atoms, two numpy lines): no library
computes a largest empty sphere in a disc. A local ascent from the axis point alone (tried) stops at
side maxima of this max–min function and gives a noisier profile, so the disc is searched whole. A slice whose best centre still
overlaps an atom (the maximum is ≤ 0: atoms fill the whole disc) is **occluded**: its radius is 0 and
it is flagged, never reported as a negative radius. Protein heavy atoms only (ions, waters and ligands
are what the pore holds, not its wall); radii are gemmi's van der Waals table (C 1.70, N 1.55, O 1.52,
S 1.80 Å — Bondi-type values, not HOLE's simple.rad).
"""

from __future__ import annotations

import logging

import numpy as np
from scipy.optimize import minimize

from netpharm.nmda.pore_model import AtomTable, PoreAxis, RadiusProfile

__all__ = ["radius_profile", "slice_radius", "plane_basis"]

log = logging.getLogger(__name__)

_GRID = 0.25  # Å, coarse in-plane grid before refinement
_SLAB = 15.0  # Å; atoms farther than this from the slice plane cannot bound a pore sphere
_OPEN = 15.0  # Å; a slice wider than this is reported as this (the pore has opened into a vestibule)


def plane_basis(direction: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Two unit vectors spanning the plane perpendicular to ``direction`` (deterministic)."""
    d = np.asarray(direction, float)
    helper = np.eye(3)[int(np.argmin(np.abs(d)))]
    e1 = np.cross(d, helper)
    e1 /= np.linalg.norm(e1)
    return e1, np.cross(d, e1)


def slice_radius(centre_on_axis: np.ndarray, basis: tuple[np.ndarray, np.ndarray], xyz: np.ndarray,
                 vdw: np.ndarray, max_offset: float) -> tuple[float, np.ndarray]:
    """Largest sphere in one slice: (radius, in-plane offset (u, v) of its centre).

    The radius is the raw maximum of the gap function and may be ≤ 0 (occluded); the caller clips it.
    """
    if len(xyz) == 0:
        return _OPEN, np.zeros(2)
    e1, e2 = basis
    # Exact pruning: a centre within m of the axis point p has radius <= r0 + m (r0 = best on-axis gap),
    # and an atom's gap changes by at most m, so only atoms with gap(p) <= r0 + 2m can bound it.
    on_axis_gaps = np.linalg.norm(xyz - centre_on_axis, axis=1) - vdw
    keep = on_axis_gaps <= on_axis_gaps.min() + 2 * max_offset + 1e-9
    xyz, vdw = xyz[keep], vdw[keep]

    def radius_at(uv: np.ndarray) -> np.ndarray:
        centres = centre_on_axis + np.multiply.outer(uv[..., 0], e1) + np.multiply.outer(uv[..., 1], e2)
        gaps = np.linalg.norm(centres[..., None, :] - xyz, axis=-1) - vdw
        return np.asarray(gaps.min(axis=-1))

    ticks = np.arange(-max_offset, max_offset + 1e-9, _GRID)
    grid = np.stack(np.meshgrid(ticks, ticks, indexing="ij"), axis=-1).reshape(-1, 2)
    grid = grid[np.linalg.norm(grid, axis=1) <= max_offset + 1e-9]
    start = grid[int(np.argmax(radius_at(grid)))]  # first of equal maxima: deterministic

    def objective(uv: np.ndarray) -> float:  # the cylinder restraint as a steep penalty
        return -float(radius_at(uv)) + 1e3 * max(0.0, float(np.linalg.norm(uv)) - max_offset)

    result = minimize(objective, start, method="Nelder-Mead", options={"xatol": 1e-5, "fatol": 1e-7, "maxiter": 2000})
    best = np.asarray(result.x)
    if objective(best) > objective(start) or np.linalg.norm(best) > max_offset + 1e-6:
        best = start
    return min(float(radius_at(best)), _OPEN), best


def radius_profile(atoms: AtomTable, axis: PoreAxis, z_range: tuple[float, float], step: float,
                   max_offset: float) -> RadiusProfile:
    """Radius profile between ``z_range`` (axis frame, slices at multiples of ``step`` from z = 0)."""
    xyz = atoms.xyz[atoms.is_protein]
    vdw = atoms.vdw[atoms.is_protein]
    z_atoms = axis.z(xyz)
    radial = axis.radial(xyz)
    direction = np.asarray(axis.direction)
    basis = plane_basis(direction)
    zs = np.arange(np.ceil(z_range[0] / step), np.floor(z_range[1] / step) + 1) * step
    log.info("pore radius profile: %d slices of %.2f Å", len(zs), step)
    radii, offsets, centres, occluded = [], [], [], []
    for z in zs:
        near = (np.abs(z_atoms - z) <= _SLAB) & (radial <= max_offset + _OPEN + vdw)
        on_axis = axis.point(float(z))
        radius, uv = slice_radius(on_axis, basis, xyz[near], vdw[near], max_offset)
        centre = on_axis + uv[0] * basis[0] + uv[1] * basis[1]
        occluded.append(radius <= 0.0)
        radii.append(max(radius, 0.0))
        offsets.append(float(np.linalg.norm(uv)))
        centres.append((float(centre[0]), float(centre[1]), float(centre[2])))
    if any(occluded):
        log.info("pore radius profile: %d occluded slice(s)", sum(occluded))
    return RadiusProfile(tuple(float(z) for z in zs), tuple(radii), tuple(offsets), tuple(centres), tuple(occluded))

"""The docking grid box: from a co-crystal ligand, from pocket residues, or given explicitly.

AutoGrid 4 needs the box as a centre, a spacing (0.375 Å by default, as in the paper's
AutoDockTools setup) and an *even* number of grid intervals per axis (``npts``; AutoGrid adds
one point). Vina takes the same centre and the size in Å.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import gemmi
import numpy as np

from netpharm.errors import GridBoxError
from netpharm.structures import records

__all__ = ["GridBox", "box_from_ligand", "box_from_residues", "explicit_box", "check_box_covers_receptor",
           "pdb_coordinates"]

_MIN_SIZE = 20.0
_RESIDUE = re.compile(r"^(?:(?P<chain>[A-Za-z0-9]{1,4}):)?(?P<name>[A-Za-z]{3})?(?P<num>-?\d+)(?P<icode>[A-Za-z]?)$")


@dataclass(frozen=True)
class GridBox:
    """A rectangular search space.

    Attributes
    ----------
    center : tuple of float
        Box centre (Å), receptor frame.
    size : tuple of float
        Edge lengths (Å).
    spacing : float
        Grid spacing (Å).
    source : str
        How the box was defined (for the report).
    """

    center: tuple[float, float, float]
    size: tuple[float, float, float]
    spacing: float = 0.375
    source: str = "explicit"

    def __post_init__(self) -> None:
        if len(self.center) != 3 or len(self.size) != 3:
            raise GridBoxError(f"box centre and size need 3 values, got {self.center} / {self.size}")
        if not all(math.isfinite(v) for v in (*self.center, *self.size)):
            raise GridBoxError(f"box centre/size must be finite numbers: {self.center} / {self.size}")
        if min(self.size) <= 0 or self.spacing <= 0:
            raise GridBoxError(f"box size and spacing must be positive: size {self.size}, spacing {self.spacing}")

    @property
    def npts(self) -> tuple[int, int, int]:
        """Grid intervals per axis for the GPF: ``size / spacing`` rounded up to an even integer."""
        def even(edge: float) -> int:
            n = math.ceil(round(edge / self.spacing, 6))
            return n + (n % 2)
        x, y, z = (even(edge) for edge in self.size)
        return x, y, z

    @property
    def grid_size(self) -> tuple[float, float, float]:
        """Edge lengths AutoGrid actually covers (``npts × spacing``)."""
        x, y, z = (n * self.spacing for n in self.npts)
        return x, y, z

    def contains(self, coords: np.ndarray) -> np.ndarray:
        """Boolean mask of the points (N×3) inside the box."""
        half = np.asarray(self.size) / 2.0
        return np.all(np.abs(np.asarray(coords, dtype=float) - np.asarray(self.center)) <= half, axis=1)


def pdb_coordinates(pdb_text: str, heavy_only: bool = True) -> np.ndarray:
    """Coordinates (N×3) of the ATOM/HETATM (or PDBQT) records of ``pdb_text``."""
    rows = []
    for line in pdb_text.splitlines():
        if line.startswith(("ATOM", "HETATM")):
            element = records.pdb_element(line) or line[12:14].strip()
            name = records.atom_name(line)
            is_h = element.upper() in ("H", "HD", "HS") or (not element and name.startswith("H"))
            if heavy_only and is_h:
                continue
            try:
                rows.append(records.xyz(line))
            except ValueError as exc:
                raise GridBoxError(f"malformed coordinate record: {line.rstrip()!r}") from exc
    return np.array(rows, dtype=float).reshape(-1, 3)


def _as_coords(source: str | np.ndarray | Sequence[Sequence[float]]) -> np.ndarray:
    coords = pdb_coordinates(source) if isinstance(source, str) else np.asarray(source, dtype=float).reshape(-1, 3)
    if coords.size == 0:
        raise GridBoxError("no atoms to define the box from")
    return coords


def _box_around(coords: np.ndarray, padding: float, min_size: float, source: str, spacing: float) -> GridBox:
    low, high = coords.min(axis=0), coords.max(axis=0)
    centre = tuple(float(round(v, 3)) for v in (low + high) / 2.0)
    size = tuple(float(round(max(min_size, e + 2.0 * padding), 3)) for e in high - low)
    return GridBox(center=centre, size=size, spacing=spacing, source=source)  # type: ignore[arg-type]


def box_from_ligand(pdb_text_or_coords: str | np.ndarray | Sequence[Sequence[float]], padding: float = 8.0,
                    min_size: float = _MIN_SIZE, spacing: float = 0.375, center: str = "centroid") -> GridBox:
    """Box around a ligand: its extent plus ``padding`` on every side (at least ``min_size`` Å).

    Parameters
    ----------
    pdb_text_or_coords : str or array
        PDB/PDBQT text of the ligand, or its coordinates (N×3). Hydrogens are ignored.
    padding, min_size, spacing : float
        Å added on every side, smallest edge (Å), AutoGrid spacing (Å; AutoDock's 0.375).
    center : {"centroid", "extent"}
        Where :attr:`GridBox.center` goes: the co-crystal ligand's centroid (default, the
        docking notes' choice; the box grows so the whole ligand stays inside) or the middle
        of its bounding box.
    """
    coords = _as_coords(pdb_text_or_coords)
    box = _box_around(coords, padding, min_size, f"ligand ({len(coords)} heavy atoms) + {padding:g} Å", spacing)
    if center == "centroid":
        middle = tuple(float(round(v, 3)) for v in coords.mean(axis=0))
        # keep the whole ligand inside: grow the box by the centroid's offset from the extent middle
        grow = 2.0 * np.abs(np.asarray(middle) - np.asarray(box.center))
        size = tuple(float(round(s + g, 3)) for s, g in zip(box.size, grow))
        return GridBox(center=middle, size=size, spacing=spacing, source=box.source + ", centred on centroid")  # type: ignore[arg-type]
    if center != "extent":
        raise GridBoxError(f"center must be 'centroid' or 'extent', got {center!r}")
    return box


def box_from_residues(receptor_pdb_text: str, residues: Iterable[str], padding: float = 8.0,
                      min_size: float = _MIN_SIZE, spacing: float = 0.375) -> GridBox:
    """Box around pocket residues, e.g. ``["A:138", "A:139", "A:320"]`` or ``["ASP138", "TYR139"]``.

    Raises
    ------
    GridBoxError
        A residue is malformed or absent (the available chains are named), or the name given
        does not match the residue at that number.
    """
    st = gemmi.read_pdb_string(receptor_pdb_text)
    if len(st) == 0:
        raise GridBoxError("receptor PDB text has no model")
    coords, found = [], []
    for spec in residues:
        match = _RESIDUE.match(spec.strip())
        if match is None:
            raise GridBoxError(f"residue {spec!r}: use 'A:138', 'ASP138' or 'A:ASP138'")
        hits = [(chain.name, res) for chain in st[0] for res in chain
                if res.seqid.num == int(match["num"]) and res.seqid.icode.strip() == match["icode"].upper()
                and (match["chain"] is None or chain.name == match["chain"])]
        if not hits:
            chains = ",".join(ch.name for ch in st[0])
            raise GridBoxError(f"pocket residue {spec!r} is not in the receptor (chains {chains})")
        chain_name, res = hits[0]
        if match["name"] and res.name != match["name"].upper():
            raise GridBoxError(f"pocket residue {spec!r}: residue {chain_name}:{res.seqid.num} is {res.name}")
        coords += [atom.pos.tolist() for atom in res if not atom.is_hydrogen()]
        found.append(f"{res.name}{chain_name}{res.seqid.num}")
    return _box_around(_as_coords(coords), padding, min_size, f"residues {', '.join(found)} + {padding:g} Å", spacing)


def explicit_box(center: Sequence[float], size: Sequence[float], spacing: float = 0.375) -> GridBox:
    """A box given by the user (centre and edge lengths in Å)."""
    try:
        c = tuple(float(v) for v in center)
        s = tuple(float(v) for v in size)
    except (TypeError, ValueError) as exc:
        raise GridBoxError(f"box centre/size must be numbers: {center!r} / {size!r}") from exc
    return GridBox(center=c, size=s, spacing=spacing, source="explicit")  # type: ignore[arg-type]


def check_box_covers_receptor(box: GridBox, receptor_coords: str | np.ndarray | Sequence[Sequence[float]],
                              minimum: int = 1) -> int:
    """Return how many receptor atoms lie inside ``box``.

    Raises
    ------
    GridBoxError
        Fewer than ``minimum`` atoms inside: the box misses the receptor (wrong frame or centre).
    """
    coords = _as_coords(receptor_coords)
    inside = int(box.contains(coords).sum())
    if inside < minimum:
        nearest = float(np.min(np.linalg.norm(coords - np.asarray(box.center), axis=1)))
        raise GridBoxError(f"grid box centred at {box.center} (size {box.size} Å) contains {inside} receptor "
                           f"atoms; the nearest receptor atom is {nearest:.1f} Å from the centre — wrong "
                           f"coordinates or frame?")
    return inside

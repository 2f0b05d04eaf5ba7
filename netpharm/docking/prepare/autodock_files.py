"""AutoGrid 4 / AutoDock 4.2.6 parameter files and the Vina configuration, as text.

Pure functions: they take names and numbers and return the file's text, so the files
can be golden-tested and written atomically by the caller. The keywords and their order
follow AutoDock 4.2.6's user guide (Morris et al., J. Comput. Chem. 2009, 30, 2785) and
the test inputs shipped with Debian ``autodock-test`` (``1pgp.gpf``/``1pgp.dpf``); the
Lamarckian GA settings are the paper's (20 runs × 2,500,000 evaluations, population 150).

No library writes GPF/DPF files (MGLTools' ``prepare_gpf4.py``/``prepare_dpf42.py`` are not
installable here and meeko 0.8 only writes Vina-style boxes), hence these small writers.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from netpharm.structures import records

__all__ = [
    "BoxLike",
    "LGAParams",
    "gpf_text",
    "dpf_text",
    "vina_config_text",
    "pdbqt_atom_types",
    "pdbqt_center",
    "maps_stem_of",
]

# autogrid4 (Debian 4.2.6) is built with MAX_ATOM_TYPES 14 (16 maps with e and d).
MAX_LIGAND_TYPES = 14


class BoxLike(Protocol):
    """What the writers need from :class:`netpharm.docking.prepare.box.GridBox`."""

    center: tuple[float, float, float]
    size: tuple[float, float, float]
    spacing: float

    @property
    def npts(self) -> tuple[int, int, int]: ...


@dataclass(frozen=True)
class LGAParams:
    """Lamarckian GA settings of AutoDock 4.2.6 (defaults = the paper's protocol).

    Attributes
    ----------
    ga_runs : int
        Independent LGA runs (``ga_run``); the paper used 20.
    ga_num_evals : int
        Maximum energy evaluations per run (2,500,000 = AutoDockTools' "medium").
    ga_pop_size : int
        Population size (150).
    ga_num_generations : int
        Maximum generations per run (27,000, AutoDock's default).
    rmstol : float
        Cluster tolerance in Å (2.0).
    """

    ga_runs: int = 20
    ga_num_evals: int = 2_500_000
    ga_pop_size: int = 150
    ga_num_generations: int = 27_000
    ga_elitism: int = 1
    ga_mutation_rate: float = 0.02
    ga_crossover_rate: float = 0.8
    ga_window_size: int = 10
    ga_cauchy_alpha: float = 0.0
    ga_cauchy_beta: float = 1.0
    sw_max_its: int = 300
    sw_max_succ: int = 4
    sw_max_fail: int = 4
    sw_rho: float = 1.0
    sw_lb_rho: float = 0.01
    ls_search_freq: float = 0.06
    rmstol: float = 2.0
    extnrg: float = 1000.0
    e0max: tuple[float, int] = (0.0, 10000)

    def __post_init__(self) -> None:
        for name in ("ga_runs", "ga_num_evals", "ga_pop_size", "ga_num_generations"):
            if getattr(self, name) < 1:
                raise ValueError(f"LGAParams.{name} must be >= 1, got {getattr(self, name)}")


def _fmt(x: float) -> str:
    return f"{x:.3f}"


def _check_types(types: Sequence[str], what: str) -> list[str]:
    out = list(dict.fromkeys(t.strip() for t in types if t.strip()))
    if not out:
        raise ValueError(f"{what}: no atom types given")
    return out


def maps_stem_of(receptor_pdbqt_name: str) -> str:
    """``rec.pdbqt`` → ``rec`` (AutoDockTools' naming of map files)."""
    return receptor_pdbqt_name[:-6] if receptor_pdbqt_name.endswith(".pdbqt") else receptor_pdbqt_name


def gpf_text(receptor_pdbqt_name: str, receptor_types: Sequence[str], ligand_types: Sequence[str],
             box: BoxLike, *, maps_stem: str | None = None, smooth: float = 0.5,
             dielectric: float = -0.1465, parameter_file: str | None = None) -> str:
    """AutoGrid 4 grid parameter file.

    Parameters
    ----------
    receptor_pdbqt_name : str
        Receptor file name, relative to the folder autogrid4 runs in.
    receptor_types, ligand_types : sequence of str
        AutoDock atom types present in the receptor / **in the ligand only**: one map is
        computed per ligand type, and autogrid4 refuses more than 14.
    box : GridBox
        Centre (Å), ``npts`` (even numbers of intervals) and spacing.
    dielectric : float
        Negative = Mehler–Solmajer distance-dependent dielectric (AutoDock 4 default).
    parameter_file : str, optional
        Only when a non-default force field is wanted (autogrid4 has AD4.1_bound built in).
    """
    rtypes = _check_types(receptor_types, "receptor_types")
    ltypes = _check_types(ligand_types, "ligand_types")
    if len(ltypes) > MAX_LIGAND_TYPES:
        raise ValueError(f"{len(ltypes)} ligand types {ltypes}: autogrid4 handles at most {MAX_LIGAND_TYPES}")
    stem = maps_stem or maps_stem_of(receptor_pdbqt_name)
    nx, ny, nz = box.npts
    cx, cy, cz = box.center
    lines = []
    if parameter_file:
        lines.append(f"parameter_file {parameter_file}")
    lines += [
        f"npts {nx} {ny} {nz}",
        f"gridfld {stem}.maps.fld",
        f"spacing {box.spacing:.3f}",
        f"receptor_types {' '.join(rtypes)}",
        f"ligand_types {' '.join(ltypes)}",
        f"receptor {receptor_pdbqt_name}",
        f"gridcenter {_fmt(cx)} {_fmt(cy)} {_fmt(cz)}",
        f"smooth {smooth}",
    ]
    lines += [f"map {stem}.{t}.map" for t in ltypes]
    lines += [f"elecmap {stem}.e.map", f"dsolvmap {stem}.d.map", f"dielectric {dielectric}"]
    return "\n".join(lines) + "\n"


def _seed_text(seed: tuple[int, int] | int) -> str:
    values = (seed,) if isinstance(seed, int) else tuple(seed)
    if not 1 <= len(values) <= 2 or not all(isinstance(v, int) for v in values):
        raise ValueError(f"seed must be an int or two ints, got {seed!r}")
    return "seed " + " ".join(str(v) for v in values)


def dpf_text(ligand_pdbqt_name: str, ligand_types: Sequence[str], maps_stem: str,
             about_xyz: Sequence[float], params: LGAParams, seed: tuple[int, int] | int,
             rmsref: str | None = None, *, parameter_file: str | None = None) -> str:
    """AutoDock 4.2.6 docking parameter file for a Lamarckian GA docking.

    Parameters
    ----------
    ligand_pdbqt_name : str
        Ligand file name relative to the run folder (``move``).
    ligand_types : sequence of str
        The ligand's atom types, in the order of the GPF's maps.
    maps_stem : str
        Stem of the grid maps (``<stem>.maps.fld``, ``<stem>.<type>.map``).
    about_xyz : 3 floats
        Ligand centroid in its own file's frame (rotation centre, ``about``).
    params : LGAParams
    seed : int or (int, int)
        Fixed random seeds, recorded in the file for reproducibility.
    rmsref : str, optional
        Reference ligand PDBQT for the RMSD table (redocking only).
    """
    ltypes = _check_types(ligand_types, "ligand_types")
    if len(about_xyz) != 3:
        raise ValueError(f"about_xyz needs 3 coordinates, got {about_xyz!r}")
    p = params
    lines = ["autodock_parameter_version 4.2", "outlev 1"]
    if parameter_file:
        lines.append(f"parameter_file {parameter_file}")
    lines += [
        "intelec",
        _seed_text(seed),
        f"ligand_types {' '.join(ltypes)}",
        f"fld {maps_stem}.maps.fld",
    ]
    lines += [f"map {maps_stem}.{t}.map" for t in ltypes]
    lines += [
        f"elecmap {maps_stem}.e.map",
        f"desolvmap {maps_stem}.d.map",
        f"move {ligand_pdbqt_name}",
        "about " + " ".join(_fmt(float(v)) for v in about_xyz),
        "tran0 random",
        "quaternion0 random",
        "dihe0 random",
        f"rmstol {p.rmstol}",
        f"extnrg {p.extnrg}",
        f"e0max {p.e0max[0]} {p.e0max[1]}",
        f"ga_pop_size {p.ga_pop_size}",
        f"ga_num_evals {p.ga_num_evals}",
        f"ga_num_generations {p.ga_num_generations}",
        f"ga_elitism {p.ga_elitism}",
        f"ga_mutation_rate {p.ga_mutation_rate}",
        f"ga_crossover_rate {p.ga_crossover_rate}",
        f"ga_window_size {p.ga_window_size}",
        f"ga_cauchy_alpha {p.ga_cauchy_alpha}",
        f"ga_cauchy_beta {p.ga_cauchy_beta}",
        "set_ga",
        f"sw_max_its {p.sw_max_its}",
        f"sw_max_succ {p.sw_max_succ}",
        f"sw_max_fail {p.sw_max_fail}",
        f"sw_rho {p.sw_rho}",
        f"sw_lb_rho {p.sw_lb_rho}",
        f"ls_search_freq {p.ls_search_freq}",
        "set_psw1",
        "unbound_model bound",
        f"ga_run {p.ga_runs}",
    ]
    if rmsref:
        lines.append(f"rmsref {rmsref}")
    lines.append("analysis")
    return "\n".join(lines) + "\n"


def vina_config_text(receptor: str, ligand: str, box: BoxLike, exhaustiveness: int, seed: int,
                     num_modes: int, *, out: str | None = None, cpu: int | None = None,
                     energy_range: float = 3.0) -> str:
    """AutoDock Vina (1.2) configuration file (``vina --config``)."""
    if exhaustiveness < 1 or num_modes < 1:
        raise ValueError("exhaustiveness and num_modes must be >= 1")
    cx, cy, cz = box.center
    sx, sy, sz = box.size
    lines = [
        f"receptor = {receptor}",
        f"ligand = {ligand}",
        f"center_x = {_fmt(cx)}",
        f"center_y = {_fmt(cy)}",
        f"center_z = {_fmt(cz)}",
        f"size_x = {_fmt(sx)}",
        f"size_y = {_fmt(sy)}",
        f"size_z = {_fmt(sz)}",
        f"exhaustiveness = {exhaustiveness}",
        f"seed = {seed}",
        f"num_modes = {num_modes}",
        f"energy_range = {energy_range}",
    ]
    if out:
        lines.append(f"out = {out}")
    if cpu:
        lines.append(f"cpu = {cpu}")
    return "\n".join(lines) + "\n"


def _atom_lines(pdbqt_text: str) -> Iterable[str]:
    return (ln for ln in pdbqt_text.splitlines() if records.is_atom(ln))


def pdbqt_atom_types(pdbqt_text: str) -> list[str]:
    """AutoDock atom types in a PDBQT, in order of first appearance (columns 78-79)."""
    types = [records.pdbqt_type(ln) for ln in _atom_lines(pdbqt_text)]
    return list(dict.fromkeys(t for t in types if t))


def pdbqt_center(pdbqt_text: str) -> tuple[float, float, float]:
    """Centroid of all atoms of a PDBQT (AutoDockTools' ``about`` for a ligand)."""
    xyz = [records.xyz(ln) for ln in _atom_lines(pdbqt_text)]
    if not xyz:
        raise ValueError("PDBQT has no ATOM/HETATM records")
    n = len(xyz)
    return (sum(p[0] for p in xyz) / n, sum(p[1] for p in xyz) / n, sum(p[2] for p in xyz) / n)

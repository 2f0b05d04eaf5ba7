"""Redocking verdicts: RMSD of every pose, the top cluster, and search-vs-scoring failure analysis.

A redocking case docks a co-crystal ligand back into its own receptor. It succeeds when the
best-energy pose lies within 2.0 Å (symmetry-corrected heavy-atom RMSD, no superposition) of
the crystal pose (Morris et al. 2009, J Comput Chem 30:2785; Cole et al. 2005, Proteins 60:325).
When it fails, the crystal pose itself is locally optimised with the same scoring function
(AutoDock 4: ``do_local_only`` Solis-Wets from the crystal state; Vina: ``--local_only``):

* optimised crystal pose scores *better* than every docked pose → the search missed it (search failure);
* it scores *worse* → the scoring function prefers the wrong pose (scoring failure).

This is the comparison of the docking notes (8EFO/8QY: minimised crystal −7.81 vs docked −8.46
kcal/mol → scoring failure). AutoDock's ``epdb`` is not used: its score is not comparable with
docked energies (docking notes).
"""

from __future__ import annotations

import logging
import re
import subprocess
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from rdkit import Chem

from netpharm.docking.pose.dlg import DockingLog, Pose, parse_dlg, pose_coords
from netpharm.docking.pose.poses import ReceptorAtom, SaltBridge, asp332_salt_bridge, pose_to_mol
from netpharm.docking.pose.rmsd import symmetry_rmsd
from netpharm.docking.run.runner import find_executable
from netpharm.errors import NetpharmError
from netpharm.io import write_text_atomic

__all__ = ["RedockAssessment", "SUCCESS_RMSD", "assess_redock", "local_only_dpf", "crystal_local_energy",
           "crystal_salt_bridge"]

log = logging.getLogger(__name__)

#: Redocking success threshold (Å), the field's usual criterion.
SUCCESS_RMSD = 2.0
_VINA_ENERGY = re.compile(r"Estimated Free Energy of Binding\s*:\s*(-?\d+(?:\.\d+)?)")
_LOCAL_RUNS = 10
_LOCAL_TIMEOUT = 600.0


@dataclass(frozen=True)
class RedockAssessment:
    """The redocking numbers of one (case, engine).

    Attributes
    ----------
    rmsd_best_energy : float or None
        RMSD (Å) of the best-energy pose to the crystal pose.
    rmsd_min, rmsd_min_pose : float, int
        Best RMSD among all poses (AutoDock runs or Vina modes) and which pose.
    rmsd_poses : list of float
        Every pose's RMSD, in run/mode order.
    cluster_size, cluster_basis : int, str
        Population of the top cluster: AutoDock's own clustering (rmstol 2.0 Å); Vina does not
        cluster, so there it is the number of modes within 2.0 Å of mode 1.
    success : bool or None
        ``rmsd_best_energy`` ≤ 2.0 Å.
    crystal_local_energy : float or None
        Score of the locally optimised crystal pose (same engine, same maps/box).
    failure_cause : str
        "" on success; else "search" or "scoring" with the numbers that say so.
    """

    rmsd_best_energy: float | None
    rmsd_min: float | None
    rmsd_min_pose: int | None
    rmsd_poses: list[float | None]
    cluster_size: int | None
    cluster_basis: str
    success: bool | None
    crystal_local_energy: float | None
    failure_cause: str

    def to_row(self) -> dict[str, Any]:
        return asdict(self)


def _rmsd(mol: Chem.Mol | None, reference: Chem.Mol) -> float | None:
    if mol is None:
        return None
    try:
        return round(symmetry_rmsd(mol, reference), 3)
    except ValueError as exc:
        log.warning("pose RMSD not computable: %s", exc)
        return None


def local_only_dpf(dock_dpf: str, ligand_pdbqt: str, runs: int = _LOCAL_RUNS) -> str:
    """The docking DPF turned into a local search from the ligand file's own pose (the crystal).

    ``tran0`` = the ``about`` centre, identity orientation (``axisangle0 1 0 0 0``), torsions
    unchanged (``dihe0 0 …``), and ``do_local_only`` instead of the GA.
    """
    about = next((ln.split(None, 1)[1] for ln in dock_dpf.splitlines() if ln.startswith("about ")), None)
    if about is None:
        raise NetpharmError("docking DPF has no 'about' line")
    torsions = sum(1 for ln in ligand_pdbqt.splitlines() if ln.startswith("BRANCH"))
    out = []
    for line in dock_dpf.splitlines():
        key = line.split(" ", 1)[0]
        if key in ("set_ga", "rmsref"):
            continue
        out.append({"tran0": f"tran0 {about}", "quaternion0": "axisangle0 1 0 0 0",
                    "dihe0": "dihe0 " + " ".join(["0"] * torsions) if torsions else "",
                    "ga_run": f"do_local_only {runs}"}.get(key, line))
    return "\n".join(ln for ln in out if ln) + "\n"


def _run(args: list[str], workdir: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=workdir, capture_output=True, text=True, timeout=_LOCAL_TIMEOUT,
                          stdin=subprocess.DEVNULL, check=False)


def crystal_local_energy(workdir: Path, engine: str, ligand: str = "ligand.pdbqt",
                         receptor: str = "receptor.pdbqt") -> float | None:
    """Score of the crystal pose after a local optimisation; None when it cannot be computed.

    Runs in the docked folder (AutoDock 4 reuses its grid maps; Vina its box from ``vina.txt``).
    """
    try:
        if engine == "autodock4":
            dpf = local_only_dpf((workdir / "dock.dpf").read_text(encoding="utf-8"),
                                 (workdir / ligand).read_text(encoding="utf-8"))
            write_text_atomic(workdir / "crystal_local.dpf", dpf)
            proc = _run([str(find_executable("autodock")), "-p", "crystal_local.dpf", "-l", "crystal_local.dlg"],
                        workdir)
            if proc.returncode != 0:
                log.warning("%s: autodock4 local optimisation failed: %s", workdir, proc.stderr[-300:])
                return None
            return parse_dlg(workdir / "crystal_local.dlg").best.energy
        box = [ln for ln in (workdir / "vina.txt").read_text(encoding="utf-8").splitlines()
               if ln.startswith(("center_", "size_"))]
        write_text_atomic(workdir / "crystal_local_vina.txt", f"receptor = {receptor}\nligand = {ligand}\n"
                          + "\n".join(box) + "\nout = crystal_local_vina.pdbqt\n")
        proc = _run([str(find_executable("vina")), "--config", "crystal_local_vina.txt", "--local_only"], workdir)
        write_text_atomic(workdir / "crystal_local_vina.log", proc.stdout + proc.stderr)
        match = _VINA_ENERGY.search(proc.stdout)
        return float(match.group(1)) if proc.returncode == 0 and match else None
    except (OSError, subprocess.TimeoutExpired, NetpharmError) as exc:
        log.warning("%s: local optimisation of the crystal pose failed: %s", workdir, exc)
        return None


def _cause(rmsd_best: float, best_energy: float, local: float | None, rmsd_min: float | None) -> str:
    if local is None:
        return "unknown: the crystal pose could not be locally optimised"
    near = f"; the closest pose is {rmsd_min:.2f} Å away" if rmsd_min is not None else ""
    if local < best_energy:
        return (f"search: the locally optimised crystal pose scores {local:.2f}, better than the best docked "
                f"pose ({best_energy:.2f}, {rmsd_best:.2f} Å away){near}; more sampling should find it")
    return (f"scoring: the locally optimised crystal pose scores {local:.2f}, worse than the best docked pose "
            f"({best_energy:.2f}, {rmsd_best:.2f} Å away){near}; the scoring function prefers another pose")


def assess_redock(dlog: DockingLog, reference_sdf: Path, workdir: Path, engine: str) -> RedockAssessment:
    """RMSD of every pose, top-cluster population and, on failure, its likely cause."""
    reference = Chem.MolFromMolFile(str(reference_sdf), removeHs=False, sanitize=False)
    if reference is None:
        raise NetpharmError(f"{reference_sdf}: crystal reference pose does not parse")
    rmsds = [_rmsd(pose_to_mol(pose), reference) for pose in dlog.runs]
    by_run = {pose.run: r for pose, r in zip(dlog.runs, rmsds)}
    best = dlog.best
    known = [(r, pose.run) for pose, r in zip(dlog.runs, rmsds) if r is not None]
    rmsd_min, min_pose = min(known) if known else (None, None)
    size: int | None
    if engine == "autodock4" and dlog.best_cluster is not None:
        size, basis = dlog.best_cluster.size, "AutoDock clustering, rmstol 2.0 Å"
    else:
        best_mol = pose_to_mol(best)
        near = [p for p in dlog.runs if best_mol is not None and (r := _rmsd(pose_to_mol(p), Chem.Mol(best_mol)))
                is not None and r <= SUCCESS_RMSD]
        size, basis = (len(near) if best_mol is not None else None), "Vina modes within 2.0 Å of mode 1"
    rmsd_best = by_run.get(best.run)
    success = None if rmsd_best is None else rmsd_best <= SUCCESS_RMSD
    local = crystal_local_energy(workdir, engine)
    cause = "" if success or rmsd_best is None else _cause(rmsd_best, best.energy, local, rmsd_min)
    return RedockAssessment(rmsd_best, rmsd_min, min_pose, rmsds, size, basis, success, local, cause)


def crystal_salt_bridge(workdir: Path, receptor: list[ReceptorAtom], ligand: str = "ligand.pdbqt") -> SaltBridge:
    """The Asp3.32 salt bridge of the crystal pose: the redocking case's prepared ligand (its deposited
    coordinates, protonated by netpharm's rules as the docked ligand is), measured as a docked pose is
    (:func:`netpharm.docking.pose.poses.asp332_salt_bridge`), so the two distances compare directly."""
    lines = tuple((workdir / ligand).read_text(encoding="utf-8").splitlines())
    pose = Pose(0, 0.0, None, None, None, None, None, lines, pose_coords(lines))
    return asp332_salt_bridge(receptor, pose, pose_to_mol(pose))

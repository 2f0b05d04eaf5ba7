"""AutoDock 4.2.6's conformational clustering, re-done on poses read back from DLGs.

A system's LGA runs are independent, so they can be run in chunks over several ``autodock4``
processes (:mod:`netpharm.docking.run.chunks`); the merged poses are then clustered again as
``autodock4`` clusters one log's runs with the DPF keyword ``analysis``. The rules are
those of AutoDock 4.2.6's source (``analysis.cc``, ``cluster_analysis.cc``, ``getrms.cc``,
``sort_enrg.cc``, ``prClusterHist.cc``; defaults from ``main.cc``):

* conformations are sorted by increasing energy ``econf`` = the "Estimated Free Energy
  of Binding" of each run (``eintra + einter + torsFreeEnergy − unbound_internal_FE``);
* leader clustering: the lowest-energy conformation seeds cluster 1; each next
  conformation, in energy order, joins the *first* cluster (in creation order) whose seed
  is within ``rmstol`` (``rms <= rmstol``) of it, else it seeds a new cluster; clusters are
  therefore already ranked by their lowest energy;
* the RMSD is AutoDock's ``getrms``: **with** its "symmetry" correction by default
  (``B_symmetry_flag = TRUE``; the DPF keyword ``rmsnosym`` turns it off): every atom is
  paired with the *nearest atom of the same AutoDock type* in the other pose (the same
  reference atom may serve several atoms unless ``rmsmode unique_pair``), no superposition;
  **all** ligand atoms, hydrogens included (``B_rms_heavy_atoms_only = FALSE`` unless
  ``rmsatoms heavy``);
* the histogram lists, per cluster: lowest energy, its run, the members' mean energy, and
  their number.

What the DLG cannot give back: AutoDock clusters in-memory coordinates and energies, the
DLG prints coordinates to 0.001 Å and energies to 0.01 kcal/mol. A pair of poses within
~0.002 Å of ``rmstol``, or two runs whose printed energies tie, may therefore be ordered or
joined differently; ties are broken by the intermolecular energy (1), then by run number.
``tests/test_cluster.py`` checks the reproduction on real DLGs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from netpharm.docking.pose.dlg import Cluster, Pose

__all__ = ["ClusterOptions", "ClusteredRun", "Clustering", "pose_types", "autodock_rmsd", "cluster_poses",
           "histogram_text", "HYDROGEN_TYPES"]

HYDROGEN_TYPES = ("H", "HD", "HS")


@dataclass(frozen=True)
class ClusterOptions:
    """AutoDock 4.2.6's clustering settings (defaults = AutoDock's defaults).

    Attributes
    ----------
    rmstol : float
        Cluster tolerance in Å (DPF ``rmstol``; 2.0).
    symmetry : bool
        Nearest same-type atom pairing (default True; False = DPF ``rmsnosym``).
    unique_pair : bool
        Each reference atom paired at most once (DPF ``rmsmode unique_pair``).
    heavy_atoms_only : bool
        Skip hydrogens (DPF ``rmsatoms heavy``); AutoDock's default uses all atoms.
    """

    rmstol: float = 2.0
    symmetry: bool = True
    unique_pair: bool = False
    heavy_atoms_only: bool = False


@dataclass(frozen=True)
class ClusteredRun:
    """One row of AutoDock's RMSD TABLE: a run, its cluster and its RMSD to the cluster seed."""

    rank: int
    sub_rank: int
    run: int
    energy: float
    cluster_rmsd: float


@dataclass(frozen=True)
class Clustering:
    """Clusters in rank order (as :class:`~netpharm.docking.pose.dlg.Cluster`) and the RMSD table."""

    clusters: tuple[Cluster, ...]
    table: tuple[ClusteredRun, ...]
    options: ClusterOptions

    def histogram(self) -> list[tuple[int, float, int, float, int]]:
        """(rank, lowest energy, run, mean energy rounded to 0.01, size) per cluster."""
        return [(c.rank, c.lowest_energy, c.run, round(c.mean_energy, 2), c.size) for c in self.clusters]


def pose_types(pose: Pose) -> list[str]:
    """AutoDock atom types of a pose's atoms (PDBQT columns 78–79), in atom order."""
    return [ln[77:79].strip() for ln in pose.pdbqt_lines if ln.startswith(("ATOM", "HETATM"))]


def autodock_rmsd(probe: np.ndarray, reference: np.ndarray, types: Sequence[str],
                  options: ClusterOptions = ClusterOptions()) -> float:
    """AutoDock 4.2.6 ``getrms(probe, reference)`` (Å); not symmetric in its arguments.

    Parameters
    ----------
    probe, reference : (n, 3) arrays
        The two poses of the same ligand, atoms in the same (PDBQT) order.
    types : sequence of str
        AutoDock atom type per atom.
    options : ClusterOptions
        Symmetry pairing, unique pairs, heavy atoms only.
    """
    probe, reference = np.asarray(probe, float), np.asarray(reference, float)
    kinds = np.asarray(types)
    hydrogen = np.isin(kinds, HYDROGEN_TYPES)
    n = len(kinds)
    if not options.symmetry:
        used = ~hydrogen if options.heavy_atoms_only else np.ones(n, bool)
        total = float(((probe[used] - reference[used]) ** 2).sum())
        # getrms divides by natom here even when hydrogens were skipped (its hydrogen count
        # is only taken in the symmetry branch): reproduced as written.
        return float(np.sqrt(total / n))
    d2 = ((probe[:, None, :] - reference[None, :, :]) ** 2).sum(axis=2)
    d2[kinds[:, None] != kinds[None, :]] = np.inf
    if not options.unique_pair:
        rows = ~hydrogen if options.heavy_atoms_only else np.ones(n, bool)
        total = float(d2[rows].min(axis=1).sum())
    else:
        available = np.ones(n, bool)
        total = 0.0
        for i in range(n):  # greedy in atom order, as getrms; a loop: each choice removes a candidate
            if options.heavy_atoms_only and hydrogen[i]:
                continue
            row = np.where(available, d2[i], np.inf)
            j = int(np.argmin(row))
            total += float(row[j])
            available[j] = False
    count = n - int(hydrogen.sum()) if options.heavy_atoms_only else n
    return float(np.sqrt(total / count))


def _energy_order(poses: Sequence[Pose]) -> list[int]:
    return sorted(range(len(poses)), key=lambda i: (poses[i].energy,
                                                    poses[i].intermolecular if poses[i].intermolecular is not None
                                                    else 0.0, poses[i].run))


def cluster_poses(poses: Sequence[Pose], options: ClusterOptions = ClusterOptions()) -> Clustering:
    """Cluster docked poses exactly as AutoDock 4.2.6's ``analysis`` (see the module docstring).

    Parameters
    ----------
    poses : sequence of Pose
        Final poses of one ligand (any number of runs, e.g. merged from chunk DLGs), with
        distinct run numbers.
    options : ClusterOptions

    Raises
    ------
    ValueError
        No poses, duplicate run numbers, or poses whose atoms/types differ.
    """
    if not poses:
        raise ValueError("no poses to cluster")
    runs = [p.run for p in poses]
    if len(set(runs)) != len(runs):
        raise ValueError(f"duplicate run numbers among the poses: {sorted(runs)}")
    types = pose_types(poses[0])
    for p in poses[1:]:
        if pose_types(p) != types:
            raise ValueError(f"run {p.run}: atoms or atom types differ from run {poses[0].run}; "
                             "poses of different ligands cannot be clustered together")
    members: list[list[tuple[int, float]]] = []  # per cluster: (pose index, rms to seed)
    for i in _energy_order(poses):
        for cluster in members:
            rms = autodock_rmsd(poses[i].coords, poses[cluster[0][0]].coords, types, options)
            if rms <= options.rmstol:
                cluster.append((i, rms))
                break
        else:
            members.append([(i, 0.0)])
    clusters = []
    table = []
    for rank, cluster in enumerate(members, start=1):
        energies = [poses[i].energy for i, _ in cluster]
        seed = poses[cluster[0][0]]
        clusters.append(Cluster(rank, seed.energy, seed.run, float(np.mean(energies)), len(cluster),
                                tuple(poses[i].run for i, _ in cluster)))
        table += [ClusteredRun(rank, sub, poses[i].run, poses[i].energy, rms)
                  for sub, (i, rms) in enumerate(cluster, start=1)]
    return Clustering(tuple(clusters), tuple(table), options)


def histogram_text(clustering: Clustering, n_runs: int | None = None) -> str:
    """The CLUSTERING HISTOGRAM and RMSD TABLE in AutoDock 4.2.6's DLG layout.

    The reference-RMSD column is left out (0.00 is not written for a value the merged runs
    do not have): AutoDock's own table carries it when a reference is known.
    """
    runs = n_runs if n_runs is not None else sum(c.size for c in clustering.clusters)
    rule = "_" * 80
    lines = [f"Number of distinct conformational clusters found = {len(clustering.clusters)},  "
             f"out of {runs} runs,",
             f"Using an rmsd-tolerance of {clustering.options.rmstol:.1f} A", "", "",
             "\tCLUSTERING HISTOGRAM", "\t____________________", "", rule,
             "     |           |     |           |     |                                    ",
             "Clus | Lowest    | Run | Mean      | Num | Histogram                          ",
             "-ter | Binding   |     | Binding   | in  |                                    ",
             "Rank | Energy    |     | Energy    | Clus|    5    10   15   20   25   30   35",
             "_____|___________|_____|___________|_____|____:____|____:____|____:____|____:___"]
    for c in clustering.clusters:
        lines.append(f"{c.rank:4d} |{c.lowest_energy:10.2f} |{c.run:4d} |{c.mean_energy:10.2f} |{c.size:4d} |"
                     + "#" * c.size)
    lines += ["_____|___________|_____|___________|_____|______________________________________", "",
              "\tRMSD TABLE", "\t__________", "",
              "_" * 69,
              "     |      |      |           |         |",
              "Rank | Sub- | Run  | Binding   | Cluster | Grep",
              "     | Rank |      | Energy    | RMSD    | Pattern",
              "_____|______|______|___________|_________|___________"]
    for row in clustering.table:
        lines.append(f"{row.rank:4d}   {row.sub_rank:4d}   {row.run:4d}     {row.energy:7.2f}    "
                     f"{row.cluster_rmsd:6.2f}           RANKING")
    lines.append("_" * 71)
    return "\n".join(lines) + "\n"

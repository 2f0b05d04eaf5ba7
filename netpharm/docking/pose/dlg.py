"""Read AutoDock 4.2.6 docking logs (DLG) and AutoDock Vina output PDBQT files.

What the docking stage needs from a DLG is small: each run's final pose with its
energy breakdown ("Estimated Free Energy of Binding" = (1) intermolecular + (2) internal
+ (3) torsional − (4) unbound), the CLUSTERING HISTOGRAM and the RMSD TABLE. meeko's
``PDBQTMolecule(is_dlg=True)`` reads poses and scores but not the clustering, and its
parser is a large state machine; the DLG lines needed here are fixed-format
(AutoDock's ``analysis.cc``/``writePDBQT.cc``), so a few anchored regular expressions
suffice. A log that was cut short (autodock4 killed, disk full) is rejected with
:class:`DLGParseError` naming the file rather than silently giving fewer runs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from netpharm.errors import DLGParseError
from netpharm.structures import records

__all__ = ["Pose", "Cluster", "DockingLog", "parse_dlg", "parse_dlg_text", "parse_vina_pdbqt",
           "pose_coords", "KI_UNITS"]

KI_UNITS = {"fM": 1e-15, "pM": 1e-12, "nM": 1e-9, "uM": 1e-6, "mM": 1e-3, "M": 1.0}
PDBQT_RECORDS = ("REMARK", "ROOT", "ENDROOT", "BRANCH", "ENDBRANCH", "ATOM", "HETATM", "TORSDOF", "TER")

_NUM = r"([-+]?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)"
_RE = {
    "run": re.compile(r"^USER\s+Run\s*=\s*(\d+)"),
    "energy": re.compile(r"^USER\s+Estimated Free Energy of Binding\s*=\s*" + _NUM),
    "ki": re.compile(r"^USER\s+Estimated Inhibition Constant, Ki\s*=\s*" + _NUM + r"\s*(fM|pM|nM|uM|mM|M)\b"),
    "inter": re.compile(r"^USER\s+\(1\) Final Intermolecular Energy\s*=\s*" + _NUM),
    "internal": re.compile(r"^USER\s+\(2\) Final Total Internal Energy\s*=\s*" + _NUM),
    "tors": re.compile(r"^USER\s+\(3\) Torsional Free Energy\s*=\s*" + _NUM),
}
_HIST = re.compile(r"^\s*(\d+)\s*\|\s*" + _NUM + r"\s*\|\s*(\d+)\s*\|\s*" + _NUM + r"\s*\|\s*(\d+)\s*\|")
_RMSD_ROW = re.compile(r"^\s*(\d+)\s+(\d+)\s+(\d+)\s+" + _NUM + r"\s+" + _NUM + r"\s+" + _NUM + r"\s+RANKING")
_REQUESTED = re.compile(r"Number of requested GA dockings = (\d+) run")
_SEED = re.compile(r"Random number generator was seeded with values (-?\d+), (-?\d+)")
_NO_CLUSTERING = "Unable to perform cluster analysis, because not enough conformations"
_VERSION = re.compile(r"AutoDock [\d.]+ Release (\d+\.\d+\.\d+)")
_VINA = re.compile(r"^REMARK VINA RESULT:\s*" + _NUM + r"\s+" + _NUM + r"\s+" + _NUM)


@dataclass(frozen=True)
class Pose:
    """One docked pose.

    Attributes
    ----------
    run : int
        AutoDock run number (1-based) or Vina mode number.
    energy : float
        AutoDock "Estimated Free Energy of Binding" (kcal/mol), or Vina's score.
    intermolecular, internal, torsional : float or None
        Terms (1), (2), (3) of the AutoDock breakdown (Vina: INTER, INTRA, None).
    ki : float or None
        Estimated inhibition constant in ``ki_unit`` (None when AutoDock prints none,
        i.e. for energies ≥ 0).
    ki_unit : str or None
        "fM", "pM", "nM", "uM", "mM" or "M".
    pdbqt_lines : tuple of str
        The pose as PDBQT records (REMARK/ROOT/BRANCH/ATOM/TORSDOF...).
    coords : numpy.ndarray
        (n_atoms, 3) coordinates in Å, in the order of the ligand file.
    reference_rmsd : float or None
        AutoDock's RMSD to the reference (``rmsref`` or the input ligand), by atom order.
    """

    run: int
    energy: float
    intermolecular: float | None
    internal: float | None
    torsional: float | None
    ki: float | None
    ki_unit: str | None
    pdbqt_lines: tuple[str, ...]
    coords: np.ndarray = field(repr=False, compare=False)
    reference_rmsd: float | None = None

    @property
    def ki_molar(self) -> float | None:
        return None if self.ki is None or self.ki_unit is None else self.ki * KI_UNITS[self.ki_unit]

    @property
    def pdbqt(self) -> str:
        return "\n".join(self.pdbqt_lines) + "\n"


@dataclass(frozen=True)
class Cluster:
    """One row of AutoDock's CLUSTERING HISTOGRAM (plus its members from the RMSD TABLE)."""

    rank: int
    lowest_energy: float
    run: int
    mean_energy: float
    size: int
    members: tuple[int, ...] = ()


@dataclass(frozen=True)
class DockingLog:
    """A parsed docking log: poses in run order and clusters in rank order."""

    path: str
    runs: tuple[Pose, ...]
    clusters: tuple[Cluster, ...]
    engine: str = "autodock4"
    version: str | None = None
    seed: tuple[int, int] | None = None
    n_requested: int | None = None

    @property
    def best(self) -> Pose:
        """Lowest-energy pose (AutoDock: the lowest of cluster 1; Vina: mode 1)."""
        return min(self.runs, key=lambda p: p.energy)

    @property
    def best_cluster(self) -> Cluster | None:
        return self.clusters[0] if self.clusters else None

    def pose(self, run: int) -> Pose:
        for p in self.runs:
            if p.run == run:
                return p
        raise KeyError(f"{self.path}: no run {run}")


def pose_coords(lines: list[str] | tuple[str, ...]) -> np.ndarray:
    """(n, 3) coordinates of the ATOM/HETATM records of PDBQT lines."""
    xyz = [records.xyz(ln) for ln in lines if records.is_atom(ln)]
    return np.array(xyz, dtype=float).reshape(-1, 3)


def _value(key: str, header: list[str]) -> float | None:
    for line in header:
        m = _RE[key].match(line)
        if m:
            return float(m.group(1))
    return None


def _pose_from_block(block: list[str], where: str) -> Pose:
    header = [ln for ln in block if ln.startswith("USER")]
    run = _value("run", header)
    energy = _value("energy", header)
    if run is None or energy is None:
        raise DLGParseError(f"{where}: docked model without 'Run =' or 'Estimated Free Energy of Binding'")
    ki, unit = None, None
    for line in header:
        m = _RE["ki"].match(line)
        if m:
            ki, unit = float(m.group(1)), m.group(2)
    lines = tuple(ln.rstrip() for ln in block if ln.startswith(PDBQT_RECORDS))
    coords = pose_coords(lines)
    if len(coords) == 0:
        raise DLGParseError(f"{where}: run {int(run)} has no atoms")
    return Pose(int(run), energy, _value("inter", header), _value("internal", header), _value("tors", header),
                ki, unit, lines, coords)


def _docked_blocks(lines: list[str], where: str) -> list[list[str]]:
    blocks: list[list[str]] = []
    current: list[str] | None = None
    for line in lines:
        if not line.startswith("DOCKED: "):
            continue
        body = line[8:]
        if body.startswith("MODEL"):
            current = []
        elif body.startswith("ENDMDL"):
            if current is None:
                raise DLGParseError(f"{where}: ENDMDL without MODEL")
            blocks.append(current)
            current = None
        elif current is not None:
            current.append(body)
    if current is not None:
        raise DLGParseError(f"{where}: truncated inside a docked model (no ENDMDL after run {len(blocks) + 1})")
    return blocks


def _clusters(lines: list[str]) -> tuple[list[Cluster], dict[int, tuple[int, float]]]:
    """Histogram rows, and run -> (cluster rank, reference RMSD) from the RMSD TABLE."""
    rows: list[tuple[int, float, int, float, int]] = []
    members: dict[int, list[int]] = {}
    per_run: dict[int, tuple[int, float]] = {}
    section = None
    for line in lines:
        if "CLUSTERING HISTOGRAM" in line:
            section = "hist"
        elif "RMSD TABLE" in line:
            section = "rmsd"
        elif "INFORMATION ENTROPY" in line or "STATISTICAL MECHANICAL" in line:
            section = None
        elif section == "hist" and (m := _HIST.match(line)):
            rows.append((int(m.group(1)), float(m.group(2)), int(m.group(3)), float(m.group(4)), int(m.group(5))))
        elif section == "rmsd" and (m := _RMSD_ROW.match(line)):
            rank, run = int(m.group(1)), int(m.group(3))
            members.setdefault(rank, []).append(run)
            per_run[run] = (rank, float(m.group(6)))
    clusters = [Cluster(r, lo, run, mean, n, tuple(members.get(r, ()))) for r, lo, run, mean, n in rows]
    return clusters, per_run


def parse_dlg_text(text: str, where: str = "<dlg>") -> DockingLog:
    """Parse the text of an AutoDock 4 DLG (see :func:`parse_dlg`)."""
    lines = text.splitlines()
    if not any("Successful Completion" in ln for ln in lines[-40:]):
        raise DLGParseError(f"{where}: truncated docking log (no 'Successful Completion' at the end); "
                            "autodock4 was interrupted or the file was cut")
    requested = next((int(m.group(1)) for ln in lines if (m := _REQUESTED.search(ln))), None)
    poses = [_pose_from_block(b, where) for b in _docked_blocks(lines, where)]
    if not poses:
        raise DLGParseError(f"{where}: no docked models (DOCKED: records) in the log")
    if requested is not None and len(poses) != requested:
        raise DLGParseError(f"{where}: {requested} runs requested but {len(poses)} docked models found")
    clusters, per_run = _clusters(lines)
    if not clusters and len(poses) == 1 and any(_NO_CLUSTERING in ln for ln in lines):
        # ga_run 1 (e.g. a one-run chunk of a chunked system): AutoDock 4.2.6 prints no histogram
        # ("not enough conformations"); by its rules the single pose is a cluster of one
        clusters = [Cluster(1, poses[0].energy, poses[0].run, poses[0].energy, 1, (poses[0].run,))]
    if not clusters:
        raise DLGParseError(f"{where}: no CLUSTERING HISTOGRAM (the DPF needs 'analysis')")
    if sum(c.size for c in clusters) != len(poses):
        raise DLGParseError(f"{where}: clustering histogram counts {sum(c.size for c in clusters)} "
                            f"conformations for {len(poses)} runs")
    poses = [Pose(p.run, p.energy, p.intermolecular, p.internal, p.torsional, p.ki, p.ki_unit, p.pdbqt_lines,
                  p.coords, per_run.get(p.run, (0, None))[1]) for p in poses]
    seeds = [(int(m.group(1)), int(m.group(2))) for ln in lines if (m := _SEED.search(ln))]
    version = next((m.group(1) for ln in lines[:60] if (m := _VERSION.search(ln))), None)
    return DockingLog(where, tuple(poses), tuple(clusters), "autodock4", version,
                      seeds[-1] if seeds else None, requested)


def parse_dlg(path: Path | str) -> DockingLog:
    """Parse an AutoDock 4.2.6 DLG file.

    Raises
    ------
    DLGParseError
        Truncated log, run count differing from the requested one, missing clustering.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        raise DLGParseError(f"{path}: cannot read docking log: {exc}") from exc
    return parse_dlg_text(text, str(path))


def parse_vina_pdbqt(path: Path | str) -> DockingLog:
    """Parse Vina's output PDBQT (``MODEL n`` … ``REMARK VINA RESULT: score lb ub`` … ``ENDMDL``).

    Each mode becomes a :class:`Pose` (energy = Vina score); Vina does no clustering, so
    ``clusters`` is empty.
    """
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError as exc:
        raise DLGParseError(f"{path}: cannot read Vina output: {exc}") from exc
    poses: list[Pose] = []
    block: list[str] | None = None
    model = 0
    for line in lines:
        if line.startswith("MODEL"):
            block, model = [], int(line.split()[1])
        elif line.startswith("ENDMDL"):
            if block is None:
                raise DLGParseError(f"{path}: ENDMDL without MODEL")
            score = next((_VINA.match(ln) for ln in block if _VINA.match(ln)), None)
            if score is None:
                raise DLGParseError(f"{path}: model {model} has no 'REMARK VINA RESULT'")
            inter = next((float(ln.split()[-1]) for ln in block if ln.startswith("REMARK INTER:")), None)
            intra = next((float(ln.split()[-1]) for ln in block if ln.startswith("REMARK INTRA:")), None)
            coords = pose_coords(block)
            if len(coords) == 0:
                raise DLGParseError(f"{path}: model {model} has no atoms")
            poses.append(Pose(model, float(score.group(1)), inter, intra, None, None, None,
                              tuple(ln.rstrip() for ln in block if ln.startswith(PDBQT_RECORDS)), coords))
            block = None
        elif block is not None:
            block.append(line)
    if block is not None:
        raise DLGParseError(f"{path}: truncated Vina output (model {model} has no ENDMDL)")
    if not poses:
        raise DLGParseError(f"{path}: no Vina models found")
    return DockingLog(str(path), tuple(poses), (), "vina")

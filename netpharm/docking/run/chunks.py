"""Cut one system's LGA runs into chunks over several autodock4 processes, then merge and re-cluster.

AutoDock 4.2.6 runs a DPF's ``ga_run`` Lamarckian GA runs one after the other in one
single-threaded process; the runs are independent (each starts from its own random
state), so ``ga_run 20`` can be executed as 4 processes of ``ga_run 5`` on the same grid
maps. Each chunk gets its own DPF with its own recorded ``seed`` pair (chunk 0 keeps the
workflow's seed, so a one-chunk plan is the unchunked run), its own DLG, and global run
numbers ``first_run … first_run + runs − 1``. The merged poses are clustered again as
AutoDock does (:mod:`netpharm.docking.pose.cluster`), giving one :class:`DockingLog` that the
docking stage analyses exactly like an unchunked log.

Per-chunk seeds are derived from the workflow's two seeds with NumPy's ``SeedSequence``
(spawn key = chunk index): reproducible, distinct per chunk, recorded in ``chunks.json``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from netpharm.docking.pose.cluster import ClusterOptions, cluster_poses, histogram_text
from netpharm.docking.pose.dlg import DockingLog, Pose, parse_dlg
from netpharm.errors import DLGParseError, SchedulerError
from netpharm.io import read_json, write_json_atomic, write_text_atomic

__all__ = ["ChunkPlan", "plan_chunks", "chunk_seed", "chunk_dpf_text", "write_chunk_dpfs", "merge_logs",
           "merge_chunk_dlgs", "read_plan", "PLAN_FILE"]

PLAN_FILE = "chunks.json"
# ranlib's setall() accepts 1 <= seed1 <= 2147483562 and 1 <= seed2 <= 2147483398 (L'Ecuyer 1988);
# AutoDock 4.2.6 itself refuses 1
_SEED_LIMITS = (2147483562, 2147483398)
_GA_RUN = re.compile(r"^ga_run\s+\d+\s*$", re.MULTILINE)
_SEED = re.compile(r"^seed\s+.*$", re.MULTILINE)


@dataclass(frozen=True)
class ChunkPlan:
    """One autodock4 process of a chunked system.

    Attributes
    ----------
    index : int
        Chunk number (0-based).
    first_run : int
        Global (1-based) number of this chunk's first run.
    runs : int
        ``ga_run`` of this chunk.
    seed : (int, int)
        AutoDock's ``seed`` pair for this chunk.
    dpf, dlg : str
        File names, relative to the system folder.
    """

    index: int
    first_run: int
    runs: int
    seed: tuple[int, int]
    dpf: str
    dlg: str


def chunk_seed(base: tuple[int, int], index: int) -> tuple[int, int]:
    """The seed pair of chunk ``index`` (chunk 0 = ``base``)."""
    if index == 0:
        return (int(base[0]), int(base[1]))
    state = np.random.SeedSequence(entropy=[abs(int(base[0])), abs(int(base[1]))], spawn_key=(index,))
    a, b = (int(x) for x in state.generate_state(2, dtype=np.uint32))
    # autodock4 refuses a seed of 0 or 1 ("Random number seed cannot be zero or one"): 1 becomes 2
    return (max(2, 1 + a % _SEED_LIMITS[0]), max(2, 1 + b % _SEED_LIMITS[1]))


def plan_chunks(total_runs: int, chunks: int, base_seed: tuple[int, int], stem: str = "dock") -> list[ChunkPlan]:
    """Cut ``total_runs`` into ``chunks`` near-equal chunks (20 → 4 × 5; 20 over 3 → 7, 7, 6).

    ``chunks`` is capped at ``total_runs``; 1 chunk = the unchunked run (``<stem>.dpf``/``.dlg``).
    """
    if total_runs < 1 or chunks < 1:
        raise ValueError(f"need at least one run and one chunk, got runs={total_runs}, chunks={chunks}")
    chunks = min(chunks, total_runs)
    if chunks == 1:
        return [ChunkPlan(0, 1, total_runs, (int(base_seed[0]), int(base_seed[1])), f"{stem}.dpf", f"{stem}.dlg")]
    sizes = [total_runs // chunks + (1 if i < total_runs % chunks else 0) for i in range(chunks)]
    starts = np.concatenate([[1], 1 + np.cumsum(sizes)[:-1]]).tolist()
    return [ChunkPlan(i, int(starts[i]), sizes[i], chunk_seed(base_seed, i), f"{stem}_chunk{i + 1}.dpf",
                      f"{stem}_chunk{i + 1}.dlg") for i in range(chunks)]


def chunk_dpf_text(dpf: str, runs: int, seed: tuple[int, int]) -> str:
    """The DPF with its ``ga_run`` and ``seed`` lines replaced (both must be present once)."""
    for pattern, what in ((_GA_RUN, "ga_run"), (_SEED, "seed")):
        if len(pattern.findall(dpf)) != 1:
            raise ValueError(f"the DPF must hold exactly one '{what}' line to be split")
    text = _GA_RUN.sub(f"ga_run {runs}", dpf)
    return _SEED.sub(f"seed {seed[0]} {seed[1]}", text)


def write_chunk_dpfs(workdir: Path, dpf_name: str, plans: Sequence[ChunkPlan]) -> list[Path]:
    """Write every chunk's DPF next to ``dpf_name`` and the plan (``chunks.json``)."""
    workdir = Path(workdir)
    base = (workdir / dpf_name).read_text(encoding="utf-8")
    paths = [write_text_atomic(workdir / p.dpf, chunk_dpf_text(base, p.runs, p.seed)) for p in plans]
    write_json_atomic(workdir / PLAN_FILE, {"dpf": dpf_name, "chunks": [asdict(p) for p in plans]})
    return paths


def read_plan(workdir: Path) -> list[ChunkPlan]:
    """The chunk plan recorded in ``chunks.json``."""
    record = read_json(Path(workdir) / PLAN_FILE, "chunk plan", SchedulerError)
    return [ChunkPlan(c["index"], c["first_run"], c["runs"], tuple(c["seed"]), c["dpf"], c["dlg"])
            for c in record["chunks"]]


def _merged_poses(logs: Sequence[DockingLog], plans: Sequence[ChunkPlan]) -> list[Pose]:
    poses: list[Pose] = []
    for log, plan in zip(logs, plans, strict=True):
        if len(log.runs) != plan.runs:
            raise DLGParseError(f"{log.path}: {len(log.runs)} runs, chunk {plan.index + 1} planned {plan.runs}")
        for p in log.runs:
            poses.append(Pose(plan.first_run + p.run - 1, p.energy, p.intermolecular, p.internal, p.torsional,
                              p.ki, p.ki_unit, p.pdbqt_lines, p.coords, p.reference_rmsd))
    return sorted(poses, key=lambda p: p.run)


def merge_logs(logs: Sequence[DockingLog], plans: Sequence[ChunkPlan],
               options: ClusterOptions | None = None, where: str = "<merged>") -> DockingLog:
    """One log from chunk logs: global run numbers, AutoDock clustering of all poses.

    Raises
    ------
    DLGParseError
        A chunk log with a different number of runs than planned.
    """
    poses = _merged_poses(logs, plans)
    clustering = cluster_poses(poses, options or ClusterOptions())
    version = next((lg.version for lg in logs if lg.version), None)
    return DockingLog(where, tuple(poses), clustering.clusters, "autodock4", version, plans[0].seed,
                      sum(p.runs for p in plans))


def merge_chunk_dlgs(workdir: Path, plans: Sequence[ChunkPlan], rmstol: float = 2.0,
                     out_name: str = "merged_clusters.txt") -> DockingLog:
    """Parse the chunks' DLGs in ``workdir``, merge and re-cluster; write the histogram text
    (``merged_clusters.txt``: chunk files, run ranges and seeds, then AutoDock's layout)."""
    workdir = Path(workdir)
    logs = [parse_dlg(workdir / p.dlg) for p in plans]
    poses = _merged_poses(logs, plans)
    clustering = cluster_poses(poses, ClusterOptions(rmstol=rmstol))
    header = "".join(f"chunk {p.index + 1}: {p.dlg}, runs {p.first_run}-{p.first_run + p.runs - 1}, "
                     f"seed {p.seed[0]} {p.seed[1]}\n" for p in plans)
    path = write_text_atomic(workdir / out_name, "Re-clustered by netpharm (AutoDock 4.2.6 rules) from\n"
                             + header + "\n" + histogram_text(clustering))
    version = next((lg.version for lg in logs if lg.version), None)
    return DockingLog(str(path), tuple(poses), clustering.clusters, "autodock4", version, plans[0].seed,
                      sum(p.runs for p in plans))

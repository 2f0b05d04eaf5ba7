"""Dock many ligands in one process on Vina maps computed once (AutoDock Vina's Python API).

A Vina job through the ``vina`` program reads the receptor and computes its grid maps again
for every ligand, in a new process. For a campaign the maps are the same for every ligand of
a receptor and box, so a *batch* job (one per group of a receptor's Vina jobs) builds one
:class:`vina.Vina`, calls ``compute_vina_maps`` once (for every atom type: no ligand is set
yet) and then, per ligand, ``set_ligand_from_string`` + ``dock`` + ``poses``, writing exactly
the files and ``done_vina.json`` record the per-ligand job writes (:func:`execute_job`), so
a rerun, ``--resume`` and the results database see the members as ordinary Vina jobs.

Same seed, same result: ``Vina(seed=s)`` reseeds every ``dock`` call, so a ligand docked
after others on shared maps gets bit for bit the poses and energies of the same ligand
docked alone by the same module (``tests/test_vina_batch.py``). Against the Debian ``vina``
1.2.3 program the module (1.2.7 here) finds the same coordinates, INTER and INTRA terms, but
its ``UNBOUND`` term may differ (imatinib in 1IEP, seed 42, exhaustiveness 2: −0.155 from the
program, −0.360 = the best pose's INTRA from the module; equal at exhaustiveness 1), which
shifts every score of that ligand by one constant (−13.441 vs −13.296 kcal/mol); this is why a
campaign (ligands given) docks all its Vina jobs through the module, batches of one included.

The module is optional (``netpharm[docking]``): without it every Vina job runs the program.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from netpharm.docking.run.executor import DockingJob, JobResult, fingerprint, is_done, worker_id
from netpharm.errors import VinaError
from netpharm.io import bytes_sha256, write_json_atomic, write_text_atomic

__all__ = ["BATCH_ENGINE", "vina_module_version", "read_vina_config", "batch_vina_jobs", "vina_batch_job",
           "dock_vina_member"]

log = logging.getLogger(__name__)

BATCH_ENGINE = "vina-batch"
#: batches per worker and receptor: small enough that the longest-first schedule keeps every worker
#: busy to the end, large enough that each batch reuses its maps for many ligands
BATCHES_PER_WORKER = 4


def vina_module_version() -> str | None:
    """The ``vina`` Python module's version, or None when it is not installed."""
    try:
        import vina
    except ImportError:
        return None
    return str(getattr(vina, "__version__", "") or "unknown")


def read_vina_config(path: Path) -> dict[str, str]:
    """``key = value`` lines of a ``vina --config`` file (what :func:`vina_config_text` writes)."""
    text = Path(path).read_text(encoding="utf-8")
    return {k.strip(): v.strip() for k, sep, v in (ln.partition("=") for ln in text.splitlines()) if sep}


def _maps_key(job: DockingJob) -> tuple[str, ...]:
    """What a member's maps depend on: receptor content, box, seed and threads (not the ligand)."""
    cfg = read_vina_config(Path(job.workdir) / job.vina_config)
    receptor = (Path(job.workdir) / cfg.get("receptor", job.receptor)).read_bytes()
    return (bytes_sha256(receptor), *(cfg.get(k, "") for k in ("center_x", "center_y", "center_z", "size_x",
                                                                 "size_y", "size_z", "seed", "cpu")))


def batch_vina_jobs(jobs: Sequence[DockingJob], workers: int, min_members: int = 2) -> list[DockingJob]:
    """``jobs`` with each receptor's Vina jobs (at least ``min_members``, sharing receptor and box) grouped
    into batch jobs; other jobs unchanged. A batch's ``members`` are its Vina jobs, its cost their sum."""
    groups: dict[tuple[str, ...], list[DockingJob]] = {}
    out: list[DockingJob] = []
    for job in jobs:
        if job.engine != "vina" or job.after:
            out.append(job)
            continue
        try:
            groups.setdefault((job.system, *_maps_key(job)), []).append(job)
        except (OSError, ValueError):  # an unreadable input: the per-ligand job reports it
            out.append(job)
    for members in groups.values():
        if len(members) < min_members:
            out += members
            continue
        # one worker: nothing to balance, one batch per receptor
        n = 1 if workers <= 1 else min(len(members), workers * BATCHES_PER_WORKER)
        size = math.ceil(len(members) / n)
        for i in range(0, len(members), size):
            part = tuple(members[i:i + size])
            first = part[0]
            out.append(replace(first, name=f"{first.system}#vina-batch{i // size + 1}", engine=BATCH_ENGINE,
                               ligand_name="", cost=sum(m.cost for m in part), members=part))
    return out


class _Maps:
    """One :class:`vina.Vina` with its maps, rebuilt only when a member needs other maps."""

    def __init__(self) -> None:
        self.key: tuple[str, ...] | None = None
        self.vina: Any = None

    def get(self, job: DockingJob, cfg: dict[str, str]) -> Any:
        from vina import Vina

        key = _maps_key(job)
        if key != self.key or self.vina is None:
            # no more threads than Monte-Carlo runs: Vina prints a warning on stdout otherwise, and the poses do
            # not depend on the thread count (each run has its own seed from the one seed)
            cpu = max(1, min(int(cfg.get("cpu", "1") or 1), int(cfg.get("exhaustiveness", "8"))))
            v = Vina(sf_name="vina", seed=int(cfg.get("seed", "0")), cpu=cpu, verbosity=0)
            v.set_receptor(str(Path(job.workdir) / cfg.get("receptor", job.receptor)))
            v.compute_vina_maps(center=[float(cfg[f"center_{a}"]) for a in "xyz"],
                                box_size=[float(cfg[f"size_{a}"]) for a in "xyz"])
            self.key, self.vina = key, v
        return self.vina


def dock_vina_member(job: DockingJob, maps: _Maps | None = None) -> JobResult:
    """One Vina job through the module (on ``maps`` when given): the files, record and result of
    :func:`~netpharm.docking.run.executor.execute_job`; never raises for a docking failure."""
    earlier = is_done(job)
    if earlier is not None:
        return earlier
    workdir = Path(job.workdir)
    wall_start, start = time.time(), time.perf_counter()
    try:
        fp = fingerprint(workdir, job.inputs())
        cfg = read_vina_config(workdir / job.vina_config)
        v = (maps or _Maps()).get(job, cfg)
        modes = int(cfg.get("num_modes", "9"))
        out_name = cfg.get("out") or Path(cfg.get("ligand", job.ligand)).stem + "_out.pdbqt"
        v.set_ligand_from_string((workdir / cfg.get("ligand", job.ligand)).read_text(encoding="utf-8"))
        v.dock(exhaustiveness=int(cfg.get("exhaustiveness", "8")), n_poses=modes)
        text = v.poses(n_poses=modes, energy_range=float(cfg.get("energy_range", "3.0")))
        if "MODEL" not in text:
            raise VinaError(f"vina found no pose in {workdir}")
        write_text_atomic(workdir / out_name, text)
        write_text_atomic(workdir / (Path(job.vina_config).stem + ".log"),
                          f"AutoDock Vina Python module {vina_module_version()}, maps computed once per batch "
                          f"(netpharm.docking.run.vina_batch); seed {cfg.get('seed')}, exhaustiveness "
                          f"{cfg.get('exhaustiveness')}\n")
    except (VinaError, OSError, ValueError, KeyError, RuntimeError, TypeError) as exc:
        message = f"system {job.name} ({job.engine}): {type(exc).__name__}: {exc}"
        write_text_atomic(workdir / f"error_{job.engine}.txt", message + "\n")
        return JobResult(job.name, "failed", error=message, error_type=type(exc).__name__,
                         seconds=time.perf_counter() - start, started=wall_start, finished=time.time(),
                         worker=worker_id())
    seconds = time.perf_counter() - start
    (workdir / f"error_{job.engine}.txt").unlink(missing_ok=True)
    outputs = {"vina_out": out_name}
    write_json_atomic(workdir / f"done_{job.engine}.json",
                      {"system": job.name, "engine": job.engine, "fingerprint": fp, "outputs": outputs,
                       "seconds": round(seconds, 3), "finished": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                       "program": f"vina Python module {vina_module_version()}"})
    return JobResult(job.name, "done", outputs, seconds=seconds, fingerprint=fp, started=wall_start,
                     finished=time.time(), worker=worker_id())


def vina_batch_job(job: DockingJob) -> JobResult:
    """Worker function: every member of a batch on one map set; the members' results in ``parts``."""
    maps = _Maps()
    start = time.perf_counter()
    parts = [dock_vina_member(member, maps) for member in job.members]
    failed = [p for p in parts if p.status == "failed"]
    status = "failed" if failed and len(failed) == len(parts) else "done"
    return JobResult(job.name, status, error=failed[0].error if failed else "", seconds=time.perf_counter() - start,
                     worker=worker_id(), parts=parts)

"""Split-docking benchmark: makespan of the docking stage against AutoDock's CPU time / workers, and
agreement of split runs with AutoDock's own run-to-run spread.

Targets (issue 13): the main job's docking stage takes at most 1.1 × (total AutoDock CPU
time / cores) on 2 cores, and the same holds for 8 simulated workers (more chunks than
jobs); a split run's best energy and top-cluster size agree with the unsplit run's within
the run-to-run spread of AutoDock itself.

What it does, all in this run (real autogrid4/autodock4):

1. **Spread** (``--spread``): morphine into the offline MOR system (8EF6 chain R), 20 LGA runs ×
   ``--evals`` evaluations: unsplit with ``--seeds`` seed pairs, and split 4 × 5 from each
   of the same seeds; prints best energy, top-cluster size and number of clusters of every
   run, the unsplit min–max, and whether each split run falls inside it.
2. **Stage**: the offline main job's docking stage (3 receptors + 2 redocking cases,
   reduced budget ``--evals``) three times, each setting explicit: ``run_chunks = 1`` (the
   main job's setting), and ``run_chunks = "auto"`` with the chunks it chooses for 2 and for
   8 workers at the paper's budget (its own estimates; see :func:`run_stage`). All three run
   on 2 worker processes, so no CPU time is inflated by oversubscribing the 2 cores.
   Printed: wall time, AutoDock CPU time (autogrid4 + autodock4, from their logs),
   wall / (CPU / 2), the chunk counts, and how well the cost estimates track the CPU.
3. **Schedules**: each run's ``docking/schedule.tsv`` (the jobs exactly as the executor got
   them: cost estimates and grid prerequisites) replayed by
   :func:`netpharm.docking.run.schedule.simulate` — the executor's own dispatcher, so the same
   policy — with every job's measured CPU time as its duration, at the measured budget and
   scaled to the paper's 2.5 M evaluations. Scaling: autodock4's time is a fixed start-up
   (reading the maps; fitted per system over the 1- to 20-run logs, cross-checked with a
   1-run, 2,500-evaluation DPF) plus a part linear in evaluations; grids are not scaled. Printed: makespan / (CPU / workers), the
   grids' share of the CPU and of the makespan's critical path, and the split's overhead
   (its extra start-ups) against the unsplit run's CPU.

The machine is shared: under load, wall times grow while CPU times do not, so the
measured stage ratio is printed with the load average and the schedule ratios (which use
CPU times) are the load-independent numbers.

Run: ``.venv/bin/python benchmarks/docking_split.py`` (about 10 min of CPU on 2 cores;
``--evals 100000`` for a quicker look).
"""

from __future__ import annotations

import argparse
import csv
import os
import re
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from netpharm.docking.run.schedule import Task, simulate

REPO = Path(__file__).resolve().parents[1]
WORKFLOW = REPO / "workflows" / "microdiscectomy-offline.toml"
PAPER_EVALS = 2_500_000
_CPU = re.compile(r"CPU=\s*(?:(\d+)m\s*)?([\d.]+)s")


def cpu_seconds(log: Path) -> float:
    """The 'Real= …, CPU= …' line autogrid4/autodock4 print last."""
    found = list(_CPU.finditer(log.read_text(encoding="utf-8", errors="replace")))
    if not found:
        raise ValueError(f"{log}: no CPU time line")
    return 60.0 * float(found[-1].group(1) or 0) + float(found[-1].group(2))


def run_stage(out: Path, evals: int, chunks: int | str, workers: int, systems_only: bool = False,
              plan_workers: int = 0, plan_evals: int = 0) -> float:
    """The docking stage of the offline main job at ``evals``, ``workers`` worker processes.

    ``plan_workers``/``plan_evals``: let ``run_chunks = "auto"`` choose the chunks it would choose
    for that many workers at that budget (the stage's own estimates, dock part scaled linearly in
    evaluations as :func:`netpharm.docking.prepare.campaign.estimate_cost` is), while the jobs run here on
    ``workers`` processes: 8 autodock4 processes on 2 cores would inflate their CPU times by
    cache contention, and a reduced budget alone would make grids look dearer than they are.
    """
    from netpharm.docking.run import schedule
    from netpharm.registry import load_workflow
    from netpharm.workflow import run_workflow

    docking: dict[str, object] = {"ga_runs": 20, "ga_num_evals": evals, "run_chunks": chunks, "workers": workers}
    if systems_only:
        docking["redock"] = []
    config = load_workflow(WORKFLOW, {"docking": docking})
    original = schedule.auto_chunks
    scale = (plan_evals or evals) / evals

    def planned(dock_costs: Any, runs: int, total: float, n: int, slack: float = schedule.AUTO_SLACK) -> list[int]:
        costs = list(dock_costs)
        total_at_plan = total + (scale - 1.0) * sum(costs)  # every job of this stage is an AutoDock 4 job
        return original([c * scale for c in costs], runs, total_at_plan, plan_workers or n, slack)

    schedule.auto_chunks = planned  # type: ignore[assignment]
    try:
        start = time.perf_counter()
        run_workflow(config, out, stages=["docking"], force=True)
        return time.perf_counter() - start
    finally:
        schedule.auto_chunks = original


def startup_cpu(folder: Path) -> float:
    """autodock4's fixed cost in one system folder: a 1-run DPF with 2,500 evaluations (its CPU line)."""
    from netpharm.docking.run.chunks import chunk_dpf_text

    text = chunk_dpf_text((folder / "dock.dpf").read_text(encoding="utf-8"), 1, (12345, 67890))
    text = re.sub(r"^ga_num_evals\s+\d+", "ga_num_evals 2500", text, flags=re.MULTILINE)
    (folder / "startup.dpf").write_text(text, encoding="utf-8")
    subprocess.run(["autodock4", "-p", "startup.dpf", "-l", "startup.dlg"], cwd=folder, check=True,
                   capture_output=True, timeout=600)
    return cpu_seconds(folder / "startup.dlg")


@dataclass
class StageRun:
    """One measured stage run: the executor's jobs with their measured CPU (s)."""

    label: str
    workers: int
    tasks: list[Task]
    system: dict[str, str]       # job key -> system
    cpu: dict[str, float]        # job key -> measured CPU (grids + autodock)
    grid_cpu: dict[str, float]   # job key -> its autogrid4 part
    dlgs: dict[str, list[tuple[int, float]]]  # job key -> (LGA runs, CPU s) of each autodock4 log
    chunks: dict[str, int]       # system -> autodock4 processes
    wall: float

    def scaled(self, scale: float, fixed: dict[str, float]) -> dict[str, float]:
        """Durations at ``scale`` × the budget: grids and each autodock4 start-up (``fixed``, per
        system) as measured, the rest linear in evaluations."""
        out = {}
        for key in self.cpu:
            f = fixed.get(self.system[key], 0.0)
            out[key] = self.grid_cpu[key] + sum(f + (cpu - f) * scale for _, cpu in self.dlgs[key])
        return out


def measure(run: Path, label: str, workers: int, wall: float, ga_runs: int = 20) -> StageRun:
    table = list(csv.DictReader((run / "docking" / "schedule.tsv").open(encoding="utf-8"), delimiter="\t"))
    tasks: list[Task] = []
    system: dict[str, str] = {}
    cpu: dict[str, float] = {}
    grid: dict[str, float] = {}
    dlgs: dict[str, list[tuple[int, float]]] = {}
    chunks: dict[str, int] = {}
    for row in table:
        key = row["job"]
        tasks.append(Task(key, float(row["cost"]), tuple(a for a in row["after"].split(",") if a)))
        system[key] = row["system"]
        logs = [run / p for p in row["logs"].split(",") if p]
        cpu[key] = sum(cpu_seconds(p) for p in logs)
        grid[key] = sum(cpu_seconds(p) for p in logs if p.suffix == ".glg")
        dlgs[key] = [(int(row["runs"]) or ga_runs, cpu_seconds(p)) for p in logs if p.suffix == ".dlg"]
        if dlgs[key]:
            chunks[row["system"]] = chunks.get(row["system"], 0) + 1
    return StageRun(label, workers, tasks, system, cpu, grid, dlgs, chunks, wall)


def fit_startup(runs: list[StageRun]) -> dict[str, tuple[float, float]]:
    """Per system, least squares over every autodock4 log of every run: CPU = start-up + runs × per-run.

    Returns system -> (start-up s, per-run s). The split runs give logs of 1 … 20 runs of the
    same system, so the intercept is measured at the benchmark's own budget (scaling multiplies
    any error in it by paper / measured evaluations).
    """
    points: dict[str, list[tuple[int, float]]] = {}
    for stage in runs:
        for key, logs in stage.dlgs.items():
            points.setdefault(stage.system[key], []).extend(logs)
    out = {}
    for name, pts in points.items():
        xs, ys = [x for x, _ in pts], [y for _, y in pts]
        n, mx, my = len(xs), sum(xs) / len(xs), sum(ys) / len(ys)
        sxx = sum((x - mx) ** 2 for x in xs)
        slope = sum((x - mx) * (y - my) for x, y in pts) / sxx if sxx else my / mx
        out[name] = (my - slope * mx if n > 1 and sxx else 0.0, slope)
    return out


def estimate_check(stage: StageRun) -> None:
    """How well the cost estimates (which order the jobs and size the chunks) track the measured CPU:
    estimate units per CPU second, for grids and per system's chunks (equal numbers = well calibrated)."""
    grids = [(t.cost, stage.cpu[t.key]) for t in stage.tasks if t.key.endswith(":autogrid4")]
    by_system: dict[str, list[tuple[float, float]]] = {}
    for t in stage.tasks:
        if "#chunk" in t.key:
            by_system.setdefault(t.key.split("#")[0], []).append((t.cost, stage.cpu[t.key]))
    parts = [f"grids {sum(c for c, _ in grids) / sum(m for _, m in grids):.3g}"] if grids else []
    parts += [f"{k} chunks {sum(c for c, _ in v) / sum(m for _, m in v):.3g}" for k, v in by_system.items()]
    print(f"   estimate units per measured CPU second ({stage.label}): " + ", ".join(parts), flush=True)


def schedule_line(stage: StageRun, workers: int, scale: float, unsplit_cpu: float, fixed: dict[str, float]) -> str:
    durations = stage.scaled(scale, fixed)
    total = sum(durations.values())
    plan = simulate(stage.tasks, durations, workers)
    grids = sum(stage.grid_cpu.values())  # grids are not scaled
    # the critical path through a grid: grid + its system's longest chunk
    chains = [durations[t.after[0]] + durations[t.key] for t in stage.tasks if t.after]
    chain = max(chains, default=max(durations.values()))
    return (f"   {stage.label:<34} on {workers} workers: makespan {plan.makespan:8.1f} s, CPU/workers "
            f"{total / workers:8.1f} s, ratio {plan.makespan / (total / workers):.3f} (target <= 1.10); "
            f"vs unsplit CPU/workers {plan.makespan / (unsplit_cpu / workers):.3f}; grids {100 * grids / total:.1f} % "
            f"of CPU, longest grid+chunk chain {chain:.1f} s = {100 * chain / plan.makespan:.1f} % of the makespan")


def spread(evals: int, seeds: list[tuple[int, int]], folder: Path) -> None:
    from netpharm.docking.pose.dlg import parse_dlg
    from netpharm.docking.run.chunks import chunk_dpf_text, merge_chunk_dlgs, plan_chunks, write_chunk_dpfs

    run = folder / "prep"
    run_stage(run, evals, 1, 2, systems_only=True)  # prepares MOR/DOR/KOR; MOR's folder is reused below
    wd = run / "docking" / "MOR"
    base = (wd / "dock.dpf").read_text(encoding="utf-8")
    rows = []
    for a, b in seeds:
        name = f"unsplit_{a}_{b}"
        (wd / f"{name}.dpf").write_text(chunk_dpf_text(base, 20, (a, b)), encoding="utf-8")
        subprocess.run(["autodock4", "-p", f"{name}.dpf", "-l", f"{name}.dlg"], cwd=wd, check=True,
                       capture_output=True, timeout=7200)
        log = parse_dlg(wd / f"{name}.dlg")
        rows.append(("unsplit", (a, b), log.best.energy, log.clusters[0].size, len(log.clusters)))
        plans = plan_chunks(20, 4, (a, b), stem=f"split_{a}_{b}")
        write_chunk_dpfs(wd, "dock.dpf", plans)
        procs = [subprocess.Popen(["autodock4", "-p", p.dpf, "-l", p.dlg], cwd=wd) for p in plans[:2]]
        for p in procs:
            p.wait()
        procs = [subprocess.Popen(["autodock4", "-p", p.dpf, "-l", p.dlg], cwd=wd) for p in plans[2:]]
        for p in procs:
            p.wait()
        merged = merge_chunk_dlgs(wd, plans, out_name=f"merged_{a}_{b}.txt")
        rows.append(("split 4x5", (a, b), merged.best.energy, merged.clusters[0].size, len(merged.clusters)))
    unsplit = [r for r in rows if r[0] == "unsplit"]
    lo_e, hi_e = min(r[2] for r in unsplit), max(r[2] for r in unsplit)
    lo_n, hi_n = min(r[3] for r in unsplit), max(r[3] for r in unsplit)
    print(f"== spread: morphine -> MOR (8EF6), 20 runs x {evals:,} evaluations")
    for kind, seed, best, top, n in rows:
        inside = "" if kind == "unsplit" else ("  within spread" if lo_e <= best <= hi_e and lo_n <= top <= hi_n
                                               else "  OUTSIDE spread")
        print(f"   {kind:<10} seed {seed[0]:>6} {seed[1]:>10}: best {best:6.2f} kcal/mol, top cluster {top:2d}/20, "
              f"{n} clusters{inside}")
    print(f"   unsplit spread: best {lo_e:.2f} .. {hi_e:.2f}, top cluster {lo_n} .. {hi_n}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--evals", type=int, default=250_000, help="ga_num_evals (the paper: 2,500,000)")
    parser.add_argument("--seeds", default="28641:1106107140,12345:67890,2024:4202,777:999",
                        help="seed pairs a:b for the spread")
    parser.add_argument("--no-spread", action="store_true")
    parser.add_argument("--no-stage", action="store_true")
    parser.add_argument("--keep", type=Path, help="keep the run folders here (default: a temporary folder)")
    args = parser.parse_args()
    if shutil.which("autodock4") is None or shutil.which("autogrid4") is None:
        raise SystemExit("autodock4/autogrid4 not installed (make system-deps)")
    seeds = [tuple(int(x) for x in s.split(":")) for s in args.seeds.split(",")]
    print(f"{os.cpu_count()} cores; load average at start {os.getloadavg()[0]:.2f}\n", flush=True)
    with tempfile.TemporaryDirectory(prefix="netpharm-dock-") as tmp:
        folder = args.keep or Path(tmp)
        if not args.no_spread:
            spread(args.evals, seeds, folder)  # type: ignore[arg-type]
        if args.no_stage:
            return
        runs: list[StageRun] = []
        fixed: dict[str, float] = {}
        # the three settings, explicit: the main job's unsplit default, and "auto" for 2 and 8 workers
        for label, chunks, plan_workers in (("run_chunks=1 (unsplit)", 1, 2),
                                            ('run_chunks="auto" for 2 workers', "auto", 2),
                                            ('run_chunks="auto" for 8 workers', "auto", 8)):
            run = folder / f"stage_{len(runs)}"
            workers = 2
            wall = run_stage(run, args.evals, chunks, workers, plan_workers=plan_workers, plan_evals=PAPER_EVALS)
            if not fixed:
                for system in {p.parent for p in (run / "docking").rglob("dock.dpf")}:
                    fixed[system.name] = startup_cpu(system)
                print("== autodock4 start-up CPU per system (1 run x 2,500 evals): "
                      + ", ".join(f"{k} {v:.2f} s" for k, v in sorted(fixed.items())), flush=True)
            stage = measure(run, label, workers, wall)
            runs.append(stage)
            if stage.chunks and max(stage.chunks.values()) > 1:
                estimate_check(stage)
            cpu = sum(stage.cpu.values())
            print(f"== docking stage, {label}, 20 runs x {args.evals:,}: wall {wall:.1f} s; AutoDock CPU "
                  f"{cpu:.1f} s; wall / (CPU / {workers}) = {wall / (cpu / workers):.2f}; load "
                  f"{os.getloadavg()[0]:.2f}; autodock4 processes per system: "
                  + ", ".join(f"{k} {v}" for k, v in stage.chunks.items()), flush=True)
        fits = fit_startup(runs)
        print("== autodock4 CPU = start-up + runs x per-run, fitted per system over every log above "
              "(start-up cross-check: a 1-run, 2,500-evaluation DPF): "
              + "; ".join(f"{k} {f:.2f} s + runs x {r:.3f} s ({fixed.get(k, float('nan')):.2f} s)"
                          for k, (f, r) in sorted(fits.items())), flush=True)
        startup = {k: max(f, 0.0) for k, (f, _) in fits.items()}
        print("== schedules: each run's schedule.tsv replayed by netpharm.docking.run.schedule.simulate "
              "(the executor's dispatcher) with the measured CPU times")
        for title, scale in ((f"measured budget {args.evals:,}", 1.0),
                             (f"scaled to the paper's {PAPER_EVALS:,}", PAPER_EVALS / args.evals)):
            print(f"  {title}:")
            unsplit = sum(runs[0].scaled(scale, startup).values())
            for stage, workers in ((runs[0], 2), (runs[1], 2), (runs[0], 8), (runs[2], 8)):
                print(schedule_line(stage, workers, scale, unsplit, startup))
            for stage in runs[1:]:
                extra = sum(stage.scaled(scale, startup).values()) / unsplit - 1
                print(f"   split overhead ({stage.label}): CPU {100 * extra:+.1f} % against the unsplit run")
    print(f"\nload average at end {os.getloadavg()[0]:.2f} (2 cores shared: wall times are noisy)")


if __name__ == "__main__":
    main()

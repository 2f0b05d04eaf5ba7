"""The docking scheduler: one policy for the executor and the benchmark's simulation, and ``run_chunks = "auto"``.

Hand-made task lists with hand-checked schedules (no data involved); the executor tests run
real worker threads/processes with a test-double job function that records the start order.
"""

from __future__ import annotations

import math
import time
from pathlib import Path

import pytest

from netpharm.docking.run.executor import DockingJob, JobResult, run_jobs
from netpharm.docking.run.schedule import Dispatcher, Task, auto_chunks, simulate


def test_simulation_is_lpt_without_dependencies() -> None:
    # Graham's classic LPT example: 2 workers, jobs 3,3,2,2,2 -> LPT 7 (optimum 6); in input order 2,2,2,3,3 -> 7
    tasks = [Task(k, c) for k, c in (("a", 2), ("b", 3), ("c", 2), ("d", 3), ("e", 2))]
    schedule = simulate(tasks, {t.key: t.cost for t in tasks}, workers=2)
    assert schedule.makespan == 7.0
    assert {k: s[0] for k, s in schedule.slots.items()} == {"b": 0.0, "d": 0.0, "a": 3.0, "c": 3.0, "e": 5.0}
    assert schedule.busy() == 12.0


def test_grid_first_then_chunks_by_bottom_level() -> None:
    # two systems: S (grid 1, chunks 4+4), T (grid 2, chunk 3), and a Vina job V of 5; 2 workers.
    tasks = [Task("V", 5), Task("S:grid", 1), Task("S1", 4, ("S:grid",)), Task("S2", 4, ("S:grid",)),
             Task("T:grid", 2), Task("T1", 3, ("T:grid",))]
    d = Dispatcher(tasks)
    assert d.level == {"V": 5, "S:grid": 5, "S1": 4, "S2": 4, "T:grid": 5, "T1": 3}
    # bottom levels tie at 5: submission order V, S:grid, T:grid
    schedule = simulate(tasks, {t.key: t.cost for t in tasks}, workers=2)
    # t=0 V (w0), S:grid (w1); t=1 S1 ready (level 4) vs T:grid (5) -> T:grid on w1 until 3;
    # t=3 S1 (w1) and T1 ready -> S1 first; t=5 V ends -> S2 (w0) ; t=7 S1 ends -> T1 (w1) until 10; S2 ends 9
    starts = {k: s[0] for k, s in schedule.slots.items()}
    assert starts == {"V": 0, "S:grid": 0, "T:grid": 1, "S1": 3, "S2": 5, "T1": 7}
    assert schedule.makespan == 10.0
    # Graham's bound with the real durations: W/m + (1 - 1/m) * longest chain (T: 2 + 3 = 5; S: 1 + 4)
    assert schedule.makespan <= 19 / 2 + 0.5 * 5


def test_failed_prerequisite_loses_its_dependents_only() -> None:
    d = Dispatcher([Task("g", 1), Task("c1", 2, ("g",)), Task("c2", 2, ("g",)), Task("x", 1)])
    assert d.pop() == "g"
    assert sorted(d.finish("g", ok=False)) == ["c1", "c2"]
    assert d.pop() == "x" and not d.has_ready()
    with pytest.raises(ValueError, match="cycle"):
        Dispatcher([Task("a", 1, ("b",)), Task("b", 1, ("a",))])
    with pytest.raises(ValueError, match="unknown"):
        Dispatcher([Task("a", 1, ("zz",))])


def test_auto_chunks_rule() -> None:
    # 5 systems of cost 100 (grids excluded), 20 runs each, total 520 (grids 4 each)
    # 2 workers: target 0.1 * 520 / 2 = 26 -> 5 runs/chunk (cost 25) -> 4 chunks
    assert auto_chunks([100.0] * 5, 20, 520.0, 2) == [4] * 5
    # 8 workers: target 6.5 -> 1 run/chunk (cost 5) -> 20 chunks, never fewer than one run per chunk
    assert auto_chunks([100.0] * 5, 20, 520.0, 8) == [20] * 5
    # one worker, or a cheap system beside a costly one: not split
    assert auto_chunks([100.0, 1.0], 20, 101.0, 1) == [1, 1]
    assert auto_chunks([1000.0, 1.0], 20, 1001.0, 2) == [20, 1]
    # uneven: 20 runs, 3 runs per chunk -> 7 chunks (plan_chunks: 3,3,3,3,3,3,2)
    assert auto_chunks([200.0], 20, 400.0, 1 + 1) == [math.ceil(20 / 2)]  # target 20 -> 2 runs/chunk
    assert auto_chunks([100.0], 20, 300.0, 1 + 1) == [7]  # target 15 -> 3 runs/chunk (cost 15)


def test_auto_chunks_meet_the_bound_on_the_main_job_shape() -> None:
    # the offline main job's shape (relative per-run costs measured at 250k: MOR/DOR/KOR ~1, JDTic ~2.5,
    # BU72 ~1.6; grids ~ 2 % of a system): with the automatic chunks the simulated makespan is within
    # 1.1 x total / workers at 2 and 8 workers
    per_run = {"MOR": 1.0, "DOR": 1.0, "KOR": 1.1, "JDTic": 2.5, "BU72": 1.6}
    for workers in (2, 8):
        total = sum(20 * c * 1.02 for c in per_run.values())
        counts = auto_chunks([20 * c for c in per_run.values()], 20, total, workers)
        tasks, durations = [], {}
        for (name, c), n in zip(per_run.items(), counts, strict=True):
            tasks.append(Task(f"{name}:grid", 0.4 * c))
            sizes = [20 // n + (1 if i < 20 % n else 0) for i in range(n)]
            tasks += [Task(f"{name}#{i}", c * s, (f"{name}:grid",)) for i, s in enumerate(sizes)]
        durations = {t.key: t.cost for t in tasks}
        span = simulate(tasks, durations, workers).makespan
        assert span <= 1.1 * sum(durations.values()) / workers, (workers, counts, span)


def _record(job: DockingJob) -> JobResult:  # module-level: runs in the worker
    time.sleep(0.05)
    with open(Path(job.workdir) / "order.txt", "a") as fh:
        fh.write(job.name + "\n")
    if job.name == "bad":
        return JobResult(job.name, "failed", error="system bad: autogrid4 failed")
    return JobResult(job.name, "done", started=time.time())


def test_executor_runs_the_dispatchers_order_and_waits_for_prerequisites(tmp_path: Path) -> None:
    def job(name: str, cost: float, after: tuple[str, ...] = ()) -> DockingJob:
        return DockingJob(name, str(tmp_path), "vina", "r", "l", vina_config="v", cost=cost, after=after)

    jobs = [job("short", 1), job("grid", 0.5), job("chunk1", 3, ("grid:vina",)), job("chunk2", 3, ("grid:vina",)),
            job("long", 3.2), job("bad", 9), job("lost", 1, ("bad:vina",))]
    seen: list[tuple[str, str]] = []
    results = run_jobs(jobs, workers=1, fn=_record, on_result=lambda j, r: seen.append((j.name, r.status)))
    # one worker: the same order as the simulation with the same estimates
    simulated = simulate([Task(j.key, j.cost, j.after) for j in jobs if j.name != "lost"],
                         {j.key: j.cost for j in jobs}, 1)
    expected = [k.split(":")[0] for k, _ in sorted(simulated.slots.items(), key=lambda kv: kv[1][0])]
    assert (tmp_path / "order.txt").read_text().split() == expected == \
        ["bad", "grid", "long", "chunk1", "chunk2", "short"]  # grid: 0.5 + 3 > 3.2
    assert [r.name for r in results] == [j.name for j in jobs]  # results in input order
    lost = results[-1]
    assert lost.status == "failed" and "not run: bad:vina failed" in lost.error
    assert ("lost", "failed") in seen and len(seen) == len(jobs)


def test_executor_with_processes_respects_prerequisites(tmp_path: Path) -> None:
    jobs = [DockingJob("grid", str(tmp_path), "vina", "r", "l", vina_config="v", cost=0.1)]
    jobs += [DockingJob(f"c{i}", str(tmp_path), "vina", "r", "l", vina_config="v", cost=5.0, after=("grid:vina",))
             for i in range(3)]
    results = run_jobs(jobs, workers=2, fn=_record)
    assert all(r.status == "done" for r in results)
    assert (tmp_path / "order.txt").read_text().split()[0] == "grid"

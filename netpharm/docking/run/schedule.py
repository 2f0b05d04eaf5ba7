"""Which docking job runs next, how many chunks a system's runs are cut into, and a schedule simulation.

One policy, used twice: :func:`netpharm.docking.run.executor.run_jobs` asks a :class:`Dispatcher`
for the next job each time a worker is free, and :func:`simulate` drives the same
:class:`Dispatcher` with measured durations, so the benchmark's makespan is the executor's
(``benchmarks/docking_split.py``).

The policy is list scheduling with precedence (Graham 1966): a job is *ready* when every
job it depends on (``after``: a chunked system's chunks depend on its autogrid4 maps) has
finished; a free worker takes the ready job with the highest *bottom level* — its estimated
cost plus the costliest chain of jobs that wait for it (the HLFET rule, Adam, Chandy &
Dickson 1974; without dependencies it is Graham's longest-processing-time-first). Ties keep
the submission order. Graham's bound holds for any such list schedule with the real
durations: makespan ≤ W/m + (1 − 1/m)·L, W the total work, m the workers, L the longest
chain (grid + its longest chunk). :func:`auto_chunks` chooses the chunk size from that
bound.

Written by hand (no scheduling library): the rule is a dozen lines, and the executor and
the simulation must share exactly this code.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

__all__ = ["Task", "Dispatcher", "Schedule", "simulate", "auto_chunks", "AUTO_SLACK"]

#: target of the automatic chunk count: the longest chunk at most this share of total / workers,
#: so Graham's bound gives makespan <= (1 + AUTO_SLACK) x total / workers
AUTO_SLACK = 0.1


@dataclass(frozen=True)
class Task:
    """A job as the scheduler sees it: ``key``, estimated ``cost`` and the keys it waits for."""

    key: str
    cost: float
    after: tuple[str, ...] = ()


class Dispatcher:
    """Ready jobs by bottom level; :meth:`pop` the next one, :meth:`finish` a finished one.

    Parameters
    ----------
    tasks : sequence of Task
        Unique keys; ``after`` may name only keys of ``tasks``.

    Raises
    ------
    ValueError
        A repeated key, an unknown prerequisite or a cycle.
    """

    def __init__(self, tasks: Sequence[Task]) -> None:
        self.tasks = {t.key: t for t in tasks}
        if len(self.tasks) != len(tasks):
            raise ValueError("task keys must be unique")
        self.order = {t.key: i for i, t in enumerate(tasks)}
        self.waiting_for: dict[str, set[str]] = {}
        self.dependents: dict[str, list[str]] = {t.key: [] for t in tasks}
        for t in tasks:
            unknown = [a for a in t.after if a not in self.tasks]
            if unknown:
                raise ValueError(f"task {t.key} waits for unknown task(s) {unknown}")
            self.waiting_for[t.key] = set(t.after)
            for a in t.after:
                self.dependents[a].append(t.key)
        self.level = self._bottom_levels()
        self._ready: list[tuple[float, int, str]] = []
        for t in tasks:
            if not t.after:
                self._push(t.key)

    def _bottom_levels(self) -> dict[str, float]:
        level: dict[str, float] = {}
        state: dict[str, int] = {}

        def visit(key: str) -> float:  # iterative depth would be overkill: chains are 2 long here
            if state.get(key) == 1:
                raise ValueError(f"docking jobs depend on each other in a cycle through {key}")
            if key not in level:
                state[key] = 1
                level[key] = self.tasks[key].cost + max((visit(d) for d in self.dependents[key]), default=0.0)
                state[key] = 2
            return level[key]

        for key in self.tasks:
            visit(key)
        return level

    def _push(self, key: str) -> None:
        heapq.heappush(self._ready, (-self.level[key], self.order[key], key))

    def has_ready(self) -> bool:
        """Whether a job can start now."""
        return bool(self._ready)

    def pop(self) -> str:
        """The ready job to start next (highest bottom level, then submission order)."""
        return heapq.heappop(self._ready)[2]

    def requeue(self, key: str) -> None:
        """Put a started job back (its worker died and it will be tried again)."""
        self._push(key)

    def finish(self, key: str, ok: bool = True) -> list[str]:
        """Mark ``key`` finished; returns the jobs that can never run because it failed
        (all its transitive dependents), and makes the now-ready ones available."""
        if not ok:
            lost, todo = [], list(self.dependents[key])
            while todo:
                dep = todo.pop()
                if dep not in lost:
                    lost.append(dep)
                    todo += self.dependents[dep]
            for dep in lost:
                self.waiting_for[dep] = {"<failed>"}
            return lost
        for dep in self.dependents[key]:
            self.waiting_for[dep].discard(key)
            if not self.waiting_for[dep]:
                self._push(dep)
        return []


@dataclass(frozen=True)
class Schedule:
    """A simulated run: ``makespan`` (s), and per job ``(start, end, worker)``."""

    makespan: float
    slots: dict[str, tuple[float, float, int]]

    def busy(self) -> float:
        """Sum of the jobs' durations (s)."""
        return sum(end - start for start, end, _ in self.slots.values())


def simulate(tasks: Sequence[Task], durations: Mapping[str, float], workers: int) -> Schedule:
    """The makespan of :class:`Dispatcher`'s policy with ``workers`` workers and measured ``durations``.

    Each time a worker is free it takes :meth:`Dispatcher.pop`, exactly as
    :func:`netpharm.docking.run.executor.run_jobs` does; ordering uses the tasks' cost
    estimates, time uses ``durations`` (the jobs' measured CPU seconds).
    """
    if workers < 1:
        raise ValueError(f"workers must be >= 1, got {workers}")
    dispatcher = Dispatcher(tasks)
    running: list[tuple[float, int, str]] = []  # (end, worker, key)
    idle = list(range(workers))
    slots: dict[str, tuple[float, float, int]] = {}
    now = 0.0
    while True:
        while idle and dispatcher.has_ready():
            key, worker = dispatcher.pop(), idle.pop(0)
            slots[key] = (now, now + durations[key], worker)
            heapq.heappush(running, (now + durations[key], worker, key))
        if not running:
            break
        now, worker, key = heapq.heappop(running)
        idle.append(worker)
        idle.sort()
        dispatcher.finish(key)
    if len(slots) != len(tasks):
        raise ValueError("some tasks never became ready")  # pragma: no cover - Dispatcher refuses cycles
    return Schedule(max((end for _, end, _ in slots.values()), default=0.0), slots)


def auto_chunks(dock_costs: Iterable[float], runs: int, total_cost: float, workers: int,
                slack: float = AUTO_SLACK) -> list[int]:
    """Chunks per system for ``run_chunks = "auto"``: the fewest that keep every chunk at most
    ``slack`` × total / workers.

    Parameters
    ----------
    dock_costs : iterable of float
        Each chunked system's estimated autodock4 cost (its grid excluded).
    runs : int
        ``ga_run`` of every system (a chunk holds at least one LGA run).
    total_cost : float
        Estimated cost of every job of the stage (grids, chunks, unchunked and Vina jobs).
    workers : int
        Workers the jobs share.

    Returns
    -------
    list of int
        Per system: ``ceil(runs / r)`` chunks of at most ``r`` runs, ``r`` the largest
        number of runs whose cost is ≤ ``slack · total / workers`` (at least 1, so at most
        ``runs`` chunks). One worker: 1 (no chunks; nothing would run beside it).

    Notes
    -----
    With the longest chunk p ≤ slack·W/m, Graham's bound gives a makespan ≤ W/m +
    (1 − 1/m)·(grid + p); the margin (1 − 1/m) absorbs part of the estimates' error
    and the grid (a few percent of a system's cost).
    """
    costs = list(dock_costs)
    if workers <= 1 or total_cost <= 0:
        return [1] * len(costs)
    target = slack * total_cost / workers
    out = []
    for cost in costs:
        per_run = cost / runs if runs else 0.0
        per_chunk = runs if per_run <= 0 else max(1, min(runs, math.floor(target / per_run)))
        out.append(math.ceil(runs / per_chunk))
    return out

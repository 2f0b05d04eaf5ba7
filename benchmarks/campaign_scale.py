"""Campaign at screening scale: N real compounds × 2 receptors at a tiny budget, netpharm against a bare loop.

Inputs: the first N compounds of ``benchmarks/data/nci_druglike_200.smi`` (real NCI compounds from RDKit's own
test data, drug-like selection: benchmarks/data/README.md) docked into KOR (6B73 file) and MOR (8EFO file),
tests/data/structures, box on Asp3.32 — AutoDock 4 at 1 LGA run × 25,000 evaluations (or Vina at
exhaustiveness 1 with ``--engine vina``).

For each size (N/4 and N: the growth) it runs, in this process:

1. ``netpharm dock`` with 1 worker, then with 2 workers (in-process, so ``getrusage`` splits the CPU into the
   campaign's own process — the parent — and its workers and programs);
2. the bare programs over the very inputs netpharm wrote: one ``autogrid4`` per receptor map set and one
   ``autodock4`` per ligand (or one ``vina --config`` per ligand), in a ``sh`` loop, serially.

Printed: the docking stage's overhead over the bare loop at 1 worker (target ≤ 5 %) and per job (s), the speed-up
at 2 workers (target ≥ 1.8×), the parent's share of the CPU, the docking folder's size on disk, the report's size
and the time headless Chromium takes to load it (the DevTools harness of tests/test_report_browser.py), their
growth from N/4 to N, and the time of a filtered top-100 ``netpharm results`` query on a SYNTHETIC 100,000-pose database with and without its
indexes. The machine may be shared: the load average is printed next to every timing, the CPU-time overhead
next to the wall-time one, and a control (6 CPU-seconds of pure Python on 1 then 2 processes) says what speed-up
2 workers can get at that moment; nothing is asserted.

Usage: ``.venv/bin/python benchmarks/campaign_scale.py [--ligands 200] [--engine autodock4|vina] [--skip-browser]``
"""

from __future__ import annotations

import argparse
import contextlib
import io
import logging
import os
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))

from netpharm.cli.main import main as netpharm_main  # noqa: E402
from netpharm.docking.results_filter import PoseFilter, filter_poses  # noqa: E402

SMILES = REPO / "benchmarks" / "data" / "nci_druglike_200.smi"
STRUCT = REPO / "tests" / "data" / "structures"
RECEPTORS = (STRUCT / "KOR_6B73_human_receptor_processed.pdb", STRUCT / "MOR_8EFO_human_receptor_processed.pdb")
TARGETS = {"overhead_pct": 5.0, "two_workers": 1.8}


def load() -> str:
    return "load %.1f/%.1f/%.1f" % os.getloadavg()


def ligands(n: int) -> list[str]:
    lines = [ln.split() for ln in SMILES.read_text().splitlines() if ln.strip()]
    if n > len(lines):
        raise SystemExit(f"--ligands {n}: only {len(lines)} compounds in {SMILES}")
    return [f"{smiles} {name}" for smiles, name in lines[:n]]


def run_netpharm(out: Path, n: int, workers: int, engine: str, cache: Path) -> dict[str, Any]:
    """``netpharm dock`` in this process; wall time, CPU of this process and of its children."""
    args = ["-q", "dock", "--engine", engine, "--workers", str(workers), "--runs", "1", "--evals", "25000",
            "--exhaustiveness", "1", "--box-residues", "D3.32", "--box-padding", "5", "--offline",
            "--cache", str(cache), "--out", str(out), "--force", "--name", f"scale{n}"]
    for receptor in RECEPTORS:
        args += ["--receptor", str(receptor)]
    for spec in ligands(n):
        args += ["--ligand", spec]
    self0, kids0 = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()):  # the run's summary lines
        code = netpharm_main(args)
    wall = time.perf_counter() - start
    self1, kids1 = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    parent = (self1.ru_utime + self1.ru_stime) - (self0.ru_utime + self0.ru_stime)
    children = (kids1.ru_utime + kids1.ru_stime) - (kids0.ru_utime + kids0.ru_stime)
    report = out / "report" / "report.html"
    before = resource.getrusage(resource.RUSAGE_SELF)
    start = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()):
        netpharm_main(["-q", "report", str(out)])
    report_s = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_SELF)
    report_cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    db = sqlite3.connect(out / "docking" / "results.sqlite")
    done = db.execute("SELECT count(*) FROM jobs WHERE status = 'done'").fetchone()[0]
    total = db.execute("SELECT count(*) FROM jobs").fetchone()[0]
    db.close()
    return {"code": code, "wall": wall, "docking_wall": wall - report_s, "report_s": report_s, "report_cpu": report_cpu, "parent_cpu": parent,
            "children_cpu": children, "report": report, "report_mb": report.stat().st_size / 1e6 if report.is_file()
            else float("nan"), "done": done, "jobs": total, "load": load(), "disk_mb": disk_mb(out / "docking")}


def disk_mb(folder: Path) -> float:
    """MB the folder takes on disk, each file once (a hard-linked file is one file)."""
    seen: dict[tuple[int, int], int] = {}
    for path in folder.rglob("*"):
        info = path.lstat()
        if path.is_file() and not path.is_symlink():
            seen[(info.st_dev, info.st_ino)] = info.st_blocks * 512
    return sum(seen.values()) / 1e6


def bare_loop(run_dir: Path, work: Path, engine: str) -> tuple[float, float, int]:
    """The programs alone over netpharm's own inputs (copied; outputs removed): (wall s, CPU s, programs run)."""
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(run_dir / "docking", work, ignore=shutil.ignore_patterns(
        "*.dlg", "*.glg", "*.map", "*.fld", "*.xyz", "*out.pdbqt", "best_pose*", "done_*.json", "*.png", "*.svg"))
    lines = ["set -e"]
    if engine == "autodock4":
        for maps in sorted(work.glob("*/maps")):
            lines.append(f"(cd '{maps}' && autogrid4 -p receptor.gpf -l receptor.glg)")
        folders = sorted(p.parent for p in work.glob("*/*/dock.dpf"))
        lines += [f"(cd '{f}' && autodock4 -p dock.dpf -l dock.dlg)" for f in folders]
    else:
        folders = sorted(p.parent for p in work.glob("*/*/vina.txt"))
        lines += [f"(cd '{f}' && vina --config vina.txt > vina.log)" for f in folders]
    kids0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(["sh", "-c", "\n".join(lines)], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    kids1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (kids1.ru_utime + kids1.ru_stime) - (kids0.ru_utime + kids0.ru_stime), len(lines) - 1


def browser_load(report: Path) -> tuple[float, int]:
    """Seconds from navigation to the load event in headless Chromium, and the page errors seen."""
    from test_report_browser import DevTools, open_tab, page_errors

    profile = Path(tempfile.mkdtemp(prefix="netpharm-chromium-"))
    tools = DevTools(profile)
    try:
        session = open_tab(tools)
        url = report.resolve().as_uri()
        start = time.perf_counter()
        tools.call("Page.navigate", {"url": url}, session, timeout=600)
        tools.wait_for("Page.loadEventFired", timeout=600)
        seconds = time.perf_counter() - start
        tools.drain(1.0)
        return seconds, len(page_errors(tools.events, url))
    finally:
        tools.close()
        shutil.rmtree(profile, ignore_errors=True)


def busy_second(_: int) -> float:
    """One CPU-second of pure Python (module level: sent to the worker processes)."""
    start = time.process_time()
    while time.process_time() - start < 1.0:
        pass
    return time.process_time() - start


def free_cores() -> float:
    """The speed-up 2 processes get right now on 6 CPU-seconds (control for the shared machine: 2.0 = two free
    cores, 1.0 = one)."""
    from netpharm.docking.run.executor import map_in_workers

    start = time.perf_counter()
    map_in_workers(busy_second, list(range(6)), 1)
    serial = time.perf_counter() - start
    start = time.perf_counter()
    map_in_workers(busy_second, list(range(6)), 2)
    return serial / (time.perf_counter() - start)


def query_timing(root: Path) -> None:
    """A filtered top-100 on a SYNTHETIC 100,000-pose database, with its indexes and without them."""
    from helpers.synthetic_results import make_synthetic_db

    path = root / "synthetic.sqlite"
    start = time.perf_counter()
    make_synthetic_db(path, n_jobs=10_000, poses_per_job=10)
    print(f"synthetic database: 100,000 poses written in {time.perf_counter() - start:.1f} s ({load()})")
    queries = {"energy <= -10, top 100": PoseFilter(top=10, max_energy=-10.0, limit=100),
               "LE <= -0.3 + HBDonor:A:TYR129 + SMARTS phenol, top 100":
                   PoseFilter(top=10, max_le=-0.3, interactions=("HBDonor:A:TYR129",), smarts=("c[OX2H]",),
                              limit=100)}
    bare = root / "no_indexes.sqlite"
    shutil.copy(path, bare)
    db = sqlite3.connect(bare)
    for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL").fetchall():
        db.execute(f"DROP INDEX {name}")
    db.commit()
    db.close()
    for label, flt in queries.items():
        times = {}
        for which, db_path in (("indexed", path), ("no index", bare)):
            best = float("inf")
            for _ in range(3):
                start = time.perf_counter()
                rows = filter_poses(db_path, flt)
                best = min(best, time.perf_counter() - start)
            times[which] = best
        print(f"  {label}: {len(rows)} rows, {times['indexed'] * 1000:.0f} ms indexed, "
              f"{times['no index'] * 1000:.0f} ms without indexes ({times['no index'] / times['indexed']:.1f}x; "
              f"{load()})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--ligands", type=int, default=200, help="N (default 200); the small size is N/4")
    parser.add_argument("--engine", choices=["autodock4", "vina"], default="autodock4")
    parser.add_argument("--skip-browser", action="store_true", help="no Chromium timing")
    parser.add_argument("--skip-query", action="store_true", help="no 100,000-pose query timing")
    parser.add_argument("--keep", type=Path, help="keep the run folders here")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    root = Path(args.keep or tempfile.mkdtemp(prefix="netpharm-scale-"))
    root.mkdir(parents=True, exist_ok=True)
    cache = root / "cache"
    sizes = sorted({max(1, args.ligands // 4), args.ligands})
    print(f"campaign_scale: {sizes} ligands x 2 receptors, {args.engine}, tiny budget; cpus {os.cpu_count()}; "
          f"{load()}")
    rows = {}
    for n in sizes:
        one = run_netpharm(root / f"n{n}_w1", n, 1, args.engine, cache)
        bare, bare_cpu, programs = bare_loop(root / f"n{n}_w1", root / f"n{n}_bare", args.engine)
        two = run_netpharm(root / f"n{n}_w2", n, 2, args.engine, cache)
        control = free_cores()
        overhead = (one["docking_wall"] - bare) / bare * 100
        one_cpu = one["parent_cpu"] + one["children_cpu"] - one["report_cpu"]
        cpu_overhead = (one_cpu - bare_cpu) / bare_cpu * 100
        speedup = one["docking_wall"] / two["docking_wall"]
        share = two["parent_cpu"] / (two["parent_cpu"] + two["children_cpu"]) * 100
        jobs = one["jobs"]
        print(f"\nN = {n}: {jobs} jobs ({one['done']} done at 1 worker, {two['done']} at 2), {programs} bare programs")
        print(f"  bare loop             {bare:8.1f} s  wall, {bare_cpu:.1f} s CPU ({load()})")
        print(f"  netpharm, 1 worker    {one['docking_wall']:8.1f} s  docking stage (+ report {one['report_s']:.1f} s;"
              f" {one['load']})")
        print(f"  netpharm, 2 workers   {two['docking_wall']:8.1f} s  docking stage (+ report {two['report_s']:.1f} s;"
              f" {two['load']})")
        print(f"  overhead at 1 worker  {overhead:8.1f} %  wall (target <= {TARGETS['overhead_pct']:g} %)  = "
              f"{(one['docking_wall'] - bare) / max(jobs, 1):.2f} s per job")
        print(f"  CPU overhead, 1 worker{cpu_overhead:8.1f} %  ({one_cpu:.1f} s CPU vs {bare_cpu:.1f} s bare = "
              f"{(one_cpu - bare_cpu) / max(jobs, 1):.2f} s CPU per job; robust to other users' load)")
        print(f"  speed-up at 2 workers {speedup:8.2f} x  (target >= {TARGETS['two_workers']:g} x; control: 2 processes "
              f"of pure CPU get {control:.2f} x right now)")
        print(f"  parent's CPU share    {share:8.1f} %  (2 workers: {two['parent_cpu']:.1f} s of "
              f"{two['parent_cpu'] + two['children_cpu']:.1f} s; 1 worker: {one['parent_cpu']:.1f} s parent, "
              f"{one['children_cpu']:.1f} s children)")
        print(f"  report                {two['report_mb']:8.2f} MB")
        print(f"  run folder (docking/) {one['disk_mb']:8.1f} MB on disk, 1 worker ({one['disk_mb'] / max(jobs, 1):.2f} MB "
              "per job; shared grid maps included)")
        seconds = float("nan")
        if not args.skip_browser:
            seconds, errors = browser_load(two["report"])
            print(f"  Chromium load         {seconds:8.1f} s  ({errors} page errors; {load()})")
        rows[n] = {"wall": one["docking_wall"], "cpu": one_cpu, "bare": bare, "bare_cpu": bare_cpu,
                   "mb": two["report_mb"], "browser": seconds}
    if len(sizes) == 2:
        small, large = sizes
        factor = large / small
        print(f"\ngrowth {small} -> {large} ligands ({factor:.1f}x; linear = {factor:.1f}x):")
        for key, label in (("wall", "netpharm docking, 1 worker"), ("cpu", "netpharm CPU, 1 worker"),
                           ("bare", "bare loop"), ("bare_cpu", "bare loop CPU"), ("mb", "report size"),
                           ("browser", "Chromium load")):
            print(f"  {label:28s} {rows[large][key] / rows[small][key]:6.2f}x")
    if not args.skip_query:
        print()
        query_timing(root)
    if not args.keep:
        shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

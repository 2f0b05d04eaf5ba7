"""AutoDock 4.2.6 clustering re-done from DLG poses, and splitting a system's runs into chunks.

Real data: the 20-run DLGs ``tests/data/autodock/morphine_{MOR,DOR,KOR}_20x250k.dlg`` and the 4-run
``1iep_reduced.dlg`` (README there). Hand-made coordinates for the RMSD and leader-clustering rules.
A slow test runs autodock4 itself: a split run (2 chunks) against the unsplit run with the same seed.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import numpy as np
import pytest
from helpers import copy_1iep_inputs, docking_context, iep_case, require_autodock

from netpharm.docking.pose.cluster import ClusterOptions, autodock_rmsd, cluster_poses, histogram_text, pose_types
from netpharm.docking.pose.dlg import Pose, parse_dlg
from netpharm.docking.run.chunks import (
    chunk_dpf_text,
    chunk_seed,
    merge_chunk_dlgs,
    merge_logs,
    plan_chunks,
    read_plan,
    write_chunk_dpfs,
)
from netpharm.errors import DLGParseError

DATA = Path(__file__).resolve().parent / "data" / "autodock"
REAL = ["morphine_MOR_20x250k.dlg", "morphine_DOR_20x250k.dlg", "morphine_KOR_20x250k.dlg", "1iep_reduced.dlg"]
_RMSD_ROW = re.compile(r"^\s*(\d+)\s+(\d+)\s+(\d+)\s+(\S+)\s+(\S+)\s+(\S+)\s+RANKING", re.MULTILINE)


def autodock_table(path: Path) -> dict[int, float]:
    """run -> AutoDock's printed cluster RMSD, from the DLG's RMSD TABLE."""
    text = path.read_text().split("RMSD TABLE")[1].split("INFORMATION ENTROPY")[0]
    return {int(m.group(3)): float(m.group(5)) for m in _RMSD_ROW.finditer(text)}


# --- real DLGs: our clustering of AutoDock's poses = AutoDock's clustering -------------------------

@pytest.mark.parametrize("name", REAL)
def test_histogram_reproduced_from_real_dlg(name: str) -> None:
    log = parse_dlg(DATA / name)
    ours = cluster_poses(log.runs)
    assert len(ours.clusters) == len(log.clusters)
    for mine, theirs in zip(ours.clusters, log.clusters, strict=True):
        assert (mine.rank, mine.lowest_energy, mine.run, mine.size) == \
               (theirs.rank, theirs.lowest_energy, theirs.run, theirs.size)
        assert set(mine.members) == set(theirs.members)
        # AutoDock averages unrounded energies and prints the mean to 0.01; the DLG gives each
        # energy to 0.01: the two means can differ by up to 0.005 + 0.005
        assert abs(mine.mean_energy - theirs.mean_energy) <= 0.01 + 1e-9


@pytest.mark.parametrize("name", REAL)
def test_cluster_rmsd_is_autodocks_symmetry_all_atom_rmsd(name: str) -> None:
    log = parse_dlg(DATA / name)
    theirs = autodock_table(DATA / name)
    ours = {r.run: r.cluster_rmsd for r in cluster_poses(log.runs).table}
    assert set(ours) == set(theirs)
    # printed to 0.01 Å, from coordinates printed to 0.001 Å
    assert max(abs(ours[r] - theirs[r]) for r in theirs) <= 0.006


def test_other_rmsd_definitions_do_not_match_autodock() -> None:
    # KOR: the plain atom-order RMSD and the heavy-atom variant both miss AutoDock's table
    name = "morphine_KOR_20x250k.dlg"
    log = parse_dlg(DATA / name)
    theirs = autodock_table(DATA / name)
    for options in (ClusterOptions(symmetry=False), ClusterOptions(heavy_atoms_only=True)):
        ours = {r.run: r.cluster_rmsd for r in cluster_poses(log.runs, options).table}
        assert max(abs(ours[r] - theirs[r]) for r in theirs) > 0.1


def test_histogram_text_has_autodocks_rows() -> None:
    name = "morphine_MOR_20x250k.dlg"
    text = (DATA / name).read_text()
    block = text.split("CLUSTERING HISTOGRAM")[1].split("RMSD TABLE")[0]
    rows = [ln for ln in block.splitlines() if re.match(r"^\s*\d+ \|", ln)]
    ours = histogram_text(cluster_poses(parse_dlg(DATA / name).runs))
    assert [ln for ln in ours.splitlines() if re.match(r"^\s*\d+ \|", ln)] == rows
    assert "Number of distinct conformational clusters found = 5,  out of 20 runs," in ours


def test_tied_printed_energies_keep_cluster_membership() -> None:
    # MOR cluster 1 holds four runs printed at -7.00: AutoDock orders them by unrounded energy,
    # the DLG cannot; the membership is unaffected.
    log = parse_dlg(DATA / "morphine_MOR_20x250k.dlg")
    tied = [p.run for p in log.runs if p.energy == -7.00]
    assert sorted(tied) == [1, 3, 15, 20]
    assert set(tied) <= set(cluster_poses(log.runs).clusters[0].members)


# --- hand-made rules ----------------------------------------------------------------------------

def pose(run: int, energy: float, xyz: list[tuple[float, float, float]], types: list[str]) -> Pose:
    lines = tuple(f"ATOM  {i + 1:5d}  C   UNL     1    {x:8.3f}{y:8.3f}{z:8.3f}  0.00  0.00    +0.000 {t:<2}"
                  for i, ((x, y, z), t) in enumerate(zip(xyz, types)))
    return Pose(run, energy, energy, 0.0, 0.0, None, None, lines, np.array(xyz, float))


def test_rmsd_pairs_nearest_atom_of_the_same_type() -> None:
    types = ["C", "C", "OA"]
    a = np.array([[0.0, 0, 0], [1.0, 0, 0], [0, 5.0, 0]])
    swapped = a[[1, 0, 2]]  # the two C atoms exchanged: the same pose to AutoDock
    assert autodock_rmsd(swapped, a, types) == 0.0
    assert autodock_rmsd(swapped, a, types, ClusterOptions(symmetry=False)) == pytest.approx(np.sqrt(2 / 3))
    # the OA atom cannot pair with a C atom even when one is nearer
    moved = a.copy()
    moved[2] = [0.9, 0, 0]
    assert autodock_rmsd(moved, a, types) == pytest.approx(np.sqrt((0.9 ** 2 + 5.0 ** 2) / 3))


def test_rmsd_unique_pair_and_heavy_atoms() -> None:
    types = ["C", "C", "HD"]
    ref = np.array([[0.0, 0, 0], [3.0, 0, 0], [0, 0, 1.0]])
    probe = np.array([[0.1, 0, 0], [0.2, 0, 0], [0, 0, 3.0]])  # both C atoms nearest to reference atom 1
    shared = (0.01 + 0.04 + 4.0) / 3
    assert autodock_rmsd(probe, ref, types) == pytest.approx(np.sqrt(shared))
    unique = (0.01 + 2.8 ** 2 + 4.0) / 3
    assert autodock_rmsd(probe, ref, types, ClusterOptions(unique_pair=True)) == pytest.approx(np.sqrt(unique))
    assert autodock_rmsd(probe, ref, types, ClusterOptions(heavy_atoms_only=True)) == pytest.approx(
        np.sqrt((0.01 + 0.04) / 2))


def test_leader_clustering_joins_the_first_cluster_within_tolerance() -> None:
    types = ["C"]
    poses = [pose(1, -9.0, [(0.0, 0, 0)], types),   # seeds cluster 1
             pose(2, -8.0, [(3.0, 0, 0)], types),   # 3 Å away: seeds cluster 2
             pose(3, -7.0, [(1.9, 0, 0)], types),   # 1.9 Å from cluster 1, 1.1 Å from cluster 2: joins 1
             pose(4, -6.0, [(5.0, 0, 0)], types)]   # exactly 2.0 Å from cluster 2: joins (rms <= rmstol)
    clustering = cluster_poses(list(reversed(poses)))
    assert [(c.run, c.size, c.members) for c in clustering.clusters] == [(1, 2, (1, 3)), (2, 2, (2, 4))]
    assert clustering.clusters[0].mean_energy == pytest.approx(-8.0)
    with pytest.raises(ValueError, match="duplicate run"):
        cluster_poses([poses[0], poses[0]])
    with pytest.raises(ValueError, match="types differ"):
        cluster_poses([poses[0], pose(9, -1.0, [(0.0, 0, 0)], ["OA"])])


# --- splitting --------------------------------------------------------------------------------------

def test_plan_chunks_sizes_numbers_and_seeds() -> None:
    plans = plan_chunks(20, 4, (28641, 1106107140))
    assert [(p.first_run, p.runs) for p in plans] == [(1, 5), (6, 5), (11, 5), (16, 5)]
    assert plans[0].seed == (28641, 1106107140)
    assert len({p.seed for p in plans}) == 4
    assert all(2 <= a <= 2147483562 and 2 <= b <= 2147483398 for a, b in (p.seed for p in plans))  # autodock4: not 1
    assert [p.runs for p in plan_chunks(20, 3, (1, 2))] == [7, 7, 6]
    assert plan_chunks(3, 8, (1, 2))[-1].first_run == 3  # never more chunks than runs
    assert [(p.dpf, p.runs) for p in plan_chunks(20, 1, (1, 2))] == [("dock.dpf", 20)]
    assert chunk_seed((5, 6), 2) == chunk_seed((5, 6), 2) != chunk_seed((5, 7), 2)


def test_chunk_dpf_replaces_runs_and_seed_only() -> None:
    dpf = (DATA / "1iep_reduced.dpf").read_text()
    chunk = chunk_dpf_text(dpf, 2, (11, 22))
    assert "ga_run 2\n" in chunk and "seed 11 22\n" in chunk
    assert [ln for ln in chunk.splitlines() if not ln.startswith(("ga_run", "seed"))] == \
           [ln for ln in dpf.splitlines() if not ln.startswith(("ga_run", "seed"))]
    with pytest.raises(ValueError, match="ga_run"):
        chunk_dpf_text(dpf.replace("ga_run 4\n", ""), 2, (1, 2))


def test_merge_renumbers_and_reclusters_real_chunks(tmp_path: Path) -> None:
    # Two real logs of the same ligand stand in for two chunks of one split run.
    first, second = parse_dlg(DATA / "morphine_MOR_20x250k.dlg"), parse_dlg(DATA / "morphine_MOR_20x250k.dlg")
    plans = plan_chunks(40, 2, (28641, 1106107140))
    merged = merge_logs([first, second], plans)
    assert [p.run for p in merged.runs] == list(range(1, 41)) and merged.n_requested == 40
    assert merged.pose(34).energy == first.pose(14).energy  # run 14 of chunk 2 = global run 34
    assert merged.best_cluster is not None and merged.best_cluster.size == 2 * first.clusters[0].size
    assert sum(c.size for c in merged.clusters) == 40
    with pytest.raises(DLGParseError, match="planned"):
        merge_logs([first], plan_chunks(5, 1, (1, 2)))


@pytest.mark.slow
@pytest.mark.needs_autodock
def test_split_autodock_run_merges_like_the_unsplit_run(tmp_path: Path) -> None:
    """autodock4 on 1IEP (4 runs x 100k): 2 chunks of 2 runs, chunk 1 with the unsplit seed."""
    require_autodock()
    copy_1iep_inputs(tmp_path)
    subprocess.run(["autogrid4", "-p", "1iep.gpf", "-l", "1iep.glg"], cwd=tmp_path, check=True, timeout=600)
    plans = plan_chunks(4, 2, (1234, 5678), stem="split")
    write_chunk_dpfs(tmp_path, "1iep_reduced.dpf", plans)
    assert read_plan(tmp_path) == plans
    for p in plans:
        subprocess.run(["autodock4", "-p", p.dpf, "-l", p.dlg], cwd=tmp_path, check=True, timeout=600)
    merged = merge_chunk_dlgs(tmp_path, plans)
    unsplit = parse_dlg(DATA / "1iep_reduced.dlg")  # the same DPF, seeds 1234 5678, run unsplit
    # chunk 1 keeps the unsplit seed: AutoDock draws each run's seed from it in order, so runs 1-2 repeat
    for run in (1, 2):
        assert merged.pose(run).energy == unsplit.pose(run).energy
        assert np.array_equal(merged.pose(run).coords, unsplit.pose(run).coords)
    assert len(merged.runs) == 4 and sum(c.size for c in merged.clusters) == 4
    assert merged.best.energy <= unsplit.pose(1).energy
    text = (tmp_path / "merged_clusters.txt").read_text()
    assert "chunk 2: split_chunk2.dlg, runs 3-4" in text and "CLUSTERING HISTOGRAM" in text
    assert pose_types(merged.runs[0])[:3] == ["N", "C", "OA"]


@pytest.mark.slow
@pytest.mark.needs_autodock
def test_run_chunked_grid_once_chunks_in_parallel_then_merged(tmp_path: Path) -> None:
    """The stage hook: one autogrid4 job, 2 chunk jobs on 2 workers, a rerun skips everything."""
    require_autodock()
    from netpharm.docking.run.executor import DockingJob
    from netpharm.docking.run.stage_jobs import merged_log, run_chunked

    copy_1iep_inputs(tmp_path)
    job = DockingJob("1IEP", str(tmp_path), "autodock4", "1iep_receptor.pdbqt", "1iep_ligand.pdbqt",
                     gpf="1iep.gpf", dpf="1iep_reduced.dpf")
    [result] = run_chunked([job], runs=4, chunks=2, seed=(1234, 5678), workers=2)
    assert result.status == "done" and result.outputs["chunks"] == "chunks.json"
    assert sorted(p.name for p in tmp_path.glob("1iep_reduced_chunk*.dlg")) == \
           ["1iep_reduced_chunk1.dlg", "1iep_reduced_chunk2.dlg"]
    merged = merged_log(tmp_path)
    unsplit = parse_dlg(DATA / "1iep_reduced.dlg")
    assert [p.run for p in merged.runs] == [1, 2, 3, 4]
    assert merged.pose(2).energy == unsplit.pose(2).energy  # chunk 1 = the unsplit seed's first runs
    again = run_chunked([job], runs=4, chunks=2, seed=(1234, 5678), workers=2)
    assert again[0].status == "skipped" and again[0].seconds == 0.0  # grid and chunks skipped: inputs unchanged


@pytest.mark.slow
@pytest.mark.needs_autodock
def test_docking_stage_with_run_chunks_records_the_split(tmp_path: Path) -> None:
    """The docking stage with ``run_chunks = 2`` on the 1IEP redocking case (4 runs x 100k)."""
    require_autodock()
    import json

    from netpharm.docking.config import DockingConfig
    from netpharm.docking.stage import run_docking_stage

    case = iep_case()
    docking = DockingConfig(systems=(), redock=(case,), ga_runs=4, ga_num_evals=100_000, seeds=(1234, 5678),
                            run_chunks=2, workers=2)
    ctx = docking_context(tmp_path, docking, base_dir=DATA)
    outcome = run_docking_stage(ctx)
    assert outcome.status == "ok"
    folder = ctx.run_dir / "docking" / "redock" / "1IEP"
    row = json.loads((ctx.run_dir / "docking" / "systems.json").read_text())["systems"][0]
    assert row["run_chunks"] == 2 and row["n_runs"] == 4 and row["chunk_plan"] == "chunks.json"
    plan = json.loads((folder / "chunks.json").read_text())["chunks"]
    assert [c["seed"] for c in plan][0] == [1234, 5678] and [c["first_run"] for c in plan] == [1, 3]
    assert (folder / "dock_chunk1.dlg").is_file() and (folder / "dock_chunk2.dlg").is_file()
    assert not (folder / "dock.dlg").exists()
    histogram = (folder / "merged_clusters.txt").read_text()
    assert f"{row['best_energy']:10.2f} |" in histogram and row["rmsd"] is not None
    # every chunk ran with the seed its plan records (the DPF it ran and AutoDock's own echo in the DLG)
    for chunk in plan:
        seed_line = f"seed {chunk['seed'][0]} {chunk['seed'][1]}"
        assert seed_line in (folder / chunk["dpf"]).read_text().splitlines()
        assert any(ln.startswith("DPF> " + seed_line) for ln in (folder / chunk["dlg"]).read_text().splitlines())
    # the results database records the merged, re-clustered result as split, with each chunk
    import sqlite3

    with sqlite3.connect(ctx.run_dir / "docking" / "results.sqlite") as con:
        status, = con.execute("SELECT status FROM jobs WHERE id = '1IEP:autodock4'").fetchone()
        runs = [r for r, in con.execute("SELECT run FROM poses WHERE job_id = '1IEP:autodock4' ORDER BY run")]
        prov = json.loads(con.execute("SELECT provenance FROM poses WHERE job_id = '1IEP:autodock4'").fetchone()[0])
    assert status == "done" and runs == [1, 2, 3, 4]
    assert prov["file"].endswith("merged_clusters.txt") and prov["seeds"] == [1234, 5678]
    assert [c["runs"] for c in prov["split"]["chunks"]] == [[1, 2], [3, 4]]
    assert [c["seed"] for c in prov["split"]["chunks"]] == [c["seed"] for c in plan]


@pytest.mark.slow
@pytest.mark.needs_autodock
def test_auto_chunks_split_on_two_workers_and_leave_one_worker_unsplit(tmp_path: Path) -> None:
    """``run_chunks = "auto"`` on the 1IEP case (4 runs x 100k): 2 workers -> 4 one-run chunks (a lone
    system is 1/2 of total / workers per run); 1 worker -> the unsplit run, byte for byte as ``run_chunks = 1``."""
    require_autodock()
    import json

    from netpharm.docking.config import DockingConfig
    from netpharm.docking.stage import run_docking_stage

    case = iep_case()

    def stage(name: str, chunks: object, workers: int) -> Path:
        docking = DockingConfig(systems=(), redock=(case,), ga_runs=4, ga_num_evals=100_000, seeds=(1234, 5678),
                                run_chunks=chunks, workers=workers)  # type: ignore[arg-type]
        ctx = docking_context(tmp_path, docking, base_dir=DATA, run=name)
        assert run_docking_stage(ctx).status == "ok"
        return ctx.run_dir / "docking" / "redock" / "1IEP"

    split = stage("auto2", "auto", 2)
    assert [c["runs"] for c in json.loads((split / "chunks.json").read_text())["chunks"]] == [1, 1, 1, 1]
    one, plain = stage("auto1", "auto", 1), stage("plain", 1, 1)
    assert not (one / "chunks.json").exists() and (one / "dock.dlg").is_file()
    # from the DPF's seed on (before it AutoDock seeds from the pid and time), clock lines left out
    strip = lambda text: [ln for ln in text.split("DPF> seed", 1)[1].splitlines()  # noqa: E731
                          if not any(w in ln for w in ("Real=", "sec", "Date", "Time", "/", "finished at"))]
    assert strip((one / "dock.dlg").read_text()) == strip((plain / "dock.dlg").read_text())
    for name in ("best_pose.pdbqt", "dock.dpf", "receptor.gpf"):
        assert (one / name).read_bytes() == (plain / name).read_bytes()


def test_chunk_steps_wait_for_their_grid_and_share_the_cost_by_runs(tmp_path: Path) -> None:
    from netpharm.docking.run.executor import DockingJob
    from netpharm.docking.run.stage_jobs import chunk_steps, grid_key

    job = DockingJob("MOR", str(tmp_path), "autodock4", "r.pdbqt", "l.pdbqt", gpf="g.gpf", dpf="dock.dpf",
                     cost=110.0, grid_cost=10.0, ga_runs=20)
    plans = plan_chunks(20, 3, (28641, 1106107140))  # 7, 7, 6 runs
    grid, *chunks = chunk_steps(job, plans)
    assert (grid.key, grid.cost, grid.after) == ("MOR:autogrid4", 10.0, ()) == (grid_key(job), 10.0, ())
    assert [c.key for c in chunks] == [f"MOR#chunk{i}:autodock4-chunk" for i in (1, 2, 3)]
    assert [c.cost for c in chunks] == [35.0, 35.0, 30.0] and all(c.after == ("MOR:autogrid4",) for c in chunks)
    assert chunks[2].run_indices == tuple(range(15, 21)) and chunks[0].seeds == (28641, 1106107140)
    assert [c.seeds for c in chunks] == [p.seed for p in plans] and chunks[1].ga_runs == 7


def test_chunk_steps_on_shared_maps_wait_for_the_receptors_grid(tmp_path: Path) -> None:
    from netpharm.docking.run.executor import DockingJob
    from netpharm.docking.run.stage_jobs import chunk_steps

    job = DockingJob("MOR/naloxone", str(tmp_path), "autodock4", "r.pdbqt", "l.pdbqt", dpf="dock.dpf",
                     maps="maps.json", cost=100.0, ga_runs=20)  # a shared map set: no grid cost of its own
    chunks = chunk_steps(job, plan_chunks(20, 4, (28641, 1106107140)), shared="MOR/maps:autogrid4")
    assert [c.engine for c in chunks] == ["autodock4-chunk"] * 4  # no grid step
    assert all(c.after == ("MOR/maps:autogrid4",) and c.cost == 25.0 and c.maps == "maps.json" for c in chunks)

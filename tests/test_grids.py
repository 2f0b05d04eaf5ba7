"""One map set per receptor for a campaign: verified on real autogrid4/autodock4 runs, not assumed.

The claim of :mod:`netpharm.docking.prepare.grids`: maps for extra ligand atom types (the union of a
campaign's ligands) leave the maps of the types a ligand uses, and so its poses and energies,
unchanged. Checked on the 1IEP files (imatinib, the Vina team's box, seeds 1234 5678, 4 LGA
runs × 100,000 evaluations: tests/data/autodock/README.md): once with the ligand's own 6 types
(the golden ``1iep.gpf``), once with 5 more types (F, Cl, Br, SA, P: as if halogenated and
sulfur-containing ligands were in the campaign) written by :func:`write_shared_grid`, the
docking run reading the maps from ``../maps/``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import (
    AD,
    FAKE_AUTODOCK,
    FAKE_AUTOGRID,
    NALOXONE,
    NALOXONE_KEY,
    copy_1iep_inputs,
    docking_context,
    fake_bin,
    load_regenerate,
    opioid_systems,
    require_autodock,
)

from netpharm.docking.pose.dlg import parse_dlg
from netpharm.docking.prepare.autodock_files import dpf_text, pdbqt_atom_types, pdbqt_center
from netpharm.docking.prepare.grids import grid_job, union_types, write_maps_record, write_shared_grid
from netpharm.docking.run.runner import run_autodock, run_autogrid

EXTRA = ["F", "Cl", "Br", "SA", "P"]


def test_union_types_keep_first_appearance_order() -> None:
    imatinib = (AD / "1iep_ligand.pdbqt").read_text()
    pzm21_free = "ATOM      1  F   LIG     1       0.000   0.000   0.000  0.00  0.00    -0.200 F \n"
    assert union_types([imatinib, pzm21_free, imatinib]) == pdbqt_atom_types(imatinib) + ["F"]


@pytest.mark.needs_autodock
def test_shared_maps_give_the_same_poses_and_energies(tmp_path: Path) -> None:
    require_autodock()
    regen = load_regenerate()
    receptor = (AD / "1iep_receptor.pdbqt").read_text()
    ligand = (AD / "1iep_ligand.pdbqt").read_text()
    types = pdbqt_atom_types(ligand)
    # per job: the golden GPF/DPF of the ligand's own types
    own = tmp_path / "own"
    own.mkdir()
    copy_1iep_inputs(own)
    run_autogrid(own / "1iep.gpf", own)
    run_autodock(own / "1iep_reduced.dpf", own)
    # shared: 11 types in docking/<system>/maps, the job in docking/<system>/<ligand> reading ../maps
    grid = write_shared_grid(tmp_path / "ABL" / "maps", "ABL", receptor, types + EXTRA, regen.HandMadeBox())
    assert grid.ligand_types == tuple(types + EXTRA)
    first = grid_job(grid.job(600.0))
    assert first.status == "done", first.error
    job = tmp_path / "ABL" / "imatinib"
    job.mkdir()
    (job / "1iep_ligand.pdbqt").write_text(ligand)
    (job / "dock.dpf").write_text(dpf_text("1iep_ligand.pdbqt", types, "../maps/receptor", pdbqt_center(ligand),
                                           regen.REDUCED, regen.SEED, rmsref="1iep_ligand.pdbqt"))
    run_autodock(job / "dock.dpf", job)

    # the maps of the ligand's types, e and d: the same numbers at every grid point (headers name the files)
    maps = tmp_path / "ABL" / "maps"
    for t in [*types, "e", "d"]:
        a = (own / f"1iep_receptor.{t}.map").read_text().splitlines()
        b = (maps / f"receptor.{t}.map").read_text().splitlines()
        assert a[:6] != b[:6] and a[6:] == b[6:] and len(a) == 6 + 53 ** 3, t
    assert all((maps / f"receptor.{t}.map").is_file() for t in EXTRA)
    # the docking: every run's energy and coordinates identical
    a_log, b_log = parse_dlg(own / "1iep_reduced.dlg"), parse_dlg(job / "dock.dlg")
    assert len(a_log.runs) == len(b_log.runs) == 4
    for ra, rb in zip(a_log.runs, b_log.runs):
        assert (ra.run, ra.energy) == (rb.run, rb.energy)
        assert ra.coords.tolist() == rb.coords.tolist()
    assert a_log.best.energy == b_log.best.energy

    # a rerun reuses the maps (same inputs, every map's sha256 unchanged); a changed map is made again
    assert grid_job(grid.job(600.0)).status == "skipped"
    record = write_maps_record(job, grid)
    assert '"folder": "../maps"' in record.read_text() and '"receptor.F.map"' in record.read_text()
    (maps / "receptor.C.map").write_text("damaged\n")
    assert grid_job(grid.job(600.0)).status == "done"
    assert (maps / "receptor.C.map").read_text().splitlines()[6:] == \
        (own / "1iep_receptor.C.map").read_text().splitlines()[6:]


# --------------------------------------------------------------------------- shared grids in the stage's schedule
def _campaign_context(tmp_path: Path, systems: tuple, **docking: object) -> object:
    from netpharm.docking.config import DockingConfig, LigandSpec

    ligands = (LigandSpec("morphine", "morphine"), LigandSpec("naloxone", NALOXONE, NALOXONE_KEY))
    return docking_context(tmp_path, DockingConfig(systems=systems, ligands=ligands, **docking))  # type: ignore[arg-type]


def _gpf_cost(gpf: Path) -> float:
    """By hand from the GPF: (npts + 1) points per axis × (ligand types + e + d) maps × 50."""
    words = {ln.split()[0]: ln.split("#")[0].split()[1:] for ln in gpf.read_text().splitlines() if ln.strip()}
    x, y, z = (int(n) + 1 for n in words["npts"])
    return x * y * z * (len(words["ligand_types"]) + 2) * 50.0


def test_grid_jobs_are_scheduled_with_the_docking_and_fail_only_their_receptor(tmp_path: Path,
                                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """TEST DOUBLES for autogrid4/autodock4 (shell scripts logging what runs when), real receptors,
    ligands and inputs: MOR's grid takes 2 s and fails; KOR's docking starts meanwhile."""
    import csv
    import sqlite3

    from netpharm.docking.stage import run_docking_stage

    events = tmp_path / "events.txt"
    fake_bin(tmp_path, monkeypatch, ("cp", "grep", "dirname", "sleep"), {
        "autogrid4": f'case "$PWD" in */MOR/maps) sleep 2; echo "grid failed MOR" >> {events}; '
                     'echo "autogrid4: ERROR: Unknown receptor type" > "$4"; exit 1;; esac; '
                     f'{FAKE_AUTOGRID}; echo "grid done $PWD" >> {events}',
        "autodock4": f'[ "$1" = "--version" ] || echo "dock $PWD" >> {events}; {FAKE_AUTODOCK}'})
    ctx = _campaign_context(tmp_path, opioid_systems(), workers=2, ga_runs=4)
    outcome = run_docking_stage(ctx)  # type: ignore[arg-type]
    out = ctx.run_dir / "docking"  # type: ignore[attr-defined]
    assert outcome.status == "partial"
    found = {(s.system, s.ligand): (s.status, s.error) for s in outcome.findings.systems}
    assert {k: v[0] for k, v in found.items()} == {("KOR", "morphine"): "ok", ("KOR", "naloxone"): "ok",
                                                  ("MOR", "morphine"): "failed", ("MOR", "naloxone"): "failed"}
    for lig in ("morphine", "naloxone"):
        error = found[("MOR", lig)][1]
        assert error.startswith(f"system MOR/{lig} (autodock4): grid maps MOR/maps") and "Unknown receptor type" \
            in error
    log = events.read_text().splitlines()
    docks = [i for i, ln in enumerate(log) if ln.startswith("dock ")]
    assert len(docks) == 2 and all("/KOR/" in log[i] for i in docks)  # MOR's jobs never ran
    assert docks[0] < log.index("grid failed MOR"), log  # KOR docked while MOR's grid still ran
    # schedule.tsv: both grid jobs, first, with their cost; each docking job waits for its receptor's grid
    with open(out / "schedule.tsv", newline="") as fh:
        rows = {r["job"]: r for r in csv.DictReader(fh, delimiter="\t")}
    assert list(rows)[:2] == ["KOR/maps:autogrid4", "MOR/maps:autogrid4"] and len(rows) == 6
    for receptor in ("KOR", "MOR"):
        grid = rows[f"{receptor}/maps:autogrid4"]
        assert (grid["engine"], grid["after"], grid["runs"], grid["logs"]) == \
            ("autogrid4", "", "0", f"docking/{receptor}/maps/receptor.glg")
        assert float(grid["cost"]) == _gpf_cost(out / receptor / "maps" / "receptor.gpf") > 0
        for lig in ("morphine", "naloxone"):
            assert rows[f"{receptor}/{lig}:autodock4"]["after"] == f"{receptor}/maps:autogrid4"
    assert (out / "KOR" / "morphine" / "maps.json").is_file() and not (out / "MOR" / "morphine" / "maps.json").exists()
    with sqlite3.connect(out / "results.sqlite") as db:
        assert dict(db.execute("SELECT id, status FROM jobs")) == {
            "KOR/morphine:autodock4": "done", "KOR/naloxone:autodock4": "done",
            "MOR/morphine:autodock4": "failed", "MOR/naloxone:autodock4": "failed"}


@pytest.mark.slow
@pytest.mark.needs_autodock
def test_split_campaign_chunks_dock_on_the_shared_maps_and_resume(tmp_path: Path) -> None:
    """Real autogrid4/autodock4: morphine and naloxone into KOR (6B73 file), 4 LGA runs × 10,000
    evaluations, ``run_chunks = 2``, against the same campaign unsplit. Chunk 1 keeps the workflow's
    seed, so the split run's runs 1-2 must be the unsplit run's runs 1-2 (energies and coordinates)."""
    import json

    from netpharm.docking.pose.dlg import parse_dlg
    from netpharm.docking.run.executor import fingerprint
    from netpharm.docking.stage import run_docking_stage

    require_autodock()
    kor = opioid_systems()[:1]
    runs = {}
    for name, chunks in (("plain", 1), ("split", 2)):
        ctx = _campaign_context(tmp_path / name, kor, workers=2, ga_runs=4, ga_num_evals=10_000, run_chunks=chunks)
        assert run_docking_stage(ctx).status == "ok"  # type: ignore[arg-type]
        runs[name] = ctx.run_dir / "docking" / "KOR"  # type: ignore[attr-defined]
    split = runs["split"]
    assert (split / "maps" / "receptor.glg").is_file()
    rows = (split.parent / "schedule.tsv").read_text().splitlines()
    assert rows[1].startswith("KOR/maps:autogrid4\tKOR\tautogrid4\t") and len(rows) == 1 + 1 + 2 * 2
    for lig in ("morphine", "naloxone"):
        folder = split / lig
        assert not (folder / "receptor.gpf").exists() and not list(folder.glob("*.map"))  # no grid of its own
        for n in (1, 2):
            assert "fld ../maps/receptor.maps.fld" in (folder / f"dock_chunk{n}.dpf").read_text()
            assert f"KOR/{lig}#chunk{n}:autodock4-chunk\tKOR\tautodock4-chunk\t" in "\n".join(rows)
            assert f"\tKOR/maps:autogrid4\t2\tdocking/KOR/{lig}/dock_chunk{n}.dlg" in "\n".join(rows)
            record = json.loads((folder / f"done_dock_chunk{n}.json").read_text())
            # the shared map set's record is among each chunk's fingerprinted inputs
            assert record["fingerprint"] == fingerprint(folder, ["receptor.pdbqt", "ligand.pdbqt", "maps.json",
                                                                 f"dock_chunk{n}.dpf"])
        plain = parse_dlg(runs["plain"] / lig / "dock.dlg")
        chunk1 = parse_dlg(folder / "dock_chunk1.dlg")
        assert [p.run for p in chunk1.runs] == [1, 2]
        for a, b in zip(chunk1.runs, plain.runs[:2]):
            assert (a.run, a.energy) == (b.run, b.energy) and a.coords.tolist() == b.coords.tolist()
    # resume: the grid and every chunk are skipped (no log rewritten)
    glg, dlgs = split / "maps" / "receptor.glg", sorted(split.glob("*/dock_chunk*.dlg"))
    stamps = {p: p.stat().st_mtime_ns for p in [glg, *dlgs]}
    ctx = _campaign_context(tmp_path / "split", kor, workers=2, ga_runs=4, ga_num_evals=10_000, run_chunks=2)
    assert run_docking_stage(ctx).status == "ok"  # type: ignore[arg-type]
    assert {p: p.stat().st_mtime_ns for p in stamps} == stamps and len(dlgs) == 4
    # a damaged map is made again; the same maps come out (same sha256 in maps.json), so no chunk is redone
    (split / "maps" / "receptor.e.map").write_text("damaged\n")
    record = (split / "morphine" / "maps.json").read_text()
    assert run_docking_stage(ctx).status == "ok"  # type: ignore[arg-type]
    assert glg.stat().st_mtime_ns != stamps[glg] and (split / "morphine" / "maps.json").read_text() == record
    assert [p.stat().st_mtime_ns for p in dlgs] == [stamps[p] for p in dlgs]
    # a stale maps.json (not the maps there now) is replaced from the grid's record before anything runs
    (split / "naloxone" / "maps.json").write_text(record.replace('"receptor.e.map": "', '"receptor.e.map": "0'))
    assert run_docking_stage(ctx).status == "ok"  # type: ignore[arg-type]
    assert json.loads((split / "naloxone" / "maps.json").read_text())["maps"] == json.loads(record)["maps"]
    assert [p.stat().st_mtime_ns for p in dlgs] == [stamps[p] for p in dlgs]

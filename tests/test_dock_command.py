"""`netpharm dock`: flags → in-memory workflow; the done-when campaign with a kill and a resume.

The campaign: morphine, naloxone and fentanyl (PubChem SMILES, InChIKeys checked) into the paper's
κ entry 6VI4, its δ entry 6PT2 (real mmCIF, tests/data/campaign) and the 8EFO μ stand-in, real
autogrid4/autodock4 at a reduced budget, through the command line. The process group is killed
with SIGKILL after the first jobs finish; the database must stay readable, and `--resume` must
finish the other jobs without redoing the finished ones. The campaign's report is then opened in
headless Chromium (tests/test_report_browser.py's DevTools driver): no console error, nine 3-D
views drawn, nine 2-D diagrams and the heatmap decoded, and the heatmap's nine values equal to
the database's best poses.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from helpers import require_autodock

from netpharm.cli.dock import dock_config, parse_ligand, receptor_name
from netpharm.cli.main import build_parser, main
from netpharm.errors import InputError

REPO = Path(__file__).resolve().parents[1]
DATA = Path(__file__).parent / "data"
MORPHINE = "CN1CC[C@]23[C@@H]4[C@H]1CC5=C2C(=C(C=C5)O)O[C@H]3[C@H](C=C4)O"
NALOXONE = "C=CCN1CC[C@]23[C@@H]4C(=O)CC[C@]2([C@H]1CC5=C3C(=C(C=C5)O)O4)O"
FENTANYL = "CCC(=O)N(C1CCN(CC1)CCC2=CC=CC=C2)C3=CC=CC=C3"
LIGANDS = [f"{MORPHINE} morphine BQJCRHHNABKAKU-KBQPJGBKSA-N", f"{NALOXONE} naloxone UZHSEJADLWPNLE-GRGSLBFTSA-N",
           f"{FENTANYL} fentanyl PJMPHNIQZUBGLI-UHFFFAOYSA-N"]
RECEPTORS = [DATA / "campaign" / "6VI4.cif.gz", DATA / "campaign" / "6PT2.cif.gz",
             DATA / "structures" / "MOR_8EFO_human_receptor_processed.pdb"]


def _args(*argv: str) -> argparse.Namespace:
    return build_parser().parse_args(["dock", *argv])


def test_ligand_and_receptor_arguments() -> None:
    assert parse_ligand(LIGANDS[1], 1) == {"name": "naloxone", "source": NALOXONE,
                                           "expected_inchikey": "UZHSEJADLWPNLE-GRGSLBFTSA-N"}
    assert parse_ligand("naloxone", 2) == {"name": "naloxone", "source": "naloxone"}   # a name: PubChem, cached
    assert parse_ligand("CCO", 3)["name"] == "ligand3"                                   # a bare SMILES
    with pytest.raises(InputError, match="SOURCE"):
        parse_ligand("CCO a b c", 1)
    assert receptor_name("6vi4") == "6VI4" and receptor_name("x/6VI4.cif.gz") == "6VI4"
    assert receptor_name("MOR_8EFO_human_receptor_processed.pdb") == "MOR_8EFO_human_receptor_processed"


def test_flags_become_a_workflow() -> None:
    config = dock_config(_args("--receptor", str(RECEPTORS[0]), "--receptor", "5C1M", "--ligand", LIGANDS[0],
                               "--ligand", "fentanyl", "--box-residues", "D3.32,A:139", "--runs", "3",
                               "--evals", "1000", "--workers", "1", "--scheduler", "tcp://127.0.0.1:1",
                               "--engine", "both", "--exhaustiveness", "4", "--offline"))
    d = config.docking
    assert config.stages == ("docking", "report") and config.offline
    assert [s.name for s in d.systems] == ["6VI4", "5C1M"] and d.systems[1].receptor == "5C1M"
    assert d.systems[0].receptor == str(RECEPTORS[0].resolve()) and d.systems[0].pocket_residues == ("D3.32", "A:139")
    assert [(lig.name, lig.expected_inchikey) for lig in d.ligands] == [
        ("morphine", "BQJCRHHNABKAKU-KBQPJGBKSA-N"), ("fentanyl", "")]
    assert (d.ga_runs, d.ga_num_evals, d.workers, d.dask_scheduler, d.engine, d.vina_exhaustiveness) == \
        (3, 1000, 1, "tcp://127.0.0.1:1", "both", 4)
    box = dock_config(_args("--receptor", "5C1M", "--ligand", "morphine", "--box-center", "1", "2", "3",
                            "--box-size", "20", "20", "20")).docking.systems[0]
    assert box.box_center == (1.0, 2.0, 3.0) and box.box_size == (20.0, 20.0, 20.0)


def test_run_chunks_flag_becomes_the_workflows_run_chunks(capsys: pytest.CaptureFixture[str]) -> None:
    base = ("--receptor", "5C1M", "--ligand", "morphine", "--box-ligand", "X")
    assert dock_config(_args(*base)).docking.run_chunks == 1  # unsplit unless asked
    assert dock_config(_args(*base, "--run-chunks", "auto")).docking.run_chunks == "auto"
    assert dock_config(_args(*base, "--run-chunks", "AUTO")).docking.run_chunks == "auto"
    assert dock_config(_args(*base, "--run-chunks", "4")).docking.run_chunks == 4
    for bad in ("0", "-2", "two", "1.5"):
        with pytest.raises(SystemExit) as exit_info:
            _args(*base, "--run-chunks", bad)
        assert exit_info.value.code == 2
        err = capsys.readouterr().err.strip().splitlines()[-1]
        assert err == f"netpharm dock: error: argument --run-chunks: expected 'auto' or an integer >= 1, got {bad!r}"
    with pytest.raises(SystemExit):
        _args("--help")
    assert "--run-chunks {auto,N}" in capsys.readouterr().out  # documented in `netpharm dock --help`


@pytest.mark.parametrize("argv, message", [
    (["--receptor", "5C1M", "--ligand", "morphine"], "give exactly one box"),
    (["--receptor", "5C1M", "--ligand", "morphine", "--box-center", "1", "2", "3"], "--box-size"),
    (["--receptor", "nofile.pdb", "--ligand", "morphine", "--box-ligand", "X"], "neither a PDB id nor"),
    (["--receptor", "5C1M", "--ligand", "morphine", "--box-ligand", "X", "--runs", "0"], "ga_runs"),
])
def test_bad_dock_arguments_exit_2_with_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                 argv: list[str], message: str) -> None:
    assert main(["dock", *argv, "--out", str(tmp_path / "x")]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("netpharm: error:") and message in err and "Traceback" not in err


def _poses(db_path: Path) -> dict[str, list[tuple[int, int, float, str | None]]]:
    """job id → its poses (run, rank, energy, provenance), in run order."""
    db = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=30)
    try:
        out: dict[str, list[tuple[int, int, float, str | None]]] = {}
        for job, run, rank, energy, provenance in db.execute(
                "SELECT job_id, run, rank, energy, provenance FROM poses ORDER BY job_id, run"):
            out.setdefault(job, []).append((run, rank, energy, provenance))
        return out
    finally:
        db.close()


def db_rows(db_path: Path, query: str) -> list[tuple]:
    db = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=30)
    try:
        return db.execute(query).fetchall()
    finally:
        db.close()


def _jobs(db_path: Path) -> dict[str, tuple[str, str | None]]:
    db = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=30)
    try:
        return {row[0]: (row[1], row[2]) for row in db.execute("SELECT id, status, finished FROM jobs")}
    finally:
        db.close()


@pytest.mark.slow
@pytest.mark.needs_autodock
@pytest.mark.needs_browser
def test_campaign_through_netpharm_dock_survives_kill_and_resume(tmp_path: Path) -> None:
    require_autodock()
    if not Path("/usr/bin/chromium").exists():
        pytest.skip("Debian chromium not installed (make system-deps installs it; CI has it)")
    out = tmp_path / "campaign"
    argv = [sys.executable, "-m", "netpharm", "dock", "--offline", "--cache", str(tmp_path / "cache"),
            "--box-residues", "D3.32", "--box-padding", "6", "--runs", "2", "--evals", "25000",
            "--workers", "2", "--out", str(out)]
    for receptor in RECEPTORS:
        argv += ["--receptor", str(receptor)]
    for ligand in LIGANDS:
        argv += ["--ligand", ligand]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    db_path = out / "docking" / "results.sqlite"
    first = subprocess.Popen(argv, env=env, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                             start_new_session=True)
    deadline = time.monotonic() + 600
    done: dict[str, str | None] = {}
    while time.monotonic() < deadline and first.poll() is None:
        if db_path.is_file():
            try:
                done = {k: f for k, (s, f) in _jobs(db_path).items() if s == "done"}
            except sqlite3.OperationalError:  # schema not written yet
                done = {}
            if len(done) >= 2:
                break
        time.sleep(0.5)
    assert first.poll() is None, "the campaign finished before it could be killed: " + first.stderr.read().decode()
    os.killpg(first.pid, signal.SIGKILL)  # the CLI, its pool workers and their autodock4 children
    first.wait(timeout=60)

    after_kill = _jobs(db_path)      # readable after the kill, every finished job still there
    assert len(after_kill) == 9
    finished = {k: f for k, (s, f) in after_kill.items() if s == "done"}
    assert len(finished) >= 2 and len(finished) < 9
    poses_after_kill = _poses(db_path)
    assert set(finished) <= set(poses_after_kill)

    proc = subprocess.run(argv + ["--resume"], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr[-3000:]
    final = _jobs(db_path)
    assert {s for s, _ in final.values()} == {"done"} and len(final) == 9
    for key, stamp in finished.items():     # finished jobs were not docked again
        assert final[key][1] == stamp, key
    assert "skipping (done earlier)" in proc.stderr
    poses = _poses(db_path)          # 2 LGA runs per job, each once; finished jobs' poses untouched
    assert set(poses) == set(final)
    for job, rows in poses.items():
        assert [r[0] for r in rows] == [1, 2] and sorted(r[1] for r in rows) == [1, 2], job
    for job in finished:
        assert poses[job] == poses_after_kill[job], job
    db = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    pairs = db.execute("SELECT receptor, ligand, attempts FROM jobs").fetchall()
    db.close()
    assert len({(r, lig) for r, lig, _ in pairs}) == 9 and {a for _, _, a in pairs} == {1}
    # autogrid4 ran once per receptor (tests/test_grids.py: same poses as per-job maps), for the union of
    # the three ligands' atom types; every job docks on it and holds its record among its inputs
    receptors = dict(db_rows(db_path, "SELECT name, box FROM receptors"))
    for receptor in ("6VI4", "6PT2", "MOR_8EFO_human_receptor_processed"):
        maps = out / "docking" / receptor / "maps"
        assert (maps / "receptor.glg").is_file() and (maps / "done_grid.json").is_file()
        box = json.loads(receptors[receptor])["maps"]
        assert box["folder"] == f"{receptor}/maps" and {"A", "C", "HD", "N", "OA"} <= set(box["ligand_types"])
        for ligand in ("morphine", "naloxone", "fentanyl"):
            job = out / "docking" / receptor / ligand
            assert not (job / "receptor.glg").exists() and not (job / "receptor.gpf").exists()
            record = json.loads((job / "maps.json").read_text())
            assert record["folder"] == "../maps" and record["fingerprint"] == box["fingerprint"]
            assert "map ../maps/receptor.OA.map" in (job / "dock.dpf").read_text()

    results = subprocess.run([sys.executable, "-m", "netpharm", "results", str(out), "--tsv"], env=env,
                             capture_output=True, text=True, timeout=60)
    rows = [line.split("\t") for line in results.stdout.splitlines()[1:]]
    assert len(rows) == 9 and {r[1] for r in rows} == {"morphine", "naloxone", "fentanyl"}
    assert {r[0] for r in rows} == {"6VI4", "6PT2", "MOR_8EFO_human_receptor_processed"}
    assert all(float(r[5]) < 0 for r in rows)      # every ligand finds a favourable pose in every pocket
    manifest = (out / "manifest.json").read_text()
    assert '"docking"' in manifest and (out / "report" / "report.html").is_file()
    html = (out / "report" / "report.html").read_text()
    assert "naloxone" in html and "fentanyl" in html
    _check_campaign_report_in_chromium(out, db_path)


def _check_campaign_report_in_chromium(out: Path, db_path: Path) -> None:
    """The real campaign's report as a user opens it: heatmap, 2-D diagrams and 3-D views, no error."""
    import base64

    import numpy as np
    from test_report_browser import ARTIFACTS, render

    best = {job.split(":")[0]: min(r[2] for r in rows) for job, rows in _poses(db_path).items()}
    facts = render(out / "report" / "report.html", ARTIFACTS / "report-campaign.png")
    assert facts["errors"] == [] and facts["overflow_x"] <= 0
    # the heatmap: 9 cells with values, each the job's best pose in the database
    cells = facts["energy_cells"]
    assert len(cells) == 9 and all(c["energy"] is not None and c["engine"] == "autodock4" for c in cells)
    assert {c["ligand"] for c in cells} == {"morphine", "naloxone", "fentanyl"}
    for c in cells:
        assert c["energy"] == pytest.approx(best[f"{c['receptor']}/{c['ligand']}"], abs=0.005), c
        assert c["text"] == f"{c['energy']:.2f}"
    heatmap = base64.b64encode((out / "report" / "figures" / "energy_heatmap.png").read_bytes()).decode()
    images = facts["images"]
    assert sum(img["src"] == f"data:image/png;base64,{heatmap}" for img in images) == 1
    # 1 heatmap + 9 interaction diagrams, every one decoded by the browser (the dock run has no network figure)
    assert len(images) == 10 and all(img["complete"] and img["width"] > 100 and img["height"] > 100
                                     for img in images)
    for job in best:
        receptor, ligand = job.split("/")
        png = base64.b64encode((out / "docking" / receptor / ligand / "best_pose.png").read_bytes()).decode()
        assert sum(img["src"] == f"data:image/png;base64,{png}" for img in images) == 1, job
    # the table's 3-D view and nine cards' (9 poses < [report] pose_cards), each drawn once on screen (not blank)
    # with the orange ligand
    assert len(facts["viewers"]) == 1 + 9
    assert all(v["canvas"] and v["ready"] and v["text"] == "" and v["lost"] is False for v in facts["viewers"])
    for pixels in facts["viewer_pixels"]:
        drawn = (np.abs(pixels - 1.0).sum(axis=2) > 0.15).mean()
        assert 0.02 < drawn < 0.9, drawn
        assert (pixels[..., 0] - pixels[..., 2] > 0.3).any()

"""kill -9 / Ctrl-C of a real run at every stage boundary and mid-write, then ``--resume``.

The run is the offline microdiscectomy workflow (shipped cache, real STRING export) with the
fast stages network, enrichment, report. After each kill, ``--resume`` must finish the run
with every output byte-identical to an uninterrupted run. The only differences allowed are
the run's own timestamps: ``manifest.json`` and ``netpharm-run.json`` (start/finish times)
are not compared, and the start time the report prints is masked.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import IEP_REDOCK_CASE, require_autodock

from netpharm.cli.main import main
from netpharm.io import is_temp_file
from netpharm.registry import load_workflow
from netpharm.runlock import LOCK_FILE
from netpharm.runrecord import MARKER, is_run_dir
from netpharm.workflow import run_workflow

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[1]
HELPER = Path(__file__).resolve().parent / "kill_helper.py"
STAGES = ["network", "enrichment", "report"]
_TIME = re.compile(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00")
# The manifest (shown in the report) says which stages a resume reused: true, and expected to differ.
# The report renders it as a row of the manifest's key/value table (templated report).
_SKIPPED = re.compile(rb"<tr><td>skipped_on_resume</td><td>.*?</td></tr>", re.S)
# The git commit the report prints gains "-dirty" if the work tree is edited while the test runs.
_COMMIT = re.compile(rb"(?<![0-9a-f])[0-9a-f]{40}(-dirty)?(?![0-9a-f])")


@pytest.fixture(scope="module")
def workflow_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The offline workflow with absolute paths and a small bootstrap (speed; same code paths)."""
    text = (REPO / "workflows/microdiscectomy-offline.toml").read_text(encoding="utf-8")
    text = text.replace('"../', f'"{REPO}/').replace("bootstrap = 200", "bootstrap = 10")
    path = tmp_path_factory.mktemp("wf") / "offline.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def baseline(workflow_file: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    run_dir = tmp_path_factory.mktemp("baseline") / "run"
    result = run_workflow(load_workflow(workflow_file), run_dir, stages=STAGES)
    assert not result.failed
    return snapshot(run_dir)


def snapshot(run_dir: Path) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    for path in sorted(run_dir.rglob("*")):
        rel = str(path.relative_to(run_dir))
        if not path.is_file() or rel in ("manifest.json", MARKER, LOCK_FILE, "stages/report.json"):  # times, pids
            continue
        data = path.read_bytes()
        if rel == "report/report.html":
            data = _COMMIT.sub(b"<commit>", _SKIPPED.sub(b"<skipped>", _TIME.sub(b"<time>", data)))
        files[rel] = data
    return files


def temp_files(run_dir: Path) -> list[Path]:
    return [p for p in run_dir.rglob("*") if is_temp_file(p)]


def netpharm_killed(spec: str, workflow_file: Path, run_dir: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])}
    return subprocess.run([sys.executable, str(HELPER), spec, "-q", "run", str(workflow_file), "--out", str(run_dir),
                           "--stages", ",".join(STAGES), *extra], capture_output=True, text=True, env=env,
                          timeout=600)


def assert_equal_runs(mine: dict[str, bytes], reference: dict[str, bytes]) -> None:
    assert sorted(mine) == sorted(reference)
    different = [name for name in reference if mine[name] != reference[name]]
    assert different == []


@pytest.mark.parametrize("spec, skipped, leaves_temp", [
    ("before:network", [], False),            # killed as soon as the run directory exists
    ("write:coverage.tsv", [], True),         # mid-write inside a stage
    ("record:network", [], True),             # mid-write of the resume record itself
    ("after:network", ["network"], False),    # stage boundary
    ("write:themes.tsv", ["network"], True),
    ("after:enrichment", ["network", "enrichment"], False),
    ("write:report.html", ["network", "enrichment"], True),
])
def test_kill_9_then_resume_equals_an_uninterrupted_run(workflow_file: Path, baseline: dict[str, bytes],
                                                        tmp_path: Path, spec: str, skipped: list[str],
                                                        leaves_temp: bool) -> None:
    run_dir = tmp_path / "run"
    killed = netpharm_killed(spec, workflow_file, run_dir)
    assert killed.returncode == -9, killed.stderr
    assert is_run_dir(run_dir)                 # recognisable from the moment it was created
    assert bool(temp_files(run_dir)) == leaves_temp
    result = run_workflow(load_workflow(workflow_file), run_dir, resume=True, stages=STAGES)
    assert result.skipped == skipped and not result.failed
    assert temp_files(run_dir) == []
    assert_equal_runs(snapshot(run_dir), baseline)


def test_ctrl_c_says_resume_and_resume_finishes(workflow_file: Path, baseline: dict[str, bytes],
                                                tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    run_dir = tmp_path / "run"
    interrupted = netpharm_killed("sigint:enrichment", workflow_file, run_dir)
    assert interrupted.returncode == 130
    assert interrupted.stderr.strip().endswith("finished outputs are kept (rerun with --resume)")
    assert "Traceback" not in interrupted.stderr
    assert main(["-q", "run", str(workflow_file), "--out", str(run_dir), "--stages", ",".join(STAGES),
                 "--resume"]) == 0
    assert_equal_runs(snapshot(run_dir), baseline)


def test_force_replaces_a_killed_run(workflow_file: Path, baseline: dict[str, bytes], tmp_path: Path) -> None:
    run_dir = tmp_path / "run"
    assert netpharm_killed("before:enrichment", workflow_file, run_dir).returncode == -9
    forced = netpharm_killed("none", workflow_file, run_dir, "--force")
    assert forced.returncode == 0, forced.stderr
    assert_equal_runs(snapshot(run_dir), baseline)


@pytest.mark.parametrize("damage, rerun", [
    (lambda d: (d / "network" / "nodes.tsv").write_bytes((d / "network" / "nodes.tsv").read_bytes()[:100]),
     "network"),                                                            # truncated output
    (lambda d: (d / "enrichment" / "summary.json").unlink(), "enrichment"),  # missing summary
    (lambda d: (d / "stages" / "network.json").write_text("{"), "network"),  # torn record
    (lambda d: (d / "enrichment" / "figures" / "offline_BP.png").unlink(), "enrichment"),
])
def test_resume_reruns_a_stage_whose_outputs_or_record_are_damaged(workflow_file: Path, baseline: dict[str, bytes],
                                                                   tmp_path: Path, damage, rerun: str) -> None:
    run_dir = tmp_path / "run"
    run_workflow(load_workflow(workflow_file), run_dir, stages=STAGES)
    damage(run_dir)
    result = run_workflow(load_workflow(workflow_file), run_dir, resume=True, stages=STAGES)
    assert rerun not in result.skipped and len(result.skipped) == 1
    assert_equal_runs(snapshot(run_dir), baseline)


def test_a_foreign_folder_is_never_resumed_into_or_deleted(workflow_file: Path, tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("precious")
    for flag in ("--resume", "--force"):
        proc = netpharm_killed("none", workflow_file, mine, flag)
        assert proc.returncode == 2 and "not a netpharm run directory" in proc.stderr
        assert "Traceback" not in proc.stderr
    assert sorted(p.name for p in mine.iterdir()) == ["notes.txt"]
    shutil.rmtree(mine)


# --- one docking kill, real AutoDock 4.2.6 at a tiny budget ---------------------------------------------
DOCKING_TOML = """
name = "dock-kill"
targets = "{repo}/targets.txt"
offline = true
cache_dir = "{repo}/cache"
stages = ["docking"]

[docking]
engine = "autodock4"
ga_runs = 2
ga_num_evals = 25000
workers = 1
systems = []
{cases}
"""


@pytest.mark.needs_autodock
def test_kill_9_during_docking_then_resume(tmp_path: Path) -> None:
    require_autodock()
    ad = REPO / "tests" / "data" / "autodock"
    cases = "".join(IEP_REDOCK_CASE.format(name=n, ad=ad) for n in ("IEP_A", "IEP_B"))
    workflow = tmp_path / "dock.toml"
    workflow.write_text(DOCKING_TOML.format(repo=REPO, cases=cases), encoding="utf-8")
    reference = run_workflow(load_workflow(workflow), tmp_path / "ref", stages=["docking"])
    assert reference.outcomes["docking"].status == "ok"

    run_dir = tmp_path / "run"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])}
    killed = subprocess.run([sys.executable, str(HELPER), "autodock:2", "-q", "run", str(workflow), "--out",
                             str(run_dir), "--stages", "docking"], capture_output=True, text=True, env=env, timeout=600)
    assert killed.returncode == -9, killed.stderr
    first = run_dir / "docking" / "redock" / "IEP_A"
    assert (first / "done_autodock4.json").is_file()        # the first case finished before the kill
    stamp = (first / "dock.dlg").stat().st_mtime_ns
    resumed = run_workflow(load_workflow(workflow), run_dir, resume=True, stages=["docking"])
    assert resumed.outcomes["docking"].status == "ok" and resumed.skipped == []
    assert (first / "dock.dlg").stat().st_mtime_ns == stamp   # not docked again: nothing lost, nothing redone
    # Same seeds, same programs: the resumed run's findings and poses equal the uninterrupted run's.
    assert resumed.outcomes["docking"].findings == reference.outcomes["docking"].findings
    for case in ("IEP_A", "IEP_B"):
        assert (run_dir / "docking/redock" / case / "best_pose.pdbqt").read_bytes() == \
            (tmp_path / "ref/docking/redock" / case / "best_pose.pdbqt").read_bytes()
    assert (run_dir / "docking/systems.tsv").read_bytes() == (tmp_path / "ref/docking/systems.tsv").read_bytes()

"""Progress: tqdm bar on a terminal, rate-limited log lines otherwise; LGA runs read from a growing DLG."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import networkx as nx
import pytest

from netpharm.docking.run.executor import DockingJob, _Watcher, dlg_runs_done
from netpharm.hubs.percolation import epc
from netpharm.progress import Progress

AD = Path(__file__).parent / "data" / "autodock"
log = logging.getLogger("test.progress")


def test_plain_lines_are_rate_limited(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="test.progress")
    with Progress(3, "things", log, interval=3600, bar=False) as bar:
        for _ in range(3):
            bar.update()
    lines = [r.getMessage() for r in caplog.records]
    assert len(lines) == 1  # within the interval only the last line is printed
    assert lines[-1].startswith("things 3/3, elapsed 0:00:0") and "ETA 0:00:00" in lines[-1]
    caplog.clear()
    with Progress(4, "things", log, interval=0.0, bar=False) as bar:
        bar.update(2, detail="MOR 3/20 LGA runs")
    assert caplog.records[0].getMessage().startswith("things 2/4, elapsed") and \
        caplog.records[0].getMessage().endswith("(MOR 3/20 LGA runs)")


def test_bar_when_asked(capsys: pytest.CaptureFixture[str]) -> None:
    with Progress(5, "jobs", log, bar=True) as bar:
        bar.update(5)
    err = capsys.readouterr().err
    assert "jobs: 100%" in err and "5/5" in err


def test_lga_runs_read_from_a_growing_dlg(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    full = (AD / "1iep_reduced.dlg").read_text().splitlines(keepends=True)
    assert dlg_runs_done(AD / "1iep_reduced.dlg") == 4          # ga_run 4, all finished
    work = tmp_path / "MOR"
    work.mkdir()
    (work / "dock.dlg").write_text("".join(full[:400]))        # cut after run 2's DOCKED block began
    assert dlg_runs_done(work / "dock.dlg") == 2
    assert dlg_runs_done(work / "missing.dlg") == 0
    caplog.set_level(logging.INFO, logger="netpharm.docking.run.executor")
    job = DockingJob("MOR/morphine", str(work), "autodock4", "r", "l", "g", "dock.dpf", ga_runs=4)
    others = [DockingJob(f"KOR/l{i}", str(work), "autodock4", "r", "l", "g", "dock.dpf", cost=1.0) for i in range(2)]
    watcher = _Watcher([job, *others], skipped=others[:1])
    watcher.bar.interval = 0.0
    watcher.since -= 5      # the DLG was written after the campaign started
    watcher.poll([job])
    assert "docking jobs 1/3" in caplog.text and "(MOR/morphine 2/4 LGA runs)" in caplog.text
    watcher.bar.close()
    shutil.rmtree(work)


def test_epc_on_a_large_graph_reports_progress(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="netpharm.hubs.percolation")
    large = nx.gnm_random_graph(1500, 2500, seed=7)  # synthetic graph: only its size matters here
    epc(nx.relabel_nodes(large, str), runs=20)
    assert "EPC runs 20/20" in caplog.text
    caplog.clear()
    epc(nx.karate_club_graph(), runs=20)             # small graphs stay quiet
    assert "EPC runs" not in caplog.text


def test_items_done_earlier_do_not_shorten_the_eta() -> None:
    bar = Progress(4, "jobs", log, bar=False)
    bar.skip(2)                      # finished in an earlier run: counted, but not in the rate
    assert bar.done == 2 and bar.eta() is None
    bar.start -= 10.0                # one job took 10 s in this run
    bar.update()
    assert bar.eta() == pytest.approx(10.0, abs=0.5)  # one job left at 10 s per job, not 10/3 s


def test_eta_weighs_jobs_by_their_estimated_cost() -> None:
    bar = Progress(3, "jobs", log, bar=False)
    bar.set_work(100.0)              # the schedule's estimates: 10 + 45 + 45
    assert bar.eta() is None
    bar.start -= 10.0                # the cheap job took 10 s
    bar.update(1, work=10.0)
    assert bar.eta() == pytest.approx(90.0, abs=1.0)  # 90 units left at 1 s per unit, not 2 jobs x 10 s
    bar.update(2, work=90.0)
    assert bar.eta() == 0.0 and "ETA 0:00:00" in bar.line()

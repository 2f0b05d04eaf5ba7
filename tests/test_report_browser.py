"""The report in a real browser: headless Debian Chromium, driven over the DevTools protocol.

Chromium is started with ``--remote-debugging-pipe``: the DevTools protocol then runs over
two inherited file descriptors (3: commands in, 4: replies out; NUL-separated JSON, the
transport Playwright uses by default), so no port, no websocket library and no network
are involved. The test collects every ``Runtime.consoleAPICalled`` (error/assert),
``Runtime.exceptionThrown``, ``Log.entryAdded`` at level error (this is where Chromium
reports failed resource loads and security violations), ``Network.loadingFailed`` and any
request that is neither the file itself nor a ``data:`` URI, then asserts there are none.
A negative control proves the collector sees such errors.
"""

from __future__ import annotations

import base64
import io
import json
import os
import select
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import matplotlib.image as mpimg
import numpy as np
import pytest
from helpers import copy_synthetic_run, run_offline_workflow

from netpharm.report.build import write_report

CHROMIUM = Path("/usr/bin/chromium")
REPO = Path(__file__).resolve().parents[1]
ARTIFACTS = REPO / "artifacts"

pytestmark = [pytest.mark.needs_browser,
              pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium not installed (/usr/bin/chromium)")]

_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
          "--disable-component-update", "--disable-sync", "--remote-debugging-pipe"]


class DevTools:
    """A minimal DevTools-protocol session over Chromium's pipe transport.

    Hand-written because the pipe transport is a few lines (NUL-framed JSON on two file
    descriptors) while a websocket client would add a dependency and a local port.
    """

    def __init__(self, profile: Path) -> None:
        to_child_r, self._out = os.pipe()
        self._in, from_child_w = os.pipe()

        def remap() -> None:  # runs in the child: the protocol expects fds 3 (read) and 4 (write)
            a, b = os.dup(to_child_r), os.dup(from_child_w)
            os.dup2(a, 3)
            os.dup2(b, 4)
            os.set_inheritable(3, True)
            os.set_inheritable(4, True)

        # stderr to a file, not a pipe: an unread pipe could fill up and stall the browser.
        self._log = (profile / "chromium-stderr.log").open("wb")
        self.proc = subprocess.Popen([str(CHROMIUM), *_FLAGS, f"--user-data-dir={profile}", "about:blank"],
                                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     stderr=self._log, preexec_fn=remap, close_fds=False)
        os.close(to_child_r)
        os.close(from_child_w)
        self._buf = b""
        self._next_id = 0
        self.events: list[dict[str, Any]] = []

    def _read_message(self, deadline: float) -> dict[str, Any]:
        while b"\0" not in self._buf:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self._in], [], [], left)[0]:
                raise TimeoutError("no DevTools message from chromium in time")
            chunk = os.read(self._in, 1 << 20)
            if not chunk:
                raise RuntimeError(f"chromium closed the DevTools pipe: {self.stderr_tail()}")
            self._buf += chunk
        message, _, self._buf = self._buf.partition(b"\0")
        return json.loads(message)

    def call(self, method: str, params: dict[str, Any] | None = None, session: str | None = None,
             timeout: float = 30.0) -> dict[str, Any]:
        """Send a command and return its result; events read meanwhile are kept in ``events``."""
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._out, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            reply = self._read_message(deadline)
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def wait_for(self, event: str, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while not any(e.get("method") == event for e in self.events):
            self.events.append(self._read_message(deadline))

    def drain(self, seconds: float) -> None:
        """Collect late events (console messages arrive after the load event)."""
        deadline = time.monotonic() + seconds
        try:
            while True:
                self.events.append(self._read_message(deadline))
        except TimeoutError:
            pass

    def stderr_tail(self) -> str:
        self._log.flush()
        return Path(self._log.name).read_bytes()[-2000:].decode(errors="replace")

    def close(self) -> None:
        try:
            self.call("Browser.close", timeout=5)
        except (RuntimeError, TimeoutError, OSError):
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        for fd in (self._in, self._out):
            os.close(fd)
        self._log.close()


def open_tab(tools: DevTools) -> str:
    """A blank tab attached to ``tools``, its Page, Runtime, Log and Network events on; returns the session id."""
    tools.call("Browser.getVersion")
    target = tools.call("Target.createTarget", {"url": "about:blank"})["targetId"]
    session: str = tools.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
    for domain in ("Page", "Runtime", "Log", "Network"):
        tools.call(f"{domain}.enable", session=session)
    return session


def page_errors(events: list[dict[str, Any]], page_url: str) -> list[str]:
    """Every console error, uncaught exception, failed load or outside request in ``events``."""
    errors = []
    for e in events:
        method, p = e.get("method"), e.get("params", {})
        if method == "Runtime.consoleAPICalled" and p.get("type") in ("error", "assert"):
            errors.append("console." + p["type"] + ": " + " ".join(str(a.get("value", a.get("description")))
                                                                  for a in p.get("args", [])))
        elif method == "Runtime.exceptionThrown":
            errors.append("exception: " + p["exceptionDetails"].get("text", "")
                          + str(p["exceptionDetails"].get("exception", {}).get("description", "")))
        elif method == "Log.entryAdded" and p["entry"].get("level") == "error":
            errors.append(f"log: {p['entry'].get('text')} {p['entry'].get('url', '')}")
        elif method == "Network.loadingFailed":
            errors.append(f"load failed: {p.get('errorText')}")
        elif method == "Network.requestWillBeSent":
            url = p["request"]["url"]
            if url != page_url and not url.startswith("data:"):
                errors.append(f"outside request: {url}")
    return errors


_VISIT = """(async () => {
    const v = document.getElementById(%s);
    v.scrollIntoView({block: 'center'});
    const t0 = performance.now();
    while (!(window.netpharmViewers || {})[v.id] && !v.innerText.trim() && performance.now() - t0 < 10000)
        await new Promise(r => setTimeout(r, 25));
    const waited = performance.now() - t0;
    await new Promise(r => setTimeout(r, 250));  // let the first frame be drawn
    const c = v.querySelector('canvas'), r = v.getBoundingClientRect();
    const viewer = (window.netpharmViewers || {})[v.id];
    return JSON.stringify({id: v.id, canvas: !!c, text: v.innerText.trim(), waited_ms: waited,
        ready: !!viewer, lost: viewer ? viewer.renderer.isLost() : null,
        live: Object.keys(window.netpharmViewers || {}).length, lost_events: window.__lostContexts,
        x: r.left + window.scrollX, y: r.top + window.scrollY, width: r.width, height: r.height});
})()"""

#: Counts every WebGL context lost while its canvas is in the page (a view the page drops on purpose is
#: detached first, so only a browser-side loss counts).
_LOST_COUNTER = ("window.__lostContexts = 0; document.addEventListener('webglcontextlost', "
                 "() => { window.__lostContexts += 1; }, true);")


def visit_views(tools: DevTools, session: str) -> list[dict[str, Any]]:
    """Scroll every 3-D view into the middle of the window in turn (views are created only on screen), wait
    for its viewer and screenshot it while it is live."""
    ids = json.loads(tools.call("Runtime.evaluate", {"expression": "JSON.stringify([...document.querySelectorAll("
                                                     "'.viewer3d')].map(v => v.id))", "returnByValue": True},
                                session)["result"]["value"])
    views = []
    for view_id in ids:
        result = tools.call("Runtime.evaluate", {"expression": _VISIT % json.dumps(view_id), "awaitPromise": True,
                                                 "returnByValue": True}, session, timeout=60)
        view = json.loads(result["result"]["value"])
        view["pixels"] = _clip(tools, session, view) if view["canvas"] else None
        views.append(view)
    return views


def render(html: Path, screenshot: Path | None, width: int = 1280, height: int = 4000,
           actions: Callable[[DevTools, str], dict[str, Any]] | None = None) -> dict[str, Any]:
    """Load ``html`` in headless Chromium; return the page facts, the errors and the screenshot path.

    ``viewers`` (and ``viewer_pixels``) are the 3-D views as each looks once scrolled on screen;
    ``load_ms`` the time from navigation to the load event. ``actions(tools, session)`` then uses the
    page (its facts are added under ``actions``) before the errors are collected.
    """
    profile = Path(tempfile.mkdtemp(prefix="netpharm-chromium-"))
    tools = DevTools(profile)
    try:
        session = open_tab(tools)
        tools.call("Page.addScriptToEvaluateOnNewDocument", {"source": _LOST_COUNTER}, session)
        tools.call("Emulation.setDeviceMetricsOverride", {"width": width, "height": height, "deviceScaleFactor": 1,
                                                          "mobile": False}, session)
        url = html.resolve().as_uri()
        start = time.monotonic()
        tools.call("Page.navigate", {"url": url}, session, timeout=120)
        tools.wait_for("Page.loadEventFired", timeout=120)
        load_ms = (time.monotonic() - start) * 1000
        tools.drain(1.0)
        probe = """JSON.stringify({
            images: [...document.images].map(i => ({src: i.getAttribute('src') || '', complete: i.complete,
                                                     width: i.naturalWidth, height: i.naturalHeight})),
            inline_svgs: document.querySelectorAll('svg').length,
            claims: [...document.querySelectorAll('#verdict-table tbody tr')].map(
                r => [...r.cells].map(c => c.innerText.trim())),
            sections: [...document.querySelectorAll('section')].map(s => s.id),
            energy_cells: [...document.querySelectorAll('table.energy-table td')].map(td => ({  // textContent: closed <details>
                engine: td.closest('table').dataset.engine, ligand: td.parentElement.cells[0].textContent.trim(),
                receptor: td.closest('table').tHead.rows[0].cells[td.cellIndex].textContent.trim(),
                energy: td.dataset.energy === undefined ? null : Number(td.dataset.energy),
                text: td.textContent.trim()})),
            live_at_load: Object.keys(window.netpharmViewers || {}).length,
            verdict_overflow: (t => t ? t.scrollWidth - t.clientWidth + Math.max(0, t.getBoundingClientRect().right
                - document.documentElement.clientWidth) : 0)(document.getElementById('verdict-table')),
            height: document.documentElement.scrollHeight,
            overflow_x: document.documentElement.scrollWidth - window.innerWidth})"""
        result = tools.call("Runtime.evaluate", {"expression": probe, "returnByValue": True}, session)
        facts = json.loads(result["result"]["value"])
        facts["load_ms"] = load_ms
        start = time.monotonic()
        facts["viewers"] = visit_views(tools, session)
        facts["visit_ms"] = (time.monotonic() - start) * 1000
        facts["viewer_pixels"] = [v["pixels"] for v in facts["viewers"] if v["pixels"] is not None]
        if actions is not None:
            facts["actions"] = actions(tools, session)
        if screenshot is not None:
            tools.call("Runtime.evaluate", {"expression": "window.scrollTo(0, 0)"}, session)
            height = min(int(facts["height"]), 16000)
            tools.call("Emulation.setDeviceMetricsOverride", {"width": width, "height": height,
                                                              "deviceScaleFactor": 1, "mobile": False}, session)
            shot = tools.call("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True}, session,
                              timeout=120)
            screenshot.parent.mkdir(parents=True, exist_ok=True)
            screenshot.write_bytes(base64.b64decode(shot["data"]))
        tools.drain(0.2)
        facts["errors"] = page_errors(tools.events, url)
        return facts
    finally:
        tools.close()
        shutil.rmtree(profile, ignore_errors=True)


def _clip(tools: DevTools, session: str, box: dict[str, Any]) -> np.ndarray:
    """Screenshot of one element's box, as an RGB array (what the user sees of a WebGL canvas)."""
    clip = {"x": box["x"], "y": box["y"], "width": box["width"], "height": box["height"], "scale": 1}
    shot = tools.call("Page.captureScreenshot", {"format": "png", "clip": clip}, session)
    return mpimg.imread(io.BytesIO(base64.b64decode(shot["data"])), format="png")[..., :3]


def _assert_clean_page(facts: dict[str, Any], n_images: int) -> None:
    assert facts["errors"] == []
    assert facts["overflow_x"] <= 0  # nothing wider than the 1280 px window
    assert facts["verdict_overflow"] <= 0  # the verdict table fits the page (long data completeness folded)
    assert len(facts["images"]) == n_images
    for img in facts["images"]:
        assert img["src"].startswith("data:image/") and len(img["src"]) > 200
        assert img["complete"] and img["width"] > 0 and img["height"] > 0  # decoded by the browser
    assert facts["sections"][:2] == ["missing", "verdict"]
    assert [row[0] for row in facts["claims"]] == ["1", "2", "3", "4", "5", "6", "7"]
    verdicts = {"supported", "not supported", "partially supported", "cannot be evaluated here"}
    assert all(row[5] in verdicts for row in facts["claims"])  # columns: #, id, kind, claim, evidence, verdict


def _assert_screenshot(path: Path) -> None:
    pixels = mpimg.imread(path)
    assert 1200 <= pixels.shape[1] <= 1280 and pixels.shape[0] >= 2000  # minus a scrollbar at most
    assert float(np.std(pixels[..., :3])) > 0.05  # not a blank page


@pytest.fixture
def synthetic_report(tmp_path: Path) -> Iterator[Path]:
    run = copy_synthetic_run(tmp_path)
    yield write_report(run)


def test_synthetic_report_in_chromium(synthetic_report: Path) -> None:
    shot = ARTIFACTS / "report-synthetic.png"
    facts = render(synthetic_report, shot)
    _assert_clean_page(facts, n_images=3)  # network figure, enrichment plot, docking pose
    assert facts["claims"][6][5] == "cannot be evaluated here"
    assert "structure 9IYP not in cache" in facts["claims"][6][6]
    _assert_screenshot(shot)


@pytest.mark.slow
def test_offline_run_report_in_chromium(tmp_path: Path) -> None:
    """The real offline workflow (shipped cache) as a user opens its report.

    Docking is left out: offline it depends on the structures in the cache and may run
    AutoDock for minutes; its report section then says "stage not run".
    """
    run = run_offline_workflow(tmp_path / "run", ["network", "enrichment", "nmda", "report"])
    shot = ARTIFACTS / "report-offline.png"
    facts = render(run / "report" / "report.html", shot)
    figures = json.loads((run / "enrichment" / "summary.json").read_text())["findings"]["figures"]
    pngs = [f for f in figures if f.endswith(".png")]
    assert pngs
    _assert_clean_page(facts, n_images=2 + len(pngs))  # network figure + enrichment plots + NMDA pore profile
    claims = facts["claims"]
    assert claims[0][5] == "partially supported" and "11 of 13" in claims[0][6]
    assert claims[2][5] == "cannot be evaluated here"
    assert claims[5][6] == "docking stage not run"
    # the NMDA pore on 7EU8, a named stand-in for 9IYP, with a placed ion and its 3-D view
    assert claims[6][5] == "partially supported" and "stand-in for 9IYP" in claims[6][4]
    assert [v["id"] for v in facts["viewers"]] == ["nmda-pore-view"]
    assert all(v["canvas"] and v["ready"] and v["text"] == "" for v in facts["viewers"])
    _assert_screenshot(shot)


def test_pose_report_3d_viewer_renders(tmp_path: Path) -> None:
    """Real 1IEP poses (tests/helpers/pose_run.py): the 3Dmol.js views draw without a console error."""
    from helpers.pose_run import add_campaign_results, make_pose_run

    run = make_pose_run(tmp_path)
    add_campaign_results(run)
    shot = ARTIFACTS / "report-poses.png"
    facts = render(write_report(run), shot)
    _assert_clean_page(facts, n_images=6)  # 3 synthetic figures, 2 interaction diagrams, the heatmap
    assert [v["id"] for v in facts["viewers"]] == ["pose-explorer", "pose3", "pose4"]  # the table's view, 2 cards
    assert all(v["canvas"] and v["ready"] and v["text"] == "" and v["lost"] is False for v in facts["viewers"])
    for pixels in facts["viewer_pixels"]:
        assert pixels.shape[0] >= 400 and pixels.shape[1] >= 400  # the table view is 400 px wide, a card 520
        drawn = (np.abs(pixels - 1.0).sum(axis=2) > 0.15).mean()  # share of non-white pixels
        assert 0.02 < drawn < 0.9, drawn  # molecules drawn on the white background, not blank, not a blot
        assert float(np.std(pixels)) > 0.05
        assert (pixels[..., 0] - pixels[..., 2] > 0.3).any()  # orange ligand carbons (orangeCarbon)
    _assert_screenshot(shot)


def test_error_collector_negative_control(tmp_path: Path) -> None:
    """A page with a console error, an exception and a missing image: all three are caught."""
    page = tmp_path / "broken.html"
    page.write_text('<!DOCTYPE html><html><head><meta charset="utf-8"><title>broken</title></head><body>'
                    '<img src="missing.png"><script>console.error("deliberate"); undefinedFunction();</script>'
                    "</body></html>", encoding="utf-8")
    facts = render(page, None)
    text = "\n".join(facts["errors"])
    assert "console.error: deliberate" in text
    assert "undefinedFunction" in text
    assert "missing.png" in text or "ERR_FILE_NOT_FOUND" in text
    assert facts["images"][0]["width"] == 0


# --- a campaign report at scale: one switchable view, views live only on screen, the table ---------------
_TABLE = """(() => {
    const table = document.getElementById('docking-pairs');
    const tools = document.querySelector('.table-tools[data-table="docking-pairs"]');
    const shown = () => [...table.tBodies[0].rows].filter(r => !r.hidden);
    const column = i => shown().map(r => r.cells[i].dataset.value === undefined ? r.cells[i].textContent.trim()
                                        : (r.cells[i].dataset.value === '' ? null : Number(r.cells[i].dataset.value)));
    const count = () => tools.querySelector('.table-count').textContent;
    const set = (selector, value) => {
        const control = tools.querySelector(selector);
        control.value = value;
        control.dispatchEvent(new Event('input', {bubbles: true}));
    };
    const header = name => [...table.tHead.rows[0].cells].find(c => c.textContent.trim() === name);
    const out = {rows: table.tBodies[0].rows.length, count: count(), energy: column(3), ligand: column(0)};
    header('energy').click();
    out.energy_desc = column(3);
    header('LE').click();
    out.le_asc = column(4);
    header('ligand').click();
    out.ligand_asc = column(0);
    set('select[data-column="1"]', 'ABL_copy');
    out.receptor_copy = column(1);
    out.count_copy = count();
    set('input[data-filter="max"]', '-10');
    out.copy_strong = column(3);
    set('select[data-column="1"]', '');
    set('input[data-filter="max"]', '');
    set('input[data-filter="text"]', 'synthetic_003');
    out.text = shown().map(r => r.cells[0].textContent.trim() + '/' + r.cells[1].textContent.trim());
    set('input[data-filter="text"]', '');
    out.count_all = count();
    return JSON.stringify(out);
})()"""

_SHOW = """(async () => {
    const button = document.querySelector('#docking-pairs tr[data-show-pose="%s"] button');
    button.click();
    const view = document.getElementById('pose-explorer');
    view.scrollIntoView({block: 'center'});
    const t0 = performance.now();
    while (!window.netpharmViewers['pose-explorer'] && performance.now() - t0 < 10000)
        await new Promise(r => setTimeout(r, 25));
    await new Promise(r => setTimeout(r, 250));
    const r = view.getBoundingClientRect();
    return JSON.stringify({pose: view.dataset.pose, title: document.querySelector('.explorer .viewer-title').textContent,
        selected: document.querySelectorAll('#docking-pairs tr.selected').length,
        selected_key: document.querySelector('#docking-pairs tr.selected').dataset.showPose,
        live: Object.keys(window.netpharmViewers).length, stats: window.netpharmViewerStats,
        x: r.left + window.scrollX, y: r.top + window.scrollY, width: r.width, height: r.height});
})()"""


def _drawn(pixels: np.ndarray) -> float:
    return float((np.abs(pixels - 1.0).sum(axis=2) > 0.15).mean())  # share of non-white pixels


def _orange(pixels: np.ndarray) -> bool:  # the docked ligand (orangeCarbon)
    return bool((pixels[..., 0] - pixels[..., 2] > 0.3).any())


def _green(pixels: np.ndarray) -> int:  # the experimental ligand (greenCarbon); the dark green H-bond dashes fail it
    return int(((pixels[..., 1] - pixels[..., 0] > 0.45) & (pixels[..., 1] - pixels[..., 2] > 0.45)).sum())


def test_campaign_report_at_scale_in_chromium(tmp_path: Path) -> None:
    """A SYNTHETIC 36-ligand × 2-receptor campaign (72 poses, copies of the 13 real 1IEP poses:
    tests/helpers/pose_run.py) at 1400 × 900 px: every view renders once on screen, never more than
    four live WebGL contexts, the table sorts, filters and switches the one table view, no console
    error, no outside request; the experimental ligand is drawn (green) only where the system has one."""
    from helpers.pose_run import make_campaign_run

    run = make_campaign_run(tmp_path, 36)
    report = write_report(run)
    entries = json.loads((run / "docking" / "summary.json").read_text())["findings"]["systems"]
    energy = {(e["ligand"], e["system"]): e["best_energy"] for e in entries}
    keys = {(e["ligand"], e["system"]): f"pose{i}" for i, e in enumerate(entries)}  # findings order
    copy_key, abl_key = keys[("synthetic_005", "ABL_copy")], keys[("synthetic_005", "ABL")]

    def use_page(tools: DevTools, session: str) -> dict[str, Any]:
        def evaluate(expression: str) -> dict[str, Any]:
            reply = tools.call("Runtime.evaluate", {"expression": expression, "awaitPromise": True,
                                                    "returnByValue": True}, session, timeout=60)
            return json.loads(reply["result"]["value"])

        out = {"table": evaluate(_TABLE)}
        for name, key in (("copy", copy_key), ("abl", abl_key)):
            shown = evaluate(_SHOW % key)
            shown["pixels"] = _clip(tools, session, shown)
            out[name] = shown
        return out

    facts = render(report, None, 1400, 900, use_page)
    assert facts["errors"] == [] and facts["overflow_x"] <= 0
    # the heatmap: the 30 ligands of lowest best energy (ties by name), every value the pose's
    best = sorted({lig for lig, _ in energy}, key=lambda lig: (min(energy[(lig, s)] for s in ("ABL", "ABL_copy")),
                                                               lig))
    cells = [c for c in facts["energy_cells"] if c["energy"] is not None]
    assert {c["ligand"] for c in facts["energy_cells"]} == set(best[:30])
    assert len(cells) == 60 and all(c["energy"] == pytest.approx(energy[(c["ligand"], c["receptor"])], abs=0.005)
                                    for c in cells)
    # 3-D views: the table's one view and the ten cards' (the ten lowest energies), each drawn once on screen
    views = facts["viewers"]
    assert views[0]["id"] == "pose-explorer" and len(views) == 1 + 10
    assert facts["live_at_load"] <= 4 and max(v["live"] for v in views) <= 4
    for v in views:
        assert v["canvas"] and v["ready"] and v["text"] == "" and v["lost"] is False and v["lost_events"] == 0, v
        assert 0.02 < _drawn(v["pixels"]) < 0.9 and _orange(v["pixels"]), v["id"]
        on_abl = v["id"] != "pose-explorer" and int(v["id"][4:]) < 36  # ABL's entries come first
        assert (_green(v["pixels"]) > 50) == on_abl or v["id"] == "pose-explorer", (v["id"], _green(v["pixels"]))
    # the table: 72 rows, lowest energy first; sorted by a click on a header; filtered
    table = facts["actions"]["table"]
    assert table["rows"] == 72 and table["count"] == "72 of 72 shown" and table["count_all"] == "72 of 72 shown"
    assert table["energy"] == sorted(energy.values())
    assert table["energy_desc"] == sorted(energy.values(), reverse=True)
    assert table["le_asc"] == sorted(table["le_asc"]) and len(set(table["le_asc"])) > 5
    assert table["ligand_asc"] == sorted(lig for lig, _ in energy)
    assert set(table["receptor_copy"]) == {"ABL_copy"} and table["count_copy"] == "36 of 72 shown"
    assert sorted(table["copy_strong"]) == sorted(e for (_, s), e in energy.items() if s == "ABL_copy" and e <= -10)
    assert table["copy_strong"] and all(e <= -10 for e in table["copy_strong"])
    assert sorted(table["text"]) == ["synthetic_003/ABL", "synthetic_003/ABL_copy"]
    # a click switches the one view: the pose, its title, the selected row; ABL_copy has no experimental ligand
    for name, key, system in (("copy", copy_key, "ABL_copy"), ("abl", abl_key, "ABL")):
        shown = facts["actions"][name]
        assert shown["pose"] == key and shown["selected"] == 1 and shown["selected_key"] == key
        assert shown["title"].startswith(f"{system} (") and shown["title"].endswith(": synthetic_005")
        assert shown["live"] <= 4 and shown["stats"]["maxLive"] <= 4
        assert 0.02 < _drawn(shown["pixels"]) < 0.9 and _orange(shown["pixels"])
        assert (_green(shown["pixels"]) > 50) == (system == "ABL"), (name, _green(shown["pixels"]))
    assert facts["actions"]["abl"]["stats"]["destroyed"] > 0  # views left behind were dropped

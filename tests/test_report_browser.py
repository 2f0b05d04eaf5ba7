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
from collections.abc import Iterator
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


def render(html: Path, screenshot: Path | None) -> dict[str, Any]:
    """Load ``html`` in headless Chromium; return the page facts, the errors and the screenshot path."""
    profile = Path(tempfile.mkdtemp(prefix="netpharm-chromium-"))
    tools = DevTools(profile)
    try:
        tools.call("Browser.getVersion")
        target = tools.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = tools.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Page", "Runtime", "Log", "Network"):
            tools.call(f"{domain}.enable", session=session)
        tools.call("Emulation.setDeviceMetricsOverride", {"width": 1280, "height": 4000, "deviceScaleFactor": 1,
                                                          "mobile": False}, session)
        url = html.resolve().as_uri()
        tools.call("Page.navigate", {"url": url}, session)
        tools.wait_for("Page.loadEventFired")
        tools.drain(1.0)
        probe = """JSON.stringify({
            images: [...document.images].map(i => ({src: i.getAttribute('src') || '', complete: i.complete,
                                                     width: i.naturalWidth, height: i.naturalHeight})),
            inline_svgs: document.querySelectorAll('svg').length,
            claims: [...document.querySelectorAll('#verdict-table tbody tr')].map(
                r => [...r.cells].map(c => c.innerText.trim())),
            sections: [...document.querySelectorAll('section')].map(s => s.id),
            viewers: [...document.querySelectorAll('.viewer3d')].map(v => {
                const c = v.querySelector('canvas'); const r = (c || v).getBoundingClientRect();
                return {id: v.id, canvas: !!c, text: v.innerText.trim(),
                        ready: !!(window.netpharmViewers && window.netpharmViewers[v.id]),
                        x: r.left + window.scrollX, y: r.top + window.scrollY, width: r.width, height: r.height};
            }),
            energy_cells: [...document.querySelectorAll('table.energy-table td')].map(td => ({  // textContent: closed <details>
                engine: td.closest('table').dataset.engine, ligand: td.parentElement.cells[0].textContent.trim(),
                receptor: td.closest('table').tHead.rows[0].cells[td.cellIndex].textContent.trim(),
                energy: td.dataset.energy === undefined ? null : Number(td.dataset.energy),
                text: td.textContent.trim()})),
            height: document.documentElement.scrollHeight,
            overflow_x: document.documentElement.scrollWidth - window.innerWidth})"""
        result = tools.call("Runtime.evaluate", {"expression": probe, "returnByValue": True}, session)
        facts = json.loads(result["result"]["value"])
        facts["viewer_pixels"] = [_clip(tools, session, v) for v in facts["viewers"] if v["canvas"]]
        if screenshot is not None:
            height = min(int(facts["height"]), 16000)
            tools.call("Emulation.setDeviceMetricsOverride", {"width": 1280, "height": height,
                                                              "deviceScaleFactor": 1, "mobile": False}, session)
            shot = tools.call("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True}, session)
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
    shot = tools.call("Page.captureScreenshot", {"format": "png", "clip": clip, "captureBeyondViewport": True},
                      session)
    return mpimg.imread(io.BytesIO(base64.b64decode(shot["data"])), format="png")[..., :3]


def _assert_clean_page(facts: dict[str, Any], n_images: int) -> None:
    assert facts["errors"] == []
    assert facts["overflow_x"] <= 0  # nothing wider than the 1280 px window
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
    assert [v["id"] for v in facts["viewers"]] == ["nmda-pore"]
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
    assert [v["id"] for v in facts["viewers"]] == ["pose3", "pose4"]
    assert all(v["canvas"] and v["ready"] and v["text"] == "" for v in facts["viewers"])
    for pixels in facts["viewer_pixels"]:
        assert pixels.shape[0] >= 400 and pixels.shape[1] >= 500
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

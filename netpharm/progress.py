"""Progress of long work: a tqdm bar on a terminal, plain log lines otherwise.

tqdm (maintained, already a dependency of the stack) draws the bar with done/total,
elapsed time and ETA when stderr is a terminal. In CI or a log file a redrawn bar is
noise, so there the same information goes to ``logging`` at a modest rate: at most one
line every ``interval`` seconds, plus the last one.
"""

from __future__ import annotations

import logging
import sys
import time

__all__ = ["Progress", "LOG_INTERVAL", "LARGE_GRAPH_EDGES"]

LOG_INTERVAL = 30.0  # seconds between plain progress lines
#: Graphs from this many edges show progress for their Monte-Carlo loops (EPC, bootstrap);
#: the paper's 13-target network takes milliseconds and stays quiet.
LARGE_GRAPH_EDGES = 2000


def _format_seconds(seconds: float) -> str:
    seconds = max(0, int(round(seconds)))
    return f"{seconds // 3600:d}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


class Progress:
    """Count ``done`` of ``total`` items; draw a bar or log lines.

    Parameters
    ----------
    total : int
    desc : str
        What is counted ("docking jobs", "bootstrap replicates").
    logger : logging.Logger
        Where plain lines go (the caller's module logger).
    interval : float
        Minimum seconds between plain lines.
    bar : bool or None
        Force the bar on/off; None = a bar only when stderr is a terminal.
    """

    def __init__(self, total: int, desc: str, logger: logging.Logger, interval: float = LOG_INTERVAL,
                 bar: bool | None = None) -> None:
        self.total, self.desc, self.log, self.interval = total, desc, logger, interval
        self.done = 0
        self._skipped = 0  # counted as done but not in the rate (e.g. jobs finished in an earlier run)
        self.detail = ""
        # estimated work (e.g. the docking schedule's cost estimates): when set, the ETA is work-weighted
        self.work_total = 0.0
        self.work_done = 0.0
        self._work_skipped = 0.0
        self.start = time.monotonic()
        self._last_line = self.start
        use_bar = sys.stderr.isatty() if bar is None else bar
        self._bar = None
        if use_bar and total > 0:
            from tqdm import tqdm

            self._bar = tqdm(total=total, desc=desc, unit="", file=sys.stderr, dynamic_ncols=True, leave=True)

    def set_work(self, total: float) -> None:
        """Weigh items by estimated work (``total`` = all items' estimates): the ETA then divides the
        work left by the work rate so far, so one long item left is not "one item of N"."""
        self.work_total = max(0.0, float(total))

    def eta(self) -> float | None:
        """Seconds left at the rate so far (None before the first item of this run)."""
        if self.work_total > 0:
            worked_work = self.work_done - self._work_skipped
            if worked_work <= 0:
                return None if self.done < self.total else 0.0
            return (time.monotonic() - self.start) / worked_work * max(0.0, self.work_total - self.work_done)
        worked = self.done - self._skipped
        if worked <= 0:
            return None if self.done < self.total else 0.0
        return (time.monotonic() - self.start) / worked * (self.total - self.done)

    def skip(self, n: int, work: float = 0.0) -> None:
        """Count ``n`` items already done (finished earlier, ``work`` their estimate): shown, but not
        used for the ETA."""
        self._skipped += n
        self._work_skipped += work
        self.update(n, work=work)

    def line(self) -> str:
        """``docking jobs 3/9, elapsed 0:01:10, ETA 0:02:20 (MOR/morphine 4/20 runs)``"""
        eta = self.eta()
        text = (f"{self.desc} {self.done}/{self.total}, elapsed {_format_seconds(time.monotonic() - self.start)}, "
                f"ETA {_format_seconds(eta) if eta is not None else '?'}")
        return text + (f" ({self.detail})" if self.detail else "")

    def update(self, n: int = 1, detail: str | None = None, work: float = 0.0) -> None:
        """Count ``n`` more items done (``work``: their estimated work) and/or replace the detail text."""
        self.done += n
        self.work_done += work
        if detail is not None:
            self.detail = detail
        if self._bar is not None:
            if self.work_total > 0:  # tqdm's own ETA counts items: show the work-weighted one instead
                eta = self.eta()
                self._bar.bar_format = "{l_bar}{bar}| {n_fmt}/{total_fmt} [{elapsed}{postfix}]"
                self._bar.set_postfix_str(f"ETA {_format_seconds(eta) if eta is not None else '?'}"
                                          + (f", {self.detail}" if self.detail else ""), refresh=False)
            elif detail is not None:
                self._bar.set_postfix_str(detail, refresh=False)
            self._bar.update(n)
            return
        now = time.monotonic()
        if (n and self.done >= self.total) or now - self._last_line >= self.interval:
            self._last_line = now
            self.log.info("%s", self.line())

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


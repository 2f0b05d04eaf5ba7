"""Saving matplotlib figures the same way in every stage.

Each figure is written as PNG and SVG, atomically, with no dates or software strings and
a fixed SVG id salt, so a rerun on the same inputs gives byte-identical files.
"""

from __future__ import annotations

import io
from pathlib import Path

import matplotlib
from matplotlib.figure import Figure

from netpharm.io import write_bytes_atomic

__all__ = ["save_figure"]

_METADATA = {"png": {"Software": None}, "svg": {"Date": None, "Creator": None}}


def save_figure(fig: Figure, base: Path, dpi: float | str = "figure", tight: bool = False) -> list[Path]:
    """Write ``base.png`` and ``base.svg``; returns both paths.

    Parameters
    ----------
    fig : Figure
    base : Path
        Output path without suffix.
    dpi : float or "figure"
        Raster resolution of the PNG.
    tight : bool
        Crop to the drawn content (``bbox_inches="tight"``).
    """
    base = Path(base)
    written = []
    with matplotlib.rc_context({"svg.hashsalt": "netpharm", "svg.fonttype": "path"}):
        bbox = None
        if tight:
            # One layout pass for both formats: bbox_inches="tight" would draw the figure once more per
            # format just to measure it (most of the enrichment stage's time went into those passes).
            fig.draw_without_rendering()
            bbox = fig.get_tightbbox().padded(matplotlib.rcParams["savefig.pad_inches"])
        for fmt in ("png", "svg"):
            buffer = io.BytesIO()
            fig.savefig(buffer, format=fmt, dpi=dpi, metadata=_METADATA[fmt], bbox_inches=bbox)
            written.append(write_bytes_atomic(base.with_name(f"{base.name}.{fmt}"), buffer.getvalue()))
    return written

"""Dot plots of the top enriched terms per category (PNG + SVG, byte-identical on rerun).

The figure is drawn on matplotlib's object API with the Agg canvas (no pyplot global
state, no display needed) and saved by :func:`netpharm.figures.save_figure`, so reruns
produce identical bytes.
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from netpharm.figures import save_figure

__all__ = ["dot_plot", "x_limits"]

_RC: Any = {"font.size": 9}


def _label(name: str, term: str) -> str:
    return f"{textwrap.shorten(name, width=60, placeholder='…')} ({term})"


def x_limits(x: np.ndarray, fdr_threshold: float) -> tuple[float, float]:
    """The dot plot's x range: 0 to past the largest −log10 FDR (and the threshold line), with room for the dots
    (up to ~18 pt wide) and their counts on both sides, so a dot at either end is not cut in half by the axis."""
    right = max(float(x.max()) if x.size else 0.0, -np.log10(fdr_threshold)) * 1.12 + 0.05
    return -0.05 * right, right


def dot_plot(table: pd.DataFrame, title: str, fdr_threshold: float, top_n: int, base: Path) -> list[Path]:
    """Top ``top_n`` terms by FDR: x = −log10 FDR, dot size = query genes, colour = fold enrichment.

    Terms above the FDR threshold are still drawn (left of the dashed line) so an empty
    result is visible as such rather than as a missing figure.
    """
    top = table.sort_values(["fdr", "p_value", "term"], kind="mergesort").head(top_n).iloc[::-1]
    with matplotlib.rc_context(_RC):
        fig = Figure(figsize=(8.0, 1.2 + 0.32 * max(len(top), 1)))
        FigureCanvasAgg(fig)
        ax = fig.add_subplot()
        x = np.zeros(0)
        if top.empty:
            ax.text(0.5, 0.5, "no term holds a query gene", ha="center", va="center", transform=ax.transAxes)
            ax.set_yticks([])
        else:
            x = -np.log10(np.clip(top["fdr"].to_numpy(dtype=float), 1e-300, 1.0))
            y = np.arange(len(top))
            dots = ax.scatter(x, y, s=30 + 25 * top["observed"].to_numpy(dtype=float),
                              c=top["fold_enrichment"].to_numpy(dtype=float), cmap="viridis",
                              edgecolors="black", linewidths=0.4)
            fig.colorbar(dots, ax=ax, label="fold enrichment", fraction=0.04, pad=0.02)
            ax.set_yticks(y, [_label(n, t) for n, t in zip(top["name"], top["term"])])
            ax.set_ylim(-0.7, len(top) - 0.3)
            for xi, yi, k in zip(x, y, top["observed"]):
                ax.annotate(str(int(k)), (xi, yi), xytext=(9, -3), textcoords="offset points", fontsize=7)
        ax.set_xlim(*x_limits(x, fdr_threshold))
        ax.axvline(-np.log10(fdr_threshold), color="grey", linestyle="--", linewidth=0.8)
        ax.set_xlabel(f"−log10 FDR (dashed: FDR = {fdr_threshold:g}; numbers: query genes in term)")
        ax.set_title(title, fontsize=10)
        with matplotlib.rc_context(_RC):
            return save_figure(fig, base, dpi=150, tight=True)

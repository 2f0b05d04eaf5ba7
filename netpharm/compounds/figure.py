"""The intersection figure: a Venn diagram of 2–3 sets, an UpSet plot (Lex et al. 2014) of more.

Drawn by hand with matplotlib (neither matplotlib-venn nor upsetplot is a dependency, and both figures are a few
shapes): the Venn's circles are of equal size — **not** area-proportional — and every region carries its count,
which is what a reader checks against a paper's diagram.
"""

from __future__ import annotations

from collections.abc import Mapping
from itertools import product
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # headless

import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.patches import Circle  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402

from netpharm.figures import save_figure  # noqa: E402

__all__ = ["region_counts", "write_intersection_figure"]

_COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b")
_CENTRES = {2: ((-0.55, 0.0), (0.55, 0.0)), 3: ((-0.55, 0.35), (0.55, 0.35), (0.0, -0.55))}


def region_counts(sets: Mapping[str, set[str]]) -> dict[tuple[bool, ...], int]:
    """Elements per exclusive membership pattern (``(in A, in B, ...)``), every non-empty pattern listed."""
    names = list(sets)
    everything = set().union(*sets.values()) if sets else set()
    counts = {pattern: 0 for pattern in product((True, False), repeat=len(names)) if any(pattern)}
    for element in everything:
        counts[tuple(element in sets[n] for n in names)] += 1
    return counts


def _label_position(pattern: tuple[bool, ...], centres: tuple[tuple[float, float], ...]) -> tuple[float, float]:
    inside = [c for c, member in zip(centres, pattern) if member]
    outside = [c for c, member in zip(centres, pattern) if not member]
    x = sum(c[0] for c in inside) / len(inside)
    y = sum(c[1] for c in inside) / len(inside)
    for ox, oy in outside:  # push away from the circles the region is outside of
        x, y = x + (x - ox) * 0.35, y + (y - oy) * 0.35
    return x, y


def _venn(sets: Mapping[str, set[str]], title: str) -> plt.Figure:
    names = list(sets)
    centres = _CENTRES[len(names)]
    fig, ax = plt.subplots(figsize=(6, 5.5))
    for (x, y), name, colour in zip(centres, names, _COLOURS):
        ax.add_patch(Circle((x, y), 1.0, alpha=0.25, facecolor=colour, edgecolor=colour, linewidth=2))
        dx = 0.0 if abs(x) < 0.1 else (0.45 if x > 0 else -0.45)  # top labels apart, over their circle's side
        dy = 1.12 if y >= 0 else -1.2
        ax.text(x + dx, y + dy, f"{name}\n({len(sets[name])})", ha="center", va="center", fontsize=10,
                color=colour)
    for pattern, count in region_counts(sets).items():
        x, y = _label_position(pattern, centres)
        bold = all(pattern)
        ax.text(x, y, str(count), ha="center", va="center", fontsize=13 if bold else 11,
                fontweight="bold" if bold else "normal")
    ax.set_xlim(-2.0, 2.0)
    ax.set_ylim(-2.0, 1.9)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title(title + "\n(circles not to scale; numbers are exact)", fontsize=10)
    return fig


def _upset(sets: Mapping[str, set[str]], title: str) -> plt.Figure:
    names = list(sets)
    rows = sorted(((p, c) for p, c in region_counts(sets).items() if c), key=lambda pc: -pc[1])
    fig, (bars, dots) = plt.subplots(2, 1, figsize=(max(6, 0.5 * len(rows) + 2), 2 + 0.4 * len(names) + 3),
                                     gridspec_kw={"height_ratios": (3, 0.4 * len(names) + 0.5)}, sharex=True)
    xs = range(len(rows))
    bars.bar(xs, [c for _, c in rows], color="#444")
    for x, (_, c) in zip(xs, rows):
        bars.text(x, c, str(c), ha="center", va="bottom", fontsize=8)
    bars.set_ylabel("exclusive intersection size")
    bars.yaxis.set_major_locator(MaxNLocator(integer=True))
    bars.set_title(title, fontsize=10)
    for x, (pattern, _) in zip(xs, rows):
        members = [i for i, m in enumerate(pattern) if m]
        dots.scatter([x] * len(names), range(len(names)), color="#ddd", s=40)
        dots.scatter([x] * len(members), members, color="#222", s=40)
        if len(members) > 1:
            dots.plot([x, x], [min(members), max(members)], color="#222")
    dots.set_yticks(range(len(names)), [f"{n} ({len(sets[n])})" for n in names])
    dots.set_xticks([])
    return fig


def write_intersection_figure(sets: Mapping[str, set[str]], base: Path, title: str) -> list[Path]:
    """Venn for 2–3 sets, UpSet for more; PNG and SVG at ``base`` (no suffix). Nothing for fewer than 2 sets."""
    if len(sets) < 2:
        return []
    fig = _venn(sets, title) if len(sets) <= 3 else _upset(sets, title)
    try:
        return save_figure(fig, base, dpi=120, tight=True)
    finally:
        plt.close(fig)

"""HTML building blocks for the templated report: escaping, table and figure views.

The page itself is rendered by jinja2 templates (``netpharm/<package>/templates``) with
autoescaping on (:mod:`netpharm.present.templating`); what this module hands to them is
either plain data (escaped by jinja2) or :class:`markupsafe.Markup` made from escaped
parts: pandas' ``to_html(escape=True)`` tables and ``data:`` URIs of figures, so the file
reads offline with no external resource.
"""

from __future__ import annotations

import base64
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from markupsafe import Markup

from netpharm.io import read_tsv

__all__ = ["CSS", "rel", "fmt", "TableView", "FigureView", "TsvBlock", "table_view", "figure_view", "tsv_block",
           "figure_views", "MAX_ROWS"]

#: Rows shown per table before truncation (the full table stays in the linked TSV).
MAX_ROWS = 25
_MIME = {".png": "image/png", ".svg": "image/svg+xml", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}

CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0 auto;max-width:1200px;
padding:1rem 2rem;color:#1b1b1b;line-height:1.4}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{border-bottom:2px solid #ccd;padding-bottom:.2rem;margin-top:2rem}
h3{margin-bottom:.3rem}table{border-collapse:collapse;margin:.5rem 0 1rem;font-size:.85rem}
th,td{border:1px solid #ccd;padding:.2rem .45rem;text-align:left;vertical-align:top;overflow-wrap:break-word}
.scroll{overflow-x:auto;max-width:100%}
th{background:#eef0f6}tr:nth-child(even) td{background:#fafbfd}
.missing{background:#fff4e5;border-left:5px solid #e8a33d;padding:.5rem 1rem;margin:1rem 0}
.badge{display:inline-block;padding:0 .4rem;border-radius:.3rem;font-size:.8rem;font-weight:600}
.ok,.supported{background:#d9f2dd;color:#14532d}.partial,.partially-supported{background:#fff1c2;color:#713f12}
.not_run,.cannot-be-evaluated-here{background:#e5e7eb;color:#374151}
.failed,.not-supported{background:#fde2e1;color:#7f1d1d}
figure{margin:1rem 0}figure img{max-width:100%;height:auto;border:1px solid #dde}
figcaption{font-size:.85rem;color:#444}.note{font-size:.85rem;color:#555}
pre{background:#f6f7f9;padding:.5rem;overflow-x:auto;font-size:.8rem}
nav a{margin-right:.8rem}details{margin:.5rem 0}summary{cursor:pointer;font-weight:600}
table.nested{margin:0;font-size:.8rem}table.nested th{background:#f3f4f8;font-weight:500}
.pose{display:flex;flex-wrap:wrap;gap:1rem;align-items:flex-start;margin:1rem 0}
.pose figure{flex:1 1 420px;max-width:570px;margin:0}.viewer-box{flex:0 0 520px;width:520px}
.viewer3d{position:relative;width:520px;height:420px;border:1px solid #dde}.viewer-note{font-size:.8rem;color:#555;margin:.2rem 0}
td.missing-cell{background:#eee;color:#555;font-style:italic}
.explorer{display:grid;grid-template-columns:minmax(0,1fr) 400px;gap:1rem;align-items:start}
.explorer .viewer-box,.explorer .viewer3d{width:400px}.explorer-view{position:sticky;top:.5rem}
.viewer3d .gl{position:absolute;inset:0}.viewer-title{font-weight:600;margin:0 0 .3rem;min-height:1.2em}
.table-tools{display:flex;flex-wrap:wrap;gap:.4rem 1rem;align-items:center;font-size:.85rem;margin:.3rem 0}
.table-tools input[type=number]{width:5rem}.table-count{color:#555}
.table-scroll{max-height:34rem;overflow:auto;border:1px solid #dde}
.table-scroll table{margin:0;width:100%;font-size:.78rem}.table-scroll td{padding:.15rem .35rem}
.table-scroll thead th{position:sticky;top:0;z-index:1}
table.explore th[data-sort]{cursor:pointer;white-space:nowrap}
table.explore th[aria-sort=ascending]::after{content:" ▲"}table.explore th[aria-sort=descending]::after{content:" ▼"}
table.explore tr[data-show-pose]{cursor:pointer}table.explore tr.selected td{background:#fff3d6}
button.show-pose{border:0;background:none;padding:0;color:#1d4ed8;text-decoration:underline;cursor:pointer;
font:inherit;text-align:left}
#verdict-table{table-layout:fixed;width:100%}#verdict-table td{overflow-wrap:anywhere}
#verdict-table th:nth-child(1){width:2.2rem}#verdict-table th:nth-child(2){width:9rem}
#verdict-table th:nth-child(3){width:7rem}#verdict-table th:nth-child(6){width:7.5rem}
#verdict-table th:nth-child(8){width:8.5rem}
"""


def rel(target: Path, base: Path) -> str:
    """The relative link from the folder ``base`` to ``target`` (both on disk), POSIX style."""
    return Path(os.path.relpath(target, base)).as_posix()


def fmt(x: Any) -> str:
    """A cell value: floats to 4 significant digits, ``None`` empty, booleans ``yes``/``no`` (not Python's
    ``True``/``False``)."""
    if x is None:
        return ""
    if isinstance(x, (bool, np.bool_)):
        return "yes" if x else "no"
    return f"{x:.4g}" if isinstance(x, float) else str(x)


def _yes_no(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with every boolean cell as ``yes``/``no`` (pandas would print ``True``/``False``)."""
    flags = [c for c in frame.columns if frame[c].map(lambda v: isinstance(v, (bool, np.bool_))).any()]
    if not flags:
        return frame
    frame = frame.copy()
    for c in flags:
        frame[c] = frame[c].map(lambda v: fmt(v) if isinstance(v, (bool, np.bool_)) else v).astype(object)
    return frame


@dataclass(frozen=True)
class TableView:
    """A DataFrame ready for the page: escaped HTML, how many rows were left out, its TSV."""

    html: Markup
    hidden_rows: int = 0
    source: str | None = None  # relative link to the full TSV
    source_name: str = ""


@dataclass(frozen=True)
class FigureView:
    """An embedded figure: ``data:`` URI, caption, links to its PNG/SVG files."""

    caption: str
    uri: str | None = None  # None: the file is missing (the page says so)
    name: str = ""
    links: list[tuple[str, str]] = field(default_factory=list)  # (relative href, text)


def table_view(frame: pd.DataFrame, source: Path | None = None, base: Path | None = None,
               max_rows: int = MAX_ROWS) -> TableView:
    """A DataFrame as an escaped HTML table, truncated to ``max_rows`` with a link to its full TSV."""
    shown = _yes_no(frame.head(max_rows))
    body = Markup(shown.to_html(index=False, escape=True, na_rep="", border=0, float_format=fmt))
    link = rel(source, base) if source is not None and base is not None else None
    return TableView(body, max(len(frame) - max_rows, 0), link, source.name if source is not None else "")


def figure_view(path: Path, caption: str, base: Path) -> FigureView:
    """An embedded figure (``data:`` URI) with links to the PNG/SVG files next to it."""
    path = Path(path)
    mime = _MIME.get(path.suffix.lower())
    if mime is None or not path.is_file() or path.stat().st_size == 0:
        return FigureView(caption, None, path.name)
    data = base64.b64encode(path.read_bytes()).decode("ascii")
    links = [(rel(p, base), p.suffix[1:].upper()) for p in (path.with_suffix(".png"), path.with_suffix(".svg"))
             if p.is_file()]
    return FigureView(caption, f"data:{mime};base64,{data}", path.name, links)


@dataclass(frozen=True)
class TsvBlock:
    """A stage's TSV shown under a heading (``table`` None: the run did not write it)."""

    title: str
    rel: str
    table: TableView | None
    folded: str = ""  # summary line of a collapsed <details>, or "" to show the table open


def tsv_block(run_dir: Path, base: Path, rel_path: str, title: str, max_rows: int | None = None,
              folded: str = "") -> TsvBlock:
    """The TSV ``run_dir/rel_path`` as a block (``max_rows`` None: the default truncation)."""
    path = run_dir / rel_path
    frame = read_tsv(path)
    if frame is None:
        return TsvBlock(title, rel_path, None)
    view = table_view(frame, path, base) if max_rows is None else table_view(frame, path, base, max_rows)
    return TsvBlock(title, rel_path, view, folded)


def figure_views(run_dir: Path, base: Path, rels: list[str], caption: str) -> list[FigureView]:
    """The PNG figures among ``rels`` (else the SVGs), embedded with ``caption: <file stem>``."""
    pngs = [r for r in rels if r.lower().endswith(".png")]
    shown = pngs or [r for r in rels if r.lower().endswith(".svg")]
    return [figure_view(run_dir / r, f"{caption}: {Path(r).stem}", base) for r in shown]

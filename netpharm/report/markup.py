"""HTML building blocks for the self-contained report: escaping, tables, embedded figures.

Every value that reaches the page goes through :func:`esc` (``html.escape``) or pandas'
``to_html(escape=True)``; figures are embedded as ``data:`` URIs so the file reads
offline with no external resource and no JavaScript.
"""

from __future__ import annotations

import base64
import html
import json
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

__all__ = ["CSS", "esc", "link", "table", "records_table", "mapping_table", "figure", "section", "details",
           "bullet_list", "status_badge", "MAX_ROWS"]

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
"""


def esc(value: Any) -> str:
    """HTML-escape any value (``None`` → empty)."""
    return "" if value is None else html.escape(str(value), quote=True)


def link(target: Path, base: Path, text: str | None = None) -> str:
    """A relative link from the folder ``base`` to ``target`` (both on disk)."""
    rel = Path(os.path.relpath(target, base)).as_posix()
    return f'<a href="{esc(rel)}">{esc(text or target.name)}</a>'


def status_badge(status: str) -> str:
    """A coloured label for a stage status or a verdict."""
    return f'<span class="badge {esc(status.replace(" ", "-"))}">{esc(status)}</span>'


def _fmt(x: Any) -> str:
    return f"{x:.4g}" if isinstance(x, float) else str(x)


def table(frame: pd.DataFrame, source: Path | None = None, base: Path | None = None,
          max_rows: int = MAX_ROWS) -> str:
    """A DataFrame as an escaped HTML table, truncated with a link to its full TSV."""
    shown = frame.head(max_rows)
    body = '<div class="scroll">' + shown.to_html(index=False, escape=True, na_rep="", border=0,
                                                   float_format=_fmt) + "</div>"
    if len(frame) > max_rows:
        more = f"{len(frame) - max_rows} more rows"
        if source is not None and base is not None:
            more += " in " + link(source, base)
        body += f'<p class="note">… {more}.</p>'
    elif source is not None and base is not None:
        body += f'<p class="note">Full table: {link(source, base)}</p>'
    return body


def records_table(rows: Iterable[Mapping[str, Any]], columns: list[str] | None = None) -> str:
    """A list of dicts as a table (lists joined by commas, nested values as JSON)."""
    rows = list(rows)
    if not rows:
        return '<p class="note">none</p>'
    cols = columns or list(dict.fromkeys(k for r in rows for k in r))

    def cell(v: Any) -> str:
        if isinstance(v, (list, tuple)):
            return ", ".join(cell(x) for x in v)
        if isinstance(v, dict):
            return json.dumps(v, sort_keys=True, default=str)
        return "" if v is None else _fmt(v)
    return table(pd.DataFrame([{c: cell(r.get(c)) for c in cols} for r in rows], columns=cols), max_rows=10_000)


def mapping_table(data: Mapping[str, Any], key: str = "name", value: str = "value") -> str:
    """A flat mapping as a two-column table."""
    return records_table([{key: k, value: v} for k, v in data.items()], [key, value])


def figure(path: Path, caption: str, base: Path) -> str:
    """An embedded figure (``data:`` URI) with a caption and links to the PNG/SVG files."""
    path = Path(path)
    mime = _MIME.get(path.suffix.lower())
    if mime is None or not path.is_file() or path.stat().st_size == 0:
        return f'<p class="note">Figure missing: {esc(path.name)}</p>'
    data = base64.b64encode(path.read_bytes()).decode("ascii")
    links = [link(p, base, p.suffix[1:].upper()) for p in (path.with_suffix(".png"), path.with_suffix(".svg"))
             if p.is_file()]
    return (f'<figure><img src="data:{mime};base64,{data}" alt="{esc(caption)}">'
            f'<figcaption>{esc(caption)} ({" · ".join(links)})</figcaption></figure>')


def details(summary: str, body: str) -> str:
    """A collapsible block (HTML ``<details>``, no JavaScript) for long, secondary content."""
    return f"<details><summary>{esc(summary)}</summary>{body}</details>"


def section(anchor: str, title: str, body: str) -> str:
    return f'<section id="{esc(anchor)}"><h2>{esc(title)}</h2>\n{body}\n</section>'


def bullet_list(items: Iterable[str], escape: bool = True) -> str:
    """A <ul>; items are escaped unless they are already markup."""
    items = list(items)
    if not items:
        return '<p class="note">none</p>'
    return "<ul>" + "".join(f"<li>{esc(i) if escape else i}</li>" for i in items) + "</ul>"

"""Rows of a CSV, TSV or XLSX file with their line numbers: what every reader starts from.

CSV and TSV through the standard ``csv`` module (quoted cells with newlines, CRLF), a byte-order mark
dropped; XLSX through openpyxl (values as text, rows numbered as the sheet numbers them).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from netpharm.errors import CompoundsError
from netpharm.io import decode_text, read_bytes_file

__all__ = ["Row", "Sheet", "read_sheet", "column_index", "find_column", "cell", "number"]

_XLSX_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # legacy .xls


@dataclass(frozen=True)
class Row:
    """One row: its line (1-based, as an editor or the spreadsheet shows it) and its cells as text."""

    line: int
    cells: tuple[str, ...]

    def blank(self) -> bool:
        return not any(c.strip() for c in self.cells)


@dataclass(frozen=True)
class Sheet:
    """A file's rows (blank rows kept: some formats end a block with one) and where they came from."""

    origin: str
    rows: tuple[Row, ...]
    body: bytes

    def where(self, row: Row, column: str = "") -> str:
        """``file: line N[, column C]`` for messages."""
        return f"{self.origin}: line {row.line}" + (f", column {column!r}" if column else "")


def _xlsx_rows(body: bytes, origin: str, sheet: str) -> list[Row]:
    import openpyxl  # a dependency of the compounds stage only: imported when an XLSX is read

    try:
        book = openpyxl.load_workbook(io.BytesIO(body), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged file  # noqa: BLE001
        raise CompoundsError(f"{origin}: not a readable XLSX workbook ({exc.__class__.__name__}: {exc})") from exc
    try:
        if sheet and sheet not in book.sheetnames:
            raise CompoundsError(f"{origin}: no sheet {sheet!r}; the workbook has {book.sheetnames}")
        ws = book[sheet] if sheet else book.worksheets[0]
        return [Row(i, tuple("" if v is None else _text(v) for v in values))
                for i, values in enumerate(ws.iter_rows(values_only=True), start=1)]
    finally:
        book.close()


def _text(value: object) -> str:
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return str(value)


def _delimiter(text: str, path: Path) -> str:
    head = [line for line in text.splitlines()[:50] if line.strip()]
    if any("\t" in line for line in head):
        return "\t"
    if path.suffix.lower() == ".csv" or any("," in line for line in head):
        return ","
    return "\t"  # one column: any delimiter reads it


def read_sheet(path: Path, sheet: str = "", what: str = "target table") -> Sheet:
    """The rows of ``path`` (CSV, TSV, ``.txt`` or XLSX; the content decides, not the extension).

    Raises
    ------
    CompoundsError
        Missing/unreadable file, a legacy ``.xls``, non-UTF-8 text (the line named), a damaged workbook.
    """
    origin = str(path)
    body = read_bytes_file(path, what, CompoundsError)
    if body.startswith(_OLE_MAGIC):
        raise CompoundsError(f"{origin}: a legacy Excel .xls file; save it as .xlsx or CSV")
    if body.startswith(_XLSX_MAGIC):
        return Sheet(origin, tuple(_xlsx_rows(body, origin, sheet)), body)
    if sheet:
        raise CompoundsError(f"{origin}: 'sheet' is set but the file is text, not an XLSX workbook")
    text = decode_text(body, origin, what, CompoundsError)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text, Path(path)))
    rows: list[Row] = []
    last_line = 0
    try:
        for cells in reader:  # a record's line is its first physical line (a quoted cell may hold newlines)
            start = last_line + 1
            last_line = reader.line_num
            rows.append(Row(start, tuple(cells)))
    except csv.Error as exc:
        raise CompoundsError(f"{origin}: line {reader.line_num}: {exc}") from exc
    return Sheet(origin, tuple(rows), body)


def column_index(header: Sequence[str] | None, spec: str | int, origin: str, what: str) -> int:
    """0-based index of column ``spec`` (a header name, case- and space-insensitive, or a 1-based number).

    Raises
    ------
    CompoundsError
        No such column (the header's names listed).
    """
    if isinstance(spec, int):
        return spec - 1
    if header is None:
        raise CompoundsError(f"{origin}: {what} column {spec!r} is a name but the table has no header "
                             "(header = false): give its number")
    wanted = spec.strip().lower()
    for i, name in enumerate(header):
        if name.strip().lower() == wanted:
            return i
    raise CompoundsError(f"{origin}: no {what} column {spec!r}; the header has {[h.strip() for h in header]}")


def find_column(header: Sequence[str], names: Sequence[str]) -> int | None:
    """Index of the first of ``names`` (case- and space-insensitive) in ``header``, or None."""
    normal = [h.strip().lower() for h in header]
    for name in names:
        if name.lower() in normal:
            return normal.index(name.lower())
    return None


def cell(row: Row, index: int) -> str:
    """The stripped cell ``index`` of ``row`` ("" beyond its end: a short row)."""
    return row.cells[index].strip() if index < len(row.cells) else ""


def number(sheet: Sheet, row: Row, index: int, column: str) -> float:
    """Cell ``index`` as a number.

    Raises
    ------
    CompoundsError
        Not a number (file, line and column named).
    """
    text = cell(row, index).rstrip("%").strip()
    try:
        return float(text)
    except ValueError:
        raise CompoundsError(f"{sheet.where(row, column)}: {cell(row, index)!r} is not a number") from None

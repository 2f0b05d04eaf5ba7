"""The column-wise STRING reader equals the row-by-row reader, on every real export we hold.

``parse_string_table`` checks a file column by column and reads it row by row only when a
check fails (to name the line). These tests run both readers on the same real files and on
hand-made variants (named as such) and require identical tables.
"""

from __future__ import annotations

import csv
import gzip
import io
import math
from pathlib import Path

import numpy as np
import pytest

from netpharm.errors import ImportFormatError
from netpharm.network.string_tsv import (
    EDGE_COLUMNS,
    _detect,
    _Layout,
    _read_columns,
    _read_rows,
    parse_string_table,
)

DATA = Path(__file__).parent / "data"
REAL_EXPORTS = sorted([*(DATA / "cytoscape").glob("*.tsv"), *(DATA / "string_v12_more").glob("pythonproject5_*.tsv"),
                       DATA / "string461" / "string_export_461_nodes_v12x.tsv.gz"])


def _text(path: Path) -> str:
    data = path.read_bytes()
    return (gzip.decompress(data) if path.suffix == ".gz" else data).decode("utf-8")


def _both(text: str, species: int | None = None, real: tuple[str, ...] | None = None):  # type: ignore[no-untyped-def]
    rows = list(csv.reader(io.StringIO(text), delimiter="\t"))
    header, body = rows[0], rows[1:]
    _, mapping = _detect(header, "x")
    index = {mapping[h.lstrip("#").strip()]: i for i, h in enumerate(header) if h.lstrip("#").strip() in mapping}
    if real is not None:
        index = {c: i for c, i in index.items() if c in set(real) | {"name_a", "name_b", "score"}}
    taxon = next((i for i, h in enumerate(header) if h.strip() == "ncbiTaxonId"), None)
    layout = _Layout("x", len(header), index, taxon, species)
    numbered = [(i, r) for i, r in enumerate(body, start=2) if r]
    return _read_columns([r for _, r in numbered], layout), _read_rows(numbered, layout)


def _both_columns_only(text: str):  # type: ignore[no-untyped-def]
    rows = list(csv.reader(io.StringIO(text), delimiter="\t"))
    _, mapping = _detect(rows[0], "x")
    index = {mapping[h.lstrip("#").strip()]: i for i, h in enumerate(rows[0]) if h.lstrip("#").strip() in mapping}
    return _read_columns([r for r in rows[1:] if r], _Layout("x", len(rows[0]), index, None, None))


def _same(fast, slow) -> None:  # type: ignore[no-untyped-def]
    assert fast is not None, "the column reader refused a valid file"
    (cols_f, mult_f, ids_f, taxa_f), (cols_s, mult_s, ids_s, taxa_s) = fast, slow
    for column in EDGE_COLUMNS:
        a, b = cols_f[column], cols_s[column]
        if column in EDGE_COLUMNS[4:]:
            np.testing.assert_array_equal(np.asarray(a), np.asarray(b))  # NaN == NaN here
            assert np.asarray(a).dtype == np.float64
        else:
            assert list(a) == list(b)
    assert list(mult_f.items()) == list(mult_s.items())
    assert list(ids_f.items()) == list(ids_s.items())
    assert taxa_f == taxa_s


@pytest.mark.parametrize("path", REAL_EXPORTS, ids=lambda p: p.name)
def test_column_reader_equals_row_reader_on_real_exports(path: Path) -> None:
    assert len(REAL_EXPORTS) >= 7
    _same(*_both(_text(path)))


def test_real_461_export_counts_and_edges_frame() -> None:
    parsed = parse_string_table(_text(DATA / "string461" / "string_export_461_nodes_v12x.tsv.gz"))
    # the full web export lists each of its 9,352 pairs twice (README of tests/data/string461)
    assert (parsed.rows, len(parsed.columns["name_a"]), len(parsed.nodes)) == (18704, 9352, 461)
    assert parsed.duplicate_pairs == 9352 and parsed.species == 9606
    frame = parsed.edges
    assert list(frame.columns) == list(EDGE_COLUMNS) and len(frame) == 9352
    assert (frame["name_a"] < frame["name_b"]).all()


def test_blank_channels_and_real_columns_hand_made_variant() -> None:
    """Hand-made from the real GRIA1 export: two channel cells blanked; ids declared not real."""
    text = _text(DATA / "string_v12_more" / "pythonproject5_GRIA1.tsv")
    lines = text.splitlines()
    cells = lines[1].split("\t")
    cells[5] = cells[6] = ""
    variant = "\n".join([lines[0], "\t".join(cells), *lines[2:]]) + "\n"
    fast, slow = _both(variant)
    _same(fast, slow)
    columns = fast[0]
    row = next(i for i, (a, b) in enumerate(zip(columns["name_a"], columns["name_b"])) if {a, b} == set(cells[:2]))
    assert math.isnan(columns["fscore"][row]) and math.isnan(columns["pscore"][row])  # missing, never 0
    assert columns["hscore"][row] == float(cells[7])
    _same(*_both(variant, real=("name_a", "name_b", "score")))
    _same(*_both(variant, species=9606))


@pytest.mark.parametrize(("edit", "message"), [
    (lambda c: c.__setitem__(12, ""), "line 5: empty combined score"),
    (lambda c: c.__setitem__(12, "1.7"), "line 5: score = 1.7 outside 0–1"),
    (lambda c: c.__setitem__(1, c[0]), "line 5: self-interaction"),
    (lambda c: c.__setitem__(2, "10116.ENSRNOP1"), "line 5:"),
    (lambda c: c.__setitem__(6, "x"), "line 5: column 'pscore' is not a number"),
])
def test_a_bad_row_falls_back_to_the_row_reader_and_names_its_line(edit, message) -> None:  # type: ignore[no-untyped-def]
    """Hand-made: one cell of line 5 of the real GRIA1 export broken."""
    lines = _text(DATA / "string_v12_more" / "pythonproject5_GRIA1.tsv").splitlines()
    cells = lines[4].split("\t")
    edit(cells)
    lines[4] = "\t".join(cells)
    text = "\n".join(lines) + "\n"
    assert _both_columns_only(text) is None  # the column reader refuses it; the row reader names the line
    with pytest.raises(ImportFormatError, match=message):
        parse_string_table(text, origin="gria1.tsv")

"""Shape checks of a remote answer, run before it may enter the cache.

A server can answer HTTP 200 with an HTML maintenance page, nothing at all, a body cut
off mid-transfer, bytes that are not UTF-8, or a JSON error object where a TSV was
asked for. Cached, such an answer would make every rerun fail the same way (or worse,
be parsed as "no data"). Each endpoint therefore declares the shape it must have; a
body that does not have it is a :class:`~netpharm.errors.FetchError` naming the
endpoint, and is never stored. The same checks run when an entry is read back, so an
answer cached by an older netpharm is reported as corrupt (``--refresh`` re-fetches it).

Some answers have the right shape and are still wrong: an mmCIF cut at a line boundary, a
mirror serving another entry's file, a PubChem SMILES that does not parse. Where the content
can be checked cheaply it is (:func:`expect_rcsb_entry`, :func:`expect_pubchem_properties`):
such an answer would otherwise be cached and fail every later run deep inside a parser.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

from netpharm.errors import FetchError
from netpharm.sources.truncation import mmcif_truncation, parse_problem, pdb_truncation

__all__ = ["Validator", "MalformedAnswer", "expect_tsv", "expect_json", "expect_mmcif", "expect_pdb", "expect_structure",
           "expect_rcsb_entry", "expect_pubchem_properties", "describe_body", "validator_for"]

#: ``validate(body, endpoint)`` raises :class:`MalformedAnswer` when the body has the wrong shape.
Validator = Callable[[bytes, str], None]


class MalformedAnswer(FetchError):
    """HTTP 200, but the body is not what the endpoint returns (HTML, empty, truncated, garbled)."""


def describe_body(body: bytes) -> str:
    """The first bytes of a body, for an error message."""
    head = body[:120].decode("utf-8", errors="replace").replace("\n", "\\n").replace("\r", "\\r")
    return repr(head) + ("..." if len(body) > 120 else "")


def _text(body: bytes, endpoint: str) -> str:
    if not body.strip():
        raise MalformedAnswer(f"{endpoint} returned an empty answer")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise MalformedAnswer(f"{endpoint} returned bytes that are not UTF-8 text (byte 0x{body[exc.start]:02x} "
                              f"at offset {exc.start})") from exc
    if "\x00" in text:
        raise MalformedAnswer(f"{endpoint} returned binary data: {describe_body(body)}")
    head = text.lstrip()[:200].lower()
    if head.startswith(("<!doctype", "<html", "<?xml", "<")) or "<html" in head:
        raise MalformedAnswer(f"{endpoint} returned an HTML/XML page instead of data: {describe_body(body)}")
    return text


def expect_tsv(columns: Sequence[str], what: str = "TSV") -> Validator:
    """A tab-separated table whose header holds ``columns`` and whose rows all have its field count.

    A row with fewer fields is how a body cut off mid-transfer shows; an error text such
    as STRING's ``Error: ...`` has no such header.
    """
    required = tuple(columns)

    def validate(body: bytes, endpoint: str) -> None:
        text = _text(body, endpoint)
        lines = text.splitlines()
        header = lines[0].split("\t")
        if text.lstrip().startswith(("{", "[", "Error", "error")):
            raise MalformedAnswer(f"{endpoint} returned an error body instead of a {what}: {describe_body(body)}")
        absent = [c for c in required if c not in header]
        if absent:
            raise MalformedAnswer(f"{endpoint} returned a body that is not the expected {what} (header lacks "
                                  f"{', '.join(absent)}): {describe_body(body)}")
        for number, line in enumerate(lines[1:], start=2):
            if line and len(line.split("\t")) != len(header):
                raise MalformedAnswer(f"{endpoint} returned a truncated or garbled {what}: line {number} has "
                                      f"{len(line.split(chr(9)))} fields, the header {len(header)}")
    return validate


def expect_json(check: Callable[[Any], bool] | None = None, what: str = "JSON") -> Validator:
    """A JSON document (optionally satisfying ``check``, e.g. holding the expected keys)."""
    def validate(body: bytes, endpoint: str) -> None:
        text = _text(body, endpoint)
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise MalformedAnswer(f"{endpoint} returned a body that is not valid JSON (truncated or garbled: "
                                  f"{exc.msg} at offset {exc.pos}): {describe_body(body)}") from exc
        if check is not None and not check(data):
            raise MalformedAnswer(f"{endpoint} returned JSON that is not the expected {what}: {describe_body(body)}")
    return validate


def expect_mmcif(body: bytes, endpoint: str) -> None:
    """An mmCIF file: starts with a ``data_`` block and holds atom sites (truncation-prone: size)."""
    text = _text(body, endpoint)
    if not text.lstrip().startswith("data_"):
        raise MalformedAnswer(f"{endpoint} returned a body that is not mmCIF (no data_ block): {describe_body(body)}")
    if "_atom_site." not in text:
        raise MalformedAnswer(f"{endpoint} returned an mmCIF without atom sites (truncated?)")


def expect_pdb(body: bytes, endpoint: str) -> None:
    """A PDB-format file: holds ATOM/HETATM records and is not visibly cut short."""
    text = _text(body, endpoint)
    if not any(line.startswith(("ATOM  ", "HETATM")) for line in text.splitlines()):
        raise MalformedAnswer(f"{endpoint} returned a body without ATOM/HETATM records: {describe_body(body)}")
    cut = pdb_truncation(text)
    if cut:
        raise MalformedAnswer(f"{endpoint} returned a truncated PDB file, {cut}")


def expect_structure(body: bytes, endpoint: str) -> None:
    """A coordinate file, mmCIF or PDB format (the readers accept either whatever the extension)."""
    if _text(body, endpoint).lstrip().startswith("data_"):
        expect_mmcif(body, endpoint)
    else:
        expect_pdb(body, endpoint)


def _mmcif_entry_id(text: str, endpoint: str) -> str:
    """The entry id of a complete mmCIF file (``_entry.id``, else the ``data_`` block's name).

    gemmi refuses a file cut inside a loop row or a text field; a file cut at a line or category
    boundary still parses and is checked by :func:`~netpharm.sources.truncation.mmcif_truncation`
    (what can and cannot be told is listed there).
    """
    import gemmi  # the C++ CIF parser; imported here so STRING-only runs never load it

    try:
        block = gemmi.cif.read_string(text).sole_block()
    except (RuntimeError, ValueError) as exc:
        raise MalformedAnswer(f"{endpoint} returned an mmCIF that does not parse (truncated or garbled: "
                              f"{parse_problem(exc)[:160]})") from None
    cut = mmcif_truncation(text, block)
    if cut:
        raise MalformedAnswer(f"{endpoint} returned a truncated mmCIF file, {cut}")
    return str(block.find_value("_entry.id") or block.name).strip("'\"").upper()


def _pdb_entry_id(text: str) -> str:
    """The id in a PDB file's ``HEADER`` record (columns 63-66), ``""`` when there is none."""
    header = next((line for line in text.splitlines()[:5] if line.startswith("HEADER")), "")
    return header[62:66].strip().upper()


def expect_rcsb_entry(pdb_id: str) -> Validator:
    """The coordinate file of entry ``pdb_id``: well-formed (:func:`expect_structure`), complete (an mmCIF
    parses and ends its last category), and naming ``pdb_id`` itself (``_entry.id`` / ``data_`` block,
    or a PDB file's ``HEADER``) — a mirror that serves another entry's file under this name is refused.
    """
    wanted = pdb_id.upper()

    def validate(body: bytes, endpoint: str) -> None:
        expect_structure(body, endpoint)
        text = body.decode("utf-8")
        found = _mmcif_entry_id(text, endpoint) if text.lstrip().startswith("data_") else _pdb_entry_id(text)
        if found and found != wanted:
            raise MalformedAnswer(f"{endpoint} returned the file of entry {found}, not {wanted}")
    return validate


def expect_pubchem_properties(body: bytes, endpoint: str) -> None:
    """A PUG REST property table whose first compound has an InChIKey and a SMILES RDKit parses."""
    expect_json(_is_pubchem_properties, "PubChem property table")(body, endpoint)
    props = json.loads(body)["PropertyTable"]["Properties"][0]
    smiles = props.get("IsomericSMILES") or props.get("SMILES")  # PubChem renamed the field in 2025
    if not isinstance(smiles, str) or not smiles.strip() or not str(props.get("InChIKey") or "").strip():
        raise MalformedAnswer(f"{endpoint} returned a PubChem property table without SMILES/InChIKey: "
                              f"{describe_body(body)}")
    from rdkit import Chem, rdBase  # RDKit only when a PubChem answer is checked

    rdBase.DisableLog("rdApp.*")
    try:
        mol = Chem.MolFromSmiles(smiles)
    finally:
        rdBase.EnableLog("rdApp.*")
    if mol is None:
        raise MalformedAnswer(f"{endpoint} returned a SMILES that does not parse (RDKit): {smiles[:120]!r}")


# The columns netpharm reads from each STRING TSV endpoint (spec §3.2; STRING API help).
STRING_TSV_COLUMNS: dict[str, tuple[str, ...]] = {
    "get_string_ids": ("queryItem", "stringId", "preferredName"),
    "network": ("stringId_A", "stringId_B", "preferredName_A", "preferredName_B", "score"),
    "ppi_enrichment": ("number_of_nodes", "number_of_edges", "p_value"),
    "enrichment": ("category", "term", "p_value", "fdr"),
}


def _is_version(data: Any) -> bool:
    rows = data if isinstance(data, list) else [data]
    return bool(rows) and all(isinstance(r, dict) and "string_version" in r for r in rows)


def _is_pubchem_properties(data: Any) -> bool:
    try:
        rows = data["PropertyTable"]["Properties"]
        return isinstance(rows, list) and bool(rows) and isinstance(rows[0], dict)
    except (KeyError, TypeError):
        return False


def validator_for(source: str, url: str) -> Validator | None:
    """The shape check of an answer from ``source`` at ``url``; ``None`` for imports and unknown sources.

    Keyed on the endpoint, so a cached entry can be checked again by ``cache verify``.
    """
    path = url.split("?", 1)[0].rstrip("/")
    if source == "string":
        parts = path.split("/")
        fmt, method = (parts[-2], parts[-1]) if len(parts) >= 2 else ("", "")
        if fmt == "json" and method == "version":
            return expect_json(_is_version, "STRING version record")
        if fmt == "json":
            return expect_json()
        if fmt == "tsv":
            return expect_tsv(STRING_TSV_COLUMNS.get(method, ()), f"STRING {method} TSV")
        return None
    if source == "rcsb":
        name = path.rsplit("/", 1)[-1]
        stem = name.rsplit(".", 1)[0]
        return expect_rcsb_entry(stem) if len(stem) == 4 and stem.isalnum() else expect_structure
    if source == "pubchem":
        return expect_pubchem_properties
    return None

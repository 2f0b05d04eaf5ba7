"""STRING's functional enrichment in the forms users have, read into the API's columns.

Formats (column layouts and where they are documented; see ``tests/data/enrichment/README.md``):

``api-tsv``
    ``/api/tsv/enrichment`` — category, term, number_of_genes, number_of_genes_in_background,
    ncbiTaxonId, inputGenes, preferredNames, p_value, fdr, description (what
    :class:`~netpharm.sources.string_db.StringClient` records; ``shared/reference/network-spec.md`` §3.2).
``api-json``
    ``/api/json/enrichment`` — a JSON list of objects with the same keys; ``inputGenes`` and
    ``preferredNames`` are lists (schemas.apis.io STRING enrichment-result schema, §3 sources).
``web-tsv``
    The STRING web page's per-category download ``enrichment.<Category>.tsv``: ``#term ID``, ``term
    description``, ``observed gene count``, ``background gene count``, ``strength``, [``signal``,]
    ``false discovery rate``, ``matching proteins in your network (IDs)``, ``... (labels)``. No
    category column (it is in the file name) and **no p-value**.
``web-all-tsv``
    The web page's ``enrichment.all.tsv``: the same with a leading ``#category`` column holding the
    page's category names (``GO Process``, ``UniProt Keywords``, ``STRING clusters``...).
``stringapp``
    Cytoscape stringApp's enrichment table exported from Cytoscape: ``category``, ``term name``
    (the term id), ``description``, ``FDR value``, and where present ``p-value``, ``# genes``,
    ``# background genes``, ``genes`` (column names from stringApp's source,
    ``RBVI/stringApp`` ``EnrichmentTerm.java``; no real exported file was available to check the
    delimiter or the list separator, so comma/tab and ``|``/``,`` are both accepted).

Every value stays the text the file holds; a column a format lacks is empty (``""``), never filled in.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from dataclasses import dataclass

import pandas as pd

from netpharm.errors import ImportFormatError

__all__ = ["ENRICHMENT_FORMATS", "ParsedEnrichment", "parse_enrichment_file", "web_category"]

API_COLUMNS: tuple[str, ...] = (
    "category", "term", "number_of_genes", "number_of_genes_in_background", "ncbiTaxonId",
    "inputGenes", "preferredNames", "p_value", "fdr", "description")
ENRICHMENT_FORMATS: tuple[str, ...] = ("api-tsv", "api-json", "web-tsv", "web-all-tsv", "stringapp")

#: Category names of STRING's web page / stringApp → the API's. Names seen in real web exports are
#: GO Process, GO Function, STRING clusters, TISSUES, UniProt Keywords, InterPro, SMART; the others
#: come from stringApp's source (TermCategory) and are not verified against a real export.
_WEB_CATEGORY = {
    "GO Process": "Process", "GO Function": "Function", "GO Component": "Component",
    "Biological Process (Gene Ontology)": "Process", "Molecular Function (Gene Ontology)": "Function",
    "Cellular Component (Gene Ontology)": "Component",
    "KEGG Pathways": "KEGG", "KEGG": "KEGG", "Reactome Pathways": "RCTM", "Reactome": "RCTM",
    "WikiPathways": "WikiPathways", "UniProt Keywords": "Keyword", "STRING clusters": "NetworkNeighborAL",
    "InterPro Domains": "InterPro", "InterPro": "InterPro", "PFAM Domains": "Pfam", "Pfam": "Pfam",
    "SMART Domains": "SMART", "SMART": "SMART", "Reference publications": "PMID", "TISSUES": "TISSUES",
    "DISEASES": "DISEASES", "COMPARTMENTS": "COMPARTMENTS",
}
_WEB = {"#term ID": "term", "term ID": "term", "term description": "description",
        "observed gene count": "number_of_genes", "background gene count": "number_of_genes_in_background",
        "false discovery rate": "fdr", "matching proteins in your network (IDs)": "inputGenes",
        "matching proteins in your network (labels)": "preferredNames"}
_APP = {"term name": "term", "description": "description", "category": "category", "FDR value": "fdr",
        "p-value": "p_value", "# genes": "number_of_genes", "# background genes": "number_of_genes_in_background",
        "genes": "preferredNames"}


@dataclass(frozen=True)
class ParsedEnrichment:
    """An enrichment table in the API's columns (text), with what the file could not provide."""

    format: str
    table: pd.DataFrame
    absent_columns: tuple[str, ...]
    categories: tuple[str, ...]
    unmapped_categories: tuple[str, ...] = ()


def web_category(name: str) -> str:
    """The API category of a web-page / stringApp category name (unknown names are kept)."""
    return _WEB_CATEGORY.get(name.strip(), name.strip())


def _fail(source: str, lineno: int, why: str, line: str = "") -> ImportFormatError:
    return ImportFormatError(f"{source}, line {lineno}: {why}" + (f": {line[:120]!r}" if line else ""))


def _check_values(table: pd.DataFrame, source: str, first_line: int) -> None:
    """Probabilities and counts must be numbers (the line is named)."""
    for column in ("p_value", "fdr"):
        for offset, text in enumerate(table[column]):
            if text == "" and column == "p_value":
                continue
            try:
                value = float(text)
            except ValueError:
                raise _fail(source, first_line + offset, f"{column} {text!r} is not a number") from None
            if not (math.isfinite(value) and 0.0 <= value <= 1.0):
                raise _fail(source, first_line + offset, f"{column} {text!r} is not a probability")
    for column in ("number_of_genes", "number_of_genes_in_background"):
        for offset, text in enumerate(table[column]):
            if text != "" and not text.isdigit():
                raise _fail(source, first_line + offset, f"{column} {text!r} is not a count")


def _read_delimited(text: str, source: str, delimiter: str) -> pd.DataFrame:
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    rows = [r for r in rows if any(cell.strip() for cell in r)]
    header = rows[0]
    for lineno, row in enumerate(rows[1:], start=2):
        if len(row) != len(header):
            raise _fail(source, lineno, f"expected {len(header)} fields, found {len(row)}", delimiter.join(row))
    return pd.DataFrame(rows[1:], columns=header, dtype=str)


def _to_api(frame: pd.DataFrame, rename: dict[str, str], fmt: str, category: str | None,
            list_sep: str = ",") -> ParsedEnrichment:
    out = frame.rename(columns=rename)
    if category is not None:
        out["category"] = category
    unmapped = sorted({c for c in out["category"] if c not in _WEB_CATEGORY}) if fmt in ("web-all-tsv", "stringapp") \
        else []
    out["category"] = [web_category(c) for c in out["category"]]
    for column in ("inputGenes", "preferredNames"):
        if column in out and list_sep != ",":
            out[column] = out[column].str.replace(list_sep, ",", regex=False)
    absent = tuple(c for c in API_COLUMNS if c not in out.columns)
    for column in absent:
        out[column] = ""
    out = out[list(API_COLUMNS)].astype(str).reset_index(drop=True)
    return ParsedEnrichment(fmt, out, absent, tuple(dict.fromkeys(out["category"])), tuple(unmapped))


def _category_from_name(file_name: str) -> str | None:
    match = re.match(r"^(?:.*[._])?enrichment\.([A-Za-z]+)\.tsv$", file_name)
    return match.group(1) if match and match.group(1) != "all" else None


def _parse_json(text: str, source: str) -> ParsedEnrichment:
    try:
        records = json.loads(text)
    except json.JSONDecodeError as exc:
        raise _fail(source, exc.lineno, f"not valid JSON ({exc.msg})") from None
    if isinstance(records, dict) and "Error" in records:
        raise _fail(source, 1, f"STRING returned an error: {records.get('ErrorMessage') or records['Error']}")
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        raise _fail(source, 1, "a STRING enrichment JSON answer is a list of objects")
    rows = []
    for number, rec in enumerate(records, start=1):
        absent = [c for c in API_COLUMNS if c not in rec]
        if absent:
            raise _fail(source, 1, f"record {number} lacks {absent}")
        rows.append({c: ",".join(map(str, rec[c])) if isinstance(rec[c], list) else str(rec[c]) for c in API_COLUMNS})
    table = pd.DataFrame(rows, columns=list(API_COLUMNS), dtype=str)
    return ParsedEnrichment("api-json", table, (), tuple(dict.fromkeys(table["category"])))


def parse_enrichment_file(text: str, source: str, file_name: str = "", category: str | None = None) -> ParsedEnrichment:
    """Recognise the format by its header and read it into the API's columns.

    Parameters
    ----------
    text : str
        The file's content.
    source : str
        Named in error messages.
    file_name : str
        Used to read the category of a web per-category export (``enrichment.Process.tsv``).
    category : str, optional
        The category of a web per-category export whose file name does not say it.

    Raises
    ------
    ImportFormatError
        Unknown layout, a row with a wrong field count, or a non-numeric FDR/p-value/count (line named).
    """
    stripped = text.lstrip("\ufeff")
    if not stripped.strip():
        raise _fail(source, 1, "empty file")
    if stripped.lstrip().startswith(("[", "{")):
        parsed = _parse_json(stripped, source)
        _check_values(parsed.table, source, 1)
        return _with_terms(parsed, source, 1)
    first = stripped.splitlines()[0]
    header = [h.strip().strip('"') for h in re.split(r"[\t,]", first)]
    if {"category", "term", "p_value", "fdr"} <= set(header):
        frame, fmt, rename, cat, sep = _read_delimited(stripped, source, "\t"), "api-tsv", {}, None, ","
    elif "false discovery rate" in header and ("#term ID" in header or "term ID" in header):
        frame = _read_delimited(stripped, source, "\t")
        if "#category" in frame.columns:
            fmt, rename, cat = "web-all-tsv", {**_WEB, "#category": "category"}, None
        else:
            fmt, rename = "web-tsv", _WEB
            cat = category or _category_from_name(file_name)
            if cat is None:
                raise _fail(source, 1, "a per-category web export has no category column: name the file "
                                       "enrichment.<Category>.tsv or give --category")
        sep = ","
    elif {"term name", "FDR value", "category"} <= set(header):
        delimiter = "\t" if "\t" in first else ","
        frame, fmt, rename, cat = _read_delimited(stripped, source, delimiter), "stringapp", _APP, None
        sep = "|" if frame.get("genes", pd.Series(dtype=str)).str.contains("|", regex=False).any() else ","
    else:
        raise _fail(source, 1, "not a STRING enrichment table (API TSV/JSON, web export or stringApp table)", first)
    parsed = _to_api(frame, rename, fmt, cat, sep)
    _check_values(parsed.table, source, 2)
    return _with_terms(parsed, source, 2)


def _with_terms(parsed: ParsedEnrichment, source: str, lineno: int) -> ParsedEnrichment:
    """Refuse a table without a single term: a header-only export (a cut download, an empty selection)
    would otherwise be imported as "0 terms" and cited as STRING finding nothing."""
    if parsed.table.empty:
        raise _fail(source, lineno, "no enrichment terms (only a header): export the table again, or leave "
                                    "this import out")
    return parsed

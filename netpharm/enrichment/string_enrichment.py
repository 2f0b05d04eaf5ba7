"""STRING's functional enrichment: parse the API's TSV, report it per category, compare to ours.

STRING's values (``p_value``, ``fdr``, counts) are kept as the exact text STRING returned:
they are filtered and re-arranged, never recomputed or re-formatted. Columns are those
documented for ``/api/tsv/enrichment`` (``shared/reference/network-spec.md`` §3.2):
category, term, number_of_genes, number_of_genes_in_background, ncbiTaxonId, inputGenes,
preferredNames, p_value, fdr, description.

References
----------
Szklarczyk D. et al. (2023) The STRING database in 2023. Nucleic Acids Res 51:D638–D646.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence

import pandas as pd

from netpharm.enrichment.findings import offline_term_id
from netpharm.enrichment.ora import OraResult
from netpharm.errors import ImportFormatError

__all__ = ["STRING_ENRICHMENT_COLUMNS", "STRING_TO_OFFLINE", "STRING_REPORT_COLUMNS",
           "parse_string_enrichment", "string_category_tables", "offline_term_id", "compare_with_offline"]

STRING_ENRICHMENT_COLUMNS: tuple[str, ...] = (
    "category", "term", "number_of_genes", "number_of_genes_in_background", "ncbiTaxonId",
    "inputGenes", "preferredNames", "p_value", "fdr", "description")
#: STRING category -> offline category with the same vocabulary.
STRING_TO_OFFLINE: dict[str, str] = {"Process": "BP", "Function": "MF", "Component": "CC", "RCTM": "Reactome"}
# inputGenes holds the identifiers as queried (gene symbols in the real answers, STRING ids in web exports).
_RENAME = {"number_of_genes": "observed_genes", "number_of_genes_in_background": "background_genes",
           "preferredNames": "input_genes", "inputGenes": "query_identifiers"}
STRING_REPORT_COLUMNS = ["category", "term", "description", "observed_genes", "background_genes",
                         "p_value", "fdr", "input_genes", "query_identifiers"]


def _bad(source: str, lineno: int, why: str, line: str) -> ImportFormatError:
    return ImportFormatError(f"{source}, line {lineno}: {why}: {line[:120]!r}")


def _check_number(value: str, kind: type, source: str, lineno: int, column: str, line: str) -> None:
    try:
        number = kind(value)
    except ValueError:
        raise _bad(source, lineno, f"{column} {value!r} is not a{'n integer' if kind is int else ' number'}",
                   line) from None
    if kind is float and not (math.isfinite(number) and 0.0 <= number <= 1.0):
        raise _bad(source, lineno, f"{column} {value!r} is not a probability", line)


def parse_string_enrichment(text: str, source: str = "STRING enrichment") -> pd.DataFrame:
    """Parse STRING's enrichment TSV; every column stays the text STRING sent.

    Parameters
    ----------
    text : str
        The response body (with its header line).
    source : str
        Named in error messages (cache entry, file path...).

    Returns
    -------
    DataFrame
        One row per term, string dtype; empty (with the columns) if STRING found nothing.

    Raises
    ------
    ImportFormatError
        An error body, a missing column, a row with a wrong field count or a
        non-numeric p-value/FDR/count (line named).
    """
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        return pd.DataFrame(columns=list(STRING_ENRICHMENT_COLUMNS), dtype=str)
    if lines[0].lstrip().startswith(("<", "{", "Error", "[")):
        raise _bad(source, 1, "not an enrichment TSV (STRING returned an error or another format)", lines[0])
    header = lines[0].split("\t")
    absent = [c for c in STRING_ENRICHMENT_COLUMNS if c not in header]
    if absent:
        raise _bad(source, 1, f"header lacks column(s) {absent}", lines[0])
    pos = {c: header.index(c) for c in header}
    for lineno, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        fields = line.split("\t")
        if len(fields) != len(header):
            raise _bad(source, lineno, f"expected {len(header)} fields, found {len(fields)}", line)
        for column in ("p_value", "fdr"):
            _check_number(fields[pos[column]], float, source, lineno, column, line)
        for column in ("number_of_genes", "number_of_genes_in_background"):
            _check_number(fields[pos[column]], int, source, lineno, column, line)
    return pd.read_csv(io.StringIO(text), sep="\t", dtype=str, keep_default_na=False, skip_blank_lines=True)


def string_category_tables(raw: pd.DataFrame, categories: Sequence[str],
                           fdr_threshold: float) -> dict[str, pd.DataFrame]:
    """Per STRING category, the terms with ``fdr < fdr_threshold`` (STRING's order and text kept)."""
    table = raw.rename(columns=_RENAME)
    passed = table[table["fdr"].astype(float) < fdr_threshold] if len(table) else table
    return {c: passed.loc[passed["category"] == c, STRING_REPORT_COLUMNS].reset_index(drop=True)
            for c in categories}


def compare_with_offline(raw: pd.DataFrame, ora: OraResult) -> pd.DataFrame:
    """Side by side, the terms both STRING and the offline ORA report (every STRING row, no filter).

    STRING's columns are its text; ``offline_*`` are ours (GO 2022-07-01 / gene2go
    2022-09-12, Reactome 2024-09-18), so differences reflect annotation versions and
    backgrounds, not errors.
    """
    rows = []
    for rec in raw.itertuples(index=False):
        category = STRING_TO_OFFLINE.get(rec.category)
        if category is None or category not in ora.categories:
            continue
        table = ora.categories[category].table
        match = table[table["term"] == offline_term_id(rec.category, rec.term)]
        if match.empty:
            continue
        ours = match.iloc[0]
        rows.append({
            "category": category, "term": ours["term"], "description": rec.description,
            "string_observed": rec.number_of_genes, "offline_observed": int(ours["observed"]),
            "string_background_genes": rec.number_of_genes_in_background,
            "offline_term_size": int(ours["term_size"]),
            "string_p_value": rec.p_value, "offline_p_value": float(ours["p_value"]),
            "string_fdr": rec.fdr, "offline_fdr": float(ours["fdr"]), "offline_correction": ours["correction"],
            "string_genes": rec.preferredNames, "offline_genes": ours["genes"],
        })
    columns = ["category", "term", "description", "string_observed", "offline_observed",
               "string_background_genes", "offline_term_size", "string_p_value", "offline_p_value",
               "string_fdr", "offline_fdr", "offline_correction", "string_genes", "offline_genes"]
    out = pd.DataFrame(rows, columns=columns)
    return out.sort_values(["category", "term"], kind="mergesort").reset_index(drop=True)

"""The enriched terms of a run with their member genes, read from the enrichment stage's own tables.

For a later step that joins terms to genes (the compounds package's compound–target–pathway network, through
:func:`netpharm.registry.expand_config`): STRING's table (its answer verbatim, or the imported files) or the offline
ORA's, each row with the term's id (the offline vocabulary: Reactome ``R-HSA-…``), name, FDR, p-value (None when
STRING's web export gives none) and member genes. The file names and columns stay here, in the stage that writes them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from netpharm.enrichment import files
from netpharm.enrichment.findings import STRING_CATEGORY, offline_term_id
from netpharm.io import read_tsv

__all__ = ["EnrichedTerm", "string_terms", "offline_terms", "member_genes"]


@dataclass(frozen=True)
class EnrichedTerm:
    """One term of an enrichment table: id, name, FDR, p-value (None when not given) and member genes."""

    term: str
    name: str
    fdr: float
    p_value: float | None
    genes: tuple[str, ...]


def member_genes(cell: object) -> tuple[str, ...]:
    """A member-gene cell (``"AKT1,TNF"``) → its genes; an empty cell → ()."""
    if cell is None or (isinstance(cell, float) and math.isnan(cell)):
        return ()
    return tuple(g.strip() for g in str(cell).replace(";", ",").split(",") if g.strip())


def _number(value: object) -> float | None:
    try:
        number = float(str(value))
    except ValueError:
        return None
    return None if math.isnan(number) else number


def string_terms(run_dir: Path, category: str) -> list[EnrichedTerm] | None:
    """STRING's terms of claim category ``category`` (``KEGG``, ``Reactome``, ``BP`` ...) in ``run_dir``, members
    from ``inputGenes`` (the names queried) and ``preferredNames``; None when the run holds no STRING answer."""
    folder = Path(run_dir) / files.FOLDER
    table = read_tsv(folder / files.STRING_RAW)
    if table is None:
        table = read_tsv(folder / files.STRING_IMPORTED)
    if table is None:
        return None
    code = STRING_CATEGORY[category]
    rows = table[table["category"].astype(str) == code]
    p_values = list(rows["p_value"]) if "p_value" in rows else [None] * len(rows)
    return [EnrichedTerm(offline_term_id(code, str(r.term)), str(r.description), float(r.fdr), _number(p),
                         member_genes(r.inputGenes) + member_genes(r.preferredNames))
            for r, p in zip(rows.itertuples(index=False), p_values)]


def offline_terms(run_dir: Path, category: str) -> list[EnrichedTerm] | None:
    """The offline ORA's terms of ``category`` (``BP``, ``MF``, ``CC``, ``Reactome``) in ``run_dir``; None when absent."""
    table = read_tsv(Path(run_dir) / files.FOLDER / files.offline_table(category))
    if table is None:
        return None
    return [EnrichedTerm(str(r.term), str(r.name), float(r.fdr), _number(r.p_value), member_genes(r.genes))
            for r in table.itertuples(index=False)]

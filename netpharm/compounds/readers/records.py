"""What a reader returns: compound → target pairs or disease genes, as written, with their lines."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

__all__ = ["TargetRecord", "GeneRecord", "TargetRead", "DiseaseRead", "split_genes", "INCOMPLETE", "shown"]

_SPLIT = re.compile(r"[\s,;]+")
#: How a note that the file is not the server's whole answer begins (a truncated search): the stage lists such
#: notes among what is missing, so a truncated list is never taken for a complete one.
INCOMPLETE = "incomplete list: "


def shown(items: list[str], n: int = 10) -> str:
    """The first ``n`` items, comma-separated, with " …" when there are more (for notes)."""
    return ", ".join(items[:n]) + (" …" if len(items) > n else "")


def split_genes(text: str) -> list[str]:
    """Gene names of one cell: SwissTargetPrediction writes a complex as ``"GENE1 GENE2"``; lists use , or ;."""
    return [g for g in _SPLIT.split(text.strip()) if g]


@dataclass(frozen=True)
class TargetRecord:
    """One compound → target pair as the file writes it (a multi-gene cell gives one record per gene).

    ``detail`` keeps what the server said of the pair (probability, "by homology", a score), for the table.
    """

    compound: str
    target: str
    line: int
    detail: str = ""


@dataclass(frozen=True)
class GeneRecord:
    """One disease gene as the file writes it, with its score when the format has one."""

    gene: str
    line: int
    score: float | None = None


@dataclass
class TargetRead:
    """A compound → target file read: the kept pairs, how many rows were read and kept, and the rule used.

    ``compounds`` maps every compound seen to values the server computed (TCMSP's ``ob``, ``dl`` ...) and a
    ``smiles`` when the file has one: imported values, never recomputed.
    """

    records: list[TargetRecord]
    rows: int
    kept_rows: int
    rule: str
    compounds: dict[str, dict[str, str]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


@dataclass
class DiseaseRead:
    """A disease gene list read: kept genes, rows read and kept, the rule used."""

    records: list[GeneRecord]
    rows: int
    kept_rows: int
    rule: str
    notes: list[str] = field(default_factory=list)

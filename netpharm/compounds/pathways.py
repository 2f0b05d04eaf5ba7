"""Which enriched terms join the compound–target–pathway network: the top ``n`` by FDR, members named.

Pure functions of plain rows, light at import (no pandas): the workflow (:func:`netpharm.registry.expand_config`)
reads the enrichment's terms and hands them here, so neither the compounds package nor its ``ct_pathway`` step
reads the enrichment stage's files.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from netpharm.compounds.config import PathwayTerm

__all__ = ["TermRow", "choose_terms"]


@dataclass(frozen=True)
class TermRow:
    """One enriched term as an enrichment table lists it (``p_value`` None when the source gives none, as
    STRING's web exports)."""

    term: str
    name: str
    fdr: float
    p_value: float | None
    genes: tuple[str, ...]


def choose_terms(rows: Iterable[TermRow], n: int, fdr_threshold: float,
                 query: Iterable[str] | None = None) -> tuple[tuple[PathwayTerm, ...], list[str]]:
    """The ``n`` terms of lowest FDR below ``fdr_threshold`` that hold a gene of ``query`` (None = any gene).

    Ties on the FDR are common (STRING's and the ``string`` correction's running maximum give runs of equal
    values), and a network of "the top 10" must still hold 10 terms: the order within a tie is the p-value,
    then the term id, and a tie cut at position ``n`` is said in the notes (never hidden).

    Returns
    -------
    (terms, notes)
        Terms best first, each with its member genes of ``query`` (sorted); notes on the choice.

    Examples
    --------
    >>> rows = [TermRow("t1", "a", 0.01, 1e-4, ("AKT1", "TNF")), TermRow("t2", "b", 0.01, 1e-3, ("TNF",)),
    ...         TermRow("t3", "c", 0.01, 1e-3, ("IL6",)), TermRow("t4", "d", 0.2, 0.01, ("AKT1",))]
    >>> terms, notes = choose_terms(rows, 2, 0.05)
    >>> [(t.term, t.genes) for t in terms], notes
    ([('t1', ('AKT1', 'TNF')), ('t2', ('TNF',))], ['1 more term shares the FDR of the 2nd (0.01): cut by p-value, then term id'])
    """
    wanted = None if query is None else set(query)
    kept = []
    for row in rows:
        genes = tuple(sorted({g for g in row.genes if wanted is None or g in wanted}))
        if genes and row.fdr < fdr_threshold:
            kept.append((row, genes))
    kept.sort(key=lambda x: (x[0].fdr, math.inf if x[0].p_value is None else x[0].p_value, x[0].term))
    chosen = kept[:n]
    notes = []
    if chosen and len(kept) > n:
        last = chosen[-1][0].fdr
        more = sum(1 for row, _ in kept[n:] if row.fdr == last)
        if more:
            notes.append(f"{more} more term{'s' if more > 1 else ''} share{'' if more > 1 else 's'} the FDR of the "
                         f"{_ordinal(n)} ({last:.3g}): cut by p-value, then term id")
    return tuple(PathwayTerm(r.term, r.name, r.fdr, genes) for r, genes in chosen), notes


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"

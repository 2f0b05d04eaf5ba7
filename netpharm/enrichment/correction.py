"""Multiple-testing corrections of enrichment p-values, by name: ``string`` and ``bh``.

``string`` — STRING's own correction (aGOtool, STRING's enrichment back end), as measured on
real STRING v12 answers (``tests/data/enrichment/string_api/README.md``, :mod:`netpharm.enrichment.string_audit`): within one category,
the p-values of **every term of the category for the organism** are sorted ascending, so the
number of tests ``m`` is the same whatever the input, and

.. math:: q_{(i)} = \\max\\left(q_{(i-1)},\\; \\min(1, p_{(i)}\\, m / i)\\right)

a running **maximum from the top**. Terms STRING later filters from its answer (redundant
parents, single-gene terms) still hold ranks, so a reported term's rank can exceed its
position among the reported rows.

``bh`` — textbook Benjamini–Hochberg (running minimum from the bottom,
``scipy.stats.false_discovery_control``) over the terms actually tested: those holding a query
gene (clusterProfiler's convention, the default) or every term with a background gene
(goatools' convention, ``tested_terms = "all"``).

References
----------
Benjamini Y., Hochberg Y. (1995) Controlling the false discovery rate. J R Stat Soc B 57:289–300.
Schölz C. et al. (2015) Avoiding abundance bias in the functional annotation of post-translationally
modified proteins (aGOtool). Nat Methods 12:1003–1004.
Szklarczyk D. et al. (2023) The STRING database in 2023. Nucleic Acids Res 51:D638–D646.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

from netpharm.errors import EnrichmentError

__all__ = ["CORRECTIONS", "Correction", "CorrectionName", "bh_fdr", "string_fdr", "STRING_V12_TERMS_PER_CATEGORY"]

CorrectionName = Literal["string", "bh"]
CORRECTIONS: tuple[str, ...] = ("string", "bh")

#: m per STRING category for *Homo sapiens*, STRING v12.0, derived from the four real API answers of
#: ``nmartinser/HPO_Dysgraphia`` (``tests/data/enrichment/string_api/README.md``): the integers inside
#: the interval that every answer's top row allows (rank 1), narrowed by requiring the other rows'
#: ranks ``p m / fdr`` to be integers within printed precision. Flat categories are exact (every row
#: reproduced); Process is 15681–15686 (15683 shown), InterPro 7181–7182. For reading STRING
#: answers; the offline ORA's ``string`` correction uses the m of its own annotation.
STRING_V12_TERMS_PER_CATEGORY: dict[str, int] = {
    "Process": 15683, "Function": 4932, "Component": 2047, "RCTM": 2283, "KEGG": 336,
    "WikiPathways": 781, "InterPro": 7181, "Pfam": 2714, "SMART": 820, "Keyword": 672,
}


@dataclass(frozen=True)
class Correction:
    """Which correction made a table's ``fdr`` column, and over how many tests.

    Attributes
    ----------
    method : {"string", "bh"}
    m : int
        Number of tests: every term of the category (``string``) or the tested terms (``bh``).
    """

    method: CorrectionName
    m: int

    @property
    def label(self) -> str:
        """One line for tables and the report."""
        if self.method == "string":
            return f"string: STRING's BH, m = {self.m} terms of the category, running maximum from the top"
        return f"bh: Benjamini-Hochberg over the {self.m} tested terms"


def bh_fdr(pvalues: Sequence[float] | np.ndarray) -> np.ndarray:
    """Textbook Benjamini–Hochberg adjusted p-values (monotone step-up, capped at 1)."""
    p = np.asarray(pvalues, dtype=float)
    if p.size == 0:
        return p
    from scipy.stats import false_discovery_control  # here: scipy.stats takes 0.5-0.8 s to import

    return false_discovery_control(p, method="bh")


def string_fdr(pvalues: Sequence[float] | np.ndarray, m: int,
               ranks: Sequence[int] | np.ndarray | None = None) -> np.ndarray:
    """STRING's FDR: ``q_i = max(q_{i-1}, min(1, p_i m / r_i))`` in ascending-p order.

    Parameters
    ----------
    pvalues : array of float
        p-values of the terms of one category (any order; the result follows it).
    m : int
        Number of terms of the category (STRING: every term for the organism).
    ranks : array of int, optional
        Rank of each term among all ``m`` terms; default its position in ascending-p order
        (ties broken by input order, as a stable sort does). Give ranks when ``pvalues`` is
        a filtered subset whose true ranks are known.

    Raises
    ------
    EnrichmentError
        ``m`` smaller than the number of p-values, or ranks outside ``1..m``.
    """
    p = np.asarray(pvalues, dtype=float)
    if p.size == 0:
        return p
    if m < p.size:
        raise EnrichmentError(f"string correction: m = {m} is smaller than the {p.size} p-values given")
    order = np.argsort(p, kind="stable")
    if ranks is None:
        r = np.arange(1, p.size + 1, dtype=float)
    else:
        r = np.asarray(ranks, dtype=float)[order]
        if r.min() < 1 or r.max() > m:
            raise EnrichmentError(f"string correction: ranks must lie within 1..{m}")
    q = np.maximum.accumulate(np.minimum(1.0, p[order] * m / r))
    out = np.empty_like(q)
    out[order] = q
    return out

"""Check a STRING enrichment answer against STRING's own correction (``string``).

STRING prints ``p_value`` and ``fdr`` rounded (measured on the five real v12 answers in
``tests/data/enrichment/string_api/``): below 1e-4 in scientific notation with 3 significant
digits (sometimes with a binary-float tail, ``1.2500000000000002e-66`` = 1.25e-66), from 1e-4
to 1e-3 with 5 decimals, from 1e-3 with 4 decimals; trailing zeros dropped. So a printed value
stands for an interval, and "to the printed precision" means within half a unit of its last
digit — plus, for a recomputed FDR, the rounding of the printed p-value times m / rank.

Two facts follow from STRING's rule ``q_i = max(q_{i-1}, min(1, p_i m / i))``:

* the top term (smallest p) has rank 1 — a redundant parent always has a larger p than the
  child it duplicates and a single-gene term never tops the list — so its row bounds m:
  ``(fdr − δf) / (p + δp) ≤ m ≤ (fdr + δf) / (p − δp)``; intersecting the bounds of several
  answers of the same STRING version narrows m to a few integers;
* terms STRING filters from its answer after correcting (redundant parents, single-gene terms)
  keep their ranks, so for ontology-like categories a reported term's rank can exceed its
  position among the reported rows: recomputing from the reported rows alone then gives an
  upper bound of STRING's FDR, exact for flat categories (KEGG, WikiPathways, Pfam, InterPro,
  SMART), where nothing is filtered.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from netpharm.enrichment.correction import string_fdr
from netpharm.errors import EnrichmentError

__all__ = ["half_unit", "top_row_interval", "reproduce_string_fdr", "inferred_ranks"]


def half_unit(text: str) -> float:
    """Half a unit in the last digit STRING prints for the value written ``text``."""
    value = float(text)
    if value <= 0.0:
        return 0.0
    if "e" in text.lower():
        return 0.5 * 10.0 ** (math.floor(math.log10(value)) - 2)  # 3 significant digits
    return 0.5 * 10.0 ** -(4 if value >= 1e-3 else 5)


def _rows(raw: pd.DataFrame, category: str) -> pd.DataFrame:
    rows = raw[raw["category"] == category]
    if rows.empty:
        raise EnrichmentError(f"no {category!r} row in this STRING answer")
    p = rows["p_value"].astype(float).to_numpy()
    return rows.iloc[np.argsort(p, kind="stable")]


def top_row_interval(raw: pd.DataFrame, category: str) -> tuple[float, float]:
    """The interval of m that the category's smallest-p row allows (rank 1)."""
    top = _rows(raw, category).iloc[0]
    p, f = float(top["p_value"]), float(top["fdr"])
    dp, df = half_unit(str(top["p_value"])), half_unit(str(top["fdr"]))
    return (f - df) / (p + dp), (f + df) / (p - dp)


def reproduce_string_fdr(raw: pd.DataFrame, category: str, m: int) -> pd.DataFrame:
    """STRING's FDR recomputed from the answer's own ``p_value`` column (ranks = positions).

    Returns the category's rows in ascending-p order with ``fdr`` (STRING's, float),
    ``fdr_string`` (ours), ``tolerance`` (printed precision of both) and ``within``.
    """
    rows = _rows(raw, category)
    p = rows["p_value"].astype(float).to_numpy()
    ours = string_fdr(p, m)
    rank = np.arange(1, len(p) + 1)
    dp = np.array([half_unit(str(s)) for s in rows["p_value"]])
    df = np.array([half_unit(str(s)) for s in rows["fdr"]])
    tolerance = df + dp * m / rank
    shipped = rows["fdr"].astype(float).to_numpy()
    return pd.DataFrame({"term": rows["term"].to_numpy(), "p_value": p, "fdr": shipped, "fdr_string": ours,
                         "tolerance": tolerance, "within": np.abs(ours - shipped) <= tolerance * (1 + 1e-9)})


def inferred_ranks(raw: pd.DataFrame, category: str, m: int) -> pd.DataFrame:
    """Per row, the ranks among all m terms that its printed p and FDR allow.

    A row whose FDR is set by its own p has ``rank_low ≤ r ≤ rank_high`` with
    ``r = p m / fdr``; a row tied to an earlier row's FDR (the running maximum) only has
    ``r ≥`` its position. ``integer_rank`` is true when an integer not below the row's
    position fits the interval, or when the row carries the FDR of the row before it.
    """
    rows = _rows(raw, category)
    p = rows["p_value"].astype(float).to_numpy()
    f = rows["fdr"].astype(float).to_numpy()
    dp = np.array([half_unit(str(s)) for s in rows["p_value"]])
    df = np.array([half_unit(str(s)) for s in rows["fdr"]])
    low = (p - dp) * m / (f + df)
    high = (p + dp) * m / np.maximum(f - df, 1e-300)
    position = np.arange(1, len(p) + 1)
    tied = np.r_[False, np.abs(f[1:] - f[:-1]) <= df[1:] + df[:-1]]
    fits = np.floor(high) >= np.maximum(np.ceil(low), position)
    return pd.DataFrame({"term": rows["term"].to_numpy(), "position": position, "rank_low": low,
                         "rank_high": high, "tied_to_previous": tied, "integer_rank": fits | tied})

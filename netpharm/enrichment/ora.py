"""Over-representation analysis: one-sided hypergeometric test + Benjamini–Hochberg per category.

For a term with ``K`` genes in a background of ``N`` genes, and a query of ``n`` background
genes of which ``k`` are in the term, the p-value is

.. math:: P(X \\ge k) = \\sum_{i=k}^{\\min(n, K)} \\binom{K}{i}\\binom{N-K}{n-i} / \\binom{N}{n}

(``scipy.stats.hypergeom.sf(k - 1, N, K, n)``, the same test as a one-sided Fisher exact
test). FDRs are corrected within each category, by the method named in the workflow
(:mod:`netpharm.enrichment.correction`): ``string`` (STRING's: m = every term of the category,
running maximum from the top; size limits filter what is reported *after* the correction, as
STRING filters its answer) or ``bh`` (textbook Benjamini–Hochberg over the tested terms).

Background (default): per category, the protein-coding genes with at least one
annotation in that category after propagation — genes without any annotation in a
category can never be drawn into one of its terms, and counting them would inflate
every p-value's significance. A user background is intersected the same way.

References
----------
Benjamini Y., Hochberg Y. (1995) Controlling the false discovery rate. J R Stat Soc B 57:289–300.
Rivals I. et al. (2007) Enrichment or depletion of a GO category within a class of genes:
which test? Bioinformatics 23:401–407.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd
from scipy.special import gammaln

from netpharm.enrichment.correction import Correction, CorrectionName, bh_fdr, string_fdr
from netpharm.enrichment.files import FDR, NAME, TERM
from netpharm.enrichment.library import GeneSetLibrary, SymbolMapping
from netpharm.errors import EnrichmentError

__all__ = ["ORA_COLUMNS", "CategoryResult", "OraResult", "hypergeom_pvalues", "bh_fdr", "run_ora"]  # bh_fdr re-exported

log = logging.getLogger(__name__)

ORA_COLUMNS = ["category", TERM, NAME, "observed", "query_size", "term_size", "background_size",
               "expected", "fold_enrichment", "p_value", FDR, "correction", "correction_m", "genes", "background"]


#: Largest query for the direct tail sum; bigger queries use scipy's survival function.
_DIRECT_TAIL_MAX_N = 100


def hypergeom_pvalues(k: np.ndarray, N: int, K: np.ndarray, n: int) -> np.ndarray:
    """One-sided P(X >= k) for X ~ Hypergeom(N, K, n), elementwise.

    For queries of up to ``_DIRECT_TAIL_MAX_N`` genes the upper tail is summed directly,
    ``sum_{i=k}^{min(n,K)} C(K,i) C(N-K,n-i) / C(N,n)`` in log-gamma form over a
    (terms × n) grid: written by hand because ``scipy.stats.hypergeom.sf`` costs ~0.1 ms per
    element, most of a small query's ORA, while the direct sum of positive terms needs no
    cancellation (agrees with exact rational sums and with scipy to ~1e-10 relative, see
    ``tests/test_enrichment_ora.py``). Larger queries use scipy.
    """
    k, K = np.asarray(k, dtype=np.int64), np.asarray(K, dtype=np.int64)
    if k.size == 0:
        return np.zeros(k.shape)
    if n > _DIRECT_TAIL_MAX_N:
        # imported here: scipy.stats takes 0.5-0.8 s to import, and small queries never need it
        from scipy.stats import hypergeom

        return np.clip(hypergeom.sf(k - 1, N, K, n), 0.0, 1.0)
    i = np.arange(n + 1)[None, :]                       # every possible overlap 0..n
    kk, KK = k.reshape(-1, 1), K.reshape(-1, 1)
    valid = (i >= kk) & (i <= np.minimum(n, KK)) & (n - i <= N - KK)
    safe_i = np.where(valid, i, 0)
    log_terms = (_log_comb(KK, safe_i) + _log_comb(N - KK, n - safe_i) - _log_comb(np.int64(N), np.int64(n)))
    tail = np.where(valid, np.exp(np.where(valid, log_terms, 0.0)), 0.0).sum(axis=1)
    tail[k.reshape(-1) <= 0] = 1.0
    return np.clip(tail, 0.0, 1.0).reshape(k.shape)


def _log_comb(a: np.ndarray | np.int64, b: np.ndarray | np.int64) -> np.ndarray:
    return gammaln(np.asarray(a, dtype=float) + 1) - gammaln(np.asarray(b, dtype=float) + 1) \
        - gammaln(np.asarray(a, dtype=float) - np.asarray(b, dtype=float) + 1)


@dataclass(frozen=True)
class CategoryResult:
    """ORA of one category.

    ``table`` holds every tested term with at least one query gene (columns
    :data:`ORA_COLUMNS`), sorted by p-value; ``n_tested`` is the number of terms in the
    correction (``correction.m``).
    """

    category: str
    background: str
    background_size: int
    query_genes: tuple[str, ...]
    not_in_background: tuple[str, ...]
    n_tested: int
    table: pd.DataFrame
    correction: Correction = Correction("bh", 0)

    def significant(self, fdr_threshold: float) -> pd.DataFrame:
        return self.table[self.table["fdr"] < fdr_threshold]


@dataclass(frozen=True)
class OraResult:
    """ORA over several categories, with how the query symbols were matched."""

    query: tuple[str, ...]
    mapping: SymbolMapping
    categories: dict[str, CategoryResult]
    warnings: tuple[str, ...] = field(default=())


def _indices(library: GeneSetLibrary, symbols: Sequence[str]) -> np.ndarray:
    return np.fromiter((library.gene_index[s] for s in symbols), dtype=np.int64, count=len(symbols))


def _mask(size: int, idx: np.ndarray) -> np.ndarray:
    out = np.zeros(size, dtype=bool)
    out[idx] = True
    return out


def _user_background(library: GeneSetLibrary, background: Sequence[str],
                     query: dict[str, str]) -> np.ndarray:
    mapping = library.map_symbols(dict.fromkeys(background))
    if not mapping.mapped:
        raise EnrichmentError("the background list holds no gene symbol known to the annotation")
    inside = set(mapping.mapped.values())
    outside = sorted(q for q, s in query.items() if s not in inside)
    if outside:
        raise EnrichmentError(f"the background does not contain the query gene(s) {', '.join(outside)}: "
                              "a background must include every gene that could have been chosen")
    if mapping.unknown:
        log.warning("%d background symbol(s) unknown to the annotation, ignored: %s",
                    len(mapping.unknown), ", ".join(mapping.unknown[:20]))
    return _mask(len(library.genes), _indices(library, sorted(inside)))


def _category(library: GeneSetLibrary, category: str, universe: np.ndarray, label: str,
              query: dict[str, str], min_size: int, max_size: int,
              tested_terms: str, method: CorrectionName) -> CategoryResult:
    in_cat = library.pairs_in(category)
    annotated = _mask(len(library.genes), library.pair_genes[in_cat])
    background = universe & annotated
    N = int(background.sum())
    q_symbols = sorted({s for s in query.values() if background[library.gene_index[s]]})
    not_in_background = tuple(sorted(q for q, s in query.items() if not background[library.gene_index[s]]))
    in_query = _mask(len(library.genes), _indices(library, q_symbols))
    n_terms = len(library.term_ids)
    K = np.bincount(library.pair_terms[in_cat & background[library.pair_genes]], minlength=n_terms)
    hit_pairs = in_cat & in_query[library.pair_genes]
    k = np.bincount(library.pair_terms[hit_pairs], minlength=n_terms)
    of_category = library.term_category_array == category
    in_limits = of_category & (K >= min_size)
    if max_size:
        in_limits &= K <= max_size
    n = len(q_symbols)
    if method == "string":
        # STRING: every term of the category is a test (p = 1 without a query gene); the size
        # limits only filter what is reported, after the correction.
        c_idx = np.flatnonzero(of_category)
        p_all = np.ones(len(c_idx))
        hit = k[c_idx] >= 1
        p_all[hit] = hypergeom_pvalues(k[c_idx][hit], N, K[c_idx][hit], n)
        fdr_all = string_fdr(p_all, len(c_idx))
        report = in_limits[c_idx] & hit
        rows, p_rows, fdr_rows = c_idx[report], p_all[report], fdr_all[report]
        correction = Correction("string", len(c_idx))
    else:
        tested = in_limits & (k >= 1) if tested_terms == "with_query_genes" else in_limits
        t_idx = np.flatnonzero(tested)
        keep = k[t_idx] >= 1
        p = np.ones(len(t_idx))  # P(X >= 0) = 1: only terms holding a query gene need the test
        p[keep] = hypergeom_pvalues(k[t_idx][keep], N, K[t_idx][keep], n)
        fdr = bh_fdr(p)
        rows, p_rows, fdr_rows = t_idx[keep], p[keep], fdr[keep]
        correction = Correction("bh", len(t_idx))
    genes_of: dict[int, list[str]] = {}
    for t, g in zip(library.pair_terms[hit_pairs].tolist(), library.pair_genes[hit_pairs].tolist()):
        genes_of.setdefault(t, []).append(library.genes[g])
    expected = K[rows] * n / N if N else np.zeros(len(rows))
    table = pd.DataFrame({
        "category": category,
        "term": [library.term_ids[t] for t in rows],
        "name": [library.term_names[t] for t in rows],
        "observed": k[rows],
        "query_size": n,
        "term_size": K[rows],
        "background_size": N,
        "expected": expected,
        "fold_enrichment": np.divide(k[rows], expected, out=np.full(len(rows), np.nan), where=expected > 0),
        "p_value": p_rows,
        "fdr": fdr_rows,
        "correction": correction.label,
        "correction_m": correction.m,
        "genes": [",".join(sorted(genes_of.get(t, []))) for t in rows.tolist()],
        "background": label,
    }, columns=ORA_COLUMNS)
    table = table.sort_values(["p_value", "term"], kind="mergesort").reset_index(drop=True)
    return CategoryResult(category, label, N, tuple(q_symbols), not_in_background, correction.m, table, correction)


def run_ora(library: GeneSetLibrary, query: Sequence[str], categories: Sequence[str] = ("BP", "MF", "CC", "Reactome"),
            background: Sequence[str] | None = None, min_term_size: int = 5, max_term_size: int = 2000,
            tested_terms: Literal["all", "with_query_genes"] = "with_query_genes",
            correction: CorrectionName = "string") -> OraResult:
    """Over-representation of ``query`` in each category's terms.

    Parameters
    ----------
    library : GeneSetLibrary
    query : sequence of str
        Gene symbols (current NCBI symbols, or unambiguous aliases).
    categories : sequence of {"BP", "MF", "CC", "Reactome"}
    background : sequence of str, optional
        Background symbols; default all annotated protein-coding genes (per category).
    min_term_size, max_term_size : int
        Size limits in the background (``max_term_size = 0``: no limit).
    tested_terms : {"all", "with_query_genes"}
        Terms entering the ``bh`` correction (see :class:`~netpharm.enrichment.config.EnrichmentConfig`).
    correction : {"string", "bh"}
        Multiple-testing correction (:mod:`netpharm.enrichment.correction`).

    Raises
    ------
    EnrichmentError
        Empty query, no query symbol known, or a background that lacks query genes.
    """
    unique = list(dict.fromkeys(s.strip() for s in query if s.strip()))
    if not unique:
        raise EnrichmentError("the gene list is empty: nothing to test for enrichment")
    mapping = library.map_symbols(unique)
    if not mapping.mapped:
        raise EnrichmentError(f"none of the query symbols is known to the annotation: {', '.join(unique)}")
    warnings = []
    if mapping.unknown:
        warnings.append(f"symbol(s) unknown to NCBI Gene 2022-09 (not tested): {', '.join(mapping.unknown)}")
    for q, s in mapping.via_alias.items():
        warnings.append(f"{q} matched through the NCBI alias of {s}")
    if len(set(mapping.mapped.values())) < 2:
        warnings.append("only one gene: over-representation of a single gene is not meaningful")
    if background is None:
        universe, label = library.protein_coding.copy(), "annotated protein-coding genes (per category)"
    else:
        universe = _user_background(library, background, mapping.mapped)
        label = f"user background ({int(universe.sum())} genes, annotated subset per category)"
    for w in warnings:
        log.warning(w)
    results = {}
    for category in categories:
        results[category] = _category(library, category, universe, label, mapping.mapped,
                                      min_term_size, max_term_size, tested_terms, correction)
        log.info("%s: %d terms tested, %d with query genes", category,
                 results[category].n_tested, len(results[category].table))
    return OraResult(tuple(unique), mapping, results, tuple(warnings))

"""STRING's own correction (``string``) against five real STRING v12 API answers, and ``bh`` against goatools.

Data: ``tests/data/enrichment/string_api/`` (README there). Each answer's ``fdr`` column is
recomputed from its own ``p_value`` column with :func:`netpharm.enrichment.correction.string_fdr`.
"""

from __future__ import annotations

import gzip
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from netpharm.enrichment.correction import STRING_V12_TERMS_PER_CATEGORY, string_fdr
from netpharm.enrichment.string_audit import half_unit, inferred_ranks, reproduce_string_fdr, top_row_interval
from netpharm.enrichment.string_enrichment import parse_string_enrichment

DATA = Path(__file__).parent / "data" / "enrichment" / "string_api"
FLAT = ("KEGG", "WikiPathways", "InterPro", "Pfam", "SMART")  # no ontology: STRING filters nothing
ONTOLOGY = ("Process", "Function", "Component", "RCTM", "Keyword")


def _load(path: Path) -> pd.DataFrame:
    text = gzip.open(path, "rt", encoding="utf-8").read() if path.suffix == ".gz" else path.read_text("utf-8")
    return parse_string_enrichment(text, str(path))


@pytest.fixture(scope="module")
def v120() -> dict[str, pd.DataFrame]:
    """The four STRING v12.0 answers of nmartinser/HPO_Dysgraphia (200, 85, 69, 46 genes)."""
    return {p.name.split(".")[0]: _load(p) for p in sorted(DATA.glob("nmartinser_*.gz"))}


@pytest.fixture(scope="module")
def v12x() -> pd.DataFrame:
    """The STRING v12.x answer of aposfys/als-amyloid-network-analysis (26 genes)."""
    return _load(DATA / "aposfys_sigmar1_26genes.enrichment.tsv")


def test_printed_precision() -> None:
    assert half_unit("2.08e-22") == pytest.approx(0.005e-22)
    assert half_unit("1.2500000000000002e-66") == pytest.approx(0.005e-66)
    assert half_unit("0.0123") == half_unit("0.0031") == pytest.approx(5e-5)
    assert half_unit("0.00026") == pytest.approx(5e-6)


def test_m_from_the_top_rows(v120: dict[str, pd.DataFrame], v12x: pd.DataFrame) -> None:
    assert len(v120) == 4
    for category, m in STRING_V12_TERMS_PER_CATEGORY.items():
        bounds = [top_row_interval(raw, category) for raw in v120.values() if (raw["category"] == category).any()]
        low, high = max(b[0] for b in bounds), min(b[1] for b in bounds)
        assert low <= m <= high, (category, low, high)
        if category != "Pfam":  # Pfam's m differs in the v12.x answer (2291–2316): another annotation release
            a_low, a_high = top_row_interval(v12x, category) if (v12x["category"] == category).any() else (0, 1e9)
            assert a_low <= m <= a_high, (category, a_low, a_high)
    # the per-category m is the number of terms for the organism, not of the terms holding an input gene:
    # the same m serves a 200-gene and a 46-gene query
    assert STRING_V12_TERMS_PER_CATEGORY["KEGG"] == 336
    low, high = top_row_interval(v120["nmartinser_200"], "Process")
    assert 15_600 < low < high < 15_800


@pytest.mark.parametrize("category", FLAT)
def test_flat_categories_reproduced_row_by_row(category: str, v120: dict[str, pd.DataFrame],
                                                v12x: pd.DataFrame) -> None:
    m = STRING_V12_TERMS_PER_CATEGORY[category]
    rows = 0
    for name, raw in v120.items():
        check = reproduce_string_fdr(raw, category, m)
        assert check["within"].all(), (name, check[~check["within"]].head())
        rows += len(check)
    assert rows >= 18  # Pfam has the fewest rows: 7 + 1 + 3 + 7
    if category in ("KEGG", "WikiPathways", "InterPro"):  # also the v12.x answer, same m
        assert reproduce_string_fdr(v12x, category, m)["within"].all()


@pytest.mark.parametrize("category", ONTOLOGY)
def test_ontology_categories_bounded_by_filtered_ranks(category: str, v120: dict[str, pd.DataFrame],
                                                         v12x: pd.DataFrame) -> None:
    """Terms STRING filters after correcting keep their ranks: from the reported rows alone the
    recomputed FDR is an upper bound, exact at the top; the implied ranks fit integers."""
    m = STRING_V12_TERMS_PER_CATEGORY[category]
    fitting = total = 0
    for raw in [*v120.values(), v12x]:
        check = reproduce_string_fdr(raw, category, m)
        assert (check["fdr_string"] >= check["fdr"] - check["tolerance"]).all()
        assert check["within"].iloc[0]
        ranks = inferred_ranks(raw, category, m)
        fitting += int(ranks["integer_rank"].sum())
        total += len(ranks)
    # a few rows carry the running maximum of a filtered (unseen) term, so they need not fit
    assert fitting >= 0.98 * total, (fitting, total)
    # with the ranks the rows imply, string_fdr reproduces every self-determined row exactly
    raw = v120["nmartinser_200"]
    ranks = inferred_ranks(raw, category, m)
    own = ranks[ranks["integer_rank"] & ~ranks["tied_to_previous"]]
    rank = np.maximum(np.ceil(own["rank_low"]), own["position"]).to_numpy()
    check = reproduce_string_fdr(raw, category, m).set_index("term").loc[own["term"]]
    ours = check["p_value"].to_numpy() * m / rank
    assert np.all(np.abs(ours - check["fdr"].to_numpy()) <= check["tolerance"].to_numpy() * rank / own["position"].to_numpy())


def test_string_is_not_textbook_bh(v120: dict[str, pd.DataFrame]) -> None:
    """Textbook BH over the reported KEGG rows gives FDRs far below STRING's."""
    from netpharm.enrichment.correction import bh_fdr

    kegg = v120["nmartinser_comunidad1"]
    kegg = kegg[kegg["category"] == "KEGG"]
    p = kegg["p_value"].astype(float).to_numpy()
    assert np.all(bh_fdr(p) * 10 < kegg["fdr"].astype(float).to_numpy())
    assert string_fdr(p, 336) == pytest.approx(kegg["fdr"].astype(float).to_numpy(), rel=0.01)

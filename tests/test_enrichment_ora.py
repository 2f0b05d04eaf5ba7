"""Statistics and propagation of the offline ORA on hand-checked values (hand-made tiny data)."""

from __future__ import annotations

import io
from fractions import Fraction
from math import comb
from pathlib import Path

import numpy as np
import pytest
from scipy.stats import fisher_exact

from netpharm.enrichment.annotations import AnnotationFiles
from netpharm.enrichment.correction import string_fdr
from netpharm.enrichment.library import GeneSetLibrary, build_library, load_library
from netpharm.enrichment.obo_terms import closure_of, read_obo_terms
from netpharm.enrichment.ora import bh_fdr, hypergeom_pvalues, run_ora
from netpharm.errors import EnrichmentError


@pytest.fixture
def tiny_files(datadir: Path) -> AnnotationFiles:
    d = datadir / "enrichment"
    return AnnotationFiles(obo=d / "handmade_tiny.obo", go_annotations=d / "handmade_tiny.gaf",
                           gene_info=d / "handmade_tiny_genes.tsv", reactome_gmt=d / "handmade_tiny.gmt")


@pytest.fixture
def tiny(tiny_files: AnnotationFiles) -> GeneSetLibrary:
    return build_library(tiny_files)


# --- hypergeometric test and BH, by hand --------------------------------------------------
def _upper_tail(k: int, N: int, K: int, n: int) -> Fraction:
    return sum((Fraction(comb(K, i) * comb(N - K, n - i), comb(N, n)) for i in range(k, min(n, K) + 1)),
               Fraction(0))


def test_hypergeom_matches_hand_values() -> None:
    # N=10, K=4, n=3, k=2: (C(4,2)C(6,1) + C(4,3)C(6,0)) / C(10,3) = (36 + 4) / 120 = 1/3
    assert hypergeom_pvalues(np.array([2]), 10, np.array([4]), 3)[0] == pytest.approx(1 / 3, rel=1e-12)
    # N=20, K=5, n=4, k=3: (10*15 + 5) / 4845
    assert hypergeom_pvalues(np.array([3]), 20, np.array([5]), 4)[0] == pytest.approx(155 / 4845, rel=1e-12)
    # k = 0 is certain
    assert hypergeom_pvalues(np.array([0]), 20, np.array([5]), 4)[0] == pytest.approx(1.0)


@pytest.mark.parametrize("k,N,K,n", [(4, 17672, 19, 13), (9, 17198, 408, 13), (2, 500, 30, 20), (7, 11079, 80, 13)])
def test_hypergeom_matches_exact_sum_and_one_sided_fisher(k: int, N: int, K: int, n: int) -> None:
    ours = hypergeom_pvalues(np.array([k]), N, np.array([K]), n)[0]
    assert ours == pytest.approx(float(_upper_tail(k, N, K, n)), rel=1e-9)
    _, fisher = fisher_exact([[k, n - k], [K - k, N - K - n + k]], alternative="greater")
    assert ours == pytest.approx(fisher, rel=1e-9)


def test_bh_on_known_vectors() -> None:
    # p*m/rank: 0.005*4/1=.02, .01*4/2=.02, .03*4/3=.04, .04*4/4=.04
    assert bh_fdr([0.01, 0.04, 0.03, 0.005]) == pytest.approx([0.02, 0.04, 0.04, 0.02])
    # step-up monotonicity: 0.5*3/2 = 0.75, 0.9, 0.01*3 = 0.03
    assert bh_fdr([0.5, 0.9, 0.01]) == pytest.approx([0.75, 0.9, 0.03])
    assert bh_fdr([0.01, 0.02, 0.03, 0.04, 0.05]) == pytest.approx([0.05] * 5)
    assert bh_fdr([]).size == 0


# --- propagation on the hand-made DAG ----------------------------------------------------------
def test_go_closure_follows_is_a_and_part_of_not_regulates(tiny_files: AnnotationFiles) -> None:
    closure = closure_of(read_obo_terms(tiny_files.obo))
    assert closure["GO:0000004"] == {"GO:0000004", "GO:0000002", "GO:0000003", "GO:0000001"}
    assert closure["GO:0000005"] == {"GO:0000005", "GO:0000001"}  # regulates GO:0000002 not followed
    assert closure["GO:0000011"] == {"GO:0000011", "GO:0000010"}
    assert "GO:0000099" not in closure  # obsolete


def test_library_propagated_sets(tiny: GeneSetLibrary) -> None:
    assert tiny.members("GO:0000001") == ["G1", "G2", "G3", "G4", "G5", "G7", "NC1"]
    assert tiny.members("GO:0000002") == ["G1", "G2", "G3", "NC1"]
    assert tiny.members("GO:0000003") == ["G1", "G2", "G5"]
    assert tiny.members("GO:0000004") == ["G1", "G2"]  # G2 annotated to the alt_id GO:0000044
    assert tiny.members("GO:0000005") == ["G4"]
    assert tiny.members("GO:0000010") == ["G6"]
    assert "GO:0000099" not in tiny.term_index
    assert tiny.provenance["go_terms_obsolete_or_unknown"] == ["GO:0000099"]
    # Reactome: OLD3 is an unambiguous alias of G3; virusgene kept but not protein-coding
    assert tiny.members("R-HSA-0000001") == ["G1", "G2", "G3"]
    assert "virusgene" in tiny.members("R-HSA-0000002")
    assert not tiny.protein_coding[tiny.gene_index["virusgene"]]
    assert "SHARED" not in tiny.aliases and tiny.aliases["OLD3"] == "G3"


def test_evidence_exclusion(tiny_files: AnnotationFiles) -> None:
    lib = build_library(tiny_files, evidence_exclude=["IEA"])
    assert lib.members("GO:0000004") == ["G1"]
    assert lib.provenance["go_rows_excluded_by_evidence"] == 1


# --- ORA on the tiny library, by hand ------------------------------------------------------------
def test_ora_hand_values_all_terms(tiny: GeneSetLibrary) -> None:
    res = run_ora(tiny, ["G1", "G2", "G6"], min_term_size=1, max_term_size=0, tested_terms="all", correction="bh")
    bp = res.categories["BP"]
    # BP background: protein-coding genes with a BP annotation = G1 G2 G3 G4 G5 G7 (NC1 is ncRNA)
    assert bp.background_size == 6 and bp.query_genes == ("G1", "G2") and bp.not_in_background == ("G6",)
    assert bp.n_tested == 5
    got = {r.term: (r.observed, r.term_size, r.p_value, r.fdr) for r in bp.table.itertuples()}
    # p: GO4 = 1/C(6,2) = 1/15; GO2, GO3 = 3/15; GO1 = 1; GO5 untested-by-hit (k=0, p=1)
    # BH over 5: [1/15, 1/5, 1/5, 1, 1] -> [1/3, 1/3, 1/3, 1, 1]
    assert got["GO:0000004"] == (2, 2, pytest.approx(1 / 15), pytest.approx(1 / 3))
    assert got["GO:0000003"] == (2, 3, pytest.approx(1 / 5), pytest.approx(1 / 3))
    assert got["GO:0000002"] == (2, 3, pytest.approx(1 / 5), pytest.approx(1 / 3))
    assert got["GO:0000001"] == (2, 6, pytest.approx(1.0), pytest.approx(1.0))
    assert "GO:0000005" not in got
    assert list(bp.table["term"])[0] == "GO:0000004"
    assert bp.table.loc[bp.table["term"] == "GO:0000003", "genes"].item() == "G1,G2"
    # Reactome background: G1..G8 (G3 via alias), n = 3
    re_ = res.categories["Reactome"]
    assert re_.background_size == 8
    rp = dict(zip(re_.table["term"], re_.table["p_value"]))
    assert rp["R-HSA-0000001"] == pytest.approx(16 / 56)  # (C(3,2)C(5,1) + 1) / C(8,3)
    assert rp["R-HSA-0000003"] == pytest.approx(28 / 56)  # (C(4,2)C(4,1) + C(4,3)) / C(8,3)
    assert not any("only one gene" in w for w in res.warnings)


def test_ora_with_query_genes_only_changes_bh(tiny: GeneSetLibrary) -> None:
    bp = run_ora(tiny, ["G1", "G2"], ["BP"], min_term_size=1, max_term_size=0,
                 tested_terms="with_query_genes", correction="bh").categories["BP"]
    # BH over 4 terms [1/15, 1/5, 1/5, 1] -> [4/15, 4/15, 4/15, 1]
    assert bp.n_tested == 4 and bp.correction.method == "bh"
    assert dict(zip(bp.table["term"], bp.table["fdr"]))["GO:0000004"] == pytest.approx(4 / 15)
    assert set(bp.table["correction"]) == {"bh: Benjamini-Hochberg over the 4 tested terms"}
    assert set(bp.table["correction_m"]) == {4}


def test_ora_string_correction_by_hand(tiny: GeneSetLibrary) -> None:
    # m = the 5 BP terms of the library, whatever the query; p sorted [1/15, 1/5, 1/5, 1, 1]:
    # q = 5/15; max(1/3, (1/5)·5/2) = 1/2; max(1/2, (1/5)·5/3) = 1/2; 1 — textbook BH would give 1/3, 1/3, 1/3
    res = run_ora(tiny, ["G1", "G2"], ["BP"], min_term_size=1, max_term_size=0)
    bp = res.categories["BP"]
    assert bp.correction.method == "string" and bp.n_tested == 5
    got = dict(zip(bp.table["term"], bp.table["fdr"]))
    assert got == {"GO:0000004": pytest.approx(1 / 3), "GO:0000003": pytest.approx(0.5),
                   "GO:0000002": pytest.approx(0.5), "GO:0000001": pytest.approx(1.0)}
    assert bp.table["correction"].str.startswith("string: STRING's BH, m = 5 terms").all()
    # size limits filter after the correction: m stays 5, the FDR of the reported terms is unchanged
    small = run_ora(tiny, ["G1", "G2"], ["BP"], min_term_size=3, max_term_size=3).categories["BP"]
    assert small.n_tested == 5
    assert dict(zip(small.table["term"], small.table["fdr"])) == {"GO:0000003": pytest.approx(0.5),
                                                                  "GO:0000002": pytest.approx(0.5)}


def test_string_fdr_by_hand() -> None:
    # ascending p 0.001, 0.003, 0.004 -> 0.001·10/1 = 0.01, 0.003·10/2 = 0.015, max(0.015, 0.004·10/3) = 0.015
    assert string_fdr([0.004, 0.001, 0.003], 10) == pytest.approx([0.015, 0.01, 0.015])
    # ranks beyond the reported rows (a filtered term at rank 2) lower the FDR
    assert string_fdr([0.001, 0.004], 10, ranks=[1, 3]) == pytest.approx([0.01, 0.04 / 3])
    assert string_fdr([0.5], 3)[0] == 1.0  # capped at 1
    with pytest.raises(EnrichmentError, match="m = 1 is smaller"):
        string_fdr([0.1, 0.2], 1)


def test_size_limits(tiny: GeneSetLibrary) -> None:
    bp = run_ora(tiny, ["G1", "G2"], ["BP"], min_term_size=3, max_term_size=3, correction="bh").categories["BP"]
    assert sorted(bp.table["term"]) == ["GO:0000002", "GO:0000003"] and bp.n_tested == 2


def test_goatools_agrees_on_tiny_data(tiny_files: AnnotationFiles, tiny: GeneSetLibrary) -> None:
    from goatools.go_enrichment import GOEnrichmentStudy
    from goatools.obo_parser import GODag

    dag = GODag(str(tiny_files.obo), optional_attrs={"relationship"}, prt=io.StringIO())
    assoc = {"G1": {"GO:0000004"}, "G2": {"GO:0000044"}, "G3": {"GO:0000002"}, "G4": {"GO:0000005"},
             "G5": {"GO:0000003"}, "G7": {"GO:0000001"}}
    pop = ["G1", "G2", "G3", "G4", "G5", "G7"]
    study = GOEnrichmentStudy(pop, assoc, dag, propagate_counts=True, alpha=0.05, methods=["fdr_bh"],
                              relationships={"part_of"}, alternative="greater", log=None)
    theirs = {r.GO: r.p_uncorrected for r in study.run_study(["G1", "G2"], prt=None)}
    ours = run_ora(tiny, ["G1", "G2"], ["BP"], min_term_size=1, max_term_size=0).categories["BP"].table
    for term, p in zip(ours["term"], ours["p_value"]):
        assert p == pytest.approx(theirs[term], rel=1e-12), term


def test_user_background(tiny: GeneSetLibrary) -> None:
    bp = run_ora(tiny, ["G1", "G2"], ["BP"], background=["G1", "G2", "G3", "G4", "NC1"],
                 min_term_size=1, max_term_size=0).categories["BP"]
    assert bp.background_size == 5  # the user's list may hold non-coding genes
    assert "user background" in bp.background
    with pytest.raises(EnrichmentError, match="does not contain the query gene.*G2"):
        run_ora(tiny, ["G1", "G2"], background=["G1", "G3", "G4"])


def test_bad_queries(tiny: GeneSetLibrary) -> None:
    with pytest.raises(EnrichmentError, match="empty"):
        run_ora(tiny, [])
    with pytest.raises(EnrichmentError, match="none of the query symbols"):
        run_ora(tiny, ["NOPE1", "NOPE2"])
    res = run_ora(tiny, ["G1", "NOPE1", "OLD3"])
    assert res.mapping.unknown == ("NOPE1",) and res.mapping.via_alias == {"OLD3": "G3"}
    assert any("NOPE1" in w for w in res.warnings) and any("OLD3" in w for w in res.warnings)
    single = run_ora(tiny, ["G1"])
    assert any("only one gene" in w for w in single.warnings)


def test_cache_roundtrip_is_identical_and_keyed(tiny_files: AnnotationFiles, tmp_path: Path) -> None:
    built = load_library(tiny_files, cache_dir=tmp_path)
    cached = load_library(tiny_files, cache_dir=tmp_path)
    assert sorted(p.suffix for p in tmp_path.iterdir()) == [".json", ".npz"]
    assert cached.genes == built.genes and cached.term_ids == built.term_ids
    assert np.array_equal(cached.pair_terms, built.pair_terms) and np.array_equal(cached.pair_genes, built.pair_genes)
    load_library(tiny_files, evidence_exclude=["IEA"], cache_dir=tmp_path)
    assert len(list(tmp_path.iterdir())) == 4  # another key for other options
    # a corrupt cache is rebuilt, not trusted
    for p in tmp_path.glob("*.npz"):
        p.write_bytes(b"garbage")
    again = load_library(tiny_files, cache_dir=tmp_path)
    assert again.members("GO:0000004") == ["G1", "G2"]


def test_direct_tail_sum_matches_scipy() -> None:
    """The hand-written small-query tail sum agrees with scipy's survival function (random tables)."""
    from scipy.stats import hypergeom

    rng = np.random.default_rng(7)
    for N, n in ((17198, 13), (11079, 60), (500, 20), (20, 4)):
        K = rng.integers(1, min(N, 2000), 2000)
        k = np.minimum(rng.integers(0, n + 1, 2000), K)
        ours = hypergeom_pvalues(k, N, K, n)
        theirs = np.clip(hypergeom.sf(k - 1, N, K, n), 0.0, 1.0)
        assert np.allclose(ours, theirs, rtol=1e-9, atol=0.0), (N, n)
    assert hypergeom_pvalues(np.array([], dtype=int), 10, np.array([], dtype=int), 3).size == 0

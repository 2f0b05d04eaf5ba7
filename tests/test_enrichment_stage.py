"""The enrichment stage on the real shipped data (13 targets, offline) and with a recorded STRING cache."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from helpers import enrichment_context

from netpharm.config import from_mapping, to_mapping
from netpharm.enrichment.config import EnrichmentConfig
from netpharm.enrichment.library import GeneSetLibrary, load_library
from netpharm.enrichment.ora import run_ora
from netpharm.enrichment.plots import dot_plot, x_limits
from netpharm.enrichment.stage import run_enrichment_stage
from netpharm.errors import ConfigError, EnrichmentError

TARGETS = ["OPRM1", "OPRD1", "GRIN1", "GRIN2B", "GRIA1", "GRIA2", "CACNA1A", "CACNA1B",
           "CAMK2A", "MAPK1", "AKT1", "CREB1", "BDNF"]


@pytest.fixture(scope="session")
def library(derived: Path) -> GeneSetLibrary:
    return load_library(cache_dir=derived)


# --- real data, the paper's 13 targets ---------------------------------------------------------------
def test_thirteen_targets_offline(tmp_path: Path, derived: Path) -> None:
    outcome = run_enrichment_stage(enrichment_context(tmp_path, derived, TARGETS))
    assert outcome.status == "ok"
    assert outcome.missing == ["STRING enrichment not in cache (offline); record a downloaded STRING enrichment "
                               "with `netpharm import FILE --kind enrichment`"]
    out = tmp_path / "run" / "enrichment"
    for name in ("offline_BP.tsv", "offline_MF.tsv", "offline_CC.tsv", "offline_Reactome.tsv",
                 "top_terms.tsv", "backgrounds.tsv", "themes.tsv"):
        assert (out / name).is_file(), name
    assert not (out / "string_enrichment_raw.tsv").exists()
    for cat in ("BP", "MF", "CC", "Reactome"):
        for ext in ("png", "svg"):
            assert f"enrichment/figures/offline_{cat}.{ext}" in to_mapping(outcome.findings)["figures"]
    f = to_mapping(outcome.findings)
    assert f["string_enrichment_cached"] is False
    assert f["background_size"] == {"BP": 17198, "MF": 17672, "CC": 18161, "Reactome": 11079}
    themes = {t["theme"]: t for t in f["themes"]}
    assert len(themes) == 6 and all(t["recovered"] for t in themes.values())
    assert themes["CREB1 phosphorylation"]["best_term"] == "R-HSA-442742"
    assert themes["chemical synaptic transmission"]["rank_offline"] == 1  # smallest p among BP terms
    assert themes["post NMDA receptor activation events"]["rank_offline"] == 1
    assert all(t["fdr_string"] is None for t in themes.values())
    table = pd.read_csv(out / "themes.tsv", sep="\t")
    assert list(table["theme"]) == list(themes)
    json.dumps(outcome.to_json())  # JSON-ready


def test_thirteen_targets_hand_checked_counts(library: GeneSetLibrary) -> None:
    res = run_ora(library, TARGETS)
    mf = res.categories["MF"].table.set_index("term")
    # ionotropic glutamate receptor activity: GRIA1 GRIA2 GRIN1 GRIN2B of 19 genes
    row = mf.loc["GO:0004970"]
    assert (row.observed, row.term_size, row.background_size, row.query_size) == (4, 19, 17672, 13)
    assert row.genes == "GRIA1,GRIA2,GRIN1,GRIN2B"
    # P(X >= 4) = sum_i C(19,i) C(17653,13-i) / C(17672,13), i = 4..13, checked with exact integers
    from math import comb
    exact = sum(comb(19, i) * comb(17672 - 19, 13 - i) for i in range(4, 14)) / comb(17672, 13)
    assert row.p_value == pytest.approx(exact, rel=1e-9)
    rea = res.categories["Reactome"].table.set_index("term").loc["R-HSA-438064"]
    assert (rea.observed, rea.term_size) == (7, 80)


def test_goatools_propagation_pvalues_and_bh_on_real_data(library: GeneSetLibrary, tmp_path: Path) -> None:
    """goatools (independent DAG parser, propagation and statsmodels' fdr_bh) gives the same BP counts,
    p-values and ``bh`` FDRs — over every term with a background gene (``tested_terms = "all"``, goatools'
    own convention) and over the terms holding a query gene (goatools restricted to them)."""
    from goatools.go_enrichment import GOEnrichmentStudy
    from goatools.obo_parser import GODag

    from netpharm.enrichment.annotations import read_go_annotations, read_text, shipped_files

    files = shipped_files()
    obo = tmp_path / "go.obo"
    obo.write_text(read_text(files.obo))
    dag = GODag(str(obo), optional_attrs={"relationship"}, prt=io.StringIO())
    assoc: dict[str, set[str]] = {}
    for row in read_go_annotations(files.go_annotations):
        if row.category == "BP":  # one namespace, so goatools' single correction is per category like ours
            assoc.setdefault(row.symbol, set()).add(row.go_id)
    bp = run_ora(library, TARGETS, ["BP"], min_term_size=1, max_term_size=0, tested_terms="all",
                 correction="bh").categories["BP"]
    in_cat = library.term_category_array[library.pair_terms] == "BP"
    bg = np.unique(library.pair_genes[in_cat])
    pop = [library.genes[g] for g in bg if library.protein_coding[g]]
    assert len(pop) == bp.background_size
    study = GOEnrichmentStudy(pop, {g: assoc[g] for g in pop}, dag, propagate_counts=True, methods=["fdr_bh"],
                              relationships={"part_of"}, alternative="greater", log=None)
    theirs = {r.GO: r for r in study.run_study(TARGETS, prt=None)}
    assert bp.n_tested == len(theirs)  # goatools tests every term with a population gene
    assert len(bp.table) > 500
    for rec in bp.table.itertuples():
        other = theirs[rec.term]
        assert (rec.observed, rec.term_size) == (other.study_count, other.pop_count), rec.term
        assert rec.p_value == pytest.approx(other.p_uncorrected, rel=1e-9), rec.term
        assert rec.fdr == pytest.approx(other.p_fdr_bh, rel=1e-9), rec.term
    held = run_ora(library, TARGETS, ["BP"], min_term_size=1, max_term_size=0, tested_terms="with_query_genes",
                   correction="bh").categories["BP"]
    restricted = {r.GO: r for r in study.run_study(TARGETS, prt=None, selected_goids=set(held.table["term"]))}
    assert held.n_tested == len(restricted) == len(held.table)
    for rec in held.table.itertuples():
        assert rec.fdr == pytest.approx(restricted[rec.term].p_fdr_bh, rel=1e-9), rec.term


def test_rerun_is_byte_identical(tmp_path: Path, derived: Path) -> None:
    run_enrichment_stage(enrichment_context(tmp_path / "a", derived, TARGETS, top_n_plot=5))
    run_enrichment_stage(enrichment_context(tmp_path / "b", derived, TARGETS, top_n_plot=5))
    a, b = tmp_path / "a/run/enrichment", tmp_path / "b/run/enrichment"
    files = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
    assert len(files) == 15
    for rel in files:
        assert (a / rel).read_bytes() == (b / rel).read_bytes(), rel


# STRING's enrichment from the cache (real recorded answer) and from imports: tests/test_enrichment_imports.py


# --- bad input and options ---------------------------------------------------------------------------------
def test_empty_and_single_target(tmp_path: Path, derived: Path) -> None:
    with pytest.raises(EnrichmentError, match="no target genes"):
        run_enrichment_stage(enrichment_context(tmp_path, derived, ["  "]))
    single = run_enrichment_stage(enrichment_context(tmp_path, derived, ["GRIN1"]))
    assert single.status == "ok"
    assert any("expanded by STRING" in m for m in single.missing)
    assert any("only one gene" in m for m in single.missing)


def test_unknown_symbol_is_listed_not_dropped(tmp_path: Path, derived: Path) -> None:
    outcome = run_enrichment_stage(enrichment_context(tmp_path, derived, ["GRIN1", "GRIN2B", "NOTAGENE1"], string_enrichment=False))
    assert to_mapping(outcome.findings)["unknown_symbols"] == ["NOTAGENE1"]
    assert any("NOTAGENE1" in m for m in outcome.missing)


def test_background_file(tmp_path: Path, derived: Path) -> None:
    (tmp_path / "bg.txt").write_text("# neuro background\nGRIN1\nGRIN2B\nGRIA1\nGRIA2\nCAMK2A\nAKT1\n")
    ok = run_enrichment_stage(enrichment_context(tmp_path, derived, ["GRIN1", "GRIN2B"], string_enrichment=False,
                                   background_file="bg.txt", min_term_size=1))
    assert to_mapping(ok.findings)["background_size"]["MF"] == 6
    bg = pd.read_csv(tmp_path / "run/enrichment/backgrounds.tsv", sep="\t")
    assert bg["background"].str.startswith("user background").all()
    with pytest.raises(EnrichmentError, match="does not contain the query gene.*MAPK1"):
        run_enrichment_stage(enrichment_context(tmp_path, derived, ["GRIN1", "MAPK1"], string_enrichment=False,
                                  background_file="bg.txt"))
    with pytest.raises(EnrichmentError, match="background file not found"):
        run_enrichment_stage(enrichment_context(tmp_path, derived, ["GRIN1", "GRIN2B"], background_file="nope.txt"))


def test_nothing_to_run(tmp_path: Path, derived: Path) -> None:
    outcome = run_enrichment_stage(enrichment_context(tmp_path, derived, TARGETS, offline_ora=False))
    assert outcome.status == "not_run" and outcome.reason
    assert all(t["recovered"] is False and t["fdr_offline"] is None for t in to_mapping(outcome.findings)["themes"])


@pytest.mark.parametrize("bad", [
    {"fdr_threshold": 0.0}, {"fdr_threshold": 1.5}, {"categories": ["KEGG"]}, {"categories": []},
    {"evidence_exclude": ["XYZ"]}, {"min_term_size": 0}, {"max_term_size": 2, "min_term_size": 5},
    {"top_n_plot": 0}, {"tested_terms": "some"}, {"unknown_key": 1},
])
def test_config_validation(bad: dict[str, Any]) -> None:
    with pytest.raises(ConfigError):
        from_mapping(EnrichmentConfig, bad, "enrichment")


def test_config_from_mapping() -> None:
    cfg = from_mapping(EnrichmentConfig, {"evidence_exclude": ["IEA"], "categories": ["BP", "Reactome"],
                                          "max_term_size": 0})
    assert cfg.evidence_exclude == ("IEA",) and cfg.categories == ("BP", "Reactome") and cfg.max_term_size == 0


def test_dot_plot_svg_deterministic_and_empty(tmp_path: Path, library: GeneSetLibrary) -> None:
    table = run_ora(library, TARGETS, ["CC"]).categories["CC"].table
    a = dot_plot(table, "CC", 0.05, 5, tmp_path / "a")
    b = dot_plot(table, "CC", 0.05, 5, tmp_path / "b")
    assert [p.suffix for p in a] == [".png", ".svg"]
    for x, y in zip(a, b):
        assert x.read_bytes() == y.read_bytes()
    svg = a[1].read_text()
    assert "<dc:date>" not in svg
    empty = dot_plot(table.iloc[0:0], "CC", 0.05, 5, tmp_path / "empty")
    assert all(p.stat().st_size > 1000 for p in empty)


def test_dot_plot_leaves_room_for_the_dots_at_both_ends() -> None:
    """The Scutellaria report's BP plot (top −log10 FDR 26.43) cut its largest dots in half at the right axis, and
    a plot whose terms all have FDR 1 (x = 0) cut them at the left: the range now pads both ends."""
    left, right = x_limits(np.array([26.43, 17.4]), 0.05)
    assert right == pytest.approx(26.43 * 1.12 + 0.05) and left == pytest.approx(-0.05 * right) and left < 0
    left, right = x_limits(np.array([0.0, 0.0]), 0.05)  # nothing significant: the dashed line sets the range
    assert right == pytest.approx(-np.log10(0.05) * 1.12 + 0.05) and left < 0
    assert x_limits(np.zeros(0), 0.05) == (left, right)  # the empty plot

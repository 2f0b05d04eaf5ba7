"""The bilobalide–acute ischemic stroke example (workflows/examples/bilobalide-ais.toml): every raw source, one run.

Its counts are pinned against a hand count over the raw files that uses none of netpharm's readers
(:func:`_hand_count`: the csv module and openpyxl, the shipped gene table read with gzip for UniProt accessions),
and the per-source counts against the study's own published ones (hanxu-eng/bilobalide-ais-network-pharmacology @
5b91f52444065a1398a566352612790d28b4868f: 1_SwissTargetPrediction/..._strict_probability_ge_0.5.csv 4 rows,
1_Super-PRED/..._strict_probability_gt80_model_accuracy_gt85.csv 9 rows, 1_PharmMapper/PharmMapper_processing_notes.md
"严格集 3", 2_DisGenET/DisGeNET_AIS_primary_raw_score_ge_0.30.csv 11 rows).
"""

from __future__ import annotations

import csv
import dataclasses
import gzip
from pathlib import Path

import openpyxl
import pytest

from netpharm.registry import load_workflow, resolve_targets
from netpharm.stage import StageOutcome
from netpharm.workflow import run_workflow

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "workflows" / "examples" / "bilobalide-ais.toml"
RAW = REPO / "tests" / "data" / "target_sources"
GENES = REPO / "netpharm" / "data" / "human_genes_xref.orgHsegdb-3.16.0.tsv.gz"


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, StageOutcome[object]]:
    # the stage records each source file in the cache: a temporary one, so the test leaves the repository's alone
    here = tmp_path_factory.mktemp("bilobalide")
    workflow = dataclasses.replace(load_workflow(EXAMPLE), cache_dir=str(here / "cache"))
    result = run_workflow(workflow, here / "run")
    assert not result.failed
    assert len(list((here / "cache").rglob("*.meta.json"))) == 7  # one record per source file
    return result.run_dir, result.outcomes["compounds"]


def _tsv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def _hand_count() -> dict[str, set[str]]:
    """Each source's kept names, read with the csv module / openpyxl only (UniProt accessions → the gene table)."""
    symbol_of: dict[str, set[str]] = {}
    with gzip.open(GENES, "rt", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            for accession in filter(None, row["uniprot_ids"].split("|")):
                symbol_of.setdefault(accession, set()).add(row["symbol"])
    with (RAW / "swisstargetprediction/bilobalide-ais/SwissTargetPrediction_bilobalide_rerun.csv").open(
            newline="") as handle:
        swiss = {r["Common name"] for r in csv.DictReader(handle) if float(r["Probability*"]) >= 0.5}
    with (RAW / "superpred/bilobalide-ais/Targets-Super-PRED.csv").open(newline="") as handle:  # the study's > cuts
        superpred = {g for r in csv.DictReader(handle) if float(r["Probability"][:-1]) > 80
                     and float(r["Model accuracy"][:-1]) > 85 for g in symbol_of[r["UniProt ID"]]}
    pharmmapper: set[str] = set()
    for path in sorted((RAW / "pharmmapper/bilobalide-ais").glob("*Targets.csv")):
        with path.open(newline="") as handle:
            for r in list(csv.reader(handle))[2:]:  # record 1 is '"Ligand: 73581\n"', record 2 the header
                uniplot = r[13]
                if float(r[3]) >= 0.9 and float(r[4]) >= 1 and (uniplot in symbol_of or uniplot.endswith("_HUMAN")):
                    pharmmapper |= symbol_of.get(uniplot, {uniplot})
    genecards_path = RAW / "genecards/bilobalide-ais/GeneCards - GeneCards - Search results for _acute ischemic stroke_.csv"
    with genecards_path.open(encoding="utf-8-sig", newline="") as handle:
        lines = list(csv.reader(handle))
    start = next(i for i, r in enumerate(lines) if r[:1] == ["Symbol"])
    genecards = {r[0] for r in lines[start + 1:] if len(r) > 3 and float(r[3]) >= 5}
    sheet = openpyxl.load_workbook(RAW / "disgenet/bilobalide-ais/search_result_acute ischemic stroke.xlsx",
                                   read_only=True).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    gene, score = rows[0].index("Gene"), rows[0].index("score")
    disgenet = {str(r[gene]) for r in rows[1:] if float(str(r[score])) >= 0.3}
    sheet = openpyxl.load_workbook(RAW / "omim/bilobalide-ais/OMIM-MIMATCH_result.xlsx", read_only=True).worksheets[0]
    entries = list(sheet.iter_rows(values_only=True))[5:1005]  # header on row 5, footer after row 1005
    omim = {str(r[1]).rsplit("; ", 1)[-1] for r in entries if str(r[0])[0] in "*+"}
    return {"swiss": swiss, "superpred": superpred, "pharmmapper": pharmmapper, "genecards": genecards,
            "disgenet": disgenet, "omim": omim}


def test_hand_count_of_the_raw_files() -> None:
    hand = _hand_count()
    assert {k: len(v) for k, v in hand.items()} == {"swiss": 4, "superpred": 9, "pharmmapper": 3, "genecards": 31,
                                                     "disgenet": 11, "omim": 525}
    drug = hand["swiss"] | hand["superpred"] | hand["pharmmapper"]
    disease = hand["genecards"] | hand["disgenet"] | hand["omim"]
    assert len(drug) == 16 and len(disease) == 540
    assert drug & disease == {"HIF1A", "NFKB1"}


def test_counts_per_source_match_the_hand_count_and_the_studys_own(run: tuple[Path, StageOutcome[object]]) -> None:
    run_dir, _ = run
    counts = {r["source"]: r for r in _tsv(run_dir / "compounds" / "counts.tsv")}
    kept = {label: (int(r["rows"]), int(r["kept_rows"]), int(r["targets"])) for label, r in counts.items()}
    assert kept == {"SwissTargetPrediction": (100, 4, 4), "Super-PRED": (131, 9, 9), "PharmMapper 2D": (299, 1, 1),
                    "PharmMapper 3D": (299, 2, 2), "GeneCards": (822, 31, 31), "DisGeNET": (522, 11, 11),
                    "OMIM": (1000, 525, 524)}  # OMIM lists MECOM and MDS1, its previous symbol: one gene
    assert counts["Super-PRED"]["rule"] == "Probability ≥ 80% and Model accuracy ≥ 85%"
    assert counts["PharmMapper 3D"]["rule"] == "z'-score ≥ 1 and Norm Fit ≥ 0.9; human hits only"
    assert "TRUNCATED: OMIM found 2,444 entries and exported the first 1,000" in counts["OMIM"]["rule"]


def test_common_targets_and_what_is_said_missing(run: tuple[Path, StageOutcome[object]]) -> None:
    run_dir, outcome = run
    common = _tsv(run_dir / "compounds" / "intersection.tsv")
    assert [(r["target"], r["compound_sources"], r["disease_sources"]) for r in common] == [
        ("HIF1A", "Super-PRED", "OMIM"), ("NFKB1", "Super-PRED", "GeneCards;OMIM")]
    assert resolve_targets(load_workflow(EXAMPLE)) == ["HIF1A", "NFKB1"]  # the common targets: the workflow's
    disease = {r["target"] for r in _tsv(run_dir / "compounds" / "disease_targets.tsv")}
    assert len(disease) == 539  # the hand count's 540 names, MDS1 → MECOM
    assert outcome.status == "partial" and outcome.reason.startswith("OMIM: the export is not the server's whole")
    assert any(m.startswith("OMIM: incomplete list: OMIM's search found 2,444 entries") for m in outcome.missing)
    unmatched = next(m for m in outcome.missing if "match no gene" in m)
    assert "ANGI_HUMAN, CAH12_HUMAN" in unmatched  # PharmMapper entry names: listed, not guessed
    # one ambiguous name: said in the singular
    ambiguous = next(m for m in outcome.missing if "alias" in m)
    assert ambiguous.startswith("1 name is an alias of several genes and is kept as written, not guessed: MTTK")


def test_the_truncated_omim_export_is_in_the_audit_and_the_report(run: tuple[Path, StageOutcome[object]]) -> None:
    run_dir, _ = run
    audit = _tsv(run_dir / "report" / "audit.tsv")
    assert [(r["check"], r["subject"], r["severity"]) for r in audit] == [("import_truncated", "OMIM", "warning")]
    assert audit[0]["finding"].startswith("OMIM's search found 2,444 entries but the export holds the first 1,000")
    html = (run_dir / "report" / "report.html").read_text(encoding="utf-8")
    assert "the genes of the other 1,444 entries are not in this file" in html
    # one compound, no structure: no RDKit version to name; a stage outside the workflow is "not run", no token
    assert "16 compound targets (1 compound), 539" in html
    assert "Compound–target network: 1 compound, 16 targets," in html
    assert "0 of\n1 compounds with a structure.</p>" in html and "RDKit —" not in html
    assert '<span class="badge not_run">not run</span> network stage not run' in html and ">not_run<" not in html

"""Readers of compound → target and disease gene files, on real server exports (tests/data/target_sources)."""

from __future__ import annotations

from pathlib import Path

import pytest

from netpharm.compounds.config import DiseaseTable, TargetTable
from netpharm.compounds.readers import read_disease_table, read_target_table
from netpharm.compounds.readers.detect import detect
from netpharm.errors import CompoundsError

SOURCES = Path(__file__).resolve().parent / "data" / "target_sources"
SWISS_CSV = SOURCES / "swisstargetprediction/gb-intro-healthcare/SwissTargetPrediction_phenylpropanolamine.csv"
SWISS_PASTED = SOURCES / "swisstargetprediction/herbal-network-pharmacology/swisstarget.txt"
GENECARDS = SOURCES / "genecards/bilobalide-ais/GeneCards - GeneCards - Search results for _acute ischemic stroke_.csv"
DISGENET_TSV = SOURCES / "disgenet/herbal-network-pharmacology/disgenet_summary_C0011881/search_result_C0011881.tsv"
DISGENET_XLSX = SOURCES / "disgenet/bilobalide-ais/search_result_acute ischemic stroke.xlsx"
TCMSP = SOURCES / "tcmsp/tcmsp-spider"
HERB = SOURCES / "herb/pc-netpharm-transcriptomics/physcion_ingredient_target_2026. 1. 21..xlsx"
LIAO = SOURCES / "study_replay/liao323-artemisinin-pss"


def _swiss(**kw: object) -> TargetTable:
    return TargetTable(file="x", label="phenylpropanolamine", format="swisstargetprediction", **kw)  # type: ignore[arg-type]


def test_swisstargetprediction_csv_export_crlf_multi_gene_and_homology() -> None:
    assert b"\r\n" in SWISS_CSV.read_bytes()  # the real export's CRLF
    _, read = read_target_table(SWISS_CSV, _swiss())
    assert (read.rows, read.kept_rows, read.rule) == (100, 19, "Probability* > 0")
    first = read.records[:2]
    assert [(r.compound, r.target, r.line) for r in first] == [("phenylpropanolamine", "ADRA2A", 2),
                                                               ("phenylpropanolamine", "ADRA2B", 3)]
    assert first[0].detail == "probability 0.936391" and first[1].detail.endswith("; by homology")
    # min_probability = 0 keeps the zero rows: the CDK2/cyclin E complex is one row, three genes
    _, every = read_target_table(SWISS_CSV, _swiss(min_probability=0.0))
    assert every.kept_rows == 100
    assert [r.target for r in every.records if r.line == 48] == ["CCNE2", "CDK2", "CCNE1"]


def test_swisstargetprediction_pasted_page_blocks_titled_both_ways() -> None:
    _, read = read_target_table(SWISS_PASTED, _swiss(min_probability=0.1))
    assert len(read.compounds) == 25 and read.rows == 2470  # 70 (Mangiferin) + 24 × 100
    assert {"Mangiferin", "Naringin", "2,6,4'-trihydroxy-4-methoxybenzophenone"} <= set(read.compounds)
    assert read.notes == ["25 compound blocks (pasted result page)"]
    assert read.records[0].compound == "Mangiferin" and read.records[0].target == "AKR1B1"


def test_genecards_2026_layout_bom_title_copyright_footer_and_median() -> None:
    body = GENECARDS.read_bytes()
    assert body.startswith(b"\xef\xbb\xbf") and b"Copyright LifeMap" in body[-300:]
    _, read = read_disease_table(GENECARDS, DiseaseTable(file="x", label="AIS", format="genecards"))
    assert read.rows == 822 and read.rule == "Relevance score ≥ the median (1.61113)"
    assert read.kept_rows == 422 and read.records[0].gene == "PLAU" and read.records[0].line == 6
    _, set_cut = read_disease_table(GENECARDS, DiseaseTable(file="x", label="AIS", format="genecards", min_score=10))
    assert set_cut.rule == "Relevance score ≥ 10" and all(r.score is not None and r.score >= 10 for r in set_cut.records)
    assert len(set_cut.records) == sum(1 for r in read.records if r.score is not None and r.score >= 10)


def test_disgenet_new_platform_tsv_and_xlsx() -> None:
    _, tsv = read_disease_table(DISGENET_TSV, DiseaseTable(file="x", label="DN", format="disgenet"))
    assert (tsv.rows, tsv.kept_rows) == (30, 30) and tsv.records[0].gene == "TGFB1" and tsv.records[0].score == 1.0
    _, xlsx = read_disease_table(DISGENET_XLSX, DiseaseTable(file="x", label="AIS", format="disgenet", min_score=0.3))
    assert xlsx.rows == 522 and len(xlsx.records) == 11
    assert xlsx.records[0].gene == "PLA2G7" and xlsx.records[0].line == 178  # the sheet's own row number


def test_tcmsp_ob_dl_screen_carries_the_servers_values() -> None:
    spec = TargetTable(file="x", label="Chenpi", format="tcmsp", ingredients="y")
    _, read = read_target_table(TCMSP / "Chenpi_targets.xlsx", spec, TCMSP / "Chenpi_ingredients.xlsx")
    assert read.rows == 479 and read.kept_rows == 95 and len(read.compounds) == 5
    assert read.rule == "compounds with OB ≥ 30 % and DL ≥ 0.18 (TCMSP's values)"
    for values in read.compounds.values():
        assert float(values["ob"]) >= 30 and float(values["dl"]) >= 0.18 and values["mol_id"].startswith("MOL")
    assert read.notes[0].startswith("39 compounds fail the OB/DL screen") and "naringin" in read.notes[0]
    assert read.records[0].target == "Progesterone receptor"  # TCMSP lists protein names, not symbols
    _, unscreened = read_target_table(TCMSP / "Chenpi_targets.xlsx", TargetTable(file="x", label="C", format="tcmsp"))
    assert unscreened.kept_rows == 479


def test_herb_ingredient_target_export() -> None:
    _, read = read_target_table(HERB, TargetTable(file="x", label="physcion", format="herb"))
    assert read.rows == 43 and len(read.records) == 43
    assert read.records[0].compound == "physcion" and read.records[0].target == "ACHE"


def test_plain_lists_without_header() -> None:
    _, drug = read_target_table(LIAO / "Venn_Drug.txt", TargetTable(file="x", label="Drug", target=1, header=False,
                                                                     compound_name="Artemisinin"))
    assert len(drug.records) == 412 and drug.records[0].compound == "Artemisinin" and drug.records[0].line == 1
    _, disease = read_disease_table(LIAO / "Venn_Disease.txt", DiseaseTable(file="x", label="pSS", header=False))
    assert len(disease.records) == 1495 and disease.notes == []


def test_plain_rows_with_an_empty_gene_cell_are_named(tmp_path: Path) -> None:
    path = tmp_path / "pairs.tsv"
    path.write_text("compound\tgene\nquercetin\tAKT1\nquercetin\t\nkaempferol\tTNF; IL6\n", encoding="utf-8")
    _, read = read_target_table(path, TargetTable(file="x", label="t", compound="compound", target="gene"))
    assert [(r.compound, r.target, r.line) for r in read.records] == [
        ("quercetin", "AKT1", 2), ("kaempferol", "TNF", 4), ("kaempferol", "IL6", 4)]
    assert (read.rows, read.kept_rows) == (3, 2)
    assert read.notes == ["1 rows with an empty gene cell give no target (lines 3)"]


def test_detect_names_each_format() -> None:
    found = {p.name: (d.format, d.kind) for p in (SWISS_CSV, SWISS_PASTED, GENECARDS, DISGENET_TSV, DISGENET_XLSX,
                                                  TCMSP / "Chenpi_targets.xlsx", HERB) for d in [detect(p)]}
    assert [v[0] for v in found.values()] == ["swisstargetprediction", "swisstargetprediction", "genecards",
                                              "disgenet", "disgenet", "tcmsp", "herb"]
    plain = detect(LIAO / "Venn_Drug.txt")
    assert (plain.format, plain.columns, plain.header) == ("", 1, False)


# --- bad input: one line naming the file, the line and the column ----------------------------------------------
def test_a_bad_probability_names_file_line_and_column(tmp_path: Path) -> None:
    lines = SWISS_CSV.read_text(encoding="utf-8").splitlines()
    lines[4] = lines[4].replace('"0.0630257148888"', '"n/a"')
    bad = tmp_path / "swiss.csv"
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(CompoundsError, match=r"swiss\.csv: line 5, column 'Probability\*': 'n/a' is not a number$"):
        read_target_table(bad, _swiss())


def test_unknown_column_lists_the_header(tmp_path: Path) -> None:
    with pytest.raises(CompoundsError, match=r"no gene column 'symbol'; the header has \['gene_symbol', 'score'"):
        read_disease_table(_csv(tmp_path), DiseaseTable(file="x", label="DN", column="symbol"))


def _csv(tmp_path: Path) -> Path:
    path = tmp_path / "genes.csv"
    path.write_text("gene_symbol,score\nTNF,1\n", encoding="utf-8")
    return path


def test_other_bad_files(tmp_path: Path) -> None:
    xls = tmp_path / "old.xls"
    xls.write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 64)
    with pytest.raises(CompoundsError, match="legacy Excel .xls"):
        read_disease_table(xls, DiseaseTable(file="x", label="a"))
    with pytest.raises(CompoundsError, match=r"no sheet 'Genes'; the workbook has \['Disgenet'\]"):
        read_disease_table(DISGENET_XLSX, DiseaseTable(file="x", label="a", format="disgenet", sheet="Genes"))
    latin = tmp_path / "latin.txt"
    latin.write_bytes(b"TNF\nIL6\nSj\xf6gren\n")
    with pytest.raises(CompoundsError, match=r"latin\.txt: line 3: .* not UTF-8"):
        read_disease_table(latin, DiseaseTable(file="x", label="a", header=False))
    with pytest.raises(CompoundsError, match="not a GeneCards table"):
        read_disease_table(LIAO / "Venn_Disease.txt", DiseaseTable(file="x", label="a", format="genecards"))
    with pytest.raises(CompoundsError, match="not found"):
        read_disease_table(tmp_path / "absent.csv", DiseaseTable(file="x", label="a"))


def test_genecards_xlsx_resave_places_cells_by_reference() -> None:
    # RNA genes have no UniProt id: the cell is absent from the sheet's XML, the score must not shift left
    _, read = read_disease_table(SOURCES / "genecards/nafld-goji/GeneCards-SearchResults.xlsx",
                                 DiseaseTable(file="x", label="NAFLD", format="genecards", min_score=1.0))
    assert read.rows == 1765 and read.records[0].gene == "MIR122" and read.records[0].line == 2
    assert read.records[0].score == pytest.approx(17.3981513977051)
    assert all(r.score is not None and r.score >= 1.0 for r in read.records)


def test_swisstargetprediction_tables_stacked_under_one_header_with_a_compound_column() -> None:
    path = SOURCES / "genecards/nafld-goji/study_context/Targets_prediction.xlsx"
    _, read = read_target_table(path, _swiss(compound="Metabolites", min_probability=0.0))
    assert read.rows == 1864 and read.kept_rows == 1864
    assert read.records[0].compound == "Quercetin" and read.records[0].target == "NOX4"
    # the authors' Excel fill-down renamed one block's compound on every row (LBP-1, LBP-2 ...): read as written
    assert len(read.compounds) == 118 and {"LBP-1", "LBP-100"} <= set(read.compounds)

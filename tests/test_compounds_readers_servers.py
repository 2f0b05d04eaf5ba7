"""Readers of OMIM, CTD, PharmMapper, Super-PRED, BATMAN-TCM and SEA exports, on real files (tests/data/target_sources).

Every number is hand-checked over the raw file with a command that does not use netpharm's readers (given at each
test; run from ``tests/data/target_sources``, ``GENES`` = ``../../../netpharm/data/human_genes_xref...tsv.gz``).
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import openpyxl
import pytest

from netpharm.compounds.config import DiseaseTable, TargetTable
from netpharm.compounds.readers import read_disease_table, read_target_table
from netpharm.compounds.readers.detect import detect
from netpharm.compounds.readers.records import INCOMPLETE
from netpharm.errors import CompoundsError, ConfigError

SOURCES = Path(__file__).resolve().parent / "data" / "target_sources"
OMIM = SOURCES / "omim/bilobalide-ais/OMIM-MIMATCH_result.xlsx"
CTD = SOURCES / "ctd/tame-training-modules/Module3_1_CTDOutput_ArsenicGene_Interactions.csv"
PHARMMAPPER_2D = SOURCES / "pharmmapper/bilobalide-ais/260604095339-Structure2D_COMPOUND_CID_73581.sdf - Targets.csv"
PHARMMAPPER_3D = SOURCES / "pharmmapper/bilobalide-ais/260604095716-Conformer3D_COMPOUND_CID_73581.sdf - Targets.csv"
SUPERPRED = SOURCES / "superpred/bilobalide-ais/Targets-Super-PRED.csv"
SUPERPRED_PPA = SOURCES / "superpred/gb-intro-healthcare/Targets_phenylpropanolamine.csv"
BATMAN = SOURCES / "batman/eopchang-netpharm/rawfile_BATMAN drug-target interaction info.xlsx"
SEA = SOURCES / "sea/sangeeta97-network-pharmacology/curcumin_target_proteins.csv"
SEA_BDMC = SOURCES / "sea/sangeeta97-network-pharmacology/Bisdemethoxycucurmin_target_proteins.csv"


def _targets(path: Path, fmt: str, **kw: object) -> TargetTable:
    return TargetTable(file=str(path), label="bilobalide", format=fmt, **kw)  # type: ignore[arg-type]


# --- OMIM ---------------------------------------------------------------------------------------------------------
def test_omim_gene_entries_and_the_truncation_is_said() -> None:
    # python: rows 6..1005 of the sheet; Counter(first char of MIM Number) = {'*': 525, '#': 421, '%': 32, '': 22};
    # the '*' titles' text after the last '; ' gives 525 distinct symbols, first APOE (row 6), TET2, AQP4
    _, read = read_disease_table(OMIM, DiseaseTable(file="x", label="OMIM", format="omim"))
    assert (read.rows, read.kept_rows) == (1000, 525)
    assert [(r.gene, r.line) for r in read.records[:3]] == [("APOE", 6), ("TET2", 7), ("AQP4", 12)]
    assert len({r.gene for r in read.records}) == 525
    assert "TRUNCATED: OMIM found 2,444 entries and exported the first 1,000" in read.rule
    assert read.notes[0] == (f"{INCOMPLETE}OMIM's search found 2,444 entries but the export holds the first 1,000 "
                             "(its maximum is 1,000): the genes of the other 1,444 entries are not in this file")
    assert read.notes[1] == ("entries that are not genes, left out: 22 other (no prefix), 421 phenotype, molecular "
                             "basis known (#), 32 phenotype, molecular basis unknown (%)")
    assert "TRMA" not in {r.gene for r in read.records}  # a phenotype's abbreviation (#249270) is not a gene


def test_omim_untruncated_export_says_nothing_of_truncation(tmp_path: Path) -> None:
    book = openpyxl.load_workbook(OMIM)
    sheet = book.worksheets[0]
    sheet.delete_rows(1008, 3)  # the footer (and the blank rows before it)
    whole = tmp_path / "omim.xlsx"
    book.save(whole)
    _, read = read_disease_table(whole, DiseaseTable(file="x", label="OMIM", format="omim"))
    assert read.kept_rows == 525 and "TRUNCATED" not in read.rule
    assert not any(n.startswith(INCOMPLETE) for n in read.notes)


def test_omim_bad_mim_number_names_line_and_column(tmp_path: Path) -> None:
    book = openpyxl.load_workbook(OMIM)
    book.worksheets[0]["A9"] = "*10774x"
    bad = tmp_path / "omim.xlsx"
    book.save(bad)
    with pytest.raises(CompoundsError, match=r"omim\.xlsx: line 9, column 'MIM Number': '\*10774x' is not an OMIM "
                                             r"number$"):
        read_disease_table(bad, DiseaseTable(file="x", label="OMIM", format="omim"))


# --- CTD ----------------------------------------------------------------------------------------------------------
def test_ctd_one_target_per_gene_human_by_gene_id() -> None:
    # python: 6280 rows; NCBI Gene ids in GENES' entrez_id: 4701 distinct symbols (6165 rows), 103 genes not;
    # Counter(human symbols): APOE 38, AS3MT 38; 657 genes with >= 2 rows (2121 rows)
    _, read = read_target_table(CTD, _targets(CTD, "ctd"))
    assert (read.rows, read.kept_rows, len(read.records)) == (6280, 6165, 4701)
    assert read.rule == ("genes with ≥ 1 interaction row; human only (NCBI Gene id of a human gene; the export has "
                         "no organism column)")
    assert read.notes[0].startswith("103 genes with an NCBI Gene id that is not a human gene of the shipped table, "
                                    "left out: ABP1 (39520), ACT87E (48632)")
    apoe = next(r for r in read.records if r.target == "APOE")
    assert apoe.compound == "Arsenic" and apoe.detail.startswith("38 interactions, ")
    assert set(read.compounds) == {"Arsenic"}
    _, two = read_target_table(CTD, _targets(CTD, "ctd", min_interactions=2))
    assert (len(two.records), two.kept_rows) == (657, 2121)
    _, every = read_target_table(CTD, _targets(CTD, "ctd", organism="any"))
    assert len(every.records) == 4804 and every.kept_rows == 6280 and every.notes == []


def test_ctd_organism_column_is_used_when_present(tmp_path: Path) -> None:
    rows = list(csv.reader(CTD.open(encoding="utf-8", newline="")))[:4]
    path = tmp_path / "ctd.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(rows[0] + ["Organism", "Organism ID"])
        for row, organism in zip(rows[1:], (("Homo sapiens", "9606"), ("Rattus norvegicus", "10116"), ("", ""))):
            out.writerow(row + list(organism))
    _, read = read_target_table(path, _targets(path, "ctd"))
    assert [r.target for r in read.records] == ["AACSP1"] and read.rule.endswith("; human only (organism column)")
    # AAGAB's NCBI Gene id is human, but its row names no organism: the column decides, not the id
    assert read.notes == ["2 genes of another organism, left out: AADACL2 (344752), AAGAB (79719)"]


def test_ctd_bad_reference_count(tmp_path: Path) -> None:
    text = CTD.read_text(encoding="utf-8").splitlines()
    text[2] = text[2].rsplit(",", 2)[0] + ",x,1"
    path = tmp_path / "ctd.csv"
    path.write_text("\n".join(text) + "\n", encoding="utf-8")
    with pytest.raises(CompoundsError, match=r"ctd\.csv: line 3, column 'Reference Count': 'x' is not a whole number$"):
        read_target_table(path, _targets(path, "ctd"))


# --- PharmMapper --------------------------------------------------------------------------------------------------
def test_pharmmapper_quoted_newline_quirk_zscore_and_human_hits() -> None:
    # python csv.reader: records 3..301 (299 hits); zscore >= 0 and (Uniplot in GENES' uniprot_ids or *_HUMAN):
    # 42 (2D), 41 (3D); 11 of them accessions each; zscore >= 1 and Norm Fit >= 0.9: ANGI_HUMAN (2D),
    # CAH12_HUMAN and P62937 (3D)
    _, read = read_target_table(PHARMMAPPER_2D, _targets(PHARMMAPPER_2D, "pharmmapper"))
    assert (read.rows, read.kept_rows) == (299, 42) and read.rule == "z'-score ≥ 0; human hits only"
    first = read.records[0]
    assert (first.target, first.line) == ("ANGI_HUMAN", 15)  # records span two physical lines: line 3 is the header
    assert first.detail == "Norm Fit 0.9395; z'-score 5.29663; model 1k59_v"
    assert read.notes[0].startswith("175 hits above the cut are not human") and "P05373" in read.notes[0]
    assert read.notes[1] == "1 hit above the cut has no UniProt annotation (NONE), left out: 1ur1_v"
    assert read.notes[2].startswith("31 targets are UniProt entry names")
    assert sum("_" not in r.target for r in read.records) == 11
    _, strict = read_target_table(PHARMMAPPER_2D, _targets(PHARMMAPPER_2D, "pharmmapper", min_score=1.0, min_fit=0.9))
    assert [r.target for r in strict.records] == ["ANGI_HUMAN"]
    assert strict.rule == "z'-score ≥ 1 and Norm Fit ≥ 0.9; human hits only"
    assert strict.notes[-1] == ("1 target is a UniProt entry name (the shipped gene table cannot map it; "
                                "[compounds] target_names can): ANGI_HUMAN")
    _, three = read_target_table(PHARMMAPPER_3D, _targets(PHARMMAPPER_3D, "pharmmapper", min_score=1.0, min_fit=0.9))
    assert [r.target for r in three.records] == ["CAH12_HUMAN", "P62937"]
    _, every = read_target_table(PHARMMAPPER_2D, _targets(PHARMMAPPER_2D, "pharmmapper", organism="any"))
    assert every.kept_rows == 217  # 218 at z' >= 0, less the unannotated first hit


def test_pharmmapper_bad_zscore(tmp_path: Path) -> None:
    path = tmp_path / "pm.csv"
    path.write_bytes(PHARMMAPPER_2D.read_bytes().replace(b"0.9809,1.4098", b"0.9809,high", 1))
    with pytest.raises(CompoundsError, match=r"pm\.csv: line 7, column 'zscore': 'high' is not a number$"):
        read_target_table(path, _targets(path, "pharmmapper"))


# --- Super-PRED ---------------------------------------------------------------------------------------------------
def test_superpred_percent_probabilities() -> None:
    # awk -F'","' 'NR>1{gsub(/%/,"",$6); if ($6+0>=80) n++} END{print n, NR-1}' → 9 131; 130 distinct UniProt ids
    _, read = read_target_table(SUPERPRED, _targets(SUPERPRED, "superpred"))
    assert (read.rows, read.kept_rows) == (131, 131)
    assert read.rule == "every exported row (Super-PRED's predictions; lowest probability here 50.40%)"
    assert (read.records[0].target, read.records[0].detail) == ("P27695", "probability 90.27%; model accuracy 91.11%")
    _, cut = read_target_table(SUPERPRED, _targets(SUPERPRED, "superpred", min_probability=0.8))
    assert cut.kept_rows == 9 and cut.rule == "Probability ≥ 80%"
    # awk: $6 >= 80 and $7 >= 85 → 9 (the study's own strict set, Probability > 80 % and Model accuracy > 85 %, has 9
    # rows: 1_Super-PRED/SuperPred_Bilobalide_strict_probability_gt80_model_accuracy_gt85.csv); $7 >= 85 alone → 110,
    # one more than the study's "Model accuracy > 85 %: 109" (its notes): Q96P65 is at exactly "85%"
    _, both = read_target_table(SUPERPRED, _targets(SUPERPRED, "superpred", min_probability=0.8, min_accuracy=0.85))
    assert both.kept_rows == 9 and both.rule == "Probability ≥ 80% and Model accuracy ≥ 85%"
    _, accurate = read_target_table(SUPERPRED, _targets(SUPERPRED, "superpred", min_accuracy=0.85))
    assert accurate.kept_rows == 110
    assert "Q96P65" in {r.target for r in accurate.records}
    _, ppa = read_target_table(SUPERPRED_PPA, _targets(SUPERPRED_PPA, "superpred", compound_name="phenylpropanolamine"))
    assert ppa.rows == 71 and ppa.records[0].compound == "phenylpropanolamine"


def test_superpred_bad_probability(tmp_path: Path) -> None:
    path = tmp_path / "sp.csv"
    path.write_bytes(SUPERPRED.read_bytes().replace(b'"88.43%"', b'"88.43"', 1))
    with pytest.raises(CompoundsError, match=r"sp\.csv: line 3, column 'Probability': '88\.43' is not a percentage$"):
        read_target_table(path, _targets(path, "superpred"))


# --- BATMAN-TCM ---------------------------------------------------------------------------------------------------
def test_batman_wide_cells_continuations_and_known_targets() -> None:
    # python/openpyxl: rows 4..120 = 117 rows, 5167 non-empty target cells, 19 "known target"; lowest score 22.373;
    # first cells with the '(continued)' suffix removed give 110 CIDs — 109 once row 27's '612(continued)' is read
    # as the third row of CID 611 (rows 25–27, scores falling on)
    _, read = read_target_table(BATMAN, _targets(BATMAN, "batman"))
    assert (read.rows, len(read.records), len(read.compounds)) == (117, 5167, 109)
    assert read.rule == "known targets and predicted targets with score ≥ 20"
    assert read.notes[0] == ("109 compounds, 5167 target cells: 19 known targets (no score), 5148 predicted at or "
                             "above the cut, 0 below it")
    assert "line 27 (612(continued) after CID 611's rows)" in read.notes[1]
    assert read.notes[2].startswith("33 compounds have no target kept: 100072")
    assert (read.records[0].compound, read.records[0].target, read.records[0].detail) == (
        "6037", "FOLR2", "known target in DrugBank,TTD")
    assert read.compounds["6037"] == {"pubchem_cid": "6037"}
    _, high = read_target_table(BATMAN, _targets(BATMAN, "batman", min_score=100))
    assert high.notes[0].endswith("predicted at or above the cut, "
                                  f"{5148 - (len(high.records) - 19)} below it")
    assert all(r.detail.startswith("known") or float(r.detail.split()[1]) >= 100 for r in high.records)


def test_batman_bad_cell(tmp_path: Path) -> None:
    book = openpyxl.load_workbook(BATMAN)
    book.worksheets[0]["C4"] = "2352 FOLR3"
    bad = tmp_path / "batman.xlsx"
    book.save(bad)
    with pytest.raises(CompoundsError, match=r"batman\.xlsx: line 4, column '2nd': '2352 FOLR3' is not "
                                             r"'geneid\|SYMBOL\(score\)'$"):
        read_target_table(bad, _targets(bad, "batman"))


# --- SEA (low trust: re-saved by pandas, filtered to human) -------------------------------------------------------
def test_sea_pandas_index_and_prefiltered_file_are_said() -> None:
    # tail -n +2 curcumin_target_proteins.csv | wc -l → 193; awk -F, 'NR>1 && $5+0<=1e-5' | wc -l → 189;
    # awk -F, 'NR>1 && $3 !~ /_HUMAN$/' | wc -l → 0
    _, read = read_target_table(SEA, _targets(SEA, "sea", compound_name="curcumin"))
    assert (read.rows, read.kept_rows) == (193, 193) and read.records[0].compound == "curcumin"
    assert (read.records[0].target, read.records[0].detail) == ("APP", "A4_HUMAN; P-Value 4.78e-66; Max Tc 1.0")
    assert read.notes == ["every row is a *_HUMAN target: SEA answers for every species, so this file was filtered "
                          "to human before it was saved",
                          "the first column has no name: a pandas row index (the file was re-saved by pandas, not "
                          "written by SEA)"]
    _, cut = read_target_table(SEA, _targets(SEA, "sea", max_pvalue=1e-5))
    assert cut.kept_rows == 189 and cut.rule == "P-Value ≤ 1e-05; *_HUMAN targets only"
    _, bdmc = read_target_table(SEA_BDMC, _targets(SEA_BDMC, "sea"))
    assert bdmc.rows == 71


# --- detection, configuration ----------------------------------------------------------------------------------------
def test_detect_names_the_new_formats() -> None:
    found = [(detect(p).format, detect(p).kind) for p in (OMIM, CTD, PHARMMAPPER_2D, SUPERPRED, BATMAN, SEA)]
    assert found == [("omim", "disease"), ("ctd", "compound"), ("pharmmapper", "compound"),
                     ("superpred", "compound"), ("batman", "compound"), ("sea", "compound")]


def test_cut_keys_belong_to_their_formats() -> None:
    with pytest.raises(ConfigError, match="min_fit applies to format = 'pharmmapper'"):
        _targets(SEA, "sea", min_fit=0.9)
    with pytest.raises(ConfigError, match="min_interactions applies to format = 'ctd'"):
        _targets(SEA, "superpred", min_interactions=2)
    with pytest.raises(ConfigError, match="organism must be"):
        _targets(CTD, "ctd", organism="Mus musculus")
    with pytest.raises(ConfigError, match="is a disease-list format"):
        _targets(OMIM, "omim")
    with pytest.raises(ConfigError, match="min_score applies to format = 'genecards' or 'disgenet'"):
        DiseaseTable(file="x", label="OMIM", format="omim", min_score=1)


def test_a_server_format_given_the_wrong_file_says_so(tmp_path: Path) -> None:
    copy = tmp_path / "sp.csv"
    shutil.copy(SUPERPRED, copy)
    with pytest.raises(CompoundsError, match="not a PharmMapper target list"):
        read_target_table(copy, _targets(copy, "pharmmapper"))
    with pytest.raises(CompoundsError, match="not an OMIM search export"):
        read_disease_table(copy, DiseaseTable(file="x", label="o", format="omim"))
    for fmt, what in (("ctd", "not a CTD"), ("batman", "not a BATMAN-TCM"), ("sea", "not a SEA")):
        with pytest.raises(CompoundsError, match=what):
            read_target_table(copy, _targets(copy, fmt))


def test_init_writes_the_new_formats_and_the_workflow_loads(tmp_path: Path) -> None:
    from netpharm.init import init_compounds_workflow
    from netpharm.registry import load_workflow

    result = init_compounds_workflow(tmp_path / "study", [SUPERPRED, PHARMMAPPER_2D, CTD], [OMIM])
    text = result.workflow.read_text(encoding="utf-8")
    assert "# min_accuracy" not in text and "# min_probability = 0.8" in text and "# min_interactions = 2" in text
    config = load_workflow(result.workflow)
    assert [t.format for t in config.compounds.targets] == ["superpred", "pharmmapper", "ctd"]
    assert [(t.compound, t.target) for t in config.compounds.targets] == [("", "")] * 3  # no plain columns written
    assert config.compounds.disease[0].format == "omim"
    # CTD arsenic genes and Super-PRED/PharmMapper hits ∩ OMIM's (truncated) gene entries
    assert len(result.targets) > 0 and "APOE" in result.targets


# --- PPB3 and PASS Targets (ChEMBL targets by protein name) -------------------------------------------------------
PPB3 = SOURCES / "other_predictors/bilobalide-ais/PPB3_prediction_results.csv"
PASS = SOURCES / "other_predictors/bilobalide-ais/PASSTargets_pt_predictions.tsv"


def test_ppb3_seven_field_rows_protein_targets_of_the_organism() -> None:
    # awk -F'","' 'NR>1 && $4+0>=0.2 && $6=="Homo sapiens" && $7 ~ /PROTEIN/' | wc -l → 8 (the study's own
    # 1_PPB3/PPB3_Bilobalide_reliable_human_confidence_gt0.2.csv: the same 8 proteins, 9 genes as SMN1/SMN2 share one)
    _, every = read_target_table(PPB3, _targets(PPB3, "ppb3"))
    assert (every.rows, every.kept_rows) == (20, 14)
    assert every.notes[0] == "2 targets are not proteins, left out: Colon 26 (CELL-LINE), Rattus norvegicus (ORGANISM)"
    assert every.notes[1].startswith("4 protein targets of other organisms, left out: Nonstructural protein 1")
    _, cut = read_target_table(PPB3, _targets(PPB3, "ppb3", min_score=0.2))
    assert cut.kept_rows == 8 and cut.rule == "Confidence Score ≥ 0.2; protein targets; Homo sapiens only"
    assert (cut.records[0].target, cut.records[0].detail) == ("Survival motor neuron protein",
                                                              "CHEMBL1293232; confidence 0.83")


def test_passtargets_trailing_tabs_and_activity_cut() -> None:
    # awk -F'\t' 'NR>1' | wc -l → 105; awk -F'\t' 'NR>1 && $2+0>=0.2' | wc -l → 16
    _, every = read_target_table(PASS, _targets(PASS, "passtargets"))
    assert (every.rows, every.kept_rows) == (105, 105)
    assert every.records[0].detail == "CHEMBL2755; activity 0.5345; type D"
    _, cut = read_target_table(PASS, _targets(PASS, "passtargets", min_score=0.2))
    assert cut.kept_rows == 16 and cut.rule == "Activity Score (Pa − Pi) ≥ 0.2"
    assert [detect(p).format for p in (PPB3, PASS)] == ["ppb3", "passtargets"]


def test_ppb3_bad_confidence(tmp_path: Path) -> None:
    path = tmp_path / "ppb3.csv"
    path.write_bytes(PPB3.read_bytes().replace(b'"0.81"', b'"high"', 1))
    with pytest.raises(CompoundsError, match=r"ppb3\.csv: line 3, column 'Confidence Score': 'high' is not a number$"):
        read_target_table(path, _targets(path, "ppb3"))


def test_sea_bad_pvalue(tmp_path: Path) -> None:
    path = tmp_path / "sea.csv"
    path.write_bytes(SEA.read_bytes().replace(b",4.778999999999999e-66,", b",tiny,", 1))
    with pytest.raises(CompoundsError, match=r"sea\.csv: line 2, column 'P-Value': 'tiny' is not a number$"):
        read_target_table(path, _targets(path, "sea"))


def test_cli_run_on_a_bad_server_file_is_one_line_and_exit_2(tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    from netpharm.cli.main import main

    bad = tmp_path / "pm.csv"
    bad.write_bytes(PHARMMAPPER_3D.read_bytes().replace(b",0.9763,", b",0.97x,", 1))
    (tmp_path / "wf.toml").write_text(
        'name = "t"\noffline = true\nstages = ["compounds"]\n[[compounds.targets]]\nfile = "pm.csv"\n'
        'label = "PharmMapper"\nformat = "pharmmapper"\n[[compounds.disease]]\n'
        f'file = "{OMIM}"\nlabel = "OMIM"\nformat = "omim"\n', encoding="utf-8")
    code = main(["run", str(tmp_path / "wf.toml"), "--out", str(tmp_path / "run")])
    err = [line for line in capsys.readouterr().err.strip().splitlines() if line.strip()]
    assert code == 2 and len(err) == 1
    assert err[0].endswith(f"{bad}: line 7, column 'Norm Fit': '0.97x' is not a number")

"""STRING table parsing (real exports, API format, malformed files) and target-pair coverage.

Real data: tests/data/string461/ and tests/data/cytoscape/ (READMEs give provenance). Files
written inside tests are hand-made (named so) in STRING's documented column formats.
"""

from __future__ import annotations

import gzip
import math
from pathlib import Path

import pandas as pd
import pytest

from netpharm.errors import ImportFormatError
from netpharm.network.tables import CHANNELS, pair_coverage, parse_string_table

DATA = Path(__file__).resolve().parent / "data"
EXPORT_461 = DATA / "string461" / "string_export_461_nodes_v12x.tsv.gz"
TARGETS = ["OPRM1", "OPRD1", "GRIN1", "GRIN2B", "GRIA1", "GRIA2", "CACNA1A", "CACNA1B", "CAMK2A", "MAPK1",
           "AKT1", "CREB1", "BDNF"]

WEB_HEADER = ("#node1\tnode2\tnode1_string_id\tnode2_string_id\tneighborhood_on_chromosome\tgene_fusion\t"
              "phylogenetic_cooccurrence\thomology\tcoexpression\texperimentally_determined_interaction\t"
              "database_annotated\tautomated_textmining\tcombined_score\n")
API_HEADER = ("stringId_A\tstringId_B\tpreferredName_A\tpreferredName_B\tncbiTaxonId\tscore\tnscore\tfscore\t"
              "pscore\tascore\tescore\tdscore\ttscore\n")


@pytest.fixture(scope="module")
def export_461() -> tuple[str, object]:
    text = gzip.decompress(EXPORT_461.read_bytes()).decode("utf-8")
    return text, parse_string_table(text, origin=str(EXPORT_461))


def test_real_461_node_export(export_461: tuple[str, object]) -> None:
    _, parsed = export_461
    assert parsed.format == "string_web_export"
    assert len(parsed.nodes) == 461
    assert parsed.rows == 2 * 9352 and len(parsed.edges) == 9352
    assert parsed.duplicate_pairs == 9352 and set(parsed.multiplicity.values()) == {2}
    assert parsed.min_score == pytest.approx(0.4)
    edges = parsed.edges
    assert (edges["name_a"] < edges["name_b"]).all()
    assert not edges.duplicated(["name_a", "name_b"]).any()
    assert list(edges.columns) == ["name_a", "name_b", "string_id_a", "string_id_b", "score", *CHANNELS]
    assert parsed.string_ids["GRIN1"] == {"9606.ENSP00000360608"}


def test_real_export_values_kept(export_461: tuple[str, object]) -> None:
    text, parsed = export_461
    # The file's first data row, read independently, survives normalisation.
    first = text.splitlines()[1].split("\t")
    a, b = sorted(first[:2])
    row = parsed.edges[(parsed.edges["name_a"] == a) & (parsed.edges["name_b"] == b)].iloc[0]
    assert row["score"] == float(first[12]) and row["tscore"] == float(first[11])
    assert row["escore"] == float(first[9]) and row["hscore"] == float(first[7])


def test_short_export_listed_once() -> None:
    path = DATA / "cytoscape" / "bashir_rat30_string_interactions_short.tsv"
    parsed = parse_string_table(path.read_text(encoding="utf-8"), origin=str(path))
    assert (len(parsed.nodes), len(parsed.edges), parsed.rows, parsed.duplicate_pairs) == (30, 55, 55, 0)


def test_api_network_tsv() -> None:
    # Hand-made fixture in STRING's documented API network header (not real STRING output);
    # ids of GRIN1/GRIN2B/CAMK2A as seen in real exports. Pair listed in reverse order too.
    text = (API_HEADER
            + "9606.ENSP00000477455\t9606.ENSP00000360608\tGRIN2B\tGRIN1\t9606\t0.999\t0\t0\t0\t0.1\t0.9\t0.9\t0.9\n"
            + "9606.ENSP00000360608\t9606.ENSP00000477455\tGRIN1\tGRIN2B\t9606\t0.999\t0\t0\t0\t0.1\t0.9\t0.9\t0.9\n"
            + "9606.ENSP00000477455\t9606.ENSP00000500386\tGRIN2B\tCAMK2A\t9606\t0.95\t0\t0\t0\t0\t0.8\t0.5\t0.7\n")
    parsed = parse_string_table(text, origin="handmade_api.tsv")
    assert parsed.format == "string_api_tsv"
    assert parsed.nodes == ["CAMK2A", "GRIN1", "GRIN2B"]
    assert parsed.rows == 3 and parsed.duplicate_pairs == 1
    first = parsed.edges.iloc[1]
    assert (first["name_a"], first["name_b"]) == ("GRIN1", "GRIN2B")
    assert (first["string_id_a"], first["string_id_b"]) == ("9606.ENSP00000360608", "9606.ENSP00000477455")
    # The API has no homology column: missing (NaN), never a score of 0.
    assert first["score"] == 0.999 and math.isnan(first["hscore"]) and first["escore"] == 0.9
    assert parsed.species == 9606 and "hscore" not in parsed.real_columns


# --- malformed files -------------------------------------------------------------------------------

GOOD_ROW = "GRIN1\tGRIN2B\t9606.ENSP00000360608\t9606.ENSP00000477455\t0\t0\t0\t0\t0.1\t0.9\t0.9\t0.9\t0.999\n"


@pytest.mark.parametrize(("text", "pattern"), [
    ("", r"bad\.tsv: empty file"),
    ("gene_a\tgene_b\tweight\nX\tY\t1\n", r"bad\.tsv: line 1: not a STRING export"),
    (WEB_HEADER + GOOD_ROW + "GRIN1\tCAMK2A\t9606.ENSP00000360608\n", r"bad\.tsv: line 3: 3 fields, header has 13"),
    (WEB_HEADER + GOOD_ROW.replace("0.999", "high"), r"bad\.tsv: line 2: column 'score' is not a number: 'high'"),
    (WEB_HEADER + GOOD_ROW.replace("0.999", "999"), r"bad\.tsv: line 2: score = 999\.0 outside 0–1"),
    (WEB_HEADER + GOOD_ROW + GOOD_ROW.replace("GRIN1\tGRIN2B", "GRIN2B\tGRIN1").replace("0.999", "0.5"),
     r"bad\.tsv: line 3: pair GRIN1–GRIN2B listed again with a different score"),
    (WEB_HEADER + GOOD_ROW.replace("GRIN2B\t", "GRIN1\t", 1), r"bad\.tsv: line 2: self-interaction GRIN1"),
    (WEB_HEADER + "\n", r"bad\.tsv: no interactions in file"),
    # issue 11: an empty combined score is an error naming file and line, never a silent 0 (dropped edge).
    (WEB_HEADER + GOOD_ROW + GOOD_ROW.replace("GRIN2B", "CAMK2A").replace("\t0.999\n", "\t\n"),
     r"bad\.tsv: line 3: empty combined score for GRIN1–CAMK2A \(a missing score is not 0\)"),
    (WEB_HEADER + GOOD_ROW.replace("9606.ENSP00000360608", "10090.ENSMUSP00000028335"),
     r"bad\.tsv: line 2: mixes species 9606, 10090"),
    (WEB_HEADER + GOOD_ROW.replace("9606.ENSP00000360608", "0"), r"bad\.tsv: line 2: '0' is not a STRING protein id"),
])
def test_malformed_files_name_file_and_line(text: str, pattern: str) -> None:
    # Hand-made malformed variants of a STRING web-export row.
    with pytest.raises(ImportFormatError, match=pattern):
        parse_string_table(text, origin="bad.tsv")


def test_identical_duplicate_is_merged_not_an_error() -> None:
    reverse = GOOD_ROW.replace("GRIN1\tGRIN2B\t9606.ENSP00000360608\t9606.ENSP00000477455",
                               "GRIN2B\tGRIN1\t9606.ENSP00000477455\t9606.ENSP00000360608")
    parsed = parse_string_table(WEB_HEADER + GOOD_ROW + reverse, origin="handmade.tsv")
    assert len(parsed.edges) == 1 and parsed.multiplicity == {("GRIN1", "GRIN2B"): 2}
    assert parsed.edges.iloc[0]["string_id_a"] == "9606.ENSP00000360608"


# --- pair coverage -------------------------------------------------------------------------------

def test_pair_coverage_reproduces_shared_classification(export_461: tuple[str, object]) -> None:
    _, parsed = export_461
    edges = parsed.edges[parsed.edges["score"] >= 0.4]
    known = [(set(parsed.nodes), "STRING export cut at 0.400 (AHMAD321-png, 2026-03-25)"),
             # Second export named in the shared table: both proteins present, cut at 0.15.
             ({"OPRD1", "MAPK1"}, "STRING export cut at 0.15 (MariaCambero, 2022-08-05)")]
    coverage = pair_coverage(TARGETS, edges, known)
    assert coverage.counts() == {"edge": 22, "non_edge": 15, "unknown": 41}
    assert set(coverage.uncovered_targets) == {"OPRM1", "GRIA1", "GRIA2"}
    assert len(coverage.unknown_pairs) == 41

    shared = pd.read_csv(DATA / "string461" / "pair_coverage.tsv", sep="\t", dtype=str)
    status_map = {"observed": "edge", "below_threshold_in_export": "non_edge", "unknown": "unknown"}
    theirs = {tuple(sorted((r.node1, r.node2))): (status_map[r.status], r.combined_score)
              for r in shared.itertuples()}
    ours = {(r.name_a, r.name_b): (r.status, r.score) for r in coverage.table.itertuples()}
    assert set(ours) == set(theirs)
    for pair, (status, score) in ours.items():
        assert status == theirs[pair][0], pair
        if status == "edge":
            assert score == pytest.approx(float(theirs[pair][1]), abs=1e-9), pair
    assert "both proteins in STRING export cut at 0.15" in coverage.table.set_index(
        ["name_a", "name_b"]).loc[("MAPK1", "OPRD1"), "evidence"]


def test_empty_channel_cell_is_missing_not_zero() -> None:
    # Hand-made: a real GRIN1–GRIN2B row with its coexpression cell emptied.
    parsed = parse_string_table(WEB_HEADER + GOOD_ROW.replace("\t0.1\t", "\t\t"), origin="handmade.tsv")
    row = parsed.edges.iloc[0]
    assert math.isnan(row["ascore"]) and row["escore"] == 0.9 and row["score"] == 0.999

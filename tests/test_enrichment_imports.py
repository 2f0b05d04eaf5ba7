"""STRING's enrichment in the forms users have: parsers, `netpharm import --kind enrichment`, and the
stage reading STRING's own FDR from an import or from the StringClient's recorded (real) answer."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from helpers import enrichment_context

from netpharm.cli.main import main
from netpharm.config import to_mapping
from netpharm.enrichment.imports import load_enrichment_imports, record_enrichment_import
from netpharm.enrichment.stage import run_enrichment_stage
from netpharm.enrichment.string_formats import parse_enrichment_file
from netpharm.errors import ImportFormatError, InputError
from netpharm.sources.cache import Cache, Request

DATA = Path(__file__).parent / "data" / "enrichment"
API = DATA / "string_api" / "aposfys_sigmar1_26genes.enrichment.tsv"
WEB_ALL = DATA / "string_web" / "marysolbego_mouse_tear.enrichment.all.tsv"
WEB_PROCESS = DATA / "string_web" / "wubofu_dlppi.enrichment.Process.tsv"
QUERY = [s for s in (DATA / "string_api" / "aposfys_sigmar1_26genes.input.txt").read_text().split() if s]


# --- formats ------------------------------------------------------------------------------------------
def test_api_tsv_real_answer() -> None:
    parsed = parse_enrichment_file(API.read_text(), str(API))
    assert parsed.format == "api-tsv" and len(parsed.table) == 273 and parsed.absent_columns == ()
    row = parsed.table[parsed.table["term"] == "GO:0045211"].iloc[0]
    assert (row.category, row.fdr, row.p_value, row.number_of_genes) == ("Component", "0.0316", "0.00042", "4")


def test_api_json_layout_from_the_real_answer() -> None:
    """/api/json/enrichment: the same records as a list of objects, gene lists as JSON arrays (this JSON is
    converted here from the real TSV answer; the layout is the documented one)."""
    tsv = parse_enrichment_file(API.read_text(), str(API)).table
    records = [{**r, "inputGenes": r["inputGenes"].split(","), "preferredNames": r["preferredNames"].split(","),
                "number_of_genes": int(r["number_of_genes"]), "p_value": float(r["p_value"])}
               for r in tsv.to_dict("records")]
    parsed = parse_enrichment_file(json.dumps(records), "answer.json")
    assert parsed.format == "api-json"
    same = ["category", "term", "inputGenes", "preferredNames", "fdr", "description", "number_of_genes"]
    pd.testing.assert_frame_equal(parsed.table[same], tsv[same])
    with pytest.raises(ImportFormatError, match="STRING returned an error"):
        parse_enrichment_file('{"Error": "x", "ErrorMessage": "species not found"}', "e.json")


def test_web_all_export_real() -> None:
    parsed = parse_enrichment_file(WEB_ALL.read_text(), str(WEB_ALL), WEB_ALL.name)
    assert parsed.format == "web-all-tsv" and len(parsed.table) == 14
    assert parsed.categories == ("Process", "Function", "NetworkNeighborAL", "TISSUES", "Keyword", "InterPro", "SMART")
    assert set(parsed.absent_columns) == {"p_value", "ncbiTaxonId"}
    lens = parsed.table.iloc[0]
    assert (lens.term, lens.fdr, lens.number_of_genes, lens.number_of_genes_in_background) == (
        "GO:0002088", "0.0011", "9", "11")
    assert lens.inputGenes.startswith("10090.ENSMUSP00000019192,") and lens.preferredNames.startswith("Cryaa,Crygb")
    assert (parsed.table["p_value"] == "").all()


def test_web_category_export_real() -> None:
    parsed = parse_enrichment_file(WEB_PROCESS.read_text(), str(WEB_PROCESS), "enrichment.Process.tsv")
    assert parsed.format == "web-tsv" and len(parsed.table) == 19 and set(parsed.table["category"]) == {"Process"}
    assert parsed.table.iloc[0].fdr == "6.47e-15"
    with pytest.raises(ImportFormatError, match=r"line 1: a per-category web export has no category column"):
        parse_enrichment_file(WEB_PROCESS.read_text(), "download.tsv", "download.tsv")
    assert set(parse_enrichment_file(WEB_PROCESS.read_text(), "d.tsv", "d.tsv", "Process").table["category"]) == {
        "Process"}


def test_stringapp_table_layout() -> None:
    """Column names from stringApp's source (EnrichmentTerm.java); rows converted here from the real answer."""
    tsv = parse_enrichment_file(API.read_text(), str(API)).table
    kegg = tsv[tsv["category"].isin(["KEGG", "Process"])]
    app = pd.DataFrame({"category": kegg["category"].map({"KEGG": "KEGG Pathways", "Process": "GO Process"}),
                        "term name": kegg["term"], "description": kegg["description"], "FDR value": kegg["fdr"],
                        "p-value": kegg["p_value"], "# genes": kegg["number_of_genes"],
                        "# background genes": kegg["number_of_genes_in_background"],
                        "genes": kegg["preferredNames"].str.replace(",", "|"), "chart color": ""})
    parsed = parse_enrichment_file(app.to_csv(index=False), "stringapp.csv")
    assert parsed.format == "stringapp" and parsed.unmapped_categories == ()
    assert list(parsed.table["category"]) == list(kegg["category"])
    assert list(parsed.table["preferredNames"]) == list(kegg["preferredNames"])
    assert list(parsed.table["fdr"]) == list(kegg["fdr"])


def test_malformed_enrichment_files(tmp_path: Path) -> None:
    lines = WEB_PROCESS.read_text().splitlines()
    bad = "\n".join(lines[:3] + [lines[3].replace("\t7.70e-09\t", "\tn/a\t")])
    with pytest.raises(ImportFormatError, match=r"x\.tsv, line 4: fdr 'n/a' is not a number"):
        parse_enrichment_file(bad, "x.tsv", "enrichment.Process.tsv")
    cut = "\n".join(lines[:2] + [lines[2].rsplit("\t", 2)[0]])
    with pytest.raises(ImportFormatError, match=r"line 3: expected 8 fields, found 6"):
        parse_enrichment_file(cut, "x.tsv", "enrichment.Process.tsv")
    with pytest.raises(ImportFormatError, match="line 1: not a STRING enrichment table"):
        parse_enrichment_file("stringId_A\tstringId_B\tscore\n", "net.tsv")


# --- netpharm import --kind enrichment ----------------------------------------------------------------
def test_import_command_records_provenance(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cache_dir = tmp_path / "cache"
    code = main(["import", str(WEB_ALL), "--kind", "enrichment", "--label", "tear", "--string-version", "12.0",
                 "--note", "marysolbego/Mice_Tear_Proteomics_DM1@376a26a", "--cache", str(cache_dir)])
    assert code == 0
    out = capsys.readouterr().out
    assert "14 terms in 7 categories (web-all-tsv" in out and "no ncbiTaxonId, p_value column(s)" in out
    entry = Cache(cache_dir).get(Request.make("IMPORT", "netpharm-enrichment-import:tear", source="import"))
    assert entry is not None and entry.body == WEB_ALL.read_bytes()
    assert entry.meta["declared_version"] == "12.0" and entry.meta["format"] == "web-all-tsv"
    assert entry.meta["file_sha256"] == entry.sha256
    # another file under the same label is refused unless --force
    assert main(["import", str(WEB_PROCESS), "--kind", "enrichment", "--label", "tear",
                 "--cache", str(cache_dir)]) == 2
    assert "already holds another file" in capsys.readouterr().err
    assert main(["import", str(tmp_path / "nope.tsv"), "--kind", "enrichment", "--label", "n",
                 "--cache", str(cache_dir)]) == 2
    assert main(["cache", "verify", "--cache", str(cache_dir)]) == 0


def test_conflicting_imports_are_reported(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "cache")
    record_enrichment_import(WEB_PROCESS, cache, "a", category="Process")
    changed = tmp_path / "enrichment.Process.tsv"
    changed.write_text(WEB_PROCESS.read_text().replace("\t6.47e-15\t", "\t6.48e-15\t"))
    record_enrichment_import(changed, cache, "b")
    merged = load_enrichment_imports(["a", "b"], cache)
    assert len(merged.table) == 19  # the same terms: the first import's rows are kept
    assert merged.conflicts == ("Process GO:0031146: FDR 6.47e-15 in import 'a', 6.48e-15 in import 'b' "
                                "(the first is used)",)
    with pytest.raises(InputError, match="not found"):
        record_enrichment_import(tmp_path / "missing.tsv", cache, "c")


# --- the stage cites STRING's own FDR --------------------------------------------------------------------
def test_offline_run_uses_an_imported_string_answer(tmp_path: Path, derived: Path) -> None:
    ctx = enrichment_context(tmp_path, derived, QUERY, string_imports=("sigmar1",))
    record_enrichment_import(API, ctx.cache, "sigmar1", "12.x", "aposfys/als-amyloid-network-analysis@bc7de2d")
    outcome = run_enrichment_stage(ctx)
    assert outcome.status == "ok"
    assert not any("STRING" in m for m in outcome.missing), outcome.missing
    f = to_mapping(outcome.findings)
    assert f["string_source"] == "import" and f["string_enrichment_cached"] is True
    themes = {t["theme"]: t for t in f["themes"]}
    assert themes["postsynaptic membrane"]["fdr_string"] == pytest.approx(0.0316)  # STRING's own value
    terms = {(t["category"], t["term"]): t for t in f["string_terms"]}
    assert terms[("Component", "GO:0045211")]["fdr_text"] == "0.0316"
    assert f["correction"]["offline"]["BP"]["method"] == "string"
    assert f["data_sources"][-1]["label"] == "sigmar1" and f["data_sources"][-1]["format"] == "api-tsv"
    out = tmp_path / "run" / "enrichment"
    component = pd.read_csv(out / "string_Component.tsv", sep="\t", dtype=str)
    assert component.loc[component["term"] == "GO:0045211", "fdr"].item() == "0.0316"
    assert component["correction"].str.startswith("STRING's own FDR").all()
    imported = pd.read_csv(out / "string_enrichment_imported.tsv", sep="\t", dtype=str)
    assert len(imported) == 273 and set(imported["source"]) == {"import:sigmar1"}


class RecordedString:
    """Serves the real STRING enrichment answer of the aposfys query, as an HttpClient would.

    ``get_string_ids`` is assembled from the same repository's real STRING network answer
    (``aposfys_sigmar1_string_partners.tsv``: the STRING id and preferred name of each of the 26
    proteins); the enrichment body is the recorded answer byte for byte.
    """

    def __init__(self) -> None:
        partners = pd.read_csv(DATA / "string_api" / "aposfys_sigmar1_string_partners.tsv", sep="\t", dtype=str)
        ids = dict(zip(partners["preferredName_B"], partners["stringId_B"]))
        ids[partners["preferredName_A"].iloc[0]] = partners["stringId_A"].iloc[0]
        lines = ["queryIndex\tqueryItem\tstringId\tncbiTaxonId\ttaxonName\tpreferredName\tannotation"]
        lines += [f"{i}\t{s}\t{ids[s]}\t9606\tHomo sapiens\t{s}\t" for i, s in enumerate(QUERY)]
        self.bodies = {"get_string_ids": ("\n".join(lines) + "\n").encode(), "enrichment": API.read_bytes()}
        self.calls: list[str] = []

    def send(self, request: Request) -> tuple[bytes, dict[str, Any]]:
        method = request.url.rsplit("/", 1)[-1]
        self.calls.append(method)
        return self.bodies[method], {"http_status": 200, "host": "recorded", "note": "aposfys recorded answer"}


def test_string_client_answer_recorded_then_offline(tmp_path: Path, derived: Path) -> None:
    fake = RecordedString()
    online = run_enrichment_stage(enrichment_context(tmp_path, derived, QUERY, offline=False, http=fake))
    assert fake.calls == ["get_string_ids", "enrichment"] and to_mapping(online.findings)["string_source"] == "api"
    (tmp_path / "run").rename(tmp_path / "run_online")
    outcome = run_enrichment_stage(enrichment_context(tmp_path, derived, QUERY, offline=True))
    out = tmp_path / "run" / "enrichment"
    assert (out / "string_enrichment_raw.tsv").read_bytes() == API.read_bytes()
    kegg = pd.read_csv(out / "string_KEGG.tsv", sep="\t", dtype=str)
    assert len(kegg) == 21 and kegg.iloc[0]["fdr"] == API.read_text().split("\nKEGG\t", 1)[1].split("\t")[7]
    side = pd.read_csv(out / "string_vs_offline.tsv", sep="\t", dtype={"string_fdr": str})
    row = side.set_index("term").loc["GO:0045211"]
    assert row.string_fdr == "0.0316" and row.offline_observed == 4
    assert row.offline_correction.startswith("string: STRING's BH, m = ")
    themes = {t["theme"]: t for t in to_mapping(outcome.findings)["themes"]}
    assert themes["postsynaptic membrane"]["fdr_string"] == pytest.approx(0.0316)
    assert themes["calcium channel activity"]["fdr_string"] is None  # not in STRING's answer
    assert to_mapping(outcome.findings)["string_significant_terms"] == {"Process": 21, "Function": 18, "Component": 21,
                                                            "KEGG": 21, "RCTM": 7}

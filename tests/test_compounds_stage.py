"""The compounds stage: symbol normalisation, the intersection replays of two real studies, the stage's files and
cache records, the workflow's targets, the ``intersection`` claim and ``netpharm init`` for the recipe."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import claim_from_table, run_claims, stage_context, workflow_config

from netpharm.cli.main import main
from netpharm.compounds import files
from netpharm.compounds.config import CompoundsConfig, DiseaseTable, TargetTable
from netpharm.compounds.findings import CompoundsFindings
from netpharm.compounds.intersect import collect
from netpharm.compounds.record import file_request
from netpharm.compounds.stage import run_compounds_stage
from netpharm.compounds.symbols import gene_table, normalise
from netpharm.config import from_mapping, to_mapping
from netpharm.errors import ConfigError
from netpharm.init import init_compounds_workflow
from netpharm.io import file_sha256
from netpharm.registry import load_workflow, resolve_targets, workflow_claims
from netpharm.sources.cache import Cache
from netpharm.stage import RunFacts

SOURCES = Path(__file__).resolve().parent / "data" / "target_sources"
HERBAL = SOURCES / "swisstargetprediction/herbal-network-pharmacology"
LIAO = SOURCES / "study_replay/liao323-artemisinin-pss"
FACTS = RunFacts("t", 9606, True, str(SOURCES))


def _lines(path: Path) -> list[str]:
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def herbal_config() -> CompoundsConfig:
    """The study's own rule: SwissTargetPrediction at probability ≥ 0.1 ∩ its disease gene list."""
    return CompoundsConfig(
        targets=(TargetTable(file=str(HERBAL / "swisstarget.txt"), label="SwissTargetPrediction",
                             format="swisstargetprediction", min_probability=0.1),),
        disease=(DiseaseTable(file=str(HERBAL / "study_context/disease_genes.csv"), label="diabetic nephropathy",
                              column="gene_symbol"),))


def liao_config() -> CompoundsConfig:
    return CompoundsConfig(
        targets=(TargetTable(file=str(LIAO / "Venn_Drug.txt"), label="Drug", target=1, header=False,
                             compound_name="Artemisinin"),),
        disease=(DiseaseTable(file=str(LIAO / "Venn_Disease.txt"), label="pSS", header=False),))


# --- symbol normalisation ----------------------------------------------------------------------------------------
def test_every_kind_of_rename_and_what_is_not_renamed() -> None:
    found = normalise(["TNF", "tnf", "P01375", "P04637-2", "ENSG00000232810", "HER2", "CTGF", "ABL", "NFKB", "TNF "])
    assert {k: (m.symbol, m.status, m.how) for k, m in found.items()} == {
        "TNF": ("TNF", "approved", ""), "tnf": ("TNF", "renamed", "case"),
        "P01375": ("TNF", "renamed", "UniProt accession"), "P04637-2": ("TP53", "renamed", "UniProt accession"),
        "ENSG00000232810": ("TNF", "renamed", "Ensembl gene id"),
        "HER2": ("ERBB2", "renamed", "alias or previous symbol"), "CTGF": ("CCN2", "renamed", "alias or previous symbol"),
        "ABL": ("ABL", "ambiguous", "alias or previous symbol"),   # an alias of ABL1 and of MTTP: not guessed
        "NFKB": ("NFKB", "unmatched", "")}
    assert found["ABL"].candidates == ("ABL1", "MTTP")


def test_approved_symbols_win_over_other_genes_aliases_and_other_species_are_kept() -> None:
    # COX2 is an approved symbol (mitochondrial, NCBI 4513) and an alias of PTGS2: the symbol wins
    assert gene_table().match("COX2").status == "approved"
    assert {m.status for m in normalise(["Grin1", "tnf"], species=10116).values()} == {"kept"}
    assert {m.status for m in normalise(["tnf"], enabled=False).values()} == {"kept"}


# --- the replays -------------------------------------------------------------------------------------------------
def test_herbal_network_pharmacology_replays_its_13_common_targets() -> None:
    data = collect(herbal_config(), FACTS)
    assert data.common() == sorted(_lines(HERBAL / "study_context/intersection_genes.txt"))
    assert len(data.common()) == 13 and data.written_common() == data.common()
    assert len(data.compound_targets()) == 315  # the README's 315 symbols at probability ≥ 0.1
    # two SwissTargetPrediction names newer than the 2022 gene table: listed, kept as written
    assert sorted(m.written for m in data.matches.values() if m.status == "unmatched") == ["LINC03051", "SLC71A2"]


def test_liao323_replays_as_written_and_normalising_finds_two_more() -> None:
    data = collect(liao_config(), FACTS)
    expected = sorted(_lines(LIAO / "Venn_Drug_Disease.txt"))
    assert data.written_common() == expected and len(expected) == 40
    # the drug list spells CCN1/CCN2 by their previous symbols CYR61/CTGF, the disease list by the current ones
    assert sorted(set(data.common()) - set(expected)) == ["CCN1", "CCN2"] and set(expected) < set(data.common())
    assert data.matches["CYR61"].symbol == "CCN1" and data.matches["CTGF"].symbol == "CCN2"


# --- the stage ---------------------------------------------------------------------------------------------------
def test_stage_writes_its_files_records_each_source_and_round_trips(tmp_path: Path) -> None:
    config = workflow_config(tmp_path, offline=True, compounds=liao_config())
    targets = resolve_targets(config)
    assert len(targets) == 42
    cache = Cache(tmp_path / "cache", offline=True)
    outcome = run_compounds_stage(stage_context(config, tmp_path / "run", cache, stage="compounds", targets=targets))
    f = outcome.findings
    assert outcome.status == "ok" and f is not None
    assert f.intersection_size == 42 and f.written_intersection_size == 40 and f.used_as_targets
    assert f.renamed["CYR61"] == "CCN1" and f.ambiguous["MCP"] == ("CAPG", "CD46") and "C1DUP" in f.unmatched
    assert [c.name for c in f.compounds] == ["Artemisinin"] and f.compounds[0].targets == f.compound_targets
    assert len(f.compound_targets) == 412 and f.sources[0].kept_rows == 412  # 412 distinct names, 412 symbols
    out = tmp_path / "run" / files.FOLDER
    for name in (files.COMPOUND_TARGETS, files.DISEASE_TARGETS, files.INTERSECTION, files.SYMBOLS, files.COUNTS,
                 files.COMPOUNDS, files.VENN, "venn.svg"):
        assert (out / name).is_file(), name
    intersection = (out / files.INTERSECTION).read_text(encoding="utf-8").splitlines()
    assert intersection[0].split("\t") == list(files.INTERSECTION_COLUMNS) and len(intersection) == 43
    symbols = (out / files.SYMBOLS).read_text(encoding="utf-8")
    assert "CYR61\tCCN1\trenamed\talias or previous symbol\t\tDrug" in symbols
    assert "MCP\tMCP\tambiguous\talias or previous symbol\tCAPG;CD46\tpSS" in symbols
    # every file is in the cache, verbatim, under its sha256 (the file is the version)
    for source, path in zip(f.sources, (LIAO / "Venn_Drug.txt", LIAO / "Venn_Disease.txt")):
        assert source.sha256 == file_sha256(path)
        entry = cache.get(file_request(source.sha256))
        assert entry is not None and entry.body == path.read_bytes() and entry.key == source.cache_key
        assert entry.meta["label"] == source.label and entry.meta["file_sha256"] == source.sha256
    assert any("kept as written" in m for m in outcome.missing)
    again = from_mapping(CompoundsFindings, json.loads(json.dumps(to_mapping(f))), complete=True)
    assert again == f and again.compound("artemisinin") == f.compounds[0]


def test_stage_without_tables_does_not_run(tmp_path: Path) -> None:
    config = workflow_config(tmp_path)
    outcome = run_compounds_stage(stage_context(config, tmp_path / "run", tmp_path / "cache", stage="compounds"))
    assert outcome.status == "not_run" and outcome.findings is None


def test_an_explicit_target_list_wins_over_the_common_targets(tmp_path: Path) -> None:
    config = workflow_config(tmp_path, offline=True, compounds=liao_config(), target_list=("TNF", "IL6"))
    assert resolve_targets(config) == ["TNF", "IL6"]
    outcome = run_compounds_stage(stage_context(config, tmp_path / "run", tmp_path / "cache", stage="compounds",
                                                targets=["TNF", "IL6"]))
    assert outcome.findings is not None and not outcome.findings.used_as_targets
    assert "the workflow's targets (2) are its own list, not the 42 common targets" in outcome.missing


# --- the claim ---------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("size, label", [(42, "supported"), (40, "partially supported"), (41, "not supported")])
def test_intersection_claim_verdicts(tmp_path: Path, size: int, label: str) -> None:
    config = workflow_config(tmp_path, offline=True, compounds=liao_config())
    from netpharm.workflow import run_workflow

    run_workflow(config, tmp_path / "run", stages=["compounds"])
    claim = claim_from_table(1, {"id": "c", "text": "common targets", "kind": "intersection", "size": size})
    verdict = run_claims(tmp_path / "run", [claim])[0]
    assert verdict.verdict == label
    if label == "partially supported":
        assert verdict.reason == ("the lists as written give 40, but after symbol normalisation they share 42 "
                                  "(found through renames: CCN1, CCN2)")


def test_intersection_claim_not_run_and_checked_against_the_workflow(tmp_path: Path) -> None:
    claim = claim_from_table(1, {"id": "c", "text": "t", "kind": "intersection", "size": 3})
    assert run_claims(tmp_path, [claim])[0].verdict == "cannot be evaluated here"
    with pytest.raises(ConfigError, match=r"claim 'c' \(intersection\): needs \[\[compounds.targets\]\] and"):
        workflow_claims(workflow_config(tmp_path, claims=({"id": "c", "text": "t", "kind": "intersection",
                                                            "size": 3},)))
    with pytest.raises(ConfigError, match="size must be a count"):
        claim_from_table(1, {"id": "c", "text": "t", "kind": "intersection", "size": -1})


# --- init and the command line ------------------------------------------------------------------------------------
def test_init_writes_the_recipe_and_it_loads(tmp_path: Path) -> None:
    result = init_compounds_workflow(tmp_path / "study", [HERBAL / "swisstarget.txt"],
                                     [HERBAL / "study_context/disease_genes.csv"])
    config = load_workflow(result.workflow)
    assert config.stages == ("compounds", "network", "enrichment", "ct_pathway", "report")
    assert config.compounds.targets[0].format == "swisstargetprediction"
    assert config.compounds.disease[0].format == "" and config.compounds.disease[0].column == 1
    # probability > 0 (min_probability is written commented out): more targets than the study's 13
    assert len(result.targets) == len(resolve_targets(config)) > 13


def test_cli_bad_file_is_one_line_naming_file_line_and_column(tmp_path: Path, capsys: pytest.CaptureFixture[str]
                                                              ) -> None:
    bad = tmp_path / "disease.csv"
    bad.write_text("Gene Symbol,Relevance score\nTNF,12.5\nIL6,high\n", encoding="utf-8")
    code = main(["init", str(tmp_path / "s"), "--compound-targets", str(LIAO / "Venn_Drug.txt"),
                 "--disease-targets", str(bad)])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and len(err) == 1
    assert err[0].endswith(f"{bad}: line 3, column 'Relevance score': 'high' is not a number")
    assert not (tmp_path / "s" / "workflow.toml").exists()  # nothing left behind
    assert main(["init", str(tmp_path / "t"), "--compound-targets", str(LIAO / "Venn_Drug.txt")]) == 2
    assert "needs --compound-targets FILE and --disease-targets FILE" in capsys.readouterr().err


def test_structures_attach_smiles_four_sets_draw_an_upset_and_the_report_shows_them(tmp_path: Path) -> None:
    from netpharm.compounds.config import StructureTable
    from netpharm.workflow import run_workflow

    extra = tmp_path / "more.csv"
    extra.write_text("name,smiles\nquercetin,C\nNot in any table,CC\n", encoding="utf-8")
    base = herbal_config()
    cfg = CompoundsConfig(
        targets=base.targets,
        disease=(*base.disease,
                 DiseaseTable(file=str(SOURCES / "disgenet/herbal-network-pharmacology/disgenet_summary_C0011881/"
                                                 "search_result_C0011881.tsv"), label="DisGeNET", format="disgenet"),
                 DiseaseTable(file=str(LIAO / "Venn_Disease.txt"), label="pSS", header=False)),
        structures=(StructureTable(file=str(HERBAL / "study_context/compounds.csv"), compound="name", smiles="smiles"),
                    StructureTable(file=str(extra), compound=1, smiles=2)))
    result = run_workflow(workflow_config(tmp_path, offline=True, compounds=cfg), tmp_path / "run", stages=["compounds", "report"])
    outcome = result.outcomes["compounds"]
    f = outcome.findings
    assert f is not None and f.figure == f"{files.FOLDER}/{files.UPSET}"
    quercetin = f.compound("Quercetin")
    assert quercetin is not None and quercetin.smiles == "C1=CC(=C(C=C1C2=C(C(=O)C3=C(C=C(C=C3O2)O)O)O)O)O"
    assert len(f.compounds) == 25 and all(c.smiles for c in f.compounds)  # the first table's SMILES win
    assert "1 structure rows name no compound of the compound tables: Not in any table" in outcome.missing
    assert f.common_targets == tuple(sorted(set(f.compound_targets) & set(f.disease_targets)))
    html = (tmp_path / "run" / "report" / "report.html").read_text(encoding="utf-8")
    section = html[html.index('<section id="compounds">'):]
    assert f"<strong>{f.intersection_size} common targets</strong>" in section
    assert "data:image/png;base64," in section[:section.index("</section>")]


def test_region_counts_on_hand_checked_sets() -> None:
    from netpharm.compounds.figure import region_counts

    # hand-made sets: a in T,A,C; b, c in T,A,B; d in T,B; e, h in T,C; f, g in T; x, y in A; z in B
    counts = region_counts({"T": set("abcdefgh"), "A": set("abcxy"), "B": set("bcdz"), "C": set("aeh")})
    assert {k: v for k, v in counts.items() if v} == {
        (True, True, False, True): 1, (True, True, True, False): 2, (True, False, True, False): 1,
        (True, False, False, True): 2, (True, False, False, False): 2, (False, True, False, False): 2,
        (False, False, True, False): 1}
    assert len(counts) == 15  # every non-empty pattern of 4 sets is listed, empty ones with 0


def test_resume_reruns_the_stage_when_a_file_is_edited_in_place(tmp_path: Path) -> None:
    from netpharm.workflow import run_workflow

    drug, disease = tmp_path / "drug.txt", tmp_path / "disease.txt"
    drug.write_bytes((LIAO / "Venn_Drug.txt").read_bytes())
    disease.write_bytes((LIAO / "Venn_Disease.txt").read_bytes())
    cfg = CompoundsConfig(targets=(TargetTable(file="drug.txt", label="Drug", target=1, header=False),),
                          disease=(DiseaseTable(file="disease.txt", label="pSS", header=False),))
    config = workflow_config(tmp_path, offline=True, compounds=cfg)
    run_workflow(config, tmp_path / "run", stages=["compounds"])
    assert run_workflow(config, tmp_path / "run", resume=True, stages=["compounds"]).skipped == ["compounds"]
    disease.write_text(disease.read_text(encoding="utf-8") + "\nARTN\n", encoding="utf-8")  # not a drug target
    again = run_workflow(config, tmp_path / "run", resume=True, stages=["compounds"])
    assert again.skipped == [] and again.outcomes["compounds"].findings is not None
    assert again.outcomes["compounds"].findings.sources[1].rows == 1496


def test_nafld_goji_does_not_reproduce_its_55_common_targets(tmp_path: Path) -> None:
    """The study's files give 53 common targets, not the 55 of its Common_genes.xlsx (the collector's check)."""
    from netpharm.compounds.readers.table import read_sheet
    from netpharm.workflow import run_workflow

    study = SOURCES / "genecards/nafld-goji"
    cfg = CompoundsConfig(
        targets=(TargetTable(file=str(study / "study_context/Targets_prediction.xlsx"), label="Swiss",
                             format="swisstargetprediction", compound="Metabolites", min_probability=0.0),),
        disease=(DiseaseTable(file=str(study / "GeneCards-SearchResults.xlsx"), label="GeneCards", format="genecards",
                              min_score=1.0),))
    data = collect(cfg, FACTS)
    published = {r.cells[0] for r in read_sheet(study / "study_context/Common_genes.xlsx").rows[1:] if r.cells[0]}
    assert len(published) == 55 and len(data.common()) == 53
    assert sorted(published - set(data.common())) == ["CYP2C9", "DPP4", "HSP90AA1", "INSR", "PDGFRB", "PON1", "SIRT3"]
    assert sorted(set(data.common()) - published) == ["CTNNB1", "HIF1A", "NFE2L2", "NR1H3", "STAT3"]
    run_workflow(workflow_config(tmp_path, offline=True, compounds=cfg), tmp_path / "run", stages=["compounds"])
    claim = claim_from_table(1, {"id": "c", "text": "55 common targets", "kind": "intersection", "size": 55})
    verdict = run_claims(tmp_path / "run", [claim])[0]
    assert verdict.verdict == "not supported" and verdict.reason == "the lists share 53 targets (53 as written), not 55"
    from netpharm.registry import stages
    from netpharm.verdict import RunView, audit_claims

    rows = audit_claims([claim], RunView(tmp_path / "run", stages()))
    assert [(r.check, r.severity, r.finding) for r in rows] == [
        ("intersection_count", "error", "the study says 55 common targets; its own lists give 53 after symbol "
                                        "normalisation, 53 as written")]


def test_init_refuses_a_disease_export_as_compound_targets_and_reads_plain_pairs(tmp_path: Path) -> None:
    from netpharm.errors import InputError

    genecards = SOURCES / "genecards/bilobalide-ais/GeneCards - GeneCards - Search results for _acute ischemic stroke_.csv"
    with pytest.raises(InputError, match="a genecards export, which lists disease genes; give it with "
                                         "--disease-targets"):
        init_compounds_workflow(tmp_path / "a", [genecards], [LIAO / "Venn_Disease.txt"])
    assert not (tmp_path / "a" / "workflow.toml").exists()
    pairs = tmp_path / "pairs.tsv"
    pairs.write_text("Molecule\tGene\nquercetin\tAKT1\nquercetin\tTNF\nwogonin\tCCN2\n", encoding="utf-8")
    result = init_compounds_workflow(tmp_path / "b", [pairs], [LIAO / "Venn_Disease.txt"])
    table = load_workflow(result.workflow).compounds.targets[0]
    assert (table.compound, table.target, table.header, table.format) == (1, 2, True, "")
    assert result.targets == ("AKT1", "CCN2", "TNF")


def test_the_network_stage_takes_the_common_targets(tmp_path: Path) -> None:
    """liao323 end to end: its STRING export (made for its 40 targets) against netpharm's 42 common targets."""
    from netpharm.network.config import NetworkConfig
    from netpharm.network.imports import record_import
    from netpharm.workflow import run_workflow

    record_import(LIAO / "barplot_string_interactions.tsv", Cache(tmp_path / "cache"), "liao", species=9606)
    network = NetworkConfig(source="import", imports=("liao",), required_score=400, ppi_enrichment=False, bootstrap=0)
    config = workflow_config(tmp_path, offline=True, compounds=liao_config(), network=network)
    result = run_workflow(config, tmp_path / "run", stages=["compounds", "network"])
    f = result.outcomes["network"].findings
    assert f is not None and len(f.targets) == 42 and set(f.targets) == set(_lines(tmp_path / "run" / "targets.txt"))
    assert (f.nodes, f.edges) == (34, 125)  # the README's 250 rows list each pair twice
    # CCN1 and CCN2 were not in the study's query: netpharm names them as uncovered, never silently dropped
    assert f.uncovered_targets == ("BLVRB", "CCN1", "CCN2", "ELOVL4", "F2RL1", "PRLR", "TRAPPC10", "VTCN1")


@pytest.mark.parametrize("section, message", [
    ({"targets": [{"file": "a.csv", "label": "x", "format": "genecards"}]},
     "format 'genecards' is a disease-list format"),
    ({"targets": [{"file": "a.csv", "label": "x"}]}, "name the 'target' column"),
    ({"targets": [{"file": "a.csv", "label": "x", "target": 0}]}, "1-based column number"),
    ({"targets": [{"file": "a.csv", "label": "x", "format": "swisstargetprediction", "min_probability": 5}]},
     "min_probability must be within 0–1"),
    ({"targets": [{"file": "a.csv", "label": "x", "target": 1}], "disease": [{"file": "b.csv", "label": "x"}]},
     r"label\(s\) \['x'\] used by two tables"),
    ({"disease": [{"file": "b.csv", "label": "d"}]}, "nothing to intersect with"),
    ({"targets": [{"file": "a.csv", "label": "x", "target": 1, "colour": "red"}]}, r"unknown key\(s\) \['colour'\]"),
])
def test_config_errors_name_the_table(section: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        load_workflow(None, {"compounds": section})


def test_tcmsp_protein_names_map_through_a_target_names_table(tmp_path: Path) -> None:
    """TCMSP names targets by protein name: none matches the gene table; a protein-name table maps them.

    The map below is HAND-MADE for this test in a UniProt export's layout ("Protein names", "Gene Names": the
    recommended name, alternatives in parentheses; the gene, then synonyms), with one name given two genes on
    purpose (ambiguous).
    """
    tcmsp = SOURCES / "tcmsp/tcmsp-spider"
    names = tmp_path / "uniprot_names.tsv"
    names.write_text("Protein names\tGene Names\n"
                     "Cellular tumor antigen p53 (Antigen NY-CO-13) (Phosphoprotein p53)\tTP53 P53\n"
                     "Androgen receptor (Dihydrotestosterone receptor)\tAR DHTR NR3C4\n"
                     "Catalase (EC 1.11.1.6)\tCAT\n"
                     "Calmodulin\tCALM1\n"
                     "Calmodulin\tCALM2\n", encoding="utf-8")
    spec = TargetTable(file=str(tcmsp / "Chenpi_targets.xlsx"), label="TCMSP", format="tcmsp",
                       ingredients=str(tcmsp / "Chenpi_ingredients.xlsx"))
    plain = collect(CompoundsConfig(targets=(spec,)), FACTS)
    assert {m.status for m in plain.matches.values()} == {"unmatched"} and len(plain.matches) == 69
    mapped = collect(CompoundsConfig(targets=(spec,), target_names=str(names)), FACTS)
    renamed = {k: (m.symbol, m.how) for k, m in mapped.matches.items() if m.status == "renamed"}
    assert renamed == {"Cellular tumor antigen p53": ("TP53", "protein name (uniprot_names.tsv)"),
                       "Androgen receptor": ("AR", "protein name (uniprot_names.tsv)"),
                       "Catalase": ("CAT", "protein name (uniprot_names.tsv)")}
    assert mapped.matches["Calmodulin"].status == "ambiguous"
    assert mapped.matches["Calmodulin"].candidates == ("CALM1", "CALM2")
    assert {"AR", "CAT", "TP53"} <= mapped.compound_targets()

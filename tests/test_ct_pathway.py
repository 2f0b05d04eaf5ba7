"""The compound–target–pathway network (``ct_pathway`` step after enrichment) on real shipped data, its Cytoscape
files, report block and the ``ct_degree`` claim with ``side = "pathway"``.

Data: the herbal-network-pharmacology study (tests/data/target_sources/swisstargetprediction/
herbal-network-pharmacology/, MIT): SwissTargetPrediction for 25 Phaleria compounds at probability ≥ 0.1 ∩ its
diabetic-nephropathy list = its 13 common targets; enrichment = the offline ORA on the shipped GO (BP); for the
STRING path, STRING's real KEGG answer for 26 genes (tests/data/enrichment/string_api/).

Hand counts, independent of netpharm (run in the study folder; the second awk keeps the common targets):

    awk -F'\\t' 'NF==1 && /SwissTargetPrediction/{c=$0; gsub(/SwissTargetPrediction|"/,"",c);
                 gsub(/^ +| +$/,"",c)} NF>=7 && $6+0>=0.1 {n=split($2,g," "); for(i=1;i<=n;i++) print c"\\t"g[i]}' \\
        swisstarget.txt | sort -u \\
      | awk -F'\\t' 'NR==FNR{ok[$1]=1;next} ($2 in ok)' study_context/intersection_genes.txt - > /tmp/common.tsv
    cut -f1 /tmp/common.tsv | sort | uniq -c | sort -rn   # 15 compounds: 8 with 3 targets, 3 with 2, 4 with 1
    cut -f2 /tmp/common.tsv | sort | uniq -c | sort -rn   # AXL 8, ADORA2A 7, KDR 6, SLC5A2/SERPINE1/PDE5A 2, 7 with 1

and on the run's own ORA table (the top 10 BP terms by FDR, then p-value, then id; member genes):

    tail -n +2 enrichment/offline_BP.tsv | sort -t$'\\t' -k11,11g -k10,10g -k2,2 | head -10 | cut -f2,4
        # GO:0051240 10, GO:0032101 8, GO:0050727 6, GO:0045597 7, GO:0051338 7, GO:0019220 8, GO:0051174 8,
        # GO:0044057 6, GO:0002682 8, GO:0009967 8   (column 4 = member targets = the pathway's degree)
    tail -n +2 enrichment/offline_BP.tsv | sort -t$'\\t' -k11,11g -k10,10g -k2,2 | head -10 | cut -f14 \\
        | tr ',' '\\n' | sort | uniq -c | sort -rn   # PPARG 10, ADORA2A 9, PDE5A 8, ADORA2B 8, KDR 7, AXL 7 ...
    awk -F'\\t' 'NR>1 && $1=="KEGG"' aposfys_sigmar1_26genes.enrichment.tsv | sort -t$'\\t' -k9,9g | head -3 | cut -f2,3
        # hsa00100 8, hsa04927 4, hsa01100 10 (STRING's own FDR order)
"""

from __future__ import annotations

import dataclasses
import html
import shutil
from pathlib import Path
from typing import Any

import networkx as nx
import pandas as pd
import pytest
from helpers import claim_from_table, run_claims
from test_compounds_stage import HERBAL, herbal_config

from netpharm.compounds import files
from netpharm.compounds.config import CompoundsConfig
from netpharm.compounds.ct_findings import CTPathwayFindings
from netpharm.compounds.findings import CompoundRecord, CompoundsFindings
from netpharm.config import from_mapping, to_mapping
from netpharm.enrichment import files as efiles
from netpharm.enrichment.config import EnrichmentConfig
from netpharm.enrichment.findings import EnrichmentFindings
from netpharm.errors import ConfigError
from netpharm.registry import WorkflowConfig, expand_config, load_workflow
from netpharm.stage import StageOutcome
from netpharm.workflow import RunResult, run_workflow

STRING_API = Path(__file__).parent / "data" / "enrichment" / "string_api"
TOP_BP = ("GO:0051240", "GO:0032101", "GO:0050727", "GO:0045597", "GO:0051338", "GO:0019220", "GO:0051174",
          "GO:0044057", "GO:0002682", "GO:0009967")
TOP_BP_DEGREES = (10, 8, 6, 7, 7, 8, 8, 6, 8, 8)


def _run(tmp: Path, derived: Path, stages: tuple[str, ...], resume: bool = False, **compounds: Any) -> RunResult:
    """The herbal study offline: its compound and disease tables, the offline ORA (STRING not asked)."""
    cache = tmp / "cache" / "derived"
    cache.mkdir(parents=True, exist_ok=True)
    if not (cache / "enrichment").exists():
        (cache / "enrichment").symlink_to(derived, target_is_directory=True)  # the session's parsed GO library
    config = WorkflowConfig(base_dir=str(tmp), offline=True, cache_dir=str(tmp / "cache"), stages=stages,
                            compounds=dataclasses.replace(herbal_config(), pubchem=False, **compounds),
                            enrichment=EnrichmentConfig(string_enrichment=False, categories=("BP", "Reactome")))
    return run_workflow(config, tmp / "run", force=not resume, resume=resume)


@pytest.fixture(scope="module")
def herbal(tmp_path_factory: pytest.TempPathFactory, derived: Path) -> tuple[Path, RunResult]:
    tmp = tmp_path_factory.mktemp("herbal")
    return tmp, _run(tmp, derived, ("compounds", "enrichment", "ct_pathway", "report"), pathway_source="BP")


def test_compounds_without_a_structure_are_one_reason_and_their_names(herbal: tuple[Path, RunResult]) -> None:
    """pubchem = false and no SMILES: every one of the 25 compounds has the same reason, said once (it was said 8
    times, one per compound shown, in the report's "What is missing")."""
    _, result = herbal
    line = next(m for m in result.outcomes["compounds"].missing if m.startswith("drug-likeness:"))
    assert line == ("drug-likeness: 25 compounds without a structure or with a server value that is not a number "
                    "(compounds/drug_likeness.tsv): no structure given (no SMILES or SDF record; PubChem names not "
                    "looked up) — 2,6,4'-trihydroxy-4-methoxybenzophenone, Apigenin, Caffeic acid, Chlorogenic acid, "
                    "Gallic acid, Glycitin, Icariside C3, Isovitexin … (25 in all)")


def _findings(result: RunResult) -> CTPathwayFindings:
    f = result.outcomes["ct_pathway"].findings
    assert isinstance(f, CTPathwayFindings)
    return f


def test_the_top_terms_and_every_degree_match_the_hand_counts(herbal: tuple[Path, RunResult]) -> None:
    _, result = herbal
    outcome = result.outcomes["ct_pathway"]
    assert outcome.status == "ok"
    f = _findings(result)
    assert (f.enrichment, f.category, f.targets) == ("offline ORA", "BP", 13)
    assert tuple(t.term for t in f.terms) == TOP_BP
    assert f.notes[1] == "2 more terms share the FDR of the 10th (0.00242): cut by p-value, then term id"
    net = f.network
    assert (net.compounds, net.targets, net.pathways, net.edges) == (15, 13, 10, 34)  # 8×3 + 3×2 + 4×1 pairs
    assert net.pathway_edges == sum(TOP_BP_DEGREES) == 76
    pathway = {t.term: next(n for n in net.side_nodes("pathway") if n.name == f.node_name(t)) for t in f.terms}
    assert tuple(pathway[t].degree for t in TOP_BP) == TOP_BP_DEGREES
    assert pathway["GO:0051240"].rank == 1 and {pathway[t].rank for t in TOP_BP if pathway[t].degree == 8} == {2}
    compounds = {n.name: (n.degree, n.rank) for n in net.side_nodes("compound")}
    assert sum(1 for d, r in compounds.values() if (d, r) == (3, 1)) == 8 and compounds["Quercetin"] == (3, 1)
    assert compounds["Phalerin"] == (2, 9) and compounds["Gallic acid"] == (1, 12)
    targets = {n.name: (n.degree, n.pathway_degree) for n in net.side_nodes("target")}
    assert targets["AXL"] == (8, 7) and targets["ADORA2A"] == (7, 9) and targets["KDR"] == (6, 7)
    assert targets["PPARG"] == (1, 10) and targets["SLC5A2"] == (2, 0)  # SLC5A2: in none of the ten terms
    # nine compounds hit none of the 13 common targets: listed, not drawn
    assert len(f.compounds_left_out) == 9 and "Mangiferin" in f.compounds_left_out
    assert outcome.missing == []  # they are left out as the paper's network leaves them out: not a gap
    again = from_mapping(CTPathwayFindings, to_mapping(f), complete=True)
    assert again == f


def test_cytoscape_files_node_table_figure_and_report(herbal: tuple[Path, RunResult]) -> None:
    tmp, result = herbal
    out = tmp / "run" / files.CTP_STAGE
    graph = nx.read_graphml(out / files.CTP_GRAPHML)
    sides = [d["side"] for _, d in graph.nodes(data=True)]
    assert (sides.count("compound"), sides.count("target"), sides.count("pathway")) == (15, 13, 10)
    node = graph.nodes["positive regulation of multicellular organismal process"]
    assert (node["term"], node["degree"], node["rank"]) == ("GO:0051240", 10, 1)
    sif = [line.split("\t") for line in (out / files.CTP_SIF).read_text(encoding="utf-8").splitlines()]
    assert sum(1 for _, kind, _ in sif if kind == "ct") == 34 and sum(1 for _, kind, _ in sif if kind == "pt") == 76
    nodes = pd.read_csv(out / files.CTP_NODES, sep="\t", keep_default_na=False)
    axl = nodes[nodes["name"] == "AXL"].iloc[0]
    assert (axl["side"], axl["degree"], axl["pathway_degree"], axl["cytoscape_degree"]) == ("target", 8, 7, 15)
    terms = pd.read_csv(out / files.CTP_TERMS, sep="\t")
    assert list(terms.columns) == list(files.CTP_TERM_COLUMNS) and tuple(terms["term"]) == TOP_BP
    assert tuple(terms["n_targets"]) == TOP_BP_DEGREES
    assert (out / f"{files.CTP_FIGURE}.png").stat().st_size > 10_000 and (out / f"{files.CTP_FIGURE}.svg").is_file()
    assert _findings(result).figure == f"{files.CTP_STAGE}/{files.CTP_FIGURE}.png"
    page = html.unescape((tmp / "run" / "report" / "report.html").read_text(encoding="utf-8"))
    block = page[page.index('<section id="ct-pathway">'):]
    block = block[:block.index("</section>")]
    assert ("15 compounds, 13 of the workflow's 13 targets and\n10 terms (the 10 BP terms of lowest FDR (< 0.05) "
            "in offline ORA's enrichment") in block
    assert "9 compound(s) hit none of the workflow's targets and are left out:\n2,6,4" in block
    assert "positive regulation of multicellular organismal process (10)" in block


@pytest.mark.parametrize("table, verdict, why", [
    ({"node": "positive regulation of multicellular organismal process", "degree": 10, "max_rank": 1},
     "supported", "degree 10; rank 1 ≤ 1"),
    ({"node": "GO:0032101", "degree": 8}, "supported", "degree 8"),   # by its id
    ({"node": "regulation of inflammatory response", "max_rank": 1}, "not supported", "rank 9 > 1"),
    # five terms share degree 8 at rank 2: a "second most connected" claim cannot single one out
    ({"node": "regulation of phosphate metabolic process", "max_rank": 2}, "partially supported", "tie"),
    ({"node": "apoptotic process", "degree": 5}, "not supported", "absent from the compound–target–pathway"),
])
def test_ct_degree_on_a_pathway(herbal: tuple[Path, RunResult], table: dict[str, Any], verdict: str,
                                why: str) -> None:
    tmp, _ = herbal
    claim = claim_from_table(1, {"id": "p", "text": "t", "kind": "ct_degree", "side": "pathway", **table})
    v = run_claims(tmp / "run", [claim])[0]
    assert v.verdict == verdict and why in v.reason, v
    if verdict != "not supported" or "rank" in why:
        assert "FDR" in v.evidence and v.data_completeness.startswith("complete: the compound–target–pathway")


def test_a_name_only_the_pathway_network_holds_is_judged_as_a_pathway(herbal: tuple[Path, RunResult]) -> None:
    tmp, _ = herbal
    claim = claim_from_table(1, {"id": "p", "text": "t", "kind": "ct_degree", "node": "GO:0051240", "degree": 10})
    by_id = run_claims(tmp / "run", [claim])[0]
    assert by_id.verdict == "supported" and "pathway" in by_id.evidence


@pytest.mark.parametrize("table, verdict, evidence", [
    # Quercetin: 3 of the 13 common targets (hand count), more in the whole compound–target network
    ({"node": "Quercetin", "degree": 3}, "supported", "counts only the compound's 3 targets among the workflow's"),
    ({"node": "Quercetin", "degree": 4}, "not supported", "compound Quercetin: degree "),
    # AXL: 8 compounds + 7 of the ten terms = 15, Cytoscape's degree on the C–T–P graph
    ({"node": "AXL", "degree": 15}, "supported", "counts the 7 pathway links too"),
    # its rank is the compound–target network's (26th of 315 targets); the C–T–P's rank 1 of 13 is stated beside it
    ({"node": "AXL", "degree": 8, "max_rank": 1}, "partially supported",
     "target AXL: degree 8, rank 26 of 315 targets"),
    ({"node": "AXL", "max_rank": 1}, "not supported", "workflow's targets only): degree 8, rank 1 of 13 targets"),
])
def test_compound_and_target_degrees_read_as_papers_read_them(herbal: tuple[Path, RunResult], table: dict[str, Any],
                                                              verdict: str, evidence: str) -> None:
    """The rank stays the compound–target network's; the C–T–P gives a degree's other readings, each named."""
    tmp, _ = herbal
    v = run_claims(tmp / "run", [claim_from_table(1, {"id": "c", "text": "t", "kind": "ct_degree", **table})])[0]
    assert v.verdict == verdict and evidence in v.evidence, v


def test_without_enrichment_the_network_is_absent_and_says_why(tmp_path: Path, derived: Path) -> None:
    result = _run(tmp_path, derived, ("compounds", "ct_pathway"), pathway_source="BP")
    outcome = result.outcomes["ct_pathway"]
    assert outcome.status == "not_run" and outcome.findings is None
    assert outcome.reason == "compound–target–pathway network not built: enrichment stage not run"
    assert not (tmp_path / "run" / files.CTP_STAGE / files.CTP_GRAPHML).exists()
    claim = claim_from_table(1, {"id": "p", "text": "t", "kind": "ct_degree", "side": "pathway",
                                 "node": "GO:0051240", "degree": 10})
    v = run_claims(tmp_path / "run", [claim])[0]
    assert v.verdict == "cannot be evaluated here" and "enrichment stage not run" in v.reason


def test_kegg_offline_without_strings_answer_says_what_to_do(tmp_path: Path, derived: Path) -> None:
    """The default source is KEGG, which only STRING's enrichment gives: offline without its answer, no network."""
    result = _run(tmp_path, derived, ("compounds", "enrichment", "ct_pathway"))
    outcome = result.outcomes["ct_pathway"]
    assert outcome.status == "not_run" and len(outcome.missing) == 1
    assert outcome.missing[0].startswith("no STRING enrichment in this run for the KEGG terms")
    assert outcome.missing[0].endswith('or set [compounds] pathway_source = "Reactome" or "BP" for the offline ORA\'s '
                                       "terms)")


def test_an_enrichment_with_no_term_below_the_fdr_gives_no_network(tmp_path: Path, derived: Path) -> None:
    """Reactome on the 13 targets: the best term is "Nucleotide-like (purinergic) receptors" at FDR 0.136."""
    result = _run(tmp_path, derived, ("compounds", "enrichment", "ct_pathway"), pathway_source="Reactome")
    outcome = result.outcomes["ct_pathway"]
    assert outcome.status == "not_run"
    assert outcome.missing == ["no Reactome term below FDR 0.05 in offline ORA's enrichment"]
    claim = claim_from_table(1, {"id": "p", "text": "t", "kind": "ct_degree", "side": "pathway",
                                 "node": "Nucleotide-like (purinergic) receptors", "max_rank": 1})
    v = run_claims(tmp_path / "run", [claim])[0]
    assert v.verdict == "cannot be evaluated here" and "no Reactome term below FDR 0.05" in v.reason


def test_resume_rebuilds_only_when_the_chosen_terms_change(herbal: tuple[Path, RunResult], derived: Path,
                                                           tmp_path: Path) -> None:
    src, _ = herbal
    shutil.copytree(src / "run", tmp_path / "run", symlinks=True)
    stages = ("compounds", "enrichment", "ct_pathway", "report")
    # the cache folder holds the compound files' records: the run's inputs are unchanged
    shutil.copytree(src / "cache", tmp_path / "cache", symlinks=True)
    again = _run(tmp_path, derived, stages, resume=True, pathway_source="BP")
    assert {"compounds", "enrichment", "ct_pathway"} <= set(again.skipped)
    fewer = _run(tmp_path, derived, stages, resume=True, pathway_source="BP", pathway_terms=3)
    assert "ct_pathway" not in fewer.skipped and _findings(fewer).network.pathways == 3


def test_stringss_kegg_terms_are_chosen_by_its_own_fdr(tmp_path: Path) -> None:
    """``pathway_enrichment = "auto"`` with STRING's answer in the run: its KEGG terms, its FDR, its member genes.

    The compound table here is hand-made (two made-up compounds over the 26 query genes): only the term choice
    and the members come from the real answer.
    """
    run = tmp_path / "run"
    (run / efiles.FOLDER).mkdir(parents=True)
    shutil.copy(STRING_API / "aposfys_sigmar1_26genes.enrichment.tsv", run / efiles.FOLDER / efiles.STRING_RAW)
    query = tuple(x.strip() for x in (STRING_API / "aposfys_sigmar1_26genes.input.txt").read_text().split())
    enrichment = EnrichmentFindings(themes=(), string_enrichment_cached=True, offline_ora=False, background=None,
                                    background_size={}, figures=(), fdr_threshold=0.05, query_genes=query,
                                    unknown_symbols=(), significant_terms={}, string_significant_terms=None,
                                    data_sources=())
    compounds = CompoundsFindings((), (CompoundRecord("hand-made A", ("x",), ("DHCR7", "SQLE")),
                                       CompoundRecord("hand-made B", ("x",), ("ITPR1",))),
                                  (), (), (), 0, 0, (), False, {}, (), {}, "", "")
    outcomes = {"compounds": StageOutcome("compounds", "ok", findings=compounds),
                "enrichment": StageOutcome("enrichment", "ok", findings=enrichment)}
    config = WorkflowConfig(compounds=CompoundsConfig(targets=herbal_config().targets, pathway_terms=3))
    chosen = expand_config(config, "ct_pathway", outcomes.get, run).compounds.pathway_network
    assert chosen.built and (chosen.enrichment, chosen.category) == ("STRING", "KEGG")
    assert [(t.term, t.name, len(t.genes)) for t in chosen.terms] == [
        ("hsa00100", "Steroid biosynthesis", 8), ("hsa04927", "Cortisol synthesis and secretion", 4),
        ("hsa01100", "Metabolic pathways", 10)]
    assert chosen.terms[0].fdr == pytest.approx(2.83e-15) and "DHCR7" in chosen.terms[0].genes
    assert [c.compound for c in chosen.compounds] == ["hand-made A", "hand-made B"]
    # without STRING's answer, KEGG has no other source: said, not guessed
    (run / efiles.FOLDER / efiles.STRING_RAW).unlink()
    none = expand_config(config, "ct_pathway", outcomes.get, run).compounds.pathway_network
    assert not none.terms and none.notes[0].startswith("no STRING enrichment in this run for the KEGG terms")


@pytest.mark.parametrize("section, message", [
    ({"pathway_enrichment": "offline"}, "pathway_source 'KEGG' is not computed by the offline ORA"),
    ({"pathway_terms": -1}, "pathway_terms must be an integer >= 0"),
    ({"pathway_source": "WikiPathways"}, "pathway_source"),
    ({"pathway_network": {"terms": [{"term": "x", "name": "x", "fdr": 0.01, "genes": ["A"]}]}},
     "pathway_network is filled by netpharm"),
])
def test_configuration_errors(section: dict[str, Any], message: str) -> None:
    tables = {"targets": [{"file": str(HERBAL / "swisstarget.txt"), "label": "S", "format": "swisstargetprediction"}]}
    with pytest.raises(ConfigError, match=message):
        load_workflow(None, {"compounds": {**tables, **section}})

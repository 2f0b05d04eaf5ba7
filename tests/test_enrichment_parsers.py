"""Parsers: the real shipped annotation files, malformed lines, and STRING's enrichment TSV."""

from __future__ import annotations

import gzip
from pathlib import Path

import pandas as pd
import pytest

from netpharm.enrichment.annotations import (
    read_gene_info,
    read_gmt,
    read_go_annotations,
    read_obo,
    read_text,
    shipped_files,
)
from netpharm.enrichment.string_enrichment import (
    STRING_REPORT_COLUMNS,
    offline_term_id,
    parse_string_enrichment,
    string_category_tables,
)
from netpharm.errors import AnnotationFormatError, ImportFormatError


# --- the real files in netpharm/data (README numbers) --------------------------------------
def test_shipped_obo() -> None:
    graph = read_obo(shipped_files().obo)
    assert graph.graph["data-version"] == "releases/2022-07-01"
    assert graph.number_of_nodes() == 43_558  # live terms (obsolete ones dropped)
    assert graph.nodes["GO:0007268"]["name"] == "chemical synaptic transmission"
    assert ("GO:0007268", "GO:0098916", "is_a") in graph.edges(keys=True)


def test_shipped_go_annotations() -> None:
    rows = read_go_annotations(shipped_files().go_annotations)
    assert len(rows) == 348_116
    assert len({r.symbol for r in rows}) == 20_728
    grin1 = {(r.go_id, r.evidence, r.category) for r in rows if r.symbol == "GRIN1"}
    # NMDA glutamate receptor activity, direct (propagation to GO:0004970 is ours to do)
    assert {("GO:0004972", ev, "MF") for ev in ("IBA", "IDA", "IMP", "ISS", "TAS")} <= grin1
    assert not any(go == "GO:0004970" for go, _, _ in grin1)
    assert sum(r.evidence == "IEA" for r in rows) == 76_431


def test_shipped_gene_info_and_gmt() -> None:
    genes = read_gene_info(shipped_files().gene_info)
    assert len(genes) == 77_614
    assert sum(g.gene_type == "protein-coding" for g in genes) == 20_598
    sets = read_gmt(shipped_files().reactome_gmt)
    assert len(sets) == 2_694
    assert len({g for s in sets for g in s.genes}) == 11_668
    by_id = {s.term_id: s for s in sets}
    assert by_id["R-HSA-438064"].name == "Post NMDA receptor activation events"
    assert by_id["R-HSA-442742"].name.startswith("CREB1 phosphorylation")


def test_gmt_is_the_documented_release() -> None:
    import hashlib
    raw = gzip.decompress(shipped_files().reactome_gmt.read_bytes())
    assert hashlib.sha256(raw).hexdigest() == "54eb5a0cf45aa6b9a575c9c00b61394973b7f0ec7c78060e35b1ceecf0223ef4"


# --- malformed lines: file and line named -------------------------------------------------------
def _copy_with(src: Path, dst: Path, lineno: int, new: str) -> Path:
    lines = read_text(src).splitlines()
    lines[lineno - 1] = new
    dst.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return dst


def test_malformed_gaf_line(datadir: Path, tmp_path: Path) -> None:
    bad = _copy_with(datadir / "enrichment/handmade_tiny.gaf", tmp_path / "bad.gaf", 4,
                     "NCBIGene\t102\tG2\t\tGO:0000044")
    with pytest.raises(AnnotationFormatError, match=r"bad\.gaf, line 4: expected 17"):
        read_go_annotations(bad)
    src = datadir / "enrichment/handmade_tiny.gaf"
    line = read_text(src).splitlines()[3].replace("GO:0000044", "GO:44")
    with pytest.raises(AnnotationFormatError, match=r"line 4: column 5 'GO:44' is not a GO id"):
        read_go_annotations(_copy_with(src, tmp_path / "bad2.gaf", 4, line))


def test_malformed_gmt_line(datadir: Path, tmp_path: Path) -> None:
    bad = _copy_with(datadir / "enrichment/handmade_tiny.gmt", tmp_path / "bad.gmt", 2, "Pathway two only")
    with pytest.raises(AnnotationFormatError, match=r"bad\.gmt, line 2: a GMT line needs"):
        read_gmt(bad)


def test_malformed_obo_line(datadir: Path, tmp_path: Path) -> None:
    src = datadir / "enrichment/handmade_tiny.obo"
    lines = read_text(src).splitlines()
    n = lines.index("name: child A") + 1
    bad = _copy_with(src, tmp_path / "bad.obo", n, "name child A without colon")
    with pytest.raises(AnnotationFormatError, match=rf"bad\.obo, line {n}: not an OBO 'tag: value' line"):
        read_obo(bad)
    n = lines.index("id: GO:0000003") + 1
    with pytest.raises(AnnotationFormatError, match=rf"line {n}: term id is not a GO"):
        read_obo(_copy_with(src, tmp_path / "bad2.obo", n, "id: GO:3"))


def test_malformed_gene_table(datadir: Path, tmp_path: Path) -> None:
    bad = _copy_with(datadir / "enrichment/handmade_tiny_genes.tsv", tmp_path / "bad.tsv", 3, "102\tG2")
    with pytest.raises(AnnotationFormatError, match=r"bad\.tsv, line 3: expected 9 columns"):
        read_gene_info(bad)


def test_gzip_truncated(tmp_path: Path) -> None:
    data = shipped_files().reactome_gmt.read_bytes()[:5000]
    (tmp_path / "cut.gmt.gz").write_bytes(data)
    with pytest.raises(AnnotationFormatError,
                       match=r"cut.gmt.gz: the annotation file is a damaged gzip file \(Compressed file ended"):
        read_gmt(tmp_path / "cut.gmt.gz")


# --- STRING's enrichment TSV -----------------------------------------------------------------------
def test_parse_real_string_excerpt(datadir: Path) -> None:
    text = (datadir / "enrichment/string_enrichment_excerpt_taxon176279.tsv").read_text()
    raw = parse_string_enrichment(text)
    assert len(raw) == 5
    assert list(raw["p_value"]) == ["2.55e-05", "0.00017", "0.00012", "8.28e-05", "4.31e-06"]  # text kept
    tables = string_category_tables(raw, ("Component", "Function", "COMPARTMENTS", "KEGG"), 0.005)
    assert list(tables) == ["Component", "Function", "COMPARTMENTS", "KEGG"]
    assert list(tables["Function"].columns) == STRING_REPORT_COLUMNS
    assert tables["Function"].iloc[0].to_dict() == {
        "category": "Function", "term": "GO:0008924", "description": "Malate dehydrogenase (quinone) activity",
        "observed_genes": "4", "background_genes": "4", "p_value": "4.31e-06", "fdr": "0.0022",
        "input_genes": "mqo-1,mqo-2,mqo-3,mqo-4",
        "query_identifiers": "176279.SERP1955,176279.SERP2168,176279.SERP2312,176279.SERP2412"}
    assert tables["Component"].empty  # fdr 0.0052 is not < 0.005
    assert tables["KEGG"].empty
    assert len(string_category_tables(raw, ("COMPARTMENTS",), 0.05)["COMPARTMENTS"]) == 3


def test_string_parser_rejects_bad_bodies(datadir: Path) -> None:
    text = (datadir / "enrichment/string_enrichment_excerpt_taxon176279.tsv").read_text()
    lines = text.splitlines()
    with pytest.raises(ImportFormatError, match="line 3: expected 10 fields, found 9"):
        parse_string_enrichment("\n".join(lines[:2] + [lines[2].rsplit("\t", 1)[0]]), "resp")
    with pytest.raises(ImportFormatError, match="line 2: fdr 'n/a' is not a number"):
        parse_string_enrichment("\n".join([lines[0], lines[1].replace("\t0.0052\t", "\tn/a\t")]), "resp")
    with pytest.raises(ImportFormatError, match="error"):
        parse_string_enrichment('{"Error": "species not found"}', "resp")
    with pytest.raises(ImportFormatError, match="lacks column"):
        parse_string_enrichment("category\tterm\nProcess\tGO:1", "resp")
    empty = parse_string_enrichment("")
    assert isinstance(empty, pd.DataFrame) and empty.empty


def test_reactome_id_translation() -> None:
    assert offline_term_id("RCTM", "HSA-438064") == "R-HSA-438064"
    assert offline_term_id("RCTM", "R-HSA-438064") == "R-HSA-438064"
    assert offline_term_id("Process", "GO:0007268") == "GO:0007268"


def test_fast_obo_reader_matches_obonet_on_the_shipped_go() -> None:
    """The library's one-pass OBO reader gives obonet's terms, names, namespaces, alt_ids and closure."""
    import networkx as nx

    from netpharm.enrichment.obo_terms import closure_of, read_obo_terms
    from netpharm.enrichment.ontology import PROPAGATION_RELATIONS

    path = shipped_files().obo
    graph = read_obo(path)
    fast = read_obo_terms(path)
    assert fast.data_version == graph.graph["data-version"] == "releases/2022-07-01"
    assert set(fast.names) == set(graph.nodes)
    assert all(fast.names[t] == graph.nodes[t]["name"] and fast.namespaces[t] == graph.nodes[t]["namespace"]
               for t in graph.nodes)
    assert fast.alt_ids == {alt: t for t, data in graph.nodes(data=True) for alt in data.get("alt_id", [])}
    dag = nx.DiGraph((child, parent) for child, parent, rel in graph.edges(keys=True)
                     if rel in PROPAGATION_RELATIONS and parent in graph)
    dag.add_nodes_from(graph.nodes)
    assert closure_of(fast) == {t: frozenset({t} | nx.descendants(dag, t)) for t in dag}


def test_fast_obo_reader_names_bad_lines(datadir: Path, tmp_path: Path) -> None:
    from netpharm.enrichment.obo_terms import read_obo_terms

    src = datadir / "enrichment/handmade_tiny.obo"
    lines = read_text(src).splitlines()
    n = lines.index("id: GO:0000003") + 1
    with pytest.raises(AnnotationFormatError, match=rf"bad\.obo, line {n}: term id is not a GO"):
        read_obo_terms(_copy_with(src, tmp_path / "bad.obo", n, "id: GO:3"))

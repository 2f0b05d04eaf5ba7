"""Pair coverage for large target lists: the compact listing (``network.coverage = "compact"``/"auto").

Real data: the shipped offline imports (13 targets, 11 imports: complete, stacked and cut-off listings)
and the 461-node STRING export in tests/data/string461/ (README there). The 10,000-symbol list is the
export's 461 STRING names followed by protein-coding HGNC symbols of the shipped gene table
(netpharm/data/human_genes_xref.orgHsegdb-3.16.0.tsv.gz) in file order: real symbols, most of them
absent from the export (so their pairs are unknown). Its time and memory are measured in
benchmarks/coverage_large.py, not here.
"""

from __future__ import annotations

import gzip
import itertools
from pathlib import Path

import pandas as pd
import pytest

from netpharm.network.build import network_from_imports, record_import
from netpharm.network.tables import choose_listing, pair_coverage
from netpharm.registry import load_workflow
from netpharm.sources.cache import Cache
from netpharm.targets import read_targets

REPO = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"
OFFLINE = "workflows/microdiscectomy-offline.toml"


def _per_target_from_full(table: pd.DataFrame, targets: list[str]) -> pd.DataFrame:
    counts = {t: {"edge": 0, "non_edge": 0, "unknown": 0} for t in targets}
    for a, b, status in zip(table["name_a"], table["name_b"], table["status"]):
        counts[a][status] += 1
        counts[b][status] += 1
    return pd.DataFrame([{"name": t, **c} for t, c in counts.items()])


def test_compact_equals_the_full_table_on_the_shipped_13_targets() -> None:
    config = load_workflow(REPO / OFFLINE)
    targets = read_targets(REPO / "targets.txt")
    cache = Cache(REPO / "cache", offline=True)
    full = network_from_imports(targets, config.network.imports, cache, 400, species=9606).coverage
    compact = network_from_imports(targets, config.network.imports, cache, 400, species=9606,
                                   listing="compact").coverage
    assert compact.listing == "compact" and full.listing == "full"
    assert compact.counts() == full.counts() == {"edge": 29, "non_edge": 14, "unknown": 35}
    # the compact rows are exactly the full table's rows of listed pairs, same order and text
    listed = full.table[full.table["evidence"].str.startswith(("interaction listed", "listed below"))]
    pd.testing.assert_frame_equal(compact.table.reset_index(drop=True), listed.reset_index(drop=True))
    assert len(compact.table) < len(full.table)  # the unlisted non-edges and the unknowns are counted, not rows
    expected = _per_target_from_full(full.table, list(full.covered_targets + full.uncovered_targets))
    got = compact.per_target.set_index("name").loc[expected["name"]].reset_index()
    assert got[["name", "edge", "non_edge", "unknown"]].to_dict("records") == expected.to_dict("records")
    by_name = compact.per_target.set_index("name")
    assert not by_name.loc["OPRM1", "covered"] and by_name.loc["OPRM1", "unknown"] == 12
    assert by_name.loc["GRIN2B", "edge"] == 9 and "import:" in by_name.loc["GRIN2B", "sources"]


def test_compact_api_coverage_counts_every_pair() -> None:
    # hand-made: 4 queried proteins, 2 edges; the API answer proves every other pair of them absent
    edges = pd.DataFrame({"name_a": ["A", "B"], "name_b": ["B", "C"], "score": [0.9, 0.5]})
    full = pair_coverage(["A", "B", "C", "D", "E"], edges, [({"A", "B", "C", "D"}, "API")])
    compact = pair_coverage(["A", "B", "C", "D", "E"], edges, [({"A", "B", "C", "D"}, "API")], listing="compact")
    assert compact.counts() == full.counts() == {"edge": 2, "non_edge": 4, "unknown": 4}
    assert list(compact.table["status"]) == ["edge", "edge"]
    assert compact.per_target.set_index("name")["unknown"].to_dict() == {"A": 1, "B": 1, "C": 1, "D": 1, "E": 4}
    assert choose_listing("auto", 2000) == "full" and choose_listing("auto", 2001) == "compact"
    assert choose_listing("full", 10_000) == "full"


def ten_thousand_symbols() -> list[str]:
    """The 461-node export's names, then protein-coding HGNC symbols from the shipped gene table."""
    text = gzip.decompress((DATA / "string461" / "string_export_461_nodes_v12x.tsv.gz").read_bytes()).decode()
    rows = [line.split("\t") for line in text.splitlines()[1:] if line.strip()]
    names = list(dict.fromkeys(n for r in rows for n in r[:2]))
    seen = {n.upper() for n in names}
    with gzip.open(REPO / "netpharm" / "data" / "human_genes_xref.orgHsegdb-3.16.0.tsv.gz", "rt") as handle:
        next(handle)
        for line in handle:
            fields = line.split("\t")
            symbol = fields[1]
            if fields[3] == "protein-coding" and symbol.upper() not in seen and symbol.replace("-", "").isalnum():
                seen.add(symbol.upper())
                names.append(symbol)
                if len(names) == 10_000:
                    break
    return names


@pytest.fixture(scope="module")
def large(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[str], object]:
    tmp = tmp_path_factory.mktemp("large")
    export = tmp / "string_interactions.tsv"
    export.write_bytes(gzip.decompress((DATA / "string461" / "string_export_461_nodes_v12x.tsv.gz").read_bytes()))
    cache = Cache(tmp / "cache")
    record_import(export, cache, "ahmad461", 0.4, "12.0", species=9606)
    targets = ten_thousand_symbols()
    assert len(targets) == 10_000 and choose_listing("auto", len(targets)) == "compact"
    return targets, network_from_imports(targets, ["ahmad461"], cache, 400, listing="compact")


def test_ten_thousand_targets_give_a_bounded_listing(large: tuple[list[str], object]) -> None:
    targets, network = large
    cov = network.coverage  # type: ignore[attr-defined]
    n = len(targets)
    assert cov.pair_total() == n * (n - 1) // 2 == 49_995_000
    # one row per pair the export lists among the targets (9,352 pairs at >= 0.400), not 50 M rows
    assert len(cov.table) == 9352 and set(cov.table["status"]) == {"edge"}
    assert len(cov.covered_targets) == 461 and len(cov.uncovered_targets) == n - 461
    # the export is a complete listing cut at 0.400: its other pairs are known non-edges
    assert cov.counts() == {"edge": 9352, "non_edge": 461 * 460 // 2 - 9352, "unknown": 49_995_000 - 461 * 460 // 2}
    per = cov.per_target.set_index("name")
    assert len(per) == n and ((per["edge"] + per["non_edge"] + per["unknown"]) == n - 1).all()
    outsider = targets[-1]
    assert per.loc[outsider, "unknown"] == n - 1 and per.loc[outsider, "sources"] == ""
    assert per.loc[targets[0], "sources"] == "import:ahmad461"
    # degrees from the rows agree with the graph's
    degree = dict(network.graph.degree())  # type: ignore[attr-defined]
    assert all(per.loc[t, "edge"] == degree[t] for t in itertools.islice(cov.covered_targets, 50))


def test_report_reads_the_compact_listing_like_the_full_one(tmp_path: Path) -> None:
    # the offline workflow's network + report stages, compact vs full coverage: the same verdicts
    # (claim 1's Degree bounds come from coverage_targets.tsv in the compact run)
    from netpharm.workflow import run_workflow

    verdicts = {}
    for listing in ("full", "compact"):
        config = load_workflow(REPO / OFFLINE, {"network": {"coverage": listing, "bootstrap": 5}})
        run = tmp_path / listing
        run_workflow(config, run, stages=["network", "report"])
        verdicts[listing] = pd.read_csv(run / "report" / "verdict.tsv", sep="\t", dtype=str, keep_default_na=False)
        summary = run / "network" / "coverage_targets.tsv"
        assert summary.exists() == (listing == "compact")
    pd.testing.assert_frame_equal(verdicts["full"], verdicts["compact"])
    html = (tmp_path / "compact" / "report" / "report.html").read_text(encoding="utf-8")
    assert "Coverage of the target pairs a source lists" in html and "78 pairs: 29 edge, 14 non-edge, 35 unknown" in html
    missing = (tmp_path / "compact" / "network" / "summary.json").read_text(encoding="utf-8")
    assert "35 of 78 target pairs are not covered" in missing and "coverage_targets.tsv" in missing

"""The workflow's network stage: STRING network → topology → hubs → stability → files."""

from __future__ import annotations

import logging

import pandas as pd

from netpharm.hubs.config import HubsConfig
from netpharm.io import write_table
from netpharm.network import files
from netpharm.network.analyse import NetworkAnalysis, analyse_graph, write_analysis
from netpharm.network.build import Network, fetch_ppi_enrichment, network_from_api, network_from_imports
from netpharm.network.config import NetworkConfig
from netpharm.network.core import write_core_targets
from netpharm.network.findings import CoreTargets, ModuleFinding, NetworkFindings, PpiEnrichment
from netpharm.network.stability import rank_stability
from netpharm.network.tables import at_score, choose_listing
from netpharm.sources.string_db import StringClient
from netpharm.stage import RunContext, StageOutcome, Status

__all__ = ["run_network_stage", "build_network"]

log = logging.getLogger(__name__)


def build_network(ctx: RunContext[NetworkConfig]) -> Network:
    """The target network as the workflow asks: STRING's API or recorded imports.

    Parameters
    ----------
    ctx : RunContext
        Uses ``ctx.config`` (STRING v12 ``network`` endpoint parameters: species,
        ``required_score``, ``network_type``, ``add_nodes``; Szklarczyk et al. 2023) and the cache.

    Returns
    -------
    Network
        Graph at the required score, every target pair's coverage, the data sources and,
        when asked and available, STRING's PPI-enrichment answer.
    """
    cfg = ctx.config
    client = StringClient(ctx.cache, ctx.http, cfg.string_host, species=ctx.run.species,
                          caller_identity=cfg.caller_identity, required_score=cfg.required_score,
                          network_type=cfg.network_type, add_nodes=cfg.add_nodes)
    listing = choose_listing(cfg.coverage, len(ctx.targets))
    if cfg.source == "api":
        network = network_from_api(ctx.targets, client, cfg.required_score, min(cfg.stability_cutoffs, default=None),
                                   listing=listing)
    else:
        network = network_from_imports(ctx.targets, cfg.imports, ctx.cache, cfg.required_score,
                                       species=ctx.run.species, listing=listing, references=cfg.reference_imports)
    if cfg.ppi_enrichment:
        network.ppi_enrichment, why = fetch_ppi_enrichment(ctx.targets, client)
        if why:
            network.notes.append(why)
    return network


def _missing(network: Network) -> list[str]:
    missing = list(network.notes)
    cov = network.coverage
    if cov.uncovered_targets:
        missing.append(f"{len(cov.uncovered_targets)} of {len(network.targets)} targets have no STRING data here: "
                       f"{', '.join(cov.uncovered_targets)}")
    unknown = cov.counts()["unknown"]
    if unknown and cov.listing == "compact":
        missing.append(f"{unknown} of {cov.pair_total()} target pairs are not covered (edge or non-edge unknown); "
                       f"network/coverage.tsv lists the {len(cov.table)} pairs a source lists, "
                       "network/coverage_targets.tsv counts every target's pairs by status "
                       '(network.coverage = "full" lists every pair)')
    elif unknown:
        missing.append(f"{unknown} of {len(cov.table)} target pairs are not covered (edge or non-edge unknown); "
                       "listed in network/coverage.tsv")
    for row in cov.conflicts.itertuples(index=False):
        missing.append(f"conflicting STRING evidence on {row.name_a}–{row.name_b} ({row.status}): {row.conflict}")
    used = set(network.edges["source"]) if "source" in network.edges.columns else set()
    for label, columns in network.partial_columns.items():
        if f"import:{label}" in used:  # only where its rows fill network/edges.tsv
            missing.append(f"import {label!r} holds only some real columns: {', '.join(columns)} are not "
                           "STRING values there and are left empty in network/edges.tsv for its edges")
    missing += [f"declared query and export disagree: {why} (network/{files.QUERY_AUDIT})"
                for why in _query_disagreements(network)]
    return missing


def _query_rows(network: Network, kinds: tuple[str, ...]) -> pd.DataFrame:
    audit = network.query_audit
    if audit is None:
        return pd.DataFrame(columns=list(files.QUERY_AUDIT_COLUMNS))
    return audit[audit["kind"].isin(kinds)]


def _query_disagreements(network: Network) -> tuple[str, ...]:
    """One sentence per protein where the query audit's list and export disagree beyond isolation.

    ``query_audit.tsv`` keeps one row per partner; a protein absent despite several partners is one
    finding (its best-scored partner's sentence, the others named after it), not one per pair.
    """
    rows = _query_rows(network, (files.NOT_QUERIED, files.ABSENT_WITH_PARTNER))
    said: list[str] = []
    for _, group in rows.groupby(["import", "protein", "kind"], sort=False):
        ranked = group.sort_values("score", ascending=False, kind="stable")
        first, others = str(ranked["detail"].iloc[0]), ranked.iloc[1:]
        if len(others):
            first += "; also with " + ", ".join(f"{p} ({s:.3f})" for p, s in zip(others["partner"], others["score"]))
        said.append(first)
    return tuple(said)


def _no_edges(network: Network) -> str:
    return (f"no edges: no interaction among the {network.graph.number_of_nodes()} covered targets scores "
            f"≥ {network.required_score / 1000:.3f}; topology and hub ranks are not computed")


def run_network_stage(ctx: RunContext[NetworkConfig]) -> StageOutcome[NetworkFindings]:
    """The network stage: build the network, analyse it and write every ``network/`` file.

    Topology follows Cytoscape NetworkAnalyzer (Assenov et al. 2008; Doncheva et al. 2012) and
    the 12 hub methods cytoHubba (Chin et al. 2014); core targets CytoNCA's six measures and the
    papers' median rule (Tang et al. 2015, ``network/core_targets.tsv``); rank stability is recomputed across the
    score cut-offs and an edge bootstrap.

    Parameters
    ----------
    ctx : RunContext

    Returns
    -------
    StageOutcome[NetworkFindings]
        ``partial`` when targets are uncovered or target pairs unknown (listed in ``missing``).
    """
    out = ctx.stage_dir()
    network = build_network(ctx)
    written = [write_table(out / files.EDGES, at_score(network.edges, network.required_score)),
                write_table(out / files.COVERAGE, network.coverage.table)]
    if network.coverage.per_target is not None:  # compact listing: every target's pairs by status
        written.append(write_table(out / files.COVERAGE_TARGETS, network.coverage.per_target))
    if network.query_audit is not None:  # only when an import declares its query
        written.append(write_table(out / files.QUERY_AUDIT, network.query_audit))
    cfg = ctx.config
    if network.graph.number_of_edges() == 0:
        # Every node would tie at rank 1: say "no edges" instead of publishing such a ranking.
        why = _no_edges(network)
        return StageOutcome("network", "partial", why, [why, *_missing(network)],
                            [str(f.relative_to(ctx.run_dir)) for f in written], _findings(network, None, cfg.source))
    analysis = analyse_graph(network.graph, ctx.section(HubsConfig), network.multiplicity, cfg.mcode)
    written += write_analysis(out, analysis)
    core_path, core = write_core_targets(out, network.graph, ctx.section(HubsConfig))
    written.append(core_path)
    top = analysis.hubs.top.get("MCC") or sorted(network.graph.nodes())
    stability = rank_stability(network, top, cfg.stability_cutoffs, cfg.bootstrap, cfg.bootstrap_seed,
                               ctx.section(HubsConfig).top_n)
    written.append(write_table(out / files.RANK_STABILITY, stability))
    if network.ppi_enrichment is not None:
        written.append(write_table(out / files.PPI_ENRICHMENT, pd.DataFrame([network.ppi_enrichment])))
    missing = _missing(network)
    findings = _findings(network, analysis, cfg.source, core)
    status: Status = "partial" if missing and (network.coverage.uncovered_targets or network.coverage.counts()["unknown"]) else "ok"
    reason = "network built on partial STRING data (see missing)" if status == "partial" else ""
    return StageOutcome("network", status, reason, missing, [str(f.relative_to(ctx.run_dir)) for f in written], findings)


def _findings(network: Network, analysis: NetworkAnalysis | None, source: str,
              core: CoreTargets | None = None) -> NetworkFindings:
    """The typed findings (``docs/run-directory.md``, ``network/``) from the built network and its analysis.

    ``analysis`` is ``None`` when no edge survives the cut-off: degrees are 0 and no hub is ranked.
    """
    if analysis is not None:
        nodes = analysis.nodes
        degree = {str(k): int(v) for k, v in zip(nodes["name"], nodes["Degree"])}
        numeric = [c for c in nodes.columns
                   if c not in ("name", "string_id") and pd.api.types.is_numeric_dtype(nodes[c])]
        metrics = {c: {str(n): float(v) for n, v in zip(nodes["name"], nodes[c])} for c in numeric}
        hubs = analysis.hubs
        ranks = {m: {str(n): int(r) for n, r in rk.items()} for m, rk in hubs.ranks.items()}
        top = {m: tuple(t) for m, t in hubs.top.items()}
        tie, parameters = bool(hubs.tie_at_boundary.get("MCC", False)), dict(hubs.parameters)
        modules = tuple(ModuleFinding(c.rank, float(c.score), str(c.seed), tuple(map(str, c.nodes)), int(c.edges))
                        for c in analysis.modules.clusters)
        module_parameters = dict(analysis.module_parameters)
    else:
        degree, metrics, ranks, top, tie, parameters = {str(n): 0 for n in sorted(network.graph)}, {}, {}, {}, False, {}
        modules, module_parameters = (), {}
    max_degree = max(degree.values(), default=0)
    ppi = PpiEnrichment.from_response(network.ppi_enrichment) if network.ppi_enrichment else None
    return NetworkFindings(
        nodes=network.graph.number_of_nodes(), edges=network.graph.number_of_edges(),
        targets=tuple(network.targets), covered_targets=tuple(network.coverage.covered_targets),
        uncovered_targets=tuple(network.coverage.uncovered_targets),
        pair_counts={str(k): int(v) for k, v in network.coverage.counts().items()},
        unknown_pairs=network.coverage.counts()["unknown"], degree=degree, node_metrics=metrics,
        most_connected=tuple(sorted(n for n, d in degree.items() if d == max_degree and d > 0)),
        hub_ranks=ranks, hub_top=top, mcc_ranks=ranks.get("MCC", {}), mcc_top=top.get("MCC", ()),
        mcc_tie_at_boundary=tie,
        ppi_enrichment=ppi, string_version=str(network.string_version), required_score=int(network.required_score),
        source=source, data_sources=tuple(network.sources), hub_parameters=parameters,
        conflicts=tuple({"pair": f"{r.name_a}–{r.name_b}", "status": str(r.status), "conflict": str(r.conflict)}
                        for r in network.coverage.conflicts.itertuples(index=False)),
        symbol_matches=dict(network.symbol_matches), version_rule=network.version_rule,
        partial_columns={k: tuple(v) for k, v in network.partial_columns.items()}, core_targets=core,
        modules=modules, module_parameters=module_parameters,
        query_isolated=tuple(sorted(set(map(str, _query_rows(network, (files.ISOLATED, files.ABSENT_WITH_PARTNER))
                                            ["protein"])))),
        query_disagreements=_query_disagreements(network), reference_sources=tuple(network.reference_sources))

"""The workflow's network stage: STRING network → topology → hubs → stability → files."""

from __future__ import annotations

import logging

import pandas as pd

from netpharm.io import write_table
from netpharm.network.analyze import NetworkAnalysis, analyse_graph, write_analysis
from netpharm.network.build import Network, fetch_ppi_enrichment, network_from_api, network_from_imports
from netpharm.network.findings import NetworkFindings, PpiEnrichment
from netpharm.network.stability import rank_stability
from netpharm.sources.string_db import StringClient
from netpharm.stage import RunContext, StageOutcome

__all__ = ["run_network_stage", "build_network"]

log = logging.getLogger(__name__)


def build_network(ctx: RunContext) -> Network:
    """The target network as the workflow asks: STRING's API or recorded imports."""
    cfg = ctx.config.network
    client = StringClient(ctx.cache, ctx.http, cfg.string_host, ctx.config.species, cfg.caller_identity,
                          cfg.required_score, cfg.network_type, cfg.add_nodes)
    if cfg.source == "api":
        network = network_from_api(ctx.targets, client, cfg.required_score, min(cfg.stability_cutoffs, default=None))
    else:
        network = network_from_imports(ctx.targets, cfg.imports, ctx.cache, cfg.required_score)
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
    unknown = len(cov.unknown_pairs)
    if unknown:
        missing.append(f"{unknown} of {len(cov.table)} target pairs are not covered (edge or non-edge unknown); "
                       "listed in network/coverage.tsv")
    return missing


def run_network_stage(ctx: RunContext) -> StageOutcome[NetworkFindings]:
    """Build the network, analyse it and write every network/ file (docs/run-directory.md)."""
    out = ctx.stage_dir("network")
    network = build_network(ctx)
    analysis = analyse_graph(network.graph, ctx.config.hubs, network.multiplicity)
    files = write_analysis(out, analysis)
    files.append(write_table(out / "edges.tsv", network.edges[network.edges["score"] >=
                                                                network.required_score / 1000.0 - 1e-9]))
    files.append(write_table(out / "coverage.tsv", network.coverage.table))
    cfg = ctx.config.network
    top = analysis.hubs.top.get("MCC") or sorted(network.graph.nodes())
    stability = rank_stability(network, top, cfg.stability_cutoffs, cfg.bootstrap, cfg.bootstrap_seed,
                               ctx.config.hubs.top_n)
    files.append(write_table(out / "rank_stability.tsv", stability))
    if network.ppi_enrichment is not None:
        files.append(write_table(out / "ppi_enrichment.tsv", pd.DataFrame([network.ppi_enrichment])))
    missing = _missing(network)
    findings = _findings(network, analysis, cfg.source)
    status = "partial" if missing and (network.coverage.uncovered_targets or len(network.coverage.unknown_pairs)) else "ok"
    reason = "network built on partial STRING data (see missing)" if status == "partial" else ""
    return StageOutcome("network", status, reason, missing, [str(f.relative_to(ctx.run_dir)) for f in files], findings)


def _findings(network: Network, analysis: NetworkAnalysis, source: str) -> NetworkFindings:
    """The typed findings (``docs/run-directory.md``, ``network/``) from the built network and its analysis."""
    nodes = analysis.nodes
    degree = {str(k): int(v) for k, v in zip(nodes["name"], nodes["Degree"])}
    max_degree = max(degree.values(), default=0)
    numeric = [c for c in nodes.columns if c not in ("name", "string_id") and pd.api.types.is_numeric_dtype(nodes[c])]
    metrics = {c: {str(n): float(v) for n, v in zip(nodes["name"], nodes[c])} for c in numeric}
    hubs = analysis.hubs
    ranks = {m: {str(n): int(r) for n, r in rk.items()} for m, rk in hubs.ranks.items()}
    ppi = PpiEnrichment.from_response(network.ppi_enrichment) if network.ppi_enrichment else None
    return NetworkFindings(
        nodes=network.graph.number_of_nodes(), edges=network.graph.number_of_edges(),
        targets=tuple(network.targets), covered_targets=tuple(network.coverage.covered_targets),
        uncovered_targets=tuple(network.coverage.uncovered_targets),
        pair_counts={str(k): int(v) for k, v in network.coverage.counts().items()},
        unknown_pairs=len(network.coverage.unknown_pairs), degree=degree, node_metrics=metrics,
        most_connected=tuple(sorted(n for n, d in degree.items() if d == max_degree)),
        hub_ranks=ranks, hub_top={m: tuple(t) for m, t in hubs.top.items()},
        mcc_ranks=ranks.get("MCC", {}), mcc_top=tuple(hubs.top.get("MCC", [])),
        mcc_tie_at_boundary=bool(hubs.tie_at_boundary.get("MCC", False)),
        ppi_enrichment=ppi, string_version=str(network.string_version), required_score=int(network.required_score),
        source=source, data_sources=tuple(network.sources), hub_parameters=dict(hubs.parameters))

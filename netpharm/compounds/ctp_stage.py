"""The ``ct_pathway`` step: the compound–target–pathway network, after enrichment.

Why a step of its own, registered after enrichment (``netpharm.compounds.CTP_STAGE``): the compounds stage runs
first (its intersection gives the workflow's targets), enrichment needs those targets, and the C–T–P network needs
both. Re-running the compounds stage after enrichment, or making the enrichment stage draw compounds, would blur
what each stage owns; a later step that the compounds package owns keeps the compound network's code, findings,
claim (``ct_degree`` with ``side = "pathway"``) and file names in one package. It reads no other stage: the workflow
(:func:`netpharm.registry.expand_config`) hands it the compounds' targets and the chosen terms as
``[compounds] pathway_network`` — as it builds ``[docking.matrix]`` before docking — so imports still flow one way
and ``--resume`` rebuilds it exactly when the compounds or the chosen terms change.
"""

from __future__ import annotations

import dataclasses
import logging
from pathlib import Path

import networkx as nx
import pandas as pd

from netpharm.compounds import files
from netpharm.compounds.config import CompoundsConfig, PathwayInput
from netpharm.compounds.ct_findings import CTNetwork, CTPathwayFindings
from netpharm.compounds.ctnetwork import (
    annotate,
    build_ct_graph,
    node_rows,
    summarise,
    write_ct_figure,
    write_graphml,
    write_sif,
)
from netpharm.io import write_table
from netpharm.stage import RunContext, StageOutcome

__all__ = ["run_ct_pathway_stage", "build_ct_pathway"]

log = logging.getLogger(__name__)


def build_ct_pathway(inp: PathwayInput, targets: list[str]) -> tuple[CTPathwayFindings, nx.Graph, list[str]] | str:
    """The C–T–P network of ``inp`` on the workflow's ``targets``: (findings without figure, graph, missing notes),
    or the reason there is none."""
    wanted = set(targets)
    pairs = [(c.compound, t) for c in inp.compounds for t in c.targets if t in wanted]
    if not pairs:
        return f"no compound → target pair reaches the workflow's {len(wanted)} targets"
    shell = CTPathwayFindings(CTNetwork(0, 0, 0, 0, 0, 0, ()), inp.terms, inp.enrichment, inp.category,
                              inp.fdr_threshold, len(wanted), (), inp.notes, "")
    names = {t.term: shell.node_name(t) for t in inp.terms}
    graph = build_ct_graph(pairs, {names[t.term]: t.genes for t in inp.terms})
    network = summarise(graph)
    annotate(graph, network)
    by_name = {t_name: t for t_name, t in ((names[t.term], t) for t in inp.terms)}
    for _, data in graph.nodes(data=True):
        if data["side"] == "pathway":
            data.update(term=by_name[data["name"]].term, fdr=by_name[data["name"]].fdr)
    in_network = {n.name for n in network.side_nodes("target")}
    missing = []
    dropped = [t.term for t in inp.terms if not set(t.genes) & in_network]
    if dropped:
        missing.append(f"{len(dropped)} chosen term(s) hold no target of a compound and are not drawn: "
                       + ", ".join(dropped))
    outside = sorted({g for t in inp.terms for g in t.genes} - in_network)
    if outside:
        missing.append(f"{len(outside)} member gene(s) of the chosen terms are targets of no compound (not drawn): "
                       + ", ".join(outside[:20]) + (" …" if len(outside) > 20 else ""))
    left_out = tuple(c.compound for c in inp.compounds if not set(c.targets) & wanted)
    findings = CTPathwayFindings(network, inp.terms, inp.enrichment, inp.category, inp.fdr_threshold, len(wanted),
                                 left_out, inp.notes, "")
    return findings, graph, missing


def _node_table(f: CTPathwayFindings) -> pd.DataFrame:
    terms = {f.node_name(t): t for t in f.terms}
    rows: list[dict[str, str | int | float]] = [dict(row) for row in node_rows(f.network)]
    for row in rows:
        term = terms.get(str(row["name"])) if row["side"] == "pathway" else None
        row["term"], row["fdr"] = (term.term, term.fdr) if term is not None else ("", "")
    return pd.DataFrame(rows)


def _term_table(f: CTPathwayFindings) -> pd.DataFrame:
    degree = {n.name: n.degree for n in f.network.side_nodes("pathway")}
    rows = [{"rank": i, "term": t.term, "name": t.name, "fdr": t.fdr, "n_targets": degree.get(f.node_name(t), 0),
             "targets": ",".join(t.genes)} for i, t in enumerate(f.terms, start=1)]
    return pd.DataFrame(rows, columns=list(files.CTP_TERM_COLUMNS))


def run_ct_pathway_stage(ctx: RunContext[None]) -> StageOutcome[CTPathwayFindings]:
    """Build and write the compound–target–pathway network (``ct_pathway/``).

    Returns
    -------
    StageOutcome[CTPathwayFindings]
        ``not_run`` without compound tables (nothing asked), with ``pathway_terms = 0``, or when the enrichment
        gave no term (the reason and ``missing`` say why: enrichment not run, no STRING answer, no term below
        the FDR threshold ...).
    """
    cfg = ctx.section(CompoundsConfig)
    name = files.CTP_STAGE
    if not cfg.active:
        return StageOutcome(name, "not_run", files.NOT_ASKED)
    if cfg.pathway_terms == 0:
        return StageOutcome(name, "not_run", files.CTP_OFF)
    inp = cfg.pathway_network
    if not inp.built:
        return StageOutcome(name, "not_run", "no enrichment terms handed to this step (it runs within `netpharm run`, "
                                             "after the compounds and enrichment stages)")
    if not inp.terms:
        why = inp.notes[0] if inp.notes else "no enrichment term chosen"
        return StageOutcome(name, "not_run", f"compound–target–pathway network not built: {why}", list(inp.notes))
    built = build_ct_pathway(inp, list(ctx.targets))
    if isinstance(built, str):
        return StageOutcome(name, "not_run", f"compound–target–pathway network not built: {built}", [built])
    findings, graph, missing = built
    out = ctx.stage_dir()
    written: list[Path] = [write_table(out / files.CTP_NODES, _node_table(findings)),
                           write_table(out / files.CTP_TERMS, _term_table(findings)),
                           write_graphml(out / files.CTP_GRAPHML, graph),
                           write_sif(out / files.CTP_SIF, graph)]
    title = f"Compound–target–pathway network ({findings.category}, {findings.enrichment})"
    figure = write_ct_figure(graph, findings.network, out / files.CTP_FIGURE, title)
    written += figure
    net = findings.network
    log.info("compound–target–pathway network: %d compounds, %d targets, %d %s terms", net.compounds, net.targets,
             net.pathways, findings.category)
    # Compounds that hit none of the workflow's targets are not a gap (the paper's network leaves them out too):
    # they are in the findings and the report's block, not in "What is missing".
    findings = dataclasses.replace(findings, figure=str(figure[0].relative_to(ctx.run_dir)))
    return StageOutcome(name, "ok", "", missing, sorted(str(p.relative_to(ctx.run_dir)) for p in written), findings)

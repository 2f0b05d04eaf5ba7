"""One function per subcommand: build inputs from the parsed flags, call the library, print."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from netpharm.errors import InputError, NetworkError, OutputExistsError, ReportError

if TYPE_CHECKING:
    import networkx as nx

# Every library import is inside the command that needs it: `netpharm --help` and `--version`
# load no numerical stack (tests/test_cli.py checks sys.modules).

__all__ = ["cmd_init", "cmd_run", "cmd_network", "cmd_hubs", "cmd_import", "cmd_cache", "cmd_report", "cmd_nmda"]


def _cache_dir(args: argparse.Namespace) -> Path:
    return args.cache if getattr(args, "cache", None) else Path("cache")


def _graph_from_file(path: Path, required_score: int) -> tuple[nx.Graph, dict[tuple[str, str], int], list[str]]:
    import networkx as nx

    from netpharm.io import read_text_file
    from netpharm.network.string_tsv import parse_string_table, score_mask

    # The parsed columns, not the DataFrame: this path never imports pandas (0.15 s of the
    # command, which is timed against igraph: ``benchmarks/network_igraph.py``).
    parsed = parse_string_table(read_text_file(path, "edge file"), origin=str(path))
    columns = parsed.columns
    keep = score_mask(columns["score"], required_score).tolist()
    graph = nx.Graph()
    graph.add_nodes_from(parsed.nodes)
    graph.add_edges_from((a, b, {"score": s}) for a, b, s, k in
                         zip(columns["name_a"], columns["name_b"], columns["score"].tolist(), keep) if k)
    if graph.number_of_edges() == 0:
        # Every node would tie at rank 1; an empty ranking is an answer nobody asked for.
        raise NetworkError(f"{path}: no interaction scores ≥ {required_score / 1000} (highest "
                           f"{float(columns['score'].max())}); nothing to rank — lower --score")
    # Cytoscape creates nodes in the order the file names them; MCODE breaks its ties by that order.
    return graph, parsed.multiplicity, parsed.first_seen


def _refuse_existing(out: Path, names: list[str] | tuple[str, ...], force: bool) -> None:
    if out.exists() and not out.is_dir():
        raise OutputExistsError(f"--out {out} is an existing file, not a folder")
    existing = [n for n in names if (out / n).exists()]
    if existing and not force:
        raise OutputExistsError(f"{out} already holds {', '.join(existing)}; use --force to overwrite")


def cmd_init(args: argparse.Namespace) -> int:
    from netpharm.errors import InputError
    from netpharm.init import init_compounds_workflow, init_workflow

    if args.compound_targets or args.disease_targets:
        if args.targets or args.ligand or args.receptor:
            raise InputError("--compound-targets/--disease-targets write the compounds recipe, whose targets are "
                             "the common targets: drop --targets (and --ligand/--receptor)")
        result = init_compounds_workflow(args.dir, args.compound_targets, args.disease_targets, args.species)
        print(f"wrote {result.workflow} ({len(result.targets)} common targets)")
        print(f"next:  netpharm run {result.workflow}")
        return 0
    if args.targets is None:
        raise InputError("netpharm init needs --targets FILE, or --compound-targets FILE and --disease-targets FILE")
    result = init_workflow(args.dir, args.targets, args.species, args.ligand, args.receptor)
    print(f"wrote {result.workflow} ({len(result.targets)} targets) and {result.targets_file}")
    print(f"next:  netpharm run {result.workflow}")
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    from netpharm.registry import load_workflow
    from netpharm.workflow import run_workflow

    overrides: dict[str, Any] = {}
    if args.offline:
        overrides["offline"] = True
    if args.targets:
        # The flag wins over the file's targets and over an inline target_list.
        overrides["targets"] = str(Path(args.targets).resolve())
        overrides["target_list"] = []
    if args.score is not None:
        overrides["network"] = {"required_score": args.score}
    if args.cache:
        overrides["cache_dir"] = str(Path(args.cache).resolve())
    config = load_workflow(args.workflow, overrides)
    stages = [s.strip() for s in args.stages.split(",")] if args.stages else None
    refresh = [w for w in (args.refresh or "").split(",") if w.strip()]
    if "docking" in (stages or config.stages):
        from netpharm.docking.preflight import check_docking_inputs

        check_docking_inputs(config.docking, config.resolve)  # before the run folder exists
    result = run_workflow(config, args.out, force=args.force, resume=args.resume, stages=stages, refresh=refresh)
    print_outcomes(result)
    return 1 if result.failed else 0


def print_outcomes(result: Any) -> None:
    """One line per stage, its gaps, and where the results and report are."""
    for name, outcome in result.outcomes.items():
        line = f"{name:<11} {outcome.status:<8} {outcome.reason}"
        print(line.rstrip())
        for gap in outcome.missing:
            print(f"{'':<11} missing: {gap}")
    print(f"results: {result.run_dir}")
    report = result.run_dir / "report" / "report.html"
    if report.exists():
        print(f"report:  {report}")


def cmd_network(args: argparse.Namespace) -> int:
    from netpharm.hubs.config import HubsConfig
    from netpharm.io import make_dir
    from netpharm.network.analyse import analyse_graph, write_analysis
    from netpharm.network.files import ANALYSIS_FILES

    hubs = HubsConfig(top_n=args.top, epc_seed=args.epc_seed, epc_runs=args.epc_runs)  # bad values: before any write
    _refuse_existing(args.out, ANALYSIS_FILES, args.force)
    graph, multiplicity, first_seen = _graph_from_file(args.edges, args.score)
    make_dir(args.out)
    analysis = analyse_graph(graph, hubs, multiplicity, node_order=first_seen)
    for path in write_analysis(args.out, analysis):
        print(path)
    return 0


def cmd_hubs(args: argparse.Namespace) -> int:
    from netpharm.hubs.config import HubsConfig
    from netpharm.hubs.rank import rank_hubs

    methods = tuple(args.method or ["MCC"])
    graph, _, _ = _graph_from_file(args.edges, args.score)
    config = HubsConfig(methods=methods, top_n=args.top)
    ranking = rank_hubs(graph, config)
    table = ranking.top_table()
    table.to_csv(sys.stdout, sep="\t", index=False)
    for method in methods:
        if ranking.tie_at_boundary[method]:
            print(f"# {method}: a tie crosses rank {args.top}; all tied nodes are listed", file=sys.stderr)
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from netpharm.network.build import record_import
    from netpharm.sources.cache import Cache

    cache = Cache(_cache_dir(args))
    origin = {k: v for k, v in (("repo", args.source_repo), ("path", args.source_path),
                                ("commit", args.source_commit)) if v}
    if getattr(args, "kind", "network") == "enrichment":
        from netpharm.enrichment.imports import record_enrichment_import

        note = "; ".join([args.note] * bool(args.note) + [f"{k} {v}" for k, v in origin.items()])
        entry = record_enrichment_import(args.file, cache, args.label, args.string_version, note, args.force,
                                         args.category)
        meta = entry.meta
        print(f"imported {args.file} as STRING enrichment {args.label!r}: {meta['rows']} terms in "
              f"{len(meta['categories'])} categories ({meta['format']}, sha256 {entry.sha256[:12]}...)")
        if meta["absent_columns"]:
            print(f"note: this format has no {', '.join(meta['absent_columns'])} column(s); left empty")
        return 0
    real = args.real_columns.split(",") if args.real_columns else None
    query = None
    if getattr(args, "query", None) is not None:
        from netpharm.targets import read_targets

        query = read_targets(args.query)
    entry = record_import(args.file, cache, args.label, args.cutoff, args.string_version, args.note, args.force,
                          real_columns=real, complete_listing=not args.partial_listing, species=args.species,
                          origin=origin, query=query, query_file=args.query.name if query is not None else "")
    meta = entry.meta
    print(f"imported {args.file} as {args.label!r}: {meta['pairs']} pairs among {meta['proteins']} proteins "
          f"({meta['format']}, min score {meta['min_score']}, sha256 {entry.sha256[:12]}...)")
    if query is not None:
        print(f"declared query: {len(query)} proteins from {args.query}")
    return 0


def cmd_cache(args: argparse.Namespace) -> int:
    from netpharm.sources.cache import Cache

    cache = Cache(_cache_dir(args))  # a file there: "is a file, not a folder"
    if not cache.root.is_dir():  # listing or verifying nothing would read as "all fine"
        raise InputError(f"cache folder not found: {cache.root} (give --cache DIR)")
    if args.action == "list":
        rows = cache.list_entries()
        for row in rows:
            where = row.get("url") or row.get("file")
            print(f"{row['key'][:12]}  {row.get('source', ''):<7} {row.get('retrieved_at', ''):<25} {where}")
        if not rows:  # say so: no output at all reads like a wrong folder or a failure
            print(f"no entries in the cache at {cache.root}")
        return 0
    problems = cache.verify()
    count = cache.count()
    bad_entries = {key for key, _ in problems if len(key) == 64}
    derived = [key for key, _ in problems if key.startswith("derived/")]
    strays = len(problems) - len(bad_entries) - len(derived)
    for key, problem in problems:
        print(f"CORRUPT {key}: {problem}")
    print(f"{count - len(bad_entries)} of {count} entries verified"
          + (f"; {strays} stray file(s)" if strays else "")
          + (f"; {len(derived)} corrupt derived file(s)" if derived else ""))
    return 1 if problems else 0


def cmd_report(args: argparse.Namespace) -> int:
    from netpharm.report.build import write_report
    from netpharm.runrecord import looks_like_run_dir

    if args.run_dir.exists() and not args.run_dir.is_dir():
        raise ReportError(f"{args.run_dir} is a file, not a run directory (give the folder `netpharm run` wrote)")
    if not args.run_dir.is_dir():
        raise ReportError(f"run directory not found: {args.run_dir}")
    if not looks_like_run_dir(args.run_dir):
        raise ReportError(f"{args.run_dir} is not a netpharm run directory (no netpharm-run.json, manifest.json "
                          "or stage summary); refusing to write a report into it")
    print(write_report(args.run_dir))
    return 0


def cmd_nmda(args: argparse.Namespace) -> int:
    from netpharm.nmda.pore_outputs import write_pore_outputs
    from netpharm.nmda.stage import analyse_source
    from netpharm.sources.cache import Cache
    from netpharm.sources.http import HttpClient

    if args.out.exists() and any(args.out.iterdir()) and not args.force:
        raise OutputExistsError(f"{args.out} is not empty; use --force to overwrite")
    cache = Cache(_cache_dir(args), offline=args.offline)
    analysis = analyse_source(args.structure, cache, HttpClient(min_interval=0.2))
    for path in write_pore_outputs(analysis, args.out):
        print(path)
    return 0

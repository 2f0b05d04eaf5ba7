"""The ``netpharm`` command: parses arguments and calls the library, nothing more.

Every :class:`~netpharm.errors.NetpharmError` becomes a one-line message and exit code 2.
"""

from __future__ import annotations

import argparse
import logging
import multiprocessing
import os
import signal
import sys
from collections.abc import Sequence
from pathlib import Path

from netpharm import __version__
from netpharm.cli import commands
from netpharm.cli.dock import add_dock_parsers
from netpharm.errors import NetpharmError

__all__ = ["main", "build_parser", "score_arg"]

SCORE_HELP = "STRING required_score 0-1000 (a 0-1 combined score such as 0.4 is also accepted)"

EPILOG = """\
examples:
  netpharm init mystudy --targets genes.txt                       a commented workflow for a new target list
  netpharm init herb --compound-targets swiss.csv --disease-targets genecards.csv  the compounds recipe
  netpharm init rat --targets genes.txt --species 10116 --receptor 8EF6 --ligand morphine
  netpharm run workflows/microdiscectomy-offline.toml            offline, from the shipped cache/
  netpharm run workflows/microdiscectomy.toml --out results/x    the paper's workflow (STRING online, cached)
  netpharm network string_interactions.tsv --out net/ --score 400
  netpharm import string_interactions.tsv --label my-export --cutoff 0.4 --string-version 12.0
  netpharm import api.tsv --label b --cutoff 0.4 --string-version 12.0 --real-columns node1,node2,combined_score
  netpharm import string_interactions.tsv --label study --cutoff 0.7 --query targets.txt
  netpharm import enrichment.all.tsv --kind enrichment --label my-enrichment --string-version 12.0
  netpharm dock --receptor 6VI4 --receptor my.pdb --ligand morphine --ligand 'CCN(CC)C ligand2' \
                --box-residues D3.32 --runs 4 --evals 250000 --out results/campaign
  netpharm results results/campaign --top 3 --max-energy -7
  netpharm cache verify
  netpharm report results/microdiscectomy-offline
"""


def score_arg(text: str) -> int:
    """``--score``: STRING's ``required_score`` 0–1000 (the workflow's convention, e.g. 400).

    A value ≤ 1 is read as STRING's 0–1 combined score (e.g. 0.4, what exports print) and converted,
    with a note on stderr, so both conventions work and the one used is never ambiguous.
    """
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number (STRING required_score 0-1000, e.g. 400)") \
            from None
    if value < 0 or value > 1000:
        raise argparse.ArgumentTypeError(f"{text} is outside 0-1000 (STRING required_score, e.g. 400)")
    if value <= 1.0 and text.strip() not in ("0", "1"):
        converted = int(round(value * 1000))
        print(f"netpharm: note: --score {text} read as STRING's 0-1 combined score = required_score {converted}",
              file=sys.stderr)
        return converted
    if not value.is_integer():
        raise argparse.ArgumentTypeError(f"{text}: required_score is an integer 0-1000 (or a 0-1 score like 0.4)")
    return int(value)


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser that names the registry's stages in help texts only when help is shown.

    Help texts may hold ``{stages}`` (``a, b``) and ``{stages_csv}`` (``a,b``). Importing
    :mod:`netpharm.registry` loads every stage's configuration classes (~40 ms), which commands
    such as ``netpharm network`` never need (its whole process is timed against igraph's: ``benchmarks/network_igraph.py``).
    """

    def format_help(self) -> str:
        from netpharm.registry import STAGE_NAMES

        def fill(text: str | None) -> str | None:
            if text is None:
                return None
            return text.replace("{stages}", ", ".join(STAGE_NAMES)).replace("{stages_csv}", ",".join(STAGE_NAMES))

        self.description = fill(self.description)
        for action in self._actions:
            action.help = fill(action.help)
        return super().format_help()


def _add_common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--cache", type=Path, default=None, metavar="DIR",
                        help="cache folder (default: the workflow's cache_dir, else ./cache)")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="netpharm", formatter_class=argparse.RawDescriptionHelpFormatter, epilog=EPILOG,
        description="Reproducible network pharmacology: STRING v12 network, Cytoscape NetworkAnalyzer "
                    "topology, cytoHubba hub ranking, GO/Reactome enrichment, AutoDock 4.2.6 docking, "
                    "NMDA-pore Mg2+ geometry, and an HTML report with a replication verdict.")
    parser.add_argument("--version", action="version", version=f"netpharm {__version__}")
    _add_log_flags(parser, 0, False)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    init = sub.add_parser(
        "init", help="write a commented workflow (and a copy of the targets) for a new study",
        description="Write DIR/workflow.toml, commented and ready for `netpharm run`, and DIR/targets.txt (a "
                    "verbatim copy of --targets, validated). Stages: network, enrichment (human only), docking "
                    "(when --receptor is given), report; an example [[claims]] block is written commented out. "
                    "With --compound-targets and --disease-targets instead of --targets: the compounds recipe "
                    "(stages compounds, network, enrichment, ct_pathway, report; the files are referenced where they are, "
                    "their server formats detected, and the targets are their common targets). "
                    "Existing files are never overwritten.")
    init.add_argument("dir", type=Path, metavar="DIR", help="folder to write (created; its name names the run)")
    init.add_argument("--targets", type=Path, metavar="FILE",
                      help="target list: one gene symbol per line, # comments (or the compounds recipe below)")
    init.add_argument("--compound-targets", type=Path, action="append", default=[], metavar="FILE",
                      help="compound -> target file (SwissTargetPrediction, TCMSP, HERB export or a plain table; "
                           "format detected); repeatable. With --disease-targets: the compounds recipe, whose "
                           "targets are the common targets")
    init.add_argument("--disease-targets", type=Path, action="append", default=[], metavar="FILE",
                      help="disease gene file (GeneCards, DisGeNET export or a plain list); repeatable")
    init.add_argument("--species", type=int, default=9606, metavar="N",
                      help="NCBI taxon id STRING is asked for (default 9606, human; e.g. 10116 rat)")
    init.add_argument("--ligand", action="append", default=[], metavar="SMILES_OR_NAME",
                      help="ligand to dock: a SMILES, an .sdf/.mol file or a built-in name (morphine, imatinib); "
                           "repeatable (default with --receptor: morphine)")
    init.add_argument("--receptor", action="append", default=[], metavar="PDB_OR_FILE",
                      help="receptor to dock into: a PDB id (e.g. 8EF6, fetched and cached) or a .pdb/.cif file; "
                           "repeatable; one docking system per receptor x ligand")
    init.set_defaults(func=commands.cmd_init)

    run = sub.add_parser("run", help="run a workflow (all stages, or --stages)",
                         description="Run a workflow TOML: {stages}. "
                                     "Values: defaults < workflow file < these flags.")
    run.add_argument("workflow", type=Path, help="workflow TOML file (see workflows/)")
    run.add_argument("--out", type=Path, help="run directory (default: results/<workflow name>)")
    run.add_argument("--offline", action="store_true", default=None,
                     help="never touch the network; every request must be in the cache")
    run.add_argument("--targets", help="target list file (overrides the workflow's)")
    run.add_argument("--score", type=score_arg, metavar="N", help=SCORE_HELP + " (overrides the workflow)")
    run.add_argument("--stages", help="comma-separated subset of the stages ({stages_csv}), "
                                      "e.g. network,report")
    run.add_argument("--resume", action="store_true", help="continue a run, skipping finished unchanged stages")
    run.add_argument("--force", action="store_true", help="replace an existing run directory")
    run.add_argument("--refresh", nargs="?", const="corrupt", metavar="WHAT",
                     help="fetch cache entries again: 'corrupt' (default: corrupt or malformed entries), 'all', "
                          "a source (string, rcsb, pubchem) or a key prefix; comma-separated")
    _add_common(run)
    run.set_defaults(func=commands.cmd_run)

    net = sub.add_parser("network", help="topology + hubs of a STRING export or API TSV (stable interface)",
                         description="Analyse a STRING web export (full or short) or a STRING API network TSV: "
                                     "writes DIR/nodes.tsv (NetworkAnalyzer columns) and DIR/hubs.tsv "
                                     "(cytoHubba's 12 scores and ranks), plus summary, GraphML and SIF.")
    net.add_argument("edges", type=Path, help="STRING export / API network TSV")
    net.add_argument("--out", type=Path, required=True, help="output directory")
    net.add_argument("--score", type=score_arg, default=400, metavar="N", help=SCORE_HELP + " (default 400)")
    net.add_argument("--offline", action="store_true", help="accepted for symmetry: this command never goes online")
    net.add_argument("--top", type=int, default=10, help="top-N per method (ties at the boundary included)")
    net.add_argument("--epc-seed", type=int, default=12345, help="seed of EPC's Monte-Carlo (recorded)")
    net.add_argument("--epc-runs", type=int, default=0, metavar="N",
                     help="reduced networks EPC averages over (default 0 = automatic: 20000, the expectation "
                          "cytoHubba's 1000-run numbers scatter around, fewer above 1000 edges, never under "
                          "1000; 1000 = cytoHubba's own precision; recorded)")
    net.add_argument("--force", action="store_true", help="overwrite existing outputs in --out")
    net.set_defaults(func=commands.cmd_network)

    hubs = sub.add_parser("hubs", help="print the top-N hubs of a STRING export by one or more methods")
    hubs.add_argument("edges", type=Path, help="STRING export / API network TSV")
    hubs.add_argument("--method", action="append", help="cytoHubba method (repeatable; default MCC)")
    hubs.add_argument("--score", type=score_arg, default=400, metavar="N", help=SCORE_HELP + " (default 400)")
    hubs.add_argument("--top", type=int, default=10, help="top-N (ties at the boundary included)")
    hubs.set_defaults(func=commands.cmd_hubs)

    imp = sub.add_parser("import", help="record a STRING export in the cache with its provenance",
                         description="Validate a STRING network export / API TSV (--kind network, use it with "
                                     "network.source='import') or a STRING enrichment table (--kind enrichment: "
                                     "API TSV/JSON, the web page's enrichment.<Category>.tsv / enrichment.all.tsv, "
                                     "a Cytoscape stringApp enrichment table; use it with enrichment.string_imports) "
                                     "and store it verbatim in the cache under LABEL.")
    imp.add_argument("file", type=Path)
    imp.add_argument("--label", required=True, help="name the workflow refers to (network.imports or "
                                                     "enrichment.string_imports)")
    imp.add_argument("--kind", choices=["network", "enrichment"], default="network",
                     help="what the file holds (default: network)")
    imp.add_argument("--category", help="enrichment only: STRING category of a per-category web export whose "
                                         "file name is not enrichment.<Category>.tsv (e.g. Process, RCTM)")
    imp.add_argument("--cutoff", type=float, help="score cut-off the export was made at (0-1), if known")
    imp.add_argument("--string-version", help="STRING version of the export, if known")
    imp.add_argument("--note", default="", help="free-text provenance (repository, commit, date...)")
    imp.add_argument("--species", type=int, help="NCBI taxon id (checked against the file's STRING ids; "
                                                 "needed when the ids are not real)")
    imp.add_argument("--real-columns", help="comma-separated file columns that hold real STRING values, e.g. "
                                            "node1,node2,combined_score (default: all); the others are read "
                                            "as missing, never as scores")
    imp.add_argument("--partial-listing", action="store_true",
                     help="the file stacks several queries: its edges count, a missing pair proves nothing")
    imp.add_argument("--query", type=Path, metavar="FILE",
                     help="the proteins the export was made for (one symbol per line, # comments; e.g. the "
                          "study's target list): a queried protein absent from the export is isolated at its "
                          "cut-off (its pairs are known non-edges), and proteins the list and the export "
                          "disagree on go to network/query_audit.tsv; not with --partial-listing")
    imp.add_argument("--source-repo", help="repository the file comes from (provenance)")
    imp.add_argument("--source-path", help="path of the file in that repository")
    imp.add_argument("--source-commit", help="commit of that repository")
    imp.add_argument("--force", action="store_true", help="replace a different file under the same label")
    _add_common(imp)
    imp.set_defaults(func=commands.cmd_import)

    cache = sub.add_parser("cache", help="list or verify the cache")
    cache.add_argument("action", choices=["list", "verify"])
    _add_common(cache)
    cache.set_defaults(func=commands.cmd_cache)

    add_dock_parsers(sub, _add_common)

    report = sub.add_parser("report", help="(re)build the HTML report of a run directory")
    report.add_argument("run_dir", type=Path)
    report.set_defaults(func=commands.cmd_report)

    nmda = sub.add_parser("nmda", help="Mg2+ / pore geometry of an NMDA receptor structure",
                          description="Analyse an NMDA receptor structure (PDB id through the cache, or a "
                                      "file): subunits, pore axis, Mg2+ sites (observed, or placed where one "
                                      "can sit), radius profile (occluded slices flagged), side chains missing "
                                      "at the N-site, molecules bound in the pore, electrical distance.")
    nmda.add_argument("structure", help="PDB id (e.g. 9IYP; 7EU8 is in the shipped cache) or .cif/.pdb file")
    nmda.add_argument("--out", type=Path, required=True, help="output directory")
    nmda.add_argument("--offline", action="store_true", help="never touch the network")
    nmda.add_argument("--force", action="store_true", help="overwrite existing outputs in --out")
    _add_common(nmda)
    nmda.set_defaults(func=commands.cmd_nmda)
    for command in sub.choices.values():  # -v/-q also after the command (`netpharm run -q ...`)
        _add_log_flags(command, argparse.SUPPRESS, argparse.SUPPRESS)
    return parser


def _add_log_flags(parser: argparse.ArgumentParser, verbose: object, quiet: object) -> None:
    """``-v``/``-q``; a subcommand's defaults are SUPPRESS so that it keeps what was given before the command."""
    parser.add_argument("-v", "--verbose", action="count", default=verbose, help="more log output (-vv: debug)")
    parser.add_argument("-q", "--quiet", action="store_true", default=quiet, help="only warnings and errors")


def _setup_logging(verbose: int, quiet: bool) -> None:
    level = logging.WARNING if quiet else (logging.DEBUG if verbose > 1 else logging.INFO)
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s",
                        datefmt="%H:%M:%S", stream=sys.stderr)
    for noisy in ("numba", "matplotlib", "urllib3", "PIL"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    # Libraries' warnings (DeprecationWarning, UserWarning from MDAnalysis, ProLIF, RDKit wrappers ...) say
    # nothing about the user's run: they go to the log at DEBUG (shown with -vv), never raw to the terminal.
    # Worker processes are forked from here and inherit both.
    logging.captureWarnings(True)
    logging.getLogger("py.warnings").addFilter(_WarningsAtDebug())


class _WarningsAtDebug(logging.Filter):
    """Demote a captured Python warning to DEBUG (dropped unless the root logger shows DEBUG)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.levelno, record.levelname = logging.DEBUG, "DEBUG"
        return logging.getLogger().isEnabledFor(logging.DEBUG)


_TERMINATED: list[int] = []


def _terminated(signum: int, frame: object) -> None:
    """SIGTERM (``timeout``, batch schedulers) stops a run like Ctrl-C: the worker processes get SIGINT (each
    kills its docking program's session), the run unwinds, finished outputs stay for ``--resume``."""
    _TERMINATED.append(signum)
    for child in multiprocessing.active_children():
        try:
            if child.pid is not None:
                os.kill(child.pid, signal.SIGINT)
        except ProcessLookupError:
            pass
    raise KeyboardInterrupt


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    _setup_logging(args.verbose, args.quiet)
    signal.signal(signal.SIGTERM, _terminated)
    try:
        return int(args.func(args) or 0)
    except NetpharmError as exc:
        for line in str(exc).splitlines() or [""]:  # several problems: one line each
            print(f"netpharm: error: {line}", file=sys.stderr)
        if args.verbose > 1:
            raise
        return 2
    except OSError as exc:  # a file system failure outside netpharm.io (e.g. printing to a closed pipe)
        reason = (exc.strerror or str(exc)).lower()
        where = f"cannot access {exc.filename}: " if exc.filename else ""
        print(f"netpharm: error: {where}{reason}", file=sys.stderr)
        if args.verbose > 1:
            raise
        return 2
    except KeyboardInterrupt:
        print("netpharm: interrupted; finished outputs are kept (rerun with --resume)", file=sys.stderr)
        return 143 if _TERMINATED else 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

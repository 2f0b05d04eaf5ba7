"""``netpharm dock`` and ``netpharm results``: docking campaigns without a workflow file.

``dock`` builds a :class:`~netpharm.config.WorkflowConfig` in memory (stages docking +
report) and goes through the same workflow runner as ``netpharm run``: same outputs,
provenance manifest and resume. ``results`` queries the campaign's SQLite database.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import Any

from netpharm.errors import InputError

__all__ = ["add_dock_parsers", "cmd_dock", "cmd_results", "parse_ligand", "receptor_name", "run_chunks"]

_PDB_ID = re.compile(r"[0-9][A-Za-z0-9]{3}")
_INCHIKEY = re.compile(r"[A-Z]{14}-[A-Z]{10}-[A-Z]")

LIGAND_HELP = ("ligand, repeatable: a SMILES, a compound name (PubChem, cached) or an .sdf file (every "
               "molecule is docked); optionally followed by a name and an expected InChIKey, SMILES-file "
               "style: --ligand 'CN1CC[C@]23... morphine BQJCRHHNABKAKU-KBQPJGBKSA-N'")


def receptor_name(source: str) -> str:
    """Folder name of a receptor: the PDB id, else the file stem (plain characters only)."""
    if _PDB_ID.fullmatch(source):
        return source.upper()
    name = Path(source).name
    for suffix in (".gz", ".cif", ".mmcif", ".pdb", ".ent", ".pdbqt"):
        name = name[: -len(suffix)] if name.lower().endswith(suffix) else name
    return re.sub(r"[^A-Za-z0-9_.+-]+", "_", name).strip("._") or "receptor"


def _is_smiles(text: str) -> bool:
    from rdkit import Chem, rdBase

    _quiet = rdBase.BlockLogs()  # noqa: F841 - RDKit's parse errors are expected here; silenced while alive
    return Chem.MolFromSmiles(text) is not None


def parse_ligand(text: str, index: int) -> dict[str, str]:
    """``SOURCE [NAME] [INCHIKEY]`` → a ``[[docking.ligands]]`` table.

    SMILES never contain blanks (Daylight's SMILES-file convention puts the name after
    one), so whitespace separates the fields.
    """
    parts = text.split()
    if not parts or len(parts) > 3:
        raise InputError(f"--ligand {text!r}: expected 'SOURCE [NAME] [INCHIKEY]'")
    source, rest = parts[0], parts[1:]
    key = next((p for p in rest if _INCHIKEY.fullmatch(p)), "")
    names = [p for p in rest if p != key]
    if names:
        name = names[0]
    elif source.lower().endswith((".sdf", ".sd", ".mol")):
        name = Path(source).stem
    elif re.fullmatch(r"[A-Za-z][A-Za-z0-9_-]*", source) and not _is_smiles(source):
        name = source.lower()  # a compound name
    else:
        name = f"ligand{index}"
    if not re.fullmatch(r"[A-Za-z0-9_.+-]+", name) or name.startswith("."):
        raise InputError(f"--ligand {text!r}: name {name!r} must be a plain folder name")
    table = {"name": name, "source": str(Path(source).resolve()) if Path(source).is_file() else source}
    if key:
        table["expected_inchikey"] = key
    return table


def run_chunks(text: str) -> int | str:
    """``--run-chunks`` value: ``auto`` or an integer >= 1 (the workflow's ``[docking] run_chunks``)."""
    if text.strip().lower() == "auto":
        return "auto"
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected 'auto' or an integer >= 1, got {text!r}")
    return value


def _box(args: argparse.Namespace) -> dict[str, Any]:
    given = [b for b in ("box_ligand", "box_residues", "box_center") if getattr(args, b)]
    if len(given) != 1:
        raise InputError("give exactly one box: --box-ligand RESNAME, --box-residues A:147,A:148 (or D3.32, the "
                         "Asp3.32 of an aminergic GPCR) or --box-center X Y Z with --box-size X Y Z")
    if args.box_center:
        if not args.box_size:
            raise InputError("--box-center needs --box-size X Y Z (Å)")
        return {"box_center": list(args.box_center), "box_size": list(args.box_size)}
    if args.box_size:
        raise InputError("--box-size goes with --box-center")
    if args.box_ligand:
        return {"ligand_resname": args.box_ligand, "box_padding": args.box_padding}
    residues = [r.strip() for r in args.box_residues.split(",") if r.strip()]
    if not residues:
        raise InputError(f"--box-residues {args.box_residues!r} names no residue; give e.g. A:147,A:148 or D3.32")
    return {"pocket_residues": residues, "box_padding": args.box_padding}


def _systems(args: argparse.Namespace) -> list[dict[str, Any]]:
    box = _box(args)
    systems, seen = [], set()
    for source in args.receptor:
        path = Path(source)
        ref = source if _PDB_ID.fullmatch(source) and not path.exists() else str(path.resolve())
        if ref != source and path.is_dir():
            raise InputError(f"--receptor {source}: a folder, not a structure file")
        if ref != source and not path.is_file():
            raise InputError(f"--receptor {source}: neither a PDB id nor an existing file")
        name = receptor_name(source)
        if name in seen:
            raise InputError(f"--receptor {source}: a receptor named {name} is already given")
        seen.add(name)
        system: dict[str, Any] = {"name": name, "receptor": ref, **box}
        if args.chain:
            system["chains"] = list(args.chain)
        if args.reference:
            if not Path(args.reference).is_file():
                raise InputError(f"--reference {args.reference}: file not found")
            system["reference"] = str(Path(args.reference).resolve())
        systems.append(system)
    return systems


def dock_config(args: argparse.Namespace) -> Any:
    """The in-memory workflow of a ``netpharm dock`` command line."""
    from netpharm.registry import load_workflow

    docking: dict[str, Any] = {"systems": _systems(args),
                               "ligands": [parse_ligand(t, i) for i, t in enumerate(args.ligand, start=1)],
                               "engine": args.engine, "workers": args.workers}
    for flag, key in (("runs", "ga_runs"), ("evals", "ga_num_evals"), ("exhaustiveness", "vina_exhaustiveness"),
                      ("scheduler", "dask_scheduler"), ("run_chunks", "run_chunks")):
        if getattr(args, flag) is not None:
            docking[key] = getattr(args, flag)
    data: dict[str, Any] = {"name": args.name, "stages": ["docking", "report"], "docking": docking,
                            "offline": bool(args.offline),
                            "cache_dir": str(Path(args.cache or "cache").resolve()),
                            "description": "netpharm dock: " + " ".join(sys.argv[1:]) if sys.argv else ""}
    return load_workflow(None, data)


def cmd_dock(args: argparse.Namespace) -> int:
    from netpharm.cli.commands import print_outcomes
    from netpharm.docking.preflight import check_docking_inputs
    from netpharm.workflow import run_workflow

    config = dock_config(args)
    check_docking_inputs(config.docking, config.resolve)  # before the run folder exists
    result = run_workflow(config, args.out or Path("results") / args.name, force=args.force, resume=args.resume)
    print_outcomes(result)
    from netpharm.docking.files import RESULTS_DB

    print(f"results database: {result.run_dir / 'docking' / RESULTS_DB} (netpharm results {result.run_dir})")
    return 1 if result.failed else 0


def cmd_results(args: argparse.Namespace) -> int:
    from netpharm.docking.results_filter import PoseFilter, filter_poses, write_complexes, write_csv, write_sdf
    from netpharm.docking.resultsdb import DB_NAME, job_summary

    run_dir = Path(args.run_dir)
    if run_dir.is_file() and run_dir.suffix != ".sqlite":
        raise InputError(f"{run_dir} is a file, not a run folder (give the folder a docking run wrote, or its "
                         f"{DB_NAME})")
    path = run_dir if run_dir.suffix == ".sqlite" else run_dir / "docking" / DB_NAME
    flt = PoseFilter(args.top, args.receptor, args.ligand, args.max_energy, args.max_le,
                     tuple(args.interaction or ()), tuple(args.smarts or ()), args.limit, args.order)
    rows = filter_poses(path, flt)
    shown = ("receptor", "ligand", "engine", "rank", "run", "energy", "ligand_efficiency", "cluster",
             "cluster_size", "rmsd", "ki", "ki_unit", "job")
    if args.tsv:
        print("\t".join(shown))
        for row in rows:
            print("\t".join("" if row[c] is None else str(row[c]) for c in shown))
    else:
        cells: list[list[str]] = [list(shown)] + [["" if r[c] is None else str(r[c]) for c in shown] for r in rows]
        widths = [max(len(line[i]) for line in cells) for i in range(len(shown))]
        for line in cells:
            print("  ".join(cell.ljust(w) for cell, w in zip(line, widths)).rstrip())
    base = path.resolve().parent.parent  # the run directory: jobs' folders are relative to it
    if args.csv:
        print(f"# {len(rows)} poses -> {write_csv(rows, args.csv)}", file=sys.stderr)
    if args.sdf:
        sdf, n = write_sdf(rows, base, args.sdf)
        print(f"# {n} poses -> {sdf}", file=sys.stderr)
    if args.pdb_dir:
        print(f"# {len(write_complexes(rows, base, args.pdb_dir))} complexes -> {args.pdb_dir}", file=sys.stderr)
    jobs = job_summary(path)
    unfinished = [j for j in jobs if j["status"] != "done"]
    print(f"# {len(jobs) - len(unfinished)} of {len(jobs)} jobs done", file=sys.stderr)
    for job in unfinished:
        print(f"# {job['id']}: {job['status']}" + (f": {job['error']}" if job["error"] else ""), file=sys.stderr)
    return 0


def add_dock_parsers(sub: Any, common: Any) -> None:
    """Register ``dock`` and ``results`` on the top-level subparsers."""
    dock = sub.add_parser(
        "dock", help="dock ligands into receptors without a workflow file (a campaign)",
        description="Dock every --ligand into every --receptor (AutoDock 4.2.6 and/or Vina), in parallel, "
                    "longest jobs first; every job and pose goes into RUN_DIR/docking/results.sqlite. Same "
                    "outputs, manifest and --resume as `netpharm run`.")
    dock.add_argument("--receptor", action="append", required=True, metavar="PDB_OR_FILE",
                      help="PDB id (through the cache) or structure file; repeatable")
    dock.add_argument("--ligand", action="append", required=True, metavar="'SOURCE [NAME] [INCHIKEY]'",
                      help=LIGAND_HELP)
    dock.add_argument("--box-ligand", metavar="RESNAME", help="box around this co-crystal ligand")
    dock.add_argument("--box-residues", metavar="A:147,A:148", help="box around these residues (D3.32 = Asp3.32)")
    dock.add_argument("--box-center", type=float, nargs=3, metavar=("X", "Y", "Z"), help="box centre (Å)")
    dock.add_argument("--box-size", type=float, nargs=3, metavar=("X", "Y", "Z"), help="box edge lengths (Å)")
    dock.add_argument("--box-padding", type=float, default=8.0, help="Å around the ligand/residues (default 8)")
    dock.add_argument("--chain", action="append", help="receptor chain to keep (repeatable; default: automatic)")
    dock.add_argument("--reference", type=Path, metavar="FILE",
                      help="crystal pose (SDF/PDB): symmetry-corrected RMSD of every pose is stored")
    dock.add_argument("--engine", choices=["autodock4", "vina", "both"], default="autodock4")
    dock.add_argument("--runs", type=int, help="AutoDock LGA runs (default 20, the paper's)")
    dock.add_argument("--evals", type=int, help="AutoDock evaluations per run (default 2,500,000)")
    dock.add_argument("--exhaustiveness", type=int, help="Vina exhaustiveness (default 32)")
    dock.add_argument("--workers", type=int, default=2, help="local worker processes (default 2)")
    dock.add_argument("--run-chunks", type=run_chunks, metavar="{auto,N}",
                      help="split each AutoDock 4 job's LGA runs over N autodock4 processes (own recorded seeds; "
                           "poses merged and re-clustered as AutoDock does); 'auto' picks N per job so that every "
                           "worker stays busy to the end (the workflow's [docking] run_chunks; default 1: unsplit)")
    dock.add_argument("--scheduler", metavar="tcp://HOST:PORT", help="run the jobs on this Dask scheduler")
    dock.add_argument("--out", type=Path, help="run directory (default results/<name>)")
    dock.add_argument("--name", default="dock", help="run name (default 'dock')")
    dock.add_argument("--offline", action="store_true", help="never touch the network")
    dock.add_argument("--resume", action="store_true", help="continue a run: finished jobs are kept")
    dock.add_argument("--force", action="store_true", help="replace an existing run directory")
    common(dock)
    dock.set_defaults(func=cmd_dock)

    res = sub.add_parser("results", help="query a docking run's results database (filters, SDF/PDB/CSV export)",
                         description="Poses of every finished job, best first, filtered like Ringtail's "
                                     "(energy, ligand efficiency, interaction with a residue, substructure; all "
                                     "filters combine with AND), optionally exported as CSV, SDF and complex PDBs.")
    res.add_argument("run_dir", type=Path, help="run directory (or its docking/results.sqlite)")
    res.add_argument("--top", type=int, default=1, help="poses per job (default 1: the best)")
    res.add_argument("--receptor", help="only this receptor (system name)")
    res.add_argument("--ligand", help="only this ligand")
    res.add_argument("--max-energy", type=float, metavar="E", help="only poses with energy <= E kcal/mol")
    res.add_argument("--max-le", type=float, metavar="LE",
                     help="only poses with ligand efficiency (energy / heavy atoms) <= LE kcal/mol, e.g. -0.3")
    res.add_argument("--interaction", action="append", metavar="TYPE:RESIDUE",
                     help="only poses with this interaction in their profile, e.g. HBDonor:A:TYR129, "
                          "salt_bridge:D3.32, hbond:A:147, any:ASP147 (profiles exist for each job's best pose); "
                          "repeatable")
    res.add_argument("--smarts", action="append", metavar="SMARTS",
                     help="only ligands holding this substructure (RDKit SMARTS on the docked SMILES); repeatable")
    res.add_argument("--limit", type=int, metavar="N", help="at most N poses (the best N)")
    res.add_argument("--order", choices=["energy", "le"], default="energy",
                     help="rank by energy (default) or ligand efficiency")
    res.add_argument("--csv", type=Path, metavar="FILE", help="also write the poses as CSV")
    res.add_argument("--sdf", type=Path, metavar="FILE", help="also write the poses as SDF (columns as properties)")
    res.add_argument("--pdb-dir", type=Path, metavar="DIR", help="also write one receptor-ligand complex PDB per pose")
    res.add_argument("--tsv", action="store_true", help="tab-separated output")
    res.set_defaults(func=cmd_results)

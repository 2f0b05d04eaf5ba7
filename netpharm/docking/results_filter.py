"""Filter a campaign's poses like Ringtail does, on netpharm's ``results.sqlite``, and export them.

Filters (all combined with AND): energy (``max_energy``), ligand efficiency (``max_le``: energy per
heavy atom, kcal/mol, e.g. ≤ −0.3), an interaction with a residue (``HBDonor:A:TYR129``,
``salt_bridge:D3.32``: :func:`netpharm.docking.profile_query.parse_requirement`), a substructure
(SMARTS, RDKit, matched against each ligand's docked SMILES), receptor and ligand. The same
options as Ringtail's ``rt_process_vs read --eworst / --leworst / --hb_interactions /
--smarts`` (Ringtail 2.x documentation), for netpharm's schema (:mod:`netpharm.docking.resultsdb`
says why netpharm keeps its own database).

Speed: energy and rank filters use the ``poses (rank, energy)`` index, interactions the indexed
``interactions`` table, and SMARTS runs once per distinct ligand (not per pose) in Python before
the query; ``benchmarks/campaign_scale.py`` times a filtered top-100 on 100,000 poses.

Exports: a CSV of the rows, an SDF of the poses with their columns as SD properties, and one
receptor–ligand complex PDB per pose, the pose coordinates read back from each job's own output
(DLG, merged chunks or Vina PDBQT) in its folder.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import re
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from netpharm.docking.profile_query import PROLIF_TYPE_KINDS, is_generic, parse_requirement
from netpharm.docking.resultsdb import MAX_TOP
from netpharm.errors import InputError, NetpharmError
from netpharm.io import read_json, write_text_atomic

__all__ = ["PoseFilter", "RESULT_COLUMNS", "filter_poses", "write_csv", "write_sdf", "write_complexes",
           "matching_ligands"]

log = logging.getLogger(__name__)

#: columns of a filtered row, in CSV order
RESULT_COLUMNS = ("receptor", "ligand", "engine", "rank", "run", "energy", "ligand_efficiency", "n_heavy",
                  "cluster", "cluster_size", "rmsd", "ki", "ki_unit", "smiles", "job", "workdir", "interactions")
_RESIDUE = re.compile(r"^(?:(?P<chain>[A-Za-z0-9]):)?(?P<resname>[A-Za-z]{3})?(?P<resnum>-?\d+)[A-Za-z]?$")


@dataclass(frozen=True)
class PoseFilter:
    """What ``netpharm results`` keeps; ``limit`` caps the rows (best first by ``order``)."""

    top: int = 1
    receptor: str | None = None
    ligand: str | None = None
    max_energy: float | None = None
    max_le: float | None = None
    interactions: tuple[str, ...] = ()
    smarts: tuple[str, ...] = ()
    limit: int | None = None
    order: str = "energy"

    def __post_init__(self) -> None:
        if not 1 <= self.top <= MAX_TOP:
            raise InputError(f"--top must be between 1 and {MAX_TOP:,}, got {self.top}")
        if self.limit is not None and self.limit < 1:
            raise InputError(f"--limit must be >= 1, got {self.limit}")
        if self.order not in ("energy", "le"):
            raise InputError(f"--order must be energy or le, got {self.order!r}")
        for entry in self.interactions:
            parse_requirement(entry)  # a malformed TYPE:RESIDUE fails before any query


def _reader(path: Path) -> sqlite3.Connection:
    from netpharm.docking.resultsdb import open_reader

    return open_reader(path)


def _interaction_sql(entry: str) -> tuple[str, list[Any]]:
    """``EXISTS (...)`` on the interactions table for one ``TYPE:RESIDUE``."""
    kind, residue = parse_requirement(entry)
    sql = "EXISTS (SELECT 1 FROM interactions i WHERE i.job_id = p.job_id AND i.run = p.run"
    args: list[Any] = []
    if is_generic(residue):
        sql += " AND i.generic = ?"
        args.append(residue)
    else:
        m = _RESIDUE.match(residue)
        if m is None:  # parse_requirement refused it already; kept for mypy's narrowing
            raise InputError(f"residue {residue!r}: expected e.g. A:147, A:ASP147 or ASP147")
        sql += " AND i.resnum = ?"
        args.append(int(m["resnum"]))
        if m["chain"]:
            sql += " AND i.chain = ?"
            args.append(m["chain"])
        if m["resname"]:
            sql += " AND upper(i.resname) = ?"
            args.append(m["resname"].upper())
    if kind in PROLIF_TYPE_KINDS:
        sql += " AND i.prolif_type = ?"
        args.append(kind)
    elif kind != "any":
        sql += " AND i.kind = ?"
        args.append(kind)
    return sql + ")", args


def matching_ligands(conn: sqlite3.Connection, patterns: Sequence[str]) -> list[str]:
    """Names of the ligands whose docked SMILES hold every SMARTS pattern (RDKit substructure match).

    Raises
    ------
    InputError
        A pattern RDKit cannot parse (named).
    """
    from rdkit import Chem, rdBase

    queries = []
    for text in patterns:
        with rdBase.BlockLogs():  # RDKit's own parse message would reach the terminal beside ours
            query = Chem.MolFromSmarts(text)
        if query is None:
            raise InputError(f"--smarts {text!r}: not a valid SMARTS pattern (RDKit could not parse it)")
        queries.append(query)
    names = []
    for name, smiles in conn.execute("SELECT name, smiles FROM ligands WHERE smiles IS NOT NULL AND smiles != ''"):
        mol = Chem.MolFromSmiles(smiles)
        if mol is not None and all(mol.HasSubstructMatch(q) for q in queries):
            names.append(name)
    return names


def filter_poses(path: Path, flt: PoseFilter) -> list[dict[str, Any]]:
    """The poses of finished jobs that pass ``flt``, best first (energy, or ligand efficiency)."""
    conn = _reader(Path(path))
    try:
        sql = ("SELECT j.receptor, j.ligand, j.engine, p.rank, p.run, p.energy, "
               "round(p.energy / l.n_heavy, 4) AS ligand_efficiency, l.n_heavy, p.cluster, p.cluster_size, "
               "p.rmsd, p.ki, p.ki_unit, l.smiles, j.id AS job, j.workdir, p.interactions "
               "FROM poses p JOIN jobs j ON j.id = p.job_id LEFT JOIN ligands l ON l.name = j.ligand "
               "WHERE p.rank <= ? AND j.status = 'done'")
        args: list[Any] = [flt.top]
        for column, value in (("j.receptor", flt.receptor), ("j.ligand", flt.ligand)):
            if value:
                sql += f" AND lower({column}) = lower(?)"
                args.append(value)
        if flt.max_energy is not None:
            sql += " AND p.energy <= ?"
            args.append(flt.max_energy)
        if flt.max_le is not None:  # energy / n_heavy <= le  <=>  energy <= le * n_heavy (n_heavy > 0)
            sql += " AND l.n_heavy > 0 AND p.energy <= ? * l.n_heavy"
            args.append(flt.max_le)
        if flt.smarts:
            names = matching_ligands(conn, flt.smarts)
            if not names:
                return []
            sql += f" AND j.ligand IN ({','.join('?' * len(names))})"
            args += names
        for entry in flt.interactions:
            part, part_args = _interaction_sql(entry)
            sql += " AND " + part
            args += part_args
        key = "p.energy" if flt.order == "energy" else "ligand_efficiency"
        sql += f" ORDER BY {key}, j.receptor, j.ligand, j.engine, p.rank"
        if flt.limit is not None:
            sql += " LIMIT ?"
            args.append(flt.limit)
        try:
            return [dict(row) for row in conn.execute(sql, args)]
        except sqlite3.OperationalError as exc:  # a database written before the interactions table existed
            raise InputError(f"{path}: {exc}; a results database from an older netpharm gains its interactions "
                             "table when the run is continued (netpharm dock/run --resume)") from exc
    finally:
        conn.close()


def _cell(value: Any) -> str:
    return "" if value is None else str(value)


def write_csv(rows: Sequence[dict[str, Any]], out: Path) -> Path:
    """The rows as CSV (:data:`RESULT_COLUMNS`), written atomically."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(RESULT_COLUMNS)
    writer.writerows([[_cell(r.get(c)) for c in RESULT_COLUMNS] for r in rows])
    return write_text_atomic(Path(out), buf.getvalue())


def _job_log(run_dir: Path, row: dict[str, Any]) -> Any:
    """The finished job's log (DLG, merged chunks or Vina PDBQT) from its folder's records."""
    from netpharm.docking.run.stage_jobs import finished_log

    workdir = run_dir / row["workdir"]
    if row["engine"] == "autodock4" and (workdir / "chunks.json").is_file():
        outputs: dict[str, str] = {"chunks": "chunks.json"}
    else:
        outputs = read_json(workdir / f"done_{row['engine']}.json", "job record", InputError)["outputs"]
    return finished_log(workdir, row["engine"], outputs)


def _poses(run_dir: Path, rows: Sequence[dict[str, Any]]) -> list[tuple[dict[str, Any], Any, str]]:
    """(row, pose, receptor PDBQT text) per row; rows whose files are gone are skipped with a warning."""
    logs: dict[str, Any] = {}
    out = []
    for row in rows:
        try:
            if row["job"] not in logs:
                logs[row["job"]] = _job_log(run_dir, row)
            pose = next(p for p in logs[row["job"]].runs if p.run == row["run"])
            receptor = (run_dir / row["workdir"] / "receptor.pdbqt").read_text(encoding="utf-8")
        except (NetpharmError, OSError, KeyError, StopIteration) as exc:
            log.warning("%s run %s: pose files not found in %s (%s); not exported", row["job"], row["run"],
                        run_dir / str(row["workdir"]), exc)
            continue
        out.append((row, pose, receptor))
    return out


def write_sdf(rows: Sequence[dict[str, Any]], run_dir: Path, out: Path) -> tuple[Path, int]:
    """The rows' poses as one SDF, every column an SD property; (path, poses written)."""
    from rdkit import Chem

    from netpharm.docking.pose.poses import pose_to_mol

    buf = io.StringIO()
    writer = Chem.SDWriter(buf)
    written = 0
    for row, pose, _ in _poses(Path(run_dir), rows):
        mol = pose_to_mol(pose)
        if mol is None:
            log.warning("%s run %s: the pose cannot be rebuilt as a molecule; not in the SDF", row["job"], row["run"])
            continue
        mol.SetProp("_Name", f"{row['ligand']} in {row['receptor']} ({row['engine']}, run {row['run']})")
        for column in RESULT_COLUMNS:
            value = row.get(column)
            if value is not None:
                mol.SetProp(column, json.dumps(json.loads(value)) if column == "interactions" else str(value))
        writer.write(mol)
        written += 1
    writer.close()
    return write_text_atomic(Path(out), buf.getvalue()), written


def write_complexes(rows: Sequence[dict[str, Any]], run_dir: Path, folder: Path) -> list[Path]:
    """One receptor–ligand complex PDB per row's pose in ``folder`` (``<receptor>_<ligand>_<engine>_run<n>.pdb``)."""
    from netpharm.docking.pose.poses import complex_pdb_text

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for row, pose, receptor in _poses(Path(run_dir), rows):
        stem = re.sub(r"[^A-Za-z0-9_.-]+", "_", f"{row['receptor']}_{row['ligand']}_{row['engine']}_run{row['run']}")
        paths.append(write_text_atomic(folder / f"{stem}.pdb", complex_pdb_text(pose, receptor)))
    return paths

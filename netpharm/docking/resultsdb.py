"""The campaign's results database: every job and every pose in one SQLite file.

``<run>/docking/results.sqlite`` holds the ligands, receptors, jobs (input fingerprint,
engine, parameters, status, timings, error and log tail) and poses (energy terms,
cluster, rank, RMSD to a reference when there is one, an ``interactions`` JSON column
and the pose's provenance). Python's ``sqlite3`` in WAL mode with one writer (the
process running the campaign; workers never open the file): every job is committed in
its own transaction, so a run killed mid-write leaves a readable database holding every
job finished before the kill, and readers (``netpharm results``) never block the writer.

Why not Ringtail (the Forli lab's results database, PyPI ``ringtail`` 2.3.4, checked):
it reads AutoDock-GPU/4 DLGs and Vina PDBQTs into SQLite, but (1) it opens its database
with ``PRAGMA synchronous = OFF`` and ``journal_mode = MEMORY``
(``storagemanager.py``), so a kill mid-write can corrupt the file, which breaks the
kill-and-resume rule; (2) it stores results only: no job table, no input fingerprint,
status, attempts or error, which the resume and retry logic need; (3) its DLG parser
keeps the poses of a finished file but not AutoDock 4.2.6's clustering of our runs with
their seeds. The schema below is small and the DLG/Vina readers already exist
(:mod:`netpharm.docking.pose.dlg`).
"""

from __future__ import annotations

import json
import logging
import sqlite3
import time
from collections.abc import Iterator, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from netpharm.docking.files import RESULTS_DB
from netpharm.errors import InputError, OutputExistsError, OutputWriteError

__all__ = ["ResultsDB", "PoseRecord", "query_poses", "open_reader", "job_summary", "DB_NAME", "SCHEMA_VERSION"]

log = logging.getLogger(__name__)

DB_NAME = RESULTS_DB
SCHEMA_VERSION = 2  # 2: the indexed ``interactions`` table (version 1 databases gain it when reopened)

SCHEMA = """
CREATE TABLE IF NOT EXISTS ligands (
    name TEXT PRIMARY KEY, source TEXT NOT NULL, smiles TEXT, inchikey TEXT, n_atoms INTEGER,
    n_heavy INTEGER, torsions INTEGER, total_charge REAL, protonation TEXT);
CREATE TABLE IF NOT EXISTS receptors (
    name TEXT PRIMARY KEY, source TEXT NOT NULL, paper_pdb TEXT, stand_in INTEGER, pdbqt_sha256 TEXT,
    box TEXT);
CREATE TABLE IF NOT EXISTS jobs (
    id TEXT PRIMARY KEY, receptor TEXT NOT NULL, ligand TEXT NOT NULL, engine TEXT NOT NULL,
    workdir TEXT NOT NULL, run_indices TEXT, seeds TEXT, parameters TEXT, fingerprint TEXT, cost REAL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'done', 'failed', 'not_run')),
    attempts INTEGER NOT NULL DEFAULT 0, started TEXT, finished TEXT, seconds REAL, worker TEXT, error TEXT,
    log_tail TEXT, updated TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS poses (
    job_id TEXT NOT NULL REFERENCES jobs(id) ON DELETE CASCADE, run INTEGER NOT NULL, rank INTEGER NOT NULL,
    energy REAL NOT NULL, intermolecular REAL, internal REAL, torsional REAL, ki REAL, ki_unit TEXT,
    cluster INTEGER, cluster_size INTEGER, rmsd REAL, interactions TEXT, provenance TEXT NOT NULL,
    PRIMARY KEY (job_id, run));
CREATE INDEX IF NOT EXISTS poses_energy ON poses (energy);
CREATE INDEX IF NOT EXISTS poses_rank_energy ON poses (rank, energy);
CREATE INDEX IF NOT EXISTS jobs_ligand ON jobs (ligand);
CREATE TABLE IF NOT EXISTS interactions (
    job_id TEXT NOT NULL, run INTEGER NOT NULL, prolif_type TEXT, kind TEXT, chain TEXT, resname TEXT,
    resnum INTEGER, generic TEXT, distance REAL,
    FOREIGN KEY (job_id, run) REFERENCES poses(job_id, run) ON DELETE CASCADE);
CREATE INDEX IF NOT EXISTS interactions_residue ON interactions (resnum, prolif_type);
CREATE INDEX IF NOT EXISTS interactions_pose ON interactions (job_id, run);
"""


@dataclass(frozen=True)
class PoseRecord:
    """One pose as stored (``rank`` 1 = lowest energy of its job)."""

    run: int
    rank: int
    energy: float
    intermolecular: float | None = None
    internal: float | None = None
    torsional: float | None = None
    ki: float | None = None
    ki_unit: str | None = None
    cluster: int | None = None
    cluster_size: int | None = None
    rmsd: float | None = None


def _sqlite_problem(exc: sqlite3.Error) -> str:
    """A refused SQLite write in the words of :func:`netpharm.io` (SQLITE_FULL is a full disk)."""
    if getattr(exc, "sqlite_errorname", "") == "SQLITE_FULL" or "disk is full" in str(exc):
        return "no space left on the device (disk full)"
    if getattr(exc, "sqlite_errorname", "").startswith("SQLITE_READONLY"):
        return "read-only file system"
    return str(exc)


def _now(stamp: float | None = None) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S%z", time.localtime(stamp if stamp else None))


def _connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(str(path), timeout=30.0, isolation_level=None)  # explicit transactions
    conn.execute("PRAGMA journal_mode = WAL")
    # NORMAL is safe in WAL mode: a killed process never corrupts the file; at worst an OS
    # crash loses the last commit, which a rerun redoes (its job has no done record yet).
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


_TABLES = {"ligands", "receptors", "jobs", "poses"}


def _problem(path: Path) -> str:
    """Why the file at ``path`` is not a results database this netpharm may write ("" when it is, or is absent).

    Raises
    ------
    OutputExistsError
        It was written by a newer netpharm (a higher schema version): it is never re-stamped.
    """
    if not path.exists():
        return ""
    try:
        with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=30.0)) as conn:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            check = conn.execute("PRAGMA quick_check").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        return f"not an SQLite database ({exc})"
    if version > SCHEMA_VERSION:
        raise OutputExistsError(f"{path} was written by a newer netpharm (results schema {version}; this one "
                                f"knows {SCHEMA_VERSION}); it is left unchanged: use that netpharm, or give another --out")
    if check != "ok":
        return f"damaged ({check})"
    # an older netpharm's database (schema >= 1, its tables there) is upgraded in place when reopened
    if tables and (version < 1 or not _TABLES <= tables):
        return "not a netpharm results database (other tables)"
    return ""


def _set_aside(path: Path, why: str) -> None:
    """Move a damaged or foreign database (and its WAL/SHM files) out of the way, keeping it."""
    number = 1
    while path.with_name(f"{path.name}.damaged-{number}").exists():
        number += 1
    kept = path.with_name(f"{path.name}.damaged-{number}")
    try:
        path.rename(kept)
        for suffix in ("-wal", "-shm"):
            side = path.with_name(path.name + suffix)
            if side.exists():
                side.rename(kept.with_name(kept.name + suffix))
    except OSError as exc:
        raise OutputWriteError(f"{path} is {why}, and cannot be moved aside: {exc.strerror or exc}") from exc
    log.warning("%s is %s: kept as %s; the results database is rebuilt from the job folders", path, why, kept.name)


class ResultsDB:
    """Writer of a campaign's database (open it in one process only).

    A file that is not a readable netpharm results database (damaged, or another program's) is kept as
    ``results.sqlite.damaged-N`` and a new one is made; the docking stage then fills it again from the job
    folders (finished jobs are recorded again from their logs). A database of a newer netpharm is refused.
    """

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if why := _problem(self.path):
            _set_aside(self.path, why)
        try:
            self.conn = _connect(self.path)
            self.conn.executescript(SCHEMA)
            self._index_old_profiles()
            self.conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        except sqlite3.OperationalError as exc:
            raise OutputWriteError(f"cannot write {self.path}: {_sqlite_problem(exc)}") from exc

    def _index_old_profiles(self) -> None:
        """A version-1 database (profiles only as JSON): fill the ``interactions`` table from the JSON."""
        if self.conn.execute("PRAGMA user_version").fetchone()[0] >= SCHEMA_VERSION:
            return
        rows = self.conn.execute("SELECT job_id, run, interactions FROM poses WHERE interactions IS NOT NULL "
                                 "AND NOT EXISTS (SELECT 1 FROM interactions i WHERE i.job_id = poses.job_id "
                                 "AND i.run = poses.run)").fetchall()
        for job_id, run, text in rows:
            self.set_interactions(job_id, run, json.loads(text))

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """One transaction; a write SQLite refuses (a full disk, a read-only folder) is an OutputWriteError."""
        try:
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.conn
            except BaseException:
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                raise
            self.conn.execute("COMMIT")
        except sqlite3.OperationalError as exc:
            if self.conn.in_transaction:
                try:
                    self.conn.execute("ROLLBACK")
                except sqlite3.Error:  # the rollback of a failed commit may fail too; SQLite rolls back itself
                    pass
            raise OutputWriteError(f"cannot write {self.path}: {_sqlite_problem(exc)}") from exc

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> ResultsDB:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def add_ligand(self, name: str, source: str, smiles: str = "", inchikey: str = "", n_atoms: int | None = None,
                   n_heavy: int | None = None, torsions: int | None = None, total_charge: float | None = None,
                   protonation: Sequence[str] = ()) -> None:
        with self._transaction() as c:
            c.execute("INSERT OR REPLACE INTO ligands VALUES (?,?,?,?,?,?,?,?,?)",
                      (name, source, smiles, inchikey, n_atoms, n_heavy, torsions, total_charge,
                       json.dumps(list(protonation))))

    def add_receptor(self, name: str, source: str, paper_pdb: str = "", stand_in: bool = False,
                     pdbqt_sha256: str = "", box: dict[str, Any] | None = None) -> None:
        with self._transaction() as c:
            c.execute("INSERT OR REPLACE INTO receptors VALUES (?,?,?,?,?,?)",
                      (name, source, paper_pdb, int(stand_in), pdbqt_sha256, json.dumps(box or {})))

    def queue_job(self, job_id: str, receptor: str, ligand: str, engine: str, workdir: str,
                  parameters: dict[str, Any], run_indices: Sequence[int] = (), seeds: Sequence[int] = (),
                  cost: float = 0.0, status: str = "pending", error: str = "", fingerprint: str = "") -> None:
        """Record a job before it runs; a finished job with the same input fingerprint keeps its result."""
        with self._transaction() as c:
            row = c.execute("SELECT status, fingerprint FROM jobs WHERE id = ?", (job_id,)).fetchone()
            params = json.dumps(parameters, sort_keys=True)
            if row is not None and row[0] == "done" and fingerprint and row[1] == fingerprint and status == "pending":
                return
            c.execute("DELETE FROM poses WHERE job_id = ?", (job_id,))
            c.execute("INSERT OR REPLACE INTO jobs (id, receptor, ligand, engine, workdir, run_indices, seeds, "
                      "parameters, cost, status, attempts, error, updated) VALUES (?,?,?,?,?,?,?,?,?,?,0,?,?)",
                      (job_id, receptor, ligand, engine, workdir, json.dumps(list(run_indices)),
                       json.dumps(list(seeds)), params, cost, status, error or None, _now()))

    def record_job(self, job_id: str, status: str, fingerprint: str = "", attempts: int = 1,
                   started: float | None = None, finished: float | None = None, seconds: float | None = None,
                   error: str = "", poses: Sequence[PoseRecord] = (), provenance: dict[str, Any] | None = None,
                   keep_timings: bool = False, worker: str = "") -> None:
        """A job's outcome and all its poses, in one transaction."""
        first, _, tail = error.partition("\n")
        with self._transaction() as c:
            if keep_timings:
                c.execute("UPDATE jobs SET status=?, fingerprint=?, updated=? WHERE id=?",
                          (status, fingerprint, _now(), job_id))
            else:
                c.execute("UPDATE jobs SET status=?, fingerprint=?, attempts=?, started=?, finished=?, seconds=?, "
                          "worker=?, error=?, log_tail=?, updated=? WHERE id=?",
                          (status, fingerprint or None, attempts, _now(started) if started else None,
                           _now(finished) if finished else None, round(seconds, 3) if seconds is not None else None,
                           worker or None, first or None, tail or None, _now(), job_id))
            c.execute("DELETE FROM poses WHERE job_id = ?", (job_id,))
            prov = json.dumps(provenance or {}, sort_keys=True)
            c.executemany("INSERT INTO poses (job_id, run, rank, energy, intermolecular, internal, torsional, ki, "
                          "ki_unit, cluster, cluster_size, rmsd, provenance) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                          [(job_id, p.run, p.rank, p.energy, p.intermolecular, p.internal, p.torsional, p.ki,
                            p.ki_unit, p.cluster, p.cluster_size, p.rmsd, prov) for p in poses])

    def set_interactions(self, job_id: str, run: int, interactions: Any) -> None:
        """Store a pose's interaction profile (JSON-ready, e.g. from ProLIF): as JSON on the pose, and one
        indexed row per interaction (``interactions`` table, what ``netpharm results --interaction`` queries)."""
        with self._transaction() as c:
            c.execute("UPDATE poses SET interactions = ? WHERE job_id = ? AND run = ?",
                      (json.dumps(interactions, sort_keys=True), job_id, run))
            c.execute("DELETE FROM interactions WHERE job_id = ? AND run = ?", (job_id, run))
            c.executemany("INSERT INTO interactions VALUES (?,?,?,?,?,?,?,?,?)",
                          [(job_id, run, i.get("prolif_type"), i.get("kind"), i.get("chain"), i.get("resname"),
                            i.get("resnum"), i.get("generic") or None, i.get("distance"))
                           for i in interactions or [] if isinstance(i, dict)])

    def job_status(self, job_id: str) -> tuple[str, str | None] | None:
        """(status, fingerprint) of a job, or None when unknown."""
        row = self.conn.execute("SELECT status, fingerprint FROM jobs WHERE id = ?", (job_id,)).fetchone()
        return None if row is None else (row[0], row[1])


def open_reader(path: Path) -> sqlite3.Connection:
    """A read-only connection (rows as :class:`sqlite3.Row`); a specific error for a missing or foreign file."""
    if not path.is_file():
        raise InputError(f"no results database at {path} (run `netpharm dock` or a workflow's docking stage first)")
    try:
        # A URI, quoted: a raw path holding "?", "#" or "%" would name another file, opened read-write-create.
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=30.0)
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        conn.execute("SELECT 1 FROM jobs LIMIT 1")
    except sqlite3.DatabaseError as exc:
        raise InputError(f"{path}: not a netpharm results database ({exc})") from exc
    if version > SCHEMA_VERSION:
        conn.close()
        raise InputError(f"{path} was written by a newer netpharm (results schema {version}; this one reads "
                         f"{SCHEMA_VERSION}): read it with that netpharm")
    conn.row_factory = sqlite3.Row
    return conn


MAX_TOP = 1_000_000  # poses per job: far above any GA run count, and within SQLite's integers

POSE_COLUMNS = ("receptor", "ligand", "engine", "rank", "run", "energy", "cluster", "cluster_size", "rmsd",
                "ki", "ki_unit", "job")


def query_poses(path: Path, top: int = 1, receptor: str | None = None, ligand: str | None = None,
                max_energy: float | None = None) -> list[dict[str, Any]]:
    """The ``top`` best poses of every finished job, filtered, lowest energy first."""
    if not 1 <= top <= MAX_TOP:
        raise InputError(f"--top must be between 1 and {MAX_TOP:,}, got {top}")
    sql = ("SELECT j.receptor, j.ligand, j.engine, p.rank, p.run, p.energy, p.cluster, p.cluster_size, p.rmsd, "
           "p.ki, p.ki_unit, j.id AS job FROM poses p JOIN jobs j ON j.id = p.job_id "
           "WHERE j.status = 'done' AND p.rank <= ?")
    args: list[Any] = [top]
    for column, value in (("j.receptor", receptor), ("j.ligand", ligand)):
        if value:
            sql += f" AND lower({column}) = lower(?)"
            args.append(value)
    if max_energy is not None:
        sql += " AND p.energy <= ?"
        args.append(max_energy)
    sql += " ORDER BY p.energy, j.receptor, j.ligand, j.engine, p.rank"
    return _rows(Path(path), sql, args)


def job_summary(path: Path) -> list[dict[str, Any]]:
    """Every job with its status, attempts, timings and error."""
    return _rows(Path(path), "SELECT id, receptor, ligand, engine, status, attempts, seconds, fingerprint, error "
                 "FROM jobs ORDER BY receptor, ligand, engine, id")


def _rows(path: Path, sql: str, args: Sequence[Any] = ()) -> list[dict[str, Any]]:
    """The rows of a read-only query; a database of another shape is one line, not a traceback."""
    with closing(open_reader(path)) as conn:
        try:
            return [dict(row) for row in conn.execute(sql, list(args))]
        except sqlite3.DatabaseError as exc:
            raise InputError(f"{path}: not a netpharm results database of this version ({exc})") from exc

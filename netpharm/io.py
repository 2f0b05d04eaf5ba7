"""File input and atomic file output shared by every stage.

Outputs are written to a temporary file in the destination folder and renamed into
place, so a crash never leaves a half-written table behind and readers see either the
old file or the new one; a write that fails (full disk, read-only folder, a file where
a folder is expected) raises :class:`~netpharm.errors.OutputWriteError` naming the path.
A killed process can leave its temporary file behind: :func:`remove_temp_files` clears
them (``--resume`` does).

Every text file netpharm reads from a user goes through :func:`read_text_file`, so a
binary, gzip-compressed, non-UTF-8, missing, unreadable file or a directory gets one
specific line naming the file, and a UTF-8 byte-order mark is accepted.
"""

from __future__ import annotations

import csv
import errno
import hashlib
import io
import json
import logging
import os
import re
import secrets
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from netpharm.errors import InputError, NetpharmError, OutputWriteError, ReportError

if TYPE_CHECKING:
    import pandas as pd

_UMASK = os.umask(0)
os.umask(_UMASK)

__all__ = ["write_bytes_atomic", "write_text_atomic", "link_or_write_atomic", "write_json_atomic", "write_table", "write_columns", "make_dir",
           "plain_name", "read_text_file", "read_bytes_file", "check_input_file", "decode_text", "remove_temp_files", "is_temp_file",
           "read_tsv", "read_json", "read_optional_json", "file_sha256", "bytes_sha256", "json_sha256"]

log = logging.getLogger(__name__)

# mkstemp's names: "." + target name + "." + 8 random characters + ".tmp".
_TEMP = re.compile(r"^\..+\.[a-z0-9_]{8}\.tmp$")
_GZIP_MAGIC = b"\x1f\x8b"
_BOM = b"\xef\xbb\xbf"


_PLAIN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._+-]{0,99}$")


def plain_name(name: str, what: str) -> str:
    """``name`` when it is safe as one folder name; ``ValueError`` otherwise.

    Names from a workflow (run name, docking system, redocking case) become folder names
    under the run directory; ``..``, ``../x``, ``/abs`` or a name with a separator would
    write outside it, so only plain names (letters, digits, ``. _ + -``, not starting with
    a dot, at most 100 characters) are accepted.
    """
    if not isinstance(name, str) or not _PLAIN.match(name) or name in (".", ".."):
        raise ValueError(f"{what} {name!r} must be a plain folder name (letters, digits, '.', '_', '+', '-'; "
                         "no '/', no leading '.', not absolute)")
    return name


def _write_problem(exc: OSError) -> str:
    """The plain-words reason of a failed write."""
    if exc.errno == errno.ENOSPC:
        return "no space left on the device (disk full)"
    if exc.errno == errno.EDQUOT:
        return "disk quota exceeded"
    if exc.errno in (errno.EROFS,):
        return "read-only file system"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "permission denied (read-only location?)"
    if isinstance(exc, (FileExistsError, NotADirectoryError)):
        return "an existing file is in the way where a folder is expected"
    if isinstance(exc, IsADirectoryError):
        return "a folder is in the way where a file is expected"
    return exc.strerror or str(exc)


def make_dir(path: Path) -> Path:
    """Create folder ``path`` (and parents); :class:`OutputWriteError` names what is in the way."""
    path = Path(path)
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputWriteError(f"cannot create folder {path}: {_write_problem(exc)}") from exc
    if not path.is_dir():  # pragma: no cover - mkdir(exist_ok) raises for a file already
        raise OutputWriteError(f"cannot create folder {path}: an existing file is in the way")
    return path


def write_bytes_atomic(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically (temp file in the same folder + rename).

    Raises
    ------
    OutputWriteError
        The folder cannot be created or written, the disk is full, or a folder has the
        file's name; the temporary file is removed and an earlier ``path`` is untouched.
    """
    path = Path(path)
    make_dir(path.parent)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise OutputWriteError(f"cannot write {path}: {_write_problem(exc)}") from exc
    try:
        # mkstemp creates 0600 files; outputs get the usual permissions (0666 less the umask).
        os.fchmod(fd, 0o666 & ~_UMASK)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise OutputWriteError(f"cannot write {path}: {_write_problem(exc)}") from exc
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def write_text_atomic(path: Path, text: str) -> Path:
    """Write UTF-8 text atomically."""
    return write_bytes_atomic(path, text.encode("utf-8"))


def link_or_write_atomic(path: Path, text: str, source: Path | str | None) -> Path:
    """``path`` holding ``text``: a hard link to ``source`` when that file holds exactly ``text``, else written
    atomically (:func:`write_text_atomic`).

    For the same large input in many folders (a campaign's receptor PDBQT in every ligand's job folder): one copy
    on disk and no write per folder, while each folder still holds a plain file. The link is made under a
    temporary name and renamed over ``path``, so an earlier ``path`` is untouched if anything fails, and since every
    netpharm write replaces a file (never rewrites it in place) a later write of either name leaves the other as it
    was. A filesystem without hard links (or ``source`` on another one) gets a copy.
    """
    path = Path(path)
    data = text.encode("utf-8")
    if source is not None:
        source = Path(source)
        try:
            if source.read_bytes() == data:
                if path.exists() and os.path.samefile(path, source):
                    return path  # linked by an earlier run
                make_dir(path.parent)
                tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")  # as is_temp_file knows them
                os.link(source, tmp)
                try:
                    os.replace(tmp, path)
                except OSError:
                    tmp.unlink(missing_ok=True)
                    raise
                return path
        except OSError as exc:  # no hard links here: an ordinary copy
            log.debug("cannot link %s to %s (%s): writing a copy", path, source, exc)
    return write_bytes_atomic(path, data)


def write_json_atomic(path: Path, obj: Mapping[str, Any] | list[Any]) -> Path:
    """Write JSON with sorted keys and a trailing newline, so reruns are byte-identical."""
    return write_text_atomic(path, json.dumps(obj, indent=2, sort_keys=True, default=str) + "\n")


def write_table(path: Path, table: pd.DataFrame) -> Path:
    """Write a DataFrame as TSV (or CSV if the name ends in .csv) at full precision.

    ``repr`` float formatting (pandas' default) keeps every digit, so tables can be
    compared to other tools at 1e-12 and reruns are byte-identical.
    """
    sep = "," if str(path).endswith(".csv") else "\t"
    return write_text_atomic(path, table.to_csv(sep=sep, index=False, lineterminator="\n"))


def write_columns(path: Path, columns: Mapping[str, Any]) -> Path:
    """Write columns (name → equal-length sequence or NumPy array) as :func:`write_table` would
    write the DataFrame of them, byte for byte, without pandas.

    pandas' ``to_csv`` writes through the :mod:`csv` module (minimal quoting) with ``repr``
    floats and NaN/None as empty cells; this does the same, so ``netpharm network`` can write its
    tables without importing pandas (0.15 s of its run time). ``tests/test_io.py`` compares the two writers.
    """
    sep = "," if str(path).endswith(".csv") else "\t"
    cells = [_cells(values) for values in columns.values()]
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=sep, lineterminator="\n")
    writer.writerow(list(columns))
    writer.writerows(zip(*cells))
    return write_text_atomic(path, buffer.getvalue())


def _cells(values: Any) -> list[Any]:
    """Python values of one column, NaN as an empty cell (pandas' ``na_rep``).

    NumPy scalars become Python ones first: the csv module writes a float (subclass) with
    ``repr``, which NumPy 2 spells ``np.float64(0.5)``.
    """
    items = values.tolist() if hasattr(values, "tolist") else [v.item() if hasattr(v, "item") else v for v in values]
    return [("" if v != v else v) if isinstance(v, float) else v for v in items]


# --- hashes ----------------------------------------------------------------------------------
def file_sha256(path: Path | str) -> str:
    """sha256 of a file, read in 1 MiB blocks (maps, docking logs and annotation files are megabytes)."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def bytes_sha256(data: bytes) -> str:
    """sha256 (hex) of ``data`` held in memory (cache bodies, imported files)."""
    return hashlib.sha256(data).hexdigest()


def json_sha256(value: Any) -> str:
    """sha256 of ``value`` as JSON with sorted keys: a fingerprint independent of dict order."""
    return bytes_sha256(json.dumps(value, sort_keys=True).encode())


# --- temporary files left by a killed write ---------------------------------------------------


def is_temp_file(path: Path) -> bool:
    """True for a temporary file of :func:`write_bytes_atomic` (``.<name>.<8 chars>.tmp``)."""
    return bool(_TEMP.match(Path(path).name))


def remove_temp_files(folder: Path) -> list[Path]:
    """Delete the temporary files a killed write left anywhere below ``folder``; return them.

    A process killed between ``mkstemp`` and ``os.replace`` cannot clean up after itself;
    the finished file it was replacing (if any) is intact, so the leftover is pure garbage.
    """
    removed: list[Path] = []
    folder = Path(folder)
    if not folder.is_dir():
        return removed
    for path in sorted(folder.rglob(".*.tmp")):
        if path.is_file() and is_temp_file(path):
            path.unlink(missing_ok=True)
            removed.append(path)
    if removed:
        log.info("removed %d temporary file(s) left by an interrupted write in %s", len(removed), folder)
    return removed


# --- reading user files ------------------------------------------------------------------------
def check_input_file(path: Path | str, what: str, error: type[NetpharmError] = InputError) -> Path:
    """``path`` as a Path when it is an existing, readable regular file; else ``error`` naming it.

    For files a library parses itself (gemmi, RDKit): the same one-line errors as
    :func:`read_text_file` for a missing file, a directory or an unreadable file.
    """
    path = Path(path)
    if not path.exists():
        raise error(f"{what} not found: {path}")
    if path.is_dir():
        raise error(f"{path}: the {what} is a folder, not a file")
    if not path.is_file():
        raise error(f"{path}: not a regular file (expected the {what})")
    if not os.access(path, os.R_OK):
        raise error(f"{path}: cannot read the {what} (permission denied)")
    return path


def read_bytes_file(path: Path | str, what: str, error: type[NetpharmError] = InputError) -> bytes:
    """The bytes of a user's file, with :func:`check_input_file`'s errors."""
    path = check_input_file(path, what, error)
    try:
        return path.read_bytes()
    except OSError as exc:
        raise error(f"{path}: cannot read the {what} ({exc.strerror or exc})") from exc


def decode_text(data: bytes, origin: str, what: str, error: type[NetpharmError] = InputError,
                allow_gzip: bool = False) -> str:
    """UTF-8 text of ``data`` (a byte-order mark dropped); ``error`` for gzip, binary or non-UTF-8.

    ``allow_gzip`` transparently decompresses a gzip body (annotation files, ``*.cif.gz``).
    """
    if data.startswith(_GZIP_MAGIC):
        if not allow_gzip:
            raise error(f"{origin}: the {what} is gzip-compressed; decompress it first (gunzip)")
        import gzip
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError) as exc:
            raise error(f"{origin}: the {what} is a damaged gzip file ({exc})") from exc
    if data.startswith(_BOM):
        data = data[len(_BOM):]
    if b"\x00" in data[:8192]:
        raise error(f"{origin}: the {what} is a binary file, not text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise error(f"{origin}: line {line}: the {what} is not UTF-8 text "
                    f"(byte 0x{data[exc.start]:02x}); save it as UTF-8") from exc


def read_json(path: Path | str, what: str, error: type[NetpharmError] = InputError, origin: str | None = None) -> Any:
    """The JSON value stored in ``path`` (UTF-8); ``error`` when it cannot be read, decoded or parsed.

    The message reads ``<origin>: unreadable <what> (<reason>)``; ``origin`` defaults to the path
    (e.g. ``read_json(p, "stage summary", StageContractError)``).
    """
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise error(f"{origin or path}: unreadable {what} ({exc})") from exc


def read_text_file(path: Path | str, what: str, error: type[NetpharmError] = InputError,
                   allow_gzip: bool = False) -> str:
    """Read a user's UTF-8 text file; one specific ``error`` line for anything unusable.

    Parameters
    ----------
    path : Path
    what : str
        What the file is, for the message ("target list", "workflow file", "STRING export"...).
    error : NetpharmError subclass
        The class raised (the reading stage's own).
    allow_gzip : bool
        Accept gzip-compressed content.

    Raises
    ------
    error
        Missing, a folder, unreadable, gzip (unless allowed), binary, or not UTF-8 — the
        file (and line, for bad bytes) named. A UTF-8 byte-order mark is accepted.
    """
    data = read_bytes_file(path, what, error)
    return decode_text(data, str(path), what, error, allow_gzip)


def read_tsv(path: Path | str, error: type[NetpharmError] = ReportError) -> pd.DataFrame | None:
    """A run-directory TSV as a strings-preserving DataFrame, or ``None`` when absent or empty.

    Raises
    ------
    error
        The file exists but is not a readable table (the file is named).
    """
    import pandas as pd  # here: validating a workflow or printing --help must not load pandas

    path = Path(path)
    if not path.is_file() or path.stat().st_size == 0:
        return None
    try:
        return pd.read_csv(path, sep="\t", keep_default_na=False, na_values=[""])
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise error(f"{path}: unreadable table ({exc})") from exc


def read_optional_json(path: Path | str, what: str, error: type[NetpharmError] = InputError) -> Any:
    """:func:`read_json` of ``path``, or ``None`` when the file does not exist (a half-finished run)."""
    return read_json(path, what, error) if Path(path).is_file() else None

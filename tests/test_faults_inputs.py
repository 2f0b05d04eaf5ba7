"""Bad inputs: every file netpharm reads, every path it writes, every name that could escape.

Each case asserts the exact error class (from netpharm/errors.py) and the words of its
one-line message; the CLI cases assert the single ``netpharm: error:`` line and exit 2.
The "good" contents are small real files from tests/data (see the READMEs there) or
hand-made one-liners; the bad variants are made from them (gzip, latin-1, NUL bytes).
"""

from __future__ import annotations

import errno
import gzip
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from netpharm import io as nio
from netpharm.cli.commands import _graph_from_file
from netpharm.cli.main import main
from netpharm.enrichment.stage import read_background
from netpharm.errors import (
    ConfigError,
    EnrichmentError,
    ImportFormatError,
    InputError,
    NetpharmError,
    OutputWriteError,
    PoreAnalysisError,
    StructureError,
    StructureNotFoundError,
)
from netpharm.network.build import record_import
from netpharm.nmda.pore_io import read_structure_file
from netpharm.registry import load_workflow
from netpharm.sources.cache import Cache
from netpharm.structures.fetch import load_structure
from netpharm.targets import read_targets
from netpharm.workflow import run_workflow

DATA = Path(__file__).resolve().parent / "data"
EXPORT = (DATA / "cytoscape" / "bashir_rat30_string_interactions_short.tsv").read_bytes()
LIGAND_PDB = (DATA / "structures" / "MOR_8EFO_ligand_8QY.pdb").read_bytes()


# reader name -> (file name, good content, call(path) -> result comparable across BOM/no BOM, error class,
#                 error class for a missing file)
READERS: dict[str, tuple[str, bytes, Callable[[Path], Any], type, type]] = {
    "targets": ("targets.txt", b"GRIN1\nGRIN2B  # NR2B\n", read_targets, InputError, InputError),
    "workflow": ("w.toml", b'name = "bom-test"\n', lambda p: load_workflow(p).name, ConfigError, ConfigError),
    "edge export": ("edges.tsv", EXPORT, lambda p: sorted(_graph_from_file(p, 0.4)[0].edges()), InputError,
                    InputError),
    "import": ("export.tsv", EXPORT, lambda p: record_import(p, Cache(p.parent / "cache"), "x", force=True)
               .meta["pairs"], ImportFormatError, ImportFormatError),
    "structure": ("lig.pdb", LIGAND_PDB, lambda p: load_structure(p)[0].count_atom_sites(), StructureError,
                  StructureNotFoundError),
    "nmda structure": ("lig.pdb", LIGAND_PDB, lambda p: read_structure_file(p)[0][0].count_atom_sites(),
                       PoreAnalysisError, StructureNotFoundError),
    "background": ("bg.txt", b"GRIN1\nGRIN2B\nBDNF\n", read_background, EnrichmentError, EnrichmentError),
}

BAD_KINDS = ["binary", "gzip", "latin-1", "folder", "missing", "unreadable"]
MESSAGES = {"binary": "binary file", "gzip": "gzip-compressed", "latin-1": "not UTF-8",
            "folder": "is a folder", "missing": "not found", "unreadable": "permission denied"}


def make_bad(tmp_path: Path, name: str, good: bytes, kind: str, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / name
    if kind == "binary":
        path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + good[:50])
    elif kind == "gzip":
        path.write_bytes(gzip.compress(good))
    elif kind == "latin-1":
        path.write_bytes(good + "# Müller\n".encode("latin-1"))
    elif kind == "folder":
        path.mkdir()
    elif kind == "unreadable":
        path.write_bytes(good)
        path.chmod(0)
        if os.access(path, os.R_OK):   # root reads anything: make the permission check see what a user would
            real = os.access
            monkeypatch.setattr(nio.os, "access", lambda p, mode: False if Path(p) == path else real(p, mode))
    return path


@pytest.mark.parametrize("kind", BAD_KINDS)
@pytest.mark.parametrize("reader", list(READERS))
def test_every_reader_gives_one_specific_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, reader: str,
                                               kind: str) -> None:
    name, good, call, error, missing_error = READERS[reader]
    path = make_bad(tmp_path, name, good, kind, monkeypatch)
    expected = missing_error if kind == "missing" else error
    with pytest.raises(NetpharmError) as info:
        call(path)
    assert type(info.value) is expected, f"{reader}/{kind}: {type(info.value).__name__}: {info.value}"
    message = str(info.value)
    assert MESSAGES[kind] in message and str(path) in message and "\n" not in message


@pytest.mark.parametrize("reader", list(READERS))
def test_every_reader_accepts_a_utf8_byte_order_mark(tmp_path: Path, reader: str) -> None:
    name, good, call, _, _ = READERS[reader]
    plain = tmp_path / "plain"
    bom = tmp_path / "bom"
    plain.mkdir()
    bom.mkdir()
    (plain / name).write_bytes(good)
    (bom / name).write_bytes(b"\xef\xbb\xbf" + good)
    assert call(bom / name) == call(plain / name)


def test_cli_bad_file_is_one_line_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    edges = tmp_path / "edges.tsv"
    edges.write_bytes(gzip.compress(EXPORT))
    assert main(["network", str(edges), "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert err == f"netpharm: error: {edges}: the edge file is gzip-compressed; decompress it first (gunzip)\n"
    assert not (tmp_path / "o").exists()


# --- paths netpharm writes -----------------------------------------------------------------------
def test_write_where_a_file_is_in_the_way(tmp_path: Path) -> None:
    (tmp_path / "network").write_text("mine")
    with pytest.raises(OutputWriteError, match="existing file is in the way"):
        nio.write_text_atomic(tmp_path / "network" / "nodes.tsv", "x")
    assert (tmp_path / "network").read_text() == "mine"


@pytest.mark.parametrize("code, words", [(errno.ENOSPC, "disk full"), (errno.EROFS, "read-only file system"),
                                         (errno.EACCES, "permission denied")])
def test_failed_write_keeps_the_old_file_and_no_temp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                    code: int, words: str) -> None:
    target = tmp_path / "table.tsv"
    nio.write_text_atomic(target, "finished\n")

    def fail(fd: int) -> None:
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(nio.os, "fsync", fail)
    with pytest.raises(OutputWriteError, match=words) as info:
        nio.write_text_atomic(target, "new\n")
    assert str(target) in str(info.value)
    assert target.read_text() == "finished\n" and sorted(p.name for p in tmp_path.iterdir()) == ["table.tsv"]


def test_read_only_folder_cannot_even_hold_a_temp_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(nio.tempfile, "mkstemp", refuse)
    with pytest.raises(OutputWriteError, match=r"cannot write .*x\.tsv: permission denied"):
        nio.write_text_atomic(tmp_path / "x.tsv", "x")


def test_full_disk_during_a_run_fails_the_stage_and_resume_finishes(repo: Path, tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    config = load_workflow(repo / "workflows/microdiscectomy-offline.toml", {"network": {"bootstrap": 5}})
    real = nio.os.fsync
    calls = {"n": 0}

    def fill_disk(fd: int) -> None:
        calls["n"] += 1
        if calls["n"] == 6:  # a few files into the network stage
            raise OSError(errno.ENOSPC, "No space left on device")
        real(fd)

    monkeypatch.setattr(nio.os, "fsync", fill_disk)
    first = run_workflow(config, tmp_path / "run", stages=["network"])
    assert first.outcomes["network"].status == "failed"
    assert "cannot write " in first.outcomes["network"].reason and "disk full" in first.outcomes["network"].reason
    monkeypatch.setattr(nio.os, "fsync", real)
    second = run_workflow(config, tmp_path / "run", stages=["network"], resume=True)
    assert second.skipped == [] and second.outcomes["network"].status == "partial"
    reference = run_workflow(config, tmp_path / "ref", stages=["network"])
    for name in ("nodes.tsv", "hubs.tsv", "coverage.tsv", "edges.tsv"):
        assert (tmp_path / "run/network" / name).read_bytes() == (tmp_path / "ref/network" / name).read_bytes()
    assert reference.outcomes["network"].findings == second.outcomes["network"].findings


def test_run_dir_that_is_a_file(repo: Path, tmp_path: Path) -> None:
    (tmp_path / "run").write_text("not a folder")
    config = load_workflow(repo / "workflows/microdiscectomy-offline.toml")
    with pytest.raises(OutputWriteError, match="is an existing file, not a folder"):
        run_workflow(config, tmp_path / "run", stages=["network"])
    assert (tmp_path / "run").read_text() == "not a folder"


@pytest.mark.parametrize("existing", ["nodes.tsv", "hubs.tsv", "top_hubs.tsv", "network_summary.tsv",
                                      "network.graphml", "network.sif"])
def test_network_command_checks_every_file_it_writes(tmp_path: Path, existing: str,
                                                     capsys: pytest.CaptureFixture) -> None:
    (tmp_path / "edges.tsv").write_bytes(EXPORT)
    out = tmp_path / "out"
    out.mkdir()
    (out / existing).write_text("precious")
    assert main(["network", str(tmp_path / "edges.tsv"), "--out", str(out)]) == 2
    assert existing in capsys.readouterr().err
    assert sorted(p.name for p in out.iterdir()) == [existing] and (out / existing).read_text() == "precious"


def test_report_refuses_a_folder_that_is_not_a_run(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    (tmp_path / "thesis.docx").write_text("precious")
    assert main(["report", str(tmp_path)]) == 2
    assert "not a netpharm run directory" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["thesis.docx"]


# --- names that would escape the run directory ------------------------------------------------------
ESCAPES = ["..", "../x", "/tmp/abs", "a/b", ".hidden", ""]


@pytest.mark.parametrize("name", ESCAPES)
def test_workflow_name_must_be_plain(name: str) -> None:
    with pytest.raises(ConfigError, match="must be a plain folder name"):
        load_workflow(None, {"name": name})


@pytest.mark.parametrize("name", ESCAPES)
def test_docking_system_name_must_be_plain(name: str) -> None:
    with pytest.raises(ConfigError, match="docking system name .* must be a plain folder name"):
        load_workflow(None, {"docking": {"systems": [{"name": name, "receptor": "8EF6"}]}})


@pytest.mark.parametrize("name", ESCAPES)
def test_redocking_case_name_must_be_plain(name: str) -> None:
    with pytest.raises(ConfigError, match="redocking case name .* must be a plain folder name"):
        load_workflow(None, {"docking": {"redock": [{"name": name, "receptor_pdbqt": "r", "ligand_pdbqt": "l"}]}})


# --- docking numbers checked when the workflow loads ------------------------------------------------
@pytest.mark.parametrize("docking, words", [
    ({"box_spacing": 0.0}, "box_spacing must be within"),
    ({"box_spacing": -0.375}, "box_spacing must be within"),
    ({"box_spacing": 5.0}, "box_spacing must be within"),
    ({"autogrid_timeout": 0.0}, "autogrid_timeout must be a positive"),
    ({"autodock_timeout": -1.0}, "autodock_timeout must be a positive"),
    ({"vina_timeout": float("inf")}, "vina_timeout must be a positive"),
    ({"systems": [{"name": "MOR", "receptor": "8EF6", "box_center": [0, 0, 0], "box_size": [20, -5, 20]}]},
     "box_size must be positive"),
    ({"systems": [{"name": "MOR", "receptor": "8EF6", "box_center": [0, 0, 0], "box_size": [20, 0, 20]}]},
     "box_size must be positive"),
    ({"systems": [{"name": "MOR", "receptor": "8EF6", "box_center": [0, 0, 0], "box_size": [100, 20, 20]}]},
     "more than 254 grid intervals"),
    ({"box_spacing": 0.2, "redock": [{"name": "R", "receptor_pdbqt": "r", "ligand_pdbqt": "l",
                                      "box_center": [0, 0, 0], "box_size": [60, 20, 20]}]},
     "more than 254 grid intervals"),
    ({"systems": [{"name": "MOR", "receptor": "8EF6", "box_padding": -2.0}]}, "box_padding must be within"),
])
def test_docking_numbers_validated_at_load(docking: dict, words: str) -> None:
    with pytest.raises(ConfigError, match=words):
        load_workflow(None, {"docking": docking})


@pytest.mark.parametrize("sources, words", [
    ({"timeout": 0.0}, "timeout must be a positive"), ({"deadline": -5.0}, "deadline must be a positive"),
    ({"retries": -1}, "retries must be within"), ({"rcsb_host": "http://files.example.org"}, "https://"),
    ({"pubchem_host": "ftp://x"}, "https://"),
])
def test_http_settings_validated_at_load(sources: dict, words: str) -> None:
    with pytest.raises(ConfigError, match=words):
        load_workflow(None, {"sources": sources})


# --- run options ----------------------------------------------------------------------------------
def test_unknown_stage_runs_nothing_and_says_so(repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    code = main(["run", str(repo / "workflows/microdiscectomy-offline.toml"), "--out", str(tmp_path / "r"),
                 "--stages", "network,netwrok"])
    assert code == 2 and "unknown stage 'netwrok'" in capsys.readouterr().err
    assert not (tmp_path / "r").exists()


def test_resume_and_force_together_refused(repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    code = main(["run", str(repo / "workflows/microdiscectomy-offline.toml"), "--out", str(tmp_path / "r"),
                 "--stages", "network", "--resume", "--force"])
    assert code == 2 and "--resume and --force contradict" in capsys.readouterr().err
    assert not (tmp_path / "r").exists()


def test_target_list_entries_are_validated(tmp_path: Path) -> None:
    config = load_workflow(None, {"target_list": ["GRIN1", "BDNF;CREB1"], "cache_dir": str(tmp_path)})
    with pytest.raises(ConfigError, match=r"target_list\[1\]: 'BDNF;CREB1' is not a gene symbol"):
        run_workflow(config, tmp_path / "r", stages=["network"])
    assert not (tmp_path / "r").exists()


def test_targets_flag_wins_over_target_list(repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    workflow = tmp_path / "w.toml"
    text = (repo / "workflows/microdiscectomy-offline.toml").read_text()
    text = text.replace('targets = "../targets.txt"', 'target_list = ["GRIN1", "GRIN2B"]')
    text = text.replace('cache_dir = "../cache"', f'cache_dir = "{repo / "cache"}"')
    workflow.write_text(text.replace("../data/", f"{repo}/data/"))
    # the repo's 13 targets in reverse order (the workflow's claims name some of them)
    symbols = [t.split("#")[0].strip() for t in (repo / "targets.txt").read_text().splitlines()]
    symbols = [t for t in symbols if t][::-1]
    targets = tmp_path / "t.txt"
    targets.write_text("\n".join(symbols) + "\n")
    assert main(["run", str(workflow), "--out", str(tmp_path / "r"), "--stages", "network",
                 "--targets", str(targets)]) == 0
    assert (tmp_path / "r" / "targets.txt").read_text().split() == symbols


# --- cache verify ---------------------------------------------------------------------------------
def _cache_with_one_import(tmp_path: Path) -> tuple[Path, str]:
    (tmp_path / "e.tsv").write_bytes(EXPORT)
    entry = record_import(tmp_path / "e.tsv", Cache(tmp_path / "cache"), "rat")
    return tmp_path / "cache", entry.key


@pytest.mark.parametrize("damage, words", [
    (lambda c, k: (c / "entries" / f"{k}.meta.json").unlink(), "orphan body: metadata file missing"),
    (lambda c, k: (c / "entries" / f"{k}.body").unlink(), "metadata without body file"),
    (lambda c, k: (c / "entries" / "notes.txt").write_text("x"), "stray file"),
    (lambda c, k: (c / "entries" / f".{k}.body.abcd1234.tmp").write_text("x"), "temporary file left"),
    (lambda c, k: (c / "entries" / f"{k}.meta.json").write_text("{oops"), "unreadable metadata"),
    (lambda c, k: (c / "entries" / f"{k}.meta.json").write_text("{}"), "!= recorded None"),
])
def test_cache_verify_fails_on_damage(tmp_path: Path, capsys: pytest.CaptureFixture, damage: Callable,
                                      words: str) -> None:
    cache, key = _cache_with_one_import(tmp_path)
    assert main(["cache", "verify", "--cache", str(cache)]) == 0
    capsys.readouterr()
    damage(cache, key)
    assert main(["cache", "verify", "--cache", str(cache)]) == 1
    assert words in capsys.readouterr().out


@pytest.mark.parametrize("make, words", [(lambda p: p.write_text("x"), "is a file, not a folder"),
                                         (lambda p: None, "cache folder not found")])
def test_cache_path_that_is_not_a_folder(tmp_path: Path, capsys: pytest.CaptureFixture, make: Callable,
                                         words: str) -> None:
    make(tmp_path / "c")
    assert main(["cache", "verify", "--cache", str(tmp_path / "c")]) == 2
    assert words in capsys.readouterr().err

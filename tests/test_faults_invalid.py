"""Answers and files that look valid but are not (issue 20): each is refused before it is cached or used,
or, for data netpharm derives itself, rebuilt; ``cache verify`` finds what an older netpharm stored.

The good inputs are real recorded files (the wwPDB mirror of 6VI4 in the shipped ``cache/``, a STRING web
export in ``tests/data/enrichment``) or the project's documented morphine record; every bad input is derived
from them here (cut short, another entry's file, a SMILES cut inside a ring, a header without rows).
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from helpers.faultserver import FaultServer

from netpharm.cli.main import main
from netpharm.docking.prepare.ligand import KNOWN_LIGANDS, resolve_ligand_name
from netpharm.docking.resultsdb import ResultsDB
from netpharm.enrichment.annotations import AnnotationFiles
from netpharm.enrichment.library import load_library
from netpharm.errors import CacheCorruptError
from netpharm.sources.cache import Cache, Request
from netpharm.sources.config import SourcesConfig
from netpharm.sources.rcsb import fetch_structure, structure_request
from netpharm.sources.validate import MalformedAnswer

REPO = Path(__file__).resolve().parents[1]
DATA = Path(__file__).parent / "data" / "enrichment"
WEB_ALL = DATA / "string_web" / "marysolbego_mouse_tear.enrichment.all.tsv"
API_TSV = DATA / "string_api" / "aposfys_sigmar1_26genes.enrichment.tsv"
PUBCHEM_PATH = "/rest/pug/compound/name/morphine/property/IsomericSMILES,InChIKey/JSON"


def _shipped_6vi4() -> bytes:
    """The real wwPDB mmCIF of 6VI4 recorded (mirror, byte for byte) in the shipped cache."""
    entry = Cache(REPO / "cache").get(structure_request("6VI4"))
    assert entry is not None and entry.meta["kind"] == "mirror"
    return entry.body


def _pubchem(smiles: str, inchikey: str) -> bytes:
    """An answer in PUG REST's property-table shape holding the given values."""
    record = {"CID": 5288826, "IsomericSMILES": smiles, "InChIKey": inchikey}
    return json.dumps({"PropertyTable": {"Properties": [record]}}).encode() + b"\n"


MORPHINE_SMILES, MORPHINE_KEY = KNOWN_LIGANDS["morphine"]  # docking notes (PubChem CID 5288826)
GOOD_PUBCHEM = _pubchem(MORPHINE_SMILES, MORPHINE_KEY)
# Derived: morphine's SMILES cut before ring 4 closes (what a cut or garbled record looks like).
CUT_SMILES = MORPHINE_SMILES[: MORPHINE_SMILES.index("[C@H](C=C4)")]
BAD_PUBCHEM = _pubchem(CUT_SMILES, MORPHINE_KEY)


@pytest.fixture
def server() -> Iterator[FaultServer]:
    srv = FaultServer(max_requests=30).start()
    started = time.monotonic()
    yield srv
    srv.stop()
    assert srv.overflow == 0, "a test asked the fault server more often than its budget"
    assert time.monotonic() - started < 60


def sources_client(server: FaultServer):  # type: ignore[no-untyped-def]
    cfg = SourcesConfig(timeout=2.0, connect_timeout=2.0, retries=1, backoff=0.0, deadline=10.0, min_interval=0.0,
                        rcsb_host=f"{server.url}/download", pubchem_host=f"{server.url}/rest/pug")
    return cfg.client()


def entry_files(cache: Path) -> list[str]:
    folder = cache / "entries"
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


def verify_cli(cache: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    capsys.readouterr()
    code = main(["cache", "verify", "--cache", str(cache)])
    return code, capsys.readouterr().out


# --- 1. PubChem: a SMILES that does not parse ------------------------------------------------------
def test_fault_invalid_answer_pubchem_smiles_that_does_not_parse_is_never_cached(server: FaultServer,
                                                                                  tmp_path: Path) -> None:
    server.on(PUBCHEM_PATH, ("ok", BAD_PUBCHEM))
    cache = tmp_path / "cache"
    with pytest.raises(MalformedAnswer, match=r"SMILES that does not parse \(RDKit\): '" + r"CN1CC\[C@\]23"):
        resolve_ligand_name("morphine", Cache(cache), sources_client(server))
    assert entry_files(cache) == []
    # An answer without an InChIKey is refused the same way.
    server.on(PUBCHEM_PATH, ("ok", _pubchem(MORPHINE_SMILES, "")))
    with pytest.raises(MalformedAnswer, match="without SMILES/InChIKey"):
        resolve_ligand_name("morphine", Cache(cache), sources_client(server))
    assert entry_files(cache) == []


def test_fault_invalid_answer_pubchem_smiles_cached_earlier_is_corrupt_verified_and_refetched(
        server: FaultServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    server.on(PUBCHEM_PATH, ("ok", GOOD_PUBCHEM))
    cache = tmp_path / "cache"
    request = Request.make("GET", f"https://pubchem.ncbi.nlm.nih.gov{PUBCHEM_PATH}", source="pubchem")
    Cache(cache).put(request, BAD_PUBCHEM, http_status=200)  # what an older netpharm stored
    with pytest.raises(CacheCorruptError, match="malformed answer .*does not parse.*--refresh"):
        resolve_ligand_name("morphine", Cache(cache, offline=True))
    code, out = verify_cli(cache, capsys)
    assert code == 1 and f"CORRUPT {request.key}" in out and "does not parse (RDKit)" in out
    assert resolve_ligand_name("morphine", Cache(cache, refresh=["corrupt"]), sources_client(server)) == (
        MORPHINE_SMILES, MORPHINE_KEY)
    assert verify_cli(cache, capsys) == (0, "1 of 1 entries verified\n")


# --- 2. RCSB: a cut mmCIF, another entry's file ----------------------------------------------------
def _cut_mid_row(body: bytes) -> bytes:
    return body[: len(body) // 2]


def _cut_at_line(body: bytes) -> bytes:
    return body[: body.rfind(b"\n", 0, len(body) // 2) + 1]


@pytest.mark.parametrize("cut, message", [(_cut_mid_row, "does not parse"), (_cut_at_line, "truncated mmCIF")],
                         ids=["mid-row", "at-a-line-end"])
def test_fault_invalid_answer_truncated_mmcif_is_never_cached(server: FaultServer, tmp_path: Path, cut,  # type: ignore[no-untyped-def]
                                                              message: str) -> None:
    server.on("/download/6VI4.cif", ("ok", cut(_shipped_6vi4())))
    with pytest.raises(MalformedAnswer, match=message):
        fetch_structure("6VI4", Cache(tmp_path / "cache"), sources_client(server))
    assert entry_files(tmp_path / "cache") == []


def test_fault_invalid_answer_another_entrys_mmcif_is_never_cached(server: FaultServer, tmp_path: Path) -> None:
    server.on("/download/1ABC.cif", ("ok", _shipped_6vi4()))  # a mirror serving 6VI4's file for 1ABC
    with pytest.raises(MalformedAnswer, match="returned the file of entry 6VI4, not 1ABC"):
        fetch_structure("1ABC", Cache(tmp_path / "cache"), sources_client(server))
    assert entry_files(tmp_path / "cache") == []


def test_fault_invalid_answer_cached_bad_mmcif_is_found_by_verify_and_refetched(
        server: FaultServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = _shipped_6vi4()
    server.on("/download/6VI4.cif", ("ok", good))
    cache = tmp_path / "cache"
    truncated = Cache(cache).put(structure_request("6VI4"), _cut_at_line(good), http_status=200)  # older netpharm
    foreign = Cache(cache).put(structure_request("1ABC"), good, http_status=200)
    code, out = verify_cli(cache, capsys)
    assert code == 1 and "0 of 2 entries verified" in out
    assert f"CORRUPT {truncated.key}: malformed answer" in out and "truncated mmCIF" in out
    assert f"CORRUPT {foreign.key}: malformed answer" in out and "entry 6VI4, not 1ABC" in out
    with pytest.raises(CacheCorruptError, match="malformed answer"):
        fetch_structure("6VI4", Cache(cache, offline=True))
    fixed = fetch_structure("6VI4", Cache(cache, refresh=["corrupt"]), sources_client(server))
    assert fixed.body == good and (cache / "entries" / f"{truncated.key}.body").read_bytes() == good


def _cut_after_atom_sites(body: bytes) -> bytes:
    """6VI4 cut right after the '#' line that closes ``_atom_site`` (a download stopped between categories):
    every atom is there, the categories after it are not. It parses, and ends with a '#' line."""
    hash_line = body.index(b"\n#", body.index(b"_atom_site.pdbx_PDB_model_num")) + 1
    end = body.index(b"\n", hash_line) + 1
    assert body[hash_line:end].strip() == b"#" and body[end:].startswith(b"loop_\n_pdbx_poly_seq_scheme.")
    return body[:end]


def test_fault_truncated_mmcif_cut_after_a_hash_line_is_never_cached(server: FaultServer, tmp_path: Path) -> None:
    cut = _cut_after_atom_sites(_shipped_6vi4())
    server.on("/download/6VI4.cif", ("ok", cut))
    line = cut.count(b"\n")
    with pytest.raises(MalformedAnswer, match=rf"truncated mmCIF file, ends at line {line} without "
                                              r"_pdbx_audit_revision_history, _pdbx_poly_seq_scheme"):
        fetch_structure("6VI4", Cache(tmp_path / "cache"), sources_client(server))
    assert entry_files(tmp_path / "cache") == []


def test_fault_truncated_mmcif_cut_after_a_hash_line_cached_earlier_is_refetched(
        server: FaultServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = _shipped_6vi4()
    server.on("/download/6VI4.cif", ("ok", good))
    cache = tmp_path / "cache"
    damaged = Cache(cache).put(structure_request("6VI4"), _cut_after_atom_sites(good), http_status=200)
    code, out = verify_cli(cache, capsys)
    assert code == 1 and f"CORRUPT {damaged.key}: malformed answer" in out and "_pdbx_poly_seq_scheme" in out
    with pytest.raises(CacheCorruptError, match="malformed answer .*truncated mmCIF file.*--refresh"):
        fetch_structure("6VI4", Cache(cache, offline=True))
    fixed = fetch_structure("6VI4", Cache(cache, refresh=["corrupt"]), sources_client(server))
    assert fixed.body == good and verify_cli(cache, capsys) == (0, "1 of 1 entries verified\n")


def test_fault_truncated_pdb_format_entry_is_never_cached(server: FaultServer, tmp_path: Path) -> None:
    """The PDB-format file of 8E0G (tests/data/structures, unmodified) cut after 3000 of its atoms."""
    full = (REPO / "tests/data/structures/MOR_8E0G_mouse_BU72.pdb").read_bytes()
    lines = full.split(b"\n")
    atoms = [n for n, line in enumerate(lines) if line.startswith(b"ATOM  ")]
    server.on("/download/8E0G.pdb", ("ok", b"\n".join(lines[:atoms[3000]]) + b"\n"))
    with pytest.raises(MalformedAnswer, match=rf"truncated PDB file, ends at line {atoms[3000]} without an END "
                                              r"record, inside chain B: SEQRES lists 125 residues"):
        fetch_structure("8E0G", Cache(tmp_path / "cache"), sources_client(server), fmt="pdb")
    assert entry_files(tmp_path / "cache") == []
    server.on("/download/8E0G.pdb", ("ok", full))  # the whole file is taken
    assert fetch_structure("8E0G", Cache(tmp_path / "cache"), sources_client(server), fmt="pdb").body == full


def test_shipped_cache_passes_the_content_checks(capsys: pytest.CaptureFixture[str]) -> None:
    # The four mirrored mmCIFs parse, end their last category and name their own entry.
    assert Cache(REPO / "cache").verify() == []


# --- 3. derived/: a cut parsed-library file ------------------------------------------------------------
def _tiny_files() -> AnnotationFiles:
    return AnnotationFiles(obo=DATA / "handmade_tiny.obo", go_annotations=DATA / "handmade_tiny.gaf",
                           gene_info=DATA / "handmade_tiny_genes.tsv", reactome_gmt=DATA / "handmade_tiny.gmt")


def test_fault_corrupt_derived_library_is_verified_and_rebuilt_with_a_warning(
        tmp_path: Path, caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]) -> None:
    cache = tmp_path / "cache"
    folder = cache / "derived" / "enrichment"
    good = load_library(_tiny_files(), cache_dir=folder)
    (npz,) = folder.glob("library-*.npz")
    assert Cache(cache).verify() == []
    npz.write_bytes(npz.read_bytes()[: npz.stat().st_size // 2])  # derived: the good file cut in half
    code, out = verify_cli(cache, capsys)
    assert code == 1 and f"CORRUPT derived/enrichment/{npz.name}: corrupt derived file" in out
    assert "rebuilt on the next run" in out and out.rstrip().endswith("; 1 corrupt derived file(s)")
    with caplog.at_level(logging.WARNING, logger="netpharm.enrichment.library"):
        rebuilt = load_library(_tiny_files(), cache_dir=folder)
    assert any("unreadable" in r.getMessage() and "rebuilding" in r.getMessage() for r in caplog.records)
    assert rebuilt.term_ids == good.term_ids and np.array_equal(rebuilt.pair_genes, good.pair_genes)
    assert Cache(cache).verify() == []


# --- 4. a header-only STRING enrichment import -------------------------------------------------------
@pytest.mark.parametrize("source, keep", [(WEB_ALL, "header"), (API_TSV, "header"), (API_TSV, "json")],
                         ids=["web-all-tsv", "api-tsv", "api-json"])
def test_fault_invalid_file_header_only_enrichment_import_is_refused(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], source: Path, keep: str) -> None:
    empty = tmp_path / ("derived_header_only.json" if keep == "json" else "derived_header_only.tsv")
    empty.write_text("[]\n" if keep == "json" else source.read_text().splitlines()[0] + "\n")
    code = main(["import", str(empty), "--kind", "enrichment", "--label", "empty", "--cache",
                 str(tmp_path / "cache")])
    err = capsys.readouterr().err
    assert code == 2 and "no enrichment terms (only a header)" in err and str(empty) in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert entry_files(tmp_path / "cache") == []


# --- 5. `netpharm results` in a folder whose name holds URI characters ---------------------------------
@pytest.mark.parametrize("name", ["run?mode=rwc", "run#1", "run%3Fx", "r?x#y%41"])
def test_fault_invalid_path_results_database_uri_is_quoted(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                           name: str) -> None:
    run = tmp_path / name
    with ResultsDB(run / "docking" / "results.sqlite") as db:  # hand-made: one queued job
        db.queue_job("MOR/morphine:autodock4", "MOR", "morphine", "autodock4", str(run / "docking" / "MOR"), {})
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    capsys.readouterr()
    assert main(["results", str(run)]) == 0
    err = capsys.readouterr().err
    assert "# 0 of 1 jobs done" in err and "# MOR/morphine:autodock4: pending" in err
    # No file appeared anywhere but SQLite's own WAL side files next to the right database.
    appeared = set(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) - set(before)
    assert appeared <= {Path(name, "docking", f"results.sqlite-{side}") for side in ("shm", "wal")}

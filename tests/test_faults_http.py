"""Injected HTTP faults against a real loopback server: STRING, RCSB, PubChem.

Every answer body here is a HAND-MADE FIXTURE in the service's documented shape (STRING's
TSV columns, PubChem's PropertyTable JSON, a PDB ATOM record), not real output. Each case
asserts the exact error class, that the endpoint is named, and that nothing bad entered the
cache (a later good answer is then fetched and stored: nothing is lost).
"""

from __future__ import annotations

import ssl
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import trustme
from helpers.faultserver import FaultServer

from netpharm.docking.prepare.ligand import resolve_ligand_name
from netpharm.errors import (
    CacheCorruptError,
    FetchError,
    IdentifierMappingError,
    LigandPrepError,
    StructureNotFoundError,
)
from netpharm.registry import load_workflow
from netpharm.sources.cache import Cache
from netpharm.sources.config import SourcesConfig
from netpharm.sources.http import HttpClient
from netpharm.sources.rcsb import fetch_structure
from netpharm.sources.string_db import StringClient
from netpharm.sources.validate import MalformedAnswer
from netpharm.workflow import run_workflow

GRIN1, GRIN2B = "9606.ENSP00000360608", "9606.ENSP00000477455"
# Hand-made, in STRING's documented get_string_ids / network TSV formats.
IDS = ("queryIndex\tqueryItem\tstringId\tncbiTaxonId\ttaxonName\tpreferredName\tannotation\n"
       f"0\tGRIN1\t{GRIN1}\t9606\tHomo sapiens\tGRIN1\thand-made\n"
       f"1\tGRIN2B\t{GRIN2B}\t9606\tHomo sapiens\tGRIN2B\thand-made\n").encode()
NETWORK = ("stringId_A\tstringId_B\tpreferredName_A\tpreferredName_B\tncbiTaxonId\tscore\tnscore\tfscore\t"
           "pscore\tascore\tescore\tdscore\ttscore\n"
           f"{GRIN1}\t{GRIN2B}\tGRIN1\tGRIN2B\t9606\t0.999\t0\t0\t0\t0.1\t0.9\t0.9\t0.9\n").encode()
# Hand-made, in PubChem PUG REST's property-table shape (the SMILES must parse: N-methylpyrrolidine).
PUBCHEM = b'{"PropertyTable": {"Properties": [{"CID": 5288826, "IsomericSMILES": "CN1CCCC1", "InChIKey": "X"}]}}\n'
PUBCHEM_PATH = "/compound/name/morphine/property/IsomericSMILES,InChIKey/JSON"
# Hand-made two-atom PDB file.
PDB = (b"ATOM      1  CA  ALA A   1      11.104   6.134  -6.504  1.00  0.00           C\n"
       b"ATOM      2  CA  GLY A   2      12.560   6.362  -6.197  1.00  0.00           C\nEND\n")


@pytest.fixture
def server() -> Iterator[FaultServer]:
    srv = FaultServer(max_requests=60).start()
    started = time.monotonic()
    yield srv
    srv.stop()
    assert srv.overflow == 0, "a test asked the fault server more often than its budget"
    assert time.monotonic() - started < 60


def client(**kwargs: object) -> HttpClient:
    settings = {"timeout": 2.0, "retries": 2, "backoff": 0.0, "min_interval": 0.0, "deadline": 10.0, **kwargs}
    return HttpClient(**settings)  # type: ignore[arg-type]


def string(server: FaultServer, tmp_path: Path, **kwargs: object) -> StringClient:
    return StringClient(Cache(tmp_path / "cache"), client(**kwargs), host=f"{server.url}/api", species=9606,
                        caller_identity="netpharm-tests")


def cached_files(tmp_path: Path) -> list[str]:
    folder = tmp_path / "cache" / "entries"
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


# --- STRING: malformed 200 answers are never cached -----------------------------------------------
@pytest.mark.parametrize("fault, message", [
    (("html",), "HTML/XML page"),
    (("empty",), "empty answer"),
    (("garbled",), "not UTF-8"),
    (("ok", b'{"Error": "species unknown"}\n'), "error body"),
    (("ok", b"queryIndex\tqueryItem\n0\tGRIN1\n"), "header lacks stringId, preferredName"),
    (("ok", IDS[:-40]), None),  # cut in the middle of a row: wrong field count
])
def test_malformed_string_answer_is_an_http_error_never_cached(server: FaultServer, tmp_path: Path,
                                                             fault: tuple, message: str | None) -> None:
    server.on("/api/tsv/get_string_ids", fault, ("ok", IDS))
    strings = string(server, tmp_path)
    with pytest.raises(MalformedAnswer) as info:
        strings.map_identifiers(["GRIN1", "GRIN2B"])
    text = str(info.value)
    assert f"POST {server.url}/api/tsv/get_string_ids" in text and "unknown to STRING" not in text
    if message:
        assert message in text
    assert not isinstance(info.value, IdentifierMappingError)
    assert cached_files(tmp_path) == []            # the bad answer was not stored
    mapping = strings.map_identifiers(["GRIN1", "GRIN2B"])   # the next, good answer is
    assert mapping.string_ids == {"GRIN1": GRIN1, "GRIN2B": GRIN2B} and len(cached_files(tmp_path)) == 2


@pytest.mark.parametrize("status", [429, 500, 502, 503, 504])
def test_transient_status_is_retried_then_cached(server: FaultServer, tmp_path: Path, status: int) -> None:
    server.on("/api/tsv/network", ("status", status, b"busy\n"), ("ok", NETWORK))
    entry = string(server, tmp_path).network([GRIN1, GRIN2B])
    assert entry.body == NETWORK and server.hits["/api/tsv/network"] == 2


def test_persistent_503_fails_after_the_configured_retries(server: FaultServer, tmp_path: Path) -> None:
    server.on("/api/tsv/network", ("status", 503, b"down for maintenance\n"))
    with pytest.raises(FetchError, match=r"failed after 3 attempt\(s\): HTTP 503: down for maintenance"):
        string(server, tmp_path, retries=2).network([GRIN1, GRIN2B])
    assert server.hits["/api/tsv/network"] == 3 and cached_files(tmp_path) == []


def test_truncated_body_is_retried_and_never_cached(server: FaultServer, tmp_path: Path) -> None:
    server.on("/api/tsv/network", ("truncated", NETWORK))
    with pytest.raises(FetchError) as info:
        string(server, tmp_path, retries=1).network([GRIN1, GRIN2B])
    assert "/api/tsv/network" in str(info.value) and server.hits["/api/tsv/network"] == 2
    assert cached_files(tmp_path) == []


def test_slow_server_times_out_per_attempt(server: FaultServer, tmp_path: Path) -> None:
    server.on("/api/tsv/network", ("slow", 3.0, NETWORK))
    tic = time.monotonic()
    with pytest.raises(FetchError, match=r"no answer from 127\.0\.0\.1:\d+ within 0\.5 s \(read timeout\)"):
        string(server, tmp_path, timeout=0.5, retries=1).network([GRIN1, GRIN2B])
    assert time.monotonic() - tic < 2.5 and cached_files(tmp_path) == []


def test_overall_deadline_bounds_a_dripping_server(server: FaultServer, tmp_path: Path) -> None:
    # Each byte arrives well within the read timeout, so only the overall deadline can stop it.
    server.on("/api/tsv/network", ("drip", 0.05, NETWORK))
    tic = time.monotonic()
    with pytest.raises(FetchError, match="deadline"):
        string(server, tmp_path, timeout=1.0, retries=3, deadline=1.0).network([GRIN1, GRIN2B])
    assert time.monotonic() - tic < 3.0 and cached_files(tmp_path) == []


def test_a_cached_malformed_answer_is_corrupt_and_refresh_refetches_it(server: FaultServer, tmp_path: Path) -> None:
    server.on("/api/tsv/network", ("ok", NETWORK))
    strings = string(server, tmp_path)
    entry = strings.network([GRIN1, GRIN2B])
    body = tmp_path / "cache" / "entries" / f"{entry.key}.body"
    meta = body.with_name(f"{entry.key}.meta.json")
    # An older netpharm stored an HTML page (sha256 consistent with it): reading it is refused...
    import json

    from netpharm.io import bytes_sha256
    record = json.loads(meta.read_text())
    record["sha256"] = bytes_sha256(b"<html>maintenance</html>")
    body.write_bytes(b"<html>maintenance</html>")
    meta.write_text(json.dumps(record))
    with pytest.raises(CacheCorruptError, match="malformed answer .*--refresh"):
        strings.network([GRIN1, GRIN2B])
    assert Cache(tmp_path / "cache").verify()[0][0] == entry.key
    # ... and --refresh corrupt fetches it again.
    fixed = StringClient(Cache(tmp_path / "cache", refresh=["corrupt"]), client(), host=f"{server.url}/api",
                         species=9606,
                         caller_identity="netpharm-tests").network([GRIN1, GRIN2B])
    assert fixed.body == NETWORK and body.read_bytes() == NETWORK and Cache(tmp_path / "cache").verify() == []


# --- RCSB and PubChem, through configurable hosts -----------------------------------------------
def sources_client(server: FaultServer) -> HttpClient:
    cfg = SourcesConfig(timeout=2.0, connect_timeout=2.0, retries=1, backoff=0.0, deadline=10.0, min_interval=0.0,
                        rcsb_host=f"{server.url}/download", pubchem_host=f"{server.url}/rest/pug")
    return cfg.client()


@pytest.mark.parametrize("fault, error, message", [
    (("html",), MalformedAnswer, "HTML/XML page"),
    (("ok", b"data_1ABC\n_entry.id 1ABC\n"), MalformedAnswer, "without atom sites"),
    (("status", 404, b"not found\n"), StructureNotFoundError, "not found at RCSB"),
    (("garbled",), MalformedAnswer, "not UTF-8"),
])
def test_rcsb_faults(server: FaultServer, tmp_path: Path, fault: tuple, error: type, message: str) -> None:
    server.on("/download/1ABC.cif", fault)
    cache = Cache(tmp_path / "cache")
    with pytest.raises(error, match=message):
        fetch_structure("1ABC", cache, sources_client(server))
    assert cached_files(tmp_path) == []


def test_rcsb_host_is_configurable_and_key_stays_canonical(server: FaultServer, tmp_path: Path) -> None:
    server.on("/download/1ABC.cif", ("status", 503, b"busy\n"), ("ok", PDB))
    entry = fetch_structure("1ABC", Cache(tmp_path / "cache"), sources_client(server))
    assert entry.body == PDB and entry.meta["url"] == "https://files.rcsb.org/download/1ABC.cif"
    assert entry.meta["host"] == server.url.split("://")[1]   # the mirror that answered is recorded


@pytest.mark.parametrize("fault, error, message", [
    (("ok", b'{"PropertyTable": {"Properties": [{"CID"'), MalformedAnswer, "not valid JSON"),
    (("ok", b'{"Fault": {"Code": "PUGREST.ServerBusy"}}'), MalformedAnswer, "PubChem property table"),
    (("status", 404, b'{"Fault": {"Code": "PUGREST.NotFound"}}'), LigandPrepError, "knows no compound"),
    (("truncated", PUBCHEM), FetchError, "truncated"),
])
def test_pubchem_faults(server: FaultServer, tmp_path: Path, fault: tuple, error: type, message: str) -> None:
    server.on(f"/rest/pug{PUBCHEM_PATH}", fault)
    with pytest.raises(error, match=message):
        resolve_ligand_name("morphine", Cache(tmp_path / "cache"), sources_client(server))
    assert cached_files(tmp_path) == []


def test_pubchem_good_answer_after_a_fault(server: FaultServer, tmp_path: Path) -> None:
    server.on(f"/rest/pug{PUBCHEM_PATH}", ("status", 500, b"oops\n"), ("ok", PUBCHEM))
    assert resolve_ligand_name("morphine", Cache(tmp_path / "cache"), sources_client(server)) == ("CN1CCCC1", "X")


# --- TLS stays on ---------------------------------------------------------------------------------
@pytest.fixture
def tls_server() -> Iterator[tuple[FaultServer, trustme.CA]]:
    ca = trustme.CA()
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(context)
    srv = FaultServer(max_requests=20, tls=context).start()
    yield srv, ca
    srv.stop()


def test_https_with_a_trusted_certificate(tls_server: tuple[FaultServer, trustme.CA], tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    srv, ca = tls_server
    srv.on("/api/tsv/network", ("ok", NETWORK))
    with ca.cert_pem.tempfile() as bundle:
        monkeypatch.setenv("REQUESTS_CA_BUNDLE", bundle)
        assert string(srv, tmp_path).network([GRIN1, GRIN2B]).body == NETWORK


def test_https_with_an_untrusted_certificate_is_refused(tls_server: tuple[FaultServer, trustme.CA],
                                                        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    srv, _ = tls_server
    srv.on("/api/tsv/network", ("ok", NETWORK))
    monkeypatch.delenv("REQUESTS_CA_BUNDLE", raising=False)
    monkeypatch.delenv("CURL_CA_BUNDLE", raising=False)
    with pytest.raises(FetchError, match="its certificate is not trusted or the handshake failed"):
        string(srv, tmp_path, retries=0).network([GRIN1, GRIN2B])
    assert cached_files(tmp_path) == []


# --- a workflow run against the faulty server -------------------------------------------------------
def test_workflow_network_stage_fails_cleanly_on_html_then_recovers(tls_server: tuple[FaultServer, trustme.CA],
                                                                    tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    server, ca = tls_server   # network.string_host must be https: the run goes through TLS
    bundle = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(bundle))
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(bundle))
    server.on("/api/tsv/get_string_ids", ("html",))
    overrides = {"target_list": ["GRIN1", "GRIN2B"], "cache_dir": str(tmp_path / "cache"), "offline": False,
                 "network": {"string_host": f"{server.url}/api", "ppi_enrichment": False, "bootstrap": 5,
                             "stability_cutoffs": []},
                 "sources": {"retries": 0, "backoff": 0.0, "min_interval": 0.0, "timeout": 2.0}}
    config = load_workflow(None, overrides)
    first = run_workflow(config, tmp_path / "run", stages=["network"])
    outcome = first.outcomes["network"]
    assert outcome.status == "failed" and "returned an HTML/XML page instead of data" in outcome.reason
    assert cached_files(tmp_path) == []
    server.on("/api/tsv/get_string_ids", ("ok", IDS))
    server.on("/api/tsv/network", ("ok", NETWORK))
    second = run_workflow(config, tmp_path / "run", stages=["network"], resume=True)
    assert second.outcomes["network"].status == "ok" and second.skipped == []
    assert second.outcomes["network"].findings.edges == 1


# --- large answers: a size cap per source, the body streamed to a spool file ------------------------------
def test_fault_large_answer_announced_larger_than_the_cap_is_refused_unread(server: FaultServer,
                                                                           tmp_path: Path) -> None:
    from netpharm.sources.cache import Request
    from netpharm.sources.http import MAX_BODY

    server.on("/big", ("ok", b"x" * (MAX_BODY["pubchem"] + 1)))
    with pytest.raises(FetchError, match=r"answer of 8 MB is larger than the 8 MB netpharm accepts from this "
                                         r"source; nothing was read"):
        client().send(Request.make("GET", f"{server.url}/big", source="pubchem"))
    assert server.hits["/big"] == 1  # not retried


def test_fault_large_streamed_answer_stops_at_the_cap(server: FaultServer) -> None:
    from netpharm.sources.cache import Request

    server.on("/stream", ("stream", 12 * 2**20))  # no Content-Length: only reading can tell
    with pytest.raises(FetchError, match="answer larger than the 8 MB netpharm accepts from this source"):
        client().send(Request.make("GET", f"{server.url}/stream", source="pubchem"))


def test_fault_large_answer_is_held_in_memory_once(server: FaultServer, monkeypatch: pytest.MonkeyPatch) -> None:
    import tracemalloc

    from netpharm.sources import http
    from netpharm.sources.cache import Request

    size = 40 * 2**20
    monkeypatch.setitem(http.MAX_BODY, "string", 64 * 2**20)
    server.on("/network", ("stream", size))
    tracemalloc.start()
    try:
        body, _ = client().send(Request.make("GET", f"{server.url}/network", source="string"))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert len(body) == size
    assert peak < 1.5 * size  # the old chunk list + join held it twice (about 2 x size)

"""HTTP layer and STRING client with mocked HTTP (``responses``); no test touches the network.

Every response body here is a HAND-MADE FIXTURE written in STRING's documented TSV column
format (spec §3.2: get_string_ids -> queryIndex, queryItem, stringId, ncbiTaxonId, taxonName,
preferredName, annotation; network -> stringId_A, stringId_B, preferredName_A, preferredName_B,
ncbiTaxonId, score, nscore, ...). They are not real STRING output. STRING ids of GRIN1 and GRIN2B
are the ones seen in real exports (/work/shared/data/string/string_protein_ids_seen.tsv);
ids containing "HANDMADE" are made up.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qs

import pytest
import requests
import responses

from netpharm.errors import FetchError, IdentifierMappingError
from netpharm.sources import http as http_module
from netpharm.sources.cache import Cache, Request
from netpharm.sources.constants import STRING_API
from netpharm.sources.http import HttpClient
from netpharm.sources.string_db import StringClient

NETWORK_URL = f"{STRING_API}/tsv/network"
IDS_URL = f"{STRING_API}/tsv/get_string_ids"
GRIN1 = "9606.ENSP00000360608"
GRIN2B = "9606.ENSP00000477455"

# Hand-made fixture in STRING's documented get_string_ids format (not real STRING output).
IDS_HEADER = "queryIndex\tqueryItem\tstringId\tncbiTaxonId\ttaxonName\tpreferredName\tannotation\n"
# Hand-made fixture in STRING's documented network format (not real STRING output).
NETWORK_TSV = ("stringId_A\tstringId_B\tpreferredName_A\tpreferredName_B\tncbiTaxonId\tscore\tnscore\tfscore\t"
               "pscore\tascore\tescore\tdscore\ttscore\n"
               f"{GRIN1}\t{GRIN2B}\tGRIN1\tGRIN2B\t9606\t0.999\t0\t0\t0\t0.1\t0.9\t0.9\t0.9\n")


def fast_client(retries: int = 3) -> HttpClient:
    return HttpClient(timeout=5, retries=retries, backoff=0, min_interval=0)


def tls_verified(call: responses.Call) -> bool:
    """Verification on: ``True``, or the CA bundle requests substitutes from REQUESTS_CA_BUNDLE."""
    verify = call.request.req_kwargs["verify"]
    return verify is True or (isinstance(verify, str) and Path(verify).exists())


def form(call: responses.Call) -> dict[str, list[str]]:
    body = call.request.body
    return parse_qs(body.decode() if isinstance(body, bytes) else body, keep_blank_values=True)


# --- HttpClient ------------------------------------------------------------------------------------

@responses.activate
def test_200_returns_body_and_metadata_with_tls_verification() -> None:
    responses.post(NETWORK_URL, body=NETWORK_TSV, status=200, content_type="text/tab-separated-values")
    body, meta = fast_client().send(Request.make("POST", NETWORK_URL, {"identifiers": "GRIN1\rGRIN2B"}))
    assert body == NETWORK_TSV.encode()
    assert meta["http_status"] == 200 and meta["host"] == "version-12-0.string-db.org"
    assert meta["content_type"].startswith("text/tab-separated-values") and meta["retrieved_at"]
    call = responses.calls[0]
    assert tls_verified(call) and call.request.req_kwargs["timeout"] == 5
    assert form(call) == {"identifiers": ["GRIN1\rGRIN2B"]}
    assert "%0D" in call.request.body  # "\r" form-encoded, as STRING documents
    assert call.request.headers["User-Agent"].startswith("netpharm/")


@responses.activate
def test_client_itself_passes_verify_true() -> None:
    responses.post(NETWORK_URL, body=NETWORK_TSV, status=200)
    client = fast_client()
    seen: list[dict[str, object]] = []
    original = client.session.post

    def spy(url: str, **kwargs: object) -> requests.Response:
        seen.append(kwargs)
        return original(url, **kwargs)

    client.session.post = spy  # type: ignore[method-assign]
    client.send(Request.make("POST", NETWORK_URL, {}))
    assert seen[0]["verify"] is True


@responses.activate
def test_503_is_retried_then_succeeds() -> None:
    responses.post(NETWORK_URL, body="busy", status=503)
    responses.post(NETWORK_URL, body="busy", status=503)
    responses.post(NETWORK_URL, body=NETWORK_TSV, status=200)
    body, meta = fast_client(retries=3).send(Request.make("POST", NETWORK_URL, {"species": 9606}))
    assert body == NETWORK_TSV.encode() and meta["http_status"] == 200
    assert len(responses.calls) == 3


@responses.activate
def test_503_until_retries_exhausted_is_a_fetch_error() -> None:
    for _ in range(3):
        responses.post(NETWORK_URL, body="still busy", status=503)
    with pytest.raises(FetchError, match="HTTP 503"):
        fast_client(retries=2).send(Request.make("POST", NETWORK_URL, {"species": 9606}))
    assert len(responses.calls) == 3


@responses.activate
def test_404_names_status_and_endpoint() -> None:
    responses.post(f"{STRING_API}/tsv/no_such_method", body="Error: unknown method", status=404)
    with pytest.raises(FetchError) as info:
        fast_client().send(Request.make("POST", f"{STRING_API}/tsv/no_such_method", {}))
    message = str(info.value)
    assert "HTTP 404" in message and f"{STRING_API}/tsv/no_such_method" in message
    assert "unknown method" in message
    assert info.value.status == 404  # callers test the status, never the message text
    assert len(responses.calls) == 1  # 4xx other than 429 is not retried


@responses.activate
def test_rcsb_404_is_structure_not_found_by_status(tmp_path: Path) -> None:
    from netpharm.errors import StructureNotFoundError
    from netpharm.sources.rcsb import fetch_structure

    responses.get("https://files.rcsb.org/download/0XXX.cif", body="Not Found", status=404)
    with pytest.raises(StructureNotFoundError, match="PDB entry 0XXX not found at RCSB"):
        fetch_structure("0XXX", Cache(tmp_path / "cache"), fast_client())
    responses.get("https://files.rcsb.org/download/0YYY.cif", body="busy", status=500)
    with pytest.raises(FetchError) as info:
        fetch_structure("0YYY", Cache(tmp_path / "cache"), fast_client(retries=0))
    assert not isinstance(info.value, StructureNotFoundError) and info.value.status == 500


@pytest.mark.parametrize("failure, words", [
    (requests.exceptions.ConnectTimeout("connect timed out"), "no connection to version-12-0.string-db.org within "),
    (requests.exceptions.ReadTimeout("read timed out"), "no answer from version-12-0.string-db.org within "),
    (requests.exceptions.ConnectionError("refused"), "the request to version-12-0.string-db.org failed (refused)")])
@responses.activate
def test_timeouts_and_connection_errors_are_fetch_errors(failure: Exception, words: str) -> None:
    responses.post(NETWORK_URL, body=failure)
    with pytest.raises(FetchError, match=re.escape(words)) as info:
        fast_client().send(Request.make("POST", NETWORK_URL, {}))
    assert NETWORK_URL in str(info.value)


@responses.activate
def test_get_sends_query_parameters() -> None:
    responses.get(f"{STRING_API}/json/version", json=[{"string_version": "12.0"}])
    fast_client().send(Request.make("GET", f"{STRING_API}/json/version", {"caller_identity": "netpharm"}))
    assert responses.calls[0].request.params == {"caller_identity": "netpharm"}


def test_min_interval_paces_consecutive_calls(monkeypatch: pytest.MonkeyPatch) -> None:
    waits: list[float] = []
    monkeypatch.setattr(http_module.time, "sleep", waits.append)
    client = HttpClient(min_interval=1.0)
    client._pace()
    client._pace()
    assert len(waits) == 1 and 0.9 < waits[0] <= 1.0


# --- StringClient ---------------------------------------------------------------------------------

def string_client(tmp_path: Path, **kwargs: object) -> StringClient:
    params: dict = {"species": 9606, **kwargs}
    return StringClient(Cache(tmp_path), fast_client(), caller_identity="netpharm-tests", **params)


@responses.activate
def test_network_post_form_and_cache(tmp_path: Path) -> None:
    responses.post(NETWORK_URL, body=NETWORK_TSV, status=200)
    client = string_client(tmp_path, required_score=700, network_type="physical", add_nodes=0)
    entry = client.network([GRIN1, GRIN2B])
    again = client.network([GRIN1, GRIN2B])
    assert entry.body == again.body == NETWORK_TSV.encode()
    assert len(responses.calls) == 1  # second call served from the cache
    sent = form(responses.calls[0])
    assert sent == {"identifiers": [f"{GRIN1}\r{GRIN2B}"], "species": ["9606"], "required_score": ["700"],
                    "network_type": ["physical"], "add_nodes": ["0"], "caller_identity": ["netpharm-tests"]}
    assert tls_verified(responses.calls[0])
    assert entry.meta["string_version_requested"] == STRING_API and entry.meta["source"] == "string"
    # The recorded answer is usable offline.
    offline = StringClient(Cache(tmp_path, offline=True), fast_client(), caller_identity="netpharm-tests",
                           species=9606, required_score=700, network_type="physical")
    assert offline.network([GRIN1, GRIN2B]).body == NETWORK_TSV.encode()


@responses.activate
def test_map_identifiers_accepts_unique_and_exact_name_matches(tmp_path: Path) -> None:
    # Hand-made fixture in STRING's documented format: GRIN2B has two candidates, one named exactly.
    body = (IDS_HEADER
            + f"0\tGRIN1\t{GRIN1}\t9606\tHomo sapiens\tGRIN1\thand-made fixture annotation\n"
            + f"1\tGRIN2B\t{GRIN2B}\t9606\tHomo sapiens\tGRIN2B\thand-made fixture annotation\n"
            + "1\tGRIN2B\t9606.HANDMADE0001\t9606\tHomo sapiens\tGRIN2A\thand-made fixture annotation\n")
    responses.post(IDS_URL, body=body, status=200)
    mapping = string_client(tmp_path).map_identifiers(["GRIN1", "GRIN2B"])
    assert mapping.string_ids == {"GRIN1": GRIN1, "GRIN2B": GRIN2B}
    assert mapping.preferred_names == {"GRIN1": "GRIN1", "GRIN2B": "GRIN2B"}
    sent = form(responses.calls[0])
    assert sent["identifiers"] == ["GRIN1\rGRIN2B"] and sent["limit"] == ["5"] and sent["echo_query"] == ["1"]
    assert sent["species"] == ["9606"] and sent["caller_identity"] == ["netpharm-tests"]


@responses.activate
def test_map_identifiers_lists_unknown_and_ambiguous(tmp_path: Path) -> None:
    # Hand-made fixture in STRING's documented format: NOTAGENE1/NOTAGENE2 absent from the answer;
    # "NR2" matches two proteins, neither named NR2.
    body = (IDS_HEADER
            + f"0\tGRIN1\t{GRIN1}\t9606\tHomo sapiens\tGRIN1\thand-made fixture annotation\n"
            + f"2\tNR2\t{GRIN2B}\t9606\tHomo sapiens\tGRIN2B\thand-made fixture annotation\n"
            + "2\tNR2\t9606.HANDMADE0002\t9606\tHomo sapiens\tGRIN2A\thand-made fixture annotation\n")
    responses.post(IDS_URL, body=body, status=200)
    with pytest.raises(IdentifierMappingError) as info:
        string_client(tmp_path).map_identifiers(["GRIN1", "NOTAGENE1", "NR2", "NOTAGENE2"])
    message = str(info.value)
    assert "unknown to STRING (species 9606): NOTAGENE1, NOTAGENE2" in message
    assert f"NR2: GRIN2B ({GRIN2B}), GRIN2A (9606.HANDMADE0002)" in message
    assert "GRIN1:" not in message


@responses.activate
def test_error_body_is_a_fetch_error(tmp_path: Path) -> None:
    responses.post(IDS_URL, body="Error: species not found", status=200)
    with pytest.raises(FetchError, match="error body"):
        string_client(tmp_path).map_identifiers(["GRIN1"])


@responses.activate
def test_species_flows_into_every_call_and_the_id_check(tmp_path: Path) -> None:
    # Hand-made fixture in STRING's documented format; rat Grin1 id as STRING writes rat ids (10116.ENSRNOP...).
    body = (IDS_HEADER + "0\tgrin1\t10116.ENSRNOP00000HANDMADE\t10116\tRattus norvegicus\tGrin1\thand-made\n")
    responses.post(IDS_URL, body=body, status=200)
    responses.post(NETWORK_URL, body=NETWORK_TSV, status=200)
    rat = string_client(tmp_path, species=10116)
    mapping = rat.map_identifiers(["grin1"])
    assert mapping.preferred_names == {"grin1": "Grin1"}   # case-insensitive match to STRING's name
    rat.network(["10116.ENSRNOP00000HANDMADE"])
    assert [form(c)["species"] for c in responses.calls] == [["10116"], ["10116"]]
    # The same answer read by a human client is refused: STRING answered another taxon.
    with pytest.raises(IdentifierMappingError, match=r"grin1 \(STRING answered taxon 10116\)"):
        string_client(tmp_path / "human").map_identifiers(["grin1"])


def test_client_has_no_default_species(tmp_path: Path) -> None:
    with pytest.raises(TypeError, match="species"):
        StringClient(Cache(tmp_path), fast_client())  # type: ignore[call-arg]

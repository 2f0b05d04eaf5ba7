"""The response cache: safe keys, verified atomic storage, offline misses, fetch-once."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from netpharm.errors import CacheCorruptError, CacheMissError
from netpharm.io import bytes_sha256
from netpharm.sources.cache import Cache, Request

URL = "https://version-12-0.string-db.org/api/tsv/network"
# Hand-made bodies in STRING's network TSV shape (the cache checks an answer's shape before storing it).
HEADER = "stringId_A\tstringId_B\tpreferredName_A\tpreferredName_B\tscore\n"


def tsv(row: str) -> bytes:
    return (HEADER + f"9606.ENSP1\t9606.ENSP2\t{row}\tB\t0.9\n").encode()


def request(**extra: object) -> Request:
    params = {"identifiers": "GRIN1\rGRIN2B", "species": 9606, **extra}
    return Request.make("post", URL, params, source="string")


def test_key_is_64_hex_and_canonical() -> None:
    key = request().key
    assert re.fullmatch(r"[0-9a-f]{64}", key)
    # Parameter order does not matter; values and method do.
    same = Request.make("POST", URL, {"species": 9606, "identifiers": "GRIN1\rGRIN2B"}, source="string")
    assert same.key == key
    assert request(required_score=700).key != key
    assert Request.make("GET", URL, dict(request().params)).key != key


@pytest.mark.parametrize("bad", ["../x", "../../etc/passwd", "A" * 64, "0" * 63, "/abs/" + "0" * 59, ""])
def test_malicious_or_malformed_key_rejected(tmp_path: Path, bad: str) -> None:
    cache = Cache(tmp_path)
    with pytest.raises(ValueError, match="invalid cache key"):
        cache.load(bad)
    with pytest.raises(ValueError, match="invalid cache key"):
        cache.store(bad, b"x", {})
    assert not any(tmp_path.parent.glob("x*"))


def test_put_get_roundtrip_with_metadata(tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    body = b"stringId_A\tstringId_B\tscore\n9606.ENSP1\t9606.ENSP2\t0.9\n"
    stored = cache.put(request(), body, http_status=200, host="version-12-0.string-db.org")
    fresh = Cache(tmp_path).get(request())
    assert fresh is not None
    assert fresh.body == body and fresh.text == body.decode()
    assert fresh.sha256 == bytes_sha256(body) == stored.sha256
    assert fresh.meta["url"] == URL and fresh.meta["method"] == "POST" and fresh.meta["http_status"] == 200
    assert fresh.meta["params"]["identifiers"] == "GRIN1\rGRIN2B"
    provenance = fresh.provenance()
    assert provenance["key"] == request().key and "params" not in provenance
    assert Cache(tmp_path).get(request(required_score=900)) is None


def test_writes_are_atomic_no_temp_files_left(tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    for i in range(5):
        cache.put(request(i=i), f"body {i}".encode())
    cache.put(request(i=0), b"overwritten")
    names = sorted(p.name for p in (tmp_path / "entries").iterdir())
    assert len(names) == 10
    assert all(n.endswith((".body", ".meta.json")) and not n.startswith(".") for n in names)
    assert cache.get(request(i=0)).body == b"overwritten"


def test_corrupt_body_refused_and_listed_by_verify(tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    good = cache.put(request(), tsv("original"))
    bad = cache.put(request(x=1), tsv("will be tampered"))
    (tmp_path / "entries" / f"{bad.key}.body").write_bytes(tsv("tampered"))
    with pytest.raises(CacheCorruptError, match=bad.key):
        Cache(tmp_path).load(bad.key)
    problems = Cache(tmp_path).verify()
    assert [k for k, _ in problems] == [bad.key]
    assert "sha256" in problems[0][1]
    assert Cache(tmp_path).load(good.key).body == tsv("original")


def test_unreadable_metadata_is_corrupt(tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    entry = cache.put(request(), b"x")
    (tmp_path / "entries" / f"{entry.key}.meta.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(CacheCorruptError, match="unreadable metadata"):
        cache.load(entry.key)


def test_missing_body_listed_by_verify(tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    entry = cache.put(request(), b"x")
    (tmp_path / "entries" / f"{entry.key}.body").unlink()
    assert cache.verify() == [(entry.key, "metadata without body file")]


def test_offline_miss_names_the_request(tmp_path: Path) -> None:
    cache = Cache(tmp_path, offline=True)

    def never(_: Request) -> tuple[bytes, dict[str, object]]:
        raise AssertionError("offline cache must not download")

    with pytest.raises(CacheMissError) as info:
        cache.fetch(request(), never)
    message = str(info.value)
    assert URL in message and "GRIN1,GRIN2B" in message and "species=9606" in message


def test_fetch_downloads_once_then_serves_from_cache(tmp_path: Path) -> None:
    calls: list[Request] = []

    def download(req: Request) -> tuple[bytes, dict[str, object]]:
        calls.append(req)
        return tsv("answer"), {"http_status": 200}

    cache = Cache(tmp_path)
    first = cache.fetch(request(), download)
    second = cache.fetch(request(), download)
    assert len(calls) == 1 and first.body == second.body == tsv("answer")
    # Served offline afterwards too, and refresh downloads again.
    assert Cache(tmp_path, offline=True).fetch(request(), download).body == tsv("answer")
    cache.fetch(request(), download, refresh=True)
    assert len(calls) == 2
    meta = json.loads((tmp_path / "entries" / f"{request().key}.meta.json").read_text())
    assert meta["sha256"] == bytes_sha256(tsv("answer")) and meta["kind"] == "response"

"""Cache entries that try to escape the cache folder: a metadata ``key`` of its own, a symlinked file.

The entry is a real one copied from the shipped cache (cache/entries, see cache/README.md), then altered.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from netpharm.cli.main import main
from netpharm.errors import CacheCorruptError
from netpharm.sources.cache import Cache

REPO = Path(__file__).resolve().parents[1]


def _one_entry(tmp_path: Path) -> tuple[Cache, str]:
    shipped = sorted((REPO / "cache" / "entries").glob("*.meta.json"))[0]
    key = shipped.name[: -len(".meta.json")]
    entries = tmp_path / "cache" / "entries"
    entries.mkdir(parents=True)
    for suffix in (".meta.json", ".body"):
        shutil.copy(shipped.with_name(key + suffix), entries / (key + suffix))
    return Cache(tmp_path / "cache", offline=True), key


def test_fault_cache_key_written_in_metadata_is_never_shown_or_trusted(tmp_path: Path,
                                                                        capsys: pytest.CaptureFixture[str]) -> None:
    cache, key = _one_entry(tmp_path)
    meta_path = cache.root / "entries" / f"{key}.meta.json"
    meta = json.loads(meta_path.read_text())
    meta_path.write_text(json.dumps({**meta, "key": "../../../etc"}))
    assert [row["key"] for row in cache.list_entries()] == [key]
    assert main(["cache", "list", "--cache", str(cache.root)]) == 0
    out = capsys.readouterr().out
    assert "../../../etc" not in out and key[:12] in out
    with pytest.raises(CacheCorruptError, match="its metadata names another key"):
        cache.load(key)
    assert [k for k, _ in cache.verify()] == [key]


@pytest.mark.parametrize("which", [".body", ".meta.json"])
def test_fault_cache_symlinked_entry_file_is_refused(tmp_path: Path, which: str) -> None:
    cache, key = _one_entry(tmp_path)
    inside = cache.root / "entries" / (key + which)
    outside = tmp_path / ("elsewhere" + which)
    inside.rename(outside)
    inside.symlink_to(outside)  # the same bytes, but the file lives outside the cache
    with pytest.raises(CacheCorruptError, match="is a symbolic link"):
        cache.load(key)
    problems = dict(cache.verify())
    assert f"symbolic link (to {outside})" in problems[key + which]

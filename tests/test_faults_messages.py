"""Messages in the user's words: no Python internals (``__init__()`` arguments, type names, ``None``/``nan`` reprs).

Real inputs: a workflow table missing a required key, a real organomercury SMILES (ethylmercury chloride)
that meeko cannot charge or type, and a value of the wrong TOML kind.
"""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import pytest

from netpharm.cli.main import main
from netpharm.docking.prepare.ligand import prepare_ligand
from netpharm.errors import ConfigError, LigandPrepError
from netpharm.registry import load_workflow

INTERNALS = re.compile(r"__init__|positional argument|<class |NoneType|\bnan\b|mol name|\bdict\b|\blist\b")


def test_fault_internals_missing_key_is_named_in_the_files_words(tmp_path: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    workflow = tmp_path / "w.toml"
    workflow.write_text('name = "w"\n[[docking.systems]]\nname = "KOR"\nreceptor = "x.pdb"\nbox_center = [0, 0, 0]\n'
                        'box_size = [20, 20, 20]\n[[docking.ligands]]\nname = "m"\n', encoding="utf-8")
    assert main(["run", str(workflow), "--out", str(tmp_path / "run")]) == 2
    err = capsys.readouterr().err
    assert err == f"netpharm: error: {workflow}.docking.ligands[0]: missing key(s) ['source']\n"


@pytest.mark.parametrize("docking, words", [
    ({"systems": "KOR"}, "docking.systems: expected an array, got a string ('KOR')"),
    ({"systems": [3]}, "docking.systems[0]: expected a table, got a number (3)"),
])
def test_fault_internals_wrong_kind_is_named_in_tomls_words(docking: dict[str, object], words: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_workflow(None, {"name": "w", "docking": docking})
    assert words in str(caught.value) and not INTERNALS.search(str(caught.value))


def test_fault_internals_meeko_failure_names_the_atoms() -> None:
    with pytest.raises(LigandPrepError) as caught:
        prepare_ligand("CC[Hg]Cl", name="ethylmercury")
    message = str(caught.value)
    assert message == ("ethylmercury: meeko could not write a PDBQT: no Gasteiger charge could be computed for "
                       "atom(s) C1, C2, Hg3, Cl4; no AutoDock atom type for atom(s) Hg3")
    assert not INTERNALS.search(message)


@pytest.mark.parametrize("url, words", [
    ("http://127.0.0.1:1/x", "cannot connect to 127.0.0.1:1: connection refused"),
    ("http://no-such-host.invalid/x", "cannot resolve the host name no-such-host.invalid"),
])
def test_fault_internals_connection_failures_in_plain_words(url: str, words: str) -> None:
    from netpharm.errors import FetchError
    from netpharm.sources.cache import Request
    from netpharm.sources.http import HttpClient

    with pytest.raises(FetchError) as caught:
        HttpClient(timeout=2.0, retries=0, deadline=5.0, min_interval=0.0).send(Request.make("GET", url))
    message = str(caught.value)
    assert words in message
    assert not re.search(r"object at 0x|HTTPConnectionPool|Max retries|NewConnectionError|\[Errno", message)


def test_fault_internals_a_failed_stage_says_what_happened_without_a_class_name(tmp_path: Path) -> None:
    from netpharm.workflow import run_workflow

    repo = Path(__file__).resolve().parents[1]
    config = load_workflow(repo / "workflows/microdiscectomy.toml", {"offline": True,
                                                                     "cache_dir": str(tmp_path / "empty-cache")})
    outcome = run_workflow(config, tmp_path / "run", stages=["network"]).outcomes["network"]
    assert outcome.status == "failed" and outcome.reason.startswith("offline and not in cache")
    assert not re.search(r"\b[A-Z][A-Za-z]+Error\b", outcome.reason)


# --- stop 25's leftovers: enrichment file readers and the Dask scheduler -------------------------------------
ENRICHMENT = Path(__file__).parent / "data" / "enrichment"
CLASS_NAME = re.compile(r"\b[A-Z][A-Za-z]*(Error|Exception|File)\b|<class |object at 0x")


@pytest.mark.parametrize("damage, words", [
    (lambda raw: gzip.compress(raw)[:-40], "the annotation file is a damaged gzip file"),
    (lambda raw: raw.replace(b"root process", b"root proc\xe9ss", 1), "line 16: the annotation file is not UTF-8 text"),
    (lambda raw: raw.replace(b"relationship: part_of GO:0000003", b"relationship: part_of", 1),
     "line 37: a relationship needs its type and its target term"),
], ids=["cut-gzip", "latin-1-byte", "relationship-without-target"])
def test_fault_internals_enrichment_file_messages_name_the_file_not_a_class(
        tmp_path: Path, damage, words: str) -> None:  # type: ignore[no-untyped-def]
    from netpharm.enrichment.annotations import read_obo
    from netpharm.errors import AnnotationFormatError

    path = tmp_path / "go.obo"
    path.write_bytes(damage((ENRICHMENT / "handmade_tiny.obo").read_bytes()))
    with pytest.raises(AnnotationFormatError) as caught:
        read_obo(path)
    message = str(caught.value)
    assert message.startswith(str(path)) and words in message and "\n" not in message, message
    assert not CLASS_NAME.search(message) and not INTERNALS.search(message), message


def test_fault_internals_unreachable_dask_scheduler_in_plain_words(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from netpharm.docking.run import executor
    from netpharm.docking.run.executor import DockingJob, run_jobs
    from netpharm.errors import SchedulerError

    monkeypatch.setattr(executor, "SCHEDULER_TIMEOUT", 2.0)
    job = DockingJob("K/m", str(tmp_path), "autodock4", "r", "l", "g", "d")
    with pytest.raises(SchedulerError) as caught:
        run_jobs([job], scheduler="tcp://127.0.0.1:9")
    assert str(caught.value) == ("cannot reach the Dask scheduler at tcp://127.0.0.1:9 within 2 s: no scheduler "
                                 "answered (is `dask scheduler` running there, and is its port open to this machine?)")

"""The ``nmda`` stage: cache/offline behaviour, outputs, findings, reproducibility, configuration.

Structures are the SYNTHETIC test pore (tests/data/nmda/README.md) stored in a temporary cache under the
made-up ids 0SYN/0APO (PDB ids never start with 0), so no real entry is ever impersonated.
"""

from __future__ import annotations

import json
from pathlib import Path

import gemmi
import pandas as pd
import pytest
from helpers import stage_context, workflow_config

from netpharm.config import from_mapping, to_mapping
from netpharm.errors import ConfigError
from netpharm.nmda.config import NmdaConfig
from netpharm.nmda.stage import run_nmda_stage
from netpharm.registry import load_workflow
from netpharm.sources.cache import Cache
from netpharm.sources.rcsb import structure_request
from netpharm.stage import RunContext

SYNTHETIC = Path(__file__).resolve().parent / "data" / "nmda" / "synthetic_pore.pdb"
OPIOID = Path(__file__).resolve().parent / "data" / "structures" / "MOR_8EFO_human_receptor_processed.pdb"


def _apo_text() -> str:
    st = gemmi.read_structure(str(SYNTHETIC))
    chain = st[0]["A"]
    index = next(i for i, r in enumerate(chain) if r.name == "MG" and r.seqid.num == 801)
    del chain[index]
    return st.make_pdb_string(gemmi.PdbWriteOptions(minimal=True))


def _context(tmp: Path, run: str = "run", cached: dict[str, str] | None = None, **nmda: object) -> RunContext:
    cache = Cache(tmp / "cache", offline=True)
    for pdb_id, text in (cached or {}).items():
        cache.put(structure_request(pdb_id), text.encode("utf-8"), http_status=200)
    config = workflow_config(tmp, nmda=NmdaConfig(**nmda))  # type: ignore[arg-type]
    return stage_context(config, tmp / run, cache, stage="nmda")


def test_offline_without_the_entry_is_not_run(tmp_path: Path) -> None:
    outcome = run_nmda_stage(_context(tmp_path))
    assert outcome.status == "not_run"
    assert outcome.reason == "structure 9IYP not in cache (offline)"
    assert outcome.outputs == [] and outcome.findings is None
    assert not (tmp_path / "run" / "nmda").exists() or not any((tmp_path / "run" / "nmda").iterdir())


def test_disabled_stage(tmp_path: Path) -> None:
    outcome = run_nmda_stage(_context(tmp_path, enabled=False))
    assert (outcome.status, outcome.reason) == ("not_run", "nmda stage disabled (nmda.enabled = false)")


def test_cached_entry_without_comparison_is_partial(tmp_path: Path) -> None:
    ctx = _context(tmp_path, cached={"0SYN": SYNTHETIC.read_text()}, pdb_id="0SYN", compare_pdb_id="0APO")
    outcome = run_nmda_stage(ctx)
    assert outcome.status == "partial"
    assert outcome.missing == ["comparison structure 0APO not in cache (offline)"]
    facts = to_mapping(outcome.findings)
    assert facts["structure"] == "0SYN"
    assert facts["ring_radius"] == pytest.approx(2.2, abs=0.01)
    site = next(s for s in facts["mg_sites"] if s["classification"] == "pore_site_I")
    assert (site["site"], site["kind"]) == ("MG A/801", "observed")
    assert site["z_along_axis"] == pytest.approx(0.5, abs=0.01)
    assert sorted(c["atom"] for c in site["coordinating"]) == [f"{c}/ASN615/OD1" for c in "ABCD"]
    assert facts["statements"][0].startswith("0SYN: site I Mg²⁺ OBSERVED in the entry at +0.50 Å")
    assert facts["data_sources"][0]["url"].endswith("/0SYN.cif")
    assert sorted({s["classification"] for s in facts["mg_sites"]}) == ["ntd", "other", "pore_site_I"]
    assert facts["figures"] == ["nmda/pore_profile.png", "nmda/pore_profile.svg"]
    for rel in outcome.outputs:
        assert (ctx.run_dir / rel).is_file()
    sites = pd.read_csv(ctx.run_dir / "nmda" / "0SYN_mg_sites.tsv", sep="\t")
    assert list(sites["kind"]) == ["observed"] * 3


def test_comparison_gets_a_placed_ion_and_reruns_are_byte_identical(tmp_path: Path) -> None:
    cached = {"0SYN": SYNTHETIC.read_text(), "0APO": _apo_text()}
    first = run_nmda_stage(_context(tmp_path, "run1", cached, pdb_id="0SYN", compare_pdb_id="0APO"))
    second = run_nmda_stage(_context(tmp_path, "run2", cached, pdb_id="0SYN", compare_pdb_id="0APO"))
    assert first.status == "ok" and first.missing == []
    compare = to_mapping(first.findings)["compare"][0]
    assert compare["structure"] == "0APO" and compare["observed_site_I"] is False
    placed = [s for s in compare["mg_sites"] if s["kind"] == "placed"]
    assert len(placed) == 1 and placed[0]["z_along_axis"] == pytest.approx(0.0, abs=1e-9)
    assert [round(c["distance"], 2) for c in placed[0]["coordinating"]] == [2.2] * 4
    assert "not observed; PLACED (inner-sphere)" in to_mapping(first.findings)["statements"][1]
    assert first.outputs == second.outputs
    assert "nmda/0APO_radius_profile.tsv" in first.outputs
    for rel in first.outputs:
        a = (tmp_path / "run1" / rel).read_bytes()
        b = (tmp_path / "run2" / rel).read_bytes()
        assert a == b, rel
    svg = (tmp_path / "run1" / "nmda" / "pore_profile.svg").read_text()
    assert "<dc:date>" not in svg and "0APO" in json.dumps(to_mapping(first.findings))


def test_user_structure_file_relative_to_workflow(tmp_path: Path) -> None:
    (tmp_path / "my_pore.pdb").write_text(SYNTHETIC.read_text())
    outcome = run_nmda_stage(_context(tmp_path, structure_file="my_pore.pdb", compare_pdb_id=""))
    assert outcome.status == "ok"
    assert to_mapping(outcome.findings)["structure"] == "my_pore"
    assert to_mapping(outcome.findings)["data_sources"] == [{"source": "file", "file": str(tmp_path / "my_pore.pdb")}]


def test_missing_user_file_is_not_run(tmp_path: Path) -> None:
    outcome = run_nmda_stage(_context(tmp_path, structure_file="absent.pdb", compare_pdb_id=""))
    assert outcome.status == "not_run" and "structure file not found" in outcome.reason


def test_non_channel_structure_fails_with_the_reason(tmp_path: Path) -> None:
    outcome = run_nmda_stage(_context(tmp_path, structure_file=str(OPIOID), compare_pdb_id=""))
    assert outcome.status == "failed"
    assert "0 chain(s) carry the M3 gate motif SYTANLAAF" in outcome.reason


# ----------------------------------------------------------------------------- configuration
def test_config_from_workflow_file(tmp_path: Path) -> None:
    path = tmp_path / "wf.toml"
    path.write_text('[nmda]\npdb_id = "9IYP"\ncompare_pdb_id = ""\nnsite_window = [45, 15]\n'
                    'coordination_cutoff = 2.8\n')
    cfg = load_workflow(path).nmda
    assert (cfg.compare_pdb_id, cfg.nsite_window, cfg.coordination_cutoff) == ("", (45, 15), 2.8)


@pytest.mark.parametrize("data, message", [
    ({"pdb_id": "IYP9"}, "is not a PDB id"),
    ({"nsite_window": [20, 40]}, "far > near"),
    ({"coordination_cutoff": 6.0}, "coordination_cutoff < second_shell_cutoff"),
    ({"gate_motif": "sytanlaaf"}, "gate_motif"),
    ({"gate_ring_positions": [9]}, "gate_ring_positions"),
    ({"profile_step": 0.0}, "profile_step"),
    ({"cutoff": 3.0}, "unknown key"),
    ({"coordination_cutoff": "3"}, "expected a number"),
    ({"pdb_id": "7EU8", "paper_pdb": "", "stand_in": "why"}, "stand_in needs nmda.paper_pdb"),
    ({"pdb_id": "9IYP", "stand_in": "why"}, "is the paper's own entry 9IYP"),
    ({"paper_pdb": "9-IY"}, "paper_pdb '9-IY' is not a PDB id"),
])
def test_bad_config_is_rejected(data: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        from_mapping(NmdaConfig, data, "nmda")


def test_structure_role_mirrors_a_docking_system() -> None:
    assert NmdaConfig().structure_role == "paper_entry"  # 9IYP itself
    assert NmdaConfig(pdb_id="7EU8", stand_in="offline").structure_role == "stand_in"
    assert NmdaConfig(structure_file="mine.cif").structure_role == "stand_in"  # judged against the paper's 9IYP
    assert NmdaConfig(pdb_id="7EU8", paper_pdb="").structure_role == "user_structure"


# ----------------------------------------------------------------------------- CLI helper
def test_analyse_source_file_and_cached_id(tmp_path: Path) -> None:
    from netpharm.errors import CacheMissError, StructureNotFoundError
    from netpharm.nmda.pore_outputs import write_pore_outputs
    from netpharm.nmda.stage import analyse_source

    ctx = _context(tmp_path, cached={"0SYN": SYNTHETIC.read_text()})
    from_file = analyse_source(SYNTHETIC, ctx.cache)
    from_cache = analyse_source("0SYN", ctx.cache)
    assert from_file.structure == "synthetic_pore" and from_cache.structure == "0SYN"
    assert from_cache.nsite_ring.radius == from_file.nsite_ring.radius
    paths = write_pore_outputs(from_file, tmp_path / "cli")
    assert [p.name for p in paths][-2:] == ["pore_profile.png", "pore_profile.svg"]
    with pytest.raises(CacheMissError):
        analyse_source("9IYP", ctx.cache)
    with pytest.raises(StructureNotFoundError, match="neither a structure file nor a PDB id"):
        analyse_source("no_such_file.pdb", ctx.cache)

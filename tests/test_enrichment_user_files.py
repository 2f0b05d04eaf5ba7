"""The offline ORA on the user's own GAF/OBO/GMT files, and honest refusal for a species the shipped files miss."""

from __future__ import annotations

import dataclasses
from math import comb
from pathlib import Path

import pandas as pd
import pytest
from helpers import stage_context, workflow_config

from netpharm.config import to_mapping
from netpharm.enrichment.config import EnrichmentConfig
from netpharm.enrichment.stage import run_enrichment_stage
from netpharm.errors import ConfigError, EnrichmentError
from netpharm.io import file_sha256
from netpharm.registry import WorkflowConfig, load_workflow

EXCERPT = Path(__file__).parent / "data" / "enrichment" / "user_annotation"


def _workflow(tmp_path: Path, enrichment: str) -> WorkflowConfig:
    folder = tmp_path / "study"
    (folder / "annotation").mkdir(parents=True)
    for name in ("go_mf_excerpt.obo", "human_mf_excerpt.gaf", "reactome_excerpt.gmt"):
        (folder / "annotation" / name).write_bytes((EXCERPT / name).read_bytes())
    toml = folder / "wf.toml"
    toml.write_text(f'name = "user-files"\noffline = true\ntarget_list = ["GRIN1", "GRIN2B", "CAMK2A", "CREB1"]\n'
                    f'cache_dir = "cache"\n[enrichment]\nstring_enrichment = false\n{enrichment}\n')
    return load_workflow(toml)


def test_user_gaf_obo_gmt_relative_to_the_workflow(tmp_path: Path) -> None:
    config = _workflow(tmp_path, 'go_obo = "annotation/go_mf_excerpt.obo"\n'
                                 'go_annotations = "annotation/human_mf_excerpt.gaf"\n'
                                 'gene_sets = "annotation/reactome_excerpt.gmt"\n'
                                 'annotation_note = "excerpt of netpharm/data, tests/data/enrichment/user_annotation"\n'
                                 'min_term_size = 1')
    ctx = stage_context(config, tmp_path / "run", tmp_path / "study/cache", stage="enrichment",
                        targets=config.target_list)
    outcome = run_enrichment_stage(ctx)
    assert outcome.status == "ok"
    f = to_mapping(outcome.findings)
    assert f["annotation"] == "user files"
    assert f["background_size"] == {"MF": 18, "Reactome": len({g for line in (EXCERPT / "reactome_excerpt.gmt")
                                                               .read_text().splitlines()
                                                               for g in line.split("\t")[2:] if g})}
    assert "offline ORA: no BP terms in the annotation files given" in outcome.missing
    assert "offline ORA: no CC terms in the annotation files given" in outcome.missing
    mf = pd.read_csv(tmp_path / "run/enrichment/offline_MF.tsv", sep="\t").set_index("term")
    row = mf.loc["GO:0004970"]
    assert (row.observed, row.term_size, row.background_size, row.query_size) == (2, 5, 18, 4)
    exact = sum(comb(5, i) * comb(13, 4 - i) for i in range(2, 5)) / comb(18, 4)
    assert exact == pytest.approx(915 / 3060) and row.p_value == pytest.approx(exact, rel=1e-12)
    assert row.genes == "GRIN1,GRIN2B"
    assert row.correction_m == 229  # every MF term of the files (the 229 stanzas), STRING's convention
    source = f["data_sources"][0]
    assert source["source"].startswith("user annotation files")
    recorded = {r["role"]: r for r in source["user_files"]}
    assert set(recorded) == {"obo", "go_annotations", "reactome_gmt"}
    assert recorded["go_annotations"]["sha256"] == file_sha256(EXCERPT / "human_mf_excerpt.gaf")
    assert recorded["obo"]["file"].endswith("study/annotation/go_mf_excerpt.obo")
    assert recorded["obo"]["note"].startswith("excerpt of netpharm/data")


def test_user_files_errors(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="go_obo and enrichment.go_annotations go together"):
        EnrichmentConfig(go_obo="a.obo")
    config = _workflow(tmp_path, 'go_obo = "annotation/missing.obo"\ngo_annotations = "annotation/human_mf_excerpt.gaf"')
    ctx = stage_context(config, tmp_path / "run", tmp_path / "c", stage="enrichment", targets=config.target_list)
    with pytest.raises(EnrichmentError, match=r"annotation file not found: .*missing\.obo \(obo\)"):
        run_enrichment_stage(ctx)


def _other_species(config: WorkflowConfig, taxon: int) -> WorkflowConfig:
    return dataclasses.replace(config, species=taxon)


def test_another_species_never_gets_human_annotations(tmp_path: Path) -> None:
    config = _other_species(workflow_config(tmp_path, offline=True,
                                            enrichment=EnrichmentConfig(string_enrichment=False)), 10090)
    ctx = stage_context(config, tmp_path / "run", tmp_path / "c", stage="enrichment", targets=["Grin1", "Grin2b"])
    outcome = run_enrichment_stage(ctx)
    assert outcome.status == "not_run"
    assert outcome.missing == ["offline ORA not run: the shipped GO/Reactome annotation is human (taxon 9606) and "
                               "the workflow's species is 10090; give [enrichment] go_obo + go_annotations and/or "
                               "gene_sets for that species"]
    assert outcome.findings is not None and outcome.findings.background_size == {} and outcome.findings.annotation is None
    assert not (tmp_path / "run/enrichment/offline_MF.tsv").exists()
    # the user's files say which taxon they are for: human GAF rows are refused for mouse
    study = _workflow(tmp_path, 'go_obo = "annotation/go_mf_excerpt.obo"\n'
                                'go_annotations = "annotation/human_mf_excerpt.gaf"')
    mouse = _other_species(study, 10090)
    ctx = stage_context(mouse, tmp_path / "run2", tmp_path / "c2", stage="enrichment", targets=mouse.target_list)
    with pytest.raises(EnrichmentError, match=r"human_mf_excerpt\.gaf: annotations are for taxon:9606, the "
                                              r"workflow's species is 10090"):
        run_enrichment_stage(ctx)


def test_editing_a_user_file_in_place_changes_the_resume_fingerprint(tmp_path: Path) -> None:
    """Same path, new content: --resume must re-run the enrichment, not reuse the old tables."""
    from netpharm.workflow import stage_fingerprint

    config = _workflow(tmp_path, 'gene_sets = "annotation/reactome_excerpt.gmt"\nmin_term_size = 1')
    before = stage_fingerprint(config, "enrichment", ["GRIN1", "GRIN2B"])
    assert stage_fingerprint(config, "enrichment", ["GRIN1", "GRIN2B"]) == before
    gmt = tmp_path / "study" / "annotation" / "reactome_excerpt.gmt"
    lines = gmt.read_text().splitlines(keepends=True)
    gmt.write_text("".join(lines[:-1]))   # the user drops one gene set
    assert stage_fingerprint(config, "enrichment", ["GRIN1", "GRIN2B"]) != before

"""Workflow configuration: strict loading, precedence defaults < file < flags."""

from __future__ import annotations

from pathlib import Path

import pytest

from netpharm.errors import ConfigError
from netpharm.registry import WorkflowConfig, apply_overrides, load_workflow


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "w.toml"
    path.write_text(text)
    return path


def test_defaults_are_the_papers_settings() -> None:
    config = WorkflowConfig()
    assert config.species == 9606
    assert config.network.required_score == 400
    assert config.network.add_nodes == 0
    assert config.network.string_host == "https://version-12-0.string-db.org/api"
    assert config.hubs.methods[0] == "MCC" and len(config.hubs.methods) == 12
    assert config.hubs.dmnc_epsilon == 1.7


def test_file_overrides_defaults_and_flags_override_file(tmp_path: Path) -> None:
    path = write(tmp_path, 'name = "x"\n[network]\nrequired_score = 700\nbootstrap = 5\n')
    config = load_workflow(path, {"network": {"required_score": 900}})
    assert config.name == "x"
    assert config.network.required_score == 900      # flag wins
    assert config.network.bootstrap == 5               # file kept
    assert config.network.add_nodes == 0               # default kept
    assert Path(config.base_dir) == tmp_path.resolve()
    assert config.resolve("targets.txt") == tmp_path.resolve() / "targets.txt"


@pytest.mark.parametrize("text, message", [
    ('nmae = "typo"\n', "unknown key(s) ['nmae']"),
    ('[network]\nrequierd_score = 400\n', "network: unknown key(s) ['requierd_score']"),
    ('[network]\nrequired_score = "400"\n', "expected an integer"),
    ('[network]\nrequired_score = 4000\n', "0–1000"),
    ('[network]\nnetwork_type = "directed"\n', "not one of"),
    ('[hubs]\nmethods = ["MCC", "PageRank"]\n', "unknown method"),
    ('species = 0\n', "species must be an NCBI taxon id"),
    ('stages = ["network", "dance"]\n', "unknown stage"),
    ('[network]\nsource = "import"\n', "needs network.imports"),
    ('[network]\nstring_host = "http://string-db.org/api"\n', "https://"),
    ('offline = "yes"\n', "expected true or false"),
    ('name = [\n', "invalid TOML"),
])
def test_invalid_files_are_rejected_with_the_key_named(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ConfigError, match=None) as info:
        load_workflow(write(tmp_path, text))
    assert message in str(info.value)


def test_missing_workflow_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="workflow file not found"):
        load_workflow(tmp_path / "nope.toml")


def test_apply_overrides_revalidates() -> None:
    config = apply_overrides(WorkflowConfig(), {"hubs": {"top_n": 3}})
    assert config.hubs.top_n == 3
    with pytest.raises(ConfigError):
        apply_overrides(WorkflowConfig(), {"hubs": {"top_n": 0}})


def test_shipped_workflows_load(repo: Path) -> None:
    offline = load_workflow(repo / "workflows" / "microdiscectomy-offline.toml")
    faithful = load_workflow(repo / "workflows" / "microdiscectomy.toml")
    assert offline.offline and offline.network.source == "import"
    assert not faithful.offline and faithful.network.source == "api"
    assert faithful.network.required_score == offline.network.required_score == 400


def test_another_species_loads_with_the_enrichment_stage(tmp_path: Path) -> None:
    """Any STRING species is accepted; the enrichment stage itself says the shipped files are human
    (tests/test_enrichment_user_files.py)."""
    config = load_workflow(write(tmp_path, "species = 10090\n"))
    assert config.species == 10090 and "enrichment" in config.stages

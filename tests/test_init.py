"""`netpharm init`: a commented workflow that the strict loader accepts and `netpharm run` can use at once."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from netpharm.cli.main import main
from netpharm.errors import InputError, OutputExistsError
from netpharm.init import builtin_ligands, init_workflow
from netpharm.registry import load_workflow
from netpharm.registry import workflow_claims as parse_claims

GENES = "# hand-made target list for the init tests\nGRIN2B\nCREB1\nBDNF\n"


@pytest.fixture()
def genes(tmp_path: Path) -> Path:
    path = tmp_path / "genes.txt"
    path.write_text(GENES, encoding="utf-8")
    return path


def _uncomment_claims(text: str) -> str:
    """The example [[claims]] block with its leading '# ' removed (nested '# #' lines stay comments)."""
    head, _, block = text.partition("# [[claims]]")
    lines = ("# [[claims]]" + block).splitlines()
    return head + "\n".join(line[2:] if line.startswith("# ") else ("" if line == "#" else line)
                            for line in lines) + "\n"


def test_init_writes_a_workflow_the_strict_loader_accepts(tmp_path: Path, genes: Path) -> None:
    result = init_workflow(tmp_path / "study", genes)
    assert result.targets == ("GRIN2B", "CREB1", "BDNF")
    assert result.targets_file.read_text(encoding="utf-8") == GENES      # a verbatim copy
    config = load_workflow(result.workflow)
    assert config.name == "study" and config.species == 9606
    assert config.stages == ("network", "enrichment", "report")
    assert "# go_annotations" not in result.workflow.read_text(encoding="utf-8")   # human: shipped files
    assert config.network.source == "api" and config.network.required_score == 400
    assert config.claims == ()                                            # the examples are commented out
    assert Path(config.resolve(config.cache_dir)) == tmp_path / "study" / "cache"


def test_example_claims_are_valid_once_uncommented(tmp_path: Path, genes: Path) -> None:
    result = init_workflow(tmp_path / "s", genes, ligands=["morphine", "CCO"], receptors=["8EF6"])
    text = _uncomment_claims(result.workflow.read_text(encoding="utf-8"))
    result.workflow.write_text(text, encoding="utf-8")
    config = load_workflow(result.workflow)
    claims = parse_claims(config)
    assert [c.kind for c in claims] == ["most_connected", "hub", "top_hubs", "ppi_enrichment", "enriched", "docking"]
    # three targets: a top 3 (or a rank bound of 3) would hold every protein and could not fail (refused at
    # load), so the examples bound the ranks at 2
    assert claims[2].params.expected == ("GRIN2B", "CREB1") and claims[1].params.max_rank == 2
    assert claims[5].params.systems == ("8EF6_morphine", "8EF6_ligand2")


def test_init_docking_systems_one_per_receptor_and_ligand(tmp_path: Path, genes: Path, repo: Path) -> None:
    receptor = repo / "data" / "structures" / "KOR_6B73_human_receptor_processed.pdb"
    result = init_workflow(tmp_path / "d", genes, receptors=["8ef6", str(receptor)])
    config = load_workflow(result.workflow)
    systems = config.docking.systems
    assert [s.name for s in systems] == ["8EF6", "KOR_6B73_human_receptor_processed"]
    assert systems[0].receptor == "8EF6" and systems[0].ligand == "morphine"   # the default ligand, written out
    assert config.resolve(systems[1].receptor).resolve() == receptor.resolve()
    assert systems[0].pocket_residues == ("D3.32",)
    assert "docking" in config.stages


def test_init_for_rat_points_to_own_annotation_files(tmp_path: Path, genes: Path) -> None:
    config = load_workflow(init_workflow(tmp_path / "rat", genes, species=10116).workflow)
    assert config.species == 10116 and config.stages == ("network", "enrichment", "report")
    text = (tmp_path / "rat" / "workflow.toml").read_text(encoding="utf-8")
    assert "# go_annotations = " in text and "(9606) only" in text


def test_init_refuses_to_overwrite(tmp_path: Path, genes: Path) -> None:
    result = init_workflow(tmp_path / "x", genes)
    before = result.workflow.read_text(encoding="utf-8")
    with pytest.raises(OutputExistsError, match="workflow.toml, .*targets.txt already exist"):
        init_workflow(tmp_path / "x", genes, species=10116)
    assert result.workflow.read_text(encoding="utf-8") == before
    (tmp_path / "y").mkdir()
    (tmp_path / "y" / "targets.txt").write_text("OTHER\n", encoding="utf-8")
    with pytest.raises(OutputExistsError, match="targets.txt"):
        init_workflow(tmp_path / "y", genes)
    assert not (tmp_path / "y" / "workflow.toml").exists()            # nothing written when refused


def test_init_in_place_uses_the_existing_targets_file(tmp_path: Path) -> None:
    (tmp_path / "targets.txt").write_text(GENES, encoding="utf-8")
    result = init_workflow(tmp_path, tmp_path / "targets.txt")
    assert result.targets_file.read_text(encoding="utf-8") == GENES
    assert load_workflow(result.workflow).targets == "targets.txt"
    (tmp_path / "file").write_text("x", encoding="utf-8")
    with pytest.raises(OutputExistsError, match="is not a folder"):
        init_workflow(tmp_path / "file", tmp_path / "targets.txt")


def test_bad_inputs_are_one_line_errors(tmp_path: Path, genes: Path, capsys: pytest.CaptureFixture) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_text("GRIN2B\nnot a symbol!\n", encoding="utf-8")
    assert main(["init", str(tmp_path / "a"), "--targets", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("netpharm: error: ") and "line 2" in err and "Traceback" not in err
    assert not (tmp_path / "a").exists()
    with pytest.raises(InputError, match="not a valid SMILES"):
        init_workflow(tmp_path / "b", genes, ligands=["C1CC(("], receptors=["8EF6"])
    with pytest.raises(InputError, match="neither a PDB id"):
        init_workflow(tmp_path / "c", genes, receptors=["nonsense-receptor"])
    with pytest.raises(InputError, match="needs at least one --receptor"):
        init_workflow(tmp_path / "d", genes, ligands=["morphine"])
    with pytest.raises(InputError, match="file not found"):
        init_workflow(tmp_path / "e", genes, receptors=[str(tmp_path / "missing.pdb")])


def test_init_then_offline_run_fails_only_with_a_cache_miss(tmp_path: Path, genes: Path,
                                                            capsys: pytest.CaptureFixture) -> None:
    assert main(["init", str(tmp_path / "new"), "--targets", str(genes)]) == 0
    out = capsys.readouterr().out
    assert "wrote" in out and "next:  netpharm run" in out
    code = main(["run", str(tmp_path / "new" / "workflow.toml"), "--stages", "network", "--offline",
                 "--out", str(tmp_path / "run")])
    captured = capsys.readouterr()
    assert code == 1
    failed = [line for line in captured.out.splitlines() if line.startswith("network")]
    assert len(failed) == 1 and "failed" in failed[0]
    assert "offline and not in cache" in failed[0]
    assert "get_string_ids" in failed[0] and "identifiers=GRIN2B,CREB1,BDNF" in failed[0]
    assert "Traceback" not in captured.out + captured.err


def test_builtin_ligand_names_come_from_the_docking_stage(tmp_path: Path, genes: Path) -> None:
    assert {"morphine", "imatinib"} <= set(builtin_ligands())
    config = load_workflow(init_workflow(tmp_path / "i", genes, ligands=["Imatinib"], receptors=["1IEP"]).workflow)
    (system,) = config.docking.systems
    assert (system.ligand, system.ligand_name, system.expected_inchikey) == ("imatinib", "imatinib", "")


def test_init_help_documents_every_flag() -> None:
    out = " ".join(subprocess.run([sys.executable, "-m", "netpharm", "init", "--help"], capture_output=True,
                                  text=True, check=True).stdout.split())  # argparse wraps lines
    for flag in ("DIR", "--targets FILE", "--species N", "--ligand SMILES_OR_NAME", "--receptor PDB_OR_FILE",
                 "never overwritten"):
        assert flag in out, flag
    top = " ".join(subprocess.run([sys.executable, "-m", "netpharm", "--help"], capture_output=True, text=True,
                                  check=True).stdout.split())
    assert "init" in top and "netpharm init mystudy --targets genes.txt" in top

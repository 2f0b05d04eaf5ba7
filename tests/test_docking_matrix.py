"""``[docking.matrix]``: the top compounds of the compound–target network × the top hub targets (issue 19, §3).

The matrix is built by the workflow (``registry.expand_config``) from the compounds and network stages' outcomes;
``docking.matrix.build_matrix`` is a pure function of plain data.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from helpers import SYNTHETIC_RUN, workflow_config

from netpharm.compounds.config import CompoundsConfig, DiseaseTable, TargetTable
from netpharm.docking.config import DockingConfig, DockingMatrix, DockingSystem
from netpharm.docking.matrix import CompoundChoice, build_matrix
from netpharm.errors import ConfigError
from netpharm.registry import expand_config, stage
from netpharm.stage import read_outcome

HERBAL = Path(__file__).resolve().parent / "data" / "target_sources" / "swisstargetprediction" / \
    "herbal-network-pharmacology"
SYSTEMS = (DockingSystem("GRIN2B_7EU8", "7EU8", target="GRIN2B", chains=("B",), ligand_resname="JC9"),
           DockingSystem("CREB1_x", "receptor.pdb", target="CREB1", box_center=(0.0, 0.0, 0.0),
                         box_size=(20.0, 20.0, 20.0)),
           DockingSystem("TP53_x", "receptor.pdb", target="TP53", box_center=(0.0, 0.0, 0.0),
                         box_size=(20.0, 20.0, 20.0)))


def _matrix(compounds: int, hubs: int) -> DockingConfig:
    return DockingConfig(systems=SYSTEMS, matrix=DockingMatrix(compounds=compounds, hubs=hubs))


def test_top_compounds_by_degree_rank_into_the_systems_of_the_top_hubs_ties_included() -> None:
    """Hand-made ranks (named as such): two compounds tie at rank 2, three hubs tie at rank 2."""
    compounds = [CompoundChoice("quercetin", 1, "O=c1c(O)c(-c2ccc(O)c(O)c2)oc2cc(O)cc(O)c12"),
                 CompoundChoice("kaempferol", 2), CompoundChoice("(1R,2R)-pseudoephedrine", 2),
                 CompoundChoice("wogonin", 4)]
    hubs = {"GRIN2B": 1, "AKT1": 2, "BDNF": 2, "CREB1": 2, "GRIN1": 5}
    built = build_matrix(_matrix(2, 2), compounds, hubs)
    assert [lig.name for lig in built.ligands] == ["quercetin", "_1R_2R_-pseudoephedrine", "kaempferol"]
    assert built.ligands[0].source.startswith("O=c1c(O)")   # the table's SMILES
    assert built.ligands[2].source == "kaempferol"          # no SMILES: its name, looked up like any ligand name
    assert [s.name for s in built.systems] == ["GRIN2B_7EU8", "CREB1_x"]   # TP53 is no top hub: not docked
    assert any(n.startswith("not docked: no [[docking.systems]] names a structure for the hub target(s) AKT1, BDNF")
               for n in built.matrix.notes)
    assert "ligand folder names: (1R,2R)-pseudoephedrine as _1R_2R_-pseudoephedrine" in built.matrix.notes


def test_without_the_upstream_findings_nothing_is_docked_and_the_notes_say_why() -> None:
    built = build_matrix(_matrix(3, 3), None, {"GRIN2B": 1})
    assert built.systems == () and built.ligands == ()
    assert built.matrix.notes == ("docking matrix not built: no the compound–target network (compounds stage)",)


@pytest.mark.parametrize("fields, words", [
    ({"compounds": 3}, "give both 'compounds' and 'hubs'"),
    ({"compounds": -1, "hubs": 2}, "must be >= 0"),
])
def test_bad_matrix_tables_are_config_errors(fields: dict, words: str) -> None:
    from netpharm.config import from_mapping

    with pytest.raises((ConfigError, ValueError), match=words):
        from_mapping(DockingConfig, {"systems": [dataclasses.asdict(SYSTEMS[0])], "matrix": fields}, "docking")


def test_a_matrix_needs_systems_named_per_target_and_not_ligands_as_well() -> None:
    with pytest.raises(ValueError, match=r"needs \[\[docking.systems\]\] naming a receptor per target"):
        DockingConfig(matrix=DockingMatrix(compounds=2, hubs=2))
    with pytest.raises(ValueError, match=r"give \[\[docking.ligands\]\] or \[docking.matrix\]"):
        from netpharm.docking.config import LigandSpec

        DockingConfig(systems=SYSTEMS, ligands=(LigandSpec("x", "CCO"),), matrix=DockingMatrix(compounds=2, hubs=2))


def test_the_workflow_builds_it_from_a_real_compounds_run_and_a_network_run(tmp_path: Path) -> None:
    """Compounds: the herbal-network-pharmacology study's 25 SwissTargetPrediction compounds (real export);
    network: the synthetic report run's hub ranks (GRIN2B 1; AKT1, BDNF, CREB1 2). Only the matrix is built."""
    from netpharm.workflow import run_workflow

    compounds = CompoundsConfig(
        targets=(TargetTable(file=str(HERBAL / "swisstarget.txt"), label="SwissTargetPrediction",
                             format="swisstargetprediction", min_probability=0.1),),
        disease=(DiseaseTable(file=str(HERBAL / "study_context/disease_genes.csv"), label="diabetic nephropathy",
                              column="gene_symbol"),))
    config = workflow_config(tmp_path, offline=True, compounds=compounds, docking=_matrix(2, 1))
    run_workflow(config, tmp_path / "run", stages=["compounds"])
    found = read_outcome(tmp_path / "run" / "compounds" / "summary.json", stage("compounds"))
    network = read_outcome(SYNTHETIC_RUN / "network" / "summary.json", stage("network"))
    assert found.findings is not None and found.findings.ct_network is not None
    ranks = found.findings.ct_network.ranks("compound")
    expected = sorted((n for n, r in ranks.items() if r <= 2), key=lambda n: (ranks[n], n))
    built = expand_config(config, "docking", {"compounds": found, "network": network}.get).docking
    assert [lig.name for lig in built.ligands] == expected and 2 <= len(expected)
    assert [s.target for s in built.systems] == ["GRIN2B"]
    assert expand_config(config, "network", {}.get) is config   # only the docking stage is expanded

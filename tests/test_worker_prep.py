"""Ligands prepared on the docking workers are the ligands the campaign's process would prepare (same PDBQT)."""

from __future__ import annotations

import os
from pathlib import Path

from helpers import NALOXONE, NALOXONE_KEY, docking_context

from netpharm.docking.config import DockingConfig
from netpharm.docking.prepare.campaign import CampaignLigand
from netpharm.docking.prepare.inputs import prepare_campaign_ligand, prepare_ligand_offline
from netpharm.docking.run.executor import map_in_workers

FENTANYL = "CCC(=O)N(C1CCN(CC1)CCC2=CC=CC=C2)C3=CC=CC=C3"


def _pid(_: object) -> int:  # module level: sent to the worker processes
    return os.getpid()


def test_worker_side_ligand_preparation_gives_the_same_files(tmp_path: Path) -> None:
    ligands = [CampaignLigand("morphine", "morphine"), CampaignLigand("naloxone", NALOXONE, NALOXONE_KEY),
               CampaignLigand("fentanyl", FENTANYL), CampaignLigand("unknown", "not-a-drug-name-xyz")]
    workers = map_in_workers(prepare_ligand_offline, ligands, workers=2)
    assert [name for name, _, _ in workers] == ["morphine", "naloxone", "fentanyl", "unknown"]
    # a name that needs PubChem comes back to the campaign's process (which has the cache), with the reason
    assert workers[3][1] is None and workers[3][2]
    ctx = docking_context(tmp_path, DockingConfig())
    for (name, prepared, error), lig in zip(workers[:3], ligands, strict=False):
        assert error == ""
        here = prepare_campaign_ligand(lig, ctx)
        assert prepared == here                       # every field, the PDBQT text included
        assert prepared.name == name and prepared.pdbqt.startswith("REMARK")
    assert {p for p in map_in_workers(_pid, list(range(4)), workers=2)} != {os.getpid()}

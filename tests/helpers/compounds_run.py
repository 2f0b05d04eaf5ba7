"""A compounds-stage run directory for the ``ct_degree`` / ``drug_like`` claim kinds, before the stage exists.

Single-purpose, imported from its module (``from helpers.compounds_run import ...``). The compounds stage's
findings class is written on another branch (issue 19); the claim kinds read only its ``ct_network`` and
``drug_likeness`` fields (:class:`netpharm.compounds.claims.ct_degree.CompoundsView`), so this stand-in holds just
those two and is written to ``compounds/summary.json`` the way a stage writes its findings.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from netpharm.compounds import CTP_STAGE
from netpharm.compounds.claims import ct_degree
from netpharm.compounds.ct_findings import CTNetwork, DrugLikeness
from netpharm.io import write_json_atomic
from netpharm.stage import Stage, StageOutcome
from netpharm.verdict import RunView


@dataclass(frozen=True)
class StandInFindings:
    """The two fields the claim kinds read from the compounds stage's findings."""

    ct_network: CTNetwork | None
    drug_likeness: DrugLikeness | None


def compounds_run(run_dir: Path, monkeypatch: pytest.MonkeyPatch, findings: StandInFindings | None) -> RunView:
    """A RunView of ``run_dir`` with a stage "compounds" whose findings are ``findings`` (``None``: not run)."""
    monkeypatch.setattr(ct_degree, "FINDINGS", f"{__name__}:StandInFindings")
    stage = Stage("compounds", {}, (), "unused:run", StandInFindings)
    if findings is not None:
        (run_dir / "compounds").mkdir(exist_ok=True)
        write_json_atomic(run_dir / "compounds" / "summary.json",
                          StageOutcome("compounds", "ok", findings=findings).to_json())
    return RunView(run_dir, [stage, CTP_STAGE])  # no ct_pathway/summary.json: that step not run

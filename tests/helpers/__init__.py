"""Helpers shared by the test modules: import them from here (``from helpers import stage_context``).

* :mod:`.paths`    the stored test data folders
* :mod:`.programs` TEST DOUBLES for autogrid4/autodock4/vina and a PATH holding only them
* :mod:`.claims`   claims parsed with the registered kinds and judged on a run directory
* :mod:`.context`  the one builder of a workflow configuration and of a stage's ``RunContext``
* :mod:`.docking`  the 1IEP redocking case, opioid systems, executor jobs
* :mod:`.runs`     run directories (synthetic copy, offline workflow run), the AutoDock file regenerator
* :mod:`.graphs`   hand-made graphs

Heavier or single-purpose helpers are imported from their module: :mod:`.pose_run` (a run directory with
real poses), :mod:`.faultserver` (a loopback HTTP server with scripted faults).
"""

from .claims import KINDS, claim_from_table, run_claims
from .context import docking_context, enrichment_context, stage_context, workflow_config
from .docking import (
    IEP_BOX,
    IEP_REDOCK_CASE,
    NALOXONE,
    NALOXONE_KEY,
    copy_1iep_inputs,
    iep_case,
    make_job,
    opioid_systems,
)
from .graphs import hand_graph
from .paths import AD, DATA, OFFLINE_WORKFLOW, REPO, STRUCT, SYNTHETIC_RUN, TESTS
from .programs import AUTODOCK_MISSING, FAKE_AUTODOCK, FAKE_AUTOGRID, calls, fake_bin, fake_program, require_autodock
from .runs import copy_synthetic_run, load_regenerate, recorded_docking_summary, run_offline_workflow

__all__ = [
    "KINDS", "claim_from_table", "run_claims", "AD", "AUTODOCK_MISSING", "DATA", "FAKE_AUTODOCK", "FAKE_AUTOGRID", "IEP_BOX", "IEP_REDOCK_CASE", "NALOXONE", "NALOXONE_KEY",
    "OFFLINE_WORKFLOW", "REPO", "STRUCT", "SYNTHETIC_RUN", "TESTS", "calls", "copy_1iep_inputs", "copy_synthetic_run",
    "docking_context", "enrichment_context", "fake_bin", "fake_program", "hand_graph", "iep_case",
    "load_regenerate", "make_job", "recorded_docking_summary", "opioid_systems", "require_autodock", "run_offline_workflow", "stage_context",
    "workflow_config",
]

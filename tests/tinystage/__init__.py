"""A tiny stage for tests/test_stage_slices.py: the recipe for a new stage, followed to the letter.

One package (this folder: ``STAGE``, ``findings.py``, ``files.py``, ``stage.py``, ``claims.py``,
``section.py`` and its template) plus one registry line (the test appends ``STAGE`` to
``netpharm.registry.STAGES``) — nothing in ``netpharm/report`` knows of it. Hand-made: it measures
the workflow's target symbols (no data of its own).
"""

from netpharm.stage import Stage
from tinystage.findings import TinyFindings

__all__ = ["STAGE"]

STAGE: Stage[TinyFindings] = Stage(
    name="tiny", sections={}, reads=(), run="tinystage.stage:run_tiny_stage", findings=TinyFindings,
    claims="tinystage.claims", section="tinystage.section:TinySection")

"""The tiny stage's run function: the length of every target symbol."""

from __future__ import annotations

from typing import Any

from netpharm.io import write_columns
from netpharm.stage import RunContext, StageOutcome
from tinystage.files import LENGTHS
from tinystage.findings import TinyFindings


def run_tiny_stage(ctx: RunContext[Any]) -> StageOutcome[TinyFindings]:
    out = ctx.stage_dir()
    table = write_columns(out / LENGTHS, {"name": list(ctx.targets), "length": [len(t) for t in ctx.targets]})
    longest = max(ctx.targets, key=len)
    return StageOutcome("tiny", "ok", outputs=[str(table.relative_to(ctx.run_dir))],
                        findings=TinyFindings(len(ctx.targets), longest))

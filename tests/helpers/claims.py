"""Claims in tests: parse a ``[[claims]]`` table and judge claims on a run directory, as the report does."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from netpharm import registry
from netpharm.verdict import Claim, ClaimKind, RunView, Verdict, evaluate
from netpharm.verdict import claim_from_table as parse_table

#: kind → class, over the registered stages' claims modules.
KINDS = registry.registered_claim_kinds()


def claim_from_table(number: int, table: Mapping[str, Any]) -> Claim[ClaimKind]:
    """One ``[[claims]]`` table parsed with the registered kinds (no cross-check with a workflow)."""
    return parse_table(number, table, registry.registered_claim_kinds())


def run_claims(run_dir: Path, claims: Sequence[Claim[ClaimKind]]) -> list[Verdict]:
    """The verdicts of ``claims`` on the run directory ``run_dir``, in claim order."""
    return evaluate(claims, RunView(Path(run_dir), registry.stages()))

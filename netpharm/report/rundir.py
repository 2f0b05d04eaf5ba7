"""Read a (possibly half-finished) run directory for the report and the verdict.

The report depends only on the files described in ``docs/run-directory.md``. A missing stage
folder gives ``None`` (the report says "stage not run"); a ``summary.json`` is read strictly
into the stage's findings dataclass, so a renamed, missing or extra field raises
:class:`~netpharm.errors.StageContractError` naming the file and the key.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from netpharm.docking.findings import DockingFindings
from netpharm.enrichment.findings import EnrichmentFindings
from netpharm.errors import ReportError
from netpharm.network.findings import NetworkFindings
from netpharm.nmda.findings import NmdaFindings
from netpharm.report import UPSTREAM
from netpharm.stage import StageOutcome, read_outcome

__all__ = ["StageSummary", "Summaries", "STAGES", "load_summary", "load_summaries", "load_manifest", "read_tsv",
           "read_json"]

#: The stages the report reads, in report order (from the report stage's ``reads``).
STAGES: tuple[str, ...] = tuple(s.name for s in UPSTREAM)
#: A stage's recorded outcome with typed findings (the name the report used before the typed contract).
StageSummary = StageOutcome


@dataclass(frozen=True)
class Summaries:
    """Every upstream stage's typed summary; ``None`` for a stage that left none.

    One field per stage of :data:`netpharm.report.UPSTREAM` (a test checks they agree), so
    the report and the claims read ``summaries.network.findings.degree`` — a renamed
    findings field is a type error, not a silent ``None``.
    """

    network: StageOutcome[NetworkFindings] | None = None
    enrichment: StageOutcome[EnrichmentFindings] | None = None
    docking: StageOutcome[DockingFindings] | None = None
    nmda: StageOutcome[NmdaFindings] | None = None

    def get(self, name: str) -> StageOutcome[Any] | None:
        """The summary of stage ``name`` (for loops over :data:`STAGES`)."""
        value: StageOutcome[Any] | None = getattr(self, name)
        return value


def read_json(path: Path, what: str) -> Any:
    """Parsed JSON of ``path``; ``None`` when the file does not exist; ReportError when unreadable."""
    if not path.is_file():
        return None
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ReportError(f"{path}: unreadable {what} ({exc})") from exc


def load_summary(run_dir: Path, stage: str) -> StageOutcome[Any] | None:
    """``RUN_DIR/<stage>/summary.json`` read strictly into typed findings, or ``None`` when absent.

    Raises
    ------
    StageContractError
        A field renamed, missing or added relative to the stage's findings dataclass.
    """
    spec = next(s for s in UPSTREAM if s.name == stage)
    path = Path(run_dir) / stage / "summary.json"
    return read_outcome(path, spec) if path.is_file() else None


def load_summaries(run_dir: Path) -> Summaries:
    """Every analysis stage's typed summary, ``None`` for stages that left none."""
    return Summaries(**{stage: load_summary(run_dir, stage) for stage in STAGES})


def load_manifest(run_dir: Path) -> dict[str, Any] | None:
    """``RUN_DIR/manifest.json`` (provenance), or ``None`` when absent."""
    path = Path(run_dir) / "manifest.json"
    data = read_json(path, "run manifest")
    if data is None:
        return None
    if not isinstance(data, dict):
        raise ReportError(f"{path}: the run manifest must be a JSON object")
    return data


def read_tsv(path: Path) -> pd.DataFrame | None:
    """A stage's TSV as strings-preserving DataFrame, or ``None`` when absent or empty."""
    path = Path(path)
    if not path.is_file() or path.stat().st_size == 0:
        return None
    try:
        return pd.read_csv(path, sep="\t", keep_default_na=False, na_values=[""])
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise ReportError(f"{path}: unreadable table ({exc})") from exc

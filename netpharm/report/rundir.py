"""Read a (possibly half-finished) run directory for the report and the verdict.

The report depends only on the files described in ``docs/run-directory.md``; every reader
here is tolerant: a missing stage folder gives ``None`` (the report says "stage not run"),
unknown keys are ignored, and a malformed ``summary.json`` raises :class:`ReportError`
naming the file.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from netpharm.errors import ReportError

__all__ = ["StageSummary", "STAGES", "load_summary", "load_summaries", "load_manifest", "read_tsv"]

STAGES: tuple[str, ...] = ("network", "enrichment", "docking", "nmda")


@dataclass(frozen=True)
class StageSummary:
    """A stage's ``summary.json`` (the StageOutcome the workflow recorded)."""

    stage: str
    status: str
    reason: str = ""
    missing: tuple[str, ...] = ()
    outputs: tuple[str, ...] = ()
    findings: dict[str, Any] = field(default_factory=dict)

    @property
    def usable(self) -> bool:
        """``ok`` or ``partial``: the stage produced findings the verdict may use."""
        return self.status in ("ok", "partial")

    def why_unusable(self) -> str:
        """One phrase for a verdict's reason when the stage did not produce usable findings."""
        base = f"{self.stage} stage {self.status.replace('_', ' ')}"
        return f"{base}: {self.reason}" if self.reason else base


def _parse_summary(path: Path, data: Any) -> StageSummary:
    if not isinstance(data, dict) or "status" not in data:
        raise ReportError(f"{path}: not a stage summary (a JSON object with 'stage' and 'status' expected)")
    findings = data.get("findings") or {}
    if not isinstance(findings, dict):
        raise ReportError(f"{path}: 'findings' must be a JSON object")
    return StageSummary(
        stage=str(data.get("stage", path.parent.name)), status=str(data["status"]),
        reason=str(data.get("reason") or ""), missing=tuple(str(m) for m in data.get("missing") or ()),
        outputs=tuple(str(o) for o in data.get("outputs") or ()), findings=findings)


def _read_json(path: Path, what: str) -> Any:
    """Parsed JSON of ``path``; ``None`` when the file does not exist; ReportError when unreadable."""
    if not path.is_file():
        return None
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ReportError(f"{path}: unreadable {what} ({exc})") from exc


def load_summary(run_dir: Path, stage: str) -> StageSummary | None:
    """``RUN_DIR/<stage>/summary.json`` or ``None`` when the stage left no summary."""
    path = Path(run_dir) / stage / "summary.json"
    data = _read_json(path, "stage summary")
    return None if data is None else _parse_summary(path, data)


def load_summaries(run_dir: Path) -> dict[str, StageSummary | None]:
    """Every analysis stage's summary, ``None`` for stages that left none."""
    return {stage: load_summary(run_dir, stage) for stage in STAGES}


def load_manifest(run_dir: Path) -> dict[str, Any] | None:
    """``RUN_DIR/manifest.json`` (provenance), or ``None`` when absent."""
    path = Path(run_dir) / "manifest.json"
    data = _read_json(path, "run manifest")
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

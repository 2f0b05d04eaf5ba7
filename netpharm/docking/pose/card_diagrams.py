"""The 2-D interaction diagrams of the poses that get a card, drawn once every job has finished.

Drawing a diagram (matplotlib, PNG and SVG) was most of a campaign job's own CPU, and the report shows it
only on a pose's full card (:mod:`netpharm.docking.cards`: the best ``[report] pose_cards`` docked poses and
every redocking case). So the docking stage picks the card poses when all jobs are done and draws theirs
here, from the files the pose analysis left in the job's folder: the pose (``<stem>.pdbqt``, rebuilt into the
very molecule the profile's atom indices refer to) and its ProLIF profile.

Each diagram gets a record, :data:`netpharm.docking.files.DIAGRAM_RECORD`: the sha256 of what it was drawn
from (pose, profile, title) and of its two files. A resumed run redraws only a diagram that is missing,
damaged or drawn from another pose or profile.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from netpharm import __version__
from netpharm.docking import files
from netpharm.errors import NetpharmError
from netpharm.io import bytes_sha256, file_sha256, json_sha256, read_optional_json, write_json_atomic

__all__ = ["DiagramJob", "valid_diagram", "draw_card_diagram"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DiagramJob:
    """One pose's diagram to draw: its job folder (absolute), its files' stem, the title and the profile
    (:class:`netpharm.docking.findings.Interaction` fields as plain records)."""

    folder: str
    stem: str
    title: str
    records: tuple[dict[str, Any], ...]

    @property
    def paths(self) -> list[Path]:
        """``<stem>.png`` and ``<stem>.svg``."""
        return [Path(self.folder) / f"{self.stem}.{ext}" for ext in ("png", "svg")]

    @property
    def record_path(self) -> Path:
        return Path(self.folder) / files.DIAGRAM_RECORD.format(stem=self.stem)

    def inputs_sha256(self, pose_pdbqt: bytes) -> str:
        """sha256 of what the diagram is drawn from."""
        return json_sha256({"pose": bytes_sha256(pose_pdbqt), "title": self.title, "records": list(self.records),
                            "netpharm": __version__})


def _pose_bytes(job: DiagramJob) -> bytes | None:
    try:
        return (Path(job.folder) / f"{job.stem}.pdbqt").read_bytes()
    except OSError:
        return None


def valid_diagram(job: DiagramJob, pose: bytes | None = None) -> list[Path] | None:
    """The diagram's PNG and SVG when they were drawn from this pose, profile and title and are intact
    (their record says so), else ``None``."""
    if not job.record_path.is_file():
        return None
    try:
        record = read_optional_json(job.record_path, "diagram record", NetpharmError)
    except NetpharmError:  # a damaged record: the diagram is drawn again
        return None
    pose = pose if pose is not None else _pose_bytes(job)
    if not isinstance(record, dict) or pose is None or record.get("inputs") != job.inputs_sha256(pose):
        return None
    for path in job.paths:
        try:
            if record.get(path.suffix[1:]) != file_sha256(path):
                return None
        except OSError:
            return None
    return job.paths


def draw_card_diagram(job: DiagramJob) -> tuple[list[Path], bool, str]:
    """Worker function (:func:`netpharm.docking.run.executor.map_in_workers`): ``(PNG and SVG, drawn now,
    "")``; an existing valid diagram is kept (drawn now = False); ``([], False, why)`` when it cannot be drawn."""
    pose = _pose_bytes(job)
    if pose is None:
        return [], False, f"{job.folder}: no {job.stem}.pdbqt to draw the 2-D diagram from"
    kept = valid_diagram(job, pose)
    if kept is not None:
        return kept, False, ""
    from netpharm.docking.pose.diagram import write_interaction_diagram
    from netpharm.docking.pose.poses import pdbqt_to_mol

    mol = pdbqt_to_mol(pose.decode("utf-8"))
    if mol is None:
        return [], False, f"{job.folder}: {job.stem}.pdbqt could not be rebuilt as a molecule: no 2-D diagram"
    try:
        paths = write_interaction_diagram(mol, job.records, Path(job.folder) / job.stem, job.title)
        write_json_atomic(job.record_path, {"inputs": job.inputs_sha256(pose),
                                            **{p.suffix[1:]: file_sha256(p) for p in paths}})
    except NetpharmError as exc:  # e.g. a full disk: the pose keeps its other results
        return [], False, f"{job.folder}: 2-D diagram: {exc}"
    return paths, True, ""

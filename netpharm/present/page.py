"""The contract between a stage's report section and the report that assembles the page.

A stage names its section as ``"package.module:Class"`` (:attr:`netpharm.stage.Stage.section`);
the class subclasses :class:`StageSection`. The report builds one :class:`Page` for the run,
asks each registered stage's section to :meth:`~StageSection.render` its part from the stage's
typed outcome, and adds the run-level parts (what is missing, the verdict, inputs, files,
provenance). A section reads only its own stage's folder, through its ``files.py`` names.

Light module: no jinja2, pandas or matplotlib at import.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar

if TYPE_CHECKING:
    from netpharm.present.viewer import PoseView
    from netpharm.stage import StageOutcome

__all__ = ["Page", "Rendered", "StageSection"]

F = TypeVar("F")


@dataclass(frozen=True)
class Page:
    """Where the page is written and what every section may know of the run.

    Attributes
    ----------
    run_dir : Path
        The run directory the report describes.
    report_dir : Path
        ``run_dir/report``: links in the page are relative to it.
    figures_dir : Path
        ``report_dir/figures``: where sections write their figures.
    manifest : Mapping or None
        The run's ``manifest.json`` (provenance), when present.
    pose_cards : int
        ``[report] pose_cards``: how many best poses get a full card (diagram, 3-D view, profile);
        every pose stays in the section's table.
    """

    run_dir: Path
    report_dir: Path
    figures_dir: Path
    manifest: Mapping[str, Any] | None = None
    pose_cards: int = 10

    def stage_dir(self, name: str) -> Path:
        """``run_dir/<name>``: a stage's folder (it may not exist in a half-finished run)."""
        return self.run_dir / name


@dataclass(frozen=True)
class Rendered:
    """A section's part of the page.

    Attributes
    ----------
    html : str
        Safe markup (built from autoescaped templates).
    figures : list of Path
        Files the section wrote under :attr:`Page.figures_dir` (listed in the report's outputs).
    views : list of PoseView
        Interactive 3-D views in ``html``; the page then inlines 3Dmol.js once.
    tables : bool
        ``html`` holds sortable, filterable tables (``table.explore``); the page then inlines their script.
    """

    html: str
    figures: list[Path] = field(default_factory=list)
    views: list[PoseView] = field(default_factory=list)
    tables: bool = False


class StageSection(Generic[F]):
    """A stage's part of the report; subclass it in the stage's ``section.py``.

    Class attributes
    ----------------
    anchor : str
        The section's id in the page (and its navigation link).
    title : str
        The navigation text.
    """

    anchor: ClassVar[str] = ""
    title: ClassVar[str] = ""

    def render(self, page: Page, outcome: StageOutcome[F] | None) -> Rendered:
        """The section's markup (``outcome`` None: the stage left no summary)."""
        raise NotImplementedError

    def inputs(self, page: Page, outcome: StageOutcome[F] | None) -> str:
        """Markup for the report's Inputs section (data sources the stage read), or ""."""
        return ""

    def unused(self, outcome: StageOutcome[F] | None) -> bool:
        """The workflow gave the stage nothing to do (not a gap: left out of "What is missing")."""
        return False

    def stand_ins(self, outcome: StageOutcome[F] | None) -> list[str]:
        """Stand-ins the stage used for the paper's data, one sentence each (shown under Inputs and Missing)."""
        return []

    def programs(self, outcome: StageOutcome[F] | None) -> dict[str, str | None]:
        """External programs the stage used and their versions (``None``: not installed)."""
        return {}

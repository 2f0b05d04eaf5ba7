"""Configuration of the report stage (``[report]`` in a workflow TOML)."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["ReportConfig"]


@dataclass(frozen=True)
class ReportConfig:
    """What the final report includes.

    Attributes
    ----------
    enabled : bool
    title : str
        Page title (default: ``netpharm report: <workflow name>``).
    """

    enabled: bool = True
    title: str = ""

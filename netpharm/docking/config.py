"""Configuration of the docking stage (owned by the docking issue)."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["DockingConfig"]


@dataclass(frozen=True)
class DockingConfig:
    """Docking options."""

    enabled: bool = True

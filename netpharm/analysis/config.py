"""Configuration of the NMDA-pore analysis (owned by the NMDA issue)."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["NmdaConfig"]


@dataclass(frozen=True)
class NmdaConfig:
    """NMDA receptor pore options."""

    enabled: bool = True
    pdb_id: str = "9IYP"

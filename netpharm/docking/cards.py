"""Which best poses get a full card (2-D diagram, 3-D view, interaction profile): the one rule.

The report shows a card for the ``[report] pose_cards`` docked poses of lowest best energy and for every
redocking case; every other pose is a row of the ligand × receptor table and its one switching 3-D view.
The docking stage draws the 2-D interaction diagram for the card poses only (drawing it is most of a
campaign job's own CPU), so both ask this module which poses those are. Light module (no numerical import).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["CardCandidate", "card_energy", "card_choice"]


@dataclass(frozen=True)
class CardCandidate:
    """A pose as the card rule sees it.

    Attributes
    ----------
    energy : float or None
        Best energy (kcal/mol) of a finished job (:func:`card_energy`); ``None`` sorts last.
    redock : bool
        A redocking case: always gets a card.
    has_pose : bool
        The job left pose files to show (a failed job gets no card).
    """

    energy: float | None
    redock: bool
    has_pose: bool


def card_energy(best_energy: float | None, status: str | None) -> float | None:
    """The energy a pose is ranked by: its best energy when its job finished ("ok"), else ``None``."""
    if best_energy is None or status != "ok" or math.isnan(best_energy):
        return None
    return float(best_energy)


def card_choice(poses: Sequence[CardCandidate], top: int) -> tuple[list[int], int]:
    """Indices of the poses with a card, in the order the report shows them, and how many docked poses
    with files are left without one.

    First the ``top`` docked poses of lowest energy (all of them, in the given order, when they fit; ties
    keep the given order), then every redocking case with a pose.
    """
    docked = [i for i, p in enumerate(poses) if p.has_pose and not p.redock]
    if len(docked) > top:
        docked = sorted(docked, key=lambda i: (poses[i].energy is None, poses[i].energy or 0.0))[:top]
        left = sum(p.has_pose and not p.redock for p in poses) - top
    else:
        left = 0
    return docked + [i for i, p in enumerate(poses) if p.has_pose and p.redock], left

"""One style per interaction kind, shared by the 2-D diagram and the report's 3-D view (light module: no RDKit)."""

from __future__ import annotations

from typing import Any

__all__ = ["STYLES", "KIND_COLOURS"]

#: kind → (label, colour, line style, line width): one style per interaction kind.
STYLES: dict[str, tuple[str, str, Any, float]] = {
    "salt_bridge": ("salt bridge", "#c0392b", "-", 2.2),
    "hbond": ("hydrogen bond", "#1f7a3a", (0, (4, 2)), 1.6),
    "cation_pi": ("cation–π", "#8e44ad", (0, (6, 2, 1, 2)), 1.6),
    "pi_stacking": ("π-stacking", "#d35400", (0, (1, 1.5)), 2.2),
    "halogen_bond": ("halogen bond", "#2471a3", (0, (3, 1, 1, 1, 1, 1)), 1.6),
    "hydrophobic": ("hydrophobic contact", "#7f8c8d", (0, (1, 3)), 0.9),
}
#: kind → line colour (the 3-D view's dashed lines).
KIND_COLOURS: dict[str, str] = {kind: style[1] for kind, style in STYLES.items()}

"""Questions about a pose's interaction profile, for claim evaluators and the report.

Light module (no numerical import; :mod:`netpharm.docking.interactions` computes the profiles
with ProLIF): "does the best pose of system S have interaction T with residue R?", with R as
``A:147``, ``A:ASP147``, ``ASP147``, ``147`` or a generic number such as ``D3.32`` (the rows of
the TM3-motif aspartate carry ``generic = "D3.32"``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import asdict
from typing import Any

from netpharm.docking.findings import Interaction
from netpharm.errors import InteractionError

__all__ = ["INTERACTION_KINDS", "interaction_record", "residue_matches", "has_interaction", "system_has_interaction"]

#: netpharm's interaction kinds, in the order tables and legends show them.
INTERACTION_KINDS: tuple[str, ...] = ("salt_bridge", "hbond", "cation_pi", "pi_stacking", "halogen_bond",
                                      "hydrophobic")
_RESIDUE = re.compile(r"^(?:(?P<chain>[A-Za-z0-9]):)?(?P<resname>[A-Za-z]{3})?(?P<resnum>-?\d+)(?P<icode>[A-Za-z]?)$")


def interaction_record(row: Interaction | Mapping[str, Any]) -> Mapping[str, Any]:
    """A profile row as a mapping, whether typed (findings) or read from JSON."""
    return asdict(row) if isinstance(row, Interaction) else row


def residue_matches(row: Interaction | Mapping[str, Any], residue: str) -> bool:
    """Does a profile row concern ``residue``?

    ``residue`` is a generic number (``D3.32``), or ``[chain:][RES]num`` such as ``A:147``,
    ``A:ASP147``, ``ASP147`` or ``147`` (chain and name are checked only when given).
    """
    record = interaction_record(row)
    residue = residue.strip()
    if re.fullmatch(r"[A-Z]\d+\.\d+", residue):
        return str(record.get("generic") or "") == residue
    m = _RESIDUE.match(residue)
    if m is None:
        raise InteractionError(f"residue {residue!r}: expected e.g. A:147, A:ASP147, ASP147 or D3.32")
    if int(m["resnum"]) != int(record.get("resnum", -10**9)):
        return False
    if m["chain"] and m["chain"] != str(record.get("chain") or ""):
        return False
    return not m["resname"] or m["resname"].upper() == str(record.get("resname") or "").upper()


def has_interaction(records: Iterable[Interaction | Mapping[str, Any]], kind: str, residue: str) -> bool:
    """Does a profile have an interaction of ``kind`` with ``residue``?

    The question a claim evaluator asks of a best pose, e.g.
    ``has_interaction(system["interactions"], "salt_bridge", "D3.32")``.
    ``kind`` is one of :data:`INTERACTION_KINDS` or ``"any"``.
    """
    if kind != "any" and kind not in INTERACTION_KINDS:
        raise InteractionError(f"interaction kind {kind!r}: expected one of {', '.join(INTERACTION_KINDS)} or any")
    return any((kind == "any" or interaction_record(r).get("kind") == kind) and residue_matches(r, residue) for r in records)


def system_has_interaction(systems: Iterable[Any], system: str, kind: str, residue: str,
                           engine: str | None = None) -> bool | None:
    """Does the best pose of ``system`` have an interaction of ``kind`` with ``residue``?

    ``systems`` are the docking stage's findings (:class:`~netpharm.docking.findings.DockedSystem`)
    or ``systems.json`` rows. Returns ``None`` when no finished pose of that system (and engine)
    has a complete profile and none shows the interaction: the question cannot be answered,
    which a claim evaluator must not read as "no".
    """
    rows = [interaction_record(s) if isinstance(s, Mapping) else asdict(s) for s in systems]
    rows = [s for s in rows if s.get("system") == system and (engine is None or s.get("engine") == engine)
            and s.get("status") == "ok" and s.get("interactions") is not None]
    if any(has_interaction(s["interactions"], kind, residue) for s in rows):
        return True
    # no: a definite answer only from a complete profile (none of its residues left out)
    return False if any(not s.get("interactions_error") for s in rows) else None

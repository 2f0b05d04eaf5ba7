"""Questions about a pose's interaction profile, for claim evaluators and the report.

Light module (no numerical import; :mod:`netpharm.docking.pose.interactions` computes the profiles
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

__all__ = ["INTERACTION_KINDS", "PROLIF_TYPE_KINDS", "INTERACTION_ALIASES", "interaction_record", "residue_matches",
           "has_interaction", "system_has_interaction", "interaction_type", "parse_requirement", "is_generic"]

#: netpharm's interaction kinds, in the order tables and legends show them.
INTERACTION_KINDS: tuple[str, ...] = ("salt_bridge", "hbond", "cation_pi", "pi_stacking", "halogen_bond",
                                      "hydrophobic")
#: ProLIF's interaction classes as netpharm's fingerprint computes them
#: (:data:`netpharm.docking.pose.interactions.PROLIF_KINDS`), each with its netpharm kind.
PROLIF_TYPE_KINDS: dict[str, str] = {
    "Cationic": "salt_bridge", "Anionic": "salt_bridge", "HBDonor": "hbond", "HBAcceptor": "hbond",
    "CationPi": "cation_pi", "PiCation": "cation_pi", "PiStacking": "pi_stacking", "XBDonor": "halogen_bond",
    "XBAcceptor": "halogen_bond", "Hydrophobic": "hydrophobic"}
#: Friendly names a user may write (lower case; ``-`` and spaces read as ``_``) → a kind or ``any``.
INTERACTION_ALIASES: dict[str, str] = {
    **{k: k for k in INTERACTION_KINDS}, "any": "any", "contact": "any",
    "ionic": "salt_bridge", "saltbridge": "salt_bridge", "h_bond": "hbond", "hydrogen_bond": "hbond",
    "pi_cation": "cation_pi", "pi_stack": "pi_stacking", "stacking": "pi_stacking", "halogen": "halogen_bond",
    "xbond": "halogen_bond", "x_bond": "halogen_bond"}
#: ProLIF classes netpharm's fingerprint does not compute: named in the error instead of "unknown".
_NOT_COMPUTED = ("FaceToFace", "EdgeToFace", "VdWContact", "MetalDonor", "MetalAcceptor")
_GENERIC = re.compile(r"^[A-Z]\d+\.\d+$")
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
    if is_generic(residue):
        return str(record.get("generic") or "") == residue
    m = _RESIDUE.match(residue)
    if m is None:
        raise InteractionError(f"residue {residue!r}: expected e.g. A:147, A:ASP147, ASP147 or D3.32")
    if int(m["resnum"]) != int(record.get("resnum", -10**9)):
        return False
    if m["chain"] and m["chain"] != str(record.get("chain") or ""):
        return False
    return not m["resname"] or m["resname"].upper() == str(record.get("resname") or "").upper()


def is_generic(residue: str) -> bool:
    """Is ``residue`` a Ballesteros–Weinstein generic number (``D3.32``) rather than a residue id?"""
    return bool(_GENERIC.match(residue.strip()))


def interaction_type(name: str) -> str:
    """The canonical name of an interaction type a user wrote: a netpharm kind, a ProLIF class, or ``any``.

    ProLIF's class names (Bouysset & Fiorucci 2021; ``HBDonor`` = the ligand donates) are matched
    without regard to case and keep their direction; netpharm's kinds (``hbond``: either
    direction) and the aliases of :data:`INTERACTION_ALIASES` (``ionic``, ``h-bond``,
    ``hydrogen bond``, ``pi-stacking``, ``halogen``, ``contact`` = any) are matched after
    lower-casing with ``-`` and spaces read as ``_``.

    Raises
    ------
    InteractionError
        An unknown name, or a ProLIF class netpharm's fingerprint does not compute.
    """
    text = name.strip()
    alias = INTERACTION_ALIASES.get(re.sub(r"[\s-]+", "_", text.lower()))
    if alias is not None:
        return alias
    for cls in PROLIF_TYPE_KINDS:
        if cls.lower() == text.lower():
            return cls
    if any(c.lower() == text.lower() for c in _NOT_COMPUTED):
        raise InteractionError(f"interaction type {name!r}: a ProLIF class netpharm does not compute; use one of "
                               f"{', '.join(PROLIF_TYPE_KINDS)}")
    raise InteractionError(f"interaction type {name!r}: expected one of {', '.join(INTERACTION_KINDS)}, any, "
                           f"a ProLIF class ({', '.join(PROLIF_TYPE_KINDS)}) or an alias "
                           "(ionic, h-bond, hydrogen bond, pi-stacking, halogen, contact)")


def parse_requirement(entry: str) -> tuple[str, str]:
    """``"TYPE:RESIDUE"`` (``"salt_bridge:D3.32"``, ``"hbond:A:147"``, ``"HBDonor:A:TYR129"``) as
    ``(canonical type, residue)``.

    Only D3.32 of the generic numbers is located in every receptor (TM3 motif,
    :func:`netpharm.docking.pose.poses.find_asp332`), so other generic numbers are refused.

    Raises
    ------
    InteractionError
        No ``:``, an unknown type, a malformed residue, or a generic number other than D3.32.
    """
    kind, sep, residue = entry.partition(":")
    if not sep or not kind.strip() or not residue.strip():
        raise InteractionError("expected TYPE:RESIDUE, e.g. 'salt_bridge:D3.32' or 'hbond:A:147'")
    canonical, residue = interaction_type(kind), residue.strip()
    if is_generic(residue):
        if residue != "D3.32":
            raise InteractionError(f"generic position {residue!r}: of the generic positions the docking stage "
                                   "locates only D3.32 (from the TM3 motif); give a residue like 'A:147'")
    elif _RESIDUE.match(residue) is None:
        raise InteractionError(f"residue {residue!r}: expected e.g. A:147, A:ASP147, ASP147 or D3.32")
    return canonical, residue


def _type_matches(record: Mapping[str, Any], kind: str) -> bool:
    if kind == "any":
        return True
    return record.get("prolif_type") == kind if kind in PROLIF_TYPE_KINDS else record.get("kind") == kind


def has_interaction(records: Iterable[Interaction | Mapping[str, Any]], kind: str, residue: str) -> bool:
    """Does a profile have an interaction of ``kind`` with ``residue``?

    The question a claim evaluator asks of a best pose, e.g.
    ``has_interaction(system["interactions"], "salt_bridge", "D3.32")``.
    ``kind`` is one of :data:`INTERACTION_KINDS`, a ProLIF class of :data:`PROLIF_TYPE_KINDS`
    (direction-specific: ``HBDonor`` = the ligand donates) or ``"any"``; friendly aliases are
    resolved by :func:`interaction_type` first.
    """
    if kind != "any" and kind not in INTERACTION_KINDS and kind not in PROLIF_TYPE_KINDS:
        raise InteractionError(f"interaction kind {kind!r}: expected one of {', '.join(INTERACTION_KINDS)}, a ProLIF "
                               "class or any")
    return any(_type_matches(interaction_record(r), kind) and residue_matches(r, residue) for r in records)


def system_has_interaction(systems: Iterable[Any], system: str, kind: str, residue: str,
                           engine: str | None = None, ligand: str | None = None) -> bool | None:
    """Does the best pose of ``system`` have an interaction of ``kind`` with ``residue``?

    ``systems`` are the docking stage's findings (:class:`~netpharm.docking.findings.DockedSystem`)
    or ``systems.json`` rows; ``engine`` and ``ligand`` (a campaign docks several ligands into
    one system; compared without regard to case) narrow them. Returns ``None`` when no finished pose of that system (and engine)
    has a complete profile and none shows the interaction: the question cannot be answered,
    which a claim evaluator must not read as "no".
    """
    rows = [interaction_record(s) if isinstance(s, Mapping) else asdict(s) for s in systems]
    rows = [s for s in rows if s.get("system") == system and (engine is None or s.get("engine") == engine)
            and (ligand is None or str(s.get("ligand") or "").lower() == ligand.lower())
            and s.get("status") == "ok" and s.get("interactions") is not None]
    if any(has_interaction(s["interactions"], kind, residue) for s in rows):
        return True
    # no: a definite answer only from a complete profile (none of its residues left out)
    return False if any(not s.get("interactions_error") for s in rows) else None

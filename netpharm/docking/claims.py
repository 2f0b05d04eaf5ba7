"""The docking stage's claim kinds: ``docking`` (best poses) and ``redocking`` (RMSD to the crystal pose).

The docking rule is stated in every verdict: best energy ≤ ``max_energy`` (AutoDock 4.2.6's
estimated free energy of binding, or Vina's score), the named contact, and the protonated
amine in a salt bridge with Asp3.32 (Ballesteros–Weinstein numbering) when asked, and every
``interactions`` entry ("TYPE:RESIDUE") in the best pose's ProLIF profile. Plausible poses in
stand-in structures do not replicate the paper's docking: at most "partially supported". A
system whose profile cannot answer (none computed, residues left out, D3.32 not located) is
"cannot tell", never read as "no".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from netpharm.docking.config import DockingConfig
from netpharm.docking.findings import DockedSystem, DockingFindings, ReceptorCheck
from netpharm.docking.profile_query import interaction_record, is_generic, parse_requirement, residue_matches
from netpharm.docking.profile_query import system_has_interaction as _system_has
from netpharm.errors import InteractionError
from netpharm.verdict import (
    NOT_RUN,
    AuditFinding,
    Claim,
    ClaimKind,
    RunView,
    SectionSource,
    Verdict,
    VerdictLabel,
    unusable,
    usable_findings,
    verdict,
)

__all__ = ["Docking", "Redocking", "Binding"]

_CONTACT = re.compile(r"^(?:[A-Za-z0-9]{1,4}:-?\d+[A-Za-z]?|[A-Z]\d\.\d{2})$")


@dataclass(frozen=True)
class Docking(ClaimKind):
    """``docking``: in each of ``systems`` the best pose has energy ≤ ``max_energy`` kcal/mol, touches
    ``contact`` (a residue "A:147" or a generic Ballesteros–Weinstein position "D3.32") and, if
    ``salt_bridge``, holds the protonated amine in a salt bridge with Asp3.32. ``ligand`` picks the
    ligand of a campaign (the paper's morphine by default).

    ``interactions`` lists further interactions the best pose's ProLIF profile must show, each
    ``"TYPE:RESIDUE"``: TYPE a netpharm kind (salt_bridge, hbond, cation_pi, pi_stacking,
    halogen_bond, hydrophobic), a ProLIF class (``HBDonor``: the ligand donates), ``any`` or an
    alias (ionic, h-bond, hydrogen bond, pi-stacking, halogen, contact); RESIDUE ``A:147``,
    ``A:ASP147``, ``ASP147``, ``147`` or the generic ``D3.32``, resolved per receptor
    (:func:`netpharm.docking.profile_query.parse_requirement`)."""

    kind: ClassVar[str] = "docking"
    stage: ClassVar[str] = "docking"
    systems: tuple[str, ...]
    max_energy: float
    contact: str = ""
    salt_bridge: bool = True
    ligand: str = "morphine"
    interactions: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not self.systems:
            raise ValueError("needs at least one docking system")
        if self.contact and not _CONTACT.match(self.contact):
            raise ValueError(f"contact {self.contact!r} is neither a residue like 'A:147' nor a generic "
                             "position like 'D3.32'")
        if self.contact and "." in self.contact and self.contact.upper() != "D3.32":
            raise ValueError(f"contact {self.contact!r}: of the generic positions the docking stage "
                             "locates only D3.32 (from the TM3 motif); give a residue like 'A:147'")
        for entry in self.interactions:
            try:
                parse_requirement(entry)
            except InteractionError as exc:
                raise ValueError(f"interactions entry {entry!r}: {exc}") from exc

    def check(self, workflow: SectionSource) -> None:
        systems = {s.name for s in workflow.section(DockingConfig).systems}
        absent = [s for s in self.systems if s not in systems]
        if absent:
            raise ValueError(f"system(s) {absent} not in the workflow's [[docking.systems]] ({sorted(systems)})")

    def evaluate(self, claim: Claim[Any], run: RunView) -> Verdict:
        return _docking(claim, self, run)


@dataclass(frozen=True)
class Redocking(ClaimKind):
    """``redocking``: the symmetry-corrected heavy-atom RMSD of redocking ``case``'s best-energy pose to the
    crystal pose is ≤ ``max_rmsd`` Å."""

    kind: ClassVar[str] = "redocking"
    stage: ClassVar[str] = "docking"
    case: str
    max_rmsd: float = 2.0

    def __post_init__(self) -> None:
        if self.max_rmsd <= 0:
            raise ValueError("max_rmsd must be > 0")

    def check(self, workflow: SectionSource) -> None:
        cases = {r.name for r in workflow.section(DockingConfig).redock}
        if self.case not in cases:
            raise ValueError(f"case {self.case!r} not in the workflow's [[docking.redock]] ({sorted(cases)})")

    def evaluate(self, claim: Claim[Any], run: RunView) -> Verdict:
        return _redocking(claim, self, run)


_ENGINE_ORDER = {"autodock4": 0, "vina": 1}  # the paper used AutoDock 4.2.6
_RESIDUE = re.compile(r"^(?:(?P<chain>[A-Za-z0-9]{1,4}):)?(?:[A-Z]{3})?(?P<num>-?\d+[A-Za-z]?)$")


def _stand_in(s: DockedSystem) -> str:
    """"<structure used> for <paper's entry>", the structure by file name when it is a path."""
    return f"{Path(str(s.used_structure)).name} for {s.paper_pdb}"


def _is_stand_in(s: DockedSystem) -> bool:
    """The docking stage's ``structure_role`` (paper_entry | stand_in); older runs only have ``stand_in``."""
    return s.structure_role == "stand_in" if s.structure_role else bool(s.stand_in)


def _residue_key(text: str) -> tuple[str | None, str] | None:
    m = _RESIDUE.match(text.strip())
    return (m.group("chain"), m.group("num")) if m else None


def _has_contact(s: DockedSystem, contact: str) -> bool:
    """Generic "D3.32" = the receptor's Asp3.32 among the contacts; "A:147" = chain A residue 147."""
    if contact.upper() == "D3.32":
        return s.asp332 is not None and (s.asp332 in s.contacts or _residue_key(s.asp332) in
                                         {_residue_key(c) for c in s.contacts})
    want = _residue_key(contact)
    for c in s.contacts:
        key = _residue_key(c)
        if want is not None and key is not None and key[1] == want[1] and (key[0] is None or key[0] == want[0]):
            return True
    return False


def _found_text(s: DockedSystem, kind: str, residue: str) -> str:
    """Where a required interaction was found: the residue it resolved to and the closest distance."""
    rows = [r for r in map(interaction_record, s.interactions) if residue_matches(r, residue)
            and (kind == "any" or kind in (r["kind"], r["prolif_type"]))]
    best = min(rows, key=lambda r: float(r["distance"]))
    return f"{kind}:{residue} ({best['residue']} {best['prolif_type']} {float(best['distance']):.2f} Å)"


def _interactions(s: DockedSystem, p: Docking, systems: Sequence[DockedSystem]) -> tuple[list[str], list[str],
                                                                                         list[str]]:
    """The claim's ``interactions`` on the best pose's profile: (found, missing, cannot tell)."""
    found, missing, unknown = [], [], []
    for entry in p.interactions:
        kind, residue = parse_requirement(entry)
        answer = _system_has(systems, s.system, kind, residue, engine=s.engine, ligand=s.ligand)
        if answer:
            found.append(_found_text(s, kind, residue))
        elif is_generic(residue) and s.asp332 is None:
            unknown.append(f"{kind}:{residue} ({residue} not located in this receptor)")
        elif answer is None:
            unknown.append(f"{kind}:{residue} ({s.interactions_error or 'no interaction profile'})")
        else:
            missing.append(f"{kind}:{residue}" + (f" (= {s.asp332})" if is_generic(residue) else ""))
    return found, missing, unknown


def _plausible(s: DockedSystem, p: Docking, systems: Sequence[DockedSystem] = ()) -> tuple[bool | None, str]:
    """(True, False or None = cannot tell from the profile, evidence) for one system's best pose."""
    energy, dist = s.best_energy, s.amine_asp332_distance
    text = f"{energy:.2f} kcal/mol" if energy is not None else "no energy"
    text += f", amine–Asp3.32 {dist:.2f} Å" if dist is not None else ", amine–Asp3.32 n/a"
    if _is_stand_in(s):
        text += f" (stand-in {_stand_in(s)})"
    elif s.structure_role == "paper_entry":
        text += f" (paper's entry {s.paper_pdb})"
    ok: bool | None = energy is not None and energy <= p.max_energy and (s.salt_bridge or not p.salt_bridge)
    if p.contact and not _has_contact(s, p.contact):
        ok = False
        text += f", no contact with {p.contact}"
    if p.interactions:
        found, missing, unknown = _interactions(s, p, systems or (s,))
        text += f", interactions found: {', '.join(found) or 'none'}"
        if missing:
            text += f"; missing: {', '.join(missing)}"
            ok = False
        if unknown:
            text += f"; cannot tell: {', '.join(unknown)}"
            ok = None if ok else ok
    return ok, text


def _rule(p: Docking) -> str:
    parts = [f"best energy ≤ {p.max_energy:g} kcal/mol"]
    if p.contact:
        parts.append(f"contact with {p.contact}")
    if p.salt_bridge:
        parts.append("protonated amine in salt bridge with Asp3.32")
    if p.interactions:
        parts.append(f"ProLIF profile with {', '.join(p.interactions)}")
    return "plausible = " + " and ".join(parts)


def _docking(claim: Claim[Any], p: Docking, run: RunView) -> Verdict:
    dock = run.outcome(DockingFindings)
    if (bad := unusable(claim, dock, "docking")) is not None:
        systems = dock.findings.systems if dock is not None and dock.findings is not None else ()
        errors = [f"{s.system}: {s.error}" for s in systems if s.error and s.system in p.systems]
        return bad if not errors else verdict(claim, "; ".join(errors), bad.verdict, bad.reason,
                                              bad.data_completeness)
    assert dock is not None and dock.findings is not None
    per: dict[str, DockedSystem] = {}
    for s in sorted((s for s in dock.findings.systems if s.status == "ok" and s.system in p.systems
                     and s.ligand.lower() == p.ligand.lower()),
                    key=lambda s: _ENGINE_ORDER.get(s.engine, 9)):
        per.setdefault(s.system, s)
    parts, plausible, untold = [], [], []
    for name in p.systems:
        if name not in per:
            parts.append(f"{name}: not docked")
            continue
        ok, text = _plausible(per[name], p, dock.findings.systems)
        parts.append(f"{name}: {text} ({per[name].engine})"
                     + ("" if ok else " — cannot tell" if ok is None else " — implausible"))
        if ok:
            plausible.append(name)
        elif ok is None:
            untold.append(name)
    evidence = "; ".join(parts)
    undocked = [n for n in p.systems if n not in per]
    stand_ins = [_stand_in(s) for s in per.values() if _is_stand_in(s)]
    entries = [f"{s.system} {s.paper_pdb}" for s in per.values() if not _is_stand_in(s)]
    n = len(p.systems)
    note = f"complete: all {n} systems docked" if not undocked else \
        f"partial: {len(per)} of {n} systems docked ({', '.join(undocked)} not docked)"
    note += f"; {len(entries)} of {n} in the paper's own entries" + (f" ({', '.join(entries)})" if entries else "")
    if stand_ins:
        note += f"; stand-in structures: {', '.join(stand_ins)}"
    if untold:
        note += f"; interaction profile cannot tell for {', '.join(untold)}"
    rule = _rule(p)
    if not per:
        return verdict(claim, evidence, NOT_RUN, "no system docked: " + (dock.reason or "no finished run"), note)
    if untold and len(plausible) + len(untold) == len(per):
        # nothing contradicts the claim, but the profile of some system cannot answer it
        if not plausible:
            return verdict(claim, evidence, NOT_RUN, f"the interaction profile cannot tell for {', '.join(untold)} "
                           f"({rule})", note)
        return verdict(claim, evidence, "partially supported", f"plausible for {', '.join(plausible)}; the "
                       f"interaction profile cannot tell for {', '.join(untold)} ({rule})", note)
    if len(plausible) == n and stand_ins:
        # Plausible poses in other structures of the same receptors do not replicate the paper's docking.
        if not entries:
            return verdict(claim, evidence, "partially supported", f"plausible for {', '.join(plausible)}, but in "
                           f"stand-in structures, not the paper's entries ({rule})", note)
        return verdict(claim, evidence, "partially supported", f"plausible for {', '.join(plausible)}, but only "
                       f"{len(entries)} of {n} in the paper's own entries ({', '.join(entries)}); stand-in "
                       f"structures: {', '.join(stand_ins)} ({rule})", note)
    if len(plausible) == n:
        return verdict(claim, evidence, "supported", rule, note)
    if plausible:
        return verdict(claim, evidence, "partially supported",
                       f"plausible for {', '.join(plausible)} only ({rule})", note)
    if undocked:
        return verdict(claim, evidence, "not supported", f"implausible for every docked system ({rule})", note)
    return verdict(claim, evidence, "not supported", rule, note)


def _redocking(claim: Claim[Any], p: Redocking, run: RunView) -> Verdict:
    f = usable_findings(claim, run.outcome(DockingFindings), "docking")
    if isinstance(f, Verdict):
        return f
    runs = sorted((r for r in f.redocking if r.system == p.case),
                  key=lambda r: _ENGINE_ORDER.get(r.engine, 9))
    done = [r for r in runs if r.status == "ok" and r.rmsd is not None]
    if not done:
        why = f"redocking case {p.case} " + (f"did not finish ({runs[0].status})" if runs else "not run")
        return verdict(claim, "—", NOT_RUN, why, "no data")
    best = done[0]
    evidence = f"{p.case} ({best.engine}): best-energy pose {best.best_energy} kcal/mol, RMSD {best.rmsd:.2f} Å"
    note = "complete: symmetry-corrected heavy-atom RMSD to the crystal pose"
    if best.rmsd is not None and best.rmsd <= p.max_rmsd:
        return verdict(claim, evidence, "supported", f"RMSD ≤ {p.max_rmsd:g} Å", note)
    return verdict(claim, evidence, "not supported", f"RMSD > {p.max_rmsd:g} Å", note)


@dataclass(frozen=True)
class Binding(ClaimKind):
    """``binding``: ``ligand`` docked into ``system`` scores the paper's ``energy`` (kcal/mol) within ``tolerance``
    (default 1.0), or at most ``max_energy`` ("≤ −5 kcal/mol indicates good binding").

    Verdict from the best pose of that pair (the lowest best energy over the engines that ran, or ``engine``'s).
    Before docking, the system's structure was checked against its ``target`` gene (``netpharm.structures.identity``):
    a score in a structure that is not the target cannot replicate a claim about the target (at most "partially
    supported", the mismatch stated), and so can a stand-in for the paper's entry (as for ``docking``); a
    blind-docking box is named in the data completeness. An energy outside the
    tolerance is also an audit row: a score the engine does not reproduce. A Vina score and an AutoDock 4 free
    energy are different functions: ``engine`` pins the one the paper used.
    """

    kind: ClassVar[str] = "binding"
    stage: ClassVar[str] = "docking"
    ligand: str
    system: str
    energy: float | None = None
    tolerance: float = 1.0
    max_energy: float | None = None
    engine: str = ""

    def __post_init__(self) -> None:
        if (self.energy is None) == (self.max_energy is None):
            raise ValueError("give either 'energy' (the paper's kcal/mol, with 'tolerance') or 'max_energy'")
        if not self.tolerance > 0:
            raise ValueError(f"tolerance must be > 0 kcal/mol, got {self.tolerance}")
        if self.engine and self.engine not in _ENGINE_ORDER:
            raise ValueError(f"engine {self.engine!r}: choose from {sorted(_ENGINE_ORDER)}")

    def check(self, workflow: SectionSource) -> None:
        cfg = workflow.section(DockingConfig)
        systems = {s.name for s in cfg.systems}
        if self.system not in systems:
            raise ValueError(f"system {self.system!r} not in the workflow's [[docking.systems]] ({sorted(systems)})")
        ligands = {lig.name for lig in cfg.ligands} or {s.ligand_name for s in cfg.systems}
        if self.ligand not in ligands:
            raise ValueError(f"ligand {self.ligand!r} not among the workflow's docking ligands ({sorted(ligands)})")

    def evaluate(self, claim: Claim[Any], run: RunView) -> Verdict:
        return _binding(claim, self, run)

    def audit(self, claim: Claim[Any], run: RunView) -> list[AuditFinding]:
        best = _best_pose(self, run)
        if best is None or self.energy is None or best.best_energy is None:
            return []
        gap = best.best_energy - self.energy
        if abs(gap) <= self.tolerance:
            return []
        return [AuditFinding("docking_score", f"{self.ligand} in {self.system}",
                             f"the study reports {self.energy:g} kcal/mol; {best.engine} gives {best.best_energy:.2f} "
                             f"here ({gap:+.2f}, beyond the tolerance of {self.tolerance:g})", "warning")]


def _best_pose(p: Binding, run: RunView) -> DockedSystem | None:
    """The best finished pose of the claim's (ligand, system) pair, over the allowed engines."""
    outcome = run.outcome(DockingFindings)
    if outcome is None or outcome.findings is None:
        return None
    done = [s for s in outcome.findings.systems if s.status == "ok" and s.system == p.system
            and s.ligand.lower() == p.ligand.lower() and s.best_energy is not None
            and (not p.engine or s.engine == p.engine)]
    return min(done, key=lambda s: (float(s.best_energy or 0.0), _ENGINE_ORDER.get(s.engine, 9)), default=None)


def _receptor_check(run: RunView, system: str) -> ReceptorCheck | None:
    outcome = run.outcome(DockingFindings)
    checks = outcome.findings.receptor_checks if outcome is not None and outcome.findings is not None else ()
    return next((c for c in checks if c.system == system), None)


def _binding(claim: Claim[Any], p: Binding, run: RunView) -> Verdict:
    dock = run.outcome(DockingFindings)
    if (bad := unusable(claim, dock, "docking")) is not None:
        return bad
    best = _best_pose(p, run)
    if best is None or best.best_energy is None:
        return verdict(claim, f"{p.ligand} in {p.system}: not docked", NOT_RUN,
                       f"no finished docking of {p.ligand} into {p.system}" + (f" with {p.engine}" if p.engine else ""),
                       "no data")
    energy = best.best_energy
    check = _receptor_check(run, p.system)
    evidence = f"{p.ligand} in {p.system} ({best.receptor}, {best.engine}): best pose {energy:.2f} kcal/mol"
    if p.energy is not None:
        evidence += f"; stated {p.energy:g} (difference {energy - p.energy:+.2f})"
        ok, rule = abs(energy - p.energy) <= p.tolerance, f"|here − stated| ≤ {p.tolerance:g} kcal/mol"
    else:
        assert p.max_energy is not None
        ok, rule = energy <= p.max_energy, f"best energy ≤ {p.max_energy:g} kcal/mol"
    notes = []
    if check is not None:
        evidence += f"; receptor: {check.finding}"
        if check.blind:
            notes.append(f"blind docking: the box holds {check.box_fraction:.0%} of the receptor's heavy atoms")
        else:
            notes.append(f"pocket box ({check.box_fraction:.0%} of the receptor's heavy atoms inside)")
    note = "; ".join([f"{best.engine} score of one receptor", *notes])
    if check is not None and check.identity == "mismatch":
        label: VerdictLabel = "partially supported" if ok else "not supported"
        return verdict(claim, evidence, label, f"{rule}: {'met' if ok else 'not met'}, but the structure is not "
                       f"{check.target}", note)
    if ok and _is_stand_in(best):  # as for ``docking``: a stand-in structure does not replicate the paper's
        return verdict(claim, evidence, "partially supported", f"{rule}, but in the stand-in {_stand_in(best)}", note)
    if ok:
        return verdict(claim, evidence, "supported", rule, note)
    return verdict(claim, evidence, "not supported", f"{rule}: not met", note)

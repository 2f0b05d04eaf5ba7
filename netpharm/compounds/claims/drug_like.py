"""Claim kind ``drug_like``: the named compounds pass a drug-likeness rule.

"All twelve active compounds satisfy Lipinski's rule of five", "the 21 ingredients met OB ≥ 30 % and
DL ≥ 0.18": each compound is judged from the descriptors RDKit computed from its structure (``lipinski``,
``veber``) or from the values the server computed and the study's table carries (``ob_dl``: TCMSP's OB and
DL, never recomputed). The rules and their sources: :mod:`netpharm.compounds.druglike`. A claim may set the
paper's own thresholds (``thresholds = {ob_min = 40}``); the compounds are then re-judged from their stored
descriptors. A compound absent from the study's tables makes the claim "not supported (absent from the
compounds' data)", never a configuration error.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

from netpharm.compounds.claims.ct_degree import compounds_findings
from netpharm.compounds.ct_findings import RULES, CompoundProperties, DrugLikeness, RuleResult
from netpharm.compounds.druglike import DEFAULT_THRESHOLDS, judge
from netpharm.verdict import NOT_RUN, Claim, ClaimKind, RunView, Verdict, verdict

__all__ = ["DrugLike", "RULE_THRESHOLDS", "evaluate_drug_like"]

#: The thresholds each rule uses (the names of :data:`~netpharm.compounds.druglike.DEFAULT_THRESHOLDS`).
RULE_THRESHOLDS: dict[str, tuple[str, ...]] = {
    "lipinski": ("lipinski_mw", "lipinski_logp", "lipinski_hbd", "lipinski_hba", "lipinski_max_violations"),
    "veber": ("veber_rotatable", "veber_tpsa"),
    "ob_dl": ("ob_min", "dl_min"),
}

_RULE_NAMES = {"lipinski": "Lipinski's rule of five (≤ 1 violation by default; Lipinski et al. 2001)",
               "veber": "Veber's rule (rotatable bonds ≤ 10, TPSA ≤ 140 Å²; Veber et al. 2002)",
               "ob_dl": "TCMSP's OB ≥ 30 % and DL ≥ 0.18 (imported values)"}


@dataclass(frozen=True)
class DrugLike(ClaimKind):
    """``drug_like``: every compound of ``compounds`` passes ``rule`` (``"lipinski"``, ``"veber"``, ``"ob_dl"``),
    with the paper's ``thresholds`` where they differ from the defaults."""

    kind: ClassVar[str] = "drug_like"
    stage: ClassVar[str] = "compounds"
    compounds: tuple[str, ...]
    rule: str
    thresholds: dict[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.compounds or any(not c.strip() for c in self.compounds):
            raise ValueError("'compounds' must name at least one compound (no blank names)")
        if self.rule not in RULES:
            raise ValueError(f"rule {self.rule!r} is not one of {list(RULES)}")
        wrong = sorted(set(self.thresholds) - set(RULE_THRESHOLDS[self.rule]))
        if wrong:
            raise ValueError(f"threshold(s) {wrong} do not apply to rule {self.rule!r}; "
                             f"it uses {list(RULE_THRESHOLDS[self.rule])}")
        if self.rule == "lipinski" and self.thresholds.get("lipinski_max_violations", 1) not in (0, 1, 2, 3):
            raise ValueError("lipinski_max_violations must be 0, 1, 2 or 3 (of the four criteria)")

    def evaluate(self, claim: Claim[Any], run: RunView) -> Verdict:
        found = compounds_findings(claim, run)
        return found if isinstance(found, Verdict) else evaluate_drug_like(claim, self, found.drug_likeness)


def _rejudge(p: DrugLike, c: CompoundProperties, used: dict[str, float]) -> RuleResult:
    """The stage's result, or the rule again on the stored values with the claim's thresholds."""
    stored = c.rule(p.rule)
    if stored is not None and not p.thresholds:
        return stored
    props = {"mw": c.mw, "logp": c.logp, "hbd": c.hbd, "hba": c.hba, "tpsa": c.tpsa,
             "rotatable_bonds": c.rotatable_bonds}
    return judge(p.rule, props, c.imported, used)


def _describe(c: CompoundProperties, r: RuleResult) -> str:
    if r.passed is None:
        return f"{c.name}: cannot be evaluated ({r.why_not})"
    word = "passes" if r.passed else "fails"
    return f"{c.name} {word}" + (f" ({'; '.join(r.violations)})" if r.violations else "")


def evaluate_drug_like(claim: Claim[Any], p: DrugLike, result: DrugLikeness | None) -> Verdict:
    """The verdict of a ``drug_like`` claim on the drug-likeness results (``None``: not computed)."""
    if result is None or not result.compounds:
        return verdict(claim, "—", NOT_RUN, "no drug-likeness results in this run (no compounds)", "no data")
    used = {**DEFAULT_THRESHOLDS, **result.thresholds, **p.thresholds}
    found = {name: result.find(name) for name in p.compounds}
    absent = [name for name, c in found.items() if c is None]
    judged = [(c, _rejudge(p, c, used)) for c in found.values() if c is not None]
    passed = [c.name for c, r in judged if r.passed]
    failed = [c.name for c, r in judged if r.passed is False]
    unknown = [c.name for c, r in judged if r.passed is None]
    evidence = "; ".join(_describe(c, r) for c, r in judged) or "—"
    renamed = [f"{asked!r} = {c.name!r}" for asked, c in found.items() if c is not None and c.name != asked]
    if renamed:
        evidence += f"; matched (case and Greek letters ignored): {', '.join(renamed)}"
    if absent:
        evidence += f"; absent from the compounds' data: {', '.join(absent)}"
    rule = _RULE_NAMES[p.rule] + (f", with {', '.join(f'{k} = {v:g}' for k, v in sorted(p.thresholds.items()))}"
                                  if p.thresholds else "")
    source = "imported values" if p.rule == "ob_dl" else f"RDKit {result.rdkit_version or '(none computed)'}"
    done = f"{len(judged) - len(unknown)} of {len(p.compounds)} named compounds judged ({source})"
    if absent:
        return verdict(claim, evidence, "not supported",
                       f"{', '.join(absent)} absent from the compounds' data" + _tally(passed, failed, rule), done)
    if not passed and not failed:
        return verdict(claim, evidence, NOT_RUN, f"no named compound can be judged by {rule}", done)
    if failed and not passed:
        return verdict(claim, evidence, "not supported", f"{', '.join(failed)} fail {rule}", done)
    if failed or unknown:
        why = (f"{', '.join(failed)} fail" if failed else "") + ("; " if failed and unknown else "") + \
            (f"{', '.join(unknown)} cannot be judged" if unknown else "")
        return verdict(claim, evidence, "partially supported", f"{len(passed)} of {len(p.compounds)} pass {rule}; "
                       f"{why}", done)
    every = "it passes" if len(passed) == 1 else f"all {len(passed)} pass"
    return verdict(claim, evidence, "supported", f"{every} {rule}", done)


def _tally(passed: list[str], failed: list[str], rule: str) -> str:
    if not passed and not failed:
        return ""
    return f"; of the others, {len(passed)} pass and {len(failed)} fail {rule}"

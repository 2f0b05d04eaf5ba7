"""The NMDA stage's claim kind ``pore_ion``: its Mg²⁺ sites, observed vs placed.

An ion resolved in the entry marks a site; one placed on the axis by netpharm only shows that
it fits (no dynamics), so it gives at most "partially supported".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from netpharm.nmda.findings import NmdaFindings
from netpharm.verdict import NOT_RUN, Claim, ClaimKind, RunView, Verdict, usable_findings, verdict

__all__ = ["PoreIon", "SITE_CLASSES"]

#: Names a ``pore_ion`` claim may give its site, and the NMDA stage's classification they mean.
SITE_CLASSES: dict[str, str] = {"n-site": "pore_site_I", "site i": "pore_site_I", "pore_site_i": "pore_site_I",
                                "pore": "pore"}


@dataclass(frozen=True)
class PoreIon(ClaimKind):
    """``pore_ion``: an ``ion`` sits at ``site`` of the NMDA receptor pore (``N-site`` = pore site I, the
    asparagine ring; observed beats placed)."""

    kind: ClassVar[str] = "pore_ion"
    stage: ClassVar[str] = "nmda"
    site: str
    ion: str = "MG"

    def __post_init__(self) -> None:
        if self.ion.upper() != "MG":
            raise ValueError(f"ion {self.ion!r}: the nmda stage locates Mg²⁺ only ('MG')")
        if self.site.lower() not in SITE_CLASSES:
            raise ValueError(f"site {self.site!r} unknown; choose from {sorted(SITE_CLASSES)}")

    def evaluate(self, claim: Claim[Any], run: RunView) -> Verdict:
        return _pore_ion(claim, self, run)


def _pore_ion(claim: Claim[Any], p: PoreIon, run: RunView) -> Verdict:
    f = usable_findings(claim, run.outcome(NmdaFindings), "nmda")
    if isinstance(f, Verdict):
        return f
    wanted = SITE_CLASSES[p.site.lower()]
    at_site = [s for s in f.mg_sites if s.classification == wanted]
    evidence = "; ".join(
        f"{s.site} ({s.kind}): {s.classification}, z {s.z_along_axis} Å, radial {s.radial_offset} Å, "
        f"{len(s.coordinating)} coordinating atoms" for s in f.mg_sites) or "no Mg²⁺ site"
    evidence = f"structure {f.structure}: {evidence}"
    where = "the asparagine ring" if wanted == "pore_site_I" else f"the {p.site}"
    if any(s.kind == "observed" for s in at_site):
        return verdict(claim, evidence, "supported", f"an experimentally observed Mg²⁺ at {where} "
                       "(a resolved ion marks a stable site)", "static structure; no dynamics run")
    if at_site:
        return verdict(claim, evidence, "partially supported", f"a placed Mg²⁺ fits at {where}; stability "
                       "over time is not assessed (no dynamics)", "geometry only; no observed ion")
    if not f.mg_sites:
        return verdict(claim, evidence, NOT_RUN, "no Mg²⁺ in the structure and none placed", "no ion")
    return verdict(claim, evidence, "not supported", f"no Mg²⁺ at {where} ({'pore site I' if wanted == 'pore_site_I' else wanted})", "static structure")

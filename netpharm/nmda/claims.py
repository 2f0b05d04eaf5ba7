"""The NMDA stage's claim kind ``pore_ion``: its Mg²⁺ sites, observed vs placed.

An ion resolved in the entry marks a site; one placed by netpharm only shows that it fits (no
dynamics), so it gives at most "partially supported" — as does anything seen in a stand-in for the
paper's entry (7EU8 for 9IYP offline), which the verdict names. An empty site where no ion fits is
"not supported", with the narrowest radius.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from netpharm.nmda.findings import MgSiteFinding, NmdaFindings
from netpharm.verdict import NOT_RUN, Claim, ClaimKind, RunView, Verdict, VerdictLabel, usable_findings, verdict

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
    evidence = f"structure {f.structure}" + (f" (stand-in for {f.paper_pdb}: {f.stand_in})" if _stand_in(f) else "")
    evidence += ": " + ("; ".join(_site_evidence(s) for s in f.mg_sites) or "no Mg²⁺ site")
    evidence += (f"; N-site ring radius {f.ring_radius:.2f} Å; narrowest pore radius {f.profile_minimum.radius:.2f} Å "
                 f"at z {f.profile_minimum.z_along_axis:+.1f} Å")
    ring_gaps = [m.residue for m in f.missing_side_chains if m.in_ring_window]
    if ring_gaps:
        evidence += f"; ring incomplete (side chain not modelled: {', '.join(ring_gaps)})"
    where = "the asparagine ring" if wanted == "pore_site_I" else f"the {p.site}"
    of = f"{where} of {f.structure}" + (f", a stand-in for {f.paper_pdb}" if _stand_in(f) else "")
    if any(s.kind == "observed" for s in at_site):
        label: VerdictLabel = "partially supported" if _stand_in(f) else "supported"
        return verdict(claim, evidence, label, f"an experimentally observed Mg²⁺ at {of} "
                       "(a resolved ion marks a stable site)", "static structure; no dynamics run")
    if at_site:
        site = "the N-site" if wanted == "pore_site_I" else f"the {p.site}"
        named = f"{site} of {f.structure}" + (f", a stand-in for {f.paper_pdb}" if _stand_in(f) else "")
        return verdict(claim, evidence, "partially supported", f"Mg²⁺ placed (not observed) at {named}; it fits "
                       f"({at_site[0].coordination}), stability over time is not assessed (no dynamics)",
                       "geometry only; no observed ion" + ("; stand-in structure" if _stand_in(f) else ""))
    if f.placement.status == "does_not_fit" and wanted == "pore_site_I":
        return verdict(claim, evidence, "not supported", f"no Mg²⁺ observed at {of}, and one does not fit there "
                       f"(narrowest radius at the ring {f.placement.narrowest_radius:.2f} Å)", "geometry only")
    if not f.mg_sites:
        return verdict(claim, evidence, NOT_RUN, "no Mg²⁺ in the structure and none placed", "no ion")
    return verdict(claim, evidence, "not supported",
                   f"no Mg²⁺ at {where} ({'pore site I' if wanted == 'pore_site_I' else wanted})", "static structure")


def _stand_in(f: NmdaFindings) -> bool:
    return f.structure_role == "stand_in"


def _site_evidence(s: MgSiteFinding) -> str:
    text = (f"{s.site} ({s.kind}, {s.coordination}): {s.classification}, z {s.z_along_axis:+.2f} Å, "
            f"radial {s.radial_offset:.2f} Å")
    if s.ligands:
        text += "; ligands " + ", ".join(f"{c.atom} {c.distance:.2f} Å" for c in s.ligands)
    if s.nearest_other is not None:
        text += f"; nearest other heavy atom {s.nearest_other.atom} {s.nearest_other.distance:.2f} Å"
    return text

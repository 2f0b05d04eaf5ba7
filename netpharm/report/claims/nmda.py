"""Evaluator of the ``pore_ion`` claim: the NMDA stage's Mg²⁺ sites, observed vs placed.

An ion resolved in the entry marks a site; one placed on the axis by netpharm only shows that
it fits (no dynamics), so it gives at most "partially supported".
"""

from __future__ import annotations

from netpharm.report.claims.base import NOT_RUN, Context, Verdict, unusable, verdict
from netpharm.report.claims.spec import SITE_CLASSES, Claim, PoreIon

__all__ = ["pore_ion"]


def pore_ion(claim: Claim, ctx: Context) -> Verdict:
    """``pore_ion``: a Mg²⁺ at ``site`` (``N-site`` = pore site I, the asparagine ring)."""
    p: PoreIon = claim.params
    nmda = ctx.summaries.nmda
    if (bad := unusable(claim, nmda, "nmda")) is not None or nmda is None or nmda.findings is None:
        return bad  # type: ignore[return-value]
    f = nmda.findings
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

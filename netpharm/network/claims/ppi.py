"""Claim kind ``ppi_enrichment``: STRING's own PPI-enrichment p-value (Szklarczyk et al. 2023), never recomputed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from netpharm.network.findings import NetworkFindings
from netpharm.verdict import NOT_RUN, Claim, ClaimKind, RunView, Verdict, usable_findings, verdict

__all__ = ["PpiEnrichmentClaim"]


@dataclass(frozen=True)
class PpiEnrichmentClaim(ClaimKind):
    """``ppi_enrichment``: STRING's PPI-enrichment p-value is below ``alpha`` (STRING's own value, never
    recomputed offline)."""

    kind: ClassVar[str] = "ppi_enrichment"
    stage: ClassVar[str] = "network"
    alpha: float = 0.05

    def __post_init__(self) -> None:
        if not 0.0 < self.alpha < 1.0:
            raise ValueError("alpha must be within (0, 1)")

    def evaluate(self, claim: Claim[Any], run: RunView) -> Verdict:
        return _ppi_enrichment(claim, self, run)


def _ppi_enrichment(claim: Claim[Any], p: PpiEnrichmentClaim, run: RunView) -> Verdict:
    f = usable_findings(claim, run.outcome(NetworkFindings), "network")
    if isinstance(f, Verdict):
        return f
    ppi = f.ppi_enrichment
    if ppi is None:
        reason = ("STRING's PPI-enrichment p-value is not in the cache (STRING must be reached online to "
                  "record it); netpharm does not recompute it offline")
        return verdict(claim, "—", NOT_RUN, reason, "no data")
    evidence = (f"STRING PPI enrichment: {ppi.number_of_edges} edges observed vs "
                f"{ppi.expected_number_of_edges:g} expected among {ppi.number_of_nodes} proteins; p = {ppi.p_value:.3g}")
    note = "complete: STRING's own computation on the query proteins"
    if ppi.p_value < p.alpha:
        return verdict(claim, evidence, "supported", f"p < {p.alpha:g}", note)
    return verdict(claim, evidence, "not supported", f"p ≥ {p.alpha:g}", note)

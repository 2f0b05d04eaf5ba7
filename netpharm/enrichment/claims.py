"""The enrichment stage's claim kind ``enriched``: each named term's FDR in STRING's enrichment and/or the offline ORA.

FDRs are the sources' own: STRING's Benjamini–Hochberg value as STRING returned it
(``enrichment/string_enrichment_raw.tsv``, or ``string_enrichment_imported.tsv`` for imported STRING
files; Szklarczyk et al. 2023) and the offline hypergeometric test's FDR per category, by the
workflow's named correction (``enrichment/offline_<category>.tsv``, column ``correction``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar, Literal

from netpharm.enrichment.files import OFFLINE_TABLE, STRING_IMPORTED, STRING_RAW
from netpharm.enrichment.findings import STRING_CATEGORY, EnrichmentFindings, offline_term_id
from netpharm.verdict import NOT_RUN, Claim, ClaimKind, RunView, Verdict, usable_findings, verdict

__all__ = ["Enriched", "CATEGORIES"]

#: Categories an ``enriched`` claim may name.
CATEGORIES: tuple[str, ...] = ("BP", "MF", "CC", "KEGG", "Reactome")


@dataclass(frozen=True)
class Enriched(ClaimKind):
    """``enriched``: every term of ``terms`` has FDR < ``fdr`` in ``category`` of ``source``.

    A term is a GO/Reactome/KEGG id or an exact term name; a list of terms stands for one
    theme with alternatives (the best FDR counts), e.g. the three Reactome "CREB1
    phosphorylation" pathways. ``source``: "string" (STRING's own enrichment, cached),
    "offline" (netpharm's ORA) or "any".
    """

    kind: ClassVar[str] = "enriched"
    stage: ClassVar[str] = "enrichment"
    category: str | tuple[str, ...]
    terms: tuple[str | tuple[str, ...], ...]
    fdr: float = 0.05
    source: Literal["string", "offline", "any"] = "any"

    def __post_init__(self) -> None:
        cats = (self.category,) if isinstance(self.category, str) else self.category
        bad = [c for c in cats if c not in CATEGORIES]
        if bad or not cats:
            raise ValueError(f"category {bad or cats!r} not in {list(CATEGORIES)}")
        if not self.terms or not 0.0 < self.fdr <= 1.0:
            raise ValueError("needs at least one term and 0 < fdr <= 1")

    def evaluate(self, claim: Claim[Any], run: RunView) -> Verdict:
        return _enriched(claim, self, run)


@dataclass(frozen=True)
class _Hit:
    term: str
    name: str
    fdr: float


def _offline_terms(run: RunView, categories: tuple[str, ...]) -> dict[str, _Hit] | None:
    """id and exact name → hit over the offline tables of ``categories``; None if none was written."""
    out: dict[str, _Hit] = {}
    found = False
    for cat in categories:
        table = run.table(EnrichmentFindings, OFFLINE_TABLE[cat]) if cat in OFFLINE_TABLE else None
        if table is None:
            continue
        found = True
        for term, name, fdr in zip(table["term"].astype(str), table["name"].astype(str), table["fdr"].astype(float)):
            hit = _Hit(term, name, fdr)
            out[term] = hit
            out.setdefault(name, hit)
    return out if found else None


def _string_terms(run: RunView, categories: tuple[str, ...]) -> dict[str, _Hit] | None:
    raw = run.table(EnrichmentFindings, STRING_RAW)  # STRING's answer verbatim
    if raw is None:  # or STRING enrichment files the user imported (netpharm import --kind enrichment)
        raw = run.table(EnrichmentFindings, STRING_IMPORTED)
    if raw is None or not {"category", "term", "description", "fdr"} <= set(raw.columns):
        return None
    wanted = {STRING_CATEGORY[c] for c in categories}
    out: dict[str, _Hit] = {}
    for cat, term, name, fdr in zip(raw["category"], raw["term"], raw["description"], raw["fdr"]):
        if cat in wanted:
            hit = _Hit(offline_term_id(str(cat), str(term)), str(name), float(fdr))
            out[hit.term] = hit
            out.setdefault(hit.name, hit)
    return out


def _best(spec: str | tuple[str, ...], table: dict[str, _Hit] | None) -> _Hit | None:
    options = (spec,) if isinstance(spec, str) else spec
    hits = [table[o] for o in options if table is not None and o in table]
    return min(hits, key=lambda h: (h.fdr, h.term)) if hits else None


def _fmt(hit: _Hit | None, available: bool) -> str:
    return f"{hit.fdr:.3g}" if hit is not None else ("not reported" if available else "n/a")


def _note(f: EnrichmentFindings, used: list[str], string_wanted: bool) -> str:
    note = "from " + (" and ".join(used) or "the enrichment stage")
    if string_wanted and not f.string_enrichment_cached:
        note += "; STRING's own enrichment not in the cache"
    if f.unknown_symbols:
        note += f"; symbols without annotation: {', '.join(f.unknown_symbols)}"
    return note


def _enriched(claim: Claim[Any], p: Enriched, run: RunView) -> Verdict:
    f = usable_findings(claim, run.outcome(EnrichmentFindings), "enrichment")
    if isinstance(f, Verdict):
        return f
    categories = (p.category,) if isinstance(p.category, str) else p.category
    offline = _offline_terms(run, categories) if p.source in ("offline", "any") and f.offline_ora else None
    string = _string_terms(run, categories) if p.source in ("string", "any") and \
        f.string_enrichment_cached else None
    used = (["offline ORA"] if offline is not None else []) + (["STRING enrichment (cached)"] if string is not None
                                                               else [])
    note = _note(f, used, p.source != "offline")
    if not used:
        why = {"string": "STRING's enrichment is not in the cache (STRING must be reached online to record it)",
               "offline": f"the offline ORA did not run on {', '.join(categories)} (no offline table; KEGG has none)",
               "any": "neither STRING's enrichment nor the offline ORA is available"}[p.source]
        return verdict(claim, "—", NOT_RUN, why, note)
    parts: list[str] = []
    hit: list[str] = []
    miss: list[str] = []
    for spec in p.terms:
        label = spec if isinstance(spec, str) else " | ".join(spec)
        off, st = _best(spec, offline), _best(spec, string)
        best = off or st
        name = f"{best.term} {best.name}" if best is not None else "—"
        parts.append(f"{label}: {name} (FDR offline {_fmt(off, offline is not None)}, "
                     f"STRING {_fmt(st, string is not None)})")
        ok = any(h is not None and h.fdr < p.fdr for h in (off, st))
        (hit if ok else miss).append(label)
    evidence = "; ".join(parts)
    n = len(p.terms)
    if not miss:
        every = "both" if n == 2 else ("the" if n == 1 else f"all {n}")
        return verdict(claim, evidence, "supported", f"{every} term{'s' if n > 1 else ''} at FDR < {p.fdr:g}", note)
    if hit:
        return verdict(claim, evidence, "partially supported",
                       f"{len(hit)} of {n} terms at FDR < {p.fdr:g}; not: {', '.join(miss)}", note)
    return verdict(claim, evidence, "not supported", f"none of the terms at FDR < {p.fdr:g}", note)

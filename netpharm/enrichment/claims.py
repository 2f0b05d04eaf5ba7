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
from netpharm.ties import competition_ranks
from netpharm.verdict import NOT_RUN, Claim, ClaimKind, RunView, Verdict, usable_findings, verdict

__all__ = ["Enriched", "TopTerms", "CATEGORIES"]

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


@dataclass(frozen=True)
class TopTerms(ClaimKind):
    """``top_terms``: every term of ``terms`` is among the top ``n`` of ``category`` ranked by FDR.

    Ranks are competition ranks (1, 2, 2, 4, ...: terms with equal FDR share a rank), from the offline ORA's
    table of the category, else STRING's enrichment (``source`` picks). The tie rule of the network claims
    (``netpharm.ties``, issue 22) applies: when the terms sharing the FDR at rank ``n`` outnumber ``n``,
    the ranking cannot tell the claimed terms from the others tied with them, and a claim passing only through
    that tie is at most "partially supported". A term absent from the table (not tested or not annotated) is
    "not among the top n".
    """

    kind: ClassVar[str] = "top_terms"
    stage: ClassVar[str] = "enrichment"
    category: str
    terms: tuple[str, ...]
    n: int
    source: Literal["string", "offline", "any"] = "any"

    def __post_init__(self) -> None:
        if self.category not in CATEGORIES:
            raise ValueError(f"category {self.category!r} not in {list(CATEGORIES)}")
        if not self.terms or self.n < 1:
            raise ValueError("needs at least one term and n >= 1")
        if len(self.terms) > self.n:
            raise ValueError(f"'terms' lists {len(self.terms)} terms for a top {self.n}; list at most n")

    def evaluate(self, claim: Claim[Any], run: RunView) -> Verdict:
        return _top_terms(claim, self, run)


def _ranked(table: dict[str, _Hit] | None) -> list[_Hit]:
    """The distinct terms of a lookup table (keyed by id and name), best FDR first."""
    if table is None:
        return []
    unique = {h.term: h for h in table.values()}
    return sorted(unique.values(), key=lambda h: (h.fdr, h.term))


def _top_terms(claim: Claim[Any], p: TopTerms, run: RunView) -> Verdict:
    f = usable_findings(claim, run.outcome(EnrichmentFindings), "enrichment")
    if isinstance(f, Verdict):
        return f
    cats = (p.category,)
    table, used = None, ""
    if p.source in ("offline", "any") and f.offline_ora:
        table, used = _offline_terms(run, cats), "offline ORA"
    if table is None and p.source in ("string", "any") and f.string_enrichment_cached:
        table, used = _string_terms(run, cats), "STRING enrichment (cached)"
    ranked = _ranked(table)
    note = _note(f, [used] if ranked else [], p.source != "offline")
    if table is None or not ranked:
        return verdict(claim, "—", NOT_RUN, f"no {p.category} enrichment table here "
                       f"({'KEGG comes only from STRING, not cached' if p.category == 'KEGG' else 'not computed'})",
                       note)
    rank = competition_ranks({h.term: -h.fdr for h in ranked})  # lowest FDR first
    cut = max((r for r in rank.values() if r <= p.n), default=0)
    tie = [t for t, r in rank.items() if r == cut]
    parts: list[str] = []
    inside: list[str] = []
    outside: list[str] = []
    in_tie: list[str] = []
    for spec in p.terms:
        hit = _best(spec, table)
        if hit is None:
            parts.append(f"{spec}: not in the {used} table")
            outside.append(spec)
            continue
        parts.append(f"{spec}: {hit.term} {hit.name}, FDR {hit.fdr:.3g}, rank {rank[hit.term]} of {len(ranked)}")
        (inside if rank[hit.term] <= p.n else outside).append(spec)
        if rank[hit.term] == cut and len(tie) > p.n:
            in_tie.append(spec)
    top = ", ".join(f"{h.name} ({rank[h.term]})" for h in ranked if rank[h.term] <= p.n)
    evidence = f"{'; '.join(parts)}; top {p.n} here by FDR (ties share a rank): {top}"
    criterion = f"top {p.n} of {p.category} by FDR, {used}"
    if not outside:
        if in_tie:
            evidence += f"; {len(tie)} terms tie at FDR {table[tie[0]].fdr:.3g} for the top {p.n}"
            return verdict(claim, evidence, "partially supported",
                           f"{', '.join(in_tie)} only within a tie of {len(tie)} terms larger than the top {p.n}: "
                           "the ranking cannot discriminate", note)
        every = "the term is" if len(p.terms) == 1 else f"all {len(p.terms)} terms are"
        return verdict(claim, evidence, "supported", f"{every} among the {criterion}", note)
    if inside:
        return verdict(claim, evidence, "partially supported",
                       f"{len(inside)} of {len(p.terms)} among the {criterion}; not: {', '.join(outside)}", note)
    return verdict(claim, evidence, "not supported", f"none among the {criterion}", note)

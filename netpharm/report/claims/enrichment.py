"""Evaluator of the ``enriched`` claim: each named term's FDR in STRING's enrichment and/or the offline ORA.

FDRs are the sources' own: STRING's Benjamini–Hochberg value as STRING returned it
(``enrichment/string_enrichment_raw.tsv``, or ``string_enrichment_imported.tsv`` for imported STRING
files; Szklarczyk et al. 2023) and the offline hypergeometric test's FDR per category, by the
workflow's named correction (``enrichment/offline_<category>.tsv``, column ``correction``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from netpharm.enrichment.files import OFFLINE_TABLE
from netpharm.enrichment.findings import STRING_CATEGORY, EnrichmentFindings, offline_term_id
from netpharm.report.claims.base import NOT_RUN, Context, Verdict, unusable, verdict
from netpharm.report.claims.spec import Claim, Enriched
from netpharm.report.rundir import read_tsv

__all__ = ["enriched"]

@dataclass(frozen=True)
class _Hit:
    term: str
    name: str
    fdr: float


def _offline_terms(run_dir: Path, categories: tuple[str, ...]) -> dict[str, _Hit] | None:
    """id and exact name → hit over the offline tables of ``categories``; None if none was written."""
    out: dict[str, _Hit] = {}
    found = False
    for cat in categories:
        table = read_tsv(run_dir / "enrichment" / OFFLINE_TABLE[cat]) if cat in OFFLINE_TABLE else None
        if table is None:
            continue
        found = True
        for term, name, fdr in zip(table["term"].astype(str), table["name"].astype(str), table["fdr"].astype(float)):
            hit = _Hit(term, name, fdr)
            out[term] = hit
            out.setdefault(name, hit)
    return out if found else None


def _string_terms(run_dir: Path, categories: tuple[str, ...]) -> dict[str, _Hit] | None:
    raw = read_tsv(run_dir / "enrichment" / "string_enrichment_raw.tsv")  # STRING's answer verbatim
    if raw is None:  # or STRING enrichment files the user imported (netpharm import --kind enrichment)
        raw = read_tsv(run_dir / "enrichment" / "string_enrichment_imported.tsv")
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


def enriched(claim: Claim, ctx: Context) -> Verdict:
    """``enriched``: every term (or one of its alternatives) at FDR < ``fdr`` in the chosen source."""
    p: Enriched = claim.params
    enr = ctx.summaries.enrichment
    if (bad := unusable(claim, enr, "enrichment")) is not None or enr is None or enr.findings is None:
        return bad  # type: ignore[return-value]
    f = enr.findings
    categories = (p.category,) if isinstance(p.category, str) else p.category
    offline = _offline_terms(ctx.run_dir, categories) if p.source in ("offline", "any") and f.offline_ora else None
    string = _string_terms(ctx.run_dir, categories) if p.source in ("string", "any") and \
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

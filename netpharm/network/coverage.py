"""Evidence from several STRING imports, pair by pair: edge, known non-edge, unknown, conflict.

Within one STRING version a pair's scores do not depend on the query, so an edge between two
targets in anyone's export is the score STRING gives that pair in our network. The rules
(``shared/data/string/README.md``), for every pair of targets at required score R:

- **edge** — some import lists the pair at a score ≥ R;
- **known non-edge** — no import lists it at ≥ R, and either an import lists it below R, or an
  import with a *complete listing* (one query's network: every edge among its proteins at or
  above its cut-off is shown) holds both proteins without the pair, at a cut-off ≤ R. A complete
  listing with a declared query (``netpharm import --query``) also holds its queried proteins that
  it does not show: each is isolated at its cut-off, so its pairs with the other queried proteins
  are known non-edges too;
- **unknown** — otherwise (no import holds both; or only files that stack several queries; or
  only exports cut above R);
- **conflict** (a column, on top of the status) — two imports list the pair with different
  scores, or one lists it at a score ≥ another complete import's cut-off while that import holds
  both proteins without the pair. Conflicts are reported, never averaged or resolved silently;
  the graph keeps the score of the first import (workflow order) and the conflict says so.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pandas as pd

from netpharm.network.files import (
    ABSENT_WITH_PARTNER,
    COVERAGE_COLUMNS,
    EDGE,
    ISOLATED,
    NON_EDGE,
    NOT_QUERIED,
    QUERY_AUDIT_COLUMNS,
    UNKNOWN,
)
from netpharm.network.imports import ImportedSource
from netpharm.network.tables import CHANNELS, EDGE_COLUMNS, PairCoverage, compact_summary

__all__ = ["MergedEvidence", "merge_sources", "query_audit"]

_EPS = 1e-9


@dataclass(frozen=True)
class MergedEvidence:
    """The combined edge table, pair coverage and multiplicities of several imports.

    Attributes
    ----------
    edges : DataFrame
        One row per target pair listed by any import (any score): ``EDGE_COLUMNS`` taken from
        the first import (workflow order) whose channel columns are real, else the first
        listing it; ``source`` names that import, ``sources`` every import listing the pair.
    coverage : PairCoverage
    multiplicity : dict
        Times the chosen import lists each pair (for Cytoscape's duplicated-edge Degree).
    """

    edges: pd.DataFrame
    coverage: PairCoverage
    multiplicity: dict[tuple[str, str], int]


def _listings(sources: Sequence[ImportedSource], targets: set[str]) -> dict[tuple[str, str], list[tuple[int, dict]]]:
    found: dict[tuple[str, str], list[tuple[int, dict]]] = {}
    for i, source in enumerate(sources):
        edges = source.parsed.edges
        keep = edges[edges["name_a"].isin(targets) & edges["name_b"].isin(targets)]
        for row in keep.to_dict("records"):
            found.setdefault((row["name_a"], row["name_b"]), []).append((i, row))
    return found


def _has_channels(source: ImportedSource) -> bool:
    return any(c in source.parsed.real_columns for c in CHANNELS)


def _fmt(score: float) -> str:
    return f"{score:.3f}"


def _conflicts(pair: tuple[str, str], listed: list[tuple[int, dict]], sources: Sequence[ImportedSource],
               chosen: tuple[int, dict], node_sets: Sequence[set[str]]) -> list[str]:
    notes = []
    scores = {sources[i].label: float(r["score"]) for i, r in listed}
    if max(scores.values()) - min(scores.values()) > _EPS:
        shown = " vs ".join(f"{_fmt(s)} (import:{label})" for label, s in scores.items())
        notes.append(f"scores differ: {shown}; the graph uses {_fmt(float(chosen[1]['score']))} "
                     f"from import:{sources[chosen[0]].label} (first listed), nothing averaged")
    listing = {i for i, _ in listed}
    top = max(scores.values())
    for j, holder in enumerate(sources):
        if (j in listing or not holder.complete or top < holder.cutoff - _EPS
                or not {pair[0], pair[1]} <= node_sets[j]):
            continue
        shower = next(sources[i].label for i, r in listed if float(r["score"]) == top)
        notes.append(f"import:{shower} lists {pair[0]}–{pair[1]} at {_fmt(top)} but {holder.describe()} "
                     "holds both proteins without it")
    return notes


def _held(pair: tuple[str, str], source: ImportedSource) -> str:
    """How ``source`` holds both proteins of ``pair``: listed, or queried and isolated at its cut-off."""
    shown = set(source.parsed.nodes)
    isolated = [p for p in pair if p not in shown]
    if not isolated:
        return source.describe()
    return f"{source.describe()} ({' and '.join(isolated)} queried but absent: isolated at ≥ {_fmt(source.cutoff)})"


def _absence(pair: tuple[str, str], sources: Sequence[ImportedSource], required: float,
             node_sets: Sequence[set[str]]) -> tuple[str, str]:
    """Status and evidence of a pair no import lists."""
    holders = [s for s, nodes in zip(sources, node_sets) if pair[0] in nodes and pair[1] in nodes]
    proving = [s for s in holders if s.complete and s.cutoff <= required + _EPS]
    if proving:
        return NON_EDGE, "both proteins in " + "; ".join(_held(pair, s) for s in proving) + "; no interaction"
    if not holders:
        return UNKNOWN, "no source covers both proteins"
    why = []
    for s in holders:
        if not s.complete:
            why.append(f"{s.describe()} stacks several queries: a missing pair proves nothing")
        else:
            why.append(f"{s.describe()} is cut above the required {_fmt(required)}")
    return UNKNOWN, "both proteins in " + "; ".join(why)


def merge_sources(targets: Sequence[str], sources: Sequence[ImportedSource], required_score: int,
                  listing: str = "full") -> MergedEvidence:
    """Combine the evidence of ``sources`` on every pair of ``targets`` (see the module rules).

    Parameters
    ----------
    targets : sequence of str
        Target names as the imports spell them.
    sources : sequence of ImportedSource
        In workflow order (the order decides only which listing's columns fill the edge row).
    required_score : int
        0–1000.
    listing : {"full", "compact"}
        ``full``: one coverage row per target pair (n² / 2 rows). ``compact``: rows only for the
        pairs some import lists (edges, listed below the required score, conflicts), in the
        same order and with the same text as the full table; the unlisted pairs (known
        non-edges from complete listings, unknowns) are counted per target
        (:func:`netpharm.network.tables.compact_summary`). Time and size grow with the
        imports' pairs and the number of targets, not with their square.
    """
    required = required_score / 1000.0
    found = _listings(sources, set(targets))
    node_sets = [s.holds() for s in sources]  # once, not per pair; a declared query's isolated proteins included
    rows, coverage_rows, multiplicity = [], [], {}
    if listing == "compact":
        index = {t: i for i, t in enumerate(targets)}
        pairs: Iterable[tuple[str, str]] = sorted(found, key=lambda p: sorted((index[p[0]], index[p[1]])))
    else:
        pairs = itertools.combinations(targets, 2)
    for x, y in pairs:
        pair = (min(x, y), max(x, y))
        listed = found.get(pair, [])
        if not listed:
            status, evidence = _absence(pair, sources, required, node_sets)
            coverage_rows.append((*pair, status, math.nan, evidence, ""))
            continue
        chosen = next(((i, r) for i, r in listed if _has_channels(sources[i])), listed[0])
        labels = [sources[i].label for i, _ in listed]
        rows.append({**{c: chosen[1][c] for c in EDGE_COLUMNS}, "source": f"import:{sources[chosen[0]].label}",
                     "sources": ", ".join(f"import:{label}" for label in labels)})
        multiplicity[pair] = sources[chosen[0]].parsed.multiplicity.get(pair, 1)
        conflict = "; ".join(_conflicts(pair, listed, sources, chosen, node_sets))
        top = max(float(r["score"]) for _, r in listed)
        score = float(chosen[1]["score"])
        listed_in = ", ".join(f"import:{label} ({_fmt(float(r['score']))})"
                              for label, (_, r) in zip(labels, listed))
        if top >= required - _EPS:
            coverage_rows.append((*pair, EDGE, score, f"interaction listed in {listed_in}", conflict))
        else:
            coverage_rows.append((*pair, NON_EDGE, score, f"listed below {_fmt(required)} in {listed_in}",
                                  conflict))
    edges = pd.DataFrame(rows, columns=[*EDGE_COLUMNS, "source", "sources"])
    table = pd.DataFrame(coverage_rows, columns=list(COVERAGE_COLUMNS))
    seen = set().union(*node_sets) if sources else set()
    covered = [t for t in targets if t in seen]
    uncovered = [t for t in targets if t not in covered]
    if listing != "compact":
        return MergedEvidence(edges, PairCoverage(table, covered, uncovered), multiplicity)
    wanted = set(targets)
    holders: dict[str, list[str]] = {}
    for source, nodes in zip(sources, node_sets):
        for name in wanted.intersection(nodes):
            holders.setdefault(name, []).append(f"import:{source.label}")
    proving = [(nodes, s.label) for s, nodes in zip(sources, node_sets) if s.complete and s.cutoff <= required + _EPS]
    totals, per_target = compact_summary(targets, table, proving, holders)
    return MergedEvidence(edges, PairCoverage(table, covered, uncovered, "compact", totals, per_target),
                          multiplicity)


def _partners(source: ImportedSource, others: Sequence[ImportedSource]) -> list[tuple[str, str, float, str]]:
    """(isolated protein, export protein, score, other import) where another import lists the pair at a
    score ≥ ``source``'s cut-off: ``source`` should have listed it had the protein been queried."""
    isolated, shown = set(source.isolated()), set(source.parsed.nodes)
    found = []
    for other in others:
        edges = other.parsed.edges
        keep = edges[edges["score"].to_numpy() >= source.cutoff - _EPS]
        for a, b, score in zip(keep["name_a"], keep["name_b"], keep["score"]):
            for q, p in ((a, b), (b, a)):
                if q in isolated and p in shown:
                    found.append((q, p, float(score), other.label))
    return sorted(set(found))


def _versions(source: ImportedSource, other: ImportedSource) -> str:
    """What the two exports declare of their STRING versions and, when they may differ, how the scores of
    the pairs both list compare: a STRING score does not depend on the query within one version, so across
    versions only that comparison says whether the other export's score can stand in for this one's."""
    if source.version and source.version == other.version:
        return f"both STRING {source.version}"
    said = f"STRING version {source.version or 'not recorded'} here, {other.version or 'not recorded'} there"
    theirs = _pair_scores(other)
    shared = [(score, theirs[pair]) for pair, score in _pair_scores(source).items() if pair in theirs]
    if not shared:
        return f"{said}; no pair listed by both to compare their scores"
    equal = sum(abs(a - b) <= _EPS for a, b in shared)
    higher = sum(a > b + _EPS for a, b in shared)
    return (f"{said}; of the {len(shared)} pairs both list, {equal} score the same here, {higher} higher, "
            f"{len(shared) - equal - higher} lower")


def _pair_scores(source: ImportedSource) -> dict[frozenset[str], float]:
    edges = source.parsed.edges
    return {frozenset((a, b)): float(score) for a, b, score in zip(edges["name_a"], edges["name_b"], edges["score"])}


def query_audit(sources: Sequence[ImportedSource], references: Sequence[ImportedSource] = ()) -> pd.DataFrame:
    """Every import's declared query against its export (``network/query_audit.tsv``).

    For a complete listing with a declared query: each exported protein outside the query
    (``not_queried``), each queried protein absent although another import — or a reference
    export (``network.reference_imports``) — lists it with an exported protein at or above the
    export's cut-off (``absent_with_partner``; checked only against those rows, the data at hand),
    and each other absent queried protein (``isolated`` at the cut-off, where list and export
    agree). Empty without a declared query.
    """
    rows = []
    for source in sources:
        if not (source.complete and source.query):
            continue
        where = f"import:{source.label}"
        for name in source.not_queried():
            rows.append((source.label, name, NOT_QUERIED, "", math.nan,
                         f"{name} is in {where} ({source.entry.meta.get('file')}) but not in its declared query"))
        partnered = _partners(source, [s for s in [*sources, *references] if s is not source])
        versions = {r.label: _versions(source, r) for r in references}  # once per reference, not per row
        for q, p, score, label in partnered:
            # the network's own imports share one version (check_versions); a reference may not
            reference = label in versions
            other = f"reference import:{label}" if reference else f"import:{label}"
            rows.append((source.label, q, ABSENT_WITH_PARTNER, p, score,
                         f"{q} was queried and is absent from {where}, although {other} lists {q}–{p} at "
                         f"{_fmt(score)} ≥ its cut-off {_fmt(source.cutoff)} and {p} is in it"
                         + (f" ({versions[label]})" if reference else "")))
        explained = {q for q, *_ in partnered}
        for q in source.isolated():
            if q not in explained:
                rows.append((source.label, q, ISOLATED, "", math.nan,
                             f"{q} was queried and is absent from {where}: no interaction at ≥ {_fmt(source.cutoff)}"))
    return pd.DataFrame(rows, columns=list(QUERY_AUDIT_COLUMNS))

"""The replication verdict: each checkable claim of the paper against what netpharm computed.

Pure logic over the stage summaries of a run directory (``docs/run-directory.md``). Every
verdict is one of :data:`VERDICTS`; a verdict computed on partial data says so in
``data_completeness`` and, when the missing data could change it, is at most
"partially supported". Nothing missing is recomputed and passed off as the paper's source:
STRING's PPI-enrichment p-value, for example, is used only when STRING itself supplied it.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Literal

import pandas as pd

from netpharm.report.rundir import StageSummary, load_summaries, read_tsv

__all__ = ["Claim", "Verdict", "CLAIMS", "VERDICTS", "HUB_TOP_RANK", "PPI_ALPHA", "evaluate_claims",
           "verdict_table"]

VerdictLabel = Literal["supported", "not supported", "partially supported", "cannot be evaluated here"]
VERDICTS: tuple[str, ...] = ("supported", "not supported", "partially supported", "cannot be evaluated here")

#: A "central hub" is a protein whose MCC rank is at most this (ties share a rank). The paper
#: names its hubs without a cut-off; 5 keeps the test meaningful on a 9–13 node network, where
#: cytoHubba's default top-10 would include almost every node. The ranks are shown as evidence.
HUB_TOP_RANK = 5
#: Significance level for STRING's PPI-enrichment p-value.
PPI_ALPHA = 0.05


@dataclass(frozen=True)
class Claim:
    """A checkable claim of the paper (Mg²⁺ sulfate in lumbar microdiscectomy, in-silico arm)."""

    number: int
    text: str


@dataclass(frozen=True)
class Verdict:
    """One row of the verdict table."""

    number: int
    claim: str
    evidence: str
    verdict: VerdictLabel
    reason: str
    data_completeness: str

    def to_row(self) -> dict[str, Any]:
        return asdict(self)


CLAIMS: tuple[Claim, ...] = (
    Claim(1, "GRIN2B is the most highly connected node of the target network."),
    Claim(2, "CREB1 and BDNF are central hub proteins (top MCC ranks)."),
    Claim(3, "The network is more interconnected than expected (STRING PPI-enrichment p-value)."),
    Claim(4, "Enrichment of chemical synaptic transmission, postsynaptic membrane, ionotropic glutamate "
             "receptor activity and calcium channel activity."),
    Claim(5, "Reactome: post NMDA receptor activation events and CREB1 phosphorylation."),
    Claim(6, "Morphine docks plausibly into the μ, δ and κ opioid receptors (favourable energies; protonated "
             "amine near the conserved Asp3.32)."),
    Claim(7, "Mg²⁺ sits stably in the NMDA receptor pore at the asparagine ring."),
)
_TEXT = {c.number: c.text for c in CLAIMS}
_NOT_RUN = "cannot be evaluated here"


def _verdict(number: int, evidence: str, verdict: VerdictLabel, reason: str, completeness: str) -> Verdict:
    return Verdict(number, _TEXT[number], evidence, verdict, reason, completeness)


def _unusable(number: int, summary: StageSummary | None, stage: str) -> Verdict | None:
    """The "cannot be evaluated" verdict when the stage gave nothing usable, else ``None``."""
    if summary is None:
        return _verdict(number, "—", _NOT_RUN, f"{stage} stage not run", "no data")
    if not summary.usable:
        return _verdict(number, "—", _NOT_RUN, summary.why_unusable(), "no data")
    return None


# --- network claims ------------------------------------------------------------
def _coverage_note(f: dict[str, Any]) -> tuple[bool, str]:
    """(complete?, note) for the network's target coverage."""
    targets, uncovered = list(f.get("targets") or []), list(f.get("uncovered_targets") or [])
    unknown = int(f.get("unknown_pairs") or 0)
    if not uncovered and not unknown:
        return True, f"complete: all {len(targets)} targets and every target pair covered"
    covered = len(targets) - len(uncovered)
    note = f"partial: {covered} of {len(targets)} targets covered"
    if uncovered:
        note += f"; uncovered: {', '.join(uncovered)}"
    return False, note + f"; {unknown} target pairs unknown"


def _unknown_pairs(run_dir: Path, f: dict[str, Any]) -> list[tuple[str, str]]:
    """Target pairs whose edge status is unknown: from coverage.tsv, else every pair with an uncovered target."""
    table = read_tsv(run_dir / "network" / "coverage.tsv")
    if table is not None and {"name_a", "name_b", "status"} <= set(table.columns):
        rows = table[table["status"] == "unknown"]
        return list(zip(rows["name_a"].astype(str), rows["name_b"].astype(str)))
    uncovered = set(f.get("uncovered_targets") or [])
    return [(a, b) for a, b in itertools.combinations(f.get("targets") or [], 2) if a in uncovered or b in uncovered]


def _degree_bounds(degree: dict[str, int], targets: list[str],
                   unknown: list[tuple[str, str]]) -> tuple[dict[str, int], dict[str, int]]:
    """Known degree (lower bound) and known + unknown pairs (upper bound) of every target."""
    low = {t: int(degree.get(t, 0)) for t in targets} | {n: int(d) for n, d in degree.items()}
    high = dict(low)
    for a, b in unknown:
        high[a] = high.get(a, 0) + 1
        high[b] = high.get(b, 0) + 1
    return low, high


def claim_most_connected(run_dir: Path, net: StageSummary | None, protein: str = "GRIN2B") -> Verdict:
    """Claim 1, with degree bounds over the unknown pairs so partial data is judged fairly."""
    if (bad := _unusable(1, net, "network")) is not None:
        return bad
    f = net.findings
    degree = {str(k): int(v) for k, v in (f.get("degree") or {}).items()}
    complete, note = _coverage_note(f)
    if protein not in degree:
        return _verdict(1, f"{protein} is not in the network built here", _NOT_RUN,
                        f"no STRING data for {protein} in this run", note)
    top = max(degree.values())
    leaders = sorted(n for n, d in degree.items() if d == top)
    covered = len(degree)
    evidence = (f"degree {protein} = {degree[protein]}; maximum {top} ({', '.join(leaders)}) "
                f"among {covered} nodes")
    others = [n for n in leaders if n != protein]
    if complete:
        if leaders == [protein]:
            return _verdict(1, evidence, "supported", f"{protein} alone has the highest degree", note)
        if protein in leaders:
            return _verdict(1, evidence, "partially supported", f"{protein} is tied with {', '.join(others)}", note)
        return _verdict(1, evidence, "not supported", f"{', '.join(leaders)} more connected than {protein}", note)
    targets = [str(t) for t in f.get("targets") or degree]
    low, high = _degree_bounds(degree, targets, _unknown_pairs(run_dir, f))
    rivals = [n for n in high if n != protein]
    evidence += f"; upper bound with the unknown pairs: {protein} ≤ {high[protein]}"
    if all(low[protein] > high[n] for n in rivals):
        return _verdict(1, evidence, "supported",
                        f"{protein} stays the most connected whatever the unknown pairs are", note)
    if high[protein] < max((low[n] for n in rivals), default=0):
        return _verdict(1, evidence, "not supported",
                        f"even with every unknown pair of {protein} an edge, {', '.join(leaders)} has more", note)
    if leaders == [protein]:
        return _verdict(1, evidence, "partially supported",
                        f"consistent on {covered} of {len(targets)} targets: {protein} is the most connected of the "
                        f"{covered} covered targets; the unknown pairs could change it", note)
    if protein in leaders:
        return _verdict(1, evidence, "partially supported",
                        f"on the {covered} covered targets {protein} is tied with {', '.join(others)}", note)
    return _verdict(1, evidence, "not supported",
                    f"on the {covered} covered targets {', '.join(leaders)} is more connected than {protein}; "
                    "the unknown pairs could change it", note)


def claim_hubs(net: StageSummary | None, proteins: tuple[str, ...] = ("CREB1", "BDNF")) -> Verdict:
    """Claim 2: every named protein has MCC rank ≤ :data:`HUB_TOP_RANK`."""
    if (bad := _unusable(2, net, "network")) is not None:
        return bad
    f = net.findings
    ranks = {str(k): int(v) for k, v in (f.get("mcc_ranks") or {}).items()}
    complete, note = _coverage_note(f)
    if not ranks:
        return _verdict(2, "no MCC ranking in the network findings", _NOT_RUN, "MCC not computed", note)
    present = [p for p in proteins if p in ranks]
    absent = [p for p in proteins if p not in ranks]
    evidence = "; ".join(f"MCC rank {p} = {ranks[p]} of {len(ranks)}" for p in present) or "—"
    if absent:
        evidence += f"; not in the network: {', '.join(absent)}"
    hubs = [p for p in present if ranks[p] <= HUB_TOP_RANK]
    criterion = f"hub = MCC rank ≤ {HUB_TOP_RANK}"
    if not present:
        return _verdict(2, evidence, _NOT_RUN, f"no STRING data for {', '.join(absent)} here", note)
    if len(hubs) == len(proteins):
        if complete:
            return _verdict(2, evidence, "supported", f"both within the top MCC ranks ({criterion})", note)
        return _verdict(2, evidence, "partially supported",
                        f"consistent on {len(ranks)} of {len(f.get('targets') or ranks)} targets ({criterion}); "
                        "the uncovered targets could change the ranks", note)
    if hubs:
        return _verdict(2, evidence, "partially supported", f"hubs here: {', '.join(hubs)} ({criterion})", note)
    return _verdict(2, evidence, "not supported", f"not a top MCC hub: {', '.join(present)} ({criterion})", note)


def claim_ppi_enrichment(net: StageSummary | None) -> Verdict:
    """Claim 3: STRING's own PPI-enrichment p-value, never recomputed offline."""
    if (bad := _unusable(3, net, "network")) is not None:
        return bad
    ppi = net.findings.get("ppi_enrichment")
    if not isinstance(ppi, dict) or ppi.get("p_value") in (None, ""):
        reason = ("STRING's PPI-enrichment p-value is not in the cache (STRING must be reached online to "
                  "record it); netpharm does not recompute it offline")
        return _verdict(3, "—", _NOT_RUN, reason, "no data")
    p = float(ppi["p_value"])
    evidence = (f"STRING PPI enrichment: {ppi.get('number_of_edges', '?')} edges observed vs "
                f"{ppi.get('expected_number_of_edges', '?')} expected among {ppi.get('number_of_nodes', '?')} "
                f"proteins; p = {p:.3g}")
    note = "complete: STRING's own computation on the query proteins"
    if p < PPI_ALPHA:
        return _verdict(3, evidence, "supported", f"p < {PPI_ALPHA}", note)
    return _verdict(3, evidence, "not supported", f"p ≥ {PPI_ALPHA}", note)


# --- enrichment claims -----------------------------------------------------------
def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def _theme_evidence(theme: dict[str, Any]) -> str:
    def fmt(x: Any) -> str:
        return "n/a" if x is None or x == "" else f"{float(x):.3g}"
    term = f"{theme.get('best_term', '')} {theme.get('best_term_name', '')}".strip()
    return (f"{theme.get('theme')}: {term or '—'} (FDR offline {fmt(theme.get('fdr_offline'))}, "
            f"STRING {fmt(theme.get('fdr_string'))})")


def claim_themes(number: int, enr: StageSummary | None, wanted: tuple[str, ...]) -> Verdict:
    """Claims 4 and 5: the paper's named themes recovered by the enrichment stage."""
    if (bad := _unusable(number, enr, "enrichment")) is not None:
        return bad
    f = enr.findings
    by_name = {_norm(str(t.get("theme", ""))): t for t in f.get("themes") or [] if isinstance(t, dict)}
    found = {w: by_name.get(_norm(w)) for w in wanted}
    reported = {w: t for w, t in found.items() if t is not None}
    if not reported:
        return _verdict(number, "—", _NOT_RUN, "the enrichment stage reported none of these themes", "no data")
    sources = ["offline ORA"] if f.get("background") or f.get("background_size") else []
    if f.get("string_enrichment_cached"):
        sources.append("STRING enrichment (cached)")
    note = "from " + (" and ".join(sources) or "the enrichment stage")
    if not f.get("string_enrichment_cached"):
        note += "; STRING's own enrichment not in the cache"
    if f.get("unknown_symbols"):
        note += f"; symbols without annotation: {', '.join(map(str, f['unknown_symbols']))}"
    unreported = [w for w in wanted if found[w] is None]
    if unreported:
        note += f"; not reported: {', '.join(unreported)}"
    evidence = "; ".join(_theme_evidence(t) for t in reported.values())
    hit = [w for w, t in reported.items() if t.get("recovered")]
    miss = [w for w in reported if w not in hit]
    threshold = f.get("fdr_threshold", 0.05)
    if len(hit) == len(wanted):
        every = "both" if len(wanted) == 2 else f"all {len(wanted)}"
        return _verdict(number, evidence, "supported", f"{every} themes at FDR < {threshold}", note)
    if hit:
        return _verdict(number, evidence, "partially supported",
                        f"{len(hit)} of {len(wanted)} themes at FDR < {threshold}; not: {', '.join(miss + unreported)}",
                        note)
    if unreported:
        return _verdict(number, evidence, _NOT_RUN, f"not recovered: {', '.join(miss)}; "
                        f"not reported: {', '.join(unreported)}", note)
    return _verdict(number, evidence, "not supported", f"none of the themes at FDR < {threshold}", note)


# --- docking and pore ------------------------------------------------------------
_RECEPTOR_KEYS = {"μ": ("mor", "oprm1", "mu", "μ", "8ef6"), "δ": ("dor", "oprd1", "delta", "δ", "6pt2"),
                  "κ": ("kor", "oprk1", "kappa", "κ", "6vi4")}
_ENGINE_ORDER = {"autodock4": 0, "vina": 1}  # the paper used AutoDock 4.2.6


def _receptor_of(system: dict[str, Any]) -> str | None:
    words = set(re.split(r"[^0-9a-zμδκ]+", " ".join(str(system.get(k, "")) for k in
                                                    ("system", "receptor", "paper_pdb")).lower()))
    return next((r for r, keys in _RECEPTOR_KEYS.items() if words & set(keys)), None)


def _stand_in(s: dict[str, Any]) -> str:
    """"<structure used> for <paper's entry>", the structure by file name when it is a path."""
    return f"{Path(str(s.get('used_structure'))).name} for {s.get('paper_pdb')}"


def _is_stand_in(s: dict[str, Any]) -> bool:
    """The docking stage's ``structure_role`` (paper_entry | stand_in); older runs only have ``stand_in``."""
    return s["structure_role"] == "stand_in" if s.get("structure_role") else bool(s.get("stand_in"))


def _pose_plausible(s: dict[str, Any]) -> tuple[bool, str]:
    energy, bridge, dist = s.get("best_energy"), s.get("salt_bridge"), s.get("amine_asp332_distance")
    text = f"{energy:.2f} kcal/mol" if isinstance(energy, (int, float)) else "no energy"
    text += f", amine–Asp3.32 {dist:.2f} Å" if isinstance(dist, (int, float)) else ", amine–Asp3.32 n/a"
    if _is_stand_in(s):
        text += f" (stand-in {_stand_in(s)})"
    elif s.get("structure_role") == "paper_entry":
        text += f" (paper's entry {s.get('paper_pdb')})"
    ok = isinstance(energy, (int, float)) and energy < 0 and bool(bridge)
    return ok, text


def claim_docking(dock: StageSummary | None) -> Verdict:
    """Claim 6: per receptor, a favourable best energy and the amine–Asp3.32 salt bridge.

    The rule is deliberately simple and stated in the verdict: best energy < 0 kcal/mol and
    the protonated amine in a salt bridge with Asp3.32 (as measured by the docking stage).
    """
    if (bad := _unusable(6, dock, "docking")) is not None:
        errors = [f"{s.get('system')}: {s.get('error')}" for s in (dock.findings.get("systems") or [] if dock else [])
                  if isinstance(s, dict) and s.get("error")]
        return bad if not errors else Verdict(**{**bad.to_row(), "evidence": "; ".join(errors)})
    systems = [s for s in dock.findings.get("systems") or [] if isinstance(s, dict)]
    per: dict[str, dict[str, Any]] = {}
    for s in sorted((s for s in systems if s.get("status") == "ok"),
                    key=lambda s: _ENGINE_ORDER.get(str(s.get("engine")), 9)):
        receptor = _receptor_of(s)
        if receptor is not None:
            per.setdefault(receptor, s)
    parts, plausible = [], []
    for receptor in _RECEPTOR_KEYS:
        if receptor not in per:
            parts.append(f"{receptor}: not docked")
            continue
        ok, text = _pose_plausible(per[receptor])
        parts.append(f"{receptor}: {text} ({per[receptor].get('engine', '?')}){'' if ok else ' — implausible'}")
        if ok:
            plausible.append(receptor)
    evidence = "; ".join(parts)
    undocked = [r for r in _RECEPTOR_KEYS if r not in per]
    stand_ins = [_stand_in(s) for s in per.values() if _is_stand_in(s)]
    entries = [f"{r} {s.get('paper_pdb')}" for r, s in per.items() if not _is_stand_in(s)]
    note = "complete: all three receptors docked" if not undocked else \
        f"partial: {len(per)} of 3 receptors docked ({', '.join(undocked)} not docked)"
    note += f"; {len(entries)} of 3 in the paper's own entries" + (f" ({', '.join(entries)})" if entries else "")
    if stand_ins:
        note += f"; stand-in structures: {', '.join(stand_ins)}"
    rule = "plausible = best energy < 0 and protonated amine in salt bridge with Asp3.32"
    if not per:
        return _verdict(6, evidence, _NOT_RUN, "no receptor docked: " + (dock.reason or "no finished run"), note)
    if len(plausible) == 3 and stand_ins:
        # Plausible poses in other structures of the same receptors do not replicate the paper's docking.
        where = (f"{len(entries)} of 3 in the paper's own entries ({', '.join(entries)}), the rest in stand-ins"
                 if entries else "all in stand-in structures, not the paper's entries")
        return _verdict(6, evidence, "partially supported", f"plausible for μ, δ and κ, but {where}: "
                        f"{', '.join(stand_ins)} ({rule})", note)
    if len(plausible) == 3:
        return _verdict(6, evidence, "supported", rule, note)
    if plausible:
        return _verdict(6, evidence, "partially supported",
                        f"plausible for {', '.join(plausible)} only ({rule})", note)
    if undocked:
        return _verdict(6, evidence, "not supported", f"implausible for every docked receptor ({rule})", note)
    return _verdict(6, evidence, "not supported", rule, note)


def claim_mg_pore(nmda: StageSummary | None) -> Verdict:
    """Claim 7: a Mg²⁺ at pore site I (the N-site asparagine ring)."""
    if (bad := _unusable(7, nmda, "nmda")) is not None:
        return bad
    f = nmda.findings
    sites = [s for s in f.get("mg_sites") or [] if isinstance(s, dict)]
    structure = f.get("structure", "?")
    at_ring = [s for s in sites if s.get("classification") == "pore_site_I"]
    evidence = "; ".join(
        f"{s.get('site')} ({s.get('kind')}): {s.get('classification')}, z {s.get('z_along_axis')} Å, "
        f"radial {s.get('radial_offset')} Å, {len(s.get('coordinating') or [])} coordinating atoms"
        for s in sites) or "no Mg²⁺ site"
    evidence = f"structure {structure}: {evidence}"
    if any(s.get("kind") == "observed" for s in at_ring):
        return _verdict(7, evidence, "supported", "an experimentally observed Mg²⁺ at the asparagine ring "
                        "(a resolved ion marks a stable site)", "static structure; no dynamics run")
    if at_ring:
        return _verdict(7, evidence, "partially supported", "a placed Mg²⁺ fits at the asparagine ring; stability "
                        "over time is not assessed (no dynamics)", "geometry only; no observed ion")
    if not sites:
        return _verdict(7, evidence, _NOT_RUN, "no Mg²⁺ in the structure and none placed", "no ion")
    return _verdict(7, evidence, "not supported", "no Mg²⁺ at the asparagine ring (pore site I)", "static structure")


def evaluate_claims(run_dir: Path) -> list[Verdict]:
    """All seven verdicts for a run directory, in claim order.

    Parameters
    ----------
    run_dir : Path
        A finished or half-finished run directory; stages that left no summary make
        their claims "cannot be evaluated here: <stage> stage not run".
    """
    run_dir = Path(run_dir)
    s = load_summaries(run_dir)
    return [
        claim_most_connected(run_dir, s["network"]),
        claim_hubs(s["network"]),
        claim_ppi_enrichment(s["network"]),
        claim_themes(4, s["enrichment"], ("chemical synaptic transmission", "postsynaptic membrane",
                                          "ionotropic glutamate receptor activity", "calcium channel activity")),
        claim_themes(5, s["enrichment"], ("post NMDA receptor activation events", "CREB1 phosphorylation")),
        claim_docking(s["docking"]),
        claim_mg_pore(s["nmda"]),
    ]


def verdict_table(verdicts: list[Verdict]) -> pd.DataFrame:
    """The verdicts as a table (``report/verdict.tsv``)."""
    return pd.DataFrame([v.to_row() for v in verdicts],
                        columns=["number", "claim", "evidence", "verdict", "reason", "data_completeness"])

"""The report's sections, each built from the run directory's files only.

A section never fails because a stage is absent or partial: it says "stage not run" (or
the stage's own reason) instead, so a half-finished run still gets a readable report.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Any

import pandas as pd

from netpharm.docking.findings import DockingFindings
from netpharm.enrichment.findings import EnrichmentFindings
from netpharm.nmda.findings import NmdaFindings
from netpharm.report.claims import Verdict
from netpharm.report.markup import (
    bullet_list,
    details,
    esc,
    figure,
    link,
    mapping_table,
    records_table,
    section,
    status_badge,
    table,
)
from netpharm.report.rundir import STAGES, Summaries, read_tsv
from netpharm.stage import StageOutcome

__all__ = ["missing_section", "verdict_section", "inputs_section", "network_section", "enrichment_section",
           "docking_section", "nmda_section", "files_section", "provenance_section", "Summaries"]

def _status_line(name: str, s: StageOutcome[Any] | None) -> str:
    if s is None:
        return f"<p>{status_badge('not_run')} {esc(name)} stage not run (no {esc(name)}/summary.json).</p>"
    reason = f" — {esc(s.reason)}" if s.reason else ""
    return f"<p>Stage status: {status_badge(s.status)}{reason}</p>"


def _tsv(run_dir: Path, base: Path, rel: str, title: str) -> str:
    path = run_dir / rel
    frame = read_tsv(path)
    if frame is None:
        return f'<h3>{esc(title)}</h3><p class="note">{esc(rel)} not written by this run.</p>'
    return f"<h3>{esc(title)}</h3>" + table(frame, path, base)


def _figures(run_dir: Path, base: Path, rels: list[str], caption: str) -> str:
    pngs = [r for r in rels if r.lower().endswith(".png")]
    shown = pngs or [r for r in rels if r.lower().endswith(".svg")]
    return "".join(figure(run_dir / r, f"{caption}: {Path(r).stem}", base) for r in shown)


# --- what is missing -----------------------------------------------------------------
def _stand_ins(summaries: Summaries) -> list[str]:
    dock = summaries.docking
    systems = dock.findings.systems if dock is not None and dock.findings is not None else ()
    return [f"docking {s.system}: {Path(str(s.used_structure)).name} used as a stand-in for {s.paper_pdb}"
            for s in systems if s.stand_in]


def _absent_programs(summaries: Summaries, manifest: dict[str, Any] | None) -> list[str]:
    programs: dict[str, Any] = dict((manifest or {}).get("programs") or {})
    dock = summaries.docking
    if dock is not None and dock.findings is not None:
        programs.update(dock.findings.programs)
    return sorted(f"program not installed: {name}" for name, v in programs.items() if v in (None, ""))


def missing_items(summaries: Summaries, manifest: dict[str, Any] | None) -> list[str]:
    """Every gap of the run, stated plainly, stage by stage."""
    items: list[str] = []
    for name in STAGES:
        s = summaries.get(name)
        if s is None:
            items.append(f"{name}: stage not run")
            continue
        if s.status != "ok":
            items.append(f"{name}: {s.status.replace('_', ' ')}" + (f" — {s.reason}" if s.reason else ""))
        items += [f"{name}: {m}" for m in s.missing]
    return items + _stand_ins(summaries) + _absent_programs(summaries, manifest)


def missing_section(summaries: Summaries, manifest: dict[str, Any] | None) -> str:
    items = missing_items(summaries, manifest)
    body = ('<div class="missing"><p><strong>Read this first.</strong> Everything below was computed without '
            "these data; verdicts based on partial data say so.</p>" + bullet_list(items) + "</div>")
    if not items:
        body = '<div class="missing"><p>Nothing is missing: every stage ran on complete data.</p></div>'
    return section("missing", "What is missing", body)


# --- verdict --------------------------------------------------------------------------
def verdict_section(verdicts: list[Verdict], tsv: Path, base: Path) -> str:
    head = "".join(f"<th>{h}</th>" for h in ("#", "Claim id", "Kind", "Claim of the paper",
                                                "Evidence computed by netpharm", "Verdict", "Reason",
                                                "Data completeness"))
    rows = "".join(
        f'<tr class="claim" data-claim="{v.number}" data-claim-id="{esc(v.id)}"><td>{v.number}</td>'
        f"<td>{esc(v.id)}</td><td>{esc(v.kind)}</td><td>{esc(v.claim)}</td>"
        f"<td>{esc(v.evidence)}</td><td>{status_badge(v.verdict)}</td><td>{esc(v.reason)}</td>"
        f"<td>{esc(v.data_completeness)}</td></tr>" for v in verdicts)
    body = (f'<table id="verdict-table"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>'
            f'<p class="note">Also as {link(tsv, base)}.</p>')
    if not verdicts:
        body = ('<p class="note">The workflow states no claims to check (add <code>[[claims]]</code> tables, see '
                "README); nothing to judge.</p>")
    return section("verdict", "Replication verdict", body)


# --- inputs ---------------------------------------------------------------------------
def _flatten(data: Any, prefix: str = "") -> dict[str, Any]:
    if isinstance(data, dict):
        out: dict[str, Any] = {}
        for k, v in data.items():
            out.update(_flatten(v, f"{prefix}.{k}" if prefix else str(k)))
        return out
    if isinstance(data, list) and any(isinstance(x, (dict, list)) for x in data):
        return {prefix: json.dumps(data, sort_keys=True, default=str)}
    return {prefix: ", ".join(map(str, data)) if isinstance(data, list) else data}


def _load_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None
    except (OSError, json.JSONDecodeError):
        return None


def inputs_section(run_dir: Path, summaries: Summaries, manifest: dict[str, Any] | None) -> str:
    targets_file = run_dir / "targets.txt"
    targets = targets_file.read_text(encoding="utf-8").split() if targets_file.is_file() \
        else list((manifest or {}).get("targets") or [])
    parts = [f"<h3>Targets ({len(targets)})</h3><p>{esc(', '.join(targets)) or 'not recorded'}</p>"]
    net = summaries.network
    if net is not None and net.findings is not None:
        f = net.findings
        parts.append(f"<p>STRING version: {esc(f.string_version or 'not recorded')}; required score "
                     f"{esc(f.required_score)}; network source: {esc(f.source)}; covered "
                     f"targets: {esc(', '.join(f.covered_targets))}; uncovered: "
                     f"{esc(', '.join(f.uncovered_targets) or 'none')}</p>")
    enr = summaries.enrichment
    for name, found in (("network", net.findings if net else None), ("enrichment", enr.findings if enr else None)):
        sources = found.data_sources if found is not None else None
        if sources:
            parts.append(f"<h3>Data sources: {name}</h3>" + records_table(
                x if isinstance(x, dict) else {"source": x} for x in sources))
    entries = (manifest or {}).get("cache_entries") or []
    if entries:
        parts.append(f"<h3>From the cache ({len(entries)} entries; kind = api response or imported file)</h3>"
                     + records_table(entries, ["source", "kind", "url", "file", "retrieved_at", "string_version",
                                               "declared_version", "sha256"]))
    parts.append("<h3>Stand-ins</h3>" + bullet_list(_stand_ins(summaries)))
    resolved = _load_json(run_dir / "workflow.resolved.json")
    if isinstance(resolved, dict):
        flat = _flatten(resolved)
        parts.append("<h3>Workflow parameters</h3>" + details(f"all {len(flat)} resolved parameters "
                                                              "(workflow.resolved.json)",
                                                              mapping_table(flat, "parameter", "value")))
    return section("inputs", "Inputs", "".join(parts))


# --- stages ---------------------------------------------------------------------------
def _top_hubs_wide(run_dir: Path, base: Path) -> str:
    """top_hubs.tsv as one column per method (MCC first), one row per position: all 12 at a glance."""
    path = run_dir / "network" / "top_hubs.tsv"
    frame = read_tsv(path)
    if frame is None or not {"method", "rank", "name"} <= set(frame.columns):
        return _tsv(run_dir, base, "network/top_hubs.tsv", "Top hubs per method (MCC first)")
    methods = list(dict.fromkeys(frame["method"]))
    methods.sort(key=lambda m: m != "MCC")  # stable: MCC first, the rest in the file's order
    columns: dict[str, list[str]] = {}
    for method in methods:
        rows = frame[frame["method"] == method].sort_values("rank", kind="mergesort")
        score = rows["score"] if "score" in rows.columns else [""] * len(rows)
        tied = rows["tied_at_boundary"] if "tied_at_boundary" in rows.columns else [False] * len(rows)
        columns[method] = [f"{r}. {n} ({_fmt_score(v)}){' *' if str(t) == 'True' else ''}"
                           for r, n, v, t in zip(rows["rank"], rows["name"], score, tied)]
    depth = max((len(c) for c in columns.values()), default=0)
    wide = pd.DataFrame({m: c + [""] * (depth - len(c)) for m, c in columns.items()})
    return ("<h3>Top hubs per method (MCC first; rank. name (score); * = tied at the top-N boundary)</h3>"
            + table(wide, path, base, max_rows=max(depth, 1)))


def _fmt_score(value: object) -> str:
    return f"{value:.4g}" if isinstance(value, float) else str(value)


def _coverage(run_dir: Path, base: Path) -> str:
    """Pair coverage: the counts in view, the 78-row table folded."""
    path = run_dir / "network" / "coverage.tsv"
    frame = read_tsv(path)
    if frame is None or "status" not in frame.columns:
        return _tsv(run_dir, base, "network/coverage.tsv", "Coverage of every target pair")
    counts = ", ".join(f"{n} {k}" for k, n in frame["status"].value_counts().sort_index().items())
    return ("<h3>Coverage of every target pair</h3>"
            + details(f"{len(frame)} pairs: {counts}", table(frame, path, base, max_rows=len(frame))))


def network_section(run_dir: Path, base: Path, s: StageOutcome[Any] | None, network_figures: list[Path]) -> str:
    parts = [_status_line("network", s)]
    if s is None:
        return section("network", "Network", parts[0])
    parts += [figure(p, "Target network (report figure)", base) for p in network_figures if p.suffix == ".png"]
    files = [run_dir / "network" / n for n in ("network.graphml", "network.sif")]
    parts.append("<p>Cytoscape-ready: " + " · ".join(link(p, base) for p in files if p.is_file()) + "</p>")
    parts.append(_top_hubs_wide(run_dir, base))
    for rel, title in (("network/network_summary.tsv", "NetworkAnalyzer network statistics"),
                       ("network/nodes.tsv", "NetworkAnalyzer node table"),
                       ("network/hubs.tsv", "All 12 cytoHubba scores and ranks"),
                       ("network/rank_stability.tsv", "Rank stability across score cut-offs and edge bootstrap"),
                       ("network/ppi_enrichment.tsv", "STRING PPI enrichment (STRING's response)")):
        parts.append(_tsv(run_dir, base, rel, title))
    parts.append(_coverage(run_dir, base))
    return section("network", "Network", "".join(parts))


def enrichment_section(run_dir: Path, base: Path, s: StageOutcome[EnrichmentFindings] | None) -> str:
    parts = [_status_line("enrichment", s)]
    if s is not None:
        f = s.findings
        cached = "yes" if f is not None and f.string_enrichment_cached else "no (offline analysis only)"
        source = {"import": " (from an imported STRING file)", "api": " (STRING's API answer)"}.get(
            str(f.string_source) if f is not None else "", "")
        parts.append(f"<p>STRING's enrichment in the cache: {esc(cached)}{esc(source)}</p>")
        offline = f.correction.get("offline") or {} if f is not None else {}
        if offline:
            labels = sorted({str(c.get("label", "")) for c in offline.values() if isinstance(c, dict)})
            parts.append(f"<p>Offline FDR correction: {esc('; '.join(labels))}</p>")
        parts.append(_tsv(run_dir, base, "enrichment/themes.tsv", "The paper's themes"))
        parts.append(_tsv(run_dir, base, "enrichment/top_terms.tsv", "Top terms per category (offline ORA)"))
        for rel in sorted(o for o in s.outputs if Path(o).name.startswith("string_") and o.endswith(".tsv")
                          and "raw" not in o and "imported" not in o):
            parts.append(_tsv(run_dir, base, rel, f"STRING enrichment: {Path(rel).stem[7:]}"))
        parts.append(_figures(run_dir, base, list(f.figures) if f is not None else [], "Enrichment"))
    return section("enrichment", "Enrichment", "".join(parts))


def docking_section(run_dir: Path, base: Path, s: StageOutcome[DockingFindings] | None) -> str:
    parts = [_status_line("docking", s)]
    if s is not None and s.findings is not None:
        f = s.findings
        systems = [asdict(x) for x in f.systems]
        parts.append("<h3>Ligands per receptor</h3>" + records_table(systems, [
            "system", "ligand", "engine", "receptor", "paper_pdb", "used_structure", "stand_in", "status", "best_energy",
            "best_cluster_size", "n_runs", "amine_asp332_distance", "salt_bridge", "contacts", "error"]))
        parts.append("<h3>Redocking validation</h3>" + records_table([asdict(r) for r in f.redocking]))
        parts.append("<h3>Programs</h3>" + mapping_table({k: v or "not installed" for k, v in
                                                          f.programs.items()}, "program", "version"))
        for x in f.systems:
            if x.figure:
                parts.append(figure(run_dir / x.figure, f"Best pose, {x.system} {x.ligand} ({x.engine})", base))
        scripts = sorted(p for p in (run_dir / "docking").rglob("*.pml")) if (run_dir / "docking").is_dir() else []
        parts.append("<p>PyMOL scripts: " + (" · ".join(link(p, base, str(p.relative_to(run_dir)))
                                                        for p in scripts) or "none") + "</p>")
    return section("docking", "Docking", "".join(parts))


def nmda_section(run_dir: Path, base: Path, s: StageOutcome[NmdaFindings] | None) -> str:
    parts = [_status_line("nmda", s)]
    if s is not None and s.usable and s.findings is not None:
        f = s.findings
        parts.append(f"<p>Structure: {esc(f.structure)}; N-site ring radius: {esc(f.ring_radius)} Å</p>")
        parts.append("<h3>Mg²⁺ sites</h3>" + records_table(
            [asdict(m) for m in f.mg_sites], ["site", "kind", "classification", "z_along_axis", "radial_offset", "delta",
                                      "coordinating"]))
        parts += [_tsv(run_dir, base, rel, Path(rel).stem.replace("_", " ")) for rel in s.outputs
                  if rel.endswith(".tsv")]
        parts.append(_figures(run_dir, base, list(f.figures), "NMDA pore"))
    return section("nmda", "NMDA receptor pore", "".join(parts))


def files_section(run_dir: Path, base: Path) -> str:
    files = sorted(p for ext in ("*.tsv", "*.graphml", "*.sif", "*.pml", "*.json") for p in run_dir.rglob(ext)
                   if "report" not in p.relative_to(run_dir).parts[:1])
    items = [link(p, base, str(p.relative_to(run_dir))) for p in files]
    return section("files", "All tables and files",
                   details(f"{len(items)} files (TSV tables, Cytoscape exports, PyMOL scripts, JSON)",
                           bullet_list(items, escape=False)))


def provenance_section(manifest: dict[str, Any] | None) -> str:
    if manifest is None:
        return section("provenance", "Provenance", '<p class="note">manifest.json not found in the run '
                                                    "directory.</p>")
    m = manifest
    scalars: dict[str, Any] = {k: m.get(k) for k in ("workflow", "netpharm_version", "git_commit", "python", "platform", "offline",
                                     "cache_dir", "started", "finished") if k in m}
    parts = [mapping_table(scalars, "field", "value")]
    for key, title, cols in (("libraries", "Libraries", ("library", "version")),
                             ("programs", "External programs", ("program", "version")),
                             ("seeds", "Seeds", ("seed", "value"))):
        if isinstance(m.get(key), dict):
            parts.append(f"<h3>{title}</h3>" + mapping_table({k: "not installed" if v is None else v
                                                             for k, v in m[key].items()}, *cols))
    parts.append(f"<h3>Cache entries used ({len(m.get('cache_entries') or [])})</h3>"
                 + records_table(m.get("cache_entries") or []))
    if isinstance(m.get("stages"), dict):
        parts.append("<h3>Stage statuses</h3>" + records_table({"stage": k, **(v if isinstance(v, dict) else
                                                                              {"status": v})}
                                                              for k, v in m["stages"].items()))
    rest = {k: v for k, v in m.items() if k not in scalars and k not in
            ("libraries", "programs", "seeds", "cache_entries", "stages")}
    parts.append("<h3>Everything else in manifest.json</h3>" + details(
        "resolved configuration, targets and other fields",
        "<pre>" + esc(json.dumps(rest, indent=2, sort_keys=True, default=str)) + "</pre>"))
    return section("provenance", "Provenance (manifest.json)", "".join(parts))

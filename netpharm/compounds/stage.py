"""The workflow's compounds stage: compound → target and disease files → normalised symbols → common targets.

Reads every ``[[compounds.targets]]`` and ``[[compounds.disease]]`` table (:mod:`netpharm.compounds.readers`),
records each file in the cache with its sha256 (:mod:`netpharm.compounds.record`), normalises the names
(:mod:`netpharm.compounds.symbols`), intersects (:mod:`netpharm.compounds.intersect`) and writes the
``compounds/`` tables and the Venn/UpSet figure. The compound–target network and drug-likeness plug in after
:func:`write_tables` (they read :class:`~netpharm.compounds.findings.CompoundsFindings`).
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Mapping, Sequence
from pathlib import Path

import pandas as pd

from netpharm.compounds import files
from netpharm.compounds.analysis import write_ct_network, write_drug_likeness
from netpharm.compounds.config import CompoundsConfig
from netpharm.compounds.figure import write_intersection_figure
from netpharm.compounds.findings import CompoundRecord, CompoundsFindings, SourceRecord
from netpharm.compounds.intersect import Collected, collect
from netpharm.compounds.readers.records import INCOMPLETE
from netpharm.compounds.record import record_source
from netpharm.compounds.symbols import GENE_TABLE, HUMAN
from netpharm.io import write_table
from netpharm.stage import RunContext, StageOutcome

__all__ = ["run_compounds_stage", "write_tables", "build_findings"]

log = logging.getLogger(__name__)


def _frame(rows: Sequence[Mapping[str, object]], columns: tuple[str, ...]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=list(columns))


def write_tables(out: Path, data: Collected) -> list[Path]:
    """compound_targets, disease_targets, intersection, symbols, compounds (counts are written by the stage)."""
    pairs = [{files.COMPOUND: c, files.TARGET: t, files.SOURCE: s.spec.label, files.WRITTEN: r.target,
              files.LINE: r.line, files.DETAIL: r.detail} for c, t, s, r in data.pairs()]
    genes = [{files.TARGET: t, files.SOURCE: s.spec.label, files.WRITTEN: r.gene, files.LINE: r.line,
              files.SCORE: "" if r.score is None else r.score} for t, s, r in data.genes()]
    common = set(data.common())
    by_target: dict[str, dict[str, set[str]]] = {t: {"compounds": set(), "csrc": set(), "dsrc": set()}
                                                 for t in common}
    for c, t, s, _ in data.pairs():
        if t in common:
            by_target[t]["compounds"].add(c)
            by_target[t]["csrc"].add(s.spec.label)
    for t, s, _ in data.genes():
        if t in common:
            by_target[t]["dsrc"].add(s.spec.label)
    intersection = [{files.TARGET: t, "compounds": ";".join(sorted(v["compounds"])),
                     "n_compounds": len(v["compounds"]), "compound_sources": ";".join(sorted(v["csrc"])),
                     "disease_sources": ";".join(sorted(v["dsrc"]))} for t, v in sorted(by_target.items())]
    written_where: dict[str, list[str]] = {}
    for s in data.sources:
        for name in dict.fromkeys(n.strip() for n in s.names()):
            written_where.setdefault(name, []).append(s.spec.label)
    symbols = [{files.WRITTEN: m.written, "symbol": m.symbol, "status": m.status, "how": m.how,
                "candidates": ";".join(m.candidates), "sources": ";".join(written_where.get(m.written, ()))}
               for m in sorted(data.matches.values(), key=lambda m: (m.status == "approved", m.written))]
    compounds = [{files.COMPOUND: name, "n_targets": len(e.targets), "n_common": len(common & e.targets),
                  "sources": ";".join(e.sources), files.SMILES: e.values.get("smiles", ""),
                  "imported": ";".join(f"{k}={v}" for k, v in sorted(e.values.items()) if k != "smiles")}
                 for name, e in sorted(data.compounds().items())]
    return [write_table(out / files.COMPOUND_TARGETS, _frame(pairs, files.COMPOUND_TARGET_COLUMNS)),
            write_table(out / files.DISEASE_TARGETS, _frame(genes, files.DISEASE_TARGET_COLUMNS)),
            write_table(out / files.INTERSECTION, _frame(intersection, files.INTERSECTION_COLUMNS)),
            write_table(out / files.SYMBOLS, _frame(symbols, files.SYMBOL_COLUMNS)),
            write_table(out / files.COMPOUNDS, _frame(compounds, files.COMPOUND_COLUMNS))]


def _source_records(data: Collected, keys: dict[int, tuple[str, str]]) -> tuple[SourceRecord, ...]:
    records = []
    for i, s in enumerate(data.sources):
        names = {n.strip() for n in s.names()}
        sha, key = keys.get(i, ("", ""))
        records.append(SourceRecord(s.spec.label, s.kind, s.spec.file, sha, key, s.spec.format or "plain",
                                    s.read.rule, s.read.rows, s.read.kept_rows, len(names),
                                    len({data.symbol(n) for n in names}), tuple(s.read.notes)))
    return tuple(records)


def build_findings(data: Collected, keys: dict[int, tuple[str, str]], targets: list[str], figure: str,
                   species: int, normalise: bool) -> CompoundsFindings:
    """The typed findings of a collected run (``keys``: source index → (sha256, cache key))."""
    common = data.common()
    compounds = tuple(
        CompoundRecord(name, tuple(dict.fromkeys(e.sources)), tuple(sorted(e.targets)), e.values.get("smiles", ""),
                       {k: v for k, v in e.values.items() if k != "smiles"})
        for name, e in sorted(data.compounds().items()))
    matches = data.matches.values()
    return CompoundsFindings(
        sources=_source_records(data, keys), compounds=compounds,
        compound_targets=tuple(sorted(data.compound_targets())), disease_targets=tuple(sorted(data.disease_targets())),
        common_targets=tuple(common), intersection_size=len(common),
        written_intersection_size=len(data.written_common()), written_common_targets=tuple(data.written_common()),
        used_as_targets=bool(data.disease_targets()) and set(targets) == set(common),
        renamed={m.written: m.symbol for m in matches if m.status == "renamed"},
        unmatched=tuple(sorted(m.written for m in matches if m.status == "unmatched")),
        ambiguous={m.written: m.candidates for m in matches if m.status == "ambiguous"},
        figure=figure, gene_table=GENE_TABLE.name if normalise and species == HUMAN else "")


def _figure(out: Path, data: Collected, run_dir: Path) -> str:
    sets = {"compound targets": data.compound_targets()}
    for s in data.sources:
        if s.kind == "disease":
            sets[s.spec.label] = {data.symbol(n) for n in s.names()}
    if len(sets) < 2:
        return ""
    name = files.VENN if len(sets) <= 3 else files.UPSET
    title = f"{len(data.common())} common targets"
    paths = write_intersection_figure(sets, out / Path(name).stem, title)
    return str(paths[0].relative_to(run_dir)) if paths else ""


def _drug_likeness_gap(notes: list[str], names: list[str]) -> str:
    """The drug-likeness notes ("compound: why") as one line of "What is missing", each reason said once with
    its compounds (25 compounds without a SMILES are one reason and 25 names, not the reason 25 times)."""
    known = set(names)
    by_reason: dict[str, list[str]] = {}
    other: list[str] = []
    for note in notes:
        cut = note.find(": ")
        while cut >= 0 and note[:cut] not in known:
            cut = note.find(": ", cut + 1)
        if cut < 0:
            other.append(note)
        else:
            by_reason.setdefault(note[cut + 2:], []).append(note[:cut])
    compounds = {c for listed in by_reason.values() for c in listed}
    said = [f"{why} — {', '.join(listed[:8])}{f' … ({len(listed)} in all)' if len(listed) > 8 else ''}"
            for why, listed in by_reason.items()]
    return (f"drug-likeness: {len(compounds)} compound{'' if len(compounds) == 1 else 's'} without a structure or "
            f"with a server value that is not a number (compounds/{files.DRUG_LIKENESS}): " + "; ".join(other + said))


def _missing(f: CompoundsFindings, targets: list[str], unplaced: list[str]) -> list[str]:
    missing = [f"{s.label}: {note}" for s in f.sources for note in s.notes
               if "give no target" in note or note.startswith(INCOMPLETE)]
    if unplaced:
        missing.append(f"{len(unplaced)} structure rows name no compound of the compound tables: "
                       f"{', '.join(unplaced)}")
    if f.unmatched:
        shown = ", ".join(f.unmatched[:20]) + (" …" if len(f.unmatched) > 20 else "")
        one = len(f.unmatched) == 1
        missing.append(f"{len(f.unmatched)} {'name matches' if one else 'names match'} no gene of "
                       f"{f.gene_table or 'the gene table'} and {'is' if one else 'are'} kept as written: {shown} "
                       f"(compounds/{files.SYMBOLS})")
    if f.ambiguous:
        shown = ", ".join(f"{k} ({'/'.join(v)})" for k, v in list(f.ambiguous.items())[:10])
        one = len(f.ambiguous) == 1
        missing.append(f"{len(f.ambiguous)} {'name is an alias' if one else 'names are aliases'} of several genes "
                       f"and {'is' if one else 'are'} kept as written, not guessed: {shown} (compounds/{files.SYMBOLS})")
    if f.disease_targets and not f.used_as_targets:
        missing.append(f"the workflow's targets ({len(targets)}) are its own list, not the {f.intersection_size} "
                       "common targets")
    return missing


def run_compounds_stage(ctx: RunContext[CompoundsConfig]) -> StageOutcome[CompoundsFindings]:
    """The compounds stage: read, record, normalise, intersect and write every ``compounds/`` file.

    Returns
    -------
    StageOutcome[CompoundsFindings]
        ``not_run`` when ``[compounds]`` has no table; unmatched and ambiguous names are listed in ``missing``.
    """
    cfg = ctx.config
    if not cfg.active:
        return StageOutcome("compounds", "not_run", files.NOT_ASKED)
    data = collect(cfg, ctx.run)
    out = ctx.stage_dir()
    keys = {}
    for i, source in enumerate(data.sources):
        entry = record_source(ctx.cache, source)
        keys[i] = (entry.meta["file_sha256"], entry.key)
    written = write_tables(out, data)
    figure = _figure(out, data, ctx.run_dir)
    findings = build_findings(data, keys, list(ctx.targets), figure, ctx.run.species, cfg.normalise)
    network, ct_written = write_ct_network(out, findings)
    likeness, dl_written, dl_notes = write_drug_likeness(out, findings, ctx.cache if cfg.pubchem else None,
                                                         ctx.http if cfg.pubchem else None)
    findings = dataclasses.replace(findings, ct_network=network, drug_likeness=likeness)
    written += ct_written + dl_written
    counts = [{files.SOURCE: s.label, "kind": s.kind, "file": s.file, "format": s.format, "rule": s.rule,
               "rows": s.rows, "kept_rows": s.kept_rows, "names": s.names, "targets": s.targets, "sha256": s.sha256}
              for s in findings.sources]
    written.append(write_table(out / files.COUNTS, _frame(counts, files.COUNT_COLUMNS)))
    outputs = [str(p.relative_to(ctx.run_dir)) for p in written]
    if figure:
        outputs += [figure, str(Path(figure).with_suffix(".svg"))]
    log.info("compounds: %d compound targets, %d disease genes, %d common targets", len(findings.compound_targets),
             len(findings.disease_targets), findings.intersection_size)
    missing = _missing(findings, list(ctx.targets), data.unplaced_structures())
    if dl_notes:
        missing.append(_drug_likeness_gap(dl_notes, [c.name for c in findings.compounds]))
    truncated = [s.label for s in findings.sources if any(n.startswith(INCOMPLETE) for n in s.notes)]
    if truncated:  # ran on a list the server cut short: said in the status, not only among the gaps
        return StageOutcome("compounds", "partial", f"{', '.join(truncated)}: the export is not the server's whole "
                            "answer (truncated); the lists and the common targets are built from what it holds",
                            missing, outputs, findings)
    return StageOutcome("compounds", "ok", "", missing, outputs, findings)

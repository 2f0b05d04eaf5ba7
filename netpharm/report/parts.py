"""The report's run-level parts: what is missing, the verdict, inputs, every file, provenance.

Each gathers its data from the run directory and the stages' sections and renders a template of
``netpharm/report/templates``. A part never fails because a stage is absent or partial: it says
"stage not run" (or the stage's own reason) instead, so a half-finished run still gets a
readable report.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from markupsafe import Markup

from netpharm.present.markup import rel
from netpharm.present.page import Page, StageSection
from netpharm.present.templating import render
from netpharm.stage import StageOutcome
from netpharm.verdict import AuditFinding, Verdict

__all__ = ["StagePart", "Gap", "missing_items", "missing_part", "verdict_part", "audit_part", "inputs_part",
           "files_part",
           "provenance_part"]


@dataclass(frozen=True)
class StagePart:
    """A registered stage as the report sees it: its name, its section and its recorded outcome."""

    name: str
    section: StageSection[Any]
    outcome: StageOutcome[Any] | None


# --- what is missing -----------------------------------------------------------------
def _stand_ins(parts: Sequence[StagePart]) -> list[str]:
    return [line for p in parts for line in p.section.stand_ins(p.outcome)]


def _absent_programs(parts: Sequence[StagePart], manifest: Mapping[str, Any] | None) -> list[str]:
    programs: dict[str, Any] = dict((manifest or {}).get("programs") or {})
    for p in parts:
        programs.update(p.section.programs(p.outcome))
    return sorted(f"program not installed: {name}" for name, v in programs.items() if v in (None, ""))


def _why_not_run(name: str, config: Mapping[str, Any]) -> str:
    """Why a stage has no summary, when the resolved workflow says so (left out of its stages)."""
    stages = config.get("stages")
    return " (not in this workflow's stages)" if isinstance(stages, list) and name not in stages else ""


@dataclass(frozen=True)
class Gap:
    """One entry of "What is missing": a stage's status and reason, the data it lacked beneath (or a stand-in,
    an absent program, with no details)."""

    text: str
    details: tuple[str, ...] = ()


def _stage_gap(p: StagePart, config: Mapping[str, Any]) -> Gap | None:
    """A stage's one entry: its status and reason, then each missing datum its reason does not already name.

    A stage records a gap both as why it did not run (``reason``: "structure 9IYP not in cache (offline)")
    and as the data it lacked (``missing``: "structure 9IYP"); listed side by side they said it twice.
    """
    s = p.outcome
    if s is None:
        return Gap(f"{p.name}: stage not run" + _why_not_run(p.name, config))
    details = tuple(m for m in s.missing if not (s.reason and m in s.reason))
    if s.status != "ok":
        return Gap(f"{p.name}: {s.status.replace('_', ' ')}" + (f" — {s.reason}" if s.reason else ""), details)
    if not details:
        return None
    return Gap(f"{p.name}: {details[0]}", ()) if len(details) == 1 else Gap(f"{p.name}:", details)


def missing_items(parts: Sequence[StagePart], manifest: Mapping[str, Any] | None) -> list[Gap]:
    """Every gap of the run, stated plainly and once: a stage's entry, stand-ins, absent programs; last, in one
    line, the stages the workflow left out of its ``stages`` (a choice, not a datum lacking: one line, not one
    gap each)."""
    config = dict((manifest or {}).get("config") or {})
    left_out = [p.name for p in parts if p.outcome is None and _why_not_run(p.name, config)]
    gaps = [g for g in (_stage_gap(p, config) for p in parts
                        if p.name not in left_out and not p.section.unused(p.outcome)) if g is not None]
    tail = [Gap(f"not in this workflow's stages (not run): {', '.join(left_out)}")] if left_out else []
    return gaps + [Gap(x) for x in _stand_ins(parts) + _absent_programs(parts, manifest)] + tail


def missing_part(parts: Sequence[StagePart], manifest: Mapping[str, Any] | None) -> Markup:
    return render(__package__, "missing.html.j2", items=missing_items(parts, manifest))


# --- verdict --------------------------------------------------------------------------
def verdict_part(verdicts: list[Verdict], tsv: Path, base: Path) -> Markup:
    return render(__package__, "verdict.html.j2", verdicts=verdicts, tsv=rel(tsv, base), tsv_name=tsv.name)


# --- audit ----------------------------------------------------------------------------
def audit_part(rows: Sequence[AuditFinding], tsv: Path, base: Path) -> Markup:
    """"Audit of the study's own numbers": errors first, then warnings, each in the order found."""
    ordered = sorted(rows, key=lambda r: r.severity != "error")
    return render(__package__, "audit.html.j2", rows=ordered, tsv=rel(tsv, base), tsv_name=tsv.name)


# --- inputs ---------------------------------------------------------------------------
def _flatten(data: Any, prefix: str = "") -> dict[str, Any]:
    """Nested mappings as dotted keys; lists stay lists (the template shows them as tables)."""
    if isinstance(data, dict):
        out: dict[str, Any] = {}
        for k, v in data.items():
            out.update(_flatten(v, f"{prefix}.{k}" if prefix else str(k)))
        return out
    return {prefix: data}


def inputs_part(page: Page, parts: Sequence[StagePart], resolved: Mapping[str, Any] | None) -> Markup:
    """Targets, each stage's data sources, the cache entries used, stand-ins, every resolved parameter."""
    manifest = page.manifest or {}
    targets_file = page.run_dir / "targets.txt"
    targets = targets_file.read_text(encoding="utf-8").split() if targets_file.is_file() \
        else list(manifest.get("targets") or [])
    return render(__package__, "inputs.html.j2", targets=targets,
                  stage_inputs=[Markup(p.section.inputs(page, p.outcome)) for p in parts],
                  entries=manifest.get("cache_entries") or [], stand_ins=_stand_ins(parts),
                  parameters=_flatten(resolved) if resolved is not None else None)


#: Files listed one by one at most; a larger run (a campaign) lists its job folders instead, each with its count.
MAX_LISTED_FILES = 200


def files_part(run_dir: Path, base: Path) -> Markup:
    files = sorted(p for ext in ("*.tsv", "*.graphml", "*.sif", "*.pml", "*.json", "*.sdf", "*.pdb")
                   for p in run_dir.rglob(ext) if "report" not in p.relative_to(run_dir).parts[:1])
    rows = [(rel(p, base), str(p.relative_to(run_dir))) for p in files]
    if len(files) > MAX_LISTED_FILES:  # a folder per job (docking/<system>/<ligand>/), not its every file
        folders: dict[Path, int] = {}
        shallow = []
        for p in files:
            parts = p.relative_to(run_dir).parts
            if len(parts) > 3:
                folder = run_dir.joinpath(*parts[:3])
                folders[folder] = folders.get(folder, 0) + 1
            else:
                shallow.append(p)
        rows = sorted([(rel(p, base), str(p.relative_to(run_dir))) for p in shallow]
                      + [(rel(f, base) + "/", f"{f.relative_to(run_dir)}/ ({n} files)") for f, n in folders.items()],
                      key=lambda r: r[1])
    return render(__package__, "files.html.j2", files=rows, n_files=len(files))


def provenance_part(manifest: Mapping[str, Any] | None) -> Markup:
    if manifest is None:
        return render(__package__, "provenance.html.j2", m=None)
    m = manifest
    scalars: dict[str, Any] = {k: m.get(k) for k in ("workflow", "netpharm_version", "git_commit", "python",
                                                     "platform", "offline", "cache_dir", "started", "finished")
                               if k in m}
    groups = [(title, cols, {k: "not installed" if v is None else v for k, v in m[key].items()})
              for key, title, cols in (("libraries", "Libraries", ("library", "version")),
                                       ("programs", "External programs", ("program", "version")),
                                       ("seeds", "Seeds", ("seed", "value"))) if isinstance(m.get(key), dict)]
    stages = [{"stage": k, **(v if isinstance(v, dict) else {"status": v})} for k, v in m["stages"].items()] \
        if isinstance(m.get("stages"), dict) else None
    rest = {k: v for k, v in sorted(m.items()) if k not in scalars and k not in
            ("libraries", "programs", "seeds", "cache_entries", "stages")}
    return render(__package__, "provenance.html.j2", m=m, scalars=scalars, groups=groups,
                  entries=m.get("cache_entries") or [], stages=stages, rest=rest)

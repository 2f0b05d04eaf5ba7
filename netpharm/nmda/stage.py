"""The ``nmda`` stage: Mg²⁺ positioning and channel geometry of the NMDA receptor pore.

Recipe: load the structure (a user's file, or the PDB entry through the cache: 9IYP by default; offline
7EU8 as a named stand-in) →
analyse the pore (:func:`netpharm.nmda.pore_geometry.analyse_pore`) → do the same for the comparison
entry (9IYQ, Mg²⁺-free) when available → write tables, JSON and the overlaid radius profile →
findings. Offline without the entry in the cache the stage is ``not_run``: no number is produced
without a structure behind it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import gemmi

from netpharm.config import from_mapping
from netpharm.errors import CacheMissError, FetchError, PoreAnalysisError, StructureError, StructureNotFoundError
from netpharm.nmda import files
from netpharm.nmda.config import NmdaConfig
from netpharm.nmda.findings import NmdaFindings
from netpharm.nmda.pore_geometry import analyse_pore
from netpharm.nmda.pore_io import read_structure_file, read_structure_text
from netpharm.nmda.pore_model import MgSite, PoreAnalysis
from netpharm.nmda.pore_outputs import findings, write_pore_outputs
from netpharm.sources.cache import Cache
from netpharm.sources.constants import is_pdb_id
from netpharm.sources.http import HttpClient
from netpharm.sources.rcsb import fetch_structure
from netpharm.stage import RunContext, StageOutcome, Status

__all__ = ["run_nmda_stage", "analyse_source", "LoadedStructure", "load_entry"]

log = logging.getLogger(__name__)
STAGE = "nmda"


@dataclass(frozen=True)
class LoadedStructure:
    """A parsed structure with the entry's subunit names and where it came from."""

    name: str
    structure: gemmi.Structure
    labels: dict[str, str]
    provenance: dict[str, Any]


def load_entry(pdb_id: str, cache: Cache, http: HttpClient | None = None) -> LoadedStructure:
    """Fetch ``pdb_id`` (mmCIF) through the cache and parse it.

    Raises
    ------
    CacheMissError
        Offline and not cached.
    FetchError, StructureNotFoundError
        Download failed / unknown id.
    """
    entry = fetch_structure(pdb_id, cache, http)
    structure, labels = read_structure_text(entry.text, pdb_id.upper())
    return LoadedStructure(pdb_id.upper(), structure, labels, entry.provenance())


def analyse_source(source: str | Path, cache: Cache, http: HttpClient | None = None,
                   config: NmdaConfig | None = None) -> PoreAnalysis:
    """Analyse a structure file, or a PDB id fetched through the cache (for ``netpharm nmda``).

    ``write_pore_outputs(analyse_source(src, cache, http), out_dir)`` is the whole command.

    Raises
    ------
    StructureNotFoundError
        ``source`` is neither an existing file nor a PDB id.
    CacheMissError, FetchError
        The entry could not be obtained.
    PoreAnalysisError
        The structure is not an NMDA-receptor-like channel (see :func:`analyse_pore`).
    """
    path = Path(source)
    if path.is_file():
        structure, labels = read_structure_file(path)
        loaded = LoadedStructure(structure.name, structure, labels, {"source": "file", "file": str(path)})
    elif is_pdb_id(str(source)):
        loaded = load_entry(str(source), cache, http)
    elif path.is_dir():
        raise StructureNotFoundError(f"{source}: a folder, not a structure file")
    else:
        raise StructureNotFoundError(f"{source}: neither a structure file nor a PDB id")
    return analyse_pore(loaded.structure, config, subunit_labels=loaded.labels, name=loaded.name)


def _load_primary(ctx: RunContext[NmdaConfig], cfg: NmdaConfig) -> LoadedStructure:
    if cfg.structure_file:
        path = ctx.run.resolve(cfg.structure_file)
        structure, labels = read_structure_file(path)
        return LoadedStructure(structure.name, structure, labels, {"source": "file", "file": str(path)})
    return load_entry(cfg.pdb_id, ctx.cache, ctx.http)


def run_nmda_stage(ctx: RunContext[NmdaConfig]) -> StageOutcome[NmdaFindings]:
    """The NMDA-pore stage: Mg²⁺ sites and channel geometry of a GluN1/GluN2B structure.

    The pore axis is fitted through the M3 helix layers anchored on the SYTANLAAF motif; the
    N-site asparagine ring (site of Mg²⁺ block; Mayer et al. 1984, Nowak et al. 1984) is found in
    the M2 loop; an observed Mg²⁺ is classified (pore site I, pore, NTD, other), else one is placed
    where it can sit (inner- or outer-sphere, clash-checked) and said to be placed, or reported as
    not fitting; the radius profile is the largest empty sphere per slice (HOLE; Smart et al. 1996),
    never negative. Side chains missing at the site and molecules bound in the pore are reported.
    A structure standing in for the paper's entry (``stand_in``) is named in the findings.

    Parameters
    ----------
    ctx : RunContext
        Uses ``ctx.config`` (default entry 9IYP, compared with the Mg²⁺-free 9IYQ).

    Returns
    -------
    StageOutcome[NmdaFindings]
        ``not_run`` without a structure (offline and not cached); no number is produced then.
    """
    cfg = ctx.config
    if not cfg.enabled:
        return StageOutcome(STAGE, "not_run", reason="nmda stage disabled (nmda.enabled = false)")
    wanted = cfg.structure_file or cfg.pdb_id
    try:
        primary = _load_primary(ctx, cfg)
    except CacheMissError:
        return StageOutcome(STAGE, "not_run", reason=f"structure {wanted} not in cache (offline)",
                            missing=[f"structure {wanted}"])
    except (FetchError, StructureError) as exc:
        return StageOutcome(STAGE, "not_run", reason=f"structure {wanted} unavailable: {exc}",
                            missing=[f"structure {wanted}"])
    try:
        analysis = analyse_pore(primary.structure, cfg, subunit_labels=primary.labels, name=primary.name)
    except PoreAnalysisError as exc:
        return StageOutcome(STAGE, "failed", reason=str(exc))
    missing = [w for w in analysis.warnings if "absent" in w]
    missing += [f"{analysis.structure}: side chain of {m.chain}/{m.resname.title()}{m.resnum} not modelled (N-site ring "
                "incomplete; not imputed)" for m in analysis.missing_side_chains if m.in_ring_window]
    compare = _compare(ctx, cfg, primary.name, missing)
    out_dir = ctx.stage_dir()
    paths = write_pore_outputs(analysis, out_dir, compare)
    outputs = [str(p.relative_to(ctx.run_dir)) for p in paths]
    facts = findings(analysis, compare, [o for o in outputs if o.endswith(files.FIGURE_SUFFIXES)])
    facts["statements"] = [_statement(a) for a in (analysis, *compare)]
    facts["data_sources"] = [primary.provenance]
    facts["paper_pdb"], facts["structure_role"] = cfg.paper_pdb, cfg.structure_role
    facts["stand_in"] = cfg.stand_in if cfg.structure_role == "stand_in" else ""
    if cfg.structure_role == "stand_in":
        facts["statements"].append(f"{primary.name} stands in for the paper's {cfg.paper_pdb}"
                                   + (f": {cfg.stand_in}" if cfg.stand_in else " (no reason given)") + ".")
    typed = from_mapping(NmdaFindings, facts, "nmda findings", complete=True)
    status: Status = "partial" if missing else "ok"
    reason = "; ".join(missing) if missing else ""
    for line in typed.statements:
        log.info(line)
    return StageOutcome(STAGE, status, reason=reason, missing=missing, outputs=outputs, findings=typed)


def _compare(ctx: RunContext[NmdaConfig], cfg: NmdaConfig, primary: str, missing: list[str]) -> tuple[PoreAnalysis, ...]:
    if not cfg.compare_pdb_id or cfg.compare_pdb_id.upper() == primary.upper():
        return ()
    try:
        loaded = load_entry(cfg.compare_pdb_id, ctx.cache, ctx.http)
        return (analyse_pore(loaded.structure, cfg, subunit_labels=loaded.labels, name=loaded.name),)
    except CacheMissError:
        missing.append(f"comparison structure {cfg.compare_pdb_id} not in cache (offline)")
    except (FetchError, StructureError, PoreAnalysisError) as exc:
        missing.append(f"comparison structure {cfg.compare_pdb_id}: {exc}")
    return ()


def _statement(a: PoreAnalysis) -> str:
    """One sentence per structure saying plainly whether the site-I Mg²⁺ was observed, placed or does not fit."""
    site_i = [s for s in a.mg_sites if s.classification == "pore_site_I"]
    others = [s for s in a.mg_sites if s.classification != "pore_site_I"]
    parts = [_site_sentence(a, s) for s in site_i]
    if a.placement is not None and a.placement.status == "does_not_fit":
        parts.append(f"no Mg²⁺ at site I and none placed: it {a.placement.reason}")
    if a.profile.occluded_z:
        parts.append(f"pore occluded at z {', '.join(f'{z:+.1f}' for z in a.profile.occluded_z)} Å")
    parts.append(f"narrowest pore radius {a.profile.minimum[1]:.2f} Å at z {a.profile.minimum[0]:+.1f} Å")
    for g in a.pore_ligands:
        parts.append(f"{g.ligand} bound in the pore at z {g.z_min:+.1f}…{g.z_max:+.1f} Å (centroid {g.z:+.1f} Å, "
                     f"{g.radial:.1f} Å off axis; closest: "
                     + ", ".join(f"{c.label} {c.distance:.2f} Å" for c, _ in g.contacts[:3]) + ")")
    ring_gaps = [m for m in a.missing_side_chains if m.in_ring_window]
    if ring_gaps:
        parts.append("N-site ring incomplete: side chain not modelled for "
                     + ", ".join(f"{m.chain}/{m.resname.title()}{m.resnum}" for m in ring_gaps))
    if others:
        counts = ", ".join(f"{sum(s.classification == c for s in others)} {c}"
                           for c in ("pore", "ntd", "other") if any(s.classification == c for s in others))
        parts.append(f"other Mg²⁺ observed: {counts}")
    return f"{a.structure}: " + "; ".join(parts) + f" (N-site ring radius {a.nsite_ring.radius:.2f} Å)."


def _site_sentence(a: PoreAnalysis, s: MgSite) -> str:
    height = f"{s.z:+.2f}".replace("-0.00", "+0.00")
    depth = f", geometric depth δ = {s.delta:.2f}" if s.delta is not None else ""
    where = f"{height} Å from the N-site ring plane, {s.radial:.2f} Å off axis{depth}"
    if s.kind == "observed":
        shell = ", ".join(f"{c.label} {c.distance:.2f} Å" for c in s.coordinating) or "no atom within the direct cut-off"
        return f"site I Mg²⁺ OBSERVED in the entry at {where}; direct coordination: {shell}"
    ligands = ", ".join(f"{c.label} {c.distance:.2f} Å" for c in s.ligands)
    nearest = (f"; nearest other heavy atom {s.nearest_other.label} {s.nearest_other.distance:.2f} Å"
               if s.nearest_other else "")
    return f"site I Mg²⁺ not observed; PLACED ({s.coordination}) at {where}; ligands: {ligands}{nearest}"

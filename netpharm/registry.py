"""The one registry of stages, and the workflow configuration.

Everything that lists the stages derives from :data:`STAGES`: the allowed ``stages`` names and
their default order, the resume fingerprint of each stage (its sections and those of every
stage it reads, transitively), the claim kinds a workflow may use, the report's sections and
the CLI's help. A new stage is one package exporting a :class:`~netpharm.stage.Stage`, one line
in :data:`STAGES` and, when it has a config section, one field of :class:`WorkflowConfig`
(``tests/test_contract.py`` checks the fields against the registry).

Precedence of values is defaults < workflow file < command-line flags. Unknown keys are
rejected with the section named (:func:`netpharm.config.from_mapping`).
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from netpharm import compounds, docking, enrichment, network, nmda
from netpharm.compounds.config import CompoundsConfig
from netpharm.config import from_mapping, merge, read_toml, to_mapping
from netpharm.docking.config import DockingConfig
from netpharm.enrichment.config import EnrichmentConfig
from netpharm.errors import ConfigError
from netpharm.hubs.config import HubsConfig
from netpharm.io import plain_name
from netpharm.network.config import NetworkConfig
from netpharm.nmda.config import NmdaConfig
from netpharm.sources.config import SourcesConfig
from netpharm.stage import RunContext, RunFacts, Stage, StageOutcome
from netpharm.targets import SYMBOL, read_targets, warn_if_large
from netpharm.verdict import Claim, ClaimKind, claim_kinds, parse_claims

if TYPE_CHECKING:  # importing the HTTP layer loads requests: not at workflow load
    from netpharm.compounds.config import PathwayInput
    from netpharm.sources.cache import Cache
    from netpharm.sources.http import HttpClient

__all__ = ["STAGES", "STAGE_NAMES", "REPORT", "STEP_NAMES", "stage", "stages", "fingerprint_sections",
           "WorkflowConfig", "ReportConfig", "load_workflow", "apply_overrides", "resolve_targets", "targets_from_compounds",
           "workflow_claims",
           "registered_claim_kinds", "stage_context", "expand_config"]

log = logging.getLogger(__name__)
S = TypeVar("S")

#: The analysis stages, in run order. A new stage is one line here plus its package's ``STAGE``.
#: NCBI taxon ids are far below this (the largest are about 3.5 million); a larger number is a typo
MAX_TAXON = 100_000_000

STAGES: tuple[Stage[Any], ...] = (compounds.STAGE, network.STAGE, enrichment.STAGE, compounds.CTP_STAGE, docking.STAGE,
                                  nmda.STAGE)
STAGE_NAMES: tuple[str, ...] = tuple(s.name for s in STAGES)
#: The last step of a run: the report of everything before it (``netpharm.report``), not a stage.
REPORT = "report"
#: What a workflow's ``stages`` may list, in run order.
STEP_NAMES: tuple[str, ...] = (*STAGE_NAMES, REPORT)
#: The compound–target–pathway step, whose input the workflow fills (:func:`expand_config`).
CTP_NAME = compounds.CTP_STAGE.name


def stages() -> tuple[Stage[Any], ...]:
    """The registered stages (read at call time, so a test may register one more)."""
    return STAGES


def _check_registry(registered: tuple[Stage[Any], ...]) -> None:
    """Fail if the registry is inconsistent (a read of an unknown or later stage, a section twice)."""
    seen: set[str] = set()
    sections: set[str] = set()
    for s in registered:
        late = [r for r in s.reads if r not in seen]
        if late:
            raise RuntimeError(f"stage {s.name} reads {late}, which are not earlier stages")
        dup = sections & set(s.sections)
        if dup:
            raise RuntimeError(f"config section(s) {sorted(dup)} owned by two stages")
        seen.add(s.name)
        sections |= set(s.sections)


_check_registry(STAGES)


def stage(name: str) -> Stage[Any]:
    """The registered stage ``name``.

    Raises
    ------
    ConfigError
        Not a stage name (the allowed names are listed).
    """
    for s in stages():
        if s.name == name:
            return s
    raise ConfigError(f"unknown stage {name!r}; choose from {[s.name for s in stages()] + [REPORT]}")


def fingerprint_sections(name: str) -> tuple[str, ...]:
    """Config sections a stage's resume fingerprint covers: its own and those of every stage it reads.

    Transitive, in registry order: if enrichment reads network, a changed ``[network]`` or
    ``[hubs]`` re-runs enrichment on ``--resume``.
    """
    wanted: set[str] = set()
    todo = [name]
    while todo:
        current = stage(todo.pop())
        if current.name not in wanted:
            wanted.add(current.name)
            todo.extend(current.reads)
    return tuple(sec for s in stages() if s.name in wanted for sec in s.sections)


@dataclass(frozen=True)
class ReportConfig:
    """What the final report includes (``[report]``).

    Attributes
    ----------
    enabled : bool
    title : str
        Page title (default: ``netpharm report: <workflow name>``).
    pose_cards : int
        How many best poses (lowest energy first) get a full card in the docking section: 2-D
        diagram, 3-D view, interaction profile. Every pose stays in the section's sortable table and
        its one 3-D viewer; the paper's three systems are well under the default. The docking stage
        draws the 2-D diagrams of these poses (and of every redocking case) only, so a changed value
        re-runs it on ``--resume`` (finished jobs are not docked again; valid diagrams are kept).
    """

    enabled: bool = True
    title: str = ""
    pose_cards: int = 10

    def __post_init__(self) -> None:
        if isinstance(self.pose_cards, bool) or not isinstance(self.pose_cards, int) or self.pose_cards < 0:
            raise ValueError(f"pose_cards must be an integer >= 0, got {self.pose_cards!r}")


@dataclass(frozen=True)
class WorkflowConfig:
    """A whole netpharm run: the run-wide fields, then one field per config section of the registry.

    Attributes
    ----------
    name : str
        Run name; the default output folder is ``results/<name>``.
    targets : str
        Path of the target list (one symbol per line, ``#`` comments), relative to the
        workflow file. Ignored if ``target_list`` is given.
    target_list : list of str
        Targets given inline.
    species : int
        NCBI taxon id; sent to STRING and checked against every import (the offline
        enrichment's shipped annotations are human only).
    offline : bool
        Never touch the network; every remote request must be in the cache.
    cache_dir : str
        Cache folder, relative to the workflow file.
    stages : list of str
        Stages to run, in order (default: every registered stage, then the report).
    claims : list of tables
        The paper's claims to check (``[[claims]]``: ``id``, ``text``, ``kind`` and the kind's
        parameters; each kind is a class in its stage's ``claims.py``). Validated at load.
    sources : SourcesConfig
        HTTP timeouts, retries, overall deadline and the RCSB/PubChem hosts (``[sources]``).
    base_dir : str
        Folder the workflow file was read from (set by netpharm): relative paths resolve against it.
    compounds, network, hubs, enrichment, docking, nmda : the stages' sections. With ``[[compounds.disease]]``
        tables, no ``target_list`` and ``targets`` at its default, the targets are the compounds' common targets.
    report : ReportConfig
    """

    name: str = "netpharm"
    description: str = ""
    targets: str = "targets.txt"
    target_list: tuple[str, ...] = ()
    species: int = 9606
    offline: bool = False
    cache_dir: str = "cache"
    stages: tuple[str, ...] = STEP_NAMES
    claims: tuple[dict[str, Any], ...] = ()
    sources: SourcesConfig = field(default_factory=SourcesConfig)
    base_dir: str = "."
    compounds: CompoundsConfig = field(default_factory=CompoundsConfig)
    network: NetworkConfig = field(default_factory=NetworkConfig)
    hubs: HubsConfig = field(default_factory=HubsConfig)
    enrichment: EnrichmentConfig = field(default_factory=EnrichmentConfig)
    docking: DockingConfig = field(default_factory=DockingConfig)
    nmda: NmdaConfig = field(default_factory=NmdaConfig)
    report: ReportConfig = field(default_factory=ReportConfig)

    def __post_init__(self) -> None:
        try:
            plain_name(self.name, "workflow name")  # it becomes results/<name>
        except ValueError as exc:
            raise ConfigError(str(exc)) from exc
        allowed = [s.name for s in stages()] + [REPORT]
        bad = [s for s in self.stages if s not in allowed]
        if bad:
            raise ConfigError(f"unknown stage(s) {bad}; choose from {sorted(allowed)}")
        if not 0 < self.species < MAX_TAXON:
            raise ConfigError(f"species must be an NCBI taxon id (e.g. 9606 human, 10116 rat), got {self.species}")
        # Any STRING species: the network stage serves them all; the enrichment stage runs STRING's
        # enrichment for it and the offline ORA only on annotation files for that species (the shipped
        # ones are human; [enrichment] go_obo/go_annotations/gene_sets for others), saying so otherwise.

    def resolve(self, path: str) -> Path:
        """Resolve a path from the workflow file against its folder."""
        return self.facts().resolve(path)

    def facts(self) -> RunFacts:
        """The run-level facts every stage receives."""
        return RunFacts(self.name, self.species, self.offline, self.base_dir, self.report.pose_cards)

    def section(self, cls: type[S]) -> S:
        """The section of type ``cls`` (``config.section(DockingConfig)``), for claims checking themselves."""
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if isinstance(value, cls):
                return value
        raise KeyError(f"no config section of type {cls.__name__}")


#: The ``targets`` field's default: a workflow that leaves it there names no target file of its own.
_DEFAULT_TARGETS = "targets.txt"


def targets_from_compounds(config: WorkflowConfig) -> bool:
    """The workflow's targets are the compounds' common targets: compound and disease tables, no ``target_list``
    and ``targets`` left at its default (an explicit list always wins)."""
    return config.compounds.gives_targets and not config.target_list and config.targets == _DEFAULT_TARGETS


def resolve_targets(config: WorkflowConfig) -> list[str]:
    """The workflow's targets: ``target_list`` (deduplicated, order kept), the compounds' common targets
    (:func:`targets_from_compounds`) or the ``targets`` file.

    Raises
    ------
    CompoundsError
        A compound or disease file cannot be read (file, line and column named).
    """
    if targets_from_compounds(config):
        from netpharm.compounds.intersect import common_targets  # reads files: only for this recipe

        common = common_targets(config.compounds, config.facts())
        if config.resolve(_DEFAULT_TARGETS).is_file():
            log.info("targets: the %d common targets of [compounds], not %s (set `targets` or `target_list` "
                     "to use a list)", len(common), _DEFAULT_TARGETS)
        if not common:
            log.warning("[compounds]: the compound targets and the disease genes have no target in common")
        warn_if_large(common, "the common targets")
        return common
    if config.target_list:
        for index, symbol in enumerate(config.target_list):
            if not SYMBOL.match(symbol):
                raise ConfigError(f"target_list[{index}]: {symbol!r} is not a gene symbol")
        deduped = list(dict.fromkeys(config.target_list))
        if len(deduped) != len(config.target_list):
            log.warning("duplicate targets in target_list ignored")
        warn_if_large(deduped, "target_list")
        return deduped
    if not {"network", "enrichment"} & set(config.stages) and not config.resolve(config.targets).is_file():
        return []  # e.g. `netpharm dock`: docking needs receptors and ligands, not a target list
    return read_targets(config.resolve(config.targets))


def registered_claim_kinds() -> dict[str, type[ClaimKind]]:
    """kind → class, over the claims modules (or packages) of the registered stages."""
    modules = set()
    for s in stages():
        s.load_claims()
        modules.add(s.claims)
    return {k: cls for k, cls in claim_kinds().items()
            if any(cls.__module__ == m or cls.__module__.startswith(m + ".") for m in modules)}


def workflow_claims(config: WorkflowConfig) -> tuple[Claim[ClaimKind], ...]:
    """The workflow's ``[[claims]]``, parsed and checked against its targets and sections.

    Raises
    ------
    ConfigError
        Naming the claim (see :func:`netpharm.verdict.parse_claims`).
    """
    return parse_claims(config.claims, lambda: resolve_targets(config), config, registered_claim_kinds())


def _validated(config: WorkflowConfig) -> WorkflowConfig:
    workflow_claims(config)
    return config


def load_workflow(path: Path | str | None, overrides: Mapping[str, Any] | None = None) -> WorkflowConfig:
    """Read a workflow TOML (``None`` = defaults only) and apply ``overrides``.

    ``overrides`` use the file's nesting, e.g. ``{"network": {"required_score": 700}}``;
    they come from command-line flags and win over the file. The ``[[claims]]`` are checked
    here (unknown kind, missing parameter, a claim that cannot fail, docking system not in
    the workflow: a :class:`ConfigError` naming the claim; a protein absent from the targets
    is judged by the claim's verdict, not refused).
    """
    data: dict[str, Any] = {}
    base_dir = Path.cwd()
    if path is not None:
        path = Path(path)
        data = read_toml(path)
        if not data:  # an empty file passed by mistake would run every default stage online
            raise ConfigError(f"{path}: the workflow file holds no settings (not even a name); start from "
                              "`netpharm init` or a file in workflows/")
        if "base_dir" in data:
            raise ConfigError(f"{path}: 'base_dir' is set by netpharm, not by the file")
        base_dir = path.resolve().parent
    data = merge(data, overrides or {})
    data.setdefault("base_dir", str(base_dir))
    return _validated(from_mapping(WorkflowConfig, data, str(path) if path else "workflow"))


def apply_overrides(config: WorkflowConfig, overrides: Mapping[str, Any]) -> WorkflowConfig:
    """Return ``config`` with ``overrides`` merged in (re-validated)."""
    merged = merge(to_mapping(config), overrides)
    return _validated(from_mapping(WorkflowConfig, merged, "workflow"))


def stage_context(config: WorkflowConfig, name: str, targets: list[str], run_dir: Path, cache: Cache,
                  http: HttpClient) -> RunContext[Any]:
    """The context stage ``name`` runs in: its own section, the sections it owns or reads, the run's facts."""
    spec = stage(name)
    own = [getattr(config, sec) for sec in spec.sections]
    readable = {type(value): value for value in (getattr(config, sec) for sec in fingerprint_sections(name))}
    return RunContext(name, own[0] if own else None, config.facts(), targets, Path(run_dir), cache, http, readable)


def expand_config(config: WorkflowConfig, name: str, outcome: Callable[[str], StageOutcome[Any] | None],
                  run_dir: Path | None = None) -> WorkflowConfig:
    """The configuration stage ``name`` runs with, once the stages before it have run (``outcome(stage)``: that
    stage's outcome in this run, or None; ``run_dir``: where their tables are).

    Two cases. ``[docking.matrix]`` becomes the docking stage's ligands (the top compounds of the
    compounds stage's compound–target network) and systems (those whose ``target`` is a top hub of the network
    stage), :func:`netpharm.docking.matrix.build_matrix`. ``[compounds] pathway_network`` becomes the
    ``ct_pathway`` step's input: the compounds' targets and the top enriched terms with their members
    (:func:`_pathway_input`). Done here, not in the stages, so a stage reads no other stage and its resume
    fingerprint is what it builds from, not every upstream setting.
    """
    if name == CTP_NAME and config.compounds.active and config.compounds.pathway_terms:
        chosen = _pathway_input(config, outcome, run_dir)
        return dataclasses.replace(config, compounds=dataclasses.replace(config.compounds, pathway_network=chosen))
    if name != "docking" or not config.docking.matrix.active:
        return config
    from netpharm.compounds.findings import CompoundsFindings
    from netpharm.docking.matrix import CompoundChoice, build_matrix
    from netpharm.network.findings import NetworkFindings

    compounds: list[CompoundChoice] | None = None
    found = outcome("compounds")
    f = found.findings if found is not None and found.usable else None
    if isinstance(f, CompoundsFindings) and f.ct_network is not None:
        compounds = [CompoundChoice(n, rank, record.smiles if (record := f.compound(n)) is not None else "")
                     for n, rank in f.ct_network.ranks("compound").items()]
    hub_ranks: dict[str, int] | None = None
    found = outcome("network")
    if found is not None and found.usable and isinstance(found.findings, NetworkFindings):
        hub_ranks = found.findings.hub_ranks.get(config.docking.matrix.method)
    return dataclasses.replace(config, docking=build_matrix(config.docking, compounds, hub_ranks))


def _pathway_input(config: WorkflowConfig, outcome: Callable[[str], StageOutcome[Any] | None],
                   run_dir: Path | None) -> PathwayInput:
    """The ``ct_pathway`` step's input: every compound's targets (compounds stage) and the top
    ``[compounds] pathway_terms`` terms of ``pathway_source`` by FDR with their member genes (enrichment stage:
    STRING's table or the offline ORA's, per ``pathway_enrichment``), or the notes saying why there are none."""
    from netpharm.compounds.config import CompoundLinks, PathwayInput
    from netpharm.compounds.findings import CompoundsFindings
    from netpharm.compounds.pathways import choose_terms
    from netpharm.enrichment.findings import EnrichmentFindings

    cfg = config.compounds
    found = outcome("compounds")
    f = found.findings if found is not None and found.usable else None
    if not isinstance(f, CompoundsFindings) or not f.pairs():
        why = found.why_unusable() if found is not None and not found.usable else "compounds stage not run"
        return PathwayInput(built=True, notes=(why if f is None else "the compound tables hold no compound → target "
                                               "pair",))
    links = tuple(CompoundLinks(c.name, c.targets) for c in f.compounds if c.targets)
    got = outcome("enrichment")
    e = got.findings if got is not None and got.usable else None
    if not isinstance(e, EnrichmentFindings) or run_dir is None:
        why = ("enrichment stage not run" if got is None else got.why_unusable() if e is None
               else "the run folder holding the enrichment's tables was not given")
        return PathwayInput(built=True, compounds=links, notes=(why,))
    which, rows, why = _enriched_rows(cfg.pathway_source, cfg.pathway_enrichment, e, Path(run_dir))
    if rows is None:
        return PathwayInput(built=True, compounds=links, category=cfg.pathway_source, notes=(why,))
    query = (*e.query_genes, *e.unknown_symbols)  # the enrichment's query: the workflow's targets
    terms, notes = choose_terms(rows, cfg.pathway_terms, e.fdr_threshold, query)
    if not terms:
        notes = [f"no {cfg.pathway_source} term below FDR {e.fdr_threshold:g} in {which}'s enrichment", *notes]
    else:
        notes = [f"the {len(terms)} {cfg.pathway_source} terms of lowest FDR (< {e.fdr_threshold:g}) in {which}'s "
                 f"enrichment ([compounds] pathway_terms = {cfg.pathway_terms})", *notes]
    return PathwayInput(True, links, terms, which, cfg.pathway_source, e.fdr_threshold, tuple(notes))


def _enriched_rows(category: str, wanted: str, e: Any, run_dir: Path) -> tuple[str, list[Any] | None, str]:
    """(``"STRING"`` / ``"offline ORA"``, the category's term rows or None, why None): STRING's when asked for, or
    with ``auto`` when the run has STRING's answer or the offline ORA lacks the category (KEGG); else the ORA's."""
    from netpharm.compounds.config import OFFLINE_PATHWAY_SOURCES
    from netpharm.compounds.pathways import TermRow
    from netpharm.enrichment.terms import offline_terms, string_terms

    use_string = wanted == "string" or (wanted == "auto" and (e.string_enrichment_cached
                                                               or category not in OFFLINE_PATHWAY_SOURCES))
    if use_string:
        found = string_terms(run_dir, category)
        if found is None:
            offline = ("" if category in OFFLINE_PATHWAY_SOURCES or not e.offline_ora else
                       "; or set [compounds] pathway_source = \"Reactome\" or \"BP\" for the offline ORA's terms")
            return "STRING", None, (f"no STRING enrichment in this run for the {category} terms (the API answer is not "
                                    "in the cache, or string_enrichment is off; `netpharm import FILE --kind "
                                    f"enrichment` records a downloaded one{offline})")
    elif not e.offline_ora:
        return "offline ORA", None, "the offline ORA did not run (see the enrichment stage's missing list)"
    else:
        found = offline_terms(run_dir, category)
        if found is None:
            return "offline ORA", None, f"the offline ORA has no {category} table in this run"
    rows = [TermRow(t.term, t.name, t.fdr, t.p_value, t.genes) for t in found]
    return ("STRING" if use_string else "offline ORA"), rows, ""

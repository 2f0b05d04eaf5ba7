"""Claims as data: the ``[[claims]]`` tables of a workflow, parsed and checked at load.

Each claim is a table with an ``id``, the paper's ``text``, a ``kind`` and the kind's
parameters (exactly these key names; other workflows and scripts rely on them):

============== ============================================================ ===============================
kind           parameters                                                   verdict from
============== ============================================================ ===============================
most_connected protein, metric (default "Degree": a NetworkAnalyzer column) the metric, with the bounds
                                                                            unknown pairs allow (Degree)
hub            proteins, method (default "MCC"), max_rank                   each protein's tie-aware rank
top_hubs       method (default "MCC"), n, expected, min_overlap (1.0),      |found ∩ expected| / n; Kendall
               ordered (true), expected_ranks (optional: the published      τ when ``expected`` is ordered;
               tie-aware ranks, one per ``expected``)                       rank-by-rank match if ranks given
ppi_enrichment alpha (default 0.05)                                         STRING's own p-value only
enriched       category (BP, MF, CC, KEGG, Reactome; or a list), terms      each term's FDR in that source
               (ids or exact names; a list = alternatives), fdr (0.05),
               source ("string", "offline", "any"; default "any")
docking        systems, max_energy (kcal/mol), contact ("A:147" or          each system's best pose
               "D3.32"; optional), salt_bridge (default true),              of that ligand (ProLIF
               ligand (default "morphine"), interactions (optional:         profile for interactions)
               "TYPE:RESIDUE" strings, e.g. "hbond:A:147")
redocking      case, max_rmsd (default 2.0)                                 symmetry-corrected RMSD of the
                                                                            best-energy pose
pore_ion       ion (default "MG"), site (e.g. "N-site")                     the NMDA stage's sites,
                                                                            observed vs placed
============== ============================================================ ===============================

Light module (no numerical import): :func:`netpharm.registry.load_workflow` calls
:func:`parse_claims`, so an invalid claim is a one-line :class:`ConfigError` naming it before
anything runs.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from netpharm.config import from_mapping
from netpharm.docking.profile_query import parse_requirement
from netpharm.errors import ConfigError, InputError, InteractionError
from netpharm.hubs.config import ALL_METHODS
from netpharm.network.files import NETWORK_ANALYZER_COLUMNS
from netpharm.targets import resolve_targets

if TYPE_CHECKING:
    from netpharm.registry import WorkflowBase

__all__ = ["Claim", "KIND_PARAMETERS", "NETWORK_ANALYZER_COLUMNS", "SITE_CLASSES", "parse_claims", "claim_from_table",
           "MostConnected", "Hub", "TopHubs", "PpiEnrichmentClaim", "Enriched", "Docking", "Redocking", "PoreIon"]

#: Names a ``pore_ion`` claim may give its site, and the NMDA stage's classification they mean.
SITE_CLASSES: dict[str, str] = {"n-site": "pore_site_I", "site i": "pore_site_I", "pore_site_i": "pore_site_I",
                                "pore": "pore"}
_CONTACT = re.compile(r"^(?:[A-Za-z0-9]{1,4}:-?\d+[A-Za-z]?|[A-Z]\d\.\d{2})$")


@dataclass(frozen=True)
class MostConnected:
    """``most_connected``: ``protein`` has the highest ``metric`` of the network."""

    protein: str
    metric: str = "Degree"


@dataclass(frozen=True)
class Hub:
    """``hub``: every protein of ``proteins`` has a cytoHubba ``method`` rank ≤ ``max_rank`` (ties share a rank)."""

    proteins: tuple[str, ...]
    max_rank: int
    method: str = "MCC"


@dataclass(frozen=True)
class TopHubs:
    """``top_hubs``: the paper's published top-``n`` by ``method`` (``expected``, in rank order if ``ordered``).

    ``expected_ranks`` (optional) are the published ranks, one per ``expected`` protein, as cytoHubba
    prints them (ties share a rank: 1, 2, 2, 2, 5, ...); when given, each rank is compared with
    netpharm's and Kendall τ is computed between the two rank lists (τ-b, so shared ranks count as ties
    on both sides rather than as disagreements).
    """

    n: int
    expected: tuple[str, ...]
    method: str = "MCC"
    min_overlap: float = 1.0
    ordered: bool = True
    expected_ranks: tuple[int, ...] = ()


@dataclass(frozen=True)
class PpiEnrichmentClaim:
    """``ppi_enrichment``: STRING's PPI-enrichment p-value is below ``alpha``."""

    alpha: float = 0.05


@dataclass(frozen=True)
class Enriched:
    """``enriched``: every term of ``terms`` has FDR < ``fdr`` in ``category`` of ``source``.

    A term is a GO/Reactome/KEGG id or an exact term name; a list of terms stands for one
    theme with alternatives (the best FDR counts), e.g. the three Reactome "CREB1
    phosphorylation" pathways.
    """

    category: str | tuple[str, ...]
    terms: tuple[str | tuple[str, ...], ...]
    fdr: float = 0.05
    source: Literal["string", "offline", "any"] = "any"


@dataclass(frozen=True)
class Docking:
    """``docking``: in each of ``systems`` the best pose has energy ≤ ``max_energy`` kcal/mol, touches
    ``contact`` (a residue "A:147" or a generic Ballesteros–Weinstein position "D3.32") and, if
    ``salt_bridge``, holds the protonated amine in a salt bridge with Asp3.32. ``ligand`` picks the
    ligand of a campaign (the paper's morphine by default).

    ``interactions`` lists further interactions the best pose's ProLIF profile must show, each
    ``"TYPE:RESIDUE"``: TYPE a netpharm kind (salt_bridge, hbond, cation_pi, pi_stacking,
    halogen_bond, hydrophobic), a ProLIF class (``HBDonor``: the ligand donates), ``any`` or an
    alias (ionic, h-bond, hydrogen bond, pi-stacking, halogen, contact); RESIDUE ``A:147``,
    ``A:ASP147``, ``ASP147``, ``147`` or the generic ``D3.32``, resolved per receptor
    (:func:`netpharm.docking.profile_query.parse_requirement`)."""

    systems: tuple[str, ...]
    max_energy: float
    contact: str = ""
    salt_bridge: bool = True
    ligand: str = "morphine"
    interactions: tuple[str, ...] = ()


@dataclass(frozen=True)
class Redocking:
    """``redocking``: the best-energy pose of redocking ``case`` is within ``max_rmsd`` Å of the crystal pose."""

    case: str
    max_rmsd: float = 2.0


@dataclass(frozen=True)
class PoreIon:
    """``pore_ion``: an ``ion`` sits at ``site`` of the NMDA receptor pore (observed beats placed)."""

    site: str
    ion: str = "MG"


KIND_PARAMETERS: dict[str, type] = {
    "most_connected": MostConnected, "hub": Hub, "top_hubs": TopHubs, "ppi_enrichment": PpiEnrichmentClaim,
    "enriched": Enriched, "docking": Docking, "redocking": Redocking, "pore_ion": PoreIon}
_CATEGORIES = ("BP", "MF", "CC", "KEGG", "Reactome")


@dataclass(frozen=True)
class Claim:
    """One claim of a workflow: its number (position), id, text, kind and typed parameters."""

    number: int
    id: str
    text: str
    kind: str
    params: Any


def claim_from_table(number: int, table: Mapping[str, Any]) -> Claim:
    """Parse one ``[[claims]]`` table (kind and parameters; no cross-check with the workflow).

    Raises
    ------
    ConfigError
        No id/text/kind, an unknown kind, a missing or unknown parameter, a wrong type.
    """
    cid = table.get("id")
    where = f"claim {cid!r}" if isinstance(cid, str) and cid else f"claims[{number - 1}]"
    for key in ("id", "text", "kind"):
        if not isinstance(table.get(key), str) or not table[key].strip():
            raise ConfigError(f"{where}: '{key}' must be a non-empty string")
    kind = str(table["kind"])
    if kind not in KIND_PARAMETERS:
        raise ConfigError(f"{where}: unknown kind {kind!r}; choose from {sorted(KIND_PARAMETERS)}")
    cls = KIND_PARAMETERS[kind]
    params = {k: v for k, v in table.items() if k not in ("id", "text", "kind")}
    required = [f.name for f in dataclasses.fields(cls)
                if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING]
    absent = [r for r in required if r not in params]
    if absent:
        raise ConfigError(f"{where} ({kind}): missing parameter(s) {absent}")
    return Claim(number, str(cid), str(table["text"]), kind, from_mapping(cls, params, f"{where} ({kind})"))


def _check_values(claim: Claim) -> None:
    p, where = claim.params, f"claim {claim.id!r} ({claim.kind})"
    if isinstance(p, MostConnected) and p.metric not in NETWORK_ANALYZER_COLUMNS:
        raise ConfigError(f"{where}: metric {p.metric!r} is not a NetworkAnalyzer column; "
                          f"choose from {list(NETWORK_ANALYZER_COLUMNS)}")
    if isinstance(p, (Hub, TopHubs)) and p.method not in ALL_METHODS:
        raise ConfigError(f"{where}: method {p.method!r} is not a cytoHubba method; choose from {list(ALL_METHODS)}")
    if isinstance(p, Hub) and (p.max_rank < 1 or not p.proteins):
        raise ConfigError(f"{where}: needs at least one protein and max_rank >= 1")
    if isinstance(p, TopHubs) and (p.n < 1 or not p.expected or not 0.0 < p.min_overlap <= 1.0):
        raise ConfigError(f"{where}: needs n >= 1, a non-empty 'expected' and 0 < min_overlap <= 1")
    if isinstance(p, TopHubs) and p.expected_ranks and (
            len(p.expected_ranks) != len(p.expected) or any(r < 1 for r in p.expected_ranks)
            or list(p.expected_ranks) != sorted(p.expected_ranks)):
        raise ConfigError(f"{where}: expected_ranks must give one rank >= 1 per 'expected' protein "
                          f"({len(p.expected)}), in non-decreasing order; got {list(p.expected_ranks)}")
    if isinstance(p, (PpiEnrichmentClaim,)) and not 0.0 < p.alpha < 1.0:
        raise ConfigError(f"{where}: alpha must be within (0, 1)")
    if isinstance(p, Enriched):
        cats = (p.category,) if isinstance(p.category, str) else p.category
        bad = [c for c in cats if c not in _CATEGORIES]
        if bad or not cats:
            raise ConfigError(f"{where}: category {bad or cats!r} not in {list(_CATEGORIES)}")
        if not p.terms or not 0.0 < p.fdr <= 1.0:
            raise ConfigError(f"{where}: needs at least one term and 0 < fdr <= 1")
    if isinstance(p, Docking):
        if not p.systems:
            raise ConfigError(f"{where}: needs at least one docking system")
        if p.contact and not _CONTACT.match(p.contact):
            raise ConfigError(f"{where}: contact {p.contact!r} is neither a residue like 'A:147' nor a generic "
                              "position like 'D3.32'")
        if p.contact and "." in p.contact and p.contact.upper() != "D3.32":
            raise ConfigError(f"{where}: contact {p.contact!r}: of the generic positions the docking stage "
                              "locates only D3.32 (from the TM3 motif); give a residue like 'A:147'")
        for entry in p.interactions:
            try:
                parse_requirement(entry)
            except InteractionError as exc:
                raise ConfigError(f"{where}: interactions entry {entry!r}: {exc}") from exc
    if isinstance(p, Redocking) and p.max_rmsd <= 0:
        raise ConfigError(f"{where}: max_rmsd must be > 0")
    if isinstance(p, PoreIon):
        if p.ion.upper() != "MG":
            raise ConfigError(f"{where}: ion {p.ion!r}: the nmda stage locates Mg²⁺ only ('MG')")
        if p.site.lower() not in SITE_CLASSES:
            raise ConfigError(f"{where}: site {p.site!r} unknown; choose from {sorted(SITE_CLASSES)}")


def _proteins(claim: Claim) -> tuple[str, ...]:
    p = claim.params
    if isinstance(p, MostConnected):
        return (p.protein,)
    if isinstance(p, Hub):
        return p.proteins
    if isinstance(p, TopHubs):
        return p.expected
    return ()


def _check_against(claims: list[Claim], config: WorkflowBase) -> None:
    """Proteins must be targets; docking systems and redocking cases must be in the workflow."""
    named = [c for c in claims if _proteins(c)]
    if named:
        try:
            targets = set(resolve_targets(config))
        except InputError as exc:
            raise ConfigError(f"claim {named[0].id!r}: cannot check its proteins against the targets: {exc}") from exc
        for c in named:
            absent = [x for x in _proteins(c) if x not in targets]
            if absent:
                raise ConfigError(f"claim {c.id!r} ({c.kind}): {', '.join(absent)} not among the workflow's targets")
    docking = getattr(config, "docking", None)
    systems = {s.name for s in getattr(docking, "systems", ())}
    cases = {r.name for r in getattr(docking, "redock", ())}
    for c in claims:
        if isinstance(c.params, Docking):
            absent = [s for s in c.params.systems if s not in systems]
            if absent:
                raise ConfigError(f"claim {c.id!r} (docking): system(s) {absent} not in the workflow's "
                                  f"[[docking.systems]] ({sorted(systems)})")
        if isinstance(c.params, Redocking) and c.params.case not in cases:
            raise ConfigError(f"claim {c.id!r} (redocking): case {c.params.case!r} not in the workflow's "
                              f"[[docking.redock]] ({sorted(cases)})")


def parse_claims(config: WorkflowBase) -> tuple[Claim, ...]:
    """The workflow's ``[[claims]]``, parsed and checked against its targets and docking systems.

    Raises
    ------
    ConfigError
        Naming the claim: unknown kind, missing/unknown parameter, bad value, a protein not
        among the targets, a docking system or redocking case not in the workflow, a repeated id.
    """
    claims = [claim_from_table(i, t) for i, t in enumerate(config.claims, start=1)]
    ids = [c.id for c in claims]
    dup = sorted({i for i in ids if ids.count(i) > 1})
    if dup:
        raise ConfigError(f"claims: id(s) {dup} used twice")
    for c in claims:
        _check_values(c)
    _check_against(claims, config)
    return tuple(claims)

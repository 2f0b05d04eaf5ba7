"""Claims as data and their verdicts: the one definition of a claim, a claim kind and a verdict.

A workflow's ``[[claims]]`` tables each have an ``id``, the paper's ``text``, a ``kind`` and the
kind's parameters. A claim kind is **one class** in the owning stage's ``claims.py``: a frozen
parameter dataclass that validates its own values (``__post_init__`` raising ``ValueError``)
and evaluates itself on a run (:meth:`ClaimKind.evaluate`). Subclassing registers it under its
``kind`` (the pattern of ProLIF's interaction classes), so a new kind touches no other module.

Every verdict is one of :data:`VERDICTS`; a verdict computed on partial data says so in
``data_completeness`` and, when the missing data could change it, is at most "partially
supported". Nothing missing is recomputed and passed off as the paper's source.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Generic, Literal, Protocol, TypeVar, get_args

from netpharm.config import from_mapping
from netpharm.errors import ConfigError, InputError, ReportError
from netpharm.io import read_tsv
from netpharm.stage import Stage, StageOutcome, read_outcome

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["VerdictLabel", "VERDICTS", "NOT_RUN", "VERDICT_COLUMNS", "Verdict", "Claim", "ClaimKind", "RunView",
           "SectionSource", "claim_kinds", "claim_from_table", "parse_claims", "evaluate", "verdict", "unusable",
           "usable_findings", "AuditFinding", "AUDIT_COLUMNS", "Severity", "audit_claims"]

VerdictLabel = Literal["supported", "not supported", "partially supported", "cannot be evaluated here"]
#: The four verdicts, in the order the report explains them.
VERDICTS: tuple[VerdictLabel, ...] = get_args(VerdictLabel)
NOT_RUN: VerdictLabel = "cannot be evaluated here"
log = logging.getLogger(__name__)
#: Warnings already given ("claim id: message"): a workflow is loaded several times per run.
_WARNED: set[str] = set()
S = TypeVar("S")
F = TypeVar("F")
P = TypeVar("P", bound="ClaimKind")


@dataclass(frozen=True)
class Verdict:
    """One row of the verdict table (``report/verdict.tsv``).

    ``data_completeness`` says what the verdict rests on; a verdict on partial data, stand-in
    structures or a placed ion is at most "partially supported" where the missing data could
    change it.
    """

    number: int
    id: str
    kind: str
    claim: str
    evidence: str
    verdict: VerdictLabel
    reason: str
    data_completeness: str

    def to_row(self) -> dict[str, Any]:
        """The row as a mapping (column order of ``verdict.tsv``)."""
        return asdict(self)


#: Columns of ``report/verdict.tsv``.
VERDICT_COLUMNS: list[str] = [f.name for f in dataclasses.fields(Verdict)]


class SectionSource(Protocol):
    """Where a claim kind finds the workflow's config sections to check itself against."""

    def section(self, cls: type[S]) -> S: ...


class RunView:
    """What an evaluator may read: the run directory and every registered stage's typed summary.

    Summaries are read on first use, strictly (:func:`netpharm.stage.read_outcome`); a stage
    that left no ``summary.json`` gives ``None``. An evaluator names the stage by its findings
    class, so a claims module needs only its stage's ``findings`` (no import of the package).
    """

    def __init__(self, run_dir: Path, stages: Sequence[Stage[Any]]) -> None:
        self.run_dir = Path(run_dir)
        self._stages = {s.findings: s for s in stages}
        self._outcomes: dict[str, StageOutcome[Any] | None] = {}

    def _stage(self, findings: type[F]) -> Stage[F]:
        try:
            found: Stage[F] = self._stages[findings]
        except KeyError:
            raise ReportError(f"no registered stage has {findings.__name__} findings") from None
        return found

    def outcome(self, findings: type[F]) -> StageOutcome[F] | None:
        """``<run_dir>/<stage>/summary.json`` of the stage with these findings, ``None`` when it left none.

        Raises
        ------
        StageContractError
            A field renamed, missing or added relative to the stage's findings dataclass.
        """
        stage = self._stage(findings)
        if stage.name not in self._outcomes:
            path = self.run_dir / stage.name / "summary.json"
            self._outcomes[stage.name] = read_outcome(path, stage) if path.is_file() else None
        found: StageOutcome[F] | None = self._outcomes[stage.name]
        return found

    def table(self, findings: type[Any], name: str) -> pd.DataFrame | None:
        """That stage's TSV ``name`` (a constant of its ``files.py``), or ``None`` when absent or empty."""
        return read_tsv(self.run_dir / self._stage(findings).name / name)


_KINDS: dict[str, type[ClaimKind]] = {}


class ClaimKind:
    """Base of every claim kind: subclass it as a frozen dataclass of the kind's parameters.

    Class attributes
    ----------------
    kind : str
        The ``kind`` value of a ``[[claims]]`` table.
    stage : str
        The stage whose findings decide the claim (named in "stage not run" verdicts).

    A subclass validates its values in ``__post_init__`` (raise ``ValueError`` with the
    problem; the parser prefixes the claim), names the proteins it expects among the targets
    (:meth:`named_proteins`), checks itself against other config sections (:meth:`check`) and
    against the targets (:meth:`check_targets`: a claim that cannot fail is a configuration error)
    and judges a run (:meth:`evaluate`).
    """

    kind: ClassVar[str] = ""
    stage: ClassVar[str] = ""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if not cls.kind:
            raise TypeError(f"claim kind {cls.__name__} needs a 'kind' name")
        if cls.kind in _KINDS and _KINDS[cls.kind].__qualname__ != cls.__qualname__:
            raise TypeError(f"claim kind {cls.kind!r} defined twice ({_KINDS[cls.kind].__name__}, {cls.__name__})")
        _KINDS[cls.kind] = cls

    def named_proteins(self) -> tuple[str, ...]:
        """Proteins the claim names (checked against the targets for vacuity; one absent from them is judged
        "not supported (absent from the network)", never refused)."""
        return ()

    def check(self, workflow: SectionSource) -> None:
        """Cross-check against the workflow's sections; raise ``ValueError`` naming the problem."""

    def check_targets(self, targets: Sequence[str], workflow: SectionSource) -> str:
        """Cross-check against the workflow's targets (called only for a claim that names proteins).

        Raise ``ValueError`` when the claim cannot fail on them (e.g. a rank bound covering every
        protein the network can hold); return a warning (``""`` for none) when it can barely fail.
        The parser names the claim in both, and logs each warning once.
        """
        return ""

    def evaluate(self, claim: Claim[Any], run: RunView) -> Verdict:
        """The verdict of ``claim`` (whose ``params`` is this object) on ``run``."""
        raise NotImplementedError

    def audit(self, claim: Claim[Any], run: RunView) -> list[AuditFinding]:
        """Where the paper's statement disagrees with the paper's own data (none by default), for the audit."""
        return []


Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class AuditFinding:
    """One row of the audit of a study's own numbers (``report/audit.tsv``), found without any claim being judged.

    A stage contributes them from its findings (:attr:`netpharm.stage.Stage.audit`: an import holding pairs below
    the cut-off, a receptor entry that is not its target, a blind-docking box); a claim kind contributes them from
    the paper's own statement compared with the paper's own data (:meth:`ClaimKind.audit`: a hub the paper names
    that is not in its network, a docking score the engine does not reproduce).

    Attributes
    ----------
    check : str
        What was checked, one short token (``import_cutoff``, ``receptor_identity``, ``absent_from_network`` ...).
    subject : str
        What it was checked on (an import label, a docking system, a claim id).
    finding : str
        One sentence: what disagrees, with the numbers.
    severity : {"error", "warning"}
        ``error`` = the study's own data contradict it; ``warning`` = it weakens the study's result.
    """

    check: str
    subject: str
    finding: str
    severity: Severity

    def __post_init__(self) -> None:
        if self.severity not in get_args(Severity):
            raise ValueError(f"audit severity must be one of {get_args(Severity)}, got {self.severity!r}")

    def to_row(self) -> dict[str, str]:
        """The row as a mapping (column order of ``audit.tsv``)."""
        return asdict(self)


#: Columns of ``report/audit.tsv``.
AUDIT_COLUMNS: list[str] = [f.name for f in dataclasses.fields(AuditFinding)]


def claim_kinds() -> dict[str, type[ClaimKind]]:
    """Every registered kind (those of the claims modules imported so far; the registry imports them all)."""
    return dict(_KINDS)


@dataclass(frozen=True)
class Claim(Generic[P]):
    """One claim of a workflow: its number (position), id, text, kind and typed parameters."""

    number: int
    id: str
    text: str
    kind: str
    params: P


def claim_from_table(number: int, table: Mapping[str, Any],
                     kinds: Mapping[str, type[ClaimKind]] | None = None) -> Claim[ClaimKind]:
    """Parse one ``[[claims]]`` table (kind, parameters and their values; no cross-check).

    Raises
    ------
    ConfigError
        No id/text/kind, an unknown kind, a missing or unknown parameter, a wrong type or value.
    """
    kinds = claim_kinds() if kinds is None else kinds
    cid = table.get("id")
    where = f"claim {cid!r}" if isinstance(cid, str) and cid else f"claims[{number - 1}]"
    for key in ("id", "text", "kind"):
        if not isinstance(table.get(key), str) or not table[key].strip():
            raise ConfigError(f"{where}: '{key}' must be a non-empty string")
    kind = str(table["kind"])
    if kind not in kinds:
        raise ConfigError(f"{where}: unknown kind {kind!r}; choose from {sorted(kinds)}")
    cls = kinds[kind]
    params = {k: v for k, v in table.items() if k not in ("id", "text", "kind")}
    required = [f.name for f in dataclasses.fields(cls)  # type: ignore[arg-type]
                if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING]
    absent = [r for r in required if r not in params]
    if absent:
        raise ConfigError(f"{where} ({kind}): missing parameter(s) {absent}")
    return Claim(number, str(cid), str(table["text"]), kind, from_mapping(cls, params, f"{where} ({kind})"))


def parse_claims(tables: Sequence[Mapping[str, Any]], targets: Callable[[], Sequence[str]],
                 workflow: SectionSource, kinds: Mapping[str, type[ClaimKind]] | None = None
                 ) -> tuple[Claim[ClaimKind], ...]:
    """The workflow's ``[[claims]]``, parsed and checked against its targets and sections.

    Parameters
    ----------
    tables : the ``[[claims]]`` tables.
    targets : called (once) only when a claim names proteins.
    workflow : the config sections a kind may check itself against.

    Raises
    ------
    ConfigError
        Naming the claim: unknown kind, missing/unknown parameter, bad value, a claim that cannot
        fail on the targets (a protein absent from them is judged, not refused), a cross-check failure (a docking system not in the workflow ...),
        a repeated id.
    """
    claims = [claim_from_table(i, t, kinds) for i, t in enumerate(tables, start=1)]
    ids = [c.id for c in claims]
    dup = sorted({i for i in ids if ids.count(i) > 1})
    if dup:
        raise ConfigError(f"claims: id(s) {dup} used twice")
    named = [c for c in claims if c.params.named_proteins()]
    if named:
        try:
            known = set(targets())
        except InputError as exc:
            raise ConfigError(f"claim {named[0].id!r}: cannot check its proteins against the targets: {exc}") from exc
        for c in named:
            # A protein the claim names but the targets lack is not a configuration error: a paper's hub list
            # with genes absent from its own network is what a replicator must catch, so it becomes the verdict
            # "not supported (absent from the network)" and a row of the audit (issue 19). Only a claim that
            # cannot fail is refused (check_targets, issue 22).
            try:
                warning = c.params.check_targets(sorted(known), workflow)
            except ValueError as exc:
                raise ConfigError(f"claim {c.id!r} ({c.kind}): {exc}") from exc
            if warning and f"{c.id}: {warning}" not in _WARNED:
                _WARNED.add(f"{c.id}: {warning}")
                log.warning("claim %r (%s): %s", c.id, c.kind, warning)
    for c in claims:
        try:
            c.params.check(workflow)
        except ValueError as exc:
            raise ConfigError(f"claim {c.id!r} ({c.kind}): {exc}") from exc
    return tuple(claims)


def evaluate(claims: Sequence[Claim[ClaimKind]], run: RunView) -> list[Verdict]:
    """The verdicts of ``claims`` on ``run``, in claim order."""
    return [c.params.evaluate(c, run) for c in claims]


def audit_claims(claims: Sequence[Claim[ClaimKind]], run: RunView) -> list[AuditFinding]:
    """Every claim's contribution to the audit, in claim order."""
    return [row for c in claims for row in c.params.audit(c, run)]


def verdict(claim: Claim[Any], evidence: str, label: VerdictLabel, reason: str, completeness: str) -> Verdict:
    """A verdict row for ``claim``."""
    return Verdict(claim.number, claim.id, claim.kind, claim.text, evidence, label, reason, completeness)


def usable_findings(claim: Claim[Any], outcome: StageOutcome[F] | None, stage: str) -> F | Verdict:
    """The stage's findings, or the "cannot be evaluated" verdict when it gave nothing usable."""
    bad = unusable(claim, outcome, stage)
    if bad is not None or outcome is None or outcome.findings is None:
        return bad or verdict(claim, "—", NOT_RUN, f"{stage} stage gave no findings", "no data")
    return outcome.findings


def unusable(claim: Claim[Any], outcome: StageOutcome[Any] | None, stage: str) -> Verdict | None:
    """The "cannot be evaluated" verdict when the stage gave nothing usable, else ``None``."""
    if outcome is None:
        return verdict(claim, "—", NOT_RUN, f"{stage} stage not run", "no data")
    if not outcome.usable:
        return verdict(claim, "—", NOT_RUN, outcome.why_unusable(), "no data")
    return None

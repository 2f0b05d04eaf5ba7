"""The compounds stage's findings: the typed ``findings`` of ``compounds/summary.json``.

Light module (no numerical import): the registry, the report and the claims import it. Where later parts
plug in: each :class:`CompoundRecord` holds a compound's normalised targets (the compound → target pairs;
also ``compounds/compound_targets.tsv``), its SMILES when a table gave one and the server's own values
(TCMSP OB, DL, Caco-2 ...) labelled as imported.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from netpharm.compounds.ct_findings import CTNetwork, DrugLikeness

__all__ = ["CompoundsFindings", "SourceRecord", "CompoundRecord"]


@dataclass(frozen=True)
class SourceRecord:
    """One file read: what it is, its sha256 (server results are not versioned: the file is the version).

    Attributes
    ----------
    label, kind : str
        ``kind`` is ``"compound"`` (compound → target) or ``"disease"``.
    file : str
        The path as the workflow names it.
    sha256, cache_key : str
        The file's sha256 and the cache entry it is recorded under ("" when not recorded, e.g. resolving targets).
    format, rule : str
        Server format ("" = plain) and the rule the rows were kept by (one sentence).
    rows, kept_rows : int
        Data rows read and kept.
    names : int
        Distinct names kept, as written.
    targets : int
        Distinct targets after normalisation.
    notes : tuple of str
    """

    label: str
    kind: str
    file: str
    sha256: str
    cache_key: str
    format: str
    rule: str
    rows: int
    kept_rows: int
    names: int
    targets: int
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class CompoundRecord:
    """One compound: its targets (normalised), the sources naming it, its structure and imported values.

    Attributes
    ----------
    name : str
    sources : tuple of str
        Labels of the tables that list it.
    targets : tuple of str
        Its targets, sorted, as normalised symbols (unmatched names as written).
    smiles : str
        SMILES from a table (``smiles`` column or ``[[compounds.structures]]``), "" when none was given.
    imported : dict
        Values a server computed (TCMSP ``ob``, ``dl``, ``caco2`` ...), as text, never recomputed.
    """

    name: str
    sources: tuple[str, ...]
    targets: tuple[str, ...]
    smiles: str = ""
    imported: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class CompoundsFindings:
    """What the compounds stage found.

    Attributes
    ----------
    sources : tuple of SourceRecord
    compounds : tuple of CompoundRecord
        Every compound of the compound tables, in name order (one whose rows were all cut has no targets).
    compound_targets, disease_targets : tuple of str
        The union of the compound targets and of the disease genes (normalised, sorted).
    common_targets : tuple of str
        Their intersection, sorted: the workflow's targets when ``used_as_targets``.
    intersection_size : int
    written_intersection_size : int
        The intersection of the names as written (exact strings, no normalisation): what a study's own
        set operation gives, for comparison.
    written_common_targets : tuple of str
        That intersection's names, as written, sorted.
    used_as_targets : bool
        The common targets are the workflow's targets (disease tables and no explicit target list).
    renamed : dict
        Name as written → approved symbol, for every rename.
    unmatched : tuple of str
        Names matching no gene of the table (kept as written).
    ambiguous : dict
        Name as written → the genes it could be (kept as written, not guessed).
    figure : str
        The Venn or UpSet figure, relative to the run directory ("" when none).
    gene_table : str
        The gene table used for normalisation ("" when off or not human).
    ct_network : CTNetwork or None
        The compound–target network of the kept pairs (``None`` when there is none).
    drug_likeness : DrugLikeness or None
        Descriptors, Lipinski/Veber and imported server values per compound (``None`` when no compound).
    """

    sources: tuple[SourceRecord, ...]
    compounds: tuple[CompoundRecord, ...]
    compound_targets: tuple[str, ...]
    disease_targets: tuple[str, ...]
    common_targets: tuple[str, ...]
    intersection_size: int
    written_intersection_size: int
    written_common_targets: tuple[str, ...]
    used_as_targets: bool
    renamed: dict[str, str]
    unmatched: tuple[str, ...]
    ambiguous: dict[str, tuple[str, ...]]
    figure: str
    gene_table: str
    ct_network: CTNetwork | None = None
    drug_likeness: DrugLikeness | None = None

    def compound(self, name: str) -> CompoundRecord | None:
        """The record of compound ``name`` (exact, then case-insensitive), or None."""
        for record in self.compounds:
            if record.name == name:
                return record
        folded = [r for r in self.compounds if r.name.casefold() == name.casefold()]
        return folded[0] if len(folded) == 1 else None

    def gained_by_normalisation(self) -> tuple[str, ...]:
        """Common targets that the names as written miss: one list spells them by an alias or previous symbol."""
        written = {self.renamed.get(w, w) for w in self.written_common_targets}
        return tuple(t for t in self.common_targets if t not in written)

    def pairs(self) -> tuple[tuple[str, str], ...]:
        """Every (compound, target) pair, compounds in name order."""
        return tuple((c.name, t) for c in self.compounds for t in c.targets)

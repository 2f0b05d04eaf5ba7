"""CTD chemical–gene interactions (Davis et al. 2023, Nucleic Acids Res 51:D1257): a chemical page's CSV download.

Columns: ``Chemical Name, Chemical ID, CAS RN, Gene Symbol, Gene ID, Interaction, Interaction Actions, Reference
Count, Organism Count`` (the batch-query download adds ``Organism, Organism ID``). One row per curated interaction,
so a gene repeats: the reader keeps one target per (chemical, gene), with its number of interaction rows, their
references and actions (``increases^expression|decreases^activity``) in the detail.

Organism (``organism``, default human): by the ``Organism``/``Organism ID`` column when the export has one; the
chemical page's export has none (it mixes organisms), so a gene is then kept when its NCBI Gene id is a human gene
of the shipped gene table (NCBI Gene ids are species-specific); the others are named in a note.

Genes kept: at least ``min_interactions`` interaction rows for the chemical (default 1: every gene).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from netpharm.compounds.config import TargetTable
from netpharm.compounds.readers.records import TargetRead, TargetRecord, shown
from netpharm.compounds.readers.table import Row, Sheet, cell, find_column
from netpharm.compounds.symbols import GENE_TABLE
from netpharm.errors import CompoundsError

__all__ = ["read_targets"]

_CHEMICAL = ("Chemical Name", "ChemicalName", "# ChemicalName")
_GENE = ("Gene Symbol", "GeneSymbol")
_GENE_ID = ("Gene ID", "GeneID")
_ACTIONS = ("Interaction Actions", "InteractionActions")
_REFERENCES = ("Reference Count",)
_ORGANISM = ("Organism",)
_ORGANISM_ID = ("Organism ID", "OrganismID")
_HUMAN_NAMES = {"homo sapiens", "human", "9606"}


@lru_cache(maxsize=1)
def _human_gene_ids() -> frozenset[str]:
    """NCBI Gene ids of the shipped human gene table (its ``entrez_id`` column)."""
    import csv
    import gzip

    with gzip.open(GENE_TABLE, "rt", encoding="utf-8", newline="") as handle:
        return frozenset(row["entrez_id"] for row in csv.DictReader(handle, delimiter="\t"))


@dataclass
class _Gene:
    line: int
    gene_id: str
    interactions: int = 0
    references: int = 0
    actions: set[str] = field(default_factory=set)


def _columns(sheet: Sheet) -> tuple[Row, list[Row], dict[str, int | None]]:
    rows = [r for r in sheet.rows if not r.blank() and not (r.cells and r.cells[0].startswith("#") and
                                                               find_column(r.cells, _GENE) is None)]
    at = {name: find_column(rows[0].cells, names) if rows else None for name, names in
          (("chemical", _CHEMICAL), ("gene", _GENE), ("gene_id", _GENE_ID), ("actions", _ACTIONS),
           ("references", _REFERENCES), ("organism", _ORGANISM), ("organism_id", _ORGANISM_ID))}
    if at["chemical"] is None or at["gene"] is None or at["actions"] is None:
        raise CompoundsError(f"{sheet.origin}: not a CTD chemical–gene interactions export (no 'Chemical Name', "
                             "'Gene Symbol' and 'Interaction Actions' columns)")
    return rows[0], rows[1:], at


def _human(row: Row, at: dict[str, int | None]) -> bool:
    if at["organism_id"] is not None or at["organism"] is not None:
        return any(cell(row, i).casefold() in _HUMAN_NAMES for i in (at["organism_id"], at["organism"])
                   if i is not None)
    return at["gene_id"] is not None and cell(row, at["gene_id"]) in _human_gene_ids()


def read_targets(sheet: Sheet, spec: TargetTable) -> TargetRead:
    """One target per (chemical, gene) with at least ``min_interactions`` interaction rows, of the organism asked.

    Raises
    ------
    CompoundsError
        Not a CTD export; an empty chemical or gene cell, or a reference count that is not a whole number
        (file, line and column named).
    """
    header, rows, at = _columns(sheet)
    chemical_at, gene_at = at["chemical"], at["gene"]
    assert chemical_at is not None and gene_at is not None  # _columns
    if spec.human_only and at["organism"] is None and at["organism_id"] is None and at["gene_id"] is None:
        raise CompoundsError(f"{sheet.origin}: a CTD export without an organism or 'Gene ID' column cannot be kept to "
                             "human genes; set organism = \"any\" to read every row")
    genes: dict[tuple[str, str], _Gene] = {}
    other: dict[str, str] = {}
    for row in rows:
        chemical, gene = cell(row, chemical_at), cell(row, gene_at)
        for value, column in ((chemical, header.cells[chemical_at]), (gene, header.cells[gene_at])):
            if not value:
                raise CompoundsError(f"{sheet.where(row, column)}: empty cell")
        references = cell(row, at["references"]) if at["references"] is not None else "0"
        if not references.isdigit():
            raise CompoundsError(f"{sheet.where(row, 'Reference Count')}: {references!r} is not a whole number")
        gene_id = cell(row, at["gene_id"]) if at["gene_id"] is not None else ""
        if spec.human_only and not _human(row, at):
            other[gene] = gene_id
            continue
        entry = genes.setdefault((chemical, gene), _Gene(row.line, gene_id))
        entry.interactions += 1
        entry.references += int(references)
        actions = at["actions"]
        assert actions is not None
        entry.actions.update(a for a in cell(row, actions).split("|") if a)
    records = [TargetRecord(chemical, gene, g.line, f"{g.interactions} interactions, {g.references} references; "
                            + "|".join(sorted(g.actions)))
               for (chemical, gene), g in genes.items() if g.interactions >= spec.min_interactions]
    kept = {(r.compound, r.target) for r in records}
    kept_rows = sum(g.interactions for key, g in genes.items() if key in kept)
    rule = f"genes with ≥ {spec.min_interactions} interaction row{'s' if spec.min_interactions > 1 else ''}"
    notes = []
    if spec.human_only:
        by_column = at["organism"] is not None or at["organism_id"] is not None
        rule += "; human only" + (" (organism column)" if by_column else
                                  " (NCBI Gene id of a human gene; the export has no organism column)")
        if other:
            why = "of another organism" if by_column else "with an NCBI Gene id that is not a human gene of the " \
                "shipped table"
            notes.append(f"{len(other)} genes {why}, left out: "
                         + shown([f"{g} ({i})" if i else g for g, i in other.items()]))
    compounds: dict[str, dict[str, str]] = {cell(r, chemical_at): {} for r in rows}
    return TargetRead(records, len(rows), kept_rows, rule, compounds, notes)

"""Read every table of ``[compounds]``, normalise the names and intersect: the common targets.

Pure (no cache, no writing, no numerical library), so the workflow can resolve its targets from it at load
(:func:`netpharm.registry.resolve_targets`) and the stage writes the same result. The disease genes are the
**union** of the disease tables (GeneCards ∪ DisGeNET ∪ ..., as studies merge them); the common targets are
the compound targets (union over the compound tables) that are disease genes.
"""

from __future__ import annotations

import os
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from netpharm.compounds.config import CompoundsConfig, DiseaseTable, TargetTable
from netpharm.compounds.readers import read_disease_table, read_target_table
from netpharm.compounds.readers.records import DiseaseRead, GeneRecord, TargetRead, TargetRecord
from netpharm.compounds.readers.table import cell, column_index, read_sheet
from netpharm.compounds.symbols import Match, normalise
from netpharm.errors import CompoundsError
from netpharm.stage import RunFacts

__all__ = ["SourceRead", "CompoundEntry", "Collected", "collect", "common_targets"]


@dataclass
class SourceRead:
    """One table read: its spec, path, bytes' sha256 and the kept records."""

    spec: TargetTable | DiseaseTable
    path: Path
    body: bytes
    read: TargetRead | DiseaseRead

    @property
    def kind(self) -> str:
        return "compound" if isinstance(self.spec, TargetTable) else "disease"

    def names(self) -> list[str]:
        records = self.read.records
        return [r.target if isinstance(r, TargetRecord) else r.gene for r in records]


@dataclass
class CompoundEntry:
    """One compound while collecting: normalised targets, table labels, imported values (``smiles`` too)."""

    targets: set[str] = field(default_factory=set)
    sources: list[str] = field(default_factory=list)
    values: dict[str, str] = field(default_factory=dict)


@dataclass
class Collected:
    """Everything the compounds stage computes before writing."""

    sources: list[SourceRead]
    matches: dict[str, Match]
    structures: dict[str, str] = field(default_factory=dict)

    def symbol(self, written: str) -> str:
        return self.matches[written.strip()].symbol

    def target_sets(self) -> dict[str, set[str]]:
        """Label → its normalised names."""
        return {s.spec.label: {self.symbol(n) for n in s.names()} for s in self.sources}

    def compound_targets(self) -> set[str]:
        return {self.symbol(n) for s in self.sources if s.kind == "compound" for n in s.names()}

    def disease_targets(self) -> set[str]:
        return {self.symbol(n) for s in self.sources if s.kind == "disease" for n in s.names()}

    def common(self) -> list[str]:
        """The common targets, sorted."""
        return sorted(self.compound_targets() & self.disease_targets())

    def written_common(self) -> list[str]:
        """The intersection of the names exactly as written (what a study's own set operation gives)."""
        drug = {n.strip() for s in self.sources if s.kind == "compound" for n in s.names()}
        disease = {n.strip() for s in self.sources if s.kind == "disease" for n in s.names()}
        return sorted(drug & disease)

    def pairs(self) -> list[tuple[str, str, SourceRead, TargetRecord]]:
        """(compound, normalised target, source, record) of every kept pair."""
        return [(r.compound, self.symbol(r.target), s, r) for s in self.sources if s.kind == "compound"
                for r in s.read.records if isinstance(r, TargetRecord)]

    def genes(self) -> list[tuple[str, SourceRead, GeneRecord]]:
        return [(self.symbol(r.gene), s, r) for s in self.sources if s.kind == "disease"
                for r in s.read.records if isinstance(r, GeneRecord)]

    def compounds(self) -> dict[str, CompoundEntry]:
        """Every compound of the compound tables: its normalised targets, sources and imported values."""
        out: dict[str, CompoundEntry] = {}
        for s in self.sources:
            if isinstance(s.read, TargetRead):
                for name, values in s.read.compounds.items():
                    entry = out.setdefault(name, CompoundEntry())
                    entry.sources.append(s.spec.label)
                    entry.values.update(values)
        for compound, target, _, _ in self.pairs():
            out[compound].targets.add(target)
        for name, smiles in self.structures.items():
            match = self._structure_match(name, out)
            if match is not None:
                out[match].values.setdefault("smiles", smiles)
        return out

    @staticmethod
    def _structure_match(name: str, compounds: dict[str, CompoundEntry]) -> str | None:
        """The compound a structure row names: exactly, else the one compound equal ignoring case."""
        if name in compounds:
            return name
        folded = [c for c in compounds if c.casefold() == name.casefold()]
        return folded[0] if len(folded) == 1 else None

    def unplaced_structures(self) -> list[str]:
        """Structure rows naming no compound of the compound tables (listed, not dropped silently)."""
        compounds = {n: CompoundEntry() for s in self.sources if isinstance(s.read, TargetRead) for n in s.read.compounds}
        return sorted(n for n in self.structures if self._structure_match(n, compounds) is None)

    def sources_of(self) -> dict[str, list[str]]:
        """Normalised name → labels of the tables listing it."""
        where: dict[str, list[str]] = defaultdict(list)
        for s in self.sources:
            for symbol in dict.fromkeys(self.symbol(n) for n in s.names()):
                where[symbol].append(s.spec.label)
        return where


def _path(facts: RunFacts, file: str) -> Path:
    """``file`` resolved against the workflow's folder, ``..`` folded (messages name the file plainly)."""
    return Path(os.path.normpath(facts.resolve(file)))


def _read_structures(cfg: CompoundsConfig, facts: RunFacts) -> dict[str, str]:
    found: dict[str, str] = {}
    for spec in cfg.structures:
        sheet = read_sheet(_path(facts, spec.file), spec.sheet, "compound structure table")
        rows = [r for r in sheet.rows if not r.blank()]
        header = rows[0].cells if spec.header and rows else None
        c = column_index(header, spec.compound, sheet.origin, "compound")
        s = column_index(header, spec.smiles, sheet.origin, "smiles")
        for row in rows[1:] if header is not None else rows:
            if cell(row, c) and cell(row, s):
                found.setdefault(cell(row, c), cell(row, s))
    return found


def collect(cfg: CompoundsConfig, facts: RunFacts) -> Collected:
    """Read and normalise every table of ``cfg`` (paths relative to the workflow file).

    Raises
    ------
    CompoundsError
        A file missing or malformed (file, line and column named), or a table that keeps no row.
    """
    sources: list[SourceRead] = []
    for spec in cfg.targets:
        path = _path(facts, spec.file)
        ingredients = _path(facts, spec.ingredients) if spec.ingredients else None
        sheet, read = read_target_table(path, spec, ingredients)
        sources.append(SourceRead(spec, path, sheet.body, read))
    for dspec in cfg.disease:
        path = _path(facts, dspec.file)
        sheet, dread = read_disease_table(path, dspec)
        sources.append(SourceRead(dspec, path, sheet.body, dread))
    for s in sources:
        if not s.read.records:
            raise CompoundsError(f"{s.path}: table {s.spec.label!r} keeps no row under its rule ({s.read.rule}) "
                                 f"of {s.read.rows} rows")
    names = [n for s in sources for n in s.names()]
    proteins = _read_protein_names(_path(facts, cfg.target_names)) if cfg.target_names else None
    matches = normalise(names, facts.species, cfg.normalise, proteins, Path(cfg.target_names).name)
    return Collected(sources, matches, _read_structures(cfg, facts))


def _read_protein_names(path: Path) -> dict[str, tuple[str, ...]]:
    """Casefolded protein name → its genes (sorted), from a two-column table with a header.

    A UniProt "Protein names" cell lists the recommended name then alternatives in parentheses: the recommended
    name (before the first " (") is the key; a "Gene Names" cell lists the gene then its synonyms: the first
    word is the gene.

    Raises
    ------
    CompoundsError
        Fewer than two columns, or no row.
    """
    sheet = read_sheet(path, "", "protein name table")
    rows = [r for r in sheet.rows if not r.blank()]
    if len(rows) < 2 or len(rows[0].cells) < 2:
        raise CompoundsError(f"{path}: a protein name table needs a header and two columns (protein names, "
                             "gene names)")
    genes: dict[str, set[str]] = defaultdict(set)
    for row in rows[1:]:
        name, gene = cell(row, 0).split(" (")[0].strip(), cell(row, 1).split()
        if name and gene:
            genes[name.casefold()].add(gene[0])
    return {k: tuple(sorted(v)) for k, v in genes.items()}


def common_targets(cfg: CompoundsConfig, facts: RunFacts) -> list[str]:
    """The common targets of ``cfg``'s tables (sorted): the workflow's targets in the compounds recipe."""
    return collect(cfg, facts).common()

"""Configuration of the compounds stage (``[compounds]``): compound → target tables and disease gene lists."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from netpharm.errors import ConfigError

__all__ = ["CompoundsConfig", "TargetTable", "DiseaseTable", "StructureTable", "Format", "FORMATS",
           "TARGET_FORMATS", "DISEASE_FORMATS"]

Format = Literal["", "swisstargetprediction", "genecards", "disgenet", "tcmsp", "herb"]
#: Server formats a table may name (``format = "..."``); "" = a plain table read by its columns.
FORMATS: tuple[str, ...] = ("swisstargetprediction", "genecards", "disgenet", "tcmsp", "herb")
#: Formats of compound → target predictions.
TARGET_FORMATS: tuple[str, ...] = ("swisstargetprediction", "tcmsp", "herb")
#: Formats of disease → gene lists.
DISEASE_FORMATS: tuple[str, ...] = ("genecards", "disgenet")


def _check_column(value: str | int, what: str) -> None:
    if isinstance(value, bool) or (isinstance(value, int) and value < 1):
        raise ConfigError(f"{what} must be a column name or a 1-based column number, got {value!r}")


def _check_common(file: str, label: str, where: str) -> None:
    if not file:
        raise ConfigError(f"{where}: 'file' is required")
    if not label or any(c in label for c in "\t\r\n"):
        raise ConfigError(f"{where} ({file}): 'label' must be a non-empty one-line name")


@dataclass(frozen=True)
class TargetTable:
    """One compound → target file (``[[compounds.targets]]``).

    Attributes
    ----------
    file : str
        CSV, TSV (or ``.txt``) or XLSX file, relative to the workflow file.
    label : str
        Name of the source in tables and figures (e.g. ``"SwissTargetPrediction"``).
    sheet : str
        XLSX sheet (default: the first).
    compound, target : str or int
        Columns (a header name, or a 1-based number). Without ``compound`` the file is one compound's
        targets, named by ``compound_name`` (default: the label). A server ``format`` knows its columns.
    compound_name : str
        The compound of a one-compound file (SwissTargetPrediction and HERB exports are one per compound).
    smiles : str or int
        Optional column holding each compound's SMILES (kept for drug-likeness; never computed here).
    header : bool
        The first row is a header (default true).
    format : {"", "swisstargetprediction", "tcmsp", "herb"}
        A server export read by its known layout.
    min_probability : float, optional
        SwissTargetPrediction: keep rows with ``Probability* ≥ min_probability``; unset = ``> 0`` (the server
        lists 100 targets per compound, most at probability 0).
    ingredients : str
        TCMSP: the herb's ingredients table (OB, DL ...); when given, compounds are screened by ``min_ob`` and
        ``min_dl`` (the usual OB ≥ 30 %, DL ≥ 0.18) and their values carried as imported (never recomputed).
    min_ob, min_dl : float
    """

    file: str = ""
    label: str = ""
    sheet: str = ""
    compound: str | int = ""
    target: str | int = ""
    compound_name: str = ""
    smiles: str | int = ""
    header: bool = True
    format: Format = ""
    min_probability: float | None = None
    ingredients: str = ""
    min_ob: float = 30.0
    min_dl: float = 0.18

    def __post_init__(self) -> None:
        where = f"[[compounds.targets]] {self.label!r}"
        _check_common(self.file, self.label, where)
        if self.format and self.format not in TARGET_FORMATS:
            raise ConfigError(f"{where}: format {self.format!r} is a disease-list format; compound → target tables "
                              f"take {', '.join(TARGET_FORMATS)}")
        if not self.format and self.target == "":
            raise ConfigError(f"{where}: name the 'target' column (or a server 'format')")
        for name in ("compound", "target", "smiles"):
            if getattr(self, name) != "":
                _check_column(getattr(self, name), f"{where}: '{name}'")
        if self.min_probability is not None and not 0.0 <= self.min_probability <= 1.0:
            raise ConfigError(f"{where}: min_probability must be within 0–1, got {self.min_probability}")
        if self.ingredients and self.format != "tcmsp":
            raise ConfigError(f"{where}: 'ingredients' is TCMSP's table (format = \"tcmsp\")")
        if self.min_probability is not None and self.format != "swisstargetprediction":
            raise ConfigError(f"{where}: min_probability applies to format = \"swisstargetprediction\"")

    @property
    def one_compound(self) -> str:
        """The compound of a one-compound file."""
        return self.compound_name or self.label


@dataclass(frozen=True)
class DiseaseTable:
    """One disease gene list (``[[compounds.disease]]``).

    Attributes
    ----------
    file, label, sheet, header : as for :class:`TargetTable`.
    column : str or int
        The gene column (name or 1-based number; default the first). A server ``format`` knows it.
    format : {"", "genecards", "disgenet"}
    min_score : float, optional
        GeneCards: keep Relevance score ≥ this (unset: ≥ the file's median, the usual screen);
        DisGeNET: keep score ≥ this (unset: every row).
    """

    file: str = ""
    label: str = ""
    sheet: str = ""
    column: str | int = ""
    header: bool = True
    format: Format = ""
    min_score: float | None = None

    def __post_init__(self) -> None:
        where = f"[[compounds.disease]] {self.label!r}"
        _check_common(self.file, self.label, where)
        if self.format and self.format not in DISEASE_FORMATS:
            raise ConfigError(f"{where}: format {self.format!r} is a compound → target format; disease lists take "
                              f"{', '.join(DISEASE_FORMATS)}")
        if self.column != "":
            _check_column(self.column, f"{where}: 'column'")
        if self.min_score is not None and not self.format:
            raise ConfigError(f"{where}: min_score applies to a server format (genecards, disgenet)")


@dataclass(frozen=True)
class StructureTable:
    """Compound structures (``[[compounds.structures]]``): a table of compound names and SMILES.

    Attributes
    ----------
    file, sheet, header : as for :class:`TargetTable`.
    compound, smiles : str or int
        Columns (names or 1-based numbers).
    """

    file: str = ""
    sheet: str = ""
    compound: str | int = ""
    smiles: str | int = ""
    header: bool = True

    def __post_init__(self) -> None:
        if not self.file:
            raise ConfigError("[[compounds.structures]]: 'file' is required")
        for name in ("compound", "smiles"):
            if getattr(self, name) == "":
                raise ConfigError(f"[[compounds.structures]] {self.file}: name the '{name}' column")
            _check_column(getattr(self, name), f"[[compounds.structures]] {self.file}: '{name}'")


@dataclass(frozen=True)
class CompoundsConfig:
    """The compounds stage (``[compounds]``).

    Attributes
    ----------
    targets : list of TargetTable
        ``[[compounds.targets]]``: compound → target predictions (one or several servers).
    disease : list of DiseaseTable
        ``[[compounds.disease]]``: disease gene lists (one or several databases).
    structures : list of StructureTable
        ``[[compounds.structures]]``: compound SMILES (for drug-likeness).
    normalise : bool
        Map names to approved HGNC symbols through the shipped gene table (human only): case, aliases and
        previous symbols, UniProt accessions. Every rename is reported; unmatched and ambiguous names are kept
        as written and listed.
    pubchem : bool
        Look up a compound without a SMILES by its name on PubChem (through the cache; offline, a name not in
        the cache is listed as "no structure"), for drug-likeness.
    target_names : str
        A protein name → gene table (CSV/TSV/XLSX with a header; column 1 protein names, column 2 gene names,
        e.g. a UniProt export with "Protein names" and "Gene Names"): for servers that list targets by protein
        name (TCMSP). A UniProt protein-names cell counts by its recommended name (before the first " ("), a
        gene-names cell by its first gene. Names found there are renamed (reported); a name two genes share is
        ambiguous.

    With disease tables and no explicit ``target_list``/``targets`` file, the workflow's targets are the common
    targets (compound targets ∩ every disease list's union, see :mod:`netpharm.compounds.intersect`).
    """

    targets: tuple[TargetTable, ...] = ()
    disease: tuple[DiseaseTable, ...] = ()
    structures: tuple[StructureTable, ...] = ()
    normalise: bool = True
    target_names: str = ""
    pubchem: bool = True

    def __post_init__(self) -> None:
        labels = [t.label for t in self.targets] + [d.label for d in self.disease]
        dup = sorted({x for x in labels if labels.count(x) > 1})
        if dup:
            raise ConfigError(f"[compounds]: label(s) {dup} used by two tables; give each table its own label")
        if self.disease and not self.targets:
            raise ConfigError("[compounds]: disease tables without compound → target tables have nothing to "
                              "intersect with; add [[compounds.targets]]")

    @property
    def active(self) -> bool:
        """Any table configured (the stage has work to do)."""
        return bool(self.targets or self.disease)

    @property
    def gives_targets(self) -> bool:
        """Compound and disease tables both present: the common targets can be the workflow's targets."""
        return bool(self.targets and self.disease)


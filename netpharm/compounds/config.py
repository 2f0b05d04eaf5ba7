"""Configuration of the compounds stage (``[compounds]``): compound → target tables and disease gene lists."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from netpharm.errors import ConfigError

__all__ = ["CompoundsConfig", "TargetTable", "DiseaseTable", "StructureTable", "Format", "FORMATS",
           "TARGET_FORMATS", "DISEASE_FORMATS", "ORGANISM_FORMATS", "PathwaySource", "PATHWAY_SOURCES", "OFFLINE_PATHWAY_SOURCES",
           "PathwayEnrichment", "PathwayTerm", "CompoundLinks", "PathwayInput"]

Format = Literal["", "swisstargetprediction", "genecards", "disgenet", "tcmsp", "herb", "omim", "ctd", "pharmmapper",
                 "superpred", "batman", "sea", "ppb3", "passtargets"]
#: Formats of compound → target predictions.
TARGET_FORMATS: tuple[str, ...] = ("swisstargetprediction", "tcmsp", "herb", "ctd", "pharmmapper", "superpred", "batman",
                                   "sea", "ppb3", "passtargets")
#: Formats of disease → gene lists.
DISEASE_FORMATS: tuple[str, ...] = ("genecards", "disgenet", "omim")
#: Server formats a table may name (``format = "..."``); "" = a plain table read by its columns.
FORMATS: tuple[str, ...] = TARGET_FORMATS + DISEASE_FORMATS
#: Which formats each optional cut-off key applies to (a key set for another format is refused).
_CUT_KEYS: dict[str, tuple[str, ...]] = {"min_probability": ("swisstargetprediction", "superpred"),
                                         "min_score": ("pharmmapper", "batman", "ppb3", "passtargets"), "min_fit": ("pharmmapper",),
                                         "max_pvalue": ("sea",), "min_accuracy": ("superpred",)}
#: Formats whose rows name an organism (or a species-specific id) that ``organism`` filters.
ORGANISM_FORMATS: tuple[str, ...] = ("ctd", "pharmmapper", "sea", "ppb3")

PathwaySource = Literal["KEGG", "Reactome", "BP", "MF", "CC"]
#: Enrichment categories whose top terms may join the compound–target–pathway network (``pathway_source``).
PATHWAY_SOURCES: tuple[str, ...] = ("KEGG", "Reactome", "BP", "MF", "CC")
#: Those the offline ORA computes (KEGG's licence keeps it out of the shipped files: STRING's enrichment only).
OFFLINE_PATHWAY_SOURCES: tuple[str, ...] = ("Reactome", "BP", "MF", "CC")
PathwayEnrichment = Literal["auto", "string", "offline"]


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
    format : str
        A server export read by its known layout: one of :data:`TARGET_FORMATS` ("" = a plain table).
    min_probability : float, optional
        SwissTargetPrediction: keep rows with ``Probability* ≥ min_probability``; unset = ``> 0`` (the server
        lists 100 targets per compound, most at probability 0). Super-PRED: ``Probability`` (a percent string,
        compared as a fraction) ≥ this; unset = every exported row.
    min_accuracy : float, optional
        Super-PRED: ``Model accuracy`` (the target model's cross-validated accuracy, a fraction) ≥ this.
    min_score : float, optional
        PharmMapper: z'-score ≥ this (unset: ≥ 0, a fit above the target's background mean); BATMAN-TCM: the
        predicted-target score ≥ this (unset: 20, BATMAN-TCM's own default cut-off; known targets have no score
        and are always kept); PPB3: Confidence Score ≥ this; PASS Targets: Activity Score (Pa − Pi) ≥ this (both unset:
        every row).
    min_fit : float, optional
        PharmMapper: Norm Fit ≥ this (unset: no Norm Fit cut).
    max_pvalue : float, optional
        SEA: P-Value ≤ this (unset: every row).
    min_interactions : int
        CTD: keep a gene with at least this many interaction rows for the chemical (default 1: every gene).
    organism : str
        CTD, PharmMapper, SEA, PPB3: the organism kept (default ``"Homo sapiens"``; ``"any"`` keeps every row). CTD rows
        by the export's organism column, else by the NCBI Gene id being a human gene of the shipped table;
        PharmMapper hits by a human UniProt accession (shipped table) or a ``*_HUMAN`` entry name; SEA by the
        ``*_HUMAN`` entry name; PPB3 by ``Target Organism``. Only human filtering is built in (the shipped gene table is human).
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
    min_score: float | None = None
    min_fit: float | None = None
    max_pvalue: float | None = None
    min_accuracy: float | None = None
    min_interactions: int = 1
    organism: str = "Homo sapiens"

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
        for key, formats in _CUT_KEYS.items():
            if getattr(self, key) is not None and self.format not in formats:
                raise ConfigError(f"{where}: {key} applies to format = {' or '.join(map(repr, formats))}")
        if isinstance(self.min_interactions, bool) or not isinstance(self.min_interactions, int) \
                or self.min_interactions < 1:
            raise ConfigError(f"{where}: min_interactions must be an integer >= 1, got {self.min_interactions!r}")
        if self.min_interactions != 1 and self.format != "ctd":
            raise ConfigError(f"{where}: min_interactions applies to format = 'ctd'")
        if self.organism != "Homo sapiens" and self.format not in ORGANISM_FORMATS:
            raise ConfigError(f"{where}: organism applies to format = {' or '.join(map(repr, ORGANISM_FORMATS))}")
        if self.organism.casefold() not in ("homo sapiens", "human", "9606", "any"):
            raise ConfigError(f"{where}: organism must be \"Homo sapiens\" (human) or \"any\" (the shipped gene table "
                              f"is human: other species cannot be recognised), got {self.organism!r}")
        if self.min_accuracy is not None and not 0.0 <= self.min_accuracy <= 1.0:
            raise ConfigError(f"{where}: min_accuracy must be within 0–1, got {self.min_accuracy}")
        if self.max_pvalue is not None and not 0.0 < self.max_pvalue <= 1.0:
            raise ConfigError(f"{where}: max_pvalue must be within (0, 1], got {self.max_pvalue}")

    @property
    def human_only(self) -> bool:
        """Rows of other organisms are left out (``organism`` is not ``"any"``)."""
        return self.organism.casefold() != "any"

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
    format : {"", "genecards", "disgenet", "omim"}
        ``"omim"``: OMIM's search export; its gene entries (``*``/``+``) are kept, a truncated search is said.
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
        if self.min_score is not None and self.format not in ("genecards", "disgenet"):
            raise ConfigError(f"{where}: min_score applies to format = 'genecards' or 'disgenet'")


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
class PathwayTerm:
    """One enriched term chosen for the compound–target–pathway network.

    Attributes
    ----------
    term, name : str
        The term's id (``hsa04151``, ``R-HSA-109581``, ``GO:0006915``) and its name.
    fdr : float
        Its FDR in the enrichment it came from (STRING's own, or the offline ORA's correction).
    genes : tuple of str
        Its member genes among the enrichment's query (the workflow's targets), sorted.
    """

    term: str
    name: str
    fdr: float
    genes: tuple[str, ...]


@dataclass(frozen=True)
class CompoundLinks:
    """One compound and its normalised targets (the compounds stage's pairs, handed on as plain data)."""

    compound: str
    targets: tuple[str, ...]


@dataclass(frozen=True)
class PathwayInput:
    """What the compound–target–pathway step works on, **filled by netpharm** (not a workflow key).

    The workflow (:func:`netpharm.registry.expand_config`) builds it from the compounds and enrichment outcomes
    just before the ``ct_pathway`` step runs, as it builds ``[docking.matrix]`` before docking: the step then
    reads no other stage's files, and its resume fingerprint is exactly the compounds and terms it joins.

    Attributes
    ----------
    built : bool
        Set by netpharm when it filled this (a workflow file that writes the table is refused).
    compounds : tuple of CompoundLinks
        Every compound of the compound tables with its targets.
    terms : tuple of PathwayTerm
        The chosen terms, best FDR first ("" when none could be chosen: ``notes`` say why).
    enrichment : str
        Which enrichment the terms came from (``"STRING"`` or ``"offline ORA"``), and ``category`` which category.
    fdr_threshold : float
        The enrichment's FDR threshold the terms passed.
    notes : tuple of str
        How the terms were chosen (a tie at the cut named) or why there are none.
    """

    built: bool = False
    compounds: tuple[CompoundLinks, ...] = ()
    terms: tuple[PathwayTerm, ...] = ()
    enrichment: str = ""
    category: str = ""
    fdr_threshold: float = 0.0
    notes: tuple[str, ...] = ()


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
    pathway_terms : int
        The compound–target–pathway network (step ``ct_pathway``, after enrichment) joins the top
        ``pathway_terms`` terms of ``pathway_source`` by FDR (below ``[enrichment] fdr_threshold``) to their
        member targets; 0 = no such network.
    pathway_source : {"KEGG", "Reactome", "BP", "MF", "CC"}
        The enrichment category of those terms (default KEGG, what most papers draw).
    pathway_enrichment : {"auto", "string", "offline"}
        Which enrichment gives the terms: STRING's (API, cache or ``netpharm import --kind enrichment``; its own
        FDR) or netpharm's offline ORA (shipped GO/Reactome, or the workflow's annotation files; no KEGG).
        ``auto`` (default): STRING's when the run has it, else the offline ORA.
    pathway_network : PathwayInput
        Filled by netpharm before the ``ct_pathway`` step (not a workflow key).

    With disease tables and no explicit ``target_list``/``targets`` file, the workflow's targets are the common
    targets (compound targets ∩ every disease list's union, see :mod:`netpharm.compounds.intersect`).
    """

    targets: tuple[TargetTable, ...] = ()
    disease: tuple[DiseaseTable, ...] = ()
    structures: tuple[StructureTable, ...] = ()
    normalise: bool = True
    target_names: str = ""
    pubchem: bool = True
    pathway_terms: int = 10
    pathway_source: PathwaySource = "KEGG"
    pathway_enrichment: PathwayEnrichment = "auto"
    pathway_network: PathwayInput = PathwayInput()

    def __post_init__(self) -> None:
        labels = [t.label for t in self.targets] + [d.label for d in self.disease]
        dup = sorted({x for x in labels if labels.count(x) > 1})
        if dup:
            raise ConfigError(f"[compounds]: label(s) {dup} used by two tables; give each table its own label")
        if self.disease and not self.targets:
            raise ConfigError("[compounds]: disease tables without compound → target tables have nothing to "
                              "intersect with; add [[compounds.targets]]")
        if isinstance(self.pathway_terms, bool) or self.pathway_terms < 0:
            raise ConfigError(f"[compounds] pathway_terms must be an integer >= 0 (0 = no compound–target–pathway "
                              f"network), got {self.pathway_terms!r}")
        if self.pathway_source not in PATHWAY_SOURCES:
            raise ConfigError(f"[compounds] pathway_source must be one of {list(PATHWAY_SOURCES)}, "
                              f"got {self.pathway_source!r}")
        if self.pathway_enrichment == "offline" and self.pathway_source not in OFFLINE_PATHWAY_SOURCES:
            raise ConfigError(f"[compounds] pathway_source {self.pathway_source!r} is not computed by the offline ORA "
                              f"(it has {', '.join(OFFLINE_PATHWAY_SOURCES)}); use pathway_enrichment = \"string\"")
        if self.pathway_network != PathwayInput() and not self.pathway_network.built:
            raise ConfigError("[compounds] pathway_network is filled by netpharm from the enrichment; set "
                              "pathway_terms and pathway_source instead")

    @property
    def active(self) -> bool:
        """Any table configured (the stage has work to do)."""
        return bool(self.targets or self.disease)

    @property
    def gives_targets(self) -> bool:
        """Compound and disease tables both present: the common targets can be the workflow's targets."""
        return bool(self.targets and self.disease)


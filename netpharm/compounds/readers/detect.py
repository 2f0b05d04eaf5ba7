"""Which server wrote a file, from its header (for ``netpharm init``): the ``[[compounds.*]]`` table to write."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from netpharm.compounds.readers.table import Row, find_column, read_sheet
from netpharm.targets import SYMBOL

__all__ = ["Detected", "detect"]

#: (format, kind, header names that must all be present) in the order tried.
_SIGNATURES: tuple[tuple[str, str, tuple[tuple[str, ...], ...]], ...] = (
    ("swisstargetprediction", "compound", (("Common name",), ("Probability*", "Probability"))),
    ("tcmsp", "compound", (("molecule_name", "Molecule Name"), ("target_name", "Target name"))),
    ("herb", "compound", (("Gene symbol",), ("Target id",))),
    ("ctd", "compound", (("Chemical Name", "ChemicalName"), ("Gene Symbol", "GeneSymbol"),
                         ("Interaction Actions", "InteractionActions"))),
    ("pharmmapper", "compound", (("Norm Fit",), ("Uniplot", "Uniprot"), ("zscore",))),
    ("superpred", "compound", (("Target Name",), ("UniProt ID",), ("Probability",), ("Model accuracy",))),
    ("batman", "compound", (("Pubchem_CID",), ("Predicted target (geneid|gene_symbol(score))",))),
    ("sea", "compound", (("Query ID",), ("Target ID",), ("Max Tc",), ("P-Value",))),
    ("ppb3", "compound", (("Target ID",), ("Confidence Score",), ("Target Organism",))),
    ("passtargets", "compound", (("Activity Score",), ("Propensity Score",), ("ChEMBL ID",))),
    ("omim", "disease", (("MIM Number",), ("Title",))),
    ("genecards", "disease", (("Gene Symbol", "Symbol"), ("Relevance score", "Relevance Score"))),
    ("disgenet", "disease", (("gene_symbol", "Gene"), ("score", "Score_gda"),
                             ("numDiseasesAssociatedToGene", "N_diseases_g", "DSI_g", "dsi"))),
)

#: First cells that make a plain file's first row a header.
_HEADER_WORDS = {"gene", "genes", "symbol", "symbols", "gene_symbol", "gene symbol", "genesymbol", "target", "targets",
                 "gene_name", "gene name", "name", "protein", "uniprot", "uniprot_id", "compound", "molecule", "drug"}


@dataclass(frozen=True)
class Detected:
    """A file's format ("" = plain) and, for a plain file, its shape.

    Attributes
    ----------
    format : str
    kind : str
        ``"compound"`` or ``"disease"`` for a server format, "" for a plain file.
    columns : int
        Columns of a plain file's first row.
    header : bool
        A plain file's first row is a header: a usual column name (gene, symbol, target ...) or no symbol-like word.
    """

    format: str
    kind: str = ""
    columns: int = 0
    header: bool = True


def _matches(row: Row, wanted: tuple[tuple[str, ...], ...]) -> bool:
    return all(find_column(row.cells, names) is not None for names in wanted)


def detect(path: Path) -> Detected:
    """The format of ``path`` from the header in its first 12 non-blank rows; a plain table otherwise.

    Raises
    ------
    CompoundsError
        The file cannot be read (see :func:`~netpharm.compounds.readers.table.read_sheet`).
    """
    rows = [r for r in read_sheet(path).rows if not r.blank()][:12]
    for fmt, kind, wanted in _SIGNATURES:
        if any(_matches(r, wanted) for r in rows):
            return Detected(fmt, kind)
    first = rows[0].cells[0].strip() if rows and rows[0].cells else ""
    header = first.lower() in _HEADER_WORDS or not SYMBOL.match(first)
    return Detected("", "", len(rows[0].cells) if rows else 0, header)

"""Readers for the shipped annotation files (GO OBO, gene→GO TSV, gene cross-references, GMT).

Every reader checks each line and raises :class:`~netpharm.errors.AnnotationFormatError`
naming the file and line on a malformed one, rather than skipping it silently.

The gene→GO file is GAF-2.2-*like* (converted from Bioconductor's ``org.Hs.eg.db``):
columns 4, 6, 8, 14 and 15 are empty, which goatools' strict GAF reader rejects, so it is
read here as plain TSV, skipping ``!`` header lines. The OBO is parsed with obonet after a
line check of our own, because obonet does not report line numbers.

References
----------
The Gene Ontology Consortium (2023) The Gene Ontology knowledgebase in 2023. Genetics 224:iyad031.
Gillespie M. et al. (2022) The reactome pathway knowledgebase 2022. Nucleic Acids Res 50:D687–D692.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import NamedTuple

import networkx as nx
import obonet

from netpharm.errors import AnnotationFormatError
from netpharm.io import read_text_file

__all__ = [
    "AnnotationFiles", "GoAnnotation", "GeneRecord", "GeneSet",
    "shipped_files", "read_text", "read_obo", "read_go_annotations", "iter_go_rows", "read_gene_info", "read_gmt",
]

_GO_ID = re.compile(r"^GO:\d{7}$")
_OBO_TAG = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*:(\s|$)")
# obonet splits a relationship's value on one space into (type, target): anything else fails inside it
_OBO_RELATIONSHIP = re.compile(r"^relationship:\s*\S+ \S+\s*(\{[^}]*\})?\s*(!.*)?$")
_GAF_COLUMNS = 17
_ASPECTS = {"P": "BP", "F": "MF", "C": "CC"}
_XREF_HEADER = ("entrez_id", "symbol", "gene_name", "gene_type", "has_go_annotation", "uniprot_ids",
                "ensembl_gene_ids", "ensembl_protein_ids", "aliases")


@dataclass(frozen=True)
class AnnotationFiles:
    """The input files of the offline analysis (see ``netpharm/data/README.md``).

    The shipped set has all four; a user's set (``[enrichment]`` ``go_obo``, ``go_annotations``,
    ``gene_info``, ``gene_sets``) may lack some: GO needs the OBO and the GAF, the pathway
    category the GMT, and without a gene table every annotated gene counts as background.
    """

    obo: Path | None = None
    go_annotations: Path | None = None
    gene_info: Path | None = None
    reactome_gmt: Path | None = None
    shipped: bool = False

    def as_dict(self) -> dict[str, Path]:
        paths = {"obo": self.obo, "go_annotations": self.go_annotations, "gene_info": self.gene_info,
                 "reactome_gmt": self.reactome_gmt}
        return {k: p for k, p in paths.items() if p is not None}

    @property
    def has_go(self) -> bool:
        return self.obo is not None and self.go_annotations is not None


class GoAnnotation(NamedTuple):
    """One direct gene→GO row (symbol, GO id, evidence code, category BP/MF/CC, GAF taxon, NOT qualifier).

    A NamedTuple, not a frozen dataclass: 350k of them are made per build, and a frozen
    dataclass's ``__init__`` is several times slower.
    """

    symbol: str
    go_id: str
    evidence: str
    category: str
    taxon: str = ""
    negated: bool = False


@dataclass(frozen=True)
class GeneRecord:
    """One NCBI Gene entry: symbol, gene type and aliases (``|``-separated in the file)."""

    entrez_id: str
    symbol: str
    gene_type: str
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class GeneSet:
    """One GMT line: pathway name, stable id and member symbols."""

    name: str
    term_id: str
    genes: tuple[str, ...]


def shipped_files(data_dir: Path | None = None) -> AnnotationFiles:
    """Locate the annotation files shipped in ``netpharm/data`` (or in ``data_dir``)."""
    base = Path(data_dir) if data_dir is not None else Path(str(resources.files("netpharm") / "data"))
    files = AnnotationFiles(
        obo=base / "go-basic.GOdb-3.16.0.obo.gz",
        go_annotations=base / "human_go_annotations.orgHsegdb-3.16.0.gaf.gz",
        gene_info=base / "human_genes_xref.orgHsegdb-3.16.0.tsv.gz",
        reactome_gmt=base / "ReactomePathways_2024-09-18.gmt.gz",
        shipped=True,
    )
    absent = [str(p) for p in files.as_dict().values() if not p.is_file()]
    if absent:
        raise AnnotationFormatError(f"annotation file(s) missing: {', '.join(absent)} "
                                    "(netpharm/data is incomplete; reinstall netpharm)")
    return files


def read_text(path: Path) -> str:
    """Read a UTF-8 text file, gzip-compressed or not (one line naming the file when it cannot be)."""
    return read_text_file(path, "annotation file", AnnotationFormatError, allow_gzip=True)


def _fail(path: Path, lineno: int, why: str, line: str) -> AnnotationFormatError:
    return AnnotationFormatError(f"{path}, line {lineno}: {why}: {line[:120]!r}")


# --- GO ontology -----------------------------------------------------------------
def _check_obo_lines(path: Path, text: str) -> None:
    """Every non-blank line must be a stanza header, a comment or a ``tag: value`` pair."""
    in_term, has_id = False, True
    for lineno, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("!"):
            continue
        if stripped.startswith("["):
            if not stripped.endswith("]"):
                raise _fail(path, lineno, "unterminated stanza header", line)
            if in_term and not has_id:
                raise _fail(path, lineno, "previous [Term] stanza has no id", line)
            in_term, has_id = stripped == "[Term]", False
            continue
        if not _OBO_TAG.match(stripped):
            raise _fail(path, lineno, "not an OBO 'tag: value' line", line)
        if in_term and stripped.startswith("id:"):
            if not _GO_ID.match(stripped[3:].strip()):
                raise _fail(path, lineno, "term id is not a GO:nnnnnnn identifier", line)
            has_id = True
        if in_term and stripped.startswith("relationship:") and not _OBO_RELATIONSHIP.match(stripped):
            raise _fail(path, lineno, "a relationship needs its type and its target term (e.g. part_of GO:0005634)",
                        line)


def read_obo(path: Path) -> nx.MultiDiGraph:
    """Parse a GO OBO file with obonet (obsolete terms dropped; edges child → parent).

    Raises
    ------
    AnnotationFormatError
        A malformed line (file and line named), or an OBO obonet cannot parse.
    """
    text = read_text(path)
    _check_obo_lines(Path(path), text)
    try:
        graph = obonet.read_obo(io.StringIO(text))
    except Exception as exc:  # obonet raises bare ValueError/KeyError on bad input; the checks above catch the known
        detail = str(exc).strip().splitlines()[0] if str(exc).strip() else "no details"
        raise AnnotationFormatError(f"{path}: not a GO OBO file obonet can read ({detail})") from exc
    if graph.number_of_nodes() == 0:
        raise AnnotationFormatError(f"{path}: no [Term] stanza found")
    return graph


# --- gene -> GO annotations ---------------------------------------------------------
def iter_go_rows(path: Path) -> Iterator[tuple[str, str, str, str, str, bool]]:
    """Checked rows of a GAF 2.x file as plain tuples ``(symbol, go_id, evidence, category, taxon, negated)``.

    Uses column 3 (symbol), 4 (qualifier: ``NOT`` marks a negated annotation, GAF 2.2 §4),
    5 (GO id), 7 (evidence code), 9 (aspect P/F/C) and 13 (``taxon:N``); ``!`` lines are headers.
    Plain tuples because the library build reads 350k rows and needs no objects.

    Raises
    ------
    AnnotationFormatError
        A row with a wrong column count, an empty symbol/evidence, a bad GO id or aspect
        (file and line named), or a file without rows.
    """
    aspects = _ASPECTS
    found = False
    for lineno, line in enumerate(read_text(path).splitlines(), start=1):
        if not line or line[0] == "!":
            continue
        fields = line.split("\t")
        if len(fields) != _GAF_COLUMNS:
            raise _fail(Path(path), lineno, f"expected {_GAF_COLUMNS} tab-separated columns, found {len(fields)}", line)
        symbol, go_id, evidence, aspect = fields[2], fields[4], fields[6], fields[8]
        # plain string tests, not a regex per row: this loop runs 350k times per library build
        if not symbol:
            raise _fail(Path(path), lineno, "empty gene symbol (column 3)", line)
        if not (len(go_id) == 10 and go_id.startswith("GO:") and go_id[3:].isdigit()):
            raise _fail(Path(path), lineno, f"column 5 {go_id!r} is not a GO id", line)
        if aspect not in aspects:
            raise _fail(Path(path), lineno, f"column 9 aspect {aspect!r} is not P, F or C", line)
        if not evidence:
            raise _fail(Path(path), lineno, "empty evidence code (column 7)", line)
        qualifier = fields[3]
        found = True
        yield (symbol, go_id, evidence, aspects[aspect], fields[12].split("|", 1)[0],
               bool(qualifier) and "NOT" in qualifier.split("|"))
    if not found:
        raise AnnotationFormatError(f"{path}: no annotation rows")


def read_go_annotations(path: Path) -> list[GoAnnotation]:
    """Read a GAF 2.x gene→GO file into :class:`GoAnnotation` rows (see :func:`iter_go_rows`)."""
    return [GoAnnotation(*row) for row in iter_go_rows(path)]


# --- gene cross-references ------------------------------------------------------------
def read_gene_info(path: Path) -> list[GeneRecord]:
    """Read the NCBI Gene cross-reference table (header + 9 tab-separated columns)."""
    lines = read_text(path).splitlines()
    if not lines or tuple(lines[0].split("\t")) != _XREF_HEADER:
        expected = "\t".join(_XREF_HEADER)
        raise AnnotationFormatError(f"{path}, line 1: header is not {expected!r}")
    records: list[GeneRecord] = []
    for lineno, line in enumerate(lines[1:], start=2):
        if not line:
            continue
        fields = line.split("\t")
        if len(fields) != len(_XREF_HEADER):
            raise _fail(Path(path), lineno, f"expected {len(_XREF_HEADER)} columns, found {len(fields)}", line)
        if not fields[0].isdigit() or not fields[1]:
            raise _fail(Path(path), lineno, "entrez_id must be numeric and symbol non-empty", line)
        aliases = tuple(a for a in fields[8].split("|") if a)
        records.append(GeneRecord(fields[0], fields[1], fields[3], aliases))
    return records


# --- Reactome GMT -----------------------------------------------------------------------
def read_gmt(path: Path) -> list[GeneSet]:
    """Read a GMT file: ``name<TAB>id<TAB>gene<TAB>gene...`` per line."""
    sets: list[GeneSet] = []
    seen: set[str] = set()
    for lineno, line in enumerate(read_text(path).splitlines(), start=1):
        if not line.strip():
            continue
        fields = line.rstrip("\r").split("\t")
        if len(fields) < 3:
            raise _fail(Path(path), lineno, "a GMT line needs a name, an id and at least one gene", line)
        name, term_id, genes = fields[0].strip(), fields[1].strip(), tuple(g for g in fields[2:] if g)
        if not name or not term_id or not genes:
            raise _fail(Path(path), lineno, "empty pathway name, id or gene list", line)
        if term_id in seen:
            raise _fail(Path(path), lineno, f"pathway id {term_id} listed twice", line)
        seen.add(term_id)
        sets.append(GeneSet(name, term_id, genes))
    if not sets:
        raise AnnotationFormatError(f"{path}: no gene set")
    return sets

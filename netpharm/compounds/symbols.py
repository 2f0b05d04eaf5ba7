"""Gene names to approved symbols through the shipped NCBI gene table (org.Hs.eg.db 3.16, human).

The table (``netpharm/data/human_genes_xref.orgHsegdb-3.16.0.tsv.gz``, see ``netpharm/data/README.md``) has
per gene: ``symbol``, ``uniprot_ids`` and ``aliases`` — org.Hs.eg.db's ALIAS map, which holds the HGNC
aliases **and previous symbols together** (the table does not say which is which, so a rename says "alias or
previous symbol"). It has no UniProt protein names, so names such as TCMSP's "Prostaglandin G/H synthase 1"
stay unmatched (listed).

Order of matching: the approved symbol as written; the approved symbol in another case (``tnf`` → ``TNF``);
a UniProt accession; an alias or previous symbol. A name that reaches two genes is **ambiguous**: listed with
its candidates, kept as written, never guessed. A name that matches nothing is kept as written and listed.
"""

from __future__ import annotations

import csv
import gzip
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

__all__ = ["GENE_TABLE", "Match", "SymbolTable", "gene_table", "normalise"]

#: The shipped gene table (also holds Ensembl gene ids, matched like accessions).
GENE_TABLE = Path(__file__).resolve().parents[1] / "data" / "human_genes_xref.orgHsegdb-3.16.0.tsv.gz"
#: UniProt accession (UniProt's documented pattern), optionally with an isoform suffix.
_ACCESSION = re.compile(r"^(?:[OPQ][0-9][A-Z0-9]{3}[0-9]|[A-NR-Z][0-9](?:[A-Z][A-Z0-9]{2}[0-9]){1,2})(?:-\d+)?$")
HUMAN = 9606


@dataclass(frozen=True)
class Match:
    """How one name as written was matched.

    ``status``: ``"approved"`` (unchanged), ``"renamed"`` (``how`` says through what), ``"ambiguous"``
    (``candidates`` listed, name kept as written) or ``"unmatched"`` (kept as written).
    """

    written: str
    symbol: str
    status: str
    how: str = ""
    candidates: tuple[str, ...] = ()


@dataclass(frozen=True)
class SymbolTable:
    """Approved symbols and what maps to them (upper-cased keys)."""

    symbols: frozenset[str]
    by_upper: dict[str, tuple[str, ...]]
    by_accession: dict[str, tuple[str, ...]]
    by_alias: dict[str, tuple[str, ...]]
    by_ensembl: dict[str, tuple[str, ...]]
    source: str = field(default="")

    def match(self, name: str) -> Match:
        """The :class:`Match` of one name (stripped of spaces)."""
        if name in self.symbols:
            return Match(name, name, "approved")
        key = name.upper()
        for how, index in (("case", self.by_upper), ("UniProt accession", self.by_accession),
                           ("Ensembl gene id", self.by_ensembl), ("alias or previous symbol", self.by_alias)):
            if how == "UniProt accession":
                if not _ACCESSION.match(key):
                    continue
                key_here = key.split("-")[0]
            else:
                key_here = key
            found = index.get(key_here, ())
            if len(found) == 1:
                return Match(name, found[0], "renamed", how)
            if len(found) > 1:
                return Match(name, name, "ambiguous", how, found)
        return Match(name, name, "unmatched")


@lru_cache(maxsize=2)
def gene_table(path: Path = GENE_TABLE) -> SymbolTable:
    """The gene table's maps (read once per process: 77,614 genes, about a second)."""
    symbols: set[str] = set()
    upper: dict[str, set[str]] = defaultdict(set)
    accession: dict[str, set[str]] = defaultdict(set)
    alias: dict[str, set[str]] = defaultdict(set)
    ensembl: dict[str, set[str]] = defaultdict(set)
    with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            symbol = row["symbol"]
            symbols.add(symbol)
            upper[symbol.upper()].add(symbol)
            for acc in filter(None, row["uniprot_ids"].split("|")):
                accession[acc.upper()].add(symbol)
            for gid in filter(None, row["ensembl_gene_ids"].split("|")):
                ensembl[gid.upper()].add(symbol)
            for name in filter(None, row["aliases"].split("|")):
                if name != symbol:
                    alias[name.upper()].add(symbol)
    # An approved symbol is never also read as another gene's alias: HGNC symbols win (e.g. a previous
    # symbol reused for another gene).
    alias = {k: v for k, v in alias.items() if k not in upper}

    def frozen(index: dict[str, set[str]]) -> dict[str, tuple[str, ...]]:
        return {k: tuple(sorted(v)) for k, v in index.items()}

    return SymbolTable(frozenset(symbols), frozen(upper), frozen(accession), frozen(alias), frozen(ensembl), path.name)


def normalise(names: Iterable[str], species: int = HUMAN, enabled: bool = True,
              protein_names: Mapping[str, tuple[str, ...]] | None = None, protein_source: str = "") -> dict[str, Match]:
    """``{name as written: Match}`` for every distinct name (stripped).

    ``protein_names`` (casefolded protein name → genes, from ``[compounds] target_names``) is tried for names the
    gene table does not know; its gene is then normalised too. For a species other than human (the shipped table
    is human) or with ``enabled`` false, every name is kept as written with status ``"kept"`` (a protein-name map
    still applies): nothing else is renamed, nothing claimed.
    """
    distinct = list(dict.fromkeys(n.strip() for n in names if n.strip()))
    human = enabled and species == HUMAN
    table = gene_table() if human else None
    out = {}
    for name in distinct:
        found = table.match(name) if table is not None else Match(name, name, "kept")
        genes = (protein_names or {}).get(name.casefold(), ())
        if found.status in ("unmatched", "kept") and genes:
            how = f"protein name ({protein_source})" if protein_source else "protein name"
            if len(genes) > 1:
                found = Match(name, name, "ambiguous", how, genes)
            else:
                gene = table.match(genes[0]).symbol if table is not None else genes[0]
                found = Match(name, gene, "renamed", how)
        out[name] = found
    return out

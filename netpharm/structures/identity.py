"""Is this structure the protein it is docked as? Chains mapped to genes, and the blind-docking box criterion.

A study names a target gene and a PDB entry; the entry says what its chains are: mmCIF ``_struct_ref`` /
``_struct_ref_seq`` (UniProt accession and entry name per chain range), the same from a PDB file's DBREF records
(gemmi converts them), else the entity description (``_entity.pdbx_description`` or the PDB COMPND ``MOLECULE``).
Each chain is mapped to human gene symbols through the shipped NCBI gene table (UniProt accessions, symbols and
aliases: ``netpharm/data/human_genes_xref…tsv.gz``); a UniProt entry name of another species (OPRM_MOUSE) or a
description matches by the gene's symbol, aliases or full name. The entry **matches** its target when a chain maps
to it, **mismatches** when chains are identified and none is the target (T4 lysozyme offered as cyclin D1), and is
**unknown** when no chain can be identified. An entry holding several proteins names the chain(s) that are the
target, so the report says which one was docked.

Blind docking (Che & Zhang 2025, Front Pharmacol, doi 10.3389/fphar.2025.1566772): a box that encloses
(nearly) the whole receptor searches every surface, not the pocket the paper argues about. The criterion used
here: **the box holds at least 90 % of the receptor's heavy atoms** (:data:`BLIND_FRACTION`); a pocket box of
the usual 20–30 Å holds a small fraction of any receptor of more than ~100 residues.
"""

from __future__ import annotations

import csv
import gzip
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import gemmi
import numpy as np

from netpharm.structures.entry import EntryInfo, entry_info_from_block

__all__ = ["ChainIdentity", "IdentityCheck", "chain_identities", "check_identity", "box_fraction", "BLIND_FRACTION",
           "GENE_TABLE"]

#: Fraction of the receptor's heavy atoms inside the box at and above which docking is reported as blind docking.
BLIND_FRACTION = 0.9
#: The shipped NCBI gene table (symbols, aliases, UniProt accessions), the one the enrichment stage uses.
GENE_TABLE = Path(__file__).resolve().parents[1] / "data" / "human_genes_xref.orgHsegdb-3.16.0.tsv.gz"
_WORD = re.compile(r"[a-z0-9]+")
#: Words that say nothing about which protein a description names.
_FILLER = {"protein", "chain", "subunit", "fragment", "domain", "type", "human", "the", "of", "and", "form"}


@dataclass(frozen=True)
class _Gene:
    symbol: str
    name: str
    aliases: tuple[str, ...]


@lru_cache(maxsize=1)
def _genes() -> tuple[dict[str, list[_Gene]], dict[str, list[_Gene]], dict[str, _Gene]]:
    """(UniProt accession → genes, upper-case symbol/alias → genes, symbol → gene), protein-coding genes only."""
    by_acc: dict[str, list[_Gene]] = {}
    by_name: dict[str, list[_Gene]] = {}
    by_symbol: dict[str, _Gene] = {}
    with gzip.open(GENE_TABLE, "rt", encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            if row["gene_type"] != "protein-coding":
                continue
            gene = _Gene(row["symbol"], row["gene_name"], tuple(a for a in row["aliases"].split("|") if a))
            by_symbol[gene.symbol.upper()] = gene
            for acc in filter(None, row["uniprot_ids"].split("|")):
                by_acc.setdefault(acc, []).append(gene)
            for name in {gene.symbol, *gene.aliases}:
                by_name.setdefault(name.upper(), []).append(gene)
    return by_acc, by_name, by_symbol


@dataclass(frozen=True)
class ChainIdentity:
    """What one protein chain of an entry is.

    Attributes
    ----------
    chain : str
        Author chain name.
    description : str
        Entity description (mmCIF) or COMPND MOLECULE (PDB), "" when the file has none.
    reference : str
        "UNP P24385 CCND1_HUMAN" (the chain's non-fusion UniProt reference), "" when none.
    genes : tuple of str
        Human gene symbols the chain maps to (empty when it maps to none).
    how : str
        How it was mapped: "UniProt accession", "UniProt entry name", "description" or "".
    """

    chain: str
    description: str
    reference: str
    genes: tuple[str, ...]
    how: str

    def label(self) -> str:
        """"A (UNP P24385 CCND1_HUMAN, G1/S-SPECIFIC CYCLIN-D1)"."""
        what = ", ".join(x for x in (self.reference, self.description) if x)
        return f"{self.chain} ({what})" if what else self.chain


@dataclass(frozen=True)
class IdentityCheck:
    """The verdict of the identity check of one structure offered as ``target``.

    Attributes
    ----------
    target : str
        The gene the structure is docked as.
    status : {"match", "mismatch", "unknown"}
    chains : tuple of str
        The chains that are the target (empty unless ``match``).
    proteins : tuple of str
        Every protein chain, labelled (:meth:`ChainIdentity.label`).
    finding : str
        One sentence for the report and the audit.
    """

    target: str
    status: str
    chains: tuple[str, ...]
    proteins: tuple[str, ...]
    finding: str


def _words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower()) if w not in _FILLER}


def _by_description(description: str, target: _Gene | None) -> bool:
    """The description names the target: its symbol or an alias as a word, or every word of its full name."""
    if target is None or not description:
        return False
    words = _words(description)
    names = {n.lower() for n in (target.symbol, *target.aliases) if len(n) > 2}
    if names & set(_WORD.findall(description.lower())) or names & {description.lower().strip()}:
        return True
    full = {w for w in _words(target.name) if not w.isdigit()}
    return bool(full) and full <= words


def _pdb_descriptions(text: str) -> dict[str, str]:
    """Author chain → COMPND MOLECULE of a PDB file.

    Written here because gemmi keeps no COMPND record; the format is fixed (PDB 3.3, COMPND: MOL_ID, MOLECULE,
    CHAIN tokens, continued over lines).
    """
    body = " ".join(line[10:80].strip() for line in text.splitlines() if line.startswith("COMPND"))
    out: dict[str, str] = {}
    for block in body.split("MOL_ID:")[1:]:
        fields = dict((k.strip(), v.strip()) for k, _, v in (t.partition(":") for t in block.split(";")) if v)
        for chain in fields.get("CHAIN", "").split(","):
            if chain.strip():
                out[chain.strip()] = fields.get("MOLECULE", "")
    return out


def _entry_facts(structure: gemmi.Structure, entry: EntryInfo | None, pdb_text: str) -> tuple[EntryInfo, dict[str, str]]:
    """The entry facts (mmCIF as read, or a PDB file's DBREF through gemmi's mmCIF conversion) and PDB COMPND names."""
    if entry is not None and entry.refs:
        return entry, {}
    block = structure.make_mmcif_document().sole_block()
    return entry_info_from_block(block, structure), _pdb_descriptions(pdb_text)


def chain_identities(structure: gemmi.Structure, entry: EntryInfo | None = None, pdb_text: str = "",
                     target: str = "") -> list[ChainIdentity]:
    """Every protein chain of the first model with what it is and the human genes it maps to.

    ``pdb_text``: the PDB file's text, for its COMPND descriptions (PDB files only); ``target``: the gene a
    description or an ortholog's entry name is compared with (descriptions are matched to that gene only).
    """
    info, compnd = _entry_facts(structure, entry, pdb_text)
    by_acc, by_name, by_symbol = _genes()
    wanted = by_symbol.get(target.upper()) if target else None
    out = []
    for chain in structure[0]:
        if not any(gemmi.find_tabulated_residue(r.name) is not None and
                   gemmi.find_tabulated_residue(r.name).is_amino_acid() for r in chain):
            continue
        refs = [r for r in info.chain_refs(chain.name) if r.db_name == "UNP" and not r.fusion_partner]
        description = info.description(chain.name) or compnd.get(chain.name, "")
        reference = refs[0].label() if refs else ""
        genes: list[str] = []
        how = ""
        for ref in refs:
            hits = by_acc.get(ref.accession.split("-")[0], [])
            if hits:
                genes += [g.symbol for g in hits]
                how = how or "UniProt accession"
        if not genes:
            for ref in refs:  # another species' entry (OPRM_MOUSE): its mnemonic is often the human symbol or alias
                stem = ref.db_code.upper().split("_")[0]
                hits = by_name.get(stem, [])
                if wanted is not None and wanted in hits:
                    hits = [wanted]
                if len(hits) == 1:
                    genes.append(hits[0].symbol)
                    how = "UniProt entry name"
        if not genes and _by_description(description, wanted) and wanted is not None:
            genes, how = [wanted.symbol], "description"
        out.append(ChainIdentity(chain.name, description, reference, tuple(dict.fromkeys(genes)), how))
    return out


def check_identity(structure: gemmi.Structure, target: str, entry: EntryInfo | None = None, pdb_text: str = "",
                   kept: Sequence[str] = ()) -> IdentityCheck:
    """Whether ``structure`` holds ``target``; ``kept`` = the chains docked (named when they are not the target).

    A chain mapped by accession to other genes only is evidence against the target; a chain nobody can
    identify is not. ``mismatch`` needs at least one identified chain and none that is the target.
    """
    chains = chain_identities(structure, entry, pdb_text, target)
    labels = tuple(c.label() for c in chains)
    name = (entry.entry_id if entry is not None and entry.entry_id else
            structure.info["_entry.id"] if "_entry.id" in structure.info else structure.name)
    up = target.upper()
    hits = [c for c in chains if up in {g.upper() for g in c.genes}]
    identified = [c for c in chains if c.genes or c.reference]
    others = [c for c in chains if c not in hits]
    if hits:
        finding = f"{name} holds {target}: chain(s) {', '.join(c.chain for c in hits)} ({hits[0].how}"
        finding += f", {hits[0].reference}" if hits[0].reference else ""
        finding += ")"
        species = hits[0].reference.rsplit("_", 1)[-1] if "_" in hits[0].reference else "HUMAN"
        if species != "HUMAN":
            finding += f"; a {species} protein: an ortholog of the human gene"
        if others:
            finding += f"; it also holds {', '.join(c.label() for c in others)}"
        docked = [k for k in kept if k not in {c.chain for c in hits}]
        if kept:
            finding += f"; chain(s) docked: {', '.join(kept)}"
            if docked:
                finding += f" — {', '.join(docked)} not {target}"
        return IdentityCheck(target, "match", tuple(c.chain for c in hits), labels, finding)
    if identified:
        what = "; ".join(f"{c.label()}" + (f" = {', '.join(c.genes)}" if c.genes else "") for c in identified)
        return IdentityCheck(target, "mismatch", (), labels,
                             f"{name} is not {target}: its protein chains are {what}")
    return IdentityCheck(target, "unknown", (), labels,
                         f"{name}: no chain can be identified (no UniProt reference, no description naming "
                         f"{target}); its identity as {target} is not checked")


def box_fraction(center: Sequence[float], size: Sequence[float], coords: Iterable[Sequence[float]]) -> float:
    """Fraction of ``coords`` (the receptor's heavy atoms) inside the axis-aligned box (0 for no atom)."""
    xyz = np.asarray(list(coords), dtype=float).reshape(-1, 3)
    if not len(xyz):
        return 0.0
    half = np.asarray(size, dtype=float) / 2
    inside = np.all(np.abs(xyz - np.asarray(center, dtype=float)) <= half, axis=1)
    return float(inside.mean())

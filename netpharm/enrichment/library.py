"""The offline gene-set library: propagated GO + Reactome memberships as integer arrays.

Parsing the OBO and propagating 350k annotations takes seconds, so the result is cached
as JSON (names, symbols, provenance) + ``.npz`` (membership pairs) — never pickle — keyed
by the sha256 of the input files and the options that change it. A warm load reads
those two files only.
"""

from __future__ import annotations

import io
import json
import logging
import os
import zipfile
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np

from netpharm.enrichment.annotations import (
    AnnotationFiles,
    GeneRecord,
    iter_go_rows,
    read_gene_info,
    read_gmt,
    shipped_files,
)
from netpharm.enrichment.obo_terms import closure_of, read_obo_terms
from netpharm.enrichment.ontology import NAMESPACE_CATEGORY
from netpharm.errors import CacheCorruptError
from netpharm.io import file_sha256, json_sha256, read_json, write_bytes_atomic, write_text_atomic

__all__ = ["GeneSetLibrary", "SymbolMapping", "build_library", "load_library", "default_cache_dir",
           "library_key"]

log = logging.getLogger(__name__)

FORMAT_VERSION = 2  # bump when the cached layout or the build rules change


def default_cache_dir() -> Path:
    """``$NETPHARM_CACHE_DIR`` or ``$XDG_CACHE_HOME/netpharm`` (``~/.cache/netpharm``), ``/derived/enrichment``."""
    root = os.environ.get("NETPHARM_CACHE_DIR") or str(
        Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "netpharm")
    return Path(root) / "derived" / "enrichment"


@dataclass(frozen=True)
class SymbolMapping:
    """How query symbols were matched to the library's gene symbols."""

    mapped: dict[str, str]                       # query symbol -> library symbol
    via_alias: dict[str, str] = field(default_factory=dict)  # the subset matched through an alias
    unknown: tuple[str, ...] = ()                # not a current symbol nor a unique alias


@dataclass(frozen=True)
class GeneSetLibrary:
    """Gene sets of every category as (term, gene) index pairs.

    Attributes
    ----------
    genes : tuple of str
        Gene symbols (NCBI Gene), then symbols only seen in annotations.
    protein_coding : ndarray of bool
        Per gene: NCBI gene type is ``protein-coding``.
    aliases : dict
        Unambiguous alias → current symbol (aliases shared by two genes are left out).
    term_ids, term_names, term_categories : tuple of str
        Per term; category is ``BP``, ``MF``, ``CC`` or ``Reactome``.
    pair_terms, pair_genes : ndarray of int32
        Membership after GO propagation (``is_a`` + ``part_of``), one row per (term, gene).
    provenance : dict
        Input files with sha256, versions, options and counts of rows that could not be used.
    """

    genes: tuple[str, ...]
    protein_coding: np.ndarray
    aliases: dict[str, str]
    term_ids: tuple[str, ...]
    term_names: tuple[str, ...]
    term_categories: tuple[str, ...]
    pair_terms: np.ndarray
    pair_genes: np.ndarray
    provenance: dict[str, Any]

    @cached_property
    def gene_index(self) -> dict[str, int]:
        return {g: i for i, g in enumerate(self.genes)}

    @cached_property
    def term_index(self) -> dict[str, int]:
        return {t: i for i, t in enumerate(self.term_ids)}

    @cached_property
    def term_category_array(self) -> np.ndarray:
        return np.asarray(self.term_categories)

    def pairs_in(self, category: str) -> np.ndarray:
        """Boolean mask of the membership pairs whose term is in ``category``."""
        return (self.term_category_array == category)[self.pair_terms]

    def members(self, term_id: str) -> list[str]:
        """Gene symbols annotated to ``term_id`` (after propagation)."""
        idx = self.term_index[term_id]
        return sorted(self.genes[g] for g in self.pair_genes[self.pair_terms == idx])

    def map_symbols(self, symbols: Iterable[str]) -> SymbolMapping:
        """Match symbols exactly, then through an unambiguous NCBI alias; list the rest."""
        mapped, via_alias, unknown = {}, {}, []
        for symbol in symbols:
            if symbol in self.gene_index:
                mapped[symbol] = symbol
            elif symbol in self.aliases:
                mapped[symbol] = via_alias[symbol] = self.aliases[symbol]
            else:
                unknown.append(symbol)
        return SymbolMapping(mapped, via_alias, tuple(unknown))


# --- building --------------------------------------------------------------------------
def _gene_tables(records: Sequence[GeneRecord]) -> tuple[list[str], set[str], dict[str, str]]:
    symbols: list[str] = []
    coding: set[str] = set()
    seen: set[str] = set()
    alias_targets: dict[str, set[str]] = defaultdict(set)
    for rec in records:
        if rec.symbol not in seen:
            seen.add(rec.symbol)
            symbols.append(rec.symbol)
        if rec.gene_type == "protein-coding":
            coding.add(rec.symbol)
        for alias in rec.aliases:
            alias_targets[alias].add(rec.symbol)
    aliases = {a: next(iter(t)) for a, t in alias_targets.items() if len(t) == 1 and a not in seen}
    return symbols, coding, aliases


@dataclass(frozen=True)
class _GoDirect:
    """Direct GO annotations after alt_id mapping and exclusions, with the ontology's closure."""

    direct: dict[str, set[str]]
    closure: dict[str, frozenset[str]]
    names: dict[str, str]
    namespaces: dict[str, str]


def _go_direct(files: AnnotationFiles, evidence_exclude: frozenset[str], stats: dict[str, Any]) -> _GoDirect:
    """Direct gene → GO terms (primary ids), counting every row that could not be used."""
    assert files.obo is not None and files.go_annotations is not None
    ontology = read_obo_terms(files.obo)  # one pass, no networkx graph: most of the cold build otherwise
    stats["go_data_version"] = ontology.data_version
    alt = ontology.alt_ids
    closure = closure_of(ontology)
    direct: dict[str, set[str]] = defaultdict(set)
    unknown_terms: set[str] = set()
    excluded = negated = 0
    taxa: set[str] = set()
    for symbol, go_id, evidence, _, taxon, is_not in iter_go_rows(files.go_annotations):
        taxa.add(taxon)
        if is_not:  # "NOT" annotations say the gene is *not* in the term (GAF 2.2)
            negated += 1
            continue
        if evidence in evidence_exclude:
            excluded += 1
            continue
        term = alt.get(go_id, go_id)
        if term not in closure:
            unknown_terms.add(go_id)
            continue
        direct[symbol].add(term)
    stats["go_rows_excluded_by_evidence"] = excluded
    stats["go_rows_negated_not"] = negated
    stats["go_taxa"] = sorted(t for t in taxa if t)
    stats["go_terms_obsolete_or_unknown"] = sorted(unknown_terms)
    return _GoDirect(dict(direct), closure, ontology.names, ontology.namespaces)


def _go_pairs(go: _GoDirect, gindex: dict[str, int]) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Propagated (term, gene) pairs as integer arrays, and the GO terms that hold a gene.

    One sparse product instead of one Python set (or one ``np.unique``) per gene: ``D`` (gene ×
    directly annotated term) times ``C`` (term × its ancestors, itself included) has a non-zero
    exactly at every propagated (gene, term) pair, duplicates merged by SciPy's compiled product
    (0.1 s for GO's 1.9 M pairs; the per-gene loop took 0.6 s of the cold build). Same true-path
    rule (:mod:`netpharm.enrichment.ontology`).
    """
    if not go.direct:
        return [], np.zeros(0, np.int32), np.zeros(0, np.int32)
    import scipy.sparse as sp

    universe = sorted(go.closure)
    tindex = {t: i for i, t in enumerate(universe)}
    used_direct = sorted(set().union(*go.direct.values()))  # only the terms genes are annotated to directly
    local = {t: i for i, t in enumerate(used_direct)}
    sizes = np.fromiter((len(go.closure[t]) for t in used_direct), dtype=np.int64, count=len(used_direct))
    indptr = np.concatenate([[0], np.cumsum(sizes)])
    ancestors = np.fromiter((tindex[a] for t in used_direct for a in go.closure[t]), dtype=np.int32,
                            count=int(indptr[-1]))
    closure = sp.csr_matrix((np.ones(len(ancestors), dtype=np.int32), ancestors, indptr),
                            shape=(len(used_direct), len(universe)))
    direct_gene = np.fromiter((gindex[g] for g, terms in go.direct.items() for _ in terms), dtype=np.int32)
    direct_term = np.fromiter((local[t] for terms in go.direct.values() for t in terms), dtype=np.int32,
                              count=len(direct_gene))
    direct = sp.csr_matrix((np.ones(len(direct_gene), dtype=np.int32), (direct_gene, direct_term)),
                           shape=(max(gindex.values()) + 1, len(used_direct)))
    pairs = (direct @ closure).tocoo()
    used = np.unique(pairs.col)
    remap = np.full(len(universe), -1, dtype=np.int32)
    remap[used] = np.arange(len(used), dtype=np.int32)
    return [universe[i] for i in used], remap[pairs.col], pairs.row.astype(np.int32)


def _reactome_sets(files: AnnotationFiles, known: set[str], aliases: dict[str, str],
                   stats: dict[str, Any]) -> tuple[dict[str, set[str]], dict[str, tuple[str, str]]]:
    sets: dict[str, set[str]] = {}
    info: dict[str, tuple[str, str]] = {}
    renamed, foreign = set(), set()
    assert files.reactome_gmt is not None
    for gs in read_gmt(files.reactome_gmt):
        members = set()
        for symbol in gs.genes:
            if symbol not in known and symbol in aliases:
                renamed.add(symbol)
                symbol = aliases[symbol]
            elif symbol not in known:
                foreign.add(symbol)  # viral genes, rRNAs, retired symbols: kept, never protein-coding
            members.add(symbol)
        sets[gs.term_id] = members
        info[gs.term_id] = (gs.name, "Reactome")
    stats["reactome_symbols_renamed_via_alias"] = len(renamed)
    stats["reactome_symbols_not_ncbi_genes"] = len(foreign)
    return sets, info


def build_library(files: AnnotationFiles, evidence_exclude: Iterable[str] = ()) -> GeneSetLibrary:
    """Parse the four files and build the library (slow path; see :func:`load_library`)."""
    exclude = frozenset(evidence_exclude)
    stats: dict[str, Any] = {}
    log.info("building the GO/Reactome library from %s (evidence excluded: %s)",
             ", ".join(p.name for p in files.as_dict().values()), sorted(exclude) or "none")
    symbols, coding, aliases = _gene_tables(read_gene_info(files.gene_info)) if files.gene_info else ([], set(), {})
    go = _go_direct(files, exclude, stats) if files.has_go else None
    re_sets, re_info = _reactome_sets(files, set(symbols), aliases, stats) if files.reactome_gmt else ({}, {})
    if files.gene_info is None:
        stats["gene_types"] = "no gene table: every annotated gene counts as background"
    seen = set(go.direct) if go else set()
    for members in re_sets.values():
        seen |= members
    genes = tuple(symbols + sorted(seen - set(symbols)))
    gindex = {g: i for i, g in enumerate(genes)}
    go_terms, go_t, go_g = _go_pairs(go, gindex) if go else ([], np.zeros(0, np.int32), np.zeros(0, np.int32))
    re_terms = sorted(re_sets)
    # Term order: sorted ids ("GO:…" before "R-HSA-…"), independent of the input files' order.
    term_ids = tuple(sorted(go_terms + re_terms))
    final = {t: i for i, t in enumerate(term_ids)}
    go_final = np.fromiter((final[t] for t in go_terms), dtype=np.int32, count=len(go_terms))
    re_t = [final[t] for t in re_terms for _ in re_sets[t]]
    re_g = [gindex[g] for t in re_terms for g in re_sets[t]]
    terms_all = np.concatenate([go_final[go_t], np.asarray(re_t, dtype=np.int32)])
    genes_all = np.concatenate([go_g, np.asarray(re_g, dtype=np.int32)])
    order = np.lexsort((genes_all, terms_all))
    pair_t, pair_g = terms_all[order], genes_all[order]
    info = dict(re_info)
    if go is not None:
        info.update({t: (go.names[t], NAMESPACE_CATEGORY[go.namespaces[t]]) for t in go_terms})
    provenance = {
        "format_version": FORMAT_VERSION,
        "files": {k: {"name": p.name, "sha256": file_sha256(p)} for k, p in files.as_dict().items()},
        "shipped": files.shipped,
        "evidence_exclude": sorted(exclude),
        "propagation": "is_a + part_of",
        **stats,
    }
    return GeneSetLibrary(
        genes=genes,
        protein_coding=np.array([g in coding or files.gene_info is None for g in genes], dtype=bool),
        aliases=aliases,
        term_ids=term_ids,
        term_names=tuple(info[t][0] for t in term_ids),
        term_categories=tuple(info[t][1] for t in term_ids),
        pair_terms=pair_t.astype(np.int32),
        pair_genes=pair_g.astype(np.int32),
        provenance=provenance,
    )


# --- caching -----------------------------------------------------------------------------
def library_key(files: AnnotationFiles, evidence_exclude: Iterable[str] = ()) -> str:
    """sha256 of the input files' hashes, the options and the format version."""
    spec = {"format": FORMAT_VERSION, "evidence_exclude": sorted(set(evidence_exclude)),
            "files": {k: file_sha256(p) for k, p in files.as_dict().items()}}
    return json_sha256(spec)


def _save(library: GeneSetLibrary, json_path: Path, npz_path: Path) -> None:
    meta = {"genes": list(library.genes), "aliases": library.aliases, "term_ids": list(library.term_ids),
            "term_names": list(library.term_names), "term_categories": list(library.term_categories),
            "provenance": library.provenance}
    buffer = io.BytesIO()
    np.savez(buffer, protein_coding=library.protein_coding, pair_terms=library.pair_terms,
             pair_genes=library.pair_genes)
    write_bytes_atomic(npz_path, buffer.getvalue())
    write_text_atomic(json_path, json.dumps(meta, sort_keys=True, separators=(",", ":")))


def _load(json_path: Path, npz_path: Path) -> GeneSetLibrary:
    meta = read_json(json_path, "cached library", CacheCorruptError)
    with np.load(npz_path, allow_pickle=False) as arrays:
        coding, terms, genes = arrays["protein_coding"], arrays["pair_terms"], arrays["pair_genes"]
    library = GeneSetLibrary(
        genes=tuple(meta["genes"]), protein_coding=coding, aliases=meta["aliases"],
        term_ids=tuple(meta["term_ids"]), term_names=tuple(meta["term_names"]),
        term_categories=tuple(meta["term_categories"]), pair_terms=terms, pair_genes=genes,
        provenance=meta["provenance"])
    if len(library.genes) != len(coding) or len(terms) != len(genes) or (
            len(terms) and int(terms.max()) >= len(library.term_ids)):
        raise ValueError("inconsistent cached library")
    return library


def load_library(files: AnnotationFiles | None = None, evidence_exclude: Iterable[str] = (),
                 cache_dir: Path | None = None, use_cache: bool = True) -> GeneSetLibrary:
    """The library for ``files`` (default: the shipped ones), from the derived cache when possible.

    Parameters
    ----------
    files : AnnotationFiles, optional
        Input files; default :func:`~netpharm.enrichment.annotations.shipped_files`.
    evidence_exclude : iterable of str
        GO evidence codes to drop before propagation.
    cache_dir : Path, optional
        Folder of the parsed-library cache (default :func:`default_cache_dir`).
    use_cache : bool
        False = always parse, never read or write the cache.
    """
    files = files or shipped_files()
    exclude = sorted(set(evidence_exclude))
    if not use_cache:
        return build_library(files, exclude)
    folder = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    key = library_key(files, exclude)
    json_path, npz_path = folder / f"library-{key}.json", folder / f"library-{key}.npz"
    if json_path.is_file() and npz_path.is_file():
        try:
            library = _load(json_path, npz_path)
            log.info("GO/Reactome library loaded from cache %s", json_path)
            return library
        # A damaged file (cut short, bit flip: zipfile's CRC check) is derived data: rebuild it, never fail.
        except (OSError, EOFError, ValueError, KeyError, TypeError, zipfile.BadZipFile, CacheCorruptError) as exc:
            log.warning("cached library %s unreadable (%s); rebuilding", json_path, exc)
    library = build_library(files, exclude)
    try:
        _save(library, json_path, npz_path)
    except OSError as exc:  # a read-only cache folder must not stop the analysis
        log.warning("could not cache the parsed library in %s: %s", folder, exc)
    return library


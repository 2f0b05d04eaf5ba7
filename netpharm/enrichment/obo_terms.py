"""A one-pass reader of what the offline ORA needs from a GO OBO file.

obonet builds a full networkx graph with every tag of every stanza, which takes ~4 s for GO
(most of the library's cold build); the ORA needs only id, name, namespace, alt_id and the
``is_a`` / ``part_of`` parents of live terms. This reader collects exactly those while doing
the line checks :func:`~netpharm.enrichment.annotations.read_obo` does (a malformed line raises
:class:`~netpharm.errors.AnnotationFormatError` with file and line), and computes the ancestor
closure without networkx. ``tests/test_enrichment_user_files.py`` checks it against obonet on
the shipped GO release, term by term.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from netpharm.enrichment.annotations import _fail, read_text
from netpharm.enrichment.ontology import PROPAGATION_RELATIONS
from netpharm.errors import AnnotationFormatError

__all__ = ["OboTerms", "read_obo_terms", "closure_of"]

_GO_ID = re.compile(r"^GO:\d{7}$")
_TAG = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*:(\s|$)")
_COMMON_TAGS = frozenset({"id", "name", "namespace", "def", "is_a", "relationship", "alt_id", "is_obsolete",
                          "synonym", "xref", "comment", "subset", "consider", "replaced_by"})


@dataclass(frozen=True)
class OboTerms:
    """Live terms of an OBO file: name, namespace, parents (``is_a`` + ``part_of``), alt_id map."""

    data_version: str
    names: dict[str, str]
    namespaces: dict[str, str]
    parents: dict[str, tuple[str, ...]]
    alt_ids: dict[str, str]


def read_obo_terms(path: Path) -> OboTerms:
    """Read the live ``[Term]`` stanzas of an OBO file (obsolete terms dropped, as obonet does).

    Raises
    ------
    AnnotationFormatError
        A malformed line (file and line named) or no ``[Term]`` stanza.
    """
    path = Path(path)
    relations = set(PROPAGATION_RELATIONS) - {"is_a"}
    names: dict[str, str] = {}
    namespaces: dict[str, str] = {}
    parents: dict[str, tuple[str, ...]] = {}
    alt_ids: dict[str, str] = {}
    version = ""
    term: dict[str, object] | None = None
    in_header, in_term = True, False

    def close() -> None:
        if term is None or term.get("obsolete"):
            return
        tid = str(term["id"])
        names[tid] = str(term.get("name", ""))
        namespaces[tid] = str(term.get("namespace", ""))
        parents[tid] = tuple(term["parents"])  # type: ignore[arg-type]
        for alt in term["alt"]:  # type: ignore[attr-defined]
            alt_ids[alt] = tid

    for lineno, line in enumerate(read_text(path).splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("!"):
            continue
        if stripped.startswith("["):
            if not stripped.endswith("]"):
                raise _fail(path, lineno, "unterminated stanza header", line)
            if in_term and term is not None and "id" not in term:
                raise _fail(path, lineno, "previous [Term] stanza has no id", line)
            close()
            in_header, in_term = False, stripped == "[Term]"
            term = {"parents": [], "alt": []} if in_term else None
            continue
        tag, colon, value = stripped.partition(":")
        # the common tags skip the regex (274k lines in GO); any other line is checked in full
        if not (colon and tag in _COMMON_TAGS and (not value or value[0] == " ")) and not _TAG.match(stripped):
            raise _fail(path, lineno, "not an OBO 'tag: value' line", line)
        value = value.split(" !", 1)[0].strip()
        if in_header:
            if tag == "data-version":
                version = value
            continue
        if term is None:
            continue
        if tag == "id":
            if not _GO_ID.match(value):
                raise _fail(path, lineno, "term id is not a GO:nnnnnnn identifier", line)
            term["id"] = value
        elif tag in ("name", "namespace"):
            term[tag] = value
        elif tag == "is_a":
            term["parents"].append(value.split()[0])  # type: ignore[attr-defined]
        elif tag == "relationship":
            rel, _, target = value.partition(" ")
            if rel in relations:
                term["parents"].append(target.split()[0])  # type: ignore[attr-defined]
        elif tag == "alt_id":
            term["alt"].append(value)  # type: ignore[attr-defined]
        elif tag == "is_obsolete" and value == "true":
            term["obsolete"] = True
    if in_term and term is not None and "id" not in term:
        raise AnnotationFormatError(f"{path}: last [Term] stanza has no id")
    close()
    if not names:
        raise AnnotationFormatError(f"{path}: no [Term] stanza found")
    return OboTerms(version, names, namespaces, parents, alt_ids)


def closure_of(terms: OboTerms) -> dict[str, frozenset[str]]:
    """Each live term → itself and all its ancestors (``is_a`` + ``part_of``).

    Raises
    ------
    AnnotationFormatError
        The relations form a cycle.
    """
    closure: dict[str, frozenset[str]] = {}
    visiting: set[str] = set()
    for root in terms.parents:
        if root in closure:
            continue
        stack = [root]
        while stack:  # iterative depth-first: GO is deeper than Python's comfort zone for recursion
            node = stack[-1]
            pending = [p for p in terms.parents.get(node, ()) if p in terms.parents and p not in closure]
            if pending:
                if node in visiting and any(p in visiting for p in pending):
                    raise AnnotationFormatError(f"ontology is not a DAG: cycle through {node}")
                visiting.add(node)
                stack.extend(pending)
                continue
            stack.pop()
            visiting.discard(node)
            if node in closure:
                continue
            ancestors = {node}
            for parent in terms.parents.get(node, ()):
                if parent in closure:
                    ancestors |= closure[parent]
            closure[node] = frozenset(ancestors)
    return closure

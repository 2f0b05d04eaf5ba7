"""Is a coordinate file complete? Signs that a PDB or mmCIF file was cut short.

A download or copy that stops early leaves a file that may still parse: gemmi reads an mmCIF
cut between two categories, and a PDB file cut between two records, as a smaller protein.
Docked silently, such a file gives a wrong answer that looks right. Each check below looks for
what the file itself promises and does not deliver, and names the line where the cut shows.

What can be told, and what cannot:

* **mmCIF, wwPDB style** (every category closed by a ``#`` line): a last line that is not
  ``#`` is a cut inside a category. A cut right after a ``#`` line is a clean break between
  categories; it shows only through what the header promises — an ``_atom_site`` loop without
  atoms of an ``_struct_asym`` instance or of a residue ``_pdbx_poly_seq_scheme`` calls observed,
  or, in a wwPDB archive entry (a ``_pdbx_database_status.status_code`` and ``_database_2``), a
  missing category such an entry
  always holds (``_pdbx_poly_seq_scheme`` for polymers, ``_pdbx_nonpoly_scheme`` and
  ``_pdbx_entity_nonpoly`` for ligands, ``_pdbx_audit_revision_history``). A cut after all of
  those, among the optional categories at the end (software, validation, support), cannot be
  told from a complete file — and loses nothing netpharm reads.
* **mmCIF without ``#`` lines** (e.g. written by gemmi): only the promises above.
* **PDB format**: a coordinate record cut before its z coordinate ends (column 54), or a last
  record without its line end that is shorter than every other coordinate record, is a cut in
  mid-record. A file ending in ``END`` is complete by its own mark. Without ``END``, a cut between
  records shows only against ``SEQRES``: a chain it lists with no coordinates, or — when
  ``REMARK 465`` lists the unobserved residues — a last chain with fewer residues than its
  ``SEQRES`` less the missing ones. A cut among the ``HETATM`` records after the last chain, in a
  later ``MODEL`` of a multi-model file, or in a file without ``SEQRES``, cannot be told from a
  complete file.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import gemmi

__all__ = ["mmcif_truncation", "pdb_truncation", "parse_problem"]

_COORDINATES = ("ATOM  ", "HETATM")
_GEMMI_WHERE = re.compile(r"^string:(\d+):\d+(\(\d+\))?:\s*")  # gemmi's "string:LINE:COLUMN(OFFSET): " prefix
_Z_END = 54  # columns 47-54 hold z: a record shorter than that has no complete position


def _category(line: str) -> str:
    return line.strip().split(".", 1)[0].split()[0] if line.strip().startswith("_") else ""


def _unclosed_category(text: str) -> str:
    """In a file whose categories end with ``#`` lines, where a last category is left open."""
    lines = text.rstrip().split("\n")
    if "\n#" not in text or lines[-1].strip() == "#":
        return ""
    category = next((_category(line) for line in reversed(lines) if _category(line)), "")
    inside = f"inside category {category}" if category else "inside a category"
    return f"cut at line {len(lines)} {inside} (not closed by a '#' line)"


def _values(block: gemmi.cif.Block, tag: str) -> list[str]:
    column = block.find_values(tag)
    return [str(column[i]) for i in range(len(column))]


def _wwpdb_categories(block: gemmi.cif.Block) -> list[str]:
    """Categories a wwPDB archive entry always holds for what its header declares."""
    types = set(_values(block, "_entity.type"))
    wanted = ["_atom_site", "_pdbx_audit_revision_history"]
    if block.find_values("_entity_poly.entity_id"):
        wanted.append("_pdbx_poly_seq_scheme")
    if types & {"non-polymer", "water"}:
        wanted.append("_pdbx_nonpoly_scheme")
    if "non-polymer" in types:
        wanted.append("_pdbx_entity_nonpoly")
    return wanted


def _unkept_promises(block: gemmi.cif.Block) -> str:
    """Instances and observed residues the header lists that ``_atom_site`` does not hold."""
    sites = block.find("_atom_site.", ["label_asym_id", "?label_seq_id"])
    if not sites:
        return ""
    asyms = {row[0] for row in sites}
    absent = [a for a in dict.fromkeys(_values(block, "_struct_asym.id")) if a not in asyms]
    if absent:
        return (f"_struct_asym lists {len(absent)} instance(s) with no atoms in _atom_site "
                f"({', '.join(absent[:5])}{' ...' if len(absent) > 5 else ''})")
    if not sites.has_column(1):
        return ""
    residues = {(row[0], row[1]) for row in sites}
    scheme = block.find("_pdbx_poly_seq_scheme.", ["asym_id", "seq_id", "pdb_mon_id"])
    unseen = [(row[0], row[1]) for row in scheme
              if row[2] not in ("?", ".") and (row[0], row[1]) not in residues]
    if unseen:
        asym, seq = unseen[0]
        return (f"_pdbx_poly_seq_scheme calls {len(unseen)} residue(s) observed that have no atoms in _atom_site "
                f"(first: instance {asym}, residue {seq})")
    return ""


def mmcif_truncation(text: str, block: gemmi.cif.Block) -> str:
    """How the mmCIF ``text`` (parsed as ``block``) shows it was cut short; ``""`` when it does not.

    The answer is a phrase naming the line, e.g. ``"cut at line 20512 inside category _atom_site
    (...)"``, for a message that starts with the file's name.
    """
    problem = _unclosed_category(text)
    if problem:
        return problem
    lines = text.rstrip().count("\n") + 1
    promise = _unkept_promises(block)
    if promise:
        return f"ends at line {lines} although {promise} (cut short, or edited by hand)"
    # A wwPDB archive file has a release status and database ids; gemmi's rendering of a PDB file
    # writes _pdbx_database_status too, but neither of these nor the archive's scheme categories.
    if block.find_values("_pdbx_database_status.status_code") and block.find_values("_database_2.database_id"):
        missing = [c for c in _wwpdb_categories(block) if not block.find_mmcif_category(c + ".")]
        if missing:
            return (f"ends at line {lines} without {', '.join(missing)}, which a wwPDB entry with these "
                    "entities always holds")
    return ""


def _cut_record(lines: list[str], ends_with_newline: bool) -> str:
    coordinates = [(n, line.rstrip("\r")) for n, line in enumerate(lines, start=1) if line.startswith(_COORDINATES)]
    for number, line in coordinates:
        if len(line) < _Z_END:
            return f"line {number}: {line[:6].strip()} record cut at column {len(line)} (coordinates incomplete)"
    if not ends_with_newline and len(coordinates) > 1 and coordinates[-1][0] == len(lines):
        number, last = coordinates[-1]
        shortest = min(len(line.rstrip()) for _, line in coordinates[:-1])
        if len(last.rstrip()) < shortest:
            return (f"line {number}: the last {last[:6].strip()} record stops at column {len(last.rstrip())} "
                    f"without a line end (every other one reaches column {shortest})")
    return ""


def _seqres(lines: list[str]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for line in lines:
        if line.startswith("SEQRES") and len(line) > 17 and line[13:17].strip().isdigit():
            counts.setdefault(line[11], int(line[13:17]))
    return counts


def _remark465(lines: list[str]) -> dict[str, int] | None:
    """Unobserved residues per chain (``REMARK 465``), ``None`` when the file has no such list."""
    missing: dict[str, set[str]] = defaultdict(set)
    listing = False
    for line in lines:
        if not line.startswith("REMARK 465"):
            continue
        if "RES C SSSEQI" in line:
            listing = True
        elif listing and len(line) > 21 and line[15:18].strip():
            missing[line[19]].add(line[21:27].strip())
    return {chain: len(seqs) for chain, seqs in missing.items()} if listing else None


def _observed(lines: list[str]) -> tuple[dict[str, set[str]], str]:
    """Residues per chain in the first model (a chain's own records, up to its TER), and the last chain."""
    residues: dict[str, set[str]] = defaultdict(set)
    closed: set[str] = set()
    last_chain = ""
    for line in lines:
        if line.startswith("ENDMDL"):
            break
        if line.startswith("TER"):
            closed.add(last_chain if len(line) <= 21 else line[21])
        elif line.startswith(_COORDINATES) and len(line) > 26:
            chain = line[21]
            if chain not in closed:
                residues[chain].add(line[22:27])
            last_chain = chain
    return residues, last_chain


def _short_chain(lines: list[str]) -> str:
    seqres = _seqres(lines)
    if not seqres:
        return ""
    residues, last_chain = _observed(lines)
    last_line = len(lines)
    missing = _remark465(lines)
    if missing is not None and last_chain in seqres:
        held = len(residues[last_chain]) + missing.get(last_chain, 0)
        if held < seqres[last_chain]:
            return (f"ends at line {last_line} without an END record, inside chain {last_chain}: SEQRES lists "
                    f"{seqres[last_chain]} residues, the file holds {len(residues[last_chain])} and REMARK 465 "
                    f"calls {missing.get(last_chain, 0)} unobserved")
    for chain, length in seqres.items():
        if not residues.get(chain) and (missing or {}).get(chain, 0) < length:
            return (f"ends at line {last_line} without an END record; chain {chain} that SEQRES lists "
                    f"({length} residues) has no coordinates")
    return ""


def pdb_truncation(text: str) -> str:
    """How the PDB-format ``text`` shows it was cut short; ``""`` when it does not (see the module notes)."""
    lines = text.split("\n")
    ends_with_newline = text.endswith("\n")
    if ends_with_newline:
        lines.pop()
    problem = _cut_record(lines, ends_with_newline)
    if problem or any(line.rstrip() == "END" or line.startswith("END ") for line in lines):
        return problem
    return _short_chain(lines)


def parse_problem(exc: BaseException) -> str:
    """A gemmi parse error in one line: its first line, "string:1550:0(53164): " said as "line 1550: "."""
    text = str(exc).strip()
    return _GEMMI_WHERE.sub(lambda m: f"line {m.group(1)}: ", text.splitlines()[0]) if text else "no details"

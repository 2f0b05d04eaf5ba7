"""Receptor preparation: cleaned PDB → AutoDock 4 PDBQT with hydrogens and charges (meeko 0.8).

MGLTools' ``prepare_receptor4.py`` (used by the paper's AutoDockTools workflow: polar hydrogens,
Kollman charges) cannot be installed here; meeko (Forli lab; Santos-Martins et al.) replaces
it: it adds hydrogens from residue templates and writes integer-total template charges. On 1IEP
its atom types and total charge (−7) equal the AutoDock Vina team's own prepared receptor.

Recipe (docking notes): complete truncated side chains with PDBFixer without hydrogens, move
side chains that meeko would read as bonded to a neighbour (6B73 Met226/Phe214), write residues
in PDB atom order, then ``Polymer.from_pdb_string`` + ``PDBQTWriterLegacy.write_from_polymer``.
Hydrogens already in the file are kept when meeko matches them (they carry the author's
protonation states, e.g. 1IEP's His); otherwise they are stripped and meeko adds its own.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from pathlib import Path

import gemmi

from netpharm.errors import ReceptorPrepError
from netpharm.io import write_text_atomic
from netpharm.structures import records
from netpharm.structures.clean import CleanedStructure, clean_structure
from netpharm.structures.fetch import load_structure, read_structure_text
from netpharm.structures.repair import complete_side_chains, repair_clashes
from netpharm.structures.residues import canonical_atom_rank

__all__ = ["PreparedReceptor", "prepare_receptor", "pdbqt_summary"]

log = logging.getLogger(__name__)

_RESIDUE_KEY = re.compile(r"\b([A-Za-z0-9]{1,4}):(-?\d+[A-Z]?)\b")
_HYDROGEN_MODES = ("auto", "keep", "strip")


@dataclass
class PreparedReceptor:
    """A receptor PDBQT and what it took to make it.

    Attributes
    ----------
    pdbqt_path : Path
        AutoDock 4 PDBQT (rigid receptor).
    atom_types : list of str
        AutoDock atom types present, sorted (for the GPF's ``receptor_types``).
    total_charge : float
        Sum of partial charges (integer for a well-prepared protein).
    n_atoms : int
        Atoms in the PDBQT.
    repairs : list of str
        Every change made on the way (side chains completed, rotamers moved, hydrogens stripped).
    clean_pdb_path : Path
        The PDB given to meeko (after completion and repairs).
    hydrogens : str
        ``"input"`` (the file's hydrogens kept) or ``"meeko"`` (added from templates).
    """

    pdbqt_path: Path
    atom_types: list[str]
    total_charge: float
    n_atoms: int
    repairs: list[str]
    clean_pdb_path: Path
    hydrogens: str = "meeko"
    residue_templates: dict[str, int] = field(default_factory=dict)


def prepare_receptor(cleaned: CleanedStructure | Path, out_dir: Path, name: str,
                     complete_side_chains: bool = True, hydrogens: str = "auto",
                     allow_bad_residues: bool = False) -> PreparedReceptor:
    """Write ``out_dir/<name>.pdbqt`` (and ``<name>_clean.pdb``) from a cleaned structure.

    Parameters
    ----------
    cleaned : CleanedStructure or Path
        Output of :func:`~netpharm.structures.clean.clean_structure`, or a PDB/mmCIF file
        (cleaned here with the automatic chain choice).
    out_dir : Path
        Output folder (created).
    name : str
        File stem.
    complete_side_chains : bool
        Rebuild missing side-chain atoms with PDBFixer.
    hydrogens : {"auto", "keep", "strip"}
        ``auto`` keeps the file's hydrogens if meeko can match them, else strips them.
    allow_bad_residues : bool
        Delete residues meeko cannot match (reported in ``repairs``) instead of failing.

    Raises
    ------
    ReceptorPrepError
        A residue matches no meeko template, or overlapping side chains cannot be separated;
        the residues are named.
    """
    if hydrogens not in _HYDROGEN_MODES:
        raise ReceptorPrepError(f"hydrogens must be one of {_HYDROGEN_MODES}, got {hydrogens!r}")
    if not isinstance(cleaned, CleanedStructure):
        cleaned = clean_structure(load_structure(Path(cleaned)))
    repairs: list[str] = []
    st = read_structure_text(cleaned.receptor_pdb, f"receptor {name}")
    if complete_side_chains:
        repairs += _complete(st)
    repairs += repair_clashes(st)
    has_h = any(atom.is_hydrogen() for chain in st[0] for res in chain for atom in res)
    use_input_h = has_h and hydrogens != "strip"
    try:
        pdb_text, pdbqt, templates = _meeko(st, keep_h=use_input_h, allow_bad=allow_bad_residues, repairs=repairs)
    except ReceptorPrepError as exc:
        if not (use_input_h and hydrogens == "auto"):
            raise
        repairs.append(f"input hydrogens removed (meeko could not match them: {exc.args[0][:160]}); "
                       "meeko added hydrogens from its residue templates")
        use_input_h = False
        pdb_text, pdbqt, templates = _meeko(st, keep_h=False, allow_bad=allow_bad_residues, repairs=repairs)
    out_dir = Path(out_dir)
    clean_path = write_text_atomic(out_dir / f"{name}_clean.pdb", pdb_text)
    pdbqt_path = write_text_atomic(out_dir / f"{name}.pdbqt", pdbqt)
    types, charge, n_atoms = pdbqt_summary(pdbqt)
    if abs(charge - round(charge)) > 0.01:
        log.warning("receptor %s: total charge %.3f is not an integer", name, charge)
    log.info("receptor %s: %d atoms, types %s, charge %+.3f, %d repair(s)", name, n_atoms,
             ",".join(types), charge, len(repairs))
    return PreparedReceptor(pdbqt_path=pdbqt_path, atom_types=types, total_charge=charge, n_atoms=n_atoms,
                            repairs=repairs, clean_pdb_path=clean_path,
                            hydrogens="input" if use_input_h else "meeko", residue_templates=templates)


def pdbqt_summary(pdbqt: str) -> tuple[list[str], float, int]:
    """(sorted atom types, total charge rounded to 1e-3, atom count) of PDBQT text."""
    types: set[str] = set()
    charge, count = 0.0, 0
    for line in pdbqt.splitlines():
        if line.startswith(("ATOM", "HETATM")):
            types.add(records.pdbqt_type(line))
            charge += records.pdbqt_charge(line)
            count += 1
    return sorted(types), round(charge, 3), count


def _complete(st: gemmi.Structure) -> list[str]:
    try:
        return complete_side_chains(st)
    except ImportError as exc:  # pdbfixer/openmm are the optional "docking" extra
        raise ReceptorPrepError("side-chain completion needs pdbfixer and openmm "
                                "(pip install 'netpharm[docking]') or complete_side_chains=False") from exc


def _ordered_pdb(st: gemmi.Structure, keep_h: bool) -> str:
    """PDB text with hydrogens optionally removed and every residue's atoms in PDB order."""
    st = st.clone()
    if not keep_h:
        st.remove_hydrogens()
    for chain in st[0]:
        for residue in chain:
            atoms = [atom.clone() for atom in residue]
            order = sorted(range(len(atoms)), key=lambda i: canonical_atom_rank(residue.name, atoms[i].name, i))
            if order != list(range(len(atoms))):
                for index in range(len(residue) - 1, -1, -1):
                    del residue[index]
                for index in order:
                    residue.add_atom(atoms[index])
    options = gemmi.PdbWriteOptions(minimal=True)
    options.cryst1_record = False
    return st.make_pdb_string(options)


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def _meeko(st: gemmi.Structure, keep_h: bool, allow_bad: bool,
           repairs: list[str]) -> tuple[str, str, dict[str, int]]:
    from meeko import MoleculePreparation, PDBQTWriterLegacy, Polymer, ResidueChemTemplates

    pdb_text = _ordered_pdb(st, keep_h)
    collector = _Collect()
    meeko_log = logging.getLogger("meeko")
    meeko_log.addHandler(collector)
    try:
        polymer = Polymer.from_pdb_string(pdb_text, ResidueChemTemplates.create_from_defaults(),
                                          MoleculePreparation(), allow_bad_res=allow_bad)
        pdbqt, _flex = PDBQTWriterLegacy.write_from_polymer(polymer)
    except (RuntimeError, ValueError, KeyError) as exc:  # PolymerCreationError is a RuntimeError
        raise ReceptorPrepError(_explain(st, str(exc), collector.messages)) from exc
    finally:
        meeko_log.removeHandler(collector)
    for key in polymer.get_ignored_monomers():
        repairs.append(f"{_name_residue(st, key)} deleted: matches no meeko template")
    templates: dict[str, int] = {}
    for monomer in polymer.get_valid_monomers().values():
        templates[monomer.residue_template_key] = templates.get(monomer.residue_template_key, 0) + 1
    return pdb_text, pdbqt, templates


def _name_residue(st: gemmi.Structure, key: str) -> str:
    chain_name, number = key.split(":", 1)
    for chain in st[0]:
        if chain.name == chain_name:
            for residue in chain:
                if f"{residue.seqid.num}{residue.seqid.icode.strip()}" == number:
                    return f"{residue.name} {key}"
    return key


def _explain(st: gemmi.Structure, message: str, warnings: list[str]) -> str:
    keys = list(dict.fromkeys(_RESIDUE_KEY.findall(message + " " + " ".join(warnings))))
    named = ", ".join(_name_residue(st, f"{c}:{n}") for c, n in keys) or "unknown residue"
    detail = "; ".join(w.strip().splitlines()[-1] for w in warnings if "excess" in w or "No template" in w)
    first = message.strip().splitlines()[0] if message.strip() else type(message).__name__
    return f"meeko could not prepare residue(s) {named}: {detail or first}"

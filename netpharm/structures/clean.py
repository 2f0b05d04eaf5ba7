"""Clean a structure for docking: one model, one altloc, receptor chains only, ligand set aside.

The recipe follows the docking notes (``/work/shared/reference/docking-notes.md``): keep one
model and one alternative location, drop waters, lipids and additives, keep only the receptor
chain(s) (cryo-EM GPCR entries carry G proteins, scFv16 and nanobodies), keep the co-crystal
ligand aside for the grid box and for redocking, revert modified residues to their parent amino
acid (8E0G: YCM57 → Cys, U8S54 → His, the latter LINKed to BU72) and write every residue's
atoms contiguously (meeko refuses "interrupted residues"). gemmi does the editing.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import gemmi

from netpharm.errors import StructureError
from netpharm.structures.chains import (
    chain_sequence,
    classify_chain,
    is_protein_residue,
    ligand_contacts,
    select_receptor_chains,
)
from netpharm.structures.entry import EntryInfo
from netpharm.structures.residues import (
    ADDITIVE_NAMES,
    AMINO_ACID_ATOMS,
    ATOM_RENAMES,
    LIPID_NAMES,
    MODIFIED_PARENT,
    WATER_NAMES,
)

__all__ = ["CleanedStructure", "clean_structure", "find_ligand", "residue_pdb"]

log = logging.getLogger(__name__)

_MIN_LIGAND_HEAVY = 6
_RESIDUE_SPEC = re.compile(r"^(?P<chain>[A-Za-z0-9]{1,4}):(?P<first>-?\d+)(?:-(?P<last>-?\d+))?$")


@dataclass
class CleanedStructure:
    """A receptor ready for preparation, with the co-crystal ligand kept aside.

    Attributes
    ----------
    receptor_pdb : str
        PDB text: one model, one altloc, no waters/hetero groups, only ``chains``.
    ligand_pdb : str or None
        PDB text of the co-crystal ligand (all its atoms, hydrogens if the file had them).
    ligand_resname : str or None
        Residue name of that ligand (e.g. ``VF1`` for BU72 in 8E0G).
    chains : list of str
        Receptor chains kept.
    removed : list of str
        Human-readable record of everything removed or changed.
    ligand_id : str or None
        ``chain:number`` of the ligand residue (e.g. ``A:407``).
    """

    receptor_pdb: str
    ligand_pdb: str | None
    ligand_resname: str | None
    chains: list[str]
    removed: list[str] = field(default_factory=list)
    ligand_id: str | None = None
    receptor_label: str = ""


def clean_structure(st: gemmi.Structure, chains: Sequence[str] | None = None, ligand: str | None = None,
                    drop_residues: Sequence[str] = (), revert_modified: bool = True,
                    entry: EntryInfo | None = None, ligand_chain: str | None = None,
                    remove_fusion: bool = True) -> CleanedStructure:
    """Clean ``st`` (a copy is edited) for receptor preparation.

    Parameters
    ----------
    st : gemmi.Structure
        As returned by :func:`netpharm.structures.fetch.load_structure`.
    chains : sequence of str, optional
        Receptor chains; by default those touching ``ligand``, else a 7TM chain, else the longest.
    ligand : str, optional
        Residue name (``VF1``) or ``chain:number`` (``A:407``) of the co-crystal ligand; by
        default the largest hetero group that is not a lipid, additive or ion (if any).
    drop_residues : sequence of str
        Residues deleted from the receptor: ``"A:54"``, ranges ``"A:52-54"`` or names ``"U8S"``.
    revert_modified : bool
        Turn modified amino acids (YCM, MSE, U8S...) into their parent residue.
    entry : EntryInfo, optional
        What the mmCIF entry says about its chains (:func:`netpharm.structures.fetch.load_entry`):
        removed chains are named by their entity description, and fusion partners are found.
    ligand_chain : str, optional
        A polymer chain that is the ligand (6PT2's peptide agonist KGCHM07, chain C): kept aside
        like a co-crystal ligand (for the box), and the receptor chains default to those it touches.
    remove_fusion : bool
        Cut crystallisation fusion partners (BRIL, T4 lysozyme: :data:`FUSION_PARTNERS`) out of the
        receptor chains, by the residue ranges of ``_struct_ref_seq``.

    Raises
    ------
    StructureError
        No protein, requested chain or ligand absent, malformed residue specification.
    """
    st = st.clone()
    st.setup_entities()
    removed: list[str] = []
    _keep_first_model(st, removed)
    _keep_one_altloc(st, removed)
    model = st[0]
    entry = entry or EntryInfo()
    if ligand_chain:
        return _clean_around_chain(st, chains, ligand_chain, drop_residues, revert_modified, entry,
                                   remove_fusion, removed)
    if chains:
        chosen, why = select_receptor_chains(model, chains, None)
        lig = find_ligand(model, ligand, near_chains=chosen)
    else:
        lig = find_ligand(model, ligand)
        chosen, why = select_receptor_chains(model, None, lig)
    ligand_id = _ligand_id(model, lig)
    ligand_pdb = residue_pdb(lig, ligand_id.split(":")[0]) if lig is not None and ligand_id else None
    ligand_name = lig.name if lig is not None else None  # read now: cleaning deletes the residue
    _finish_cleaning(st, chosen, ligand_id, drop_residues, revert_modified, entry, remove_fusion, removed)
    log.info("receptor chains %s (%s); ligand %s", ",".join(chosen), why, ligand_id or "none")
    return CleanedStructure(receptor_pdb=_write_pdb(st), ligand_pdb=ligand_pdb,
                            ligand_resname=ligand_name, chains=chosen,
                            removed=removed, ligand_id=ligand_id, receptor_label=_label(chosen, entry))


def _finish_cleaning(st: gemmi.Structure, chosen: list[str], ligand_id: str | None, drop_residues: Sequence[str],
                     revert_modified: bool, entry: EntryInfo, remove_fusion: bool, removed: list[str]) -> None:
    model = st[0]
    _remove_waters(model, removed)
    _remove_hetero(model, removed, ligand_id, chosen)
    _remove_other_chains(model, chosen, removed, entry)
    if remove_fusion:
        _remove_fusion_partners(model, entry, removed)
    _drop_residues(model, drop_residues, removed)
    if revert_modified:
        _revert_modified(model, removed)
    st.remove_empty_chains()


def _label(chosen: list[str], entry: EntryInfo) -> str:
    """"A: Kappa opioid receptor (UNP P41145 OPRK_HUMAN)" per kept chain, from the entry."""
    parts = []
    for name in chosen:
        facts = [f for f in (entry.description(name), entry.uniprot(name)) if f]
        parts.append(f"{name}: {facts[0]}" + (f" ({facts[1]})" if len(facts) > 1 else "") if facts else name)
    return "; ".join(parts)


def _clean_around_chain(st: gemmi.Structure, chains: Sequence[str] | None, ligand_chain: str,
                        drop_residues: Sequence[str], revert_modified: bool, entry: EntryInfo,
                        remove_fusion: bool, removed: list[str]) -> CleanedStructure:
    """Clean with a polymer chain (a peptide ligand) set aside instead of a hetero group."""
    model = st[0]
    names = [chain.name for chain in model]
    if ligand_chain not in names:
        raise StructureError(f"ligand chain {ligand_chain!r} not found; chains present: {', '.join(names)}")
    peptide = model[ligand_chain]
    contacts: Counter[str] = Counter()
    for residue in peptide:
        if residue.name not in WATER_NAMES:
            contacts.update({k: v for k, v in ligand_contacts(model, residue).items() if k != ligand_chain})
    if chains:
        chosen, why = select_receptor_chains(model, chains, None)
    elif contacts:
        best = max(contacts.values())
        chosen, why = [n for n, c in contacts.most_common() if c >= 0.25 * best], f"in contact with chain {ligand_chain}"
    else:
        raise StructureError(f"ligand chain {ligand_chain} touches no other chain; name the receptor chains")
    if ligand_chain in chosen:
        raise StructureError(f"chain {ligand_chain} cannot be both the ligand and a receptor chain")
    copy = gemmi.Structure()
    copy_model = gemmi.Model(1)
    kept = peptide.clone()
    for index in range(len(kept) - 1, -1, -1):
        if kept[index].name in WATER_NAMES:
            del kept[index]
    copy_model.add_chain(kept)
    copy.add_model(copy_model)
    ligand_pdb = _write_pdb(copy)
    what = entry.description(ligand_chain) or f"chain {ligand_chain}"
    residues = sum(1 for _ in kept)
    _finish_cleaning(st, chosen, None, drop_residues, revert_modified, entry, remove_fusion, removed)
    removed[:] = [f"chain {ligand_chain} ({what}, {residues} residues) set aside as the ligand" if
                  r.startswith(f"chain {ligand_chain} (") else r for r in removed]
    log.info("receptor chains %s (%s); ligand chain %s (%s)", ",".join(chosen), why, ligand_chain, what)
    return CleanedStructure(receptor_pdb=_write_pdb(st), ligand_pdb=ligand_pdb, ligand_resname=what,
                            chains=chosen, removed=removed, ligand_id=f"chain {ligand_chain}",
                            receptor_label=_label(chosen, entry))


# --- ligand -------------------------------------------------------------------------------------
def _is_candidate(residue: gemmi.Residue) -> bool:
    return (residue.entity_type != gemmi.EntityType.Polymer and not is_protein_residue(residue)
            and residue.name not in WATER_NAMES | LIPID_NAMES | ADDITIVE_NAMES
            and sum(1 for a in residue if not a.is_hydrogen()) >= _MIN_LIGAND_HEAVY)


def find_ligand(model: gemmi.Model, ligand: str | None,
                near_chains: Sequence[str] | None = None) -> gemmi.Residue | None:
    """The co-crystal ligand residue named by ``ligand`` (``VF1`` or ``A:407``), or the largest candidate.

    Of several copies, the one with the most contacts (with ``near_chains`` if given) is taken;
    automatic detection only considers groups touching ``near_chains``.
    """
    def contacts(res: gemmi.Residue) -> int:
        counts = ligand_contacts(model, res)
        return sum(n for name, n in counts.items() if near_chains is None or name in near_chains)

    hets = [res for chain in model for res in chain
            if res.entity_type != gemmi.EntityType.Polymer and res.name not in WATER_NAMES]
    if ligand is None:
        candidates = [res for res in hets if _is_candidate(res) and (near_chains is None or contacts(res))]
        if not candidates:
            return None
        return max(candidates, key=lambda res: (len(res), contacts(res)))
    spec = _RESIDUE_SPEC.match(ligand)
    if spec:
        matches = [res for chain in model if chain.name == spec["chain"] for res in chain
                   if res.seqid.num == int(spec["first"]) and not is_protein_residue(res)]
    else:
        matches = [res for chain in model for res in chain
                   if res.name == ligand.upper() and not is_protein_residue(res)]
    if not matches:
        present = sorted({res.name for res in hets})
        raise StructureError(f"ligand {ligand!r} not found; hetero groups present: "
                             f"{', '.join(present) or 'none'}")
    return max(matches, key=contacts)


def _ligand_id(model: gemmi.Model, lig: gemmi.Residue | None) -> str | None:
    if lig is None:
        return None
    for chain in model:
        for res in chain:
            if res is lig or (res.name == lig.name and res.seqid == lig.seqid and len(res) == len(lig)
                              and res[0].pos.dist(lig[0].pos) < 1e-6):
                return f"{chain.name}:{res.seqid.num}{res.seqid.icode.strip()}"
    return None


def residue_pdb(residue: gemmi.Residue, chain_name: str = "L") -> str:
    """PDB text (HETATM records) of one residue."""
    st = gemmi.Structure()
    model = gemmi.Model(1)  # gemmi 0.7: the model number
    chain = gemmi.Chain(chain_name)
    copy = residue.clone()
    copy.het_flag = "H"
    chain.add_residue(copy)
    model.add_chain(chain)
    st.add_model(model)
    st.setup_entities()
    return _write_pdb(st)


# --- removals -----------------------------------------------------------------------------------
def _keep_first_model(st: gemmi.Structure, removed: list[str]) -> None:
    if len(st) > 1:
        removed.append(f"models 2..{len(st)} (kept model 1)")
        for index in range(len(st) - 1, 0, -1):
            del st[index]


def _keep_one_altloc(st: gemmi.Structure, removed: list[str]) -> None:
    before = st[0].count_atom_sites()
    labels = sorted({atom.altloc for chain in st[0] for res in chain for atom in res if atom.altloc != "\0"})
    st.remove_alternative_conformations()
    dropped = before - st[0].count_atom_sites()
    if dropped:
        removed.append(f"altloc {','.join(labels[1:]) or labels[0]} atoms: {dropped} (kept altloc {labels[0]})")


def _remove_waters(model: gemmi.Model, removed: list[str]) -> None:
    count = 0
    for chain in model:
        for index in range(len(chain) - 1, -1, -1):
            if chain[index].name in WATER_NAMES:
                del chain[index]
                count += 1
    if count:
        removed.append(f"water: {count} molecules")


def _remove_hetero(model: gemmi.Model, removed: list[str], ligand_id: str | None, chosen: list[str]) -> None:
    counts: Counter[str] = Counter()
    where: dict[str, list[str]] = {}
    for chain in model:
        for index in range(len(chain) - 1, -1, -1):
            res = chain[index]
            if is_protein_residue(res) and res.entity_type == gemmi.EntityType.Polymer:
                continue
            if res.entity_type == gemmi.EntityType.Polymer and chain.name not in chosen:
                continue  # a non-standard monomer of another chain (6PT2's peptide DI7, OXJ) goes with it
            if is_protein_residue(res) and res.het_flag != "H":
                continue  # an amino acid written as ATOM outside SEQRES: still receptor
            here = f"{chain.name}:{res.seqid.num}{res.seqid.icode.strip()}"
            counts["ligand" if here == ligand_id else res.name] += 1
            if here != ligand_id:
                where.setdefault(res.name, []).insert(0, here)
            del chain[index]
    for name, n in sorted(counts.items()):
        if name == "ligand":
            removed.append(f"co-crystal ligand {ligand_id} set aside")
        elif name in LIPID_NAMES:
            removed.append(f"{name} lipid x{n}")
        else:  # other ligands are named where they sat (8EF6: the second copy's morphine, MOI M:401)
            removed.append(f"{name} x{n} ({', '.join(where[name])})")


def _remove_other_chains(model: gemmi.Model, chosen: list[str], removed: list[str], entry: EntryInfo) -> None:
    for index in range(len(model) - 1, -1, -1):
        chain = model[index]
        if chain.name in chosen:
            continue
        if len(chain) == 0:  # held only the ligand or waters, already accounted for
            del model[index]
            continue
        sequence = chain_sequence(chain)
        description = entry.description(chain.name)
        residues = sum(1 for res in chain if res.entity_type == gemmi.EntityType.Polymer) or len(chain)
        kind = classify_chain(sequence, description) if sequence else "polymer"
        label = f"{kind}: {description}" if description else kind
        removed.append(f"chain {chain.name} ({label}, {residues} residues)")
        del model[index]


def _remove_fusion_partners(model: gemmi.Model, entry: EntryInfo, removed: list[str]) -> None:
    """Delete residues of a crystallisation fusion partner (4N6H: BRIL, author residues 1001-1106),
    and the expression-tag residues outside every ``_struct_ref_seq`` range of that chain."""
    for chain in model:
        refs = entry.chain_refs(chain.name)
        fusions = [ref for ref in refs if ref.fusion_partner]
        if not fusions or len(fusions) == len(refs):
            continue
        native = [ref for ref in refs if not ref.fusion_partner]
        count, tags = 0, 0
        for index in range(len(chain) - 1, -1, -1):
            res = chain[index]
            if res.entity_type != gemmi.EntityType.Polymer:
                continue
            number = res.seqid.num
            if number is None or any(ref.begin <= number <= ref.end for ref in native):
                continue
            if any(ref.begin <= number <= ref.end for ref in fusions):
                count += 1
            else:
                tags += 1
            del chain[index]
        for ref in fusions:
            removed.append(f"fusion partner {ref.fusion_partner} ({ref.label()}) {chain.name}:{ref.begin}-{ref.end} "
                           f"cut from the receptor chain (_struct_ref_seq)")
        log.info("chain %s: %d fusion-partner and %d tag residues removed", chain.name, count, tags)
        if tags:
            removed.append(f"{chain.name}: {tags} residues outside the receptor's and fusion partner's "
                           "sequence ranges (expression tag/linker) removed")


def _drop_residues(model: gemmi.Model, specs: Sequence[str], removed: list[str]) -> None:
    for spec in specs:
        match = _RESIDUE_SPEC.match(spec)
        if match is None and not re.fullmatch(r"[A-Za-z0-9]{1,5}", spec):
            raise StructureError(f"residue specification {spec!r}: use 'A:54', 'A:52-54' or a name like 'U8S'")
        count = 0
        for chain in model:
            for index in range(len(chain) - 1, -1, -1):
                res = chain[index]
                if match:
                    last = int(match["last"] or match["first"])
                    num = res.seqid.num
                    hit = chain.name == match["chain"] and num is not None and int(match["first"]) <= num <= last
                else:
                    hit = res.name == spec.upper()
                if hit:
                    del chain[index]
                    count += 1
        if not count:
            raise StructureError(f"residue {spec!r} to drop is not in the receptor chains")
        removed.append(f"residues {spec} deleted on request ({count})")


def _revert_modified(model: gemmi.Model, removed: list[str]) -> None:
    reverted = []
    for chain in model:
        for res in chain:
            parent = MODIFIED_PARENT.get(res.name)
            if parent is None:
                continue
            renames = ATOM_RENAMES.get(res.name, {})
            keep = set(AMINO_ACID_ATOMS[parent]) | {"OXT"}
            for index in range(len(res) - 1, -1, -1):
                atom = res[index]
                if atom.name in renames:
                    atom.name, element = renames[atom.name]
                    atom.element = gemmi.Element(element)
                elif atom.name not in keep or atom.is_hydrogen():
                    del res[index]
            reverted.append(f"{res.name} {chain.name}{res.seqid.num}→{parent}")
            res.name = parent
            res.het_flag = "A"
    if reverted:
        removed.append("modified residues reverted: " + ", ".join(reverted))


def _write_pdb(st: gemmi.Structure) -> str:
    # gemmi writes each residue's atoms together, which is what meeko needs.
    options = gemmi.PdbWriteOptions(minimal=True)
    options.cryst1_record = False
    options.ter_records = True
    text = st.make_pdb_string(options)
    # ANISOU records only bloat the file; no docking tool reads them.
    return "".join(line for line in text.splitlines(keepends=True) if not line.startswith("ANISOU"))

"""Ligand preparation: SMILES / SDF / name → protonated 3D conformer → AutoDock 4 PDBQT (RDKit + meeko).

The paper drew morphine in ChemBio3D and minimised it with MM2 before AutoDockTools. The open
equivalent (docking notes): RDKit parses and checks stereochemistry against the expected
InChIKey, protonates at pH 7.4 with the rules in :func:`protonate`, embeds several ETKDGv3
conformers (Riniker & Landrum 2015) minimised with MMFF94 (Halgren 1996) and keeps the
lowest; meeko writes the PDBQT with Gasteiger charges. Open Babel is not used: it drops
morphine's +1 charge and adds a methyl rotor.

TORSDOF convention: meeko counts OH/NH rotors in TORSDOF, AutoDockTools did not; AutoDock 4
takes TORSDOF from the ligand file, so the torsional free-energy term differs by 0.2983
kcal/mol per such rotor from an ADT-prepared ligand. ``torsdof_convention`` records it.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path

from rdkit import Chem, rdBase
from rdkit.Chem import AllChem, rdDistGeom, rdForceFieldHelpers
from rdkit.Chem.MolStandardize import rdMolStandardize

from netpharm.docking.prepare.rdlog import route_rdkit_log
from netpharm.errors import LigandPrepError
from netpharm.sources.cache import Cache
from netpharm.sources.http import HttpClient
from netpharm.sources.pubchem import name_url, smiles_for_name
from netpharm.structures import records

__all__ = ["PreparedLigand", "prepare_ligand", "prepare_ligand_from_mol", "ligand_from_pdb_block",
           "resolve_ligand_name", "KNOWN_LIGANDS", "AD4_TYPES", "protonate"]

log = logging.getLogger(__name__)
route_rdkit_log()  # RDKit prints to stderr otherwise, even with -q

#: Built-in names → (isomeric SMILES, InChIKey). Morphine: docking notes (PubChem CID 5288826).
#: Imatinib: the 1IEP example ligand; its InChIKey equals that of the Vina team's
#: ``1iep_ligand.sdf`` (checked in tests/test_ligand.py). Other names go to PubChem
#: (:func:`resolve_ligand_name`, through the cache).
KNOWN_LIGANDS: dict[str, tuple[str, str]] = {
    "morphine": ("CN1CC[C@]23[C@@H]4[C@H]1CC5=C2C(=C(C=C5)O)O[C@H]3[C@H](C=C4)O",
                 "BQJCRHHNABKAKU-KBQPJGBKSA-N"),
    "imatinib": ("Cc1ccc(NC(=O)c2ccc(CN3CCN(C)CC3)cc2)cc1Nc1nccc(-c2cccnc2)n1",
                 "KTUFNOKKBVMGRW-UHFFFAOYSA-N"),
}

#: Atom types with AutoDock 4.2 parameters (``AD4_parameters.dat`` / ``AD4.1_bound.dat``).
AD4_TYPES = frozenset({"H", "HD", "HS", "C", "A", "N", "NA", "NS", "OA", "OS", "F", "Mg", "MG", "P", "SA",
                       "S", "Cl", "CL", "Ca", "CA", "Mn", "MN", "Fe", "FE", "Zn", "ZN", "Br", "BR", "I",
                       "Z", "G", "GA", "J", "Q"})
TORSDOF_CONVENTION = "meeko: OH/NH rotors counted in TORSDOF (AutoDockTools did not count them)"


@dataclass
class PreparedLigand:
    """A ligand PDBQT and its facts.

    ``inchikey`` is the standard InChIKey of the ligand *as given* (neutral parent, checked
    against ``expected_inchikey``); ``smiles`` is the isomeric SMILES of the docked, protonated
    form. ``active_torsions`` counts the PDBQT's BRANCHes; ``torsdof`` its TORSDOF record.
    """

    name: str
    pdbqt: str
    atom_types: list[str]
    n_atoms: int
    n_heavy: int
    torsdof: int
    active_torsions: int
    total_charge: float
    inchikey: str
    smiles: str
    conformers_tried: int
    mmff_energy: float | None
    torsdof_convention: str = TORSDOF_CONVENTION
    protonation: tuple[str, ...] = ()


def prepare_ligand(spec: str, name: str = "ligand", expected_inchikey: str | None = None, ph: float = 7.4,
                   n_conformers: int = 10, seed: int = 42, cache: Cache | None = None,
                   http: HttpClient | None = None) -> PreparedLigand:
    """Prepare a ligand for AutoDock 4 from a SMILES, an ``.sdf``/``.mol`` file or a name.

    Parameters
    ----------
    spec : str
        SMILES, path to an SDF/MOL file (first record), or a name (:data:`KNOWN_LIGANDS`; other
        names are looked up on PubChem through ``cache`` when one is given).
    expected_inchikey : str, optional
        Refuse the ligand unless its InChIKey matches (stereochemistry included). Built-in
        names carry their own.
    ph : float
        pH for :func:`protonate`.
    n_conformers, seed : int
        ETKDGv3 conformers embedded (fixed seed: reproducible) before MMFF94 minimisation.

    Raises
    ------
    LigandPrepError
        Unparsable input, InChIKey/stereo mismatch, embedding failure, or an atom type
        without AutoDock 4 parameters.
    """
    mol, expected_inchikey = _parse(spec, expected_inchikey, cache, http)
    mol = _neutral(mol)
    inchikey = _check_identity(mol, expected_inchikey, spec)
    charged, notes = protonate(mol, ph)
    conformer, energy = _lowest_conformer(charged, n_conformers, seed, name)
    return _to_pdbqt(conformer, name, inchikey, n_conformers, energy, notes)


def prepare_ligand_from_mol(mol: Chem.Mol, name: str, keep_coordinates: bool = True, ph: float = 7.4,
                            protonate_mol: bool = True, n_conformers: int = 10, seed: int = 42) -> PreparedLigand:
    """Prepare an RDKit molecule (e.g. a co-crystal ligand for redocking).

    With ``keep_coordinates`` the heavy atoms stay where they are (the crystal pose) and
    hydrogens are placed on them (``AddHs(addCoords=True)``); otherwise conformers are embedded
    as in :func:`prepare_ligand`.
    """
    if mol is None or mol.GetNumAtoms() == 0:
        raise LigandPrepError(f"{name}: empty molecule")
    heavy = _neutral(Chem.RemoveHs(mol))
    inchikey = Chem.MolToInchiKey(heavy)
    charged, notes = protonate(heavy, ph) if protonate_mol else (Chem.Mol(heavy), ())
    if keep_coordinates:
        if charged.GetNumConformers() == 0:
            raise LigandPrepError(f"{name}: keep_coordinates=True but the molecule has no coordinates")
        withh = Chem.AddHs(charged, addCoords=True)
        return _to_pdbqt(withh, name, inchikey, 0, None, notes)
    conformer, energy = _lowest_conformer(charged, n_conformers, seed, name)
    return _to_pdbqt(conformer, name, inchikey, n_conformers, energy, notes)


def ligand_from_pdb_block(pdb_text: str, template_smiles: str) -> Chem.Mol:
    """Co-crystal ligand from PDB atoms, bond orders from a SMILES template.

    PDB files carry no bond orders (8EFO's 8QY not even bonds): bonds come from proximity,
    orders from the template (``AssignBondOrdersFromTemplate``; the template is kekulised first,
    or a thiophene fails to match). Stereochemistry is then read from the 3D coordinates.

    Raises
    ------
    LigandPrepError
        The PDB block or the template does not parse, or they are different molecules.
    """
    with _quiet_rdkit():
        block = Chem.MolFromPDBBlock(pdb_text, removeHs=False, sanitize=False, proximityBonding=True)
        template = Chem.MolFromSmiles(template_smiles)
    if block is None or block.GetNumAtoms() == 0:
        raise LigandPrepError("ligand PDB block has no readable atoms")
    if template is None:
        raise LigandPrepError(f"template SMILES {template_smiles!r} does not parse")
    heavy = Chem.RemoveHs(block, sanitize=False)
    for atom in heavy.GetAtoms():
        atom.SetFormalCharge(0)
        atom.SetNoImplicit(False)
    # A protonated template (the [NH+] form a crystal SDF gives) would leave N with four bonds once
    # charges are cleared: match bond orders on the neutral parent, protonate later (protonate()).
    template = Chem.RemoveHs(_neutral(template))
    Chem.Kekulize(template, clearAromaticFlags=True)
    for atom in template.GetAtoms():
        atom.SetFormalCharge(0)
        atom.SetNoImplicit(False)
    try:
        mol = AllChem.AssignBondOrdersFromTemplate(template, heavy)
    except ValueError as exc:
        raise LigandPrepError(f"ligand atoms ({heavy.GetNumAtoms()} heavy) do not match the template "
                              f"{template_smiles!r} ({template.GetNumAtoms()} heavy): {exc}") from exc
    Chem.SanitizeMol(mol)
    Chem.AssignStereochemistryFrom3D(mol)
    return mol


def resolve_ligand_name(name: str, cache: Cache, http: HttpClient | None = None) -> tuple[str, str]:
    """(isomeric SMILES, InChIKey) of a compound name from PubChem PUG REST, through the cache.

    Raises
    ------
    LigandPrepError
        PubChem does not know the name.
    FetchError
        PubChem failed, or its answer lacks the properties.
    CacheMissError
        Offline and not cached.
    """
    found = smiles_for_name(name, cache, http)
    if found is None:
        raise LigandPrepError(f"PubChem knows no compound named {name!r} ({name_url(name)})")
    return found


# --- protonation ------------------------------------------------------------------------------
# Rules at pH 7.4 (documented; a stand-in for a pKa predictor such as Epik, not installable here):
#  * aliphatic amines (N bonded only to sp3 carbons/H): pKa estimated from methylamine 10.6,
#    dimethylamine 10.7, trimethylamine 9.8 (Perrin 1965), minus 1.3 per aryl group on an
#    α-carbon (benzylamine 9.3), 1.2 per heteroatom on an α-carbon (ethanolamine 9.5) and 2.5 per
#    carbonyl on an α-carbon (glycinamide 8.0); protonated if the estimate is ≥ pH + 1 (≥ 90 %
#    cationic). An amine ≤ 3 bonds from one already protonated stays neutral (piperazine's and
#    ethylenediamine's second pKa ≈ 5-7). Morphine's N-methyl: 9.8 → cationic (measured 8.2).
#  * amidines/guanidines (pKa 12-13): protonated on the imine nitrogen.
#  * carboxylic, sulfonic and phosphonic acids: one OH deprotonated.
#  * phenols, anilines, amides, pyridines, imidazoles (pKa ≈ 7) stay neutral.
_AMINE = Chem.MolFromSmarts("[NX3;+0;!$(N~[!#1;!$([CX4])])]")
_AMIDINE = Chem.MolFromSmarts("[NX2;+0;!a;!$(N-[!#6;!#1])]=[CX3;!a](-[#6,#1,#7])-[NX3;+0;!a;!$(N-[a]);!$(N-C=O)]")
_ACID = Chem.MolFromSmarts("[CX3,SX4,PX4](=O)[OX2H1]")
_CARBONYL = Chem.MolFromSmarts("[CX3;!$(C-[OX2H1,OX1-])]=O")


def _amine_pka(mol: Chem.Mol, n_index: int, carbonyls: set[int]) -> float:
    nitrogen = mol.GetAtomWithIdx(n_index)
    pka = {0: 10.6, 1: 10.6, 2: 10.7, 3: 9.8}[nitrogen.GetDegree()]
    for carbon in nitrogen.GetNeighbors():
        for beta in carbon.GetNeighbors():
            if beta.GetIdx() == n_index:
                continue
            if beta.GetIsAromatic():
                pka -= 1.3
            elif beta.GetIdx() in carbonyls:
                pka -= 2.5
            elif beta.GetAtomicNum() not in (1, 6):
                pka -= 1.2
    return round(pka, 1)


def protonate(mol: Chem.Mol, ph: float = 7.4) -> tuple[Chem.Mol, tuple[str, ...]]:
    """Return a copy of ``mol`` in its dominant charge state at ``ph`` (rules above) and notes."""
    out = Chem.RWMol(Chem.RemoveHs(mol))
    carbonyls = {match[0] for match in out.GetSubstructMatches(_CARBONYL)}
    distances = Chem.GetDistanceMatrix(out)
    notes: list[str] = []
    amines = sorted(((_amine_pka(out, m[0], carbonyls), m[0]) for m in out.GetSubstructMatches(_AMINE)),
                    reverse=True)
    charged: list[int] = []
    for pka, index in amines:
        kind = {1: "primary", 2: "secondary", 3: "tertiary"}.get(out.GetAtomWithIdx(index).GetDegree(), "")
        if pka < ph + 1.0 or any(distances[index][other] <= 3 for other in charged):
            why = "below pH + 1" if pka < ph + 1.0 else "≤ 3 bonds from a protonated amine"
            notes.append(f"N{index + 1} {kind} aliphatic amine (est. pKa {pka}) left neutral ({why})")
            continue
        _add_proton(out.GetAtomWithIdx(index))
        charged.append(index)
        notes.append(f"N{index + 1} {kind} aliphatic amine (est. pKa {pka}) protonated")
    for match in out.GetSubstructMatches(_AMIDINE):
        if not any(distances[match[0]][other] <= 3 for other in charged):
            _add_proton(out.GetAtomWithIdx(match[0]))
            charged.append(match[0])
            notes.append(f"N{match[0] + 1} amidine/guanidine protonated")
    done: set[int] = set()
    for centre, _oxo, hydroxyl in out.GetSubstructMatches(_ACID):
        if centre in done:
            continue
        done.add(centre)
        atom = out.GetAtomWithIdx(hydroxyl)
        atom.SetFormalCharge(-1)
        atom.SetNumExplicitHs(0)
        atom.SetNoImplicit(True)
        notes.append(f"{out.GetAtomWithIdx(centre).GetSymbol()}{centre + 1} acid deprotonated")
    result = out.GetMol()
    Chem.SanitizeMol(result)
    return result, tuple(notes)


def _add_proton(atom: Chem.Atom) -> None:
    hydrogens = atom.GetTotalNumHs()
    atom.SetFormalCharge(1)
    atom.SetNumExplicitHs(hydrogens + 1)
    atom.SetNoImplicit(True)


# --- steps --------------------------------------------------------------------------------------
class _quiet_rdkit:
    """Silence RDKit's own stderr messages; our exceptions say what went wrong."""

    def __enter__(self) -> None:
        rdBase.DisableLog("rdApp.*")

    def __exit__(self, *exc: object) -> None:
        rdBase.EnableLog("rdApp.*")


def _parse(spec: str, expected: str | None, cache: Cache | None,
           http: HttpClient | None) -> tuple[Chem.Mol, str | None]:
    text = spec.strip()
    if text.lower() in KNOWN_LIGANDS:
        smiles, key = KNOWN_LIGANDS[text.lower()]
        return Chem.MolFromSmiles(smiles), expected or key
    path = Path(text)
    if path.suffix.lower() in (".sdf", ".mol") or (len(text) < 4096 and path.is_file()):
        return _read_file(path), expected
    with _quiet_rdkit():
        mol = Chem.MolFromSmiles(text)
    if mol is not None:
        return mol, expected
    if cache is not None and text.replace(" ", "").replace("-", "").isalnum():
        smiles, key = resolve_ligand_name(text, cache, http)
        with _quiet_rdkit():
            mol = Chem.MolFromSmiles(smiles)
        if mol is None:  # the cache check refuses such answers; an entry stored by an older netpharm may hold one
            raise LigandPrepError(f"PubChem's SMILES for {text!r} does not parse (RDKit): {smiles[:120]!r}")
        return mol, expected or key
    raise LigandPrepError(f"{spec!r} is not a valid SMILES, an existing .sdf/.mol file or a known name "
                          f"({', '.join(sorted(KNOWN_LIGANDS))}; other names need an online lookup via PubChem)")


def _read_file(path: Path) -> Chem.Mol:
    if not path.is_file():
        raise LigandPrepError(f"ligand file not found: {path}")
    with _quiet_rdkit():
        mol = next(iter(Chem.SDMolSupplier(str(path), removeHs=False)), None)
    if mol is None:
        raise LigandPrepError(f"{path}: first record does not parse as a molecule")
    if mol.GetNumConformers() and mol.GetConformer().Is3D():
        Chem.AssignStereochemistryFrom3D(mol)
    return Chem.RemoveHs(mol)


def _neutral(mol: Chem.Mol) -> Chem.Mol:
    """The neutral parent (an SDF may hold a protonated form: 1IEP's imatinib is the cation)."""
    with _quiet_rdkit():
        return rdMolStandardize.Uncharger().uncharge(mol)


def _check_identity(mol: Chem.Mol, expected: str | None, spec: str) -> str:
    key = Chem.MolToInchiKey(mol)
    if expected and key != expected.strip().upper():
        same_skeleton = key.split("-")[0] == expected.strip().upper().split("-")[0]
        what = "stereochemistry differs" if same_skeleton else "different molecule"
        raise LigandPrepError(f"{spec!r}: InChIKey {key} != expected {expected} ({what})")
    return key


def _lowest_conformer(mol: Chem.Mol, n_conformers: int, seed: int, name: str) -> tuple[Chem.Mol, float | None]:
    withh = Chem.AddHs(mol)
    params = rdDistGeom.ETKDGv3()
    params.randomSeed = seed  # type: ignore[assignment]  # rdkit-stubs mistype this property
    ids = list(rdDistGeom.EmbedMultipleConfs(withh, numConfs=max(1, n_conformers), params=params))
    if not ids:
        raise LigandPrepError(f"{name}: RDKit ETKDGv3 could not embed a 3D conformer")
    energies: list[float | None] = [None] * len(ids)
    if rdForceFieldHelpers.MMFFHasAllMoleculeParams(withh):
        results = rdForceFieldHelpers.MMFFOptimizeMoleculeConfs(withh, mmffVariant="MMFF94", maxIters=2000)
        energies = [energy for _converged, energy in results]
    else:
        log.warning("%s: no MMFF94 parameters; keeping the first ETKDG conformer unminimised", name)
    best = min(range(len(ids)), key=lambda i: e if (e := energies[i]) is not None else 0.0)
    out = Chem.Mol(withh, confId=ids[best])
    out.RemoveAllConformers()
    out.AddConformer(withh.GetConformer(ids[best]), assignId=True)
    return out, energies[best]


_MEEKO_ATOM = re.compile(r"atom number (\d+) has (non finite charge|None type)")


def _meeko_problem(error: str, mol: Chem.Mol) -> str:
    """meeko's writer errors in plain words: its lines show Python values ("mol name: None, charge: nan,
    type: <class 'float'>"); say which atoms (element and number) lack a charge or an atom type instead."""
    found: dict[str, list[str]] = {}
    for index, what in _MEEKO_ATOM.findall(error):
        atom = int(index)
        element = mol.GetAtomWithIdx(atom).GetSymbol() if atom < mol.GetNumAtoms() else "?"
        found.setdefault(what, [])
        if f"{element}{atom + 1}" not in found[what]:  # meeko checks every atom twice
            found[what].append(f"{element}{atom + 1}")
    parts = []
    if "non finite charge" in found:
        parts.append(f"no Gasteiger charge could be computed for atom(s) {', '.join(found['non finite charge'])}")
    if "None type" in found:
        parts.append(f"no AutoDock atom type for atom(s) {', '.join(found['None type'])}")
    if parts:
        return "; ".join(parts)
    first = next((ln for ln in error.splitlines() if ln.strip()), "unknown reason")
    return re.sub(r",? ?\(?mol name: [^,)]*\)?", "", first).strip()


def _to_pdbqt(mol: Chem.Mol, name: str, inchikey: str, tried: int, energy: float | None,
              notes: tuple[str, ...]) -> PreparedLigand:
    from meeko import MoleculePreparation, PDBQTWriterLegacy

    try:
        setups = MoleculePreparation().prepare(mol)
        pdbqt, ok, error = PDBQTWriterLegacy.write_string(setups[0])
    except (RuntimeError, ValueError, KeyError) as exc:
        raise LigandPrepError(f"{name}: meeko could not prepare the molecule: {exc}") from exc
    if not ok:
        raise LigandPrepError(f"{name}: meeko could not write a PDBQT: {_meeko_problem(error, mol)}")
    atoms = [line for line in pdbqt.splitlines() if records.is_atom(line)]
    types = sorted({records.pdbqt_type(line) for line in atoms})
    bad = sorted(set(types) - AD4_TYPES)
    if bad:
        raise LigandPrepError(f"{name}: atom type(s) {', '.join(bad)} have no AutoDock 4 parameters "
                              f"(AD4_parameters.dat); AutoDock 4 cannot dock this ligand")
    torsdof = next((int(line.split()[1]) for line in pdbqt.splitlines() if line.startswith("TORSDOF")), 0)
    return PreparedLigand(
        name=name, pdbqt=pdbqt, atom_types=types, n_atoms=len(atoms), n_heavy=mol.GetNumHeavyAtoms(),
        torsdof=torsdof, active_torsions=sum(1 for line in pdbqt.splitlines() if line.startswith("BRANCH")),
        total_charge=round(sum(float(line[70:76]) for line in atoms), 3), inchikey=inchikey,
        smiles=Chem.MolToSmiles(Chem.RemoveHs(mol)), conformers_tried=tried, mmff_energy=energy,
        protonation=tuple(notes))

"""What a docked pose means in its pocket: files, contacts, the Asp3.32 amine distance, PyMOL script.

The interaction profile (ProLIF) and the 2-D diagram are in :mod:`netpharm.docking.pose.interactions`
and :mod:`netpharm.docking.pose.diagram`.

Opioid ligands anchor their protonated amine on the conserved Asp3.32 of TM3
(Ballesteros–Weinstein numbering; Asp147 in mouse μ-OR, Asp149 in human μ-OR as numbered
in 8EFO, Asp128 in δ-OR, Asp138 in κ-OR), which sits in the TM3 motif ``…SIDYYNMF…``.
The paper reports this contact for morphine, so the stage measures it for every pose.

The pose → RDKit molecule step uses meeko (``PDBQTMolecule`` + ``RDKitMolCreate``), which
rebuilds bond orders from the ``REMARK SMILES`` meeko writes into the ligand PDBQT;
Open Babel is the fallback for PDBQT files without it (e.g. AutoDockTools ligands).
Receptor PDBQT/PDB records are read by fixed columns: a PDBQT is a PDB with charge and
AutoDock type in columns 71–79, which gemmi would misread as element/charge.
"""

from __future__ import annotations

import re
import subprocess
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
from rdkit import Chem

from netpharm.docking.pose.dlg import Pose
from netpharm.docking.prepare.rdlog import route_rdkit_log
from netpharm.io import write_text_atomic
from netpharm.structures import records

__all__ = [
    "ReceptorAtom", "SaltBridge", "PoseFiles",
    "read_receptor_atoms", "receptor_atoms", "pose_to_mol", "pdbqt_to_mol", "write_pose_files", "complex_pdb_text",
    "contact_residues", "find_asp332", "amine_nitrogens", "asp332_salt_bridge", "pymol_script",
]
route_rdkit_log()  # RDKit prints to stderr otherwise, even with -q

THREE_TO_ONE = {"ALA": "A", "ARG": "R", "ASN": "N", "ASP": "D", "CYS": "C", "GLN": "Q", "GLU": "E", "GLY": "G",
                "HIS": "H", "HID": "H", "HIE": "H", "HIP": "H", "ILE": "I", "LEU": "L", "LYS": "K", "MET": "M",
                "PHE": "F", "PRO": "P", "SER": "S", "THR": "T", "TRP": "W", "TYR": "Y", "VAL": "V",
                "ASH": "D", "GLH": "E", "CYX": "C", "LYN": "K"}
# The D of the opioid-receptor TM3 motif (S I D Y Y N M F), then a looser class-A pattern.
ASP332_MOTIFS = (re.compile(r"[ST][IVLM](D)[YF][YF]N"), re.compile(r"[IVLM](D)[YF][YF]"))


@dataclass(frozen=True)
class ReceptorAtom:
    chain: str
    resname: str
    resnum: int
    icode: str
    name: str
    xyz: tuple[float, float, float]

    @property
    def residue(self) -> str:
        return f"{self.chain}:{self.resname}{self.resnum}{self.icode}"


@dataclass(frozen=True)
class SaltBridge:
    """Closest ligand amine N⁺ … Asp3.32 carboxylate O contact."""

    residue: str | None
    distance: float | None
    ligand_atom: int | None
    asp_atom: str | None
    cutoff: float = 4.0

    @property
    def formed(self) -> bool:
        return self.distance is not None and self.distance <= self.cutoff


@dataclass(frozen=True)
class PoseFiles:
    pdbqt: Path
    sdf: Path | None
    complex_pdb: Path


def read_receptor_atoms(text: str) -> list[ReceptorAtom]:
    """ATOM/HETATM records of a PDB or PDBQT text (fixed columns)."""
    atoms = []
    for ln in text.splitlines():
        if ln.startswith(("ATOM", "HETATM")) and len(ln) >= 54:
            atoms.append(ReceptorAtom(records.chain_id(ln), records.residue_name(ln), records.residue_number(ln),
                                      records.insertion_code(ln), records.atom_name(ln), records.xyz(ln)))
    return atoms


@lru_cache(maxsize=4)
def _receptor_atoms(text: str) -> tuple[ReceptorAtom, ...]:
    return tuple(read_receptor_atoms(text))


def receptor_atoms(text: str) -> list[ReceptorAtom]:
    """:func:`read_receptor_atoms`, parsed once per receptor text in this process: a campaign analyses many
    ligands' poses in the same receptor (a few thousand atoms, tens of ms each time)."""
    return list(_receptor_atoms(text))


def _mol_from_obabel(pdbqt: str) -> Chem.Mol | None:
    from netpharm.docking.run.runner import find_executable  # local: obabel is optional
    from netpharm.errors import MissingProgramError
    try:
        exe = find_executable("obabel")
    except MissingProgramError:
        return None
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "pose.pdbqt"
        src.write_text(pdbqt, encoding="utf-8")
        proc = subprocess.run([str(exe), str(src), "-osdf"], capture_output=True, text=True, timeout=60)
    if proc.returncode != 0 or not proc.stdout.strip():
        return None
    return Chem.MolFromMolBlock(proc.stdout.split("$$$$")[0], removeHs=False, sanitize=False)


def pose_to_mol(pose: Pose) -> Chem.Mol | None:
    """RDKit molecule (with the pose's coordinates) from a docked pose; None if neither
    meeko nor Open Babel can rebuild it."""
    return pdbqt_to_mol(pose.pdbqt)


def pdbqt_to_mol(pdbqt: str) -> Chem.Mol | None:
    """RDKit molecule of a pose's PDBQT text (its ``<stem>.pdbqt``), as :func:`pose_to_mol` builds it."""
    from meeko import PDBQTMolecule, RDKitMolCreate

    try:
        mols = RDKitMolCreate.from_pdbqt_mol(PDBQTMolecule(pdbqt, skip_typing=True))
        if mols and mols[0] is not None:
            return mols[0]
    except Exception:  # meeko raises bare errors for PDBQTs without REMARK SMILES
        pass
    return _mol_from_obabel(pdbqt)


def _pdb_line(ln: str) -> str:
    """PDBQT ATOM record → PDB ATOM record (element from the AutoDock type)."""
    adtype = records.pdbqt_type(ln)
    element = {"A": "C", "OA": "O", "NA": "N", "SA": "S", "HD": "H", "HS": "H", "NS": "N", "OS": "O"}.get(
        adtype, adtype[:1] if adtype else records.atom_name(ln)[:1])
    return f"{ln[:54].ljust(54)}  1.00  0.00          {element:>2}"


def write_pose_files(pose: Pose, receptor_text: str, out_dir: Path, stem: str = "best_pose",
                     mol: Chem.Mol | None | bool = True) -> PoseFiles:
    """Write ``<stem>.pdbqt``, ``<stem>.sdf`` (when a molecule can be rebuilt) and the
    receptor–ligand complex ``<stem>_complex.pdb``. ``mol``: the pose's molecule when the caller has
    built it (:func:`pose_to_mol`; ``None``: it could not be), ``True``: build it here."""
    out_dir = Path(out_dir)
    pdbqt = write_text_atomic(out_dir / f"{stem}.pdbqt", pose.pdbqt)
    if mol is True:
        mol = pose_to_mol(pose)
    sdf = None
    if isinstance(mol, Chem.Mol):
        mol = Chem.Mol(mol)  # the caller's molecule keeps its own name
        mol.SetProp("_Name", f"{stem} run {pose.run} energy {pose.energy:.2f}")
        sdf = write_text_atomic(out_dir / f"{stem}.sdf", Chem.MolToMolBlock(mol) + "$$$$\n")
    body = complex_pdb_text(pose, receptor_text)
    complex_pdb = write_text_atomic(out_dir / f"{stem}_complex.pdb", body)
    return PoseFiles(pdbqt, sdf, complex_pdb)


def complex_pdb_text(pose: Pose, receptor_text: str) -> str:
    """The receptor–ligand complex as PDB text: the receptor's atoms, TER, the pose as residue LIG L 999."""
    rec = [_pdb_line(ln) for ln in receptor_text.splitlines() if ln.startswith(("ATOM", "HETATM"))]
    lig = []
    for i, ln in enumerate(ln for ln in pose.pdbqt_lines if ln.startswith(("ATOM", "HETATM"))):
        rec_ln = _pdb_line(ln)
        lig.append(f"HETATM{(i + 1) % 100000:5d} {rec_ln[12:16]} LIG L 999 {rec_ln[30:]}")
    return "\n".join(rec + ["TER"] + lig + ["END"]) + "\n"


def contact_residues(receptor: list[ReceptorAtom], ligand_xyz: np.ndarray, cutoff: float = 4.0) -> list[str]:
    """Residues with any atom within ``cutoff`` Å of any ligand atom, in chain/sequence order."""
    rec = np.array([a.xyz for a in receptor], dtype=float)
    lig = np.asarray(ligand_xyz, dtype=float)
    d = np.sqrt(((rec[:, None, :] - lig[None, :, :]) ** 2).sum(axis=2)).min(axis=1)
    hit = {receptor[i].residue: (receptor[i].chain, receptor[i].resnum) for i in np.nonzero(d <= cutoff)[0]}
    return sorted(hit, key=lambda r: hit[r])


def find_asp332(receptor: list[ReceptorAtom]) -> str | None:
    """Residue id (``chain:ASPnnn``) of Asp3.32, from the TM3 motif; None if not found."""
    residues: dict[tuple[str, int, str], str] = {}
    for a in receptor:
        residues.setdefault((a.chain, a.resnum, a.icode), a.resname)
    keys = list(residues)
    seq = "".join(THREE_TO_ONE.get(residues[k], "X") for k in keys)
    for motif in ASP332_MOTIFS:
        m = motif.search(seq)
        if m:
            chain, num, icode = keys[m.start(1)]
            return f"{chain}:{residues[keys[m.start(1)]]}{num}{icode}"
    return None


def amine_nitrogens(mol: Chem.Mol | None, pose: Pose) -> list[int]:
    """0-based indices (in PDBQT atom order) of protonated amine nitrogens.

    From the RDKit molecule when available (formal charge +1 on a non-aromatic N not in an
    amide); otherwise from the PDBQT: an ``N`` atom bonded to an ``HD`` and to four atoms.
    """
    xyz = pose.coords
    if mol is not None and mol.GetNumConformers():
        conf = mol.GetConformer().GetPositions()
        out = []
        for atom in mol.GetAtoms():
            if atom.GetSymbol() == "N" and atom.GetFormalCharge() == 1 and not atom.GetIsAromatic():
                d = np.linalg.norm(xyz - conf[atom.GetIdx()], axis=1)
                if d.min() < 0.05:
                    out.append(int(d.argmin()))
        return out
    types = [records.pdbqt_type(ln) for ln in pose.pdbqt_lines if records.is_atom(ln)]
    dist = np.sqrt(((xyz[:, None, :] - xyz[None, :, :]) ** 2).sum(axis=2))
    out = []
    for i, t in enumerate(types):
        if t != "N":
            continue
        bonded = [j for j in range(len(types)) if j != i and dist[i, j] < (1.15 if types[j] == "HD" else 1.7)]
        if any(types[j] == "HD" for j in bonded) and len(bonded) == 4:
            out.append(i)
    return out


def asp332_salt_bridge(receptor: list[ReceptorAtom], pose: Pose, mol: Chem.Mol | None,
                       cutoff: float = 4.0) -> SaltBridge:
    """Distance from the ligand's protonated amine N to the nearest Asp3.32 OD1/OD2."""
    asp = find_asp332(receptor)
    amines = amine_nitrogens(mol, pose)
    if asp is None or not amines:
        return SaltBridge(asp, None, None, None, cutoff)
    oxygens = [a for a in receptor if a.residue == asp and a.name in ("OD1", "OD2")]
    if not oxygens:
        return SaltBridge(asp, None, None, None, cutoff)
    best = min((float(np.linalg.norm(pose.coords[i] - np.array(o.xyz))), i, o.name)
                for i in amines for o in oxygens)
    return SaltBridge(asp, round(best[0], 3), best[1], best[2], cutoff)


def pymol_script(receptor_file: str, pose_file: str, contacts: list[str], bridge: SaltBridge) -> str:
    """PyMOL script showing the pose in its pocket (run ``pymol pose.pml`` in the folder)."""
    sel = " or ".join(f"(chain {r.split(':')[0]} and resi {re.sub(r'[^0-9-]', '', r.split(':')[1])})"
                      for r in contacts) or "none"
    lines = [f"load {receptor_file}, receptor", f"load {pose_file}, ligand", "hide everything",
             "show cartoon, receptor", "set cartoon_transparency, 0.6", "color grey80, receptor",
             f"select pocket, receptor and ({sel})", "show sticks, pocket and not hydro",
             "color slate, pocket and elem C", "show sticks, ligand", "color yellow, ligand and elem C"]
    if bridge.residue and bridge.ligand_atom is not None and bridge.asp_atom:
        chain, res = bridge.residue.split(":")
        lines.append(f"distance saltbridge, ligand and index {bridge.ligand_atom + 1}, "
                     f"receptor and chain {chain} and resi {re.sub(r'[^0-9-]', '', res)} and name {bridge.asp_atom}")
    lines += ["label pocket and name CA, resn + resi", "bg_color white", "orient ligand", "zoom ligand, 6"]
    return "\n".join(lines) + "\n"

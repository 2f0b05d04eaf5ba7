"""The interaction profile of a pose: which receptor residues it touches, and how.

Detection is ProLIF's (Bouysset & Fiorucci 2021, J. Cheminform. 13:72; prolif 2.x), not new
geometry code: hydrogen bonds (ligand as donor or acceptor), ionic contacts ("salt bridges"),
π-stacking (face-to-face and edge-to-face), cation–π in both directions, hydrophobic contacts
and halogen bonds, each with its atoms and distance. ProLIF was chosen over PLIP because it
works directly on RDKit molecules (the pose from meeko, the receptor from its PDBQT/PDB) and
is a maintained pip package; PLIP needs Open Babel's Python bindings and writes its own files.

The receptor of a docking run is a PDBQT (polar hydrogens only); ProLIF's
``MoleculeStandardizer`` assigns bond orders and formal charges from its residue templates,
so Asp/Glu carboxylates are anionic and Lys/Arg cationic as in a protein at pH 7.

Residue ids are ``chain:RESnum`` (``A:ASP147``). The opioid-receptor Asp3.32
(Ballesteros–Weinstein) is found by the TM3 motif (:func:`netpharm.docking.pose.poses.find_asp332`)
and its rows carry ``generic = "D3.32"``, so a claim can name it generically.
"""

from __future__ import annotations

import logging
import re
import warnings
from collections.abc import Iterable, Mapping
from dataclasses import asdict
from typing import Any

import pandas as pd
from rdkit import Chem

from netpharm.docking.findings import Interaction
from netpharm.docking.profile_query import (
    INTERACTION_KINDS,
    has_interaction,
    interaction_record,
    residue_matches,
    system_has_interaction,
)
from netpharm.errors import InteractionError

__all__ = ["INTERACTION_KINDS", "PROLIF_KINDS", "Interaction", "profile_pose", "receptor_molecule",
           "profile_table", "profile_records", "has_interaction", "residue_matches", "PROFILE_COLUMNS",
           "skipped_residues", "system_has_interaction"]

log = logging.getLogger(__name__)

#: ProLIF interaction class → (netpharm kind, role of the ligand).
PROLIF_KINDS: dict[str, tuple[str, str]] = {
    "Cationic": ("salt_bridge", "cation"), "Anionic": ("salt_bridge", "anion"),
    "HBDonor": ("hbond", "donor"), "HBAcceptor": ("hbond", "acceptor"),
    "CationPi": ("cation_pi", "cation"), "PiCation": ("cation_pi", "ring"),
    "PiStacking": ("pi_stacking", "ring"),
    "XBDonor": ("halogen_bond", "donor"), "XBAcceptor": ("halogen_bond", "acceptor"),
    "Hydrophobic": ("hydrophobic", "hydrophobic"),
}
PROFILE_COLUMNS = ["kind", "prolif_type", "ligand_role", "residue", "generic", "chain", "resname", "resnum",
                   "distance", "ligand_atoms", "receptor_atoms", "count"]


def _pdb_block(receptor_text: str) -> str:
    """PDB text of a PDB or PDBQT receptor (PDBQT type columns turned into elements)."""
    from netpharm.docking.pose.poses import _pdb_line

    lines = [ln for ln in receptor_text.splitlines() if ln.startswith(("ATOM", "HETATM"))]
    is_pdbqt = any(len(ln) >= 78 and ln[70:76].strip() and ln[77:79].strip() for ln in lines)
    out = [_pdb_line(ln) if is_pdbqt else ln for ln in lines]
    return "\n".join(out) + "\nEND\n"


def receptor_molecule(receptor_text: str, label: str = "receptor", skip_unknown: bool = True) -> Any:
    """The receptor as a ProLIF molecule with template bond orders and charges.

    Residues ProLIF has no template for (a modified residue such as 8E0G's U8S, a leftover
    ligand or ion) are left out when ``skip_unknown`` (logged, and listed in the molecule's
    ``netpharm_skipped`` property, e.g. ``"A:U8S54"``), so one odd residue does not cost the
    whole profile.

    Raises
    ------
    InteractionError
        The receptor cannot be read, or (``skip_unknown=False``) holds a residue without template.
    """
    block, skipped = _pdb_block(receptor_text), []
    for _ in range(20):  # at most this many distinct unknown residue types are skipped
        rdmol = Chem.MolFromPDBBlock(block, removeHs=False, sanitize=False)
        if rdmol is None or rdmol.GetNumAtoms() == 0:
            raise InteractionError(f"{label}: RDKit could not read the receptor's ATOM records")
        try:
            mol = _standardize(rdmol)
        except ValueError as exc:
            unknown = re.search(r"Residue \{'(\w+)'\}", str(exc))
            if not skip_unknown or unknown is None:
                raise InteractionError(f"{label}: {_name_residue(str(exc), rdmol)}") from exc
            found = _residues_named(rdmol, unknown[1])
            skipped += found
            log.warning("%s: residues %s have no ProLIF template: left out of the interaction profile", label,
                        ", ".join(found))
            block = "\n".join(ln for ln in block.splitlines()
                              if not (ln.startswith(("ATOM", "HETATM")) and ln[17:20].strip() == unknown[1])) + "\n"
            continue
        mol.SetProp("netpharm_skipped", ",".join(skipped))
        return mol
    raise InteractionError(f"{label}: too many residue types without a ProLIF template ({', '.join(skipped)})")



def _prolif() -> Any:
    """Import ProLIF quietly: importing it loads MDAnalysis, which logs a netCDF4 warning and emits
    DeprecationWarnings on stderr that say nothing about the user's run (shown with -vv at DEBUG)."""
    logging.getLogger("MDAnalysis").setLevel(logging.ERROR if log.getEffectiveLevel() > logging.DEBUG
                                             else logging.DEBUG)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        # Importing MDAnalysis puts a "once" filter for its own DeprecationWarnings first; put "ignore" back in
        # front before prolif imports the deprecated MDAnalysis.topology.tables (else a warning on every run).
        import MDAnalysis  # noqa: F401
        warnings.simplefilter("ignore")

        import prolif
    return prolif

def _standardize(rdmol: Chem.Mol) -> Any:
    plf = _prolif()
    from prolif.io import MoleculeStandardizer

    with warnings.catch_warnings():
        # ProLIF warns once per residue it cannot assign a force-field name to (e.g. CYS kept
        # neutral) and per residue with missing heavy atoms; both are expected for cleaned PDBQTs.
        warnings.simplefilter("ignore")
        return MoleculeStandardizer()(plf.Molecule.from_rdkit(rdmol))


def _residues_named(rdmol: Chem.Mol, resname: str) -> list[str]:
    found: dict[str, None] = {}
    for atom in rdmol.GetAtoms():
        info = atom.GetPDBResidueInfo()
        if info is not None and info.GetResidueName().strip() == resname:
            found[f"{info.GetChainId().strip()}:{resname}{info.GetResidueNumber()}"] = None
    return list(found)


def skipped_residues(receptor: Any) -> list[str]:
    """Residues :func:`receptor_molecule` left out (no ProLIF template)."""
    value = receptor.GetProp("netpharm_skipped") if receptor.HasProp("netpharm_skipped") else ""
    return [r for r in value.split(",") if r]


def _name_residue(message: str, rdmol: Chem.Mol) -> str:
    """ProLIF names only the residue type it has no template for; add its chain and number."""
    m = re.search(r"Residue \{'(\w+)'\}", message)
    if m is None:
        return message
    for atom in rdmol.GetAtoms():
        info = atom.GetPDBResidueInfo()
        if info is not None and info.GetResidueName().strip() == m[1]:
            where = f"{info.GetChainId().strip()}:{m[1]}{info.GetResidueNumber()}"
            return (f"residue {where} has no ProLIF residue template (not a standard amino acid): "
                    "remove it from the receptor (drop_residues) or clean the structure")
    return message


def _atom_label(mol: Any, index: int) -> str:
    """Receptor atoms by PDB name (``OD1``)."""
    atom = mol.GetAtomWithIdx(int(index))
    info = atom.GetPDBResidueInfo()
    name = info.GetName().strip() if info is not None else ""
    return name or f"{atom.GetSymbol()}{int(index) + 1}"


def _ligand_label(mol: Any, index: int) -> str:
    """Ligand atoms by element and 1-based index in the pose's SDF (``N13``): docked poses have
    no unique atom names."""
    return f"{mol.GetAtomWithIdx(int(index)).GetSymbol()}{int(index) + 1}"


def _split_residue(resid: Any) -> tuple[str, str, int]:
    return str(resid.chain or ""), str(resid.name), int(resid.number)


def _fingerprint(salt_bridge_cutoff: float) -> Any:
    plf = _prolif()

    parameters = {"Cationic": {"distance": salt_bridge_cutoff}, "Anionic": {"distance": salt_bridge_cutoff}}
    return plf.Fingerprint(list(PROLIF_KINDS), parameters=parameters, count=True)


def profile_pose(ligand: Chem.Mol, receptor: Any, asp332: str | None = None,
                 salt_bridge_cutoff: float = 4.0) -> list[Interaction]:
    """Every interaction of a posed ligand with the receptor (ProLIF), one row per residue and type.

    Parameters
    ----------
    ligand : rdkit.Chem.Mol
        The pose with explicit hydrogens and formal charges (meeko's molecule, or an SDF).
    receptor : prolif.Molecule
        From :func:`receptor_molecule`.
    asp332 : str or None
        ``chain:ASPnnn`` of Asp3.32 (TM3 motif); its rows get ``generic = "D3.32"``.
    salt_bridge_cutoff : float
        Å between the charged atoms: 4.0 as the stage's Asp3.32 check always used (ProLIF's
        default is 4.5).

    Returns
    -------
    list of Interaction
        Sorted by kind (:data:`INTERACTION_KINDS` order), then chain and residue number.
    """
    plf = _prolif()

    if ligand is None or ligand.GetNumConformers() == 0:
        raise InteractionError("ligand pose has no 3-D coordinates")
    if not any(a.GetAtomicNum() == 1 for a in ligand.GetAtoms()):
        raise InteractionError("ligand pose has no explicit hydrogens (ProLIF needs them for H-bond donors)")
    lig = plf.Molecule.from_rdkit(ligand, resname="LIG", resnumber=1, chain="L")
    fp = _fingerprint(salt_bridge_cutoff)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fp.run_from_iterable([lig], receptor, progress=False, n_jobs=1)
    rows = []
    for (_, resid), by_type in next(iter(fp.ifp.values())).items():
        chain, resname, resnum = _split_residue(resid)
        residue = f"{chain}:{resname}{resnum}"
        for ptype, metas in by_type.items():
            best = min(metas, key=lambda m: float(m["distance"]))
            kind, role = PROLIF_KINDS[ptype]
            idx = best["parent_indices"]
            rows.append(Interaction(
                kind=kind, prolif_type=ptype, ligand_role=role, residue=residue,
                generic="D3.32" if asp332 and residue == asp332 else "", chain=chain, resname=resname,
                resnum=resnum, distance=round(float(best["distance"]), 3),
                ligand_atoms=",".join(_ligand_label(lig, i) for i in idx["ligand"]),
                receptor_atoms=",".join(_atom_label(receptor, i) for i in idx["protein"]), count=len(metas)))
    order = {k: i for i, k in enumerate(INTERACTION_KINDS)}
    rows.sort(key=lambda r: (order[r.kind], r.chain, r.resnum, r.prolif_type))
    log.info("interaction profile: %d rows (%s)", len(rows),
             ", ".join(f"{k} {sum(r.kind == k for r in rows)}" for k in INTERACTION_KINDS
                       if any(r.kind == k for r in rows)))
    return rows


def profile_records(rows: Iterable[Interaction]) -> list[dict[str, Any]]:
    """JSON-able rows (the results database's ``interactions`` column, summary.json)."""
    return [asdict(r) for r in rows]


def profile_table(rows: Iterable[Interaction | Mapping[str, Any]]) -> pd.DataFrame:
    """The profile as a table with :data:`PROFILE_COLUMNS` (``interactions.tsv``)."""
    records = [dict(interaction_record(r)) for r in rows]
    return pd.DataFrame(records, columns=PROFILE_COLUMNS)

"""How benchmarks/data/nci_druglike_200.smi was made (run from the repository root; rewrites the file).

Source: RDKit's own test data ``rdkit/Data/NCI/first_5K.smi`` (README.md in this folder); the rules below keep
real, drug-like compounds that AutoDock 4 can type, in file order.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import rdkit
from rdkit import Chem, RDConfig
from rdkit.Chem import Descriptors, Lipinski, rdMolDescriptors

ELEMENTS = {"C", "N", "O", "S", "F", "Cl", "Br"}
OUT = Path("benchmarks/data/nci_druglike_200.smi")


def drug_like(mol: Chem.Mol) -> bool:
    if len(Chem.GetMolFrags(mol)) != 1 or any(a.GetSymbol() not in ELEMENTS for a in mol.GetAtoms()):
        return False
    if any(a.GetFormalCharge() for a in mol.GetAtoms()) or not 200 <= Descriptors.MolWt(mol) <= 450:
        return False
    if Lipinski.NumHDonors(mol) > 5 or Lipinski.NumHAcceptors(mol) > 10:
        return False
    if rdMolDescriptors.CalcNumRotatableBonds(mol) > 6 or mol.GetNumHeavyAtoms() > 32:
        return False
    # no unassigned stereocentre: the ligand docked is the compound named
    return rdMolDescriptors.CalcNumAtomStereoCenters(mol) == len(Chem.FindMolChiralCenters(mol))


def main() -> None:
    src = Path(RDConfig.RDDataDir) / "NCI" / "first_5K.smi"
    print(src, hashlib.sha256(src.read_bytes()).hexdigest(), rdkit.__version__)
    keep: list[str] = []
    seen: set[str] = set()
    for line in src.read_text().splitlines():
        parts = line.split()
        if len(parts) < 2:
            continue
        mol = Chem.MolFromSmiles(parts[0])
        if mol is None or not drug_like(mol):
            continue
        key = Chem.MolToInchiKey(mol)
        if key not in seen:
            seen.add(key)
            keep.append(f"{parts[0]} NCI{parts[1]}")
        if len(keep) == 200:
            break
    OUT.write_text("\n".join(keep) + "\n")
    print(len(keep), hashlib.sha256(OUT.read_bytes()).hexdigest())


if __name__ == "__main__":
    main()

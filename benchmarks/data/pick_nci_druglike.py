"""How benchmarks/data/nci_druglike_200.smi was made (run from the repository root; writes the file)."""
from pathlib import Path
import hashlib, rdkit
from rdkit import Chem, RDConfig
from rdkit.Chem import Descriptors, Lipinski, rdMolDescriptors
src = Path(RDConfig.RDDataDir) / "NCI" / "first_5K.smi"
print(src, hashlib.sha256(src.read_bytes()).hexdigest(), rdkit.__version__)
keep = []
seen = set()
for line in src.read_text().splitlines():
    parts = line.split()
    if len(parts) < 2: continue
    smi, ident = parts[0], parts[1]
    m = Chem.MolFromSmiles(smi)
    if m is None or len(Chem.GetMolFrags(m)) != 1: continue
    if any(a.GetSymbol() not in {"C","N","O","S","F","Cl","Br"} for a in m.GetAtoms()): continue
    if any(a.GetFormalCharge() for a in m.GetAtoms()): continue
    mw = Descriptors.MolWt(m)
    if not (200 <= mw <= 450): continue
    if Lipinski.NumHDonors(m) > 5 or Lipinski.NumHAcceptors(m) > 10: continue
    if rdMolDescriptors.CalcNumRotatableBonds(m) > 6 or m.GetNumHeavyAtoms() > 32: continue
    if rdMolDescriptors.CalcNumAtomStereoCenters(m) != len(Chem.FindMolChiralCenters(m, includeUnassigned=False)): continue  # no unassigned stereo
    key = Chem.MolToInchiKey(m)
    if key in seen: continue
    seen.add(key)
    keep.append(f"{smi} NCI{ident}")
    if len(keep) == 200: break
print(len(keep))
Path("benchmarks/data/nci_druglike_200.smi").write_text("\n".join(keep) + "\n")

"""The report's view of the docked poses: a row per ligand × receptor, a 3-D view per pose, full cards for the best.

Built from the docking findings and the files they name (``best_pose.sdf``, ``best_pose_pocket.pdb``,
the diagram, the experimental ligand :data:`netpharm.docking.files.REFERENCE_LIGAND` when the job's
or system's folder holds one). Every pose with its files goes into one
:class:`~netpharm.present.viewer.PoseStore`: its ligand (heavy atoms), and the pocket of its
system once for all its ligands, so the page grows by a few kB per ligand. A pose whose files are
missing gets no 3-D view, never an empty one.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from netpharm.docking import files
from netpharm.docking.cards import CardCandidate, card_choice, card_energy
from netpharm.docking.findings import DockedSystem, Interaction, RedockResult
from netpharm.docking.pose.styles import KIND_COLOURS
from netpharm.present.markup import FigureView, figure_view, rel
from netpharm.present.viewer import PoseStore, PoseView

__all__ = ["PoseCard", "ReportPose", "report_poses", "pose_cards", "pose_view", "PROFILE_COLUMNS"]

#: Columns of the interaction profile table under each pose.
PROFILE_COLUMNS = ["kind", "residue", "generic", "prolif_type", "distance", "ligand_atoms", "receptor_atoms", "count"]


@dataclass(frozen=True)
class ReportPose:
    """A docked system or a redocking case as the report shows it.

    ``key`` names its 3-D view in the page's pose store (``None``: no pose files);
    ``heavy_atoms`` and ``qed`` (RDKit's QED drug-likeness, Bickerton et al. 2012, Nat Chem 4:90)
    come from the pose's SDF, ``None`` when it is missing or does not parse.
    """

    key: str | None
    name: str
    title: str
    entry: DockedSystem | RedockResult
    heavy_atoms: int | None
    qed: float | None
    summary: str

    @property
    def redock(self) -> bool:
        return isinstance(self.entry, RedockResult)

    @property
    def energy(self) -> float | None:
        return card_energy(self.entry.best_energy, self.entry.status)

    @property
    def efficiency(self) -> float | None:
        """Ligand efficiency, −ΔG per heavy atom (kcal/mol; Hopkins et al. 2004, Drug Discov Today 9:430)."""
        e = self.energy
        return round(-e / self.heavy_atoms, 3) if e is not None and self.heavy_atoms else None


@dataclass(frozen=True)
class PoseCard:
    """One best pose: its 2-D diagram, its 3-D view (a key of the pose store) and its interaction profile."""

    pose: ReportPose
    key: str | None
    title: str
    figure: FigureView | None
    interactions: list[dict[str, object]]
    tsv: str | None
    summary: str
    note: str
    has_reference: bool = False


def _summary(interactions: Sequence[Interaction]) -> str:
    strong = [f"{r.kind} {r.residue}" + (f" ({r.generic})" if r.generic else "")
              for r in interactions if r.kind != "hydrophobic"]
    n_hydrophobic = sum(r.kind == "hydrophobic" for r in interactions)
    return "; ".join(strong + ([f"{n_hydrophobic} hydrophobic contacts"] if n_hydrophobic else []))


def _compact(mol: Any) -> dict[str, Any]:
    """A molecule's heavy atoms as the page's 3-D store holds them: elements (space-separated), coordinates
    (0.01 Å) and bonds (atom, atom, order, flat), a third of its molfile's size; hydrogens left out, as in
    the 2-D diagram."""
    from rdkit import Chem

    try:
        Chem.Kekulize(mol, clearAromaticFlags=True)  # orders 1/2/3, which 3Dmol draws
    except Exception:  # noqa: BLE001 -- RDKit raises its own types; an aromatic bond is then drawn as single
        pass
    heavy = [a.GetIdx() for a in mol.GetAtoms() if a.GetAtomicNum() != 1]
    index = {old: new for new, old in enumerate(heavy)}
    pos = mol.GetConformer().GetPositions() if mol.GetNumConformers() else None
    xyz = [round(float(v), 2) for i in heavy for v in (pos[i] if pos is not None else (0.0, 0.0, 0.0))]
    bonds = [n for b in mol.GetBonds() if b.GetBeginAtomIdx() in index and b.GetEndAtomIdx() in index
             for n in (index[b.GetBeginAtomIdx()], index[b.GetEndAtomIdx()], max(1, int(b.GetBondTypeAsDouble())))]
    return {"elem": " ".join(mol.GetAtomWithIdx(i).GetSymbol() for i in heavy), "xyz": xyz, "bonds": bonds}


def _ligand(sdf: str, qeds: dict[str, float | None] | None = None,
            name: str = "") -> tuple[dict[str, Any] | None, int | None, float | None]:
    """(heavy atoms for the 3-D view, heavy-atom count, QED) of a pose's molfile; ``None`` for what RDKit
    cannot read (a molecule it cannot sanitise is still drawn, without QED). ``qeds``: QED by ligand name,
    filled as it goes (a campaign docks each ligand into every receptor; QED costs milliseconds)."""
    from rdkit import Chem, rdBase
    from rdkit.Chem import QED

    quiet = rdBase.BlockLogs()  # a pose RDKit cannot sanitise is reported as "no QED", not on stderr
    try:
        mol = Chem.MolFromMolBlock(sdf)
        if mol is None:
            raw = Chem.MolFromMolBlock(sdf, sanitize=False, removeHs=False)
            return (_compact(raw), sum(a.GetAtomicNum() != 1 for a in raw.GetAtoms()), None) if raw else \
                (None, None, None)
        if qeds is not None and name in qeds:
            return _compact(Chem.Mol(mol)), mol.GetNumHeavyAtoms(), qeds[name]
        try:
            qed: float | None = round(float(QED.qed(mol)), 3)
        except (ValueError, RuntimeError):
            qed = None
        if qeds is not None and name:
            qeds[name] = qed
        return _compact(Chem.Mol(mol)), mol.GetNumHeavyAtoms(), qed
    finally:
        del quiet


def _reference_file(run_dir: Path, pose_sdf: Path) -> Path | None:
    """The experimental ligand of the pose's job folder, else of its system folder (inside ``docking/``): the
    redocking reference (SDF, bond orders from its template) or the co-crystal ligand a system's box was built
    on (PDB as deposited, :data:`~netpharm.docking.files.CRYSTAL_LIGAND`)."""
    top = (run_dir / files.FOLDER).resolve()
    for folder in (pose_sdf.parent, pose_sdf.parent.parent):
        if folder.resolve() == top or top not in folder.resolve().parents:
            continue
        for name in (files.REFERENCE_LIGAND, files.CRYSTAL_LIGAND):
            if (folder / name).is_file():
                return folder / name
    return None


def _reference_ligand(path: Path) -> dict[str, Any] | None:
    """The 3-D store's form of an experimental ligand file (SDF, or PDB with bonds by distance: drawn only)."""
    if path.suffix != ".pdb":
        return _ligand(path.read_text(encoding="utf-8"))[0]
    from rdkit import Chem, rdBase

    with rdBase.BlockLogs():
        mol = Chem.MolFromPDBBlock(path.read_text(encoding="utf-8"), sanitize=False, removeHs=False)
    return _compact(mol) if mol is not None and mol.GetNumAtoms() else None


class _Pockets:
    """The pockets of the poses of each system merged into one PDB text (same prepared receptor), so a
    campaign embeds each receptor's pocket once; the page shows the residues within 8 Å of the pose shown."""

    def __init__(self) -> None:
        self._atoms: dict[str, dict[str, str]] = {}
        self._coords: dict[str, dict[tuple[str, int, str], tuple[float, float, float]]] = {}

    def add(self, name: str, pdb: str) -> dict[tuple[str, int, str], tuple[float, float, float]]:
        """Merge a pose's pocket into its system's; returns the system's atoms by (chain, residue number, name)."""
        atoms, coords = self._atoms.setdefault(name, {}), self._coords.setdefault(name, {})
        for line in pdb.splitlines():
            key = line[12:27]  # atom name, altLoc, residue, chain, number, iCode
            if key not in atoms and line.startswith(("ATOM", "HETATM")):
                atoms[key] = line
                coords.setdefault((line[21].strip(), int(line[22:26]), line[12:16].strip()),
                                  (float(line[30:38]), float(line[38:46]), float(line[46:54])))
        return coords

    def texts(self) -> dict[str, str]:
        def order(line: str) -> tuple[str, int, str, int]:
            return line[21], int(line[22:26]), line[26], int(line[6:11])

        return {name: "\n".join(sorted(atoms.values(), key=order)) + "\nEND\n"
                for name, atoms in self._atoms.items()}


def report_poses(run_dir: Path, systems: Sequence[DockedSystem],
                 redocking: Sequence[RedockResult]) -> tuple[list[ReportPose], PoseStore]:
    """Every docked system, then every redocking case, with the 3-D data of those that left a pose."""
    entries: list[tuple[str, DockedSystem | RedockResult]] = [(s.system, s) for s in systems]
    entries += [(f"redocking {r.system}", r) for r in redocking]
    pockets, views, out = _Pockets(), [], []
    references: dict[str, dict[str, Any]] = {}
    qeds: dict[str, float | None] = {}
    for i, (name, x) in enumerate(entries):
        title = f"{name} ({x.engine})" + (f": {x.ligand}" if x.ligand else "")
        key, heavy, qed = None, None, None
        pose_file = run_dir / x.pose_sdf if x.pose_sdf else None
        pocket_file = run_dir / x.pocket_pdb if x.pocket_pdb else None
        if pose_file is not None and pocket_file is not None and pose_file.is_file() and pocket_file.is_file():
            pocket = pocket_file.read_text(encoding="utf-8")
            sdf = pose_file.read_text(encoding="utf-8")
            shown, heavy, qed = _ligand(sdf, qeds, x.ligand or "")
            if shown is not None:
                key = f"pose{i}"
                atoms = pockets.add(x.system, pocket)
                reference = _reference_file(run_dir, pose_file)
                ref_key = reference.relative_to(run_dir).as_posix() if reference is not None else ""
                if ref_key and ref_key not in references:
                    ref = _reference_ligand(reference) if reference is not None else None
                    references[ref_key] = ref or {}
                views.append(pose_view(key, title, x.system, atoms, sdf, x.interactions, shown,
                                       ref_key if references.get(ref_key) else ""))
        out.append(ReportPose(key, name, title, x, heavy, qed, _summary(x.interactions)))
    return out, PoseStore(pockets.texts(), views, {k: v for k, v in references.items() if v})


def pose_cards(run_dir: Path, base: Path, poses: Sequence[ReportPose], store: PoseStore,
               top: int) -> tuple[list[PoseCard], int]:
    """Full cards for the ``top`` docked poses of lowest energy (in the findings' order when all fit), then
    every redocking case (:func:`netpharm.docking.cards.card_choice`, the rule the docking stage drew their
    diagrams by); and how many docked poses were left without a card. A card whose pose has no diagram
    (``figure`` None) shows none."""
    chosen, uncarded = card_choice([CardCandidate(p.energy, p.redock, bool(p.entry.figure or p.entry.pocket_pdb))
                                    for p in poses], top)
    with_refs = {v.key for v in store.poses if v.reference}
    cards = []
    for p in (poses[i] for i in chosen):
        x = p.entry
        figure = figure_view(run_dir / x.figure, f"Best pose, {p.title}", base) if x.figure else None
        tsv = rel(run_dir / x.interactions_tsv, base) if x.interactions_tsv else None
        rows: list[dict[str, object]] = [{c: getattr(r, c) for c in PROFILE_COLUMNS} for r in x.interactions]
        cards.append(PoseCard(p, p.key, p.title, figure, rows, tsv, p.summary, x.interactions_error or "",
                              p.key in with_refs))
    return cards, uncarded


def _sdf_positions(sdf: str) -> list[tuple[float, float, float]]:
    """Atom coordinates of the first molecule of a V2000 molfile (fixed columns)."""
    lines = sdf.splitlines()
    if len(lines) < 4:
        return []
    count = int(lines[3][:3])
    return [(float(ln[0:10]), float(ln[10:20]), float(ln[20:30])) for ln in lines[4:4 + count]]


def _rounded(xyz: tuple[float, float, float]) -> list[float]:
    return [round(v, 2) for v in xyz]


def _first_index(labels: str) -> int | None:
    m = re.match(r"[A-Za-z]+(\d+)", labels or "")
    return int(m[1]) - 1 if m else None


def pose_view(key: str, title: str, pocket_name: str, receptor: Mapping[tuple[str, int, str], tuple[float, float, float]],
              sdf: str, interactions: Sequence[Interaction], shown: dict[str, Any], reference: str = "") -> PoseView:
    """The 3-D view of a pose: ``sdf`` (hydrogens included: the profile's atom indices count them) and the
    pocket's ``receptor`` atoms place the interaction lines, ``shown`` is the ligand drawn (:func:`_compact`),
    ``pocket_name`` its pocket in the store."""
    ligand = _sdf_positions(sdf)
    lines, labels, seen = [], [], set()
    residues = sorted({(r.chain, r.resnum) for r in interactions})
    for r in interactions:
        if r.kind == "hydrophobic":
            continue
        i = _first_index(r.ligand_atoms)
        name = r.receptor_atoms.split(",")[0]
        start = ligand[i] if i is not None and i < len(ligand) else None
        end = receptor.get((r.chain, r.resnum, name))
        if start is None or end is None:
            continue
        lines.append({"start": _rounded(start), "end": _rounded(end), "color": KIND_COLOURS.get(r.kind, "#555555"),
                      "kind": r.kind, "distance": r.distance})
        if r.residue not in seen:
            seen.add(r.residue)
            labels.append({"text": f"{r.resname.title()}{r.resnum}", "position": _rounded(end)})
    return PoseView(key, title, pocket_name, shown, lines, labels, [{"chain": c, "resi": n} for c, n in residues],
                    reference)

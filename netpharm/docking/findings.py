"""The docking stage's findings: the typed ``findings`` of ``docking/summary.json``.

Light module (no numerical import): the registry, the report and the claims import it.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["DockingFindings", "DockedSystem", "RedockResult", "Interaction", "ReceptorCheck"]


@dataclass(frozen=True)
class Interaction:
    """One ligand–residue interaction of a best pose (ProLIF; the closest of its occurrences).

    Attributes
    ----------
    kind : str
        salt_bridge, hbond, cation_pi, pi_stacking, halogen_bond or hydrophobic.
    prolif_type : str
        ProLIF's interaction class (e.g. ``HBAcceptor``: the ligand accepts).
    ligand_role : str
        The ligand's part: donor, acceptor, cation, anion, ring, hydrophobic.
    residue : str
        ``chain:RESnum`` (e.g. ``A:ASP147``).
    generic : str
        ``D3.32`` for the TM3-motif aspartate, else empty.
    chain, resname, resnum
        The residue's parts.
    distance : float
        Å, ProLIF's distance of the closest occurrence (donor–acceptor heavy atoms for H-bonds,
        centroid-based for rings).
    ligand_atoms, receptor_atoms : str
        Atom labels of that occurrence, comma-separated: ligand atoms as element + 1-based index
        in the pose's SDF (``N13``; docked poses have no unique atom names), receptor atoms by
        PDB name (``OD1``).
    count : int
        How many atom groups of this residue make this interaction.
    """

    kind: str
    prolif_type: str
    ligand_role: str
    residue: str
    generic: str
    chain: str
    resname: str
    resnum: int
    distance: float
    ligand_atoms: str
    receptor_atoms: str
    count: int


@dataclass(frozen=True)
class DockedSystem:
    """One (system, ligand, engine) docking (AutoDock 4.2.6 LGA or Vina best pose).

    ``asp332`` is the receptor's Asp3.32 (Ballesteros–Weinstein numbering, found from the TM3
    motif) as ``chain:ASPnnn``; ``contacts`` the residues within 4 Å of the best pose in the
    same notation; ``interactions`` the pose's ProLIF profile; ``salt_bridge`` the profile's
    salt bridge to Asp3.32 (ionic, 4 Å), or — when no profile could be computed
    (``interactions_error`` says why, or names the residues a partial profile left out) — the
    protonated amine within 4 Å of an Asp3.32 carboxylate O. ``figure`` is the 2-D interaction
    diagram (PNG; ``diagram_svg``), drawn only for a pose with a full card in the report
    (:mod:`netpharm.docking.cards`: the best ``[report] pose_cards`` by energy): ``None`` for every other
    pose. ``pose_sdf`` and ``pocket_pdb`` are what the report's 3-D view shows.
    """

    system: str
    engine: str
    receptor: str | None
    paper_pdb: str | None
    used_structure: str | None
    stand_in: bool | None
    status: str
    best_energy: float | None
    best_cluster_size: int | None
    n_runs: int | None
    amine_asp332_distance: float | None
    salt_bridge: bool
    asp332: str | None
    contacts: tuple[str, ...]
    figure: str | None
    error: str | None
    ligand: str = "morphine"  # the docked ligand (a campaign docks several into each system)
    #: ``paper_entry`` (the paper's own PDB entry, e.g. 6PT2) or ``stand_in`` (another structure for it)
    structure_role: str | None = None
    #: the receptor chains kept, with their entity description and UniProt reference when the file has them
    receptor_chains: str | None = None
    interactions: tuple[Interaction, ...] = ()
    interactions_error: str | None = None
    diagram_svg: str | None = None
    pose_sdf: str | None = None
    pocket_pdb: str | None = None
    interactions_tsv: str | None = None
    #: what receptor preparation removed from the entry, each part named (chains by entity, hetero groups,
    #: the co-crystal ligand set aside), as ``netpharm.structures.clean`` lists it
    set_aside: tuple[str, ...] = ()
    #: the co-crystal ligand the box was built on (``docking/<system>/crystal_ligand.pdb``, its deposited
    #: coordinates; run-directory relative) and its id (``MOI R:401``, ``chain C``); None without one
    crystal_ligand: str | None = None
    crystal_ligand_id: str | None = None


@dataclass(frozen=True)
class RedockResult:
    """A redocking check: the co-crystal ligand docked back; symmetry-corrected RMSD of the best-energy pose.

    ``rmsd_min`` is the best RMSD among all poses (``rmsd_min_pose``), ``best_cluster_size`` the top
    cluster's population (``cluster_basis`` says how: AutoDock's clustering, or Vina modes within
    2.0 Å of mode 1), ``success`` = ``rmsd`` ≤ 2.0 Å, ``crystal_local_energy`` the score of the locally
    optimised crystal pose and ``failure_cause`` "search: …" or "scoring: …" (netpharm.docking.pose.redock).

    The Asp3.32 salt bridge of the crystal pose and of the best-energy pose (protonated amine N to the
    nearest Asp3.32 carboxylate O, ≤ 4.0 Å; ``asp332`` the residue found from the TM3 motif, e.g.
    ``R:ASP149`` in 8EF6): ``crystal_amine_asp332_distance`` / ``crystal_salt_bridge`` for the deposited
    pose, ``amine_asp332_distance`` / ``salt_bridge`` for the docked one (ProLIF's ionic row when a profile
    exists), ``keeps_salt_bridge`` = both; None when the ligand has no basic amine or no Asp3.32 is found.
    ``figure``: the 2-D interaction diagram (every redocking case gets a card), ``None`` when none could be drawn.
    """

    system: str
    engine: str
    best_energy: float | None
    rmsd: float | None
    status: str
    receptor: str | None = None
    rmsd_min: float | None = None
    rmsd_min_pose: int | None = None
    best_cluster_size: int | None = None
    cluster_basis: str | None = None
    n_runs: int | None = None
    success: bool | None = None
    crystal_local_energy: float | None = None
    failure_cause: str | None = None
    error: str | None = None
    ligand: str | None = None
    interactions: tuple[Interaction, ...] = ()
    interactions_error: str | None = None
    figure: str | None = None
    pose_sdf: str | None = None
    pocket_pdb: str | None = None
    interactions_tsv: str | None = None
    asp332: str | None = None
    amine_asp332_distance: float | None = None
    salt_bridge: bool | None = None
    crystal_amine_asp332_distance: float | None = None
    crystal_salt_bridge: bool | None = None
    keeps_salt_bridge: bool | None = None
    set_aside: tuple[str, ...] = ()
    crystal_ligand: str | None = None
    crystal_ligand_id: str | None = None


@dataclass(frozen=True)
class ReceptorCheck:
    """What a docking system's structure is, checked before docking (``netpharm.structures.identity``).

    Attributes
    ----------
    system : str
    receptor : str
        The structure docked (PDB id or file).
    target : str
        The gene the system is docked as ("" = not given: identity not checked).
    identity : {"match", "mismatch", "unknown", "not checked"}
    target_chains : tuple of str
        The entry's chains that are the target.
    docked_chains : tuple of str
        The receptor chains kept for docking.
    proteins : tuple of str
        Every protein chain of the entry, labelled ("A (UNP P24385 CCND1_HUMAN, ...)").
    finding : str
        The identity check in one sentence.
    box_fraction : float
        Fraction of the docked receptor's heavy atoms inside the box.
    blind : bool
        ``box_fraction`` ≥ 0.9: blind docking (Che & Zhang 2025).
    """

    system: str
    receptor: str
    target: str
    identity: str
    target_chains: tuple[str, ...]
    docked_chains: tuple[str, ...]
    proteins: tuple[str, ...]
    finding: str
    box_fraction: float
    blind: bool


@dataclass(frozen=True)
class DockingFindings:
    """What the docking stage found (``docking/summary.json`` → ``findings``); ``receptor_checks`` one per system
    that prepared (identity against its ``target`` and the blind-docking criterion)."""

    systems: tuple[DockedSystem, ...]
    redocking: tuple[RedockResult, ...]
    programs: dict[str, str | None]
    receptor_checks: tuple[ReceptorCheck, ...] = ()

"""Configuration of the docking stage (``[docking]`` in a workflow TOML).

Defaults are the paper's protocol: morphine docked with AutoDock 4.2.6 into μ (8EF6),
δ (6PT2) and κ (6VI4) opioid receptors, Lamarckian GA, 20 runs × 2,500,000 evaluations,
population 150. Seeds are fixed and recorded so a rerun gives the same poses.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Literal

from netpharm.docking.prepare.autodock_files import LGAParams
from netpharm.io import plain_name

__all__ = ["DockingConfig", "DockingMatrix", "DockingSystem", "RedockCase", "LigandSpec", "MORPHINE_SMILES", "MORPHINE_INCHIKEY"]

MORPHINE_SMILES = "CN1CC[C@]23[C@@H]4[C@H]1CC5=C2C(=C(C=C5)O)O[C@H]3[C@H](C=C4)O"
MORPHINE_INCHIKEY = "BQJCRHHNABKAKU-KBQPJGBKSA-N"

Engine = Literal["autodock4", "vina", "both"]

MAX_WORKERS = 1024  # an absurd --workers (100000 hung for minutes starting processes) is refused
_HOST = r"(?:[A-Za-z0-9_.-]+|\[[0-9A-Fa-f:]+\])"
_SCHEDULER = re.compile(rf"(?:(?:tcp|tls|inproc|ucx|ws|wss)://{_HOST}(?::\d{{1,5}})?|{_HOST}:\d{{1,5}})/?")


# AutoGrid 4.2.6 allocates at most MAX_GRID_PTS = 255 points per axis (autogrid.h), i.e. 254
# intervals once npts is rounded to an even number: a larger box fails inside autogrid4 after
# minutes of set-up, so it is refused when the workflow loads.
MAX_NPTS = 254
MAX_SPACING = 1.0   # Å; AutoDock's documented range is 0.2-1.0 Å (coarser maps are meaningless)


# AutoDock 4.2.6's own limits (autodock4 prints them, or its error, e.g. "100000 runs requested, but only
# dimensioned for 2000"): checked when the workflow loads, not after receptor preparation.
MAX_GA_RUNS = 2000             # MAX_RUNS in its constants.h
MAX_GA_EVALS = 2**31 - 1       # a C int in autodock4
MAX_GA_POP = 100_000           # not AutoDock's limit: memory (autodock4 grew to 1.2 GB with 10^8); default 150
MAX_TORSIONS = 32              # MAX_TORS: a ligand with more active torsions cannot be docked by autodock4
MAX_EXHAUSTIVENESS = 10_000    # Vina runs this many Monte Carlo chains; its default is 8, the paper's 32


def _check_budget(cfg: DockingConfig) -> None:
    """The search budget within what the programs accept (a bound named in each message)."""
    for key, low, high, what in (
            ("ga_runs", 1, MAX_GA_RUNS, "AutoDock 4.2.6's MAX_RUNS"),
            ("ga_num_evals", 1, MAX_GA_EVALS, "autodock4 counts them in a C int"),
            ("ga_pop_size", 1, MAX_GA_POP, "the paper's 150; memory grows with it"),
            ("vina_exhaustiveness", 1, MAX_EXHAUSTIVENESS, "the paper's 32"),
            ("vina_num_modes", 1, 1000, "Vina's default 9")):
        value = getattr(cfg, key)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise ValueError(f"{key} must be a whole number within {low:,}-{high:,} ({what}), got {value!r}")


def _check_box(name: str, center: tuple[float, ...], size: tuple[float, ...], padding: float = 0.0,
               spacing: float = 0.375) -> None:
    if len(center) not in (0, 3) or len(size) not in (0, 3) or (bool(center) != bool(size)):
        raise ValueError(f"{name}: box_center and box_size must both be given, with 3 numbers each")
    if any(not math.isfinite(c) or abs(c) > 1e5 for c in center):
        raise ValueError(f"{name}: box_center must be 3 finite coordinates in Å, got {list(center)}")
    if any(not s > 0 for s in size):
        raise ValueError(f"{name}: box_size must be positive on every axis, got {list(size)}")
    if any(s / spacing > MAX_NPTS for s in size):
        raise ValueError(f"{name}: box_size {list(size)} Å at spacing {spacing:g} Å needs more than {MAX_NPTS} "
                         f"grid intervals per axis (AutoGrid 4's limit; at most {MAX_NPTS * spacing:g} Å)")
    if not 0 <= padding <= MAX_NPTS * spacing / 2:
        raise ValueError(f"{name}: box_padding must be within 0-{MAX_NPTS * spacing / 2:g} Å, got {padding:g}")


def _check_name(what: str, name: str) -> None:
    if not name or "/" in name or "\\" in name or name.startswith(".") or name.strip() != name:
        raise ValueError(f"{what} name {name!r} must be a plain folder name")


@dataclass(frozen=True)
class LigandSpec:
    """One ligand of a campaign (``[[docking.ligands]]``).

    Attributes
    ----------
    name : str
        Folder-friendly name (``docking/<system>/<name>/``); for an SDF holding several
        molecules, each record becomes ``<name>_<i>`` unless it has its own title.
    source : str
        SMILES, a compound name (built-in, else PubChem through the cache) or an
        ``.sdf`` file (relative to the workflow file; every record is docked).
    expected_inchikey : str
        When given, the prepared ligand must have this standard InChIKey (stereo included).
    """

    name: str
    source: str
    expected_inchikey: str = ""

    def __post_init__(self) -> None:
        _check_name("ligand", self.name)
        if not self.source.strip():
            raise ValueError(f"ligand {self.name}: 'source' (SMILES, name or SDF file) is empty")


@dataclass(frozen=True)
class DockingSystem:
    """One receptor to dock the ligand into.

    Attributes
    ----------
    name : str
        Folder name under ``docking/`` (e.g. "MOR").
    receptor : str
        PDB id (fetched from RCSB, cached) or a file path relative to the workflow file.
    paper_pdb : str
        The entry the paper used (8EF6, 6PT2, 6VI4); differs from ``receptor`` for a stand-in.
    stand_in : str
        Why a different structure stands in for ``paper_pdb`` (empty = none).
    chains : tuple of str
        Receptor chains to keep (empty = the chain carrying the Asp3.32 TM3 motif, else all).
    ligand_resname : str
        Co-crystal ligand residue name: kept aside to centre the box.
    ligand_chain : str
        A polymer chain that is the co-crystal ligand (6PT2's peptide agonist KGCHM07 is chain C):
        kept aside to centre the box; the receptor chains default to those it touches.
    box_ligand : str
        Separate file with the reference ligand for the box (e.g. 8EFO's 8QY).
    pocket_residues : tuple of str
        Residues defining the box when there is no ligand ("A:138" = chain A residue 138;
        "D3.32" = the Asp3.32 found from the TM3 motif).
    box_center, box_size : tuple of float
        Explicit box (Å), overriding the above.
    box_padding : float
        Å added around the ligand/residues on each side.
    drop_residues : tuple of str
        Residues removed before preparation ("A:52").
    ligand, ligand_name, expected_inchikey : str
        Ligand SMILES (or file), folder-friendly name and the InChIKey it must match; used
        when the docking section lists no ``ligands`` (the paper's morphine by default).
    reference : str
        Crystal pose (SDF/MOL/PDB file) of the docked ligand: the symmetry-corrected RMSD of
        every pose to it is stored in the results database.
    target : str
        The gene the structure is docked as (e.g. "CCND1"); optional. When given, the entry's chains
        are mapped to genes before docking (``netpharm.structures.identity``): a structure that is not
        that protein is an error in the audit, and an entry holding several proteins names the chain used.
    blind : bool
        Box around the whole receptor (its kept chains' heavy atoms plus ``box_padding``): blind docking,
        as a web server's whole-protein search does. Any box holding ≥ 90 % of the receptor's heavy atoms
        is reported as blind docking, whether asked for or not.
    """

    name: str
    receptor: str
    paper_pdb: str = ""
    stand_in: str = ""
    chains: tuple[str, ...] = ()
    ligand_resname: str = ""
    ligand_chain: str = ""
    box_ligand: str = ""
    pocket_residues: tuple[str, ...] = ()
    box_center: tuple[float, ...] = ()
    box_size: tuple[float, ...] = ()
    box_padding: float = 8.0
    drop_residues: tuple[str, ...] = ()
    ligand: str = MORPHINE_SMILES
    ligand_name: str = "morphine"
    expected_inchikey: str = MORPHINE_INCHIKEY
    reference: str = ""
    target: str = ""
    blind: bool = False

    def __post_init__(self) -> None:
        plain_name(self.name, "docking system name")
        if self.target and (self.target.strip() != self.target or not self.target.replace("-", "").isalnum()):
            raise ValueError(f"{self.name}: target {self.target!r} must be a gene symbol (e.g. CCND1)")
        _check_box(self.name, self.box_center, self.box_size, self.box_padding)

    @property
    def structure_role(self) -> str:
        """``paper_entry`` when the receptor is the paper's own PDB entry, ``stand_in`` when it replaces
        the paper's entry, ``user_structure`` when no paper entry is named (e.g. ``netpharm dock``)."""
        if not self.paper_pdb and not self.stand_in:
            return "user_structure"
        same = bool(self.paper_pdb) and self.receptor.strip().upper() == self.paper_pdb.strip().upper()
        return "paper_entry" if same and not self.stand_in else "stand_in"


@dataclass(frozen=True)
class RedockCase:
    """Dock a co-crystal ligand back into its receptor and measure the RMSD.

    Either prepared files (``receptor_pdbqt`` + ``ligand_pdbqt``, e.g. the Vina team's
    1IEP files) or a structure to prepare (``receptor`` + ``ligand_resname`` +
    ``ligand_smiles`` as bond-order template). ``reference`` is the crystal pose (SDF/PDB)
    the RMSD is measured against (default: the ligand as extracted/prepared).
    """

    name: str
    receptor: str = ""
    receptor_pdbqt: str = ""
    ligand_pdbqt: str = ""
    reference: str = ""
    chains: tuple[str, ...] = ()
    ligand_resname: str = ""
    ligand_file: str = ""
    ligand_smiles: str = ""
    drop_residues: tuple[str, ...] = ()
    box_center: tuple[float, ...] = ()
    box_size: tuple[float, ...] = ()
    box_padding: float = 8.0
    engine: Engine = "autodock4"

    def __post_init__(self) -> None:
        plain_name(self.name, "redocking case name")
        if not (self.receptor_pdbqt and self.ligand_pdbqt) and not (self.receptor and self.ligand_resname):
            raise ValueError(f"redocking case {self.name}: give receptor_pdbqt + ligand_pdbqt, "
                             "or receptor + ligand_resname")
        _check_box(self.name, self.box_center, self.box_size, self.box_padding)


# The paper's entries, checked on the wwPDB files in cache/: the receptor is chain R of 8EF6 (morphine MOI
# R:401 bound; M is the second receptor copy, A/B/C/F the G protein, E scFv16) and chain A of 6PT2 (chain C
# is the peptide agonist KGCHM07 bound to it, B/D the second copy) and of 6VI4 (JDTic is JDC A:401, chains
# C/D nanobody Nb6), so each box comes from the co-crystal ligand, as the paper's would.
PAPER_SYSTEMS: tuple[DockingSystem, ...] = (
    DockingSystem("MOR", "8EF6", paper_pdb="8EF6", chains=("R",), ligand_resname="MOI"),
    DockingSystem("DOR", "6PT2", paper_pdb="6PT2", chains=("A",), ligand_chain="C"),
    DockingSystem("KOR", "6VI4", paper_pdb="6VI4", chains=("A",), ligand_resname="JDC"),
)


@dataclass(frozen=True)
class DockingMatrix:
    """``[docking.matrix]``: the compounds × hub targets docking of the network-pharmacology recipe.

    The top ``compounds`` of the compound–target network by degree (ties at the cut included) are docked into the
    ``[[docking.systems]]`` whose ``target`` is among the top ``hubs`` by ``method`` (cytoHubba's ranks, ties
    included). Each receptor is named per target in ``[[docking.systems]]`` (PDB id, chains, box): a hub without
    one is listed as not docked, never guessed. Built by the workflow from the compounds and network stages'
    findings before the docking stage runs (:func:`netpharm.docking.matrix.build_matrix`), so a resume re-docks
    only when the chosen compounds or receptors change.

    Attributes
    ----------
    compounds, hubs : int
        How many compounds and hub targets (0 = no matrix: the systems and ligands as written).
    method : str
        The hub ranking (a cytoHubba method of ``hubs.tsv``, e.g. ``"Degree"``, ``"MCC"``).
    notes : tuple of str
        Filled by netpharm when the matrix is built (what was chosen, what could not be docked); not an input.
    """

    compounds: int = 0
    hubs: int = 0
    method: str = "Degree"
    notes: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.compounds < 0 or self.hubs < 0:
            raise ValueError("[docking.matrix] compounds and hubs must be >= 0")
        if bool(self.compounds) != bool(self.hubs):
            raise ValueError("[docking.matrix] give both 'compounds' and 'hubs' (the top n of each), or neither")

    @property
    def active(self) -> bool:
        return self.compounds > 0


@dataclass(frozen=True)
class DockingConfig:
    """Docking options.

    Attributes
    ----------
    enabled : bool
    systems : tuple of DockingSystem
        Receptors to dock into (default: the paper's μ/δ/κ entries, fetched online).
    ligands : tuple of LigandSpec
        A campaign: every ligand is docked into every system (folders
        ``docking/<system>/<ligand>/``). Empty = each system's own ``ligand`` (the paper's
        morphine), in ``docking/<system>/``.
    engine : {"autodock4", "vina", "both"}
    ga_runs, ga_num_evals, ga_pop_size : int
        AutoDock 4 Lamarckian GA (paper: 20, 2,500,000, 150).
    seeds : tuple of int
        AutoDock's two seeds; Vina uses the first.
    vina_exhaustiveness, vina_num_modes : int
    workers : int
        Local worker processes (jobs run in parallel, longest first; each program is
        single-threaded, Vina is given one CPU per worker).
    run_chunks : int or "auto"
        Cut each AutoDock 4 system's ``ga_runs`` over this many autodock4 processes (1 = one
        process per system, as AutoDock runs a DPF); chunks get their own recorded seeds and
        the merged poses are re-clustered as AutoDock 4.2.6 does (:mod:`netpharm.docking.run.chunks`).
        ``"auto"``: per system the fewest chunks that keep each chunk within 1/10 of the
        stage's estimated total / ``workers`` (at least one LGA run per chunk; one worker or a
        system small enough: not chunked), :func:`netpharm.docking.run.schedule.auto_chunks`. With a
        Dask scheduler set ``workers`` to the cluster's worker slots: ``"auto"`` sizes chunks for it.
    dask_scheduler : str
        Address of a Dask scheduler ("tcp://host:8786"); empty = local processes.
    redock : tuple of RedockCase
        Validation cases (co-crystal ligand docked back, RMSD reported).
    matrix : DockingMatrix
        ``[docking.matrix]``: top compounds × top hub targets, built from the analysis (see the class).
    autogrid_timeout, autodock_timeout, vina_timeout : float
        Seconds before a program is killed.
    box_spacing : float
        Grid spacing (Å), AutoDock's default 0.375.
    """

    enabled: bool = True
    systems: tuple[DockingSystem, ...] = PAPER_SYSTEMS
    ligands: tuple[LigandSpec, ...] = ()
    engine: Engine = "autodock4"
    ga_runs: int = 20
    ga_num_evals: int = 2_500_000
    ga_pop_size: int = 150
    seeds: tuple[int, ...] = (28641, 1106107140)
    vina_exhaustiveness: int = 32
    vina_num_modes: int = 9
    workers: int = 2
    run_chunks: int | Literal["auto"] = 1
    dask_scheduler: str = ""
    redock: tuple[RedockCase, ...] = field(default_factory=tuple)
    matrix: DockingMatrix = DockingMatrix()
    autogrid_timeout: float = 1800.0
    autodock_timeout: float = 7200.0
    vina_timeout: float = 3600.0
    box_spacing: float = 0.375

    def __post_init__(self) -> None:
        if not 1 <= len(self.seeds) <= 2:
            raise ValueError(f"seeds must hold one or two integers, got {self.seeds!r}")
        if not 1 <= self.workers <= MAX_WORKERS:
            raise ValueError(f"workers must be within 1-{MAX_WORKERS} (local processes, one docking program "
                             f"each; more than the jobs or cores are capped when the run starts), got {self.workers}")
        _check_budget(self)
        if self.matrix.active and self.ligands and not self.matrix.notes:  # notes: built by netpharm
            raise ValueError("give [[docking.ligands]] or [docking.matrix] (its ligands are the top compounds), "
                             "not both")
        if self.matrix.active and self.systems is PAPER_SYSTEMS:
            raise ValueError("[docking.matrix] needs [[docking.systems]] naming a receptor per target gene "
                             "(target = \"GENE\", receptor = PDB id or file, box)")
        if self.ligands and self.systems is PAPER_SYSTEMS:  # the default object: no [[docking.systems]] written
            raise ValueError("[[docking.ligands]] are given but no [[docking.systems]] to dock them into; add "
                             "[[docking.systems]] (receptor and box) for each receptor (the paper's three receptors "
                             "are not a default for a campaign)")
        if self.ligands and not self.systems:
            raise ValueError("[[docking.ligands]] are given but [[docking.systems]] is empty: nothing to dock into")
        if self.dask_scheduler and not _SCHEDULER.fullmatch(self.dask_scheduler):
            raise ValueError(f"dask_scheduler must be an address like tcp://HOST:8786, got {self.dask_scheduler!r}")
        if not 0 < self.box_spacing <= MAX_SPACING:
            raise ValueError(f"box_spacing must be within 0-{MAX_SPACING:g} Å (AutoDock's default 0.375), "
                             f"got {self.box_spacing:g}")
        for key in ("autogrid_timeout", "autodock_timeout", "vina_timeout"):
            value = getattr(self, key)
            if not 0 < value < 1e7:  # also refuses NaN and inf
                raise ValueError(f"{key} must be a positive number of seconds, got {value!r}")
        for system in self.systems:
            _check_box(system.name, system.box_center, system.box_size, system.box_padding, self.box_spacing)
        for case in self.redock:
            _check_box(case.name, case.box_center, case.box_size, case.box_padding, self.box_spacing)
        if self.run_chunks != "auto" and (not isinstance(self.run_chunks, int) or self.run_chunks < 1):
            raise ValueError(f"run_chunks must be an integer >= 1 or \"auto\", got {self.run_chunks!r}")
        names = [s.name for s in self.systems] + [r.name for r in self.redock]
        dup = sorted({n for n in names if names.count(n) > 1})
        if dup:
            raise ValueError(f"docking system names must be unique; repeated: {dup}")
        ligands = [lig.name for lig in self.ligands]
        dup = sorted({n for n in ligands if ligands.count(n) > 1})
        if dup:
            raise ValueError(f"ligand names must be unique; repeated: {dup}")
        self.lga()  # validates the GA numbers

    def lga(self) -> LGAParams:
        """The Lamarckian GA parameters for the DPF."""
        return LGAParams(ga_runs=self.ga_runs, ga_num_evals=self.ga_num_evals, ga_pop_size=self.ga_pop_size)

    @property
    def ad4_seed(self) -> tuple[int, int]:
        return (self.seeds[0], self.seeds[-1]) if len(self.seeds) == 2 else (self.seeds[0], self.seeds[0])

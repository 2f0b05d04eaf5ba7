"""Configuration of the NMDA-pore analysis.

Only basic types, so the strict loader in :mod:`netpharm.config` can check every value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from netpharm.errors import ConfigError
from netpharm.sources.constants import is_pdb_id

__all__ = ["NmdaConfig"]

_MOTIF = re.compile(r"^[ACDEFGHIKLMNPQRSTVWY]{4,}$")


@dataclass(frozen=True)
class NmdaConfig:
    """NMDA receptor pore options.

    Attributes
    ----------
    enabled : bool
    pdb_id : str
        Entry analysed (the paper's: 9IYP, human GluN1/GluN2B with Mg²⁺, Huang et al., Neuron 2025).
    paper_pdb : str
        The entry the paper used (9IYP); differs from ``pdb_id`` (or a ``structure_file`` is given) for a
        stand-in, as in a docking system.
    stand_in : str
        Why another structure stands in for ``paper_pdb`` (e.g. 7EU8 offline: same human GluN1/GluN2B
        receptor with its pore, no Mg²⁺); empty = none. Shown in the report and in claim verdicts.
    compare_pdb_id : str
        Entry overlaid on the radius profile (9IYQ: the same receptor without Mg²⁺); ``""`` = none.
    structure_file : str
        A user's structure file (PDB/mmCIF), relative to the workflow file; wins over ``pdb_id``.
    gate_motif : str
        M3 motif present once in every channel subunit (SYTANLAAF, conserved in iGluRs); the anchor
        of every sequence-relative position below.
    m3_residues_before_motif : int
        M3 helix layers used for the pore axis and the membrane-span proxy start this many
        residues N-terminal of the motif and end at the motif's last residue.
    nsite_window : list of int
        ``[far, near]``: the N-site asparagines are searched ``far``..``near`` residues N-terminal
        of the motif (the M2 re-entrant loop tip); the ring residue is the Asn of that window
        closest to the pore axis, not a fixed offset.
    gate_ring_positions : list of int
        0-based positions in ``gate_motif`` marked as rings (2 = Thr, 6 = Ala of SYTANLAAF).
    coordination_cutoff : float
        Å; atoms this close to a Mg²⁺ are listed as direct coordination.
    second_shell_cutoff : float
        Å; atoms up to this distance are listed as second shell.
    pore_radial_cutoff : float
        Å; a Mg²⁺ closer than this to the axis, within the TM span, is in the pore.
    site_height_tolerance : float
        Å; a pore Mg²⁺ this close (along the axis) to the N-site ring is site I.
    ntd_residues_before_motif : int
        Residues at least this far N-terminal of the motif count as amino-terminal domain (ATD/NTD):
        a sequence-position proxy (in iGluR topology the ATD precedes the LBD S1 segment and M1).
    profile_step : float
        Å between radius-profile slices.
    profile_margin : float
        Å the profile extends beyond the M3 span on each side.
    profile_max_offset : float
        Å; the profile sphere centre may move at most this far from the axis in its slice.
    """

    enabled: bool = True
    pdb_id: str = "9IYP"
    paper_pdb: str = "9IYP"
    stand_in: str = ""
    compare_pdb_id: str = "9IYQ"
    structure_file: str = ""
    gate_motif: str = "SYTANLAAF"
    m3_residues_before_motif: int = 20
    nsite_window: tuple[int, ...] = (40, 20)
    gate_ring_positions: tuple[int, ...] = (2, 6)
    coordination_cutoff: float = 3.0
    second_shell_cutoff: float = 5.0
    pore_radial_cutoff: float = 6.0
    site_height_tolerance: float = 3.0
    ntd_residues_before_motif: int = 230
    profile_step: float = 0.5
    profile_margin: float = 5.0
    profile_max_offset: float = 4.0

    def __post_init__(self) -> None:
        for label, value in (("pdb_id", self.pdb_id), ("compare_pdb_id", self.compare_pdb_id),
                             ("paper_pdb", self.paper_pdb)):
            if value and not is_pdb_id(value):
                raise ConfigError(f"nmda.{label} {value!r} is not a PDB id (4 characters, starting with a digit)")
        if not self.pdb_id and not self.structure_file:
            raise ConfigError("nmda needs a pdb_id or a structure_file")
        if self.stand_in and not self.paper_pdb:
            raise ConfigError("nmda.stand_in needs nmda.paper_pdb (the entry it stands in for)")
        if self.stand_in and self.structure_role == "paper_entry":
            raise ConfigError(f"nmda.stand_in is set but nmda.pdb_id is the paper's own entry {self.paper_pdb}")
        if not _MOTIF.match(self.gate_motif):
            raise ConfigError(f"nmda.gate_motif {self.gate_motif!r} must be ≥ 4 one-letter amino acids")
        if self.m3_residues_before_motif < 4:
            raise ConfigError("nmda.m3_residues_before_motif must be >= 4 (the axis needs several layers)")
        if len(self.nsite_window) != 2 or not self.nsite_window[0] > self.nsite_window[1] >= 1:
            raise ConfigError(f"nmda.nsite_window must be [far, near] with far > near >= 1, got "
                              f"{list(self.nsite_window)}")
        if any(not 0 <= p < len(self.gate_motif) for p in self.gate_ring_positions):
            raise ConfigError(f"nmda.gate_ring_positions must index into {self.gate_motif!r}")
        if not 0 < self.coordination_cutoff < self.second_shell_cutoff:
            raise ConfigError("nmda: need 0 < coordination_cutoff < second_shell_cutoff")
        for label in ("pore_radial_cutoff", "site_height_tolerance", "profile_step", "profile_margin",
                      "profile_max_offset"):
            if getattr(self, label) <= 0:
                raise ConfigError(f"nmda.{label} must be > 0")
        if self.profile_step < 0.05:
            raise ConfigError("nmda.profile_step must be >= 0.05 Å")
        if self.ntd_residues_before_motif <= self.nsite_window[0]:
            raise ConfigError("nmda.ntd_residues_before_motif must exceed the N-site window")

    @property
    def structure_role(self) -> str:
        """``paper_entry`` when the analysed entry is the paper's own, ``stand_in`` when another structure
        replaces it, ``user_structure`` when no paper entry is named (mirrors a docking system's role)."""
        if not self.paper_pdb:
            return "user_structure"
        same = not self.structure_file and self.pdb_id.strip().upper() == self.paper_pdb.strip().upper()
        return "paper_entry" if same else "stand_in"

"""Regenerate the golden AutoDock inputs and the small real DLG in this folder.

Run from the repository root:  .venv/bin/python tests/data/autodock/regenerate.py [--dlg]
The box is the AutoDock Vina team's 1IEP box (1iep_receptor.box.txt: centre 15.190 53.903
16.917, 20 Å) expressed as 52 grid intervals of 0.375 Å, as in their 1iep_receptor.gpf.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[2]))

from netpharm.docking.prepare.autodock_files import (  # noqa: E402
    LGAParams,
    dpf_text,
    gpf_text,
    pdbqt_atom_types,
    pdbqt_center,
    vina_config_text,
)

SEED = (1234, 5678)
REDUCED = LGAParams(ga_runs=4, ga_num_evals=100_000)


@dataclass(frozen=True)
class HandMadeBox:
    """Hand-made stand-in for netpharm.docking.prepare.box.GridBox (the Vina team's 1IEP box)."""

    center: tuple[float, float, float] = (15.190, 53.903, 16.917)
    size: tuple[float, float, float] = (19.5, 19.5, 19.5)
    spacing: float = 0.375

    @property
    def npts(self) -> tuple[int, int, int]:
        return (52, 52, 52)


def texts() -> dict[str, str]:
    rec = (HERE / "1iep_receptor.pdbqt").read_text()
    lig = (HERE / "1iep_ligand.pdbqt").read_text()
    lt = pdbqt_atom_types(lig)
    about = pdbqt_center(lig)
    return {
        "1iep.gpf": gpf_text("1iep_receptor.pdbqt", pdbqt_atom_types(rec), lt, HandMadeBox()),
        "1iep_paper.dpf": dpf_text("1iep_ligand.pdbqt", lt, "1iep_receptor", about, LGAParams(), SEED),
        "1iep_reduced.dpf": dpf_text("1iep_ligand.pdbqt", lt, "1iep_receptor", about, REDUCED, SEED,
                                     rmsref="1iep_ligand.pdbqt"),
        "1iep_vina.txt": vina_config_text("1iep_receptor.pdbqt", "1iep_ligand.pdbqt", HandMadeBox(), 8, 42, 9,
                                          out="1iep_ligand_out.pdbqt", cpu=1),
    }


def main() -> None:
    for name, text in texts().items():
        (HERE / name).write_text(text)
    if "--dlg" in sys.argv:
        with tempfile.TemporaryDirectory() as tmp:
            for name in ("1iep_receptor.pdbqt", "1iep_ligand.pdbqt", "1iep.gpf", "1iep_reduced.dpf"):
                shutil.copy(HERE / name, tmp)
            subprocess.run(["autogrid4", "-p", "1iep.gpf", "-l", "1iep.glg"], cwd=tmp, check=True)
            subprocess.run(["autodock4", "-p", "1iep_reduced.dpf", "-l", "1iep_reduced.dlg"], cwd=tmp, check=True)
            shutil.copy(Path(tmp) / "1iep_reduced.dlg", HERE / "1iep_reduced.dlg")


if __name__ == "__main__":
    main()

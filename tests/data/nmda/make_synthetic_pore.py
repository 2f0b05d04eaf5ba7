"""Generate ``synthetic_pore.pdb``: a SYNTHETIC, hand-made four-fold channel pore for testing.

Not a real structure and not a model of one. Four copies of one subunit frame are related by an
exact 4-fold rotation about a known axis, then the whole assembly is moved by a known rigid-body
transform, so the pore axis, the N-site ring radius and the Mg²⁺ distances are known exactly:

* local frame: z is the pore axis, increasing towards the "intracellular" side; origin = N-site ring
  plane centre;
* per subunit (angle 90°·i): an M2 Cα path (residues 600–614), the N-site Asn 615 with OD1 at
  r = 2.2 Å, z = 0 (the pore-facing atom), residue 616 (Asn in chains B/D — the GluN2-like "N+1",
  Ser in A/C), a loop (617–624) and an ideal α-helix M3 (625–656, Cα only, helix axis at r = 10 Å,
  rise 1.5 Å, 100°/residue) whose residues 645–653 spell SYTANLAAF;
* Mg²⁺ 801 (chain A) at local (0, 0, 0.5): pore site I; Mg²⁺ 802 (chain B) coordinated by B Glu301
  (a residue > 230 before the motif: "NTD"); Mg²⁺ 803 (chain A) next to A Asp500 ("other").

Sequences: chains B/D use the GluN2B M2–M3 stretch WGLVFNNSVPVQNPKGTTSKIMVSVWAFFAVIFLASYTANLAAFMIQ
(as in zebrafish GluN2B, see README); chains A/C are a hand-made variant with Ser at 616.
Only Cα atoms are modelled except for side chains at 615/616 and the domain fragments.

Run ``python make_synthetic_pore.py`` to rewrite the file; tests check that it is unchanged.
"""

from __future__ import annotations

import math
from pathlib import Path

import gemmi
import numpy as np

ROTATION_AXIS = np.array([1.0, 2.0, 3.0]) / math.sqrt(14.0)
ROTATION_DEG = 37.0
TRANSLATION = np.array([12.5, -7.25, 31.0])
MG_SITE_I_LOCAL = (0.0, 0.0, 0.5)

_M2_M3_2B = "FTIGKAIWLLWGLVFNNSVPVQNPKGTTSKIMVSVWAFFAVIFLASYTANLAAFMIQ"  # residues 600-656
_M2_M3_1 = _M2_M3_2B[:16] + "S" + _M2_M3_2B[17:]  # hand-made: residue 616 Asn -> Ser
_THREE = {v: k for k, v in {
    "ALA": "A", "ARG": "R", "ASN": "N", "ASP": "D", "CYS": "C", "GLN": "Q", "GLU": "E", "GLY": "G",
    "HIS": "H", "ILE": "I", "LEU": "L", "LYS": "K", "MET": "M", "PHE": "F", "PRO": "P", "SER": "S",
    "THR": "T", "TRP": "W", "TYR": "Y", "VAL": "V"}.items()}


def rotation() -> np.ndarray:
    """Rodrigues rotation matrix of the global placement."""
    k = ROTATION_AXIS
    a = math.radians(ROTATION_DEG)
    kx = np.array([[0, -k[2], k[1]], [k[2], 0, -k[0]], [-k[1], k[0], 0]])
    return np.eye(3) + math.sin(a) * kx + (1 - math.cos(a)) * kx @ kx


def to_global(local: tuple[float, float, float] | np.ndarray) -> np.ndarray:
    return rotation() @ np.asarray(local, float) + TRANSLATION


def known_axis() -> tuple[np.ndarray, np.ndarray]:
    """(point on the axis in the N-site ring plane, unit direction towards 'intracellular')."""
    return to_global((0.0, 0.0, 0.0)), rotation() @ np.array([0.0, 0.0, 1.0])


def _cyl(phi: float, r: float, z: float, t: float = 0.0) -> tuple[float, float, float]:
    """Subunit-frame (radial r, tangential t, height z) → local Cartesian."""
    c, s = math.cos(phi), math.sin(phi)
    return (r * c - t * s, r * s + t * c, z)


def _add(res: gemmi.Residue, name: str, element: str, local: tuple[float, float, float], serial: list[int]) -> None:
    atom = gemmi.Atom()
    atom.name = name
    atom.element = gemmi.Element(element)
    atom.pos = gemmi.Position(*to_global(local))
    atom.occ = 1.0
    atom.b_iso = 30.0
    atom.serial = serial[0]
    serial[0] += 1
    res.add_atom(atom)


def _residue(name: str, num: int, het: bool = False) -> gemmi.Residue:
    res = gemmi.Residue()
    res.name = name
    res.seqid = gemmi.SeqId(num, " ")
    res.het_flag = "H" if het else "A"
    return res


def _subunit(chain: gemmi.Chain, phi: float, sequence: str, serial: list[int]) -> None:
    for k, letter in enumerate(sequence):
        num = 600 + k
        res = _residue(_THREE[letter], num)
        if num <= 614:  # M2: straight Cα path towards the pore
            f = (num - 600) / 14
            _add(res, "CA", "C", _cyl(phi, 14 - 6 * f, 22 - 20 * f), serial)
        elif num == 615:  # the N-site Asn
            for name, el, (r, z, t) in (("CA", "C", (6.5, 0.8, 0.0)), ("CB", "C", (5.2, 0.6, 0.6)),
                                        ("CG", "C", (3.9, 0.3, 0.3)), ("OD1", "O", (2.2, 0.0, 0.0)),
                                        ("ND2", "N", (3.6, -1.0, 0.9))):
                _add(res, name, el, _cyl(phi, r, z, t), serial)
        elif num == 616:  # N+1: Asn (GluN2-like) or Ser
            atoms = [("CA", "C", (7.5, -1.8, 0.0)), ("CB", "C", (6.6, -2.4, 0.5))]
            if letter == "N":
                atoms += [("CG", "C", (5.6, -2.9, 0.4)), ("OD1", "O", (4.6, -2.6, 0.0)),
                          ("ND2", "N", (5.4, -3.9, 0.5))]
            for name, el, (r, z, t) in atoms:
                _add(res, name, el, _cyl(phi, r, z, t), serial)
        elif num <= 624:  # loop back out
            f = (num - 617) / 7
            _add(res, "CA", "C", _cyl(phi, 9.5 + 2.5 * f, -3.5 + 18.5 * f), serial)
        else:  # M3 ideal helix, residues 625-656
            k3 = num - 625
            theta = math.radians(100.0 * k3)
            _add(res, "CA", "C", _cyl(phi, 10.0 + 2.3 * math.cos(theta), 18.0 - 1.5 * k3, 2.3 * math.sin(theta)),
                 serial)
        chain.add_residue(res)


def _fragment(chain: gemmi.Chain, phi: float, name: str, num: int, atoms: list, serial: list[int]) -> None:
    res = _residue(name, num)
    for atom_name, el, (r, z, t) in atoms:
        _add(res, atom_name, el, _cyl(phi, r, z, t), serial)
    chain.add_residue(res)


def _mg(chain: gemmi.Chain, num: int, local: tuple[float, float, float], serial: list[int]) -> None:
    res = _residue("MG", num, het=True)
    _add(res, "MG", "Mg", local, serial)
    chain.add_residue(res)


def build_synthetic_pore() -> gemmi.Structure:
    """The synthetic pore as a gemmi Structure (one model, chains A–D)."""
    st = gemmi.Structure()
    st.name = "SYNTHETIC_PORE"
    model = gemmi.Model(1)
    serial = [1]
    for i, name in enumerate("ABCD"):
        chain = gemmi.Chain(name)
        phi = math.radians(90.0 * i)
        _subunit(chain, phi, _M2_M3_1 if name in "AC" else _M2_M3_2B, serial)
        model.add_chain(chain)
    a, b = model["A"], model["B"]
    # "NTD" fragment of chain B (Glu301, residue 344 before the motif) holding Mg 802.
    _fragment(b, 0.5 * math.pi, "GLU", 301, [("CA", "C", (27.0, -92.0, 0.0)), ("CD", "C", (25.0, -90.5, 0.0)),
                                           ("OE1", "O", (24.1, -90.0, 0.0))], serial)
    _fragment(a, 0.0, "ASP", 500, [("CA", "C", (23.0, -52.0, 0.0)), ("CG", "C", (21.5, -51.0, 0.0)),
                                 ("OD1", "O", (20.2, -50.5, 0.0))], serial)
    _mg(a, 801, MG_SITE_I_LOCAL, serial)
    _mg(b, 802, _cyl(0.5 * math.pi, 22.0, -90.0), serial)
    _mg(a, 803, _cyl(0.0, 18.0, -50.5), serial)
    st.add_model(model)
    st.setup_entities()
    return st


def pdb_text(st: gemmi.Structure) -> str:
    # minimal: no header lines (reruns are byte-identical); the placeholder CRYST1 of a cell-less
    # structure is dropped so no reader applies a 1 Å P1 cell.
    text = st.make_pdb_string(gemmi.PdbWriteOptions(minimal=True))
    return "".join(line for line in text.splitlines(keepends=True) if not line.startswith("CRYST1"))


if __name__ == "__main__":
    out = Path(__file__).with_name("synthetic_pore.pdb")
    out.write_text(pdb_text(build_synthetic_pore()), encoding="utf-8")
    print(f"wrote {out}")

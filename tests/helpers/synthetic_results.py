"""A SYNTHETIC results database of any size (jobs, poses, profiles made up from a seeded RNG).

For the scale of ``netpharm results`` (tests/test_results_filter.py checks the answers against a brute-force
filter of the same rows; benchmarks/campaign_scale.py times them). Energies, runs, residues and heavy-atom
counts are random numbers, not docking results; the ligand SMILES are real drugs' (named in ``SMILES``)
so that SMARTS filters have real chemistry to match.
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

from netpharm.docking.resultsdb import ResultsDB

__all__ = ["SMILES", "make_synthetic_db"]

#: real structures (PubChem isomeric SMILES of morphine, naloxone, fentanyl, ibuprofen, ketamine, memantine)
SMILES = {
    "morphine": "CN1CC[C@]23[C@@H]4[C@H]1CC5=C2C(=C(C=C5)O)O[C@H]3[C@H](C=C4)O",
    "naloxone": "C=CCN1CC[C@]23[C@@H]4C(=O)CC[C@]2([C@H]1CC5=C3C(=C(C=C5)O)O4)O",
    "fentanyl": "CCC(=O)N(C1CCN(CC1)CCC2=CC=CC=C2)C3=CC=CC=C3",
    "ibuprofen": "CC(C)CC1=CC=C(C=C1)C(C)C(=O)O",
    "ketamine": "CNC1(CCCCC1=O)C2=CC=CC=C2Cl",
    "memantine": "CC12CC3CC(C1)(CC(C3)(C2)N)C",
}
KINDS = (("HBDonor", "hbond"), ("HBAcceptor", "hbond"), ("Cationic", "salt_bridge"), ("Hydrophobic", "hydrophobic"),
         ("PiStacking", "pi_stacking"))
RESIDUES = (("ASP", 147), ("TYR", 148), ("TYR", 129), ("TRP", 318), ("HIS", 319), ("ILE", 322), ("MET", 151))


def make_synthetic_db(path: Path, n_jobs: int = 10_000, poses_per_job: int = 10, n_ligands: int = 1000,
                      seed: int = 1) -> list[dict[str, Any]]:
    """Write the database; returns every pose as a dict (receptor, ligand, smiles, n_heavy, rank, run, energy,
    interactions) for brute-force checks. Rank-1 poses carry a profile of 0-4 interactions."""
    rng = random.Random(seed)
    names = list(SMILES)
    poses: list[dict[str, Any]] = []
    with ResultsDB(path) as db:
        c = db.conn
        c.execute("BEGIN")
        ligands = []
        for i in range(n_ligands):
            base = names[i % len(names)]
            ligands.append((f"lig{i:05d}", base, SMILES[base], rng.randint(12, 40)))
        c.executemany("INSERT INTO ligands (name, source, smiles, n_heavy) VALUES (?,?,?,?)",
                      [(n, "synthetic", s, h) for n, _, s, h in ligands])
        for j in range(n_jobs):
            receptor = ("KOR", "MOR")[j % 2]
            name, _, smiles, heavy = ligands[(j // 2) % n_ligands]
            job = f"{receptor}/{name}#{j}:autodock4"
            c.execute("INSERT INTO jobs (id, receptor, ligand, engine, workdir, status, updated) "
                      "VALUES (?,?,?,?,?,?,?)", (job, receptor, name, "autodock4", f"docking/{receptor}/{name}",
                                                 "done", "synthetic"))
            energies = sorted(round(rng.uniform(-13.0, -2.0), 2) for _ in range(poses_per_job))
            for rank, energy in enumerate(energies, start=1):
                profile = []
                if rank == 1:
                    for _ in range(rng.randint(0, 4)):
                        (ptype, kind), (resname, resnum) = rng.choice(KINDS), rng.choice(RESIDUES)
                        profile.append({"prolif_type": ptype, "kind": kind, "chain": "A", "resname": resname,
                                        "resnum": resnum, "generic": "D3.32" if resnum == 147 else "",
                                        "distance": round(rng.uniform(2.5, 4.0), 2)})
                run = rng.randint(1, 10**6)
                c.execute("INSERT INTO poses (job_id, run, rank, energy, interactions, provenance) "
                          "VALUES (?,?,?,?,?,?)", (job, run, rank, energy,
                                                   json.dumps(profile) if rank == 1 else None, "{}"))
                if profile:
                    c.executemany("INSERT INTO interactions VALUES (?,?,?,?,?,?,?,?,?)",
                                  [(job, run, i["prolif_type"], i["kind"], "A", i["resname"], i["resnum"],
                                    i["generic"] or None, i["distance"]) for i in profile])
                poses.append({"receptor": receptor, "ligand": name, "smiles": smiles, "n_heavy": heavy,
                              "rank": rank, "run": run, "energy": energy, "profile": profile, "job": job})
        c.execute("COMMIT")
    return poses

"""Docking inputs: structures, ligands, grid boxes, AutoDock/Vina input files and shared grid maps.

:mod:`.receptor` and :mod:`.ligand` prepare the PDBQTs (meeko), :mod:`.box` the grid box,
:mod:`.autodock_files` writes GPF/DPF/Vina config text, :mod:`.inputs` puts a job folder
together, :mod:`.campaign` lists a campaign's ligands and estimates each job's cost,
:mod:`.grids` computes one map set per receptor for a campaign, and :mod:`.prepared` holds
:class:`~.prepared.PreparedSystem`, what the rest of the stage gets from all this.

Light package ``__init__``: ``netpharm.docking.config`` imports :mod:`.autodock_files` through it.
"""

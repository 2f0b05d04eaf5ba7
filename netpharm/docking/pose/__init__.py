"""What the docking programs found: logs, clusters, RMSDs, best poses, interactions and pictures.

:mod:`.dlg` reads AutoDock DLGs and Vina output, :mod:`.cluster` re-clusters poses as AutoDock
does, :mod:`.rmsd` compares poses, :mod:`.poses` writes pose files and measures contacts,
:mod:`.interactions` computes ProLIF profiles, :mod:`.diagram` and :mod:`.views` draw them,
:mod:`.redock` judges a redocking, and :mod:`.analyse` does all of it for a job's best pose.
"""

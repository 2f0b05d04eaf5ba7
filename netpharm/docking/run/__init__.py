"""Running the docking programs: autogrid4/autodock4/vina processes, the job pool, its schedule and chunks.

:mod:`.runner` starts one external program, :mod:`.executor` runs jobs on local processes or
a Dask cluster, :mod:`.schedule` orders them (longest chain first), :mod:`.chunks` cuts one
system's LGA runs into chunks and merges them back, and :mod:`.stage_jobs` puts the stage's
grids, chunks and whole jobs into one schedule.
"""

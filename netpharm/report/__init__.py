"""netpharm.report: the self-contained HTML report and the replication verdict — the last step of a run.

Not a stage: it assembles. It reads only the run directory (``docs/run-directory.md``), loops
over the registry's stages and asks each for its part of the page
(:class:`netpharm.present.page.StageSection`), evaluates the workflow's claims with the kinds
the stages registered, and adds the run-level parts (what is missing, the verdict, inputs,
files, provenance). ``netpharm report RUN_DIR`` and the end of ``netpharm run`` both call
:func:`netpharm.report.build.build_report`.
"""

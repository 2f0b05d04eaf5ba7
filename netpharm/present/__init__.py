"""netpharm.present: what the report's pieces share — the page contract, HTML building blocks, templates, 3-D views.

A shared library: the stage packages build their report sections with it, the report
assembles them into one page. :mod:`netpharm.present.page` is light (no jinja2, pandas or
matplotlib); the other modules load those.
"""

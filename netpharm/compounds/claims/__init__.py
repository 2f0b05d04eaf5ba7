"""The compounds stage's claim kinds, one module each: ``intersection`` (:mod:`.intersection`).

Importing this package imports every module, so every kind registers itself (:class:`netpharm.verdict.ClaimKind`).
Light at import: the workflow validates the claims at load. (``ct_degree`` and ``drug_like`` join here.)
"""

from netpharm.compounds.claims.intersection import IntersectionClaim

__all__ = ["IntersectionClaim"]

"""The compounds stage's claim kinds, one module each: ``intersection`` (:mod:`.intersection`), ``ct_degree``
(:mod:`.ct_degree`), ``drug_like`` (:mod:`.drug_like`).

Importing this package imports every module, so every kind registers itself (:class:`netpharm.verdict.ClaimKind`).
Light at import: the workflow validates the claims at load.
"""

from netpharm.compounds.claims.ct_degree import CTDegree
from netpharm.compounds.claims.drug_like import DrugLike
from netpharm.compounds.claims.intersection import IntersectionClaim

__all__ = ["CTDegree", "DrugLike", "IntersectionClaim"]

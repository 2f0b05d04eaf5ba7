"""The compounds stage's claim kinds, one module each: ``ct_degree`` (:mod:`.ct_degree`), ``drug_like`` (:mod:`.drug_like`).

Importing this package imports every module, so every kind registers itself (:class:`netpharm.verdict.ClaimKind`).
"""

from netpharm.compounds.claims.ct_degree import CTDegree
from netpharm.compounds.claims.drug_like import DrugLike

__all__ = ["CTDegree", "DrugLike"]

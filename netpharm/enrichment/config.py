"""Configuration of the enrichment stage (owned by the enrichment issue)."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["EnrichmentConfig"]


@dataclass(frozen=True)
class EnrichmentConfig:
    """Enrichment options (STRING's, cached; and the offline GO/Reactome ORA)."""

    fdr_threshold: float = 0.05
    string_enrichment: bool = True
    offline_ora: bool = True

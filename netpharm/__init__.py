"""netpharm: reproducible network pharmacology, from a target list to a replication verdict."""

from __future__ import annotations

__version__ = "0.1.0"

"""Folders and files the tests read (never written to: tests copy what they change)."""

from __future__ import annotations

from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
REPO = TESTS.parent
DATA = TESTS / "data"
AD = DATA / "autodock"
STRUCT = DATA / "structures"
SYNTHETIC_RUN = DATA / "report" / "synthetic_run"
OFFLINE_WORKFLOW = REPO / "workflows" / "microdiscectomy-offline.toml"

"""RDKit's own messages go to netpharm's log, not raw to stderr.

RDKit prints through its C++ logger straight to stderr (``[01:10:44] Explicit valence for
atom # 2 N, 4, is greater than permitted``), bypassing ``-q`` and the log format. RDKit's
``rdBase.LogToPythonLogger`` sends them to the Python logger ``rdkit`` instead; there they are
demoted to DEBUG (shown with ``-vv``): every RDKit failure that matters surfaces as a
netpharm error of its own (:class:`~netpharm.errors.LigandPrepError` naming the ligand), and
the rest ("More than one matching pattern found - picking one") are diagnostics of steps
netpharm checks itself (InChIKey, template match).
"""

from __future__ import annotations

import logging

from rdkit import rdBase

__all__ = ["route_rdkit_log", "RDKIT_LOGGER"]

RDKIT_LOGGER = "rdkit"


class _Demote(logging.Filter):
    """Rewrite RDKit records to DEBUG (a filter may edit the record it passes on)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.levelno, record.levelname = logging.DEBUG, "DEBUG"
        record.msg = str(record.msg).strip()
        # The origin logger's level was checked at ERROR/WARNING; handlers without a level of their
        # own would still print the demoted record, so it passes only when DEBUG is wanted (-vv).
        return logging.getLogger(RDKIT_LOGGER).isEnabledFor(logging.DEBUG)


def route_rdkit_log() -> None:
    """Send RDKit's messages to the ``rdkit`` Python logger at DEBUG level (idempotent)."""
    logger = logging.getLogger(RDKIT_LOGGER)
    if not any(isinstance(f, _Demote) for f in logger.filters):
        logger.addFilter(_Demote())
    rdBase.LogToPythonLogger()

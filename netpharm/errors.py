"""netpharm's exception hierarchy: one class per pipeline stage.

Every error a user can cause (bad input, missing data, missing program) is a
:class:`NetpharmError`; the CLI turns it into a one-line message and exit code 2.
Anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

__all__ = [
    "NetpharmError",
    "ConfigError",
    "InputError",
    "OutputExistsError",
    "OutputWriteError",
    "FetchError",
    "CacheMissError",
    "CacheCorruptError",
    "IdentifierMappingError",
    "ImportFormatError",
    "NetworkError",
    "EnrichmentError",
    "AnnotationFormatError",
    "StructureError",
    "StructureNotFoundError",
    "ReceptorPrepError",
    "LigandPrepError",
    "GridBoxError",
    "MissingProgramError",
    "AutoGridError",
    "AutoDockError",
    "VinaError",
    "DLGParseError",
    "InteractionError",
    "PoreAnalysisError",
    "ReportError",
    "StageContractError",
]


class NetpharmError(Exception):
    """Base class of every error netpharm raises on purpose."""


class ConfigError(NetpharmError):
    """A workflow file or option is invalid (unknown key, wrong type, bad value)."""


class InputError(NetpharmError):
    """A user-supplied input file is unusable (empty target list, malformed line)."""


class OutputExistsError(NetpharmError):
    """The output directory holds an earlier run; netpharm never mixes runs silently."""


class OutputWriteError(NetpharmError):
    """An output cannot be written (read-only location, full disk, a file where a folder is expected)."""


# --- sources / cache -------------------------------------------------------
class FetchError(NetpharmError):
    """A remote service failed (HTTP status, timeout, connection), naming the endpoint.

    ``status`` is the HTTP status code when the service answered (e.g. 404), else ``None``;
    callers test it rather than the message text.
    """

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class CacheMissError(FetchError):
    """Offline mode was asked for, and the request is not in the cache."""


class CacheCorruptError(NetpharmError):
    """A cache entry's body no longer matches the sha256 recorded when it was stored."""


class IdentifierMappingError(NetpharmError):
    """Gene symbols unknown to STRING, or matched ambiguously."""


class ImportFormatError(InputError):
    """A STRING export or API TSV is malformed (file and line named)."""


# --- network / hubs ----------------------------------------------------------
class NetworkError(NetpharmError):
    """The network stage cannot proceed (e.g. no edge survives the cut-off)."""


# --- enrichment --------------------------------------------------------------
class EnrichmentError(NetpharmError):
    """Enrichment cannot be computed (empty list, background without the query genes)."""


class AnnotationFormatError(EnrichmentError):
    """A malformed OBO/GAF/GMT line (file and line named)."""


# --- structures / docking ----------------------------------------------------
class StructureError(NetpharmError):
    """A structure is unusable (no protein, requested chain absent, several models...)."""


class StructureNotFoundError(StructureError):
    """The PDB id is unknown to RCSB, or the file does not exist."""


class ReceptorPrepError(NetpharmError):
    """The receptor could not be turned into a PDBQT (residue named)."""


class LigandPrepError(NetpharmError):
    """The ligand could not be prepared (SMILES does not parse, stereo mismatch, atom types)."""


class GridBoxError(NetpharmError):
    """The grid box is invalid or misses the receptor."""


class MissingProgramError(NetpharmError):
    """An external program (autogrid4, autodock4, vina, chromium) is not installed."""


class AutoGridError(NetpharmError):
    """autogrid4 failed; carries its log."""


class AutoDockError(NetpharmError):
    """autodock4 failed or was killed; carries its log."""


class VinaError(NetpharmError):
    """Vina failed; carries its output."""


class SchedulerError(NetpharmError):
    """The Dask scheduler of a campaign cannot be reached (or ``distributed`` is not installed)."""


class DLGParseError(NetpharmError):
    """A docking log is truncated or malformed."""


class InteractionError(NetpharmError):
    """A pose's interaction profile cannot be computed or queried (receptor residue or kind named)."""


# --- analysis / report -------------------------------------------------------
class PoreAnalysisError(NetpharmError):
    """The NMDA pore analysis cannot run on this structure (subunits or N-site missing)."""


class ReportError(NetpharmError):
    """The report cannot be built (run directory incomplete or unreadable)."""


class StageContractError(ReportError):
    """A ``<stage>/summary.json`` does not follow the stage's findings dataclass (renamed, missing or extra field)."""


# --- compounds ---------------------------------------------------------------
class CompoundsError(InputError):
    """A compound → target or disease gene file cannot be read (file, line and column named)."""

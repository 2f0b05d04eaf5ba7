"""Remote endpoints and identifier formats in one place. Versions are pinned for reproducibility.

No imports beyond the standard library: configuration modules use these without loading the HTTP layer.
"""

import re

STRING_API = "https://version-12-0.string-db.org/api"
RCSB_DOWNLOAD = "https://files.rcsb.org/download"
PUBCHEM_PUG = "https://pubchem.ncbi.nlm.nih.gov/rest/pug"

#: A PDB entry id: four characters, the first a digit 1–9 (wwPDB; e.g. 8EF6, 9IYP). Extended
#: ``pdb_0000xxxx`` ids are not used by RCSB's download service yet.
PDB_ID = re.compile(r"^[0-9][A-Za-z0-9]{3}$")


def is_pdb_id(text: str) -> bool:
    """``text`` looks like a PDB entry id (see :data:`PDB_ID`)."""
    return bool(PDB_ID.match(text))

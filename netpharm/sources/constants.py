"""Remote endpoints in one place. Versions are pinned for reproducibility."""

STRING_API = "https://version-12-0.string-db.org/api"
STRING_VERSION = "12.0"
RCSB_DOWNLOAD = "https://files.rcsb.org/download"
PUBCHEM_PUG = "https://pubchem.ncbi.nlm.nih.gov/rest/pug"

"""PubChem PUG REST name → structure, through the cache (Kim et al. 2023, PubChem 2023 update).

Shared by the docking stage's ligand preparation and the compounds stage's drug-likeness: one place
spells the request, so both stages hit the same cache entry for the same name.
"""

from __future__ import annotations

import json
from urllib.parse import quote

from netpharm.errors import FetchError
from netpharm.sources.cache import Cache, Request
from netpharm.sources.constants import PUBCHEM_PUG
from netpharm.sources.http import HttpClient

__all__ = ["name_url", "smiles_for_name"]


def name_url(name: str) -> str:
    """The PUG REST request for a name's isomeric SMILES and InChIKey."""
    return f"{PUBCHEM_PUG}/compound/name/{quote(name.strip(), safe='')}/property/IsomericSMILES,InChIKey/JSON"


def smiles_for_name(name: str, cache: Cache, http: HttpClient | None = None) -> tuple[str, str] | None:
    """(isomeric SMILES, InChIKey) of a compound name, ``None`` when PubChem knows no such name (HTTP 404).

    Raises
    ------
    FetchError
        PubChem failed, or its answer lacks the properties.
    CacheMissError
        Offline and not cached.
    """
    url = name_url(name)
    request = Request.make("GET", url, source="pubchem")
    client = http or HttpClient(min_interval=0.25)  # PubChem allows 5 requests/s
    try:
        entry = cache.fetch(request, client.send)
    except FetchError as exc:
        if exc.status == 404:
            return None
        raise
    try:
        props = json.loads(entry.text)["PropertyTable"]["Properties"][0]
        smiles = props.get("IsomericSMILES") or props["SMILES"]  # PubChem renamed the field in 2025
        return str(smiles), str(props["InChIKey"])
    except (KeyError, IndexError, ValueError) as exc:
        raise FetchError(f"PubChem answer for {name!r} lacks SMILES/InChIKey: {entry.text[:200]}") from exc

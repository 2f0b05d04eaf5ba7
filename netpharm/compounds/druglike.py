"""Drug-likeness of a study's compounds: RDKit descriptors, Lipinski and Veber, and TCMSP's imported OB/DL.

Computed here (RDKit, from a structure: SMILES, an SDF record, or a PubChem name through the cache):
average molecular weight, Crippen logP (Wildman & Crippen 1999, J Chem Inf Comput Sci 39:868), Lipinski's
donors (OH + NH) and acceptors (N + O), topological polar surface area (Ertl, Rohde & Selzer 2000, J Med
Chem 43:3714; N and O contributions), rotatable bonds (RDKit's strict definition) and QED (Bickerton et al.
2012, Nat Chem 4:90; RDKit's default weights).

The rules, as implemented
-------------------------
``lipinski`` — Lipinski CA, Lombardo F, Dominy BW, Feeney PJ (2001) "Experimental and computational
approaches to estimate solubility and permeability in drug discovery and development settings", Adv Drug
Deliv Rev 46:3–26, doi 10.1016/S0169-409X(00)00129-0 (reprint of the 1997 paper): poor absorption or
permeation is more likely when there are more than 5 H-bond donors (sum of OHs and NHs), the molecular
weight is over 500, the log P is over 5, or there are more than 10 H-bond acceptors (sum of Ns and Os); the
paper's alert fires when **two or more** of these are out of range. So a compound **passes with at most one
violation** (``lipinski_max_violations`` = 1; set 0 for the strict reading some papers use). The paper's
log P is CLogP (or MLogP > 4.15); Crippen's logP stands in for it here, said in every result.

``veber`` — Veber DF, Johnson SR, Cheng HY, Smith BR, Ward KW, Kopple KD (2002) "Molecular properties that
influence the oral bioavailability of drug candidates", J Med Chem 45:2615–2623, doi 10.1021/jm020017n:
good oral bioavailability (in rat) is likely for **10 or fewer rotatable bonds and a polar surface area of
140 Å² or less** (the paper's alternative to PSA, 12 or fewer H-bond donors plus acceptors, is not used).
A compound passes when both hold.

``ob_dl`` — TCMSP's screen (Ru J et al. 2014, J Cheminform 6:13, doi 10.1186/1758-2946-6-13): oral
bioavailability OB ≥ 30 % and drug-likeness DL ≥ 0.18. OB and DL are TCMSP's own models (OBioavail 1.1;
Tanimoto similarity to DrugBank's average), which netpharm cannot and does not recompute: the rule uses
**only imported values**, and without them it "cannot be evaluated".
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from netpharm.compounds.ct_findings import RULES, CompoundProperties, DrugLikeness, RuleResult

if TYPE_CHECKING:
    from rdkit import Chem

    from netpharm.sources.cache import Cache
    from netpharm.sources.http import HttpClient

__all__ = ["DEFAULT_THRESHOLDS", "TCMSP_IMPORTED", "CompoundInput", "mol_from_smiles", "mols_from_sdf",
           "mol_from_pubchem", "resolve_structure", "descriptors", "lipinski", "veber", "ob_dl", "judge", "compound_properties",
           "drug_likeness", "imported_values", "drug_likeness_rows"]

log = logging.getLogger(__name__)

#: The rules' thresholds (see the module docstring); a workflow or claim may override any of them.
DEFAULT_THRESHOLDS: dict[str, float] = {
    "lipinski_mw": 500.0, "lipinski_logp": 5.0, "lipinski_hbd": 5.0, "lipinski_hba": 10.0,
    "lipinski_max_violations": 1.0, "veber_rotatable": 10.0, "veber_tpsa": 140.0, "ob_min": 30.0, "dl_min": 0.18,
}

#: TCMSP columns a server computed → the label netpharm carries them under. Both spellings: the JSON field
#: names of TCMSP-Spider dumps (``ob``, ``dl``, ``caco2`` ...) and the web page's headers (``OB (%)``,
#: ``Caco-2`` ...). OB is in %, as TCMSP gives it.
TCMSP_IMPORTED: dict[str, str] = {
    "ob": "OB", "OB (%)": "OB", "OB": "OB", "dl": "DL", "DL": "DL", "caco2": "Caco-2", "Caco-2": "Caco-2",
    "bbb": "BBB", "BBB": "BBB", "halflife": "HL", "HL": "HL", "FASA": "FASA-", "FASA-": "FASA-",
    "mw": "MW", "MW": "MW", "alogp": "AlogP", "AlogP": "AlogP", "hdon": "Hdon", "Hdon": "Hdon",
    "hacc": "Hacc", "Hacc": "Hacc",
}


@dataclass(frozen=True)
class CompoundInput:
    """One compound to judge: its name, its structure (or none) and its imported values.

    Attributes
    ----------
    name : str
    mol : rdkit.Chem.Mol or None
        ``None`` when no structure is known (the descriptors and Lipinski/Veber are then "cannot be
        evaluated"; imported values are still carried).
    structure_source : str
        Where the structure came from ("SMILES column", "SDF Wogonin.sdf", "PubChem name").
    imported : dict
        Server-computed values (labels of :data:`TCMSP_IMPORTED`), carried verbatim.
    imported_from : str
        The file they came from.
    structure_note : str
        Why there is no structure, when there is none (:func:`resolve_structure` says it).
    """

    name: str
    mol: Any = None
    structure_source: str = ""
    imported: Mapping[str, float] = field(default_factory=dict)
    imported_from: str = ""
    structure_note: str = ""


def mol_from_smiles(smiles: str) -> Chem.Mol | None:
    """The molecule of a SMILES (RDKit, sanitised), ``None`` when it does not parse."""
    from rdkit import Chem, rdBase

    with rdBase.BlockLogs():
        return Chem.MolFromSmiles(smiles.strip()) if smiles and smiles.strip() else None


def mols_from_sdf(path: Path, name_field: str = "") -> list[tuple[str, Chem.Mol | None]]:
    """(name, molecule) per SDF record: the name from ``name_field`` when given, else the title line;
    a record RDKit cannot read gives ``None`` (so it is reported, not dropped)."""
    from rdkit import Chem, rdBase

    out: list[tuple[str, Chem.Mol | None]] = []
    with rdBase.BlockLogs():
        for i, mol in enumerate(Chem.SDMolSupplier(str(path))):
            if mol is None:
                out.append((f"{Path(path).name} record {i + 1}", None))
                continue
            name = mol.GetProp(name_field) if name_field and mol.HasProp(name_field) else mol.GetProp("_Name")
            out.append((name.strip() or f"{Path(path).name} record {i + 1}", mol))
    return out


def mol_from_pubchem(name: str, cache: Cache, http: HttpClient | None = None) -> Chem.Mol | None:
    """The molecule PubChem gives for a compound name (through the cache), ``None`` when PubChem knows no such
    name. Same request as the docking stage's ligand lookup (:mod:`netpharm.sources.pubchem`)."""
    from netpharm.sources.pubchem import smiles_for_name

    found = smiles_for_name(name, cache, http)
    return mol_from_smiles(found[0]) if found else None


def resolve_structure(name: str, smiles: str = "", cache: Cache | None = None,
                      http: HttpClient | None = None) -> tuple[Chem.Mol | None, str, str]:
    """(molecule, where it came from, why there is none) for a compound: its SMILES when given, else its name
    on PubChem through ``cache`` (``None``: no lookup). Nothing is dropped silently: a SMILES that does not
    parse, a name PubChem does not know, a lookup that failed or is not cached offline is the third item.
    (An SDF record is read with :func:`mols_from_sdf`.)
    """
    from netpharm.errors import FetchError

    if smiles and smiles.strip():
        mol = mol_from_smiles(smiles)
        return (mol, "SMILES", "") if mol is not None else (None, "", f"SMILES does not parse (RDKit): "
                                                                        f"{smiles.strip()[:80]!r}")
    if cache is None:
        return None, "", "no structure given (no SMILES or SDF record; PubChem names not looked up)"
    try:
        mol = mol_from_pubchem(name, cache, http)
    except FetchError as exc:  # CacheMissError included: offline and not cached
        return None, "", f"PubChem lookup of {name!r} failed: {exc}"
    if mol is None:
        return None, "", f"PubChem knows no compound named {name!r}"
    return mol, "PubChem name", ""


def descriptors(mol: Chem.Mol) -> dict[str, float | int]:
    """MW, logP, HBD, HBA, TPSA, rotatable bonds and QED of ``mol`` (see the module docstring).

    Charged or salt forms are taken as given: a study's structure is judged, not a standardised one.
    """
    from rdkit.Chem import QED, Descriptors, rdMolDescriptors

    return {
        "mw": Descriptors.MolWt(mol),  # type: ignore[attr-defined]  # average MW; RDKit's stubs lack the name
        "logp": rdMolDescriptors.CalcCrippenDescriptors(mol)[0],
        "hbd": rdMolDescriptors.CalcNumLipinskiHBD(mol),
        "hba": rdMolDescriptors.CalcNumLipinskiHBA(mol),
        "tpsa": rdMolDescriptors.CalcTPSA(mol),
        "rotatable_bonds": rdMolDescriptors.CalcNumRotatableBonds(mol, rdMolDescriptors.NumRotatableBondsOptions.Strict),
        "qed": QED.qed(mol),
    }


def _over(label: str, value: float | int | None, limit: float, unit: str = "") -> list[str]:
    if value is None or value <= limit:
        return []
    shown = f"{value:.1f}" if isinstance(value, float) else str(value)
    return [f"{label} {shown}{unit} > {limit:g}{unit}"]


def lipinski(props: Mapping[str, Any], thresholds: Mapping[str, float] = DEFAULT_THRESHOLDS) -> RuleResult:
    """Lipinski et al. 2001: pass with at most ``lipinski_max_violations`` (1) of MW > 500, logP > 5,
    HBD > 5, HBA > 10 (logP = Crippen's, standing in for CLogP)."""
    if props.get("mw") is None:
        return RuleResult("lipinski", None, why_not="no structure")
    t = {**DEFAULT_THRESHOLDS, **thresholds}
    violations = (_over("MW", props["mw"], t["lipinski_mw"]) + _over("logP (Crippen)", props["logp"], t["lipinski_logp"])
                  + _over("HBD", props["hbd"], t["lipinski_hbd"]) + _over("HBA", props["hba"], t["lipinski_hba"]))
    return RuleResult("lipinski", len(violations) <= t["lipinski_max_violations"], tuple(violations))


def veber(props: Mapping[str, Any], thresholds: Mapping[str, float] = DEFAULT_THRESHOLDS) -> RuleResult:
    """Veber et al. 2002: pass with rotatable bonds ≤ 10 and TPSA ≤ 140 Å²."""
    if props.get("tpsa") is None:
        return RuleResult("veber", None, why_not="no structure")
    t = {**DEFAULT_THRESHOLDS, **thresholds}
    violations = (_over("rotatable bonds", props["rotatable_bonds"], t["veber_rotatable"])
                  + _over("TPSA", props["tpsa"], t["veber_tpsa"], " Å²"))
    return RuleResult("veber", not violations, tuple(violations))


def ob_dl(imported: Mapping[str, float], thresholds: Mapping[str, float] = DEFAULT_THRESHOLDS) -> RuleResult:
    """TCMSP's screen on imported values only: OB ≥ 30 % and DL ≥ 0.18; "cannot be evaluated" without them."""
    t = {**DEFAULT_THRESHOLDS, **thresholds}
    absent = [k for k in ("OB", "DL") if k not in imported or math.isnan(imported[k])]
    if absent:
        return RuleResult("ob_dl", None, why_not=f"no imported {' and '.join(absent)} (TCMSP's values are never "
                                                 "recomputed)")
    violations = []
    if imported["OB"] < t["ob_min"]:
        violations.append(f"OB {imported['OB']:.2f} % < {t['ob_min']:g} % (imported)")
    if imported["DL"] < t["dl_min"]:
        violations.append(f"DL {imported['DL']:.3f} < {t['dl_min']:g} (imported)")
    return RuleResult("ob_dl", not violations, tuple(violations))


def judge(rule: str, props: Mapping[str, Any], imported: Mapping[str, float],
          thresholds: Mapping[str, float] = DEFAULT_THRESHOLDS) -> RuleResult:
    """One of :data:`~netpharm.compounds.ct_findings.RULES` on one compound's descriptors / imported values."""
    if rule == "lipinski":
        return lipinski(props, thresholds)
    if rule == "veber":
        return veber(props, thresholds)
    if rule == "ob_dl":
        return ob_dl(imported, thresholds)
    raise ValueError(f"unknown rule {rule!r}; choose from {list(RULES)}")


def compound_properties(entry: CompoundInput, thresholds: Mapping[str, float] = DEFAULT_THRESHOLDS
                        ) -> CompoundProperties:
    """Descriptors (when ``entry`` has a structure), imported values and every rule's result."""
    from rdkit import Chem

    props: dict[str, Any] = dict.fromkeys(("mw", "logp", "hbd", "hba", "tpsa", "rotatable_bonds", "qed"))
    smiles = ""
    if entry.mol is not None:
        props.update(descriptors(entry.mol))
        smiles = Chem.MolToSmiles(entry.mol)
    imported = {k: float(v) for k, v in entry.imported.items() if v is not None and not math.isnan(float(v))}
    no_structure = entry.structure_note or "no structure"
    rules = tuple(replace(r, why_not=no_structure) if r.why_not == "no structure" else r
                  for r in (judge(rule, props, imported, thresholds) for rule in RULES))
    return CompoundProperties(
        name=entry.name, structure_source=entry.structure_source if entry.mol is not None else "", smiles=smiles,
        mw=_round(props["mw"]), logp=_round(props["logp"]), hbd=props["hbd"], hba=props["hba"],
        tpsa=_round(props["tpsa"]), rotatable_bonds=props["rotatable_bonds"], qed=_round(props["qed"]),
        imported=imported, imported_from=entry.imported_from if imported else "", rules=rules)


def _round(value: float | None) -> float | None:
    """Four decimals: what the tables print, and stable across platforms in summary.json."""
    return None if value is None else round(float(value), 4)


def drug_likeness(entries: Iterable[CompoundInput], thresholds: Mapping[str, float] | None = None) -> DrugLikeness:
    """Every compound's properties and rule results, in input order.

    Raises
    ------
    ValueError
        An unknown threshold name (the message lists the known ones).
    """
    from rdkit import __version__ as rdkit_version

    unknown = sorted(set(thresholds or {}) - set(DEFAULT_THRESHOLDS))
    if unknown:
        raise ValueError(f"unknown drug-likeness threshold(s) {unknown}; choose from {sorted(DEFAULT_THRESHOLDS)}")
    used = {**DEFAULT_THRESHOLDS, **(thresholds or {})}
    compounds = tuple(compound_properties(e, used) for e in entries)
    computed = any(c.mw is not None for c in compounds)
    log.info("drug-likeness: %d compounds, %d with a structure", len(compounds),
             sum(1 for c in compounds if c.mw is not None))
    return DrugLikeness(compounds, used, rdkit_version if computed else "")


def imported_values(row: Mapping[str, Any], columns: Mapping[str, str] = TCMSP_IMPORTED,
                    problems: list[str] | None = None) -> dict[str, float]:
    """The server-computed values of one table row (numbers or text), under netpharm's labels.

    Empty cells are left out; a cell that is not a number is left out **and** described in ``problems``
    when a list is given (so the stage can report it rather than drop it silently).

    >>> imported_values({"molecule_name": "quercetin", "ob": 46.43, "dl": 0.275, "halflife": float("nan")})
    {'OB': 46.43, 'DL': 0.275}
    """
    out: dict[str, float] = {}
    for column, label in columns.items():
        value = row.get(column)
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        try:
            number = float(value)
        except (TypeError, ValueError):
            if problems is not None:
                problems.append(f"{column} = {value!r} is not a number")
            continue
        if not math.isnan(number):
            out[label] = number
    return out


def drug_likeness_rows(result: DrugLikeness) -> list[dict[str, Any]]:
    """One row per compound for a TSV: computed columns, then every imported value labelled
    ``"<label> (imported)"``, then each rule as ``pass``/``fail``/``cannot be evaluated``."""
    labels = list(dict.fromkeys(k for c in result.compounds for k in c.imported))
    rows = []
    for c in result.compounds:
        row: dict[str, Any] = {"compound": c.name, "structure_source": c.structure_source, "smiles": c.smiles,
                               "MW": c.mw, "logP_Crippen": c.logp, "HBD": c.hbd, "HBA": c.hba, "TPSA": c.tpsa,
                               "rotatable_bonds": c.rotatable_bonds, "QED": c.qed}
        row |= {f"{k} (imported)": c.imported.get(k) for k in labels}
        row["imported_from"] = c.imported_from
        for r in c.rules:
            row[r.rule] = ("cannot be evaluated" if r.passed is None else "pass" if r.passed else "fail")
            row[f"{r.rule}_violations"] = "; ".join(r.violations) or r.why_not
        rows.append(row)
    return rows

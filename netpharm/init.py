"""``netpharm init``: write a commented, runnable workflow for a new target list.

Workflow layer (it validates what it writes with :func:`netpharm.registry.load_workflow`, the
strict loader ``netpharm run`` uses). It writes ``DIR/workflow.toml`` and a verbatim copy of the
targets file as ``DIR/targets.txt``, and never overwrites an existing file.
"""

from __future__ import annotations

import json
import logging
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from netpharm.errors import InputError, OutputExistsError
from netpharm.io import write_bytes_atomic, write_text_atomic
from netpharm.sources.constants import is_pdb_id
from netpharm.targets import read_targets

__all__ = ["InitResult", "init_workflow", "workflow_text", "builtin_ligands", "init_compounds_workflow",
           "compounds_text"]

log = logging.getLogger(__name__)

_FOLDER = re.compile(r"[^A-Za-z0-9_-]+")


@dataclass(frozen=True)
class InitResult:
    """What ``init`` wrote: the workflow, the targets copy (None in the compounds recipe) and the targets."""

    workflow: Path
    targets_file: Path | None
    targets: tuple[str, ...]


def _toml(value: str) -> str:
    """A TOML basic string (JSON's escaping is valid TOML for these characters)."""
    return json.dumps(value, ensure_ascii=False)


def builtin_ligands() -> tuple[str, ...]:
    """Ligand names the docking stage knows without a lookup (:data:`netpharm.docking.prepare.ligand.KNOWN_LIGANDS`).

    Imported on use: it loads RDKit, which ``init`` needs only when ``--ligand`` is given.
    """
    from netpharm.docking.prepare.ligand import KNOWN_LIGANDS

    return tuple(sorted(KNOWN_LIGANDS))


def _check_smiles(text: str) -> bool:
    from rdkit import Chem, rdBase

    rdBase.DisableLog("rdApp.*")  # a failed parse is an answer here, not a warning to print
    try:
        return Chem.MolFromSmiles(text) is not None
    finally:
        rdBase.EnableLog("rdApp.*")


def _ligand(spec: str, number: int) -> tuple[str, str]:
    """(value for ``ligand``, folder-friendly ``ligand_name``) of one ``--ligand``.

    Raises
    ------
    InputError
        Neither a built-in name, an existing .sdf/.mol file nor a valid SMILES.
    """
    text = spec.strip()
    builtin = builtin_ligands()
    if text.lower() in builtin:
        return text.lower(), text.lower()
    path = Path(text)
    if path.suffix.lower() in (".sdf", ".mol"):
        if not path.is_file():
            raise InputError(f"--ligand {spec}: file not found")
        _check_ligand_file(path, spec)
        # The docking stage reads ligand files from the working directory: an absolute path is unambiguous.
        return str(path.resolve()), _FOLDER.sub("_", path.stem) or f"ligand{number}"
    if text and _check_smiles(text):
        return text, f"ligand{number}"
    raise InputError(f"--ligand {spec!r}: not a valid SMILES, an existing .sdf/.mol file or a built-in name "
                     f"({', '.join(builtin)}); give the ligand's SMILES")


def _check_ligand_file(path: Path, spec: str) -> None:
    """An .sdf/.mol file must hold a molecule RDKit reads (an empty or broken file is refused now, not when docking)."""
    from rdkit import Chem, rdBase

    _quiet = rdBase.BlockLogs()  # noqa: F841 - reported below in one line
    try:
        mol = next(iter(Chem.SDMolSupplier(str(path))), None)
    except OSError:
        mol = None
    if mol is None:
        raise InputError(f"--ligand {spec}: no molecule RDKit can read in the file")


def _check_structure_file(path: Path, spec: str) -> None:
    """A structure file must be a PDB/mmCIF file gemmi reads with atoms (not a binary or empty file)."""
    from netpharm.errors import StructureError
    from netpharm.structures.fetch import load_structure

    try:
        structure = load_structure(path)
    except (StructureError, ValueError, RuntimeError) as exc:
        detail = str(exc).splitlines()[0].removeprefix(f"{path}: ")  # the file is named once, by --receptor
        raise InputError(f"--receptor {spec}: not a readable PDB/mmCIF structure ({detail})") from exc
    if not any(len(chain) for model in structure for chain in model):
        raise InputError(f"--receptor {spec}: the structure file holds no atoms")


def _receptor(spec: str, out_dir: Path) -> tuple[str, str]:
    """(value for ``receptor``, system name) of one ``--receptor``: a PDB id or a structure file."""
    text = spec.strip()
    path = Path(text)
    if path.suffix.lower() in (".pdb", ".cif", ".mmcif", ".ent") or path.is_file():
        if not path.is_file():
            raise InputError(f"--receptor {spec}: file not found")
        _check_structure_file(path, spec)
        return os.path.relpath(path.resolve(), out_dir.resolve()), _FOLDER.sub("_", path.stem)
    if is_pdb_id(text):
        return text.upper(), text.upper()
    raise InputError(f"--receptor {spec!r}: neither a PDB id (4 characters, e.g. 8EF6) nor an existing "
                     ".pdb/.cif file")


def _header(name: str, where: str, species: int, docking: bool, compounds: bool = False) -> list[str]:
    stages = (["compounds"] if compounds else []) + ["network", "enrichment"] + (["ct_pathway"] if compounds else []) \
        + (["docking"] if docking else []) + ["report"]
    target_line = ("# targets: the common targets of [compounds] (set `targets` or `target_list` to override)"
                   if compounds else "targets = \"targets.txt\"         # one gene symbol per line, # comments (copied by init)")
    lines = [
        f"# netpharm workflow written by `netpharm init` for {name}. Run it with:",
        f"#   netpharm run {where}",
        "# Values resolve as defaults < this file < command-line flags; unknown keys are errors.",
        "# Every remote answer (STRING, RCSB, PubChem) is stored in cache_dir: a rerun with --offline is",
        "# identical. See README.md (\"Checking another paper\") and docs/run-directory.md for the outputs.",
        f"name = {_toml(name)}",
        "description = \"\"                # the paper or question this workflow checks",
        target_line,
        f"species = {species}" + ("                  # NCBI taxon id: 9606 human" if species == 9606 else
                                  "  # NCBI taxon id (STRING serves any species)"),
        "offline = false                 # true: never go online, every request must be in the cache",
        "cache_dir = \"cache\"",
        f"stages = {json.dumps(stages)}",
        "",
        "[network]",
        "source = \"api\"                  # STRING v12 API; \"import\" + imports = [...] for exports recorded",
        "                                # with `netpharm import` (the web page's TSV download)",
        "required_score = 400            # STRING combined score x 1000 (400 = medium confidence)",
        "network_type = \"functional\"     # or \"physical\"",
        "add_nodes = 0                   # 0 = exactly the targets, no added interactors",
        "",
        "[hubs]",
        "top_n = 10                      # cytoHubba top-N per method, ties at the boundary included",
        "",
        "[enrichment]",
        "fdr_threshold = 0.05",
    ]
    if species != 9606:
        lines += [
            "# STRING's enrichment runs for any species. The offline ORA's shipped GO/Reactome files are human",
            "# (9606) only: for this species give your own files (relative to this file; sha256 recorded), or the",
            "# stage says that the offline ORA could not run.",
            "# go_obo = \"go-basic.obo\"",
            "# go_annotations = \"annotations.gaf\"     # GAF 2.x gene -> GO",
            "# gene_sets = \"pathways.gmt\"             # reported as the pathway (Reactome) category",
            "# annotation_note = \"source, release, date\"",
        ]
    return lines


def _docking(receptors: list[tuple[str, str]], ligands: list[tuple[str, str]]) -> list[str]:
    lines = ["", "# AutoDock 4.2.6 Lamarckian GA (the microdiscectomy paper's budget: 20 runs x 2.5 M evaluations).",
             "[docking]", "engine = \"autodock4\"            # or \"vina\", \"both\"", "ga_runs = 20",
             "ga_num_evals = 2500000", "ga_pop_size = 150", "workers = 2"]
    multi = len(ligands) > 1
    for receptor, rname in receptors:
        for ligand, lname in ligands:
            name = f"{rname}_{lname}" if multi else rname
            lines += ["", "[[docking.systems]]", f"name = {_toml(name)}",
                      f"receptor = {_toml(receptor)}" + ("   # PDB id: fetched from RCSB, cached"
                                                         if is_pdb_id(receptor) else "   # relative to this file"),
                      f"ligand = {_toml(ligand)}", f"ligand_name = {_toml(lname)}"]
            if lname != "morphine":
                # DockingSystem's default expected_inchikey is morphine's; another ligand must not be checked
                # against it (a built-in name carries its own key).
                lines.append("expected_inchikey = \"\"")
            lines += ["# The grid box: exactly one of",
                      "#   ligand_resname = \"XYZ\"            the co-crystal ligand's residue name (box around it)",
                      "#   box_center = [x, y, z]  box_size = [22.5, 22.5, 22.5]     an explicit box (Å)",
                      "#   pocket_residues = [\"A:147\", ...]   residues lining the pocket",
                      "# The default below is the conserved Asp3.32 of class-A aminergic GPCRs (found from the",
                      "# TM3 motif); for any other receptor the run stops with a message naming this system.",
                      "pocket_residues = [\"D3.32\"]", "box_padding = 10.0"]
    return lines


def _claims(targets: Sequence[str], systems: Sequence[str]) -> list[str]:
    """An example ``[[claims]]`` block, commented out; uncommented it is valid for these targets."""
    first = targets[0]
    pair = list(targets[:2])
    # A rank bound must leave some protein outside it, else the claim cannot fail and is refused at load.
    bound = min(5, len(targets) - 1)
    top = list(targets[: min(3, len(targets) - 1)])
    lines = [
        "",
        "# The paper's claims to check: one [[claims]] table each (kinds and parameters: README.md, 'The claims",
        "# to check are data'). report/verdict.tsv gets one verdict per claim. Uncomment and edit these examples:",
        "# replace the proteins with the ones the paper names (one absent from the network makes the claim",
        "# 'not supported', and it is listed in report/audit.tsv).",
    ]
    if len(targets) >= 2:  # a ranking of one protein decides nothing
        lines += [
            "#",
            "# [[claims]]",
            "# id = \"most-connected\"",
            f"# text = \"{first} is the most highly connected node of the network.\"",
            "# kind = \"most_connected\"",
            f"# protein = {_toml(first)}",
            "# metric = \"Degree\"               # or any NetworkAnalyzer column, e.g. \"BetweennessCentrality\"",
            "#",
            "# [[claims]]",
            "# id = \"hubs\"",
            f"# text = \"{' and '.join(pair)} are hub proteins (top MCC ranks).\"",
            "# kind = \"hub\"",
            f"# proteins = {json.dumps(pair[:bound])}",
            "# method = \"MCC\"                  # any of the 12 cytoHubba methods",
            f"# max_rank = {bound}",
            "#",
            "# [[claims]]",
            "# id = \"mcc-top\"",
            "# text = \"The published cytoHubba MCC top list.\"",
            "# kind = \"top_hubs\"",
            "# method = \"MCC\"",
            f"# n = {len(top)}",
            f"# expected = {json.dumps(top)}   # the published list, in rank order",
            "# # expected_ranks = [1, 2, 3]     # the published ranks, if the paper prints them (ties share one)",
        ]
    lines += [
        "#",
        "# [[claims]]",
        "# id = \"ppi-enrichment\"",
        "# text = \"The network has more interactions than expected (STRING PPI enrichment).\"",
        "# kind = \"ppi_enrichment\"",
        "# alpha = 0.05",
    ]
    # GO ids hold for any species (other species need their own annotation files, see [enrichment]).
    lines += ["#", "# [[claims]]", "# id = \"synaptic-transmission\"",
              "# text = \"Enrichment of chemical synaptic transmission.\"", "# kind = \"enriched\"",
              "# category = \"BP\"                # BP, MF, CC, KEGG, Reactome (or a list)",
              "# terms = [\"GO:0007268\"]         # ids or exact term names", "# fdr = 0.05",
              "# source = \"any\"                 # \"string\", \"offline\" or \"any\""]
    if systems:
        lines += ["#", "# [[claims]]", "# id = \"docking\"", "# text = \"The ligand docks with a favourable energy.\"",
                  "# kind = \"docking\"", f"# systems = {json.dumps(list(systems))}", "# max_energy = -6.0",
                  "# salt_bridge = false"]
    return lines


def workflow_text(name: str, targets: Sequence[str], species: int = 9606, ligands: Sequence[tuple[str, str]] = (),
                  receptors: Sequence[tuple[str, str]] = (), where: str = "workflow.toml") -> str:
    """The commented workflow TOML for ``targets`` (ligands/receptors already resolved; ``where`` = its path)."""
    if ligands and not receptors:
        raise InputError("--ligand needs at least one --receptor to dock into")
    if receptors and not ligands:
        ligands = [("morphine", "morphine")]  # DockingSystem's default ligand, written out so it is visible
    lines = _header(name, where, species, bool(receptors))
    systems: list[str] = []
    if receptors:
        block = _docking(list(receptors), list(ligands))
        lines += block
        systems = [json.loads(x.split("=", 1)[1]) for x in block if x.startswith("name = ")]
    lines += _claims(targets, systems)
    return "\n".join(lines) + "\n"


def init_workflow(out_dir: Path, targets_file: Path, species: int = 9606, ligands: Sequence[str] = (),
                  receptors: Sequence[str] = ()) -> InitResult:
    """Write ``out_dir/workflow.toml`` and ``out_dir/targets.txt`` (a verbatim copy, validated).

    When ``targets_file`` already is ``out_dir/targets.txt`` it is validated and used in place.

    The workflow is loaded back with the strict loader before anything is written, so what
    ``init`` writes always loads.

    Raises
    ------
    InputError
        Bad targets file (line named), species, ligand or receptor.
    OutputExistsError
        ``workflow.toml`` or ``targets.txt`` already exists in ``out_dir`` (nothing is written).
    """
    from netpharm.registry import MAX_TAXON, load_workflow

    out_dir = Path(out_dir)
    if not 0 < species < MAX_TAXON:
        raise InputError(f"--species must be an NCBI taxon id (e.g. 9606 human, 10116 rat), got {species}")
    targets = read_targets(Path(targets_file))
    workflow, copy = out_dir / "workflow.toml", out_dir / "targets.txt"
    if out_dir.exists() and not out_dir.is_dir():
        raise OutputExistsError(f"{out_dir} exists and is not a folder")
    in_place = copy.exists() and copy.resolve() == Path(targets_file).resolve()  # `init . --targets targets.txt`
    existing = [str(p) for p in (workflow, copy) if p.exists() and not (p == copy and in_place)]
    if existing:
        raise OutputExistsError(f"{', '.join(existing)} already exist(s); init never overwrites: choose another DIR")
    name = _FOLDER.sub("-", out_dir.resolve().name).strip("-") or "netpharm"
    lig = [_ligand(s, i) for i, s in enumerate(ligands, start=1)]
    rec = [_receptor(s, out_dir) for s in receptors]
    text = workflow_text(name, targets, species, lig, rec, where=str(workflow))
    body = Path(targets_file).read_bytes()  # read_targets decoded it as UTF-8 already
    out_dir.mkdir(parents=True, exist_ok=True)
    if not in_place:
        write_bytes_atomic(copy, body)  # verbatim: the user's comments stay
    write_text_atomic(workflow, text)
    try:
        load_workflow(workflow)
    except Exception:
        # Never leave a workflow the strict loader rejects: that would be a bug in init, not the user's.
        workflow.unlink()
        if not in_place:
            copy.unlink()
        raise
    log.info("wrote %s and %s (%d targets)", workflow, copy, len(targets))
    return InitResult(workflow, copy, tuple(targets))


def _compound_table(path: Path, out_dir: Path, kind: str) -> list[str]:
    """One ``[[compounds.targets]]`` or ``[[compounds.disease]]`` table for ``path``, its format detected.

    Raises
    ------
    InputError
        The file cannot be read, or is a server format of the other kind (a GeneCards list as compound targets).
    """
    from netpharm.compounds.readers.detect import detect

    found = detect(path)
    option = "--compound-targets" if kind == "compound" else "--disease-targets"
    if found.kind and found.kind != kind:
        raise InputError(f"{option} {path}: a {found.format} export, which lists "
                         f"{'compound targets' if found.kind == 'compound' else 'disease genes'}; give it with "
                         f"{'--compound-targets' if found.kind == 'compound' else '--disease-targets'}")
    label = _FOLDER.sub(" ", path.stem).strip() or path.name
    section = "targets" if kind == "compound" else "disease"
    relative = os.path.relpath(path.resolve(), out_dir.resolve())
    far = relative.startswith(os.pardir + os.sep + os.pardir)  # two levels up or more: the absolute path reads better
    shown = str(path.resolve()) if far else f"{relative}"
    lines = ["", f"[[compounds.{section}]]", f"file = {_toml(shown)}" + ("" if far else "   # relative to this file"),
             f"label = {_toml(label)}"]
    if found.format:
        lines.append(f"format = {_toml(found.format)}")
    if found.format == "swisstargetprediction":
        lines += ["# min_probability = 0.1          # the paper's cut-off; unset: every probability > 0",
                  f"compound_name = {_toml(label)}   # a one-compound export (a pasted page names each block)"]
    elif found.format == "tcmsp":
        lines += ["# ingredients = \"Herb_ingredients.xlsx\"   # TCMSP's ingredient table: screens OB and DL",
                  "# min_ob = 30.0", "# min_dl = 0.18"]
    elif found.format == "herb":
        lines.append(f"compound_name = {_toml(label)}   # HERB exports one ingredient's targets")
    elif found.format == "genecards":
        lines.append("# min_score = 10.0               # Relevance score cut-off; unset: the file's median")
    elif found.format == "disgenet":
        lines.append("# min_score = 0.3                # association score cut-off; unset: every gene")
    elif found.format in ("superpred", "pharmmapper", "sea", "ppb3", "passtargets"):
        lines.append(f"compound_name = {_toml(label)}   # a one-compound export")
        lines.append({"superpred": "# min_probability = 0.8          # Probability cut-off; unset: every exported row",
                      "pharmmapper": "# min_score = 1.0                # z'-score cut-off (unset: 0); min_fit: Norm Fit",
                      "sea": "# max_pvalue = 1e-5              # P-Value cut-off; unset: every row",
                      "ppb3": "# min_score = 0.2                # Confidence Score cut-off; unset: every row",
                      "passtargets": "# min_score = 0.3                # Activity Score (Pa - Pi) cut-off; unset: every row",
                      }[found.format])
    elif found.format == "ctd":
        lines.append("# min_interactions = 2            # interaction rows per gene; unset: every gene (human only)")
    elif found.format == "batman":
        lines.append("# min_score = 20.0               # BATMAN-TCM score cut-off (its default 20); known targets kept")
    elif found.format == "omim":
        lines.append("# OMIM's gene entries (* and +); a search OMIM truncated at 1,000 entries is reported")
    elif kind == "compound":
        if found.columns >= 2:
            lines += ["compound = 1                      # column of the compound (name or 1-based number)",
                      "target = 2                        # column of the target gene"]
        else:
            lines += ["target = 1                        # one compound's targets, one per line",
                      f"compound_name = {_toml(label)}"]
        lines.append(f"header = {str(found.header).lower()}")
    else:
        lines += ["column = 1                        # the gene column (name or 1-based number)",
                  f"header = {str(found.header).lower()}"]
    return lines


def compounds_text(name: str, compound_files: Sequence[Path], disease_files: Sequence[Path], out_dir: Path,
                   species: int = 9606, where: str = "workflow.toml") -> str:
    """The commented workflow TOML of the compounds recipe: compound and disease tables, their common targets."""
    lines = _header(name, where, species, False, compounds=True)
    lines += ["", "# Compound -> target predictions and disease genes; their common targets are the network's.",
              "# Server formats are read by their known layout (and cut-offs); plain tables by the columns named.",
              "[compounds]", "normalise = true                # HGNC symbols: renames, unmatched, ambiguous listed",
              "pathway_terms = 10              # compound–target–pathway network (ct_pathway): top terms by FDR",
              "pathway_source = \"KEGG\"         # or \"Reactome\", \"BP\", \"MF\", \"CC\"",
              "pathway_enrichment = \"auto\"     # STRING's enrichment when the run has it, else the offline ORA "
              "(no KEGG)"]
    for path in compound_files:
        lines += _compound_table(Path(path), out_dir, "compound")
    for path in disease_files:
        lines += _compound_table(Path(path), out_dir, "disease")
    lines += ["", "# The paper's claims to check. Uncomment and put the paper's number:", "#", "# [[claims]]",
              "# id = \"common-targets\"", "# text = \"The compound and the disease share N common targets.\"",
              "# kind = \"intersection\"", "# size = 107"]
    return "\n".join(lines) + "\n"


def init_compounds_workflow(out_dir: Path, compound_files: Sequence[Path], disease_files: Sequence[Path],
                            species: int = 9606) -> InitResult:
    """Write ``out_dir/workflow.toml`` for the compounds recipe (files referenced where they are, formats detected).

    Every file is read before anything is written, so a malformed file is a one-line error naming it and
    ``init`` leaves nothing behind.

    Raises
    ------
    InputError
        No compound or no disease file, an unreadable or malformed file (file, line named), a bad species.
    OutputExistsError
        ``workflow.toml`` already exists in ``out_dir``.
    """
    from netpharm.registry import load_workflow, resolve_targets

    out_dir = Path(out_dir)
    if not compound_files or not disease_files:
        raise InputError("the compounds recipe needs --compound-targets FILE and --disease-targets FILE")
    if species <= 0:
        raise InputError(f"--species must be an NCBI taxon id (e.g. 9606 human, 10116 rat), got {species}")
    if out_dir.exists() and not out_dir.is_dir():
        raise OutputExistsError(f"{out_dir} exists and is not a folder")
    workflow = out_dir / "workflow.toml"
    if workflow.exists():
        raise OutputExistsError(f"{workflow} already exists; init never overwrites: choose another DIR")
    name = _FOLDER.sub("-", out_dir.resolve().name).strip("-") or "netpharm"
    text = compounds_text(name, compound_files, disease_files, out_dir, species, where=str(workflow))
    out_dir.mkdir(parents=True, exist_ok=True)
    write_text_atomic(workflow, text)
    try:
        targets = resolve_targets(load_workflow(workflow))  # reads every file: its errors name file and line
    except Exception:
        workflow.unlink()  # never leave a workflow that does not load
        raise
    log.info("wrote %s (%d common targets)", workflow, len(targets))
    return InitResult(workflow, None, tuple(targets))

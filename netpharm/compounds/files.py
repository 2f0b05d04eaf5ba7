"""The compounds stage's run-directory files (``RUN_DIR/compounds/``, ``docs/run-directory.md``).

File names relative to the stage folder and the columns other stages and the report read. Light on purpose.
"""

from __future__ import annotations

__all__ = ["FOLDER", "NOT_ASKED", "COMPOUND_TARGETS", "DISEASE_TARGETS", "INTERSECTION", "SYMBOLS", "COUNTS", "COMPOUNDS",
           "VENN", "UPSET", "COMPOUND", "TARGET", "SOURCE", "WRITTEN", "LINE", "DETAIL", "SCORE",
           "COMPOUND_TARGET_COLUMNS", "DISEASE_TARGET_COLUMNS", "INTERSECTION_COLUMNS", "SYMBOL_COLUMNS",
           "COUNT_COLUMNS", "COMPOUND_COLUMNS", "SMILES", "CT_NODES", "CT_GRAPHML", "CT_SIF", "CT_FIGURE",
           "DRUG_LIKENESS", "CTP_STAGE", "CTP_NODES", "CTP_GRAPHML", "CTP_SIF", "CTP_FIGURE", "CTP_TERMS",
           "CTP_TERM_COLUMNS", "CTP_OFF"]

FOLDER = "compounds"
#: The stage's reason when the workflow has no compound or disease table (a target-list workflow: not a gap).
NOT_ASKED = "no [[compounds.targets]] or [[compounds.disease]] tables"
#: One row per kept compound → target pair (:data:`COMPOUND_TARGET_COLUMNS`), targets normalised.
COMPOUND_TARGETS = "compound_targets.tsv"
#: One row per disease gene per source (:data:`DISEASE_TARGET_COLUMNS`).
DISEASE_TARGETS = "disease_targets.tsv"
#: The common targets (:data:`INTERSECTION_COLUMNS`): compound targets ∩ the disease genes.
INTERSECTION = "intersection.tsv"
#: Every distinct name as written and what it became (:data:`SYMBOL_COLUMNS`): renames, unmatched, ambiguous.
SYMBOLS = "symbols.tsv"
#: Counts per source (:data:`COUNT_COLUMNS`), with the rule each file was read under and its sha256.
COUNTS = "counts.tsv"
#: One row per compound (:data:`COMPOUND_COLUMNS`): its targets, SMILES and server values where imported.
COMPOUNDS = "compounds.tsv"
#: The compound–target network's nodes: side, degree and tie-aware rank per side (Cytoscape's node table).
CT_NODES = "ct_nodes.tsv"
#: The compound–target network for Cytoscape (GraphML with node attributes side/degree/rank; SIF edges).
CT_GRAPHML = "compound_target.graphml"
CT_SIF = "compound_target.sif"
#: The compound–target network figure (``.png`` and ``.svg``; the stem).
CT_FIGURE = "compound_target"
#: Drug-likeness per compound: RDKit descriptors, Lipinski/Veber, server values labelled "(imported)".
DRUG_LIKENESS = "drug_likeness.tsv"
#: The compound–target–pathway step (after enrichment): its name, and its folder ``RUN_DIR/ct_pathway/``.
CTP_STAGE = "ct_pathway"
#: Its node table (side, degree, tie-aware rank per side, pathway links; term id and FDR for pathways).
CTP_NODES = "ctp_nodes.tsv"
#: The compound–target–pathway network for Cytoscape (node attribute ``side`` = compound / target / pathway).
CTP_GRAPHML = "ct_pathway.graphml"
CTP_SIF = "ct_pathway.sif"
#: Its figure (``.png`` and ``.svg``; the stem).
CTP_FIGURE = "ct_pathway"
#: The terms joined (:data:`CTP_TERM_COLUMNS`): id, name, FDR, member targets.
CTP_TERMS = "pathway_terms.tsv"
CTP_TERM_COLUMNS: tuple[str, ...] = ("rank", "term", "name", "fdr", "n_targets", "targets")
#: The step's reason when ``[compounds] pathway_terms = 0``.
CTP_OFF = "[compounds] pathway_terms = 0: no compound–target–pathway network asked for"
#: Venn diagram of the compound-target set and the disease sets (2–3 sets).
VENN = "venn.png"
#: UpSet plot when there are more than 3 sets.
UPSET = "upset.png"

COMPOUND = "compound"
TARGET = "target"
SOURCE = "source"
WRITTEN = "as_written"
LINE = "line"
DETAIL = "detail"
SCORE = "score"
SMILES = "smiles"
COMPOUND_TARGET_COLUMNS: tuple[str, ...] = (COMPOUND, TARGET, SOURCE, WRITTEN, LINE, DETAIL)
DISEASE_TARGET_COLUMNS: tuple[str, ...] = (TARGET, SOURCE, WRITTEN, LINE, SCORE)
INTERSECTION_COLUMNS: tuple[str, ...] = (TARGET, "compounds", "n_compounds", "compound_sources", "disease_sources")
SYMBOL_COLUMNS: tuple[str, ...] = (WRITTEN, "symbol", "status", "how", "candidates", "sources")
COUNT_COLUMNS: tuple[str, ...] = (SOURCE, "kind", "file", "format", "rule", "rows", "kept_rows", "names", "targets",
                                  "sha256")
COMPOUND_COLUMNS: tuple[str, ...] = (COMPOUND, "n_targets", "n_common", "sources", SMILES, "imported")

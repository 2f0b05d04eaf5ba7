"""Readers of compound → target and disease gene files: plain tables and one small module per server format.

:func:`read_target_table` and :func:`read_disease_table` dispatch on the table's ``format``; each returns the
rows it kept as written (normalisation is :mod:`netpharm.compounds.symbols`), the number read and kept, and
the rule it applied, in one sentence.
"""

from __future__ import annotations

from pathlib import Path

from netpharm.compounds.config import DiseaseTable, TargetTable
from netpharm.compounds.readers import (
    batman,
    ctd,
    disgenet,
    genecards,
    herb,
    omim,
    passtargets,
    pharmmapper,
    plain,
    ppb3,
    sea,
    superpred,
    swisstargetprediction,
    tcmsp,
)
from netpharm.compounds.readers.records import DiseaseRead, GeneRecord, TargetRead, TargetRecord, split_genes
from netpharm.compounds.readers.table import Sheet, read_sheet

__all__ = ["read_target_table", "read_disease_table", "TargetRead", "DiseaseRead", "TargetRecord", "GeneRecord",
           "split_genes", "Sheet", "read_sheet"]


def read_target_table(path: Path, spec: TargetTable, ingredients: Path | None = None) -> tuple[Sheet, TargetRead]:
    """The file's rows and the compound → target pairs it gives under its format's rule."""
    sheet = read_sheet(path, spec.sheet, "compound–target table")
    if spec.format == "swisstargetprediction":
        return sheet, swisstargetprediction.read_targets(sheet, spec)
    if spec.format == "tcmsp":
        values = tcmsp.read_ingredients(ingredients)[1] if ingredients is not None else None
        return sheet, tcmsp.read_targets(sheet, spec, values)
    readers = {"herb": herb.read_targets, "ctd": ctd.read_targets, "pharmmapper": pharmmapper.read_targets,
               "superpred": superpred.read_targets, "batman": batman.read_targets, "sea": sea.read_targets,
               "ppb3": ppb3.read_targets, "passtargets": passtargets.read_targets}
    return sheet, readers.get(spec.format, plain.read_targets)(sheet, spec)


def read_disease_table(path: Path, spec: DiseaseTable) -> tuple[Sheet, DiseaseRead]:
    """The file's rows and the disease genes it gives under its format's rule."""
    sheet = read_sheet(path, spec.sheet, "disease gene list")
    if spec.format == "genecards":
        return sheet, genecards.read_disease(sheet, spec)
    if spec.format == "disgenet":
        return sheet, disgenet.read_disease(sheet, spec)
    if spec.format == "omim":
        return sheet, omim.read_disease(sheet, spec)
    return sheet, plain.read_disease(sheet, spec)

"""The tiny stage's run-directory files."""

#: One row per target: ``name``, ``length``.
LENGTHS = "lengths.tsv"

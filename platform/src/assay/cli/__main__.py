"""``python -m assay.cli``: the same command as ``assay``."""

from assay.cli import app

app()

"""A reference changed the way a real solution departs from it: a copy with text replaced."""

import shutil
from pathlib import Path

Edits = dict[str, list[tuple[str, str]]]


def edited(source: Path, edits: Edits, into: Path) -> Path:
    """Copy ``source`` to ``into`` and make each replacement, every one of which must apply."""
    shutil.copytree(source, into, ignore=shutil.ignore_patterns("__pycache__"))
    for relative, replacements in edits.items():
        path = into / relative
        text = path.read_text(encoding="utf-8")
        for old, new in replacements:
            assert old in text, f"{relative}: {old!r}"
            text = text.replace(old, new)
        path.write_text(text, encoding="utf-8")
    return into

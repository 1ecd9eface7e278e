"""What a submission needs beyond the runtime image, installed offline from a wheelhouse.

The wheelhouse is the operator's: ``make bootstrap`` downloads it once from the package index
(``platform/docker/runtime/wheelhouse.txt`` and their dependencies, as wheels for the runtime's
Python). A pod never reaches an index. A submission's extra requirements that the wheelhouse
holds are installed into an image derived from the runtime image, tagged by the runtime image
and the requirements, so the next grading with the same needs starts at once; what the
wheelhouse lacks is named.
"""

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from packaging.utils import canonicalize_name

DERIVED = "assay-runtime-deps"
WHEEL_NAME = re.compile(r"^(?P<name>[^-]+)-")


@dataclass(frozen=True)
class Prepared:
    """The image a submission's processes run on, and what of its needs it holds."""

    image: str | None = None  # None: the runtime image as it is
    installed: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def wheels(wheelhouse: Path) -> dict[str, Path]:
    """The wheelhouse's wheels by the normalized name of their distribution."""
    if not wheelhouse.is_dir():
        return {}
    found: dict[str, Path] = {}
    for path in sorted(wheelhouse.glob("*.whl")):
        match = WHEEL_NAME.match(path.name)
        if match:
            found[canonicalize_name(match.group("name"))] = path
    return found


def split(wanted: dict[str, str], available: dict[str, Path]) -> tuple[dict[str, str], list[str]]:
    """What can be installed from the wheelhouse, and what it lacks."""
    installable = {name: line for name, line in wanted.items() if name in available}
    return installable, sorted(set(wanted) - set(installable))


def derived_tag(runtime_id: str, requirements: dict[str, str]) -> str:
    text = "\n".join([runtime_id, *sorted(requirements.values())])
    return f"{DERIVED}:{hashlib.sha256(text.encode()).hexdigest()[:16]}"

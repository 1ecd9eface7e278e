"""Distribution names as pip reads them, for comparing what a submission needs with an image."""

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name


def requirement_name(line: str) -> str | None:
    """The normalized name a requirements line asks for; None for options, URLs and junk."""
    text = line.split(" #", 1)[0].strip().removesuffix("\\").strip()
    if not text or text.startswith(("#", "-")):
        return None
    try:
        return canonicalize_name(Requirement(text).name)
    except InvalidRequirement:
        return None


def names(lines: list[str]) -> set[str]:
    return {name for line in lines if (name := requirement_name(line))}


def by_name(lines: list[str]) -> dict[str, str]:
    """Each requirement line by the normalized name it asks for (the last one wins)."""
    found = {}
    for line in lines:
        name = requirement_name(line)
        if name:
            found[name] = line.split(" #", 1)[0].strip().removesuffix("\\").strip()
    return found

"""Find problems on disk and load them, with everything the grader needs to reproduce a run."""

import hashlib
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from assay.catalog.schemas import ProblemSpec, RubricSpec
from assay.errors import InvalidProblem, ProblemNotFound

Spec = TypeVar("Spec", bound=BaseModel)


@dataclass(frozen=True)
class Problem:
    spec: ProblemSpec
    rubric: RubricSpec
    statement: Path
    starter: Path
    evaluation: Path
    reference: Path
    hidden_digest: str
    reference_digest: str

    @property
    def slug(self) -> str:
        return self.spec.slug


def _read_toml(path: Path, model: type[Spec]) -> Spec:
    try:
        return model.model_validate(tomllib.loads(path.read_text(encoding="utf-8")))
    except FileNotFoundError as error:
        raise InvalidProblem(f"{path} is missing") from error
    except (tomllib.TOMLDecodeError, ValidationError) as error:
        raise InvalidProblem(f"{path} is invalid: {error}") from error


def tree_digest(root: Path) -> str:
    """Hash a folder's relative paths and contents, so any change to it changes the digest."""
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        digest.update(str(path.relative_to(root)).encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def list_slugs(root: Path) -> list[str]:
    return sorted(path.parent.name for path in (root / "problems").glob("*/problem.toml"))


def load_problem(root: Path, slug: str) -> Problem:
    folder = root / "problems" / slug
    if not (folder / "problem.toml").is_file():
        known = ", ".join(list_slugs(root)) or "none"
        raise ProblemNotFound(f"no problem named {slug!r} (known: {known})")
    spec = _read_toml(folder / "problem.toml", ProblemSpec)
    if spec.slug != slug:
        raise InvalidProblem(f"{folder}/problem.toml says slug {spec.slug!r}")
    evaluation = root / "evaluation" / slug
    return Problem(
        spec=spec,
        rubric=_read_toml(evaluation / "rubric.toml", RubricSpec),
        statement=folder / "README.md",
        starter=root / "starter-code" / slug,
        evaluation=evaluation,
        reference=root / "examples" / slug,
        hidden_digest=tree_digest(evaluation),
        reference_digest=tree_digest(root / "examples" / slug),
    )

"""Find problems on disk and load them, with everything the grader needs to reproduce a run."""

import ast
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from assay import syntax, tree
from assay.catalog.schemas import MEASURED_SIGNALS, ProblemSpec, RubricSpec
from assay.errors import InvalidProblem, InvalidSubmission, ProblemNotFound

Spec = TypeVar("Spec", bound=BaseModel)
CALIBRATION = "calibration.json"
DEFAULT_CATEGORY = "functionality"


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
    hidden_categories: frozenset[str] = frozenset({DEFAULT_CATEGORY})

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
    """Digest a problem folder; the calibration record is about the folder, not part of it."""
    if not root.is_dir():
        return ""
    walked = tree.walk(root, tree.PROBLEM_LIMITS)
    walked.entries = [entry for entry in walked.entries if entry.relative.name != CALIBRATION]
    return walked.digest()


def _categories_in(source: str) -> set[str]:
    """The ``category=`` of every ``pytest.mark.assay(...)`` in a hidden test module."""
    found = set()
    for node in ast.walk(syntax.parse(source)):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "assay"
        ):
            for keyword in node.keywords:
                if keyword.arg == "category" and isinstance(keyword.value, ast.Constant):
                    found.add(str(keyword.value.value))
    return found


def hidden_categories(evaluation: Path) -> frozenset[str]:
    categories = {DEFAULT_CATEGORY}
    for path in sorted((evaluation / "tests").rglob("*.py")):
        try:
            categories |= _categories_in(path.read_text(encoding="utf-8"))
        except SyntaxError as error:
            raise InvalidProblem(f"{path} does not parse: {error}") from error
    return frozenset(categories)


def check_signals(rubric: RubricSpec, categories: frozenset[str], path: Path) -> None:
    """Refuse a rubric that reads a signal nothing measures: a typo must not score 0."""
    known = MEASURED_SIGNALS | {"hidden.all"} | {f"hidden.{name}" for name in categories}
    unknown = sorted(rubric.signal_names() - known)
    if unknown:
        raise InvalidProblem(
            f"{path} reads signals nothing measures: {', '.join(unknown)} "
            f"(hidden test categories: {', '.join(sorted(categories))})"
        )


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
    rubric = _read_toml(evaluation / "rubric.toml", RubricSpec)
    categories = hidden_categories(evaluation)
    check_signals(rubric, categories, evaluation / "rubric.toml")
    try:
        hidden, reference = tree_digest(evaluation), tree_digest(root / "examples" / slug)
    except InvalidSubmission as error:
        raise InvalidProblem(f"problem {slug}: {error.message}") from error
    return Problem(
        spec=spec,
        rubric=rubric,
        statement=folder / "README.md",
        starter=root / "starter-code" / slug,
        evaluation=evaluation,
        reference=root / "examples" / slug,
        hidden_digest=hidden,
        reference_digest=reference,
        hidden_categories=categories,
    )

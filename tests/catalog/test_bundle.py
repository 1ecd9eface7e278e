"""What a candidate receives holds the statement and the starter, and nothing hidden."""

import hashlib
from pathlib import Path

import pytest

from assay import tree
from assay.catalog import bundle
from assay.catalog.loader import list_slugs, load_problem

ROOT = Path(__file__).resolve().parents[2]


def _hashes(folder: Path) -> set[str]:
    if not folder.is_dir():
        return set()
    return {
        hashlib.sha256(entry.path.read_bytes()).hexdigest()
        for entry in tree.walk(folder, tree.PROBLEM_LIMITS).files
    }


@pytest.mark.parametrize("slug", list_slugs(ROOT))
def test_no_byte_of_a_hidden_test_or_the_reference_is_in_the_bundle(slug: str) -> None:
    problem = load_problem(ROOT, slug)
    hidden = _hashes(problem.evaluation)
    # files the reference shares with the starter by design (an empty __init__.py) are public
    reference_only = _hashes(problem.reference) - _hashes(problem.starter)

    given = {hashlib.sha256(data).hexdigest() for data in bundle.files(problem).values()}

    assert given.isdisjoint(hidden | reference_only)


def test_the_bundle_holds_the_statement_the_starter_and_how_to_submit() -> None:
    problem = load_problem(ROOT, "book-reviews")

    names = {str(path) for path in bundle.files(problem)}

    assert {"STATEMENT.md", "SUBMITTING.md", ".gitignore", "app/main.py"} <= names
    assert not any(name.startswith(("evaluation", "examples")) for name in names)


def test_the_statement_is_the_problems_own() -> None:
    problem = load_problem(ROOT, "book-reviews")

    assert bundle.files(problem)[Path("STATEMENT.md")] == problem.statement.read_bytes()


def test_exporting_writes_the_files_into_a_new_folder(tmp_path: Path) -> None:
    written = bundle.write(load_problem(ROOT, "task-api"), tmp_path / "task-api")

    assert (tmp_path / "task-api" / "SUBMITTING.md").is_file()
    assert len(written) == len(bundle.files(load_problem(ROOT, "task-api")))


def test_exporting_refuses_a_folder_that_holds_files(tmp_path: Path) -> None:
    (tmp_path / "keep.txt").write_text("mine")

    with pytest.raises(FileExistsError):
        bundle.write(load_problem(ROOT, "task-api"), tmp_path)

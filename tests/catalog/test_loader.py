from pathlib import Path

import pytest

from assay.catalog.loader import load_problem, tree_digest
from assay.errors import InvalidProblem, ProblemNotFound

PROBLEM = """
slug = "{slug}"
title = "Tiny API"
version = "1.0.0"
difficulty = "junior"
time_box = "1 hour"
stack = ["python", "fastapi"]
"""
RUBRIC = """
version = "1"

[[criteria]]
id = "functionality"
title = "Functionality"
weight = 100
signals = [{ signal = "hidden.all", worst = 0.0, best = 1.0 }]
"""


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def make_problem(root: Path, slug: str = "tiny", *, problem: str = PROBLEM, rubric: str = RUBRIC):
    """Write the smallest problem the catalog accepts; the texts can be overridden."""
    write(root / "problems" / slug / "problem.toml", problem.format(slug=slug))
    write(root / "evaluation" / slug / "rubric.toml", rubric)
    write(root / "evaluation" / slug / "tests" / "test_api.py", "def test_ok(): ...\n")


def test_a_problem_is_loaded_with_its_defaults(tmp_path):
    make_problem(tmp_path)

    problem = load_problem(tmp_path, "tiny")

    assert problem.slug == "tiny"
    assert problem.spec.app.entrypoint == "app.main:app"
    assert problem.spec.services == []
    assert [criterion.id for criterion in problem.rubric.criteria] == ["functionality"]


def test_a_problem_knows_where_its_folders_are(tmp_path):
    make_problem(tmp_path)

    problem = load_problem(tmp_path, "tiny")

    assert problem.statement == tmp_path / "problems" / "tiny" / "README.md"
    assert problem.starter == tmp_path / "starter-code" / "tiny"
    assert problem.evaluation == tmp_path / "evaluation" / "tiny"
    assert problem.reference == tmp_path / "examples" / "tiny"


def test_the_hidden_digest_covers_the_evaluation_folder(tmp_path):
    make_problem(tmp_path)

    problem = load_problem(tmp_path, "tiny")

    assert problem.hidden_digest == tree_digest(tmp_path / "evaluation" / "tiny")


def test_the_reference_digest_is_taken_when_the_problem_is_loaded(tmp_path):
    make_problem(tmp_path)
    reference = tmp_path / "examples" / "tiny"
    reference.mkdir(parents=True)
    (reference / "main.py").write_text("app = None\n")

    problem = load_problem(tmp_path, "tiny")
    (reference / "main.py").write_text("app = 1\n")

    assert problem.reference_digest != tree_digest(reference)


def test_an_unknown_slug_names_the_known_ones(tmp_path):
    make_problem(tmp_path, "tiny")
    make_problem(tmp_path, "book-reviews")

    with pytest.raises(ProblemNotFound, match=r"'nope' \(known: book-reviews, tiny\)"):
        load_problem(tmp_path, "nope")


def test_an_unknown_slug_in_an_empty_catalog_says_none_are_known(tmp_path):
    with pytest.raises(ProblemNotFound, match=r"known: none"):
        load_problem(tmp_path, "tiny")


def test_invalid_toml_is_an_invalid_problem_naming_the_file(tmp_path):
    make_problem(tmp_path, problem='slug = "tiny"\ntitle = \n')

    with pytest.raises(InvalidProblem) as raised:
        load_problem(tmp_path, "tiny")

    assert str(tmp_path / "problems" / "tiny" / "problem.toml") in raised.value.message


def test_a_schema_error_is_an_invalid_problem_naming_the_file(tmp_path):
    make_problem(tmp_path, problem=PROBLEM.replace('"junior"', '"wizard"'))

    with pytest.raises(InvalidProblem) as raised:
        load_problem(tmp_path, "tiny")

    assert str(tmp_path / "problems" / "tiny" / "problem.toml") in raised.value.message
    assert "difficulty" in raised.value.message


def test_an_unknown_key_is_a_schema_error(tmp_path):
    make_problem(tmp_path, problem=PROBLEM + "timebox = '2 hours'\n")

    with pytest.raises(InvalidProblem, match="timebox"):
        load_problem(tmp_path, "tiny")


def test_an_invalid_rubric_is_an_invalid_problem_naming_the_rubric(tmp_path):
    make_problem(tmp_path, rubric=RUBRIC.replace("best = 1.0", "best = 0.0"))

    with pytest.raises(InvalidProblem) as raised:
        load_problem(tmp_path, "tiny")

    assert str(tmp_path / "evaluation" / "tiny" / "rubric.toml") in raised.value.message
    assert "worst and best must differ" in raised.value.message


def test_a_missing_rubric_is_an_invalid_problem(tmp_path):
    make_problem(tmp_path)
    (tmp_path / "evaluation" / "tiny" / "rubric.toml").unlink()

    with pytest.raises(InvalidProblem, match=r"rubric\.toml is missing"):
        load_problem(tmp_path, "tiny")


def test_a_problem_whose_slug_differs_from_its_folder_is_invalid(tmp_path):
    make_problem(tmp_path, problem=PROBLEM.replace("{slug}", "other"))

    with pytest.raises(InvalidProblem, match="says slug 'other'"):
        load_problem(tmp_path, "tiny")


def test_the_digest_changes_when_a_file_changes(tmp_path):
    hidden = write(tmp_path / "tests" / "test_api.py", "def test_ok(): ...\n")
    before = tree_digest(tmp_path)

    hidden.write_text("def test_ok(): assert False\n", encoding="utf-8")

    assert tree_digest(tmp_path) != before


def test_the_digest_changes_when_a_file_is_renamed(tmp_path):
    hidden = write(tmp_path / "tests" / "test_api.py", "def test_ok(): ...\n")
    before = tree_digest(tmp_path)

    hidden.rename(tmp_path / "tests" / "test_books.py")

    assert tree_digest(tmp_path) != before


def test_the_digest_is_stable_and_ignores_bytecode_caches(tmp_path):
    write(tmp_path / "tests" / "test_api.py", "def test_ok(): ...\n")
    before = tree_digest(tmp_path)

    write(tmp_path / "tests" / "__pycache__" / "test_api.cpython-311.pyc", "\0bytecode")

    assert tree_digest(tmp_path) == before


# check_signals and hidden categories

CATEGORIZED = """
import pytest


@pytest.mark.assay(category="security", weight=2)
def test_tokens_expire(): ...


@pytest.mark.degraded
@pytest.mark.assay(category="resilience")
def test_without_redis(): ...
"""


def rubric_reading(signal: str, *, gate: str | None = None) -> str:
    gated = f'gate = "{gate}"\n' if gate else ""
    return (
        'version = "1"\n\n[[criteria]]\nid = "c"\ntitle = "C"\nweight = 100\n'
        f'{gated}signals = [{{ signal = "{signal}", worst = 0.0, best = 1.0 }}]\n'
    )


def categorized_problem(root, rubric):
    make_problem(root, rubric=rubric)
    write(root / "evaluation" / "tiny" / "tests" / "test_security.py", CATEGORIZED)


def test_a_rubric_may_read_a_category_its_hidden_tests_mark(tmp_path):
    categorized_problem(tmp_path, rubric_reading("hidden.security"))

    problem = load_problem(tmp_path, "tiny")

    assert problem.hidden_categories == {"functionality", "security", "resilience"}


def test_a_typo_in_a_rubric_signal_is_an_invalid_problem_naming_it(tmp_path):
    make_problem(tmp_path, rubric=rubric_reading("static.lint_per_kloc_"))

    with pytest.raises(
        InvalidProblem, match=r"reads signals nothing measures: static\.lint_per_kloc_"
    ):
        load_problem(tmp_path, "tiny")


def test_a_category_no_hidden_test_marks_is_invalid_naming_the_known_ones(tmp_path):
    categorized_problem(tmp_path, rubric_reading("hidden.securty"))

    with pytest.raises(InvalidProblem) as raised:
        load_problem(tmp_path, "tiny")

    assert "hidden.securty" in raised.value.message
    assert "hidden test categories: functionality, resilience, security" in raised.value.message


def test_a_typo_in_a_gate_is_an_invalid_problem(tmp_path):
    make_problem(tmp_path, rubric=rubric_reading("hidden.all", gate="hidden.al"))

    with pytest.raises(InvalidProblem, match=r"hidden\.al "):
        load_problem(tmp_path, "tiny")


def test_hidden_all_and_functionality_are_always_known(tmp_path):
    make_problem(tmp_path, rubric=rubric_reading("hidden.functionality", gate="hidden.all"))

    assert load_problem(tmp_path, "tiny").hidden_categories == {"functionality"}


def test_a_hidden_test_module_that_does_not_parse_is_an_invalid_problem(tmp_path):
    make_problem(tmp_path)
    write(tmp_path / "evaluation" / "tiny" / "tests" / "test_broken.py", "def test(:\n")

    with pytest.raises(InvalidProblem, match=r"test_broken\.py does not parse"):
        load_problem(tmp_path, "tiny")

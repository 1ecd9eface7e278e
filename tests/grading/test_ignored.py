"""What a submission ships that the grader never reads is named, with why it changes nothing."""

from pathlib import Path

import pytest

from assay.grading.ignored import (
    NEVER_ON_PATH,
    NOT_IMPORTED,
    OWN_TESTS_ONLY,
    ignored,
)
from assay.tree import walk


def notes(tmp_path: Path, files: dict[str, str]) -> list[str]:
    for relative, text in files.items():
        path = tmp_path / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return ignored(walk(tmp_path))


@pytest.mark.parametrize(
    "relative", ["assay_pytest.py", "pytest.py", "_pytest/__init__.py", "coverage/__init__.py"]
)
def test_a_top_level_module_named_like_one_the_grader_imports_is_named(tmp_path, relative):
    top = relative.split("/")[0]

    assert f"{top}: {NOT_IMPORTED}" in notes(tmp_path, {relative: ""})


def test_a_module_named_like_a_grader_module_deeper_down_is_not_named(tmp_path):
    assert notes(tmp_path, {"app/pytest.py": ""}) == []


def test_a_conftest_anywhere_runs_only_with_the_candidates_own_tests(tmp_path):
    assert notes(tmp_path, {"tests/api/conftest.py": ""}) == [
        f"tests/api/conftest.py: {OWN_TESTS_ONLY}"
    ]


@pytest.mark.parametrize(
    "relative", ["evil.pth", "lib/evil.pth", "left_pad-1.0.dist-info/METADATA"]
)
def test_path_hooks_and_installed_metadata_are_never_on_the_path(tmp_path, relative):
    shipped = relative.split("/METADATA")[0]

    assert f"{shipped}: {NEVER_ON_PATH}" in notes(tmp_path, {relative: ""})


@pytest.mark.parametrize(
    ("name", "tool"),
    [
        ("ruff.toml", "ruff"),
        (".ruff.toml", "ruff"),
        ("pytest.ini", "pytest"),
        (".coveragerc", "coverage"),
        ("tox.ini", "pytest or coverage"),
        (".gitignore", "ruff"),
        (".ignore", "ruff"),
        (".importlinter", "import-linter"),
    ],
)
def test_a_tools_config_file_is_not_read(tmp_path, name, tool):
    assert notes(tmp_path, {name: ""}) == [
        f"{name}: not read: the grader runs {tool} with its own configuration"
    ]


def test_pyproject_settings_for_the_graders_tools_are_not_used(tmp_path):
    text = "[tool.ruff]\nline-length = 200\n[tool.pytest.ini_options]\n[tool.coverage.run]\n"

    assert notes(tmp_path, {"pyproject.toml": text}) == [
        "pyproject.toml: its settings for pytest and coverage and ruff are not used: "
        "the grader runs them with its own configuration"
    ]


def test_a_pyproject_without_tool_settings_the_grader_uses_is_not_named(tmp_path):
    text = '[project]\nname = "shop"\n[tool.black]\nline-length = 100\n'

    assert notes(tmp_path, {"pyproject.toml": text}) == []


@pytest.mark.parametrize("text", ["[tool\n", "tool = 1\n", 'tool = ["ruff"]\n'])
def test_a_pyproject_of_the_wrong_shape_is_not_named(tmp_path, text):
    assert notes(tmp_path, {"pyproject.toml": text}) == []


def test_setup_cfg_sections_for_the_graders_tools_are_not_used(tmp_path):
    text = "[metadata]\nname = shop\n[tool:pytest]\naddopts = -x\n[coverage:run]\nbranch = 0\n"

    assert notes(tmp_path, {"setup.cfg": text}) == [
        "setup.cfg: its settings for pytest and coverage are not used: "
        "the grader runs them with its own configuration"
    ]


def test_an_unreadable_setup_cfg_is_not_named(tmp_path):
    assert notes(tmp_path, {"setup.cfg": "no section header\n"}) == []


def test_config_files_in_a_subfolder_are_named_too(tmp_path):
    assert notes(tmp_path, {"app/ruff.toml": ""}) == [
        "app/ruff.toml: not read: the grader runs ruff with its own configuration"
    ]


def test_an_ordinary_submission_has_nothing_ignored(tmp_path):
    files = {"app/main.py": "", "tests/test_api.py": "", "README.md": "", "requirements.txt": ""}

    assert notes(tmp_path, files) == []

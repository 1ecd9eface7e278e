"""static_report.py runs inside the sandbox as a script, so it is loaded from its path."""

import ast
import importlib.util
import os
import sys
from pathlib import Path

import pytest

import assay

SCRIPT = Path(assay.__file__).parent / "toolkit" / "static_report.py"
spec = importlib.util.spec_from_file_location("assay_toolkit_static_report", SCRIPT)
assert spec is not None
assert spec.loader is not None
static_report = importlib.util.module_from_spec(spec)
# dataclasses look their module up in sys.modules while the module runs
sys.modules[spec.name] = static_report
spec.loader.exec_module(static_report)


def function(source: str) -> ast.FunctionDef | ast.AsyncFunctionDef:
    """The first function defined in ``source``."""
    node = ast.parse(source).body[0]
    assert isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
    return node


def complexity(source: str) -> int:
    return static_report.cyclomatic(function(source))


# cyclomatic


def test_a_straight_function_has_complexity_one():
    assert complexity("def f(x):\n    y = x + 1\n    return y\n") == 1


def test_each_branch_and_loop_adds_one():
    source = """
def f(items):
    for item in items:
        if item:
            continue
        elif item is None:
            break
    while items:
        items.pop()
    return 1 if items else 0
"""
    assert complexity(source) == 6


def test_each_except_clause_adds_one_and_try_itself_does_not():
    source = """
def f():
    try:
        return 1
    except ValueError:
        return 2
    except KeyError:
        return 3
    finally:
        pass
"""
    assert complexity(source) == 3


def test_a_boolean_chain_adds_one_per_extra_operand():
    assert complexity("def f(a, b, c):\n    return a and b and c or a\n") == 4


def test_a_comprehension_adds_one_and_one_per_filter():
    assert complexity("def f(xs):\n    return [x for x in xs if x if x > 1]\n") == 4


def test_each_match_case_adds_one():
    source = """
def f(command):
    match command:
        case "go":
            return 1
        case "stop":
            return 2
        case _:
            return 0
"""
    assert complexity(source) == 4


def test_async_loops_count():
    assert complexity("async def f(xs):\n    async for x in xs:\n        pass\n") == 2


def test_decisions_inside_a_nested_function_do_not_count_toward_the_outer_one():
    source = """
def outer(x):
    def inner(y):
        if y:
            return 1
        return 0
    return inner(x)
"""
    assert complexity(source) == 1


# annotation_slots


def test_every_parameter_and_the_return_is_a_slot():
    node = function("def f(a: int, b, *args: str, c, **kwargs) -> bool: ...")

    assert static_report.annotation_slots(node) == (6, 3)


def test_positional_only_and_keyword_only_parameters_are_slots():
    node = function("def f(a: int, /, b: int, *, c: int) -> None: ...")

    assert static_report.annotation_slots(node) == (4, 4)


def test_self_and_cls_are_not_slots():
    node = function("def method(self, name: str): ...")

    assert static_report.annotation_slots(node) == (2, 1)


def test_init_needs_no_return_annotation():
    node = function("def __init__(self, name: str): ...")

    assert static_report.annotation_slots(node) == (2, 2)


def test_a_function_without_parameters_has_only_its_return_slot():
    assert static_report.annotation_slots(function("def f(): ...")) == (1, 0)


# is_product


@pytest.mark.parametrize(
    "relative",
    ["app/main.py", "main.py", "src/shop/routes.py", "app/testing_utils.py"],
)
def test_application_code_is_product(tmp_path, relative):
    assert static_report.is_product(tmp_path / relative, tmp_path)


@pytest.mark.parametrize(
    "relative",
    [
        "tests/helpers.py",
        "app/tests/factories.py",
        "test/api.py",
        "app/test_main.py",
        "conftest.py",
        "migrations/env.py",
        "alembic/versions/0001_init.py",
    ],
)
def test_tests_and_migrations_are_not_product(tmp_path, relative):
    assert not static_report.is_product(tmp_path / relative, tmp_path)


# code_lines


def test_code_lines_leave_out_blank_lines_and_comments():
    text = "# a comment\nimport os\n\n   \n    # indented comment\nx = 1  # trailing\n"

    assert static_report.code_lines(text) == 2


def test_docstrings_are_code_lines():
    assert static_report.code_lines('"""Module."""\n\ndef f():\n    """Doc."""\n') == 3


def test_an_empty_file_has_no_code_lines():
    assert static_report.code_lines("") == 0


def test_ruff_findings_and_files_to_reformat_are_listed(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", f"{Path(sys.executable).parent}:{os.environ['PATH']}")
    (tmp_path / "module.py").write_text('"""Doc."""\n\nimport os\nx = {  "a":1}\n')
    config = SCRIPT.parent / "lint.toml"
    measured = static_report.measure(tmp_path, config)
    assert measured["unformatted"] == ["module.py"]
    assert "F401" in {finding["code"] for finding in measured["findings"]}


# noqa: a named exception on its line is honoured; a blanket one is not, and is listed


def measured(tmp_path, monkeypatch, files: dict[str, str]) -> dict:
    monkeypatch.setenv("PATH", f"{Path(sys.executable).parent}:{os.environ['PATH']}")
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    return static_report.measure(tmp_path, SCRIPT.parent / "lint.toml")


def codes(report: dict) -> list[str]:
    return [finding["code"] for finding in report["findings"]]


def test_a_noqa_naming_the_code_on_its_line_excuses_that_finding(tmp_path, monkeypatch):
    report = measured(tmp_path, monkeypatch, {"m.py": '"""Doc."""\n\nimport os  # noqa: F401\n'})

    assert "F401" not in codes(report)
    assert report["excused_by_noqa"] == 1
    assert report["blanket_noqa"] == []


def test_a_noqa_naming_another_code_excuses_nothing(tmp_path, monkeypatch):
    report = measured(tmp_path, monkeypatch, {"m.py": '"""Doc."""\n\nimport os  # noqa: E501\n'})

    assert "F401" in codes(report)
    assert report["excused_by_noqa"] == 0


def test_a_bare_noqa_excuses_nothing_and_lists_the_file(tmp_path, monkeypatch):
    report = measured(tmp_path, monkeypatch, {"m.py": '"""Doc."""\n\nimport os  # noqa\n'})

    assert "F401" in codes(report)
    assert report["blanket_noqa"] == ["m.py"]


def test_a_file_wide_ruff_noqa_excuses_nothing_and_lists_the_file(tmp_path, monkeypatch):
    report = measured(tmp_path, monkeypatch, {"m.py": '# ruff: noqa\n"""Doc."""\n\nimport os\n'})

    assert "F401" in codes(report)
    assert report["blanket_noqa"] == ["m.py"]


@pytest.mark.parametrize(
    ("line", "allowed"),
    [
        ("import os  # noqa: F401", {"F401"}),
        ("x = 1  # NOQA:e501,F401", {"E501", "F401"}),
        ("x = 1  # noqa: S105 S106", {"S105", "S106"}),
        ("x = 1  # noqa", set()),
        ("x = 1", set()),
    ],
)
def test_the_codes_a_noqa_comment_names(line, allowed):
    assert static_report.allowed_codes(line) == allowed


@pytest.mark.parametrize(
    ("text", "blanket"),
    [
        ("import os  # noqa\n", True),
        ("# ruff: noqa\n", True),
        ("# flake8: noqa\n", True),
        ("import os  # noqa: F401\n", False),
        ("x = '# noqa: F401'\n", False),
        ("x = 1\n", False),
    ],
)
def test_which_comments_are_blanket_noqa(text, blanket):
    assert static_report.blanket_noqa(text) is blanket


# sources that do not parse


@pytest.mark.parametrize(
    "text",
    [
        "x = " + "-" * 100_000 + "1\n",
        "x = a" + " + a" * 200_000 + "\n",
        "x = 1\0\n",
        "[" * 300 + "]" * 300 + "\n",
        "def broken(:\n",
    ],
)
def test_a_module_that_does_not_parse_is_a_syntax_error_not_a_crash(text):
    assert isinstance(static_report.parse(text, "app/deep.py"), str)


def test_deeply_nested_and_nul_sources_are_listed_as_syntax_errors(tmp_path, monkeypatch):
    files = {"nul.py": "x = 1\0\n", "ok.py": '"""Doc."""\n'}

    report = measured(tmp_path, monkeypatch, files)

    assert [error.split(":")[0] for error in report["syntax_errors"]] == ["nul.py"]


def test_ruff_crashing_on_a_source_is_a_failure_of_the_tool_not_zero_findings(
    tmp_path, monkeypatch
):
    # ruff overflows its stack on this file: its findings on the others must not vanish
    files = {"deep.py": "x = " + "-" * 100_000 + "1\n", "m.py": '"""Doc."""\n\nimport os\n'}

    with pytest.raises(SystemExit, match="ruff check failed"):
        measured(tmp_path, monkeypatch, files)

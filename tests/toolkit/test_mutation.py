"""mutation.py, mutants of a candidate's code against their own tests, run as the pod runs it."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.toolkit.projects import ADDER, TOOLKIT, watched

ASSERTS_NOTHING = "from calc import add\n\n\ndef test_adds():\n    add(1, 2)\n"
PINS_ANSWERS = (
    "from calc import add\n\n\n"
    "def test_adds():\n    assert add(1, 2) == 3\n\n\n"
    "def test_a_negative_first_gives_the_second():\n    assert add(-1, 5) == 5\n"
)


def mutated(scratch: Path, *, count: int = 50, seconds: int = 60, seed: int = 7) -> dict:
    """Run mutation.py in the project ``watched`` left beside ``scratch``; return its results."""
    argv = [sys.executable, "-I", str(TOOLKIT / "mutation.py"), str(TOOLKIT), str(scratch)]
    done = subprocess.run(
        [*argv, str(seed), str(count), str(seconds)],
        cwd=scratch.parent / "project",
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return json.loads((scratch / "mutation.json").read_text(encoding="utf-8"))


def own_tests(tmp_path: Path, text: str, **files: str) -> Path:
    scratch = watched(tmp_path, {"test_calc.py": text}, collect_s=30, stall_s=30)
    for name, content in files.items():
        (tmp_path / "project" / name).write_text(content, encoding="utf-8")
    return scratch


@pytest.fixture(scope="module")
def pinned(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    """A project whose tests pin the answers, and every mutant of the lines they ran."""
    scratch = own_tests(tmp_path_factory.mktemp("pinned"), PINS_ANSWERS)
    return scratch, mutated(scratch)


@pytest.fixture(scope="module")
def unchecked(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """Every mutant of a project whose one test calls the code and asserts nothing."""
    return mutated(own_tests(tmp_path_factory.mktemp("unchecked"), ASSERTS_NOTHING))


def test_tests_that_assert_nothing_kill_no_mutant(unchecked):
    assert unchecked["mutants"]
    assert {mutant["outcome"] for mutant in unchecked["mutants"]} == {"passed"}


def test_mutants_are_drawn_only_from_the_lines_the_tests_ran(unchecked):
    assert {mutant["line"] for mutant in unchecked["mutants"]} == {2, 4}


def test_tests_that_pin_the_answers_kill_the_mutants_that_change_them(pinned):
    _, results = pinned

    outcomes = {m["mutated"]: m["outcome"] for m in results["mutants"]}
    assert outcomes["return a - b"] == "failed: tests/test_calc.py::test_adds"
    assert outcomes["if a <= 0:"] == "passed"  # the same answer at 0: tests cannot tell


def test_each_mutant_names_its_file_line_and_change(pinned):
    _, results = pinned

    assert {
        "file": "calc.py",
        "line": 4,
        "original": "return a + b",
        "mutated": "return a - b",
        "outcome": "failed: tests/test_calc.py::test_adds",
    } in results["mutants"]


def test_the_mutated_file_is_put_back(pinned):
    scratch, _ = pinned

    assert (scratch.parent / "project" / "calc.py").read_text(encoding="utf-8") == ADDER


def test_no_more_than_count_mutants_are_drawn(pinned):
    scratch, everything = pinned

    drawn = mutated(scratch, count=1, seed=3)

    assert len(drawn["mutants"]) == 1 < drawn["candidates"] == everything["candidates"]
    assert drawn["mutants"][0] in everything["mutants"]


def test_tests_that_fail_when_run_a_second_time_face_no_mutant(tmp_path):
    once = (
        "from pathlib import Path\n\n\ndef test_once():\n"
        "    marker = Path('ran-before')\n    assert not marker.exists()\n    marker.touch()\n"
    )

    results = mutated(own_tests(tmp_path, once))

    assert results["mutants"] == []
    assert results["skipped"].startswith("the unchanged tests did not pass a second run")


def test_a_mutmut_config_the_submission_ships_is_never_imported(tmp_path):
    hook = "from pathlib import Path\n\nPath(__file__).with_name('imported').touch()\n"

    mutated(own_tests(tmp_path, PINS_ANSWERS, **{"mutmut_config.py": hook}), count=1)

    assert not (tmp_path / "project" / "imported").exists()


def test_a_file_outside_the_submission_is_never_mutated(tmp_path):
    scratch = own_tests(tmp_path, PINS_ANSWERS)
    outside = tmp_path / "outside.py"
    outside.write_text(ADDER, encoding="utf-8")
    report = json.loads((scratch / "coverage.json").read_text(encoding="utf-8"))
    report["files"]["../outside.py"] = {"executed_lines": [1, 2, 3, 4]}
    (scratch / "coverage.json").write_text(json.dumps(report), encoding="utf-8")

    results = mutated(scratch)

    assert {mutant["file"] for mutant in results["mutants"]} == {"calc.py"}
    assert outside.read_text(encoding="utf-8") == ADDER

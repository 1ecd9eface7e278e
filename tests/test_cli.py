"""The ``assay`` command as a CI job uses it: exit codes, JSON and JUnit files."""

import json
import shutil
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from typer.testing import CliRunner

from assay.cli import app
from assay.cli.output import EXIT_BELOW_MIN, EXIT_INVALID

runner = CliRunner()


def test_unknown_problem_is_bad_input_naming_the_known_ones(tmp_path: Path) -> None:
    result = runner.invoke(app, ["grade", str(tmp_path), "--problem", "no-such-problem"])
    assert result.exit_code == EXIT_INVALID
    assert "book-reviews" in result.output


@pytest.mark.parametrize(
    ("pair", "reason"),
    [("DATABASE_URL", "--env option 1 is not NAME=value"), ("ASSAY_SEED=1", "cannot be pinned")],
    ids=["no equals sign", "grader's name"],
)
def test_an_env_override_that_cannot_be_given_is_bad_input(
    tmp_path: Path, pair: str, reason: str
) -> None:
    result = runner.invoke(app, ["grade", str(tmp_path), "-p", "book-reviews", "--env", pair])
    assert result.exit_code == EXIT_INVALID
    assert reason in result.output


@pytest.mark.docker
def test_missing_folder_is_bad_input(tmp_path: Path) -> None:
    result = runner.invoke(app, ["grade", str(tmp_path / "absent"), "--problem", "book-reviews"])
    assert result.exit_code == EXIT_INVALID
    assert "not a directory" in result.output


@pytest.mark.docker
def test_grade_under_min_score_writes_reports_and_exits_1(tmp_path: Path) -> None:
    starter = Path(__file__).resolve().parents[1] / "starter-code" / "book-reviews"
    submission = tmp_path / "submission"
    shutil.copytree(starter, submission, ignore=shutil.ignore_patterns("__pycache__"))
    (submission / "app" / "main.py").write_text("def broken(:\n", encoding="utf-8")
    report, junit = tmp_path / "report.json", tmp_path / "junit.xml"
    result = runner.invoke(
        app,
        [
            "grade",
            str(submission),
            "-p",
            "book-reviews",
            "--min-score",
            "50",
            "--json",
            str(report),
            "--junit",
            str(junit),
        ],
    )
    assert result.exit_code == EXIT_BELOW_MIN, result.output
    document = json.loads(report.read_text())
    assert document["schema_version"] == 1
    assert document["outcome"] == "graded"
    score_case = ET.parse(junit).getroot().find("testsuite[@name='score']/testcase")
    assert score_case is not None and score_case.find("failure") is not None

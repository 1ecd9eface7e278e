"""Every command's exit status, as a CI job reads it: 0 done, 1 under the bar, 2 bad input,
3 the platform failed. Gradings run in a fake sandbox; Docker is pointed at nothing."""

import json
from collections.abc import Iterator
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from typer.testing import CliRunner

from assay.cli import app, output
from assay.cli.output import EXIT_BELOW_MIN, EXIT_INVALID, EXIT_PLATFORM
from assay.config import get_settings
from assay.sandbox.images import RuntimeImage
from tests.builders import APP, SLUG, TESTS, submission, write, write_problem
from tests.fakes import FakeSandbox, failed, grading, hidden_suite

runner = CliRunner()
# Nothing listens on port 1 of loopback: the engine is refused at once. (A unix socket that does
# not exist would do as well, but docker-py leaks that socket, and warnings are errors here.)
NOWHERE = "tcp://127.0.0.1:1"
ALL_FAIL = {"test_create": "failed", "test_list": "failed", "test_without_redis": "failed"}


@pytest.fixture
def catalog(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A repository of one problem, ``tiny``, that the commands read through the settings."""
    root = write_problem(tmp_path / "root")
    write(root / "platform" / "docker" / "runtime" / "Dockerfile", "FROM base\n")
    write(root / "platform" / "docker" / "runtime" / "requirements.lock", "fastapi==1.0\n")
    monkeypatch.setenv("ASSAY_ROOT", str(root))
    monkeypatch.setenv("ASSAY_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("COLUMNS", "200")
    get_settings.cache_clear()
    yield root
    get_settings.cache_clear()


@pytest.fixture
def no_docker(monkeypatch: pytest.MonkeyPatch) -> None:
    """The Docker client looks for its engine where there is none."""
    monkeypatch.setenv("DOCKER_HOST", NOWHERE)


def sandboxed(monkeypatch: pytest.MonkeyPatch, sandbox: FakeSandbox) -> FakeSandbox:
    """Every command that opens a sandbox gets ``sandbox`` instead."""
    for module in ("assay.cli.grading", "assay.cli.problems"):
        monkeypatch.setattr(f"{module}.open_sandbox", lambda settings, kind, say: sandbox)
    return sandbox


@pytest.fixture(autouse=True)
def wide_consoles(monkeypatch: pytest.MonkeyPatch) -> None:
    """Consoles wide enough that no temporary path or message is wrapped in the output."""
    for console in (output.console, output.err):
        monkeypatch.setattr(console, "width", 1000)


def invoke(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


# grade


def test_grade_of_a_submission_over_the_bar_exits_0_and_writes_its_reports(
    catalog, tmp_path, monkeypatch
):
    sandboxed(monkeypatch, FakeSandbox(grading(TESTS)))
    report, junit = tmp_path / "report.json", tmp_path / "junit.xml"
    folder = str(submission(tmp_path))

    code, output = invoke(
        "grade",
        folder,
        "-p",
        SLUG,
        "--min-score",
        "100",
        "--json",
        str(report),
        "--junit",
        str(junit),
    )

    assert code == 0, output
    assert "Score: 100 / 100" in output
    assert json.loads(report.read_text())["total"] == 100.0
    assert ET.parse(junit).getroot().find("testsuite[@name='score']/testcase/failure") is None


def test_grade_under_the_min_score_exits_1(catalog, tmp_path, monkeypatch):
    sandboxed(monkeypatch, FakeSandbox(grading(TESTS, hidden=hidden_suite(TESTS, ALL_FAIL))))

    code, output = invoke("grade", str(submission(tmp_path)), "-p", SLUG, "--min-score", "50")

    assert code == EXIT_BELOW_MIN
    assert "total 0 is under --min-score 50" in output


def test_grade_without_a_min_score_exits_0_whatever_the_score(catalog, tmp_path, monkeypatch):
    sandboxed(monkeypatch, FakeSandbox(grading(TESTS, hidden=hidden_suite(TESTS, ALL_FAIL))))

    assert invoke("grade", str(submission(tmp_path)), "-p", SLUG)[0] == 0


def test_grade_of_a_missing_folder_exits_2(catalog, tmp_path, monkeypatch):
    sandboxed(monkeypatch, FakeSandbox(grading(TESTS)))

    code, output = invoke("grade", str(tmp_path / "absent"), "-p", SLUG)

    assert code == EXIT_INVALID
    assert "is not a directory" in output


def test_grade_of_a_folder_named_like_markup_exits_2_naming_it(catalog, tmp_path, monkeypatch):
    sandboxed(monkeypatch, FakeSandbox(grading(TESTS)))

    code, output = invoke("grade", str(tmp_path / "alice[/]bob"), "-p", SLUG)

    assert code == EXIT_INVALID
    assert "alice[/]bob is not a directory" in output


def test_grade_against_an_unknown_problem_exits_2(catalog, tmp_path, monkeypatch):
    sandboxed(monkeypatch, FakeSandbox(grading(TESTS)))

    code, output = invoke("grade", str(submission(tmp_path)), "-p", "nope")

    assert code == EXIT_INVALID
    assert "no problem named 'nope' (known: tiny)" in output


def test_grade_against_an_invalid_problem_exits_2(catalog, tmp_path, monkeypatch):
    sandboxed(monkeypatch, FakeSandbox(grading(TESTS)))
    write(catalog / "evaluation" / SLUG / "rubric.toml", 'version = "1"\ncriteria = 3\n')

    assert invoke("grade", str(submission(tmp_path)), "-p", SLUG)[0] == EXIT_INVALID


def test_grade_without_a_docker_engine_exits_3(catalog, tmp_path, no_docker):
    code, output = invoke("grade", str(submission(tmp_path)), "-p", SLUG, "--sandbox", "docker")

    assert code == EXIT_PLATFORM
    assert "the Docker engine is not reachable" in output


def test_grade_whose_platform_failed_exits_3_and_still_writes_the_report(
    catalog, tmp_path, monkeypatch
):
    sandboxed(monkeypatch, FakeSandbox(grading(TESTS, static_report=lambda command: failed(1))))
    report = tmp_path / "report.json"

    code, output = invoke(
        "grade", str(submission(tmp_path)), "-p", SLUG, "--min-score", "0", "--json", str(report)
    )

    assert code == EXIT_PLATFORM
    assert "Not graded: the platform failed." in output
    assert json.loads(report.read_text())["outcome"] == "error"


def test_grade_passes_the_seed_to_the_run(catalog, tmp_path, monkeypatch):
    sandbox = sandboxed(monkeypatch, FakeSandbox(grading(TESTS)))
    report = tmp_path / "report.json"

    invoke("grade", str(submission(tmp_path)), "-p", SLUG, "--seed", "7", "--json", str(report))

    assert json.loads(report.read_text())["reproducibility"]["seed"] == 7
    assert sandbox.pods


# demo


def test_demo_grades_every_reference_and_starter_and_exits_0(catalog, monkeypatch):
    sandbox = sandboxed(monkeypatch, FakeSandbox(grading(TESTS)))

    code, output = invoke("demo")

    assert code == 0, output
    assert len(sandbox.specs) == 2
    assert "reference" in output and "starter" in output


def test_demo_with_a_report_the_platform_failed_exits_3(catalog, monkeypatch):
    sandboxed(monkeypatch, FakeSandbox(grading(TESTS, static_report=lambda command: failed(1))))

    assert invoke("demo")[0] == EXIT_PLATFORM


def test_demo_without_a_docker_engine_exits_3(catalog, no_docker):
    assert invoke("demo", "--sandbox", "docker")[0] == EXIT_PLATFORM


def test_demo_of_an_invalid_problem_exits_2(catalog, monkeypatch):
    sandboxed(monkeypatch, FakeSandbox(grading(TESTS)))
    write(catalog / "problems" / SLUG / "problem.toml", 'slug = "tiny"\n')

    assert invoke("demo")[0] == EXIT_INVALID


# reap and images build


def test_reap_without_a_docker_engine_exits_3(no_docker):
    code, output = invoke("reap")

    assert code == EXIT_PLATFORM
    assert "the Docker engine is not reachable" in output


def test_reap_says_how_many_containers_it_removed_and_exits_0(monkeypatch):
    monkeypatch.setattr("assay.cli.images.connect", lambda: "client")
    monkeypatch.setattr("assay.cli.images.reap_pods", lambda client: 2)

    assert invoke("reap") == (0, "removed 2 containers\n")


def test_images_build_without_a_docker_engine_exits_3(catalog, no_docker):
    assert invoke("images", "build")[0] == EXIT_PLATFORM


def test_images_build_names_the_image_and_exits_0(catalog, monkeypatch):
    image = RuntimeImage(tag="assay-runtime:0123456789ab", id="sha256:" + "f" * 64)
    monkeypatch.setattr("assay.cli.images.connect", lambda: "client")
    monkeypatch.setattr("assay.cli.images.ensure_runtime_image", lambda client, s, say: image)

    code, output = invoke("images", "build")

    assert code == 0
    assert "runtime image assay-runtime:0123456789ab (sha256:ffffffffffff)" in output


# problems list


def test_problems_list_shows_each_problem_and_exits_0(catalog):
    code, output = invoke("problems", "list")

    assert code == 0
    assert "tiny" in output and "Tiny API" in output and "1.0.0" in output


def test_problems_list_with_an_invalid_problem_exits_2(catalog):
    write(catalog / "problems" / SLUG / "problem.toml", 'slug = "tiny"\n')

    code, output = invoke("problems", "list")

    assert code == EXIT_INVALID
    assert "problem.toml is invalid" in output


# problems validate


def test_validate_of_a_problem_in_its_bands_records_it_and_exits_0(catalog, monkeypatch):
    sandboxed(monkeypatch, FakeSandbox(grading(TESTS)))

    code, output = invoke("problems", "validate", SLUG, "--runs", "2")

    assert code == 0, output
    record = json.loads((catalog / "evaluation" / SLUG / "calibration.json").read_text())
    assert (record["ok"], record["references"], record["starter"]) == (True, [100.0, 100.0], 0.0)


def test_validate_of_a_starter_over_its_band_exits_1(catalog, monkeypatch):
    sandboxed(monkeypatch, FakeSandbox(grading(TESTS)))
    write(catalog / "starter-code" / SLUG / "app" / "main.py", APP + "# unfinished\n")

    code, output = invoke("problems", "validate", "--runs", "1")

    assert code == EXIT_BELOW_MIN
    assert "starter scored 100 (> 30)" in output


def test_validate_of_an_unknown_problem_exits_2(catalog, monkeypatch):
    sandboxed(monkeypatch, FakeSandbox(grading(TESTS)))

    assert invoke("problems", "validate", "nope")[0] == EXIT_INVALID


def test_validate_without_a_docker_engine_exits_3(catalog, no_docker):
    assert invoke("problems", "validate", SLUG, "--sandbox", "docker")[0] == EXIT_PLATFORM


def test_validate_shows_failures_as_written(catalog, monkeypatch):
    tests = [dict(test, id=test["id"] + "[a-b]") for test in TESTS]
    suite = hidden_suite(tests, {"test_list[a-b]": "failed"})
    sandboxed(monkeypatch, FakeSandbox(grading(tests, hidden=suite)))

    code, output = invoke("problems", "validate", SLUG, "--runs", "1")

    assert code == EXIT_BELOW_MIN
    assert "hidden tests failed against the reference: tests/test_api.py::test_list[a-b]" in output

"""Grading real submissions end to end in Docker pods."""

import dataclasses
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from assay.catalog.loader import Problem
from assay.grading.calibration import drifting_criteria
from assay.grading.report import Outcome, Report, StageStatus

Grader = Callable[..., Report]

pytestmark = [pytest.mark.docker, pytest.mark.xdist_group("book-reviews")]


def _starter_with(problem: Problem, tmp_path: Path, main_py: str) -> Path:
    """The starter with its ``app/main.py`` replaced: how broken submissions are built."""
    folder = tmp_path / "submission"
    shutil.copytree(problem.starter, folder, ignore=shutil.ignore_patterns("__pycache__"))
    (folder / "app" / "main.py").write_text(main_py, encoding="utf-8")
    return folder


def _impatient(problem: Problem) -> Problem:
    """The problem with short boot and own-test deadlines, for submissions that hang."""
    spec = problem.spec
    quick = spec.model_copy(
        update={
            "app": spec.app.model_copy(update={"startup_seconds": 5}),
            "deadlines": spec.deadlines.model_copy(update={"selftest": 20}),
        }
    )
    return dataclasses.replace(problem, spec=quick)


def _stage(report: Report, name: str) -> StageStatus:
    return next(stage.status for stage in report.stages if stage.name == name)


def _points(report: Report) -> dict[str, float | None]:
    return {criterion.id: criterion.points for criterion in report.criteria}


def _elapsed(report: Report) -> float:
    assert report.finished_at is not None
    return (report.finished_at - report.started_at).total_seconds()


def test_reference_scores_at_least_90(reference_report: Report) -> None:
    assert reference_report.outcome is Outcome.graded, reference_report.error
    assert reference_report.total is not None
    assert reference_report.total >= 90, reference_report.model_dump_json(indent=1)


def test_starter_scores_at_most_30(starter_report: Report) -> None:
    assert starter_report.outcome is Outcome.graded, starter_report.error
    assert starter_report.total is not None
    assert starter_report.total <= 30


def test_every_signal_of_a_score_says_where_it_came_from(starter_report: Report) -> None:
    signals = [signal for criterion in starter_report.criteria for signal in criterion.signals]
    assert signals
    assert all(signal.note for signal in signals)


def test_failed_hidden_tests_carry_the_reason(starter_report: Report) -> None:
    failed = [test for test in starter_report.hidden_tests if not test.passed]
    assert failed
    assert all(test.message for test in failed)


def test_reference_load_is_compared_with_itself(reference_report: Report) -> None:
    assert reference_report.load is not None
    assert reference_report.load.reference == reference_report.load.figures


def test_report_records_what_makes_it_reproducible(reference_report: Report) -> None:
    facts = reference_report.reproducibility
    assert facts is not None
    assert facts.problem_version and facts.image_id and facts.hidden_suite_sha256
    assert facts.limits["memory_mb"] > 0
    assert {stage.name for stage in reference_report.stages} >= {"boot", "hidden tests", "load"}


def test_regrading_gives_the_same_scores_but_performance(
    grader: Grader, book_reviews: Problem, reference_report: Report
) -> None:
    again = grader(book_reviews.reference, measure_load=False)
    assert drifting_criteria([reference_report, again]) == []
    first, second = _points(reference_report), _points(again)
    assert first.pop("performance") is not None
    assert second.pop("performance") is None
    assert first == second


def test_syntax_error_is_graded_low_with_the_error_named(
    grader: Grader, book_reviews: Problem, tmp_path: Path
) -> None:
    folder = _starter_with(book_reviews, tmp_path, "def broken(:\n    pass\n")
    report = grader(folder)
    assert report.outcome is Outcome.graded
    assert report.total is not None and report.total <= 10
    assert report.static is not None and report.static.syntax_errors
    assert _stage(report, "boot") is StageStatus.failed


def test_service_that_exits_is_graded_low_with_its_logs(
    grader: Grader, book_reviews: Problem, tmp_path: Path
) -> None:
    main_py = (
        "from fastapi import FastAPI\n\n"
        'raise SystemExit("no database, giving up")\n'
        "app = FastAPI()\n"
    )
    folder = _starter_with(book_reviews, tmp_path, main_py)
    report = grader(folder)
    boot = next(stage for stage in report.stages if stage.name == "boot")
    assert report.outcome is Outcome.graded
    assert boot.status is StageStatus.failed
    assert "exited" in boot.summary and "giving up" in boot.log
    assert all(test.message.startswith("not run") for test in report.hidden_tests)


def test_service_that_never_listens_fails_boot_at_the_deadline(
    grader: Grader, book_reviews: Problem, tmp_path: Path
) -> None:
    main_py = "import time\n\nfrom fastapi import FastAPI\n\ntime.sleep(3600)\napp = FastAPI()\n"
    report = grader(_starter_with(book_reviews, tmp_path, main_py), _impatient(book_reviews))
    assert _stage(report, "boot") is StageStatus.failed
    assert "never answered" in next(s.summary for s in report.stages if s.name == "boot")
    assert _stage(report, "own tests") is StageStatus.failed
    assert report.total is not None and report.total <= 10
    assert _elapsed(report) < 120


def test_service_answering_500_everywhere_is_graded_low(
    grader: Grader, book_reviews: Problem, tmp_path: Path
) -> None:
    main_py = (
        "from fastapi import FastAPI, Request\n"
        "from fastapi.responses import JSONResponse\n\n"
        "app = FastAPI()\n\n\n"
        '@app.middleware("http")\n'
        "async def fail(request: Request, call_next: object) -> JSONResponse:\n"
        '    return JSONResponse({"detail": "boom"}, status_code=500)\n'
    )
    folder = _starter_with(book_reviews, tmp_path, main_py)
    report = grader(folder, _impatient(book_reviews), measure_load=False)
    boot = next(stage for stage in report.stages if stage.name == "boot")
    assert report.outcome is Outcome.graded
    assert "500" in boot.summary
    assert report.total is not None and report.total <= 10


@pytest.fixture(scope="session")
def off_scaffold_report(
    grader: Grader, book_reviews: Problem, tmp_path_factory: pytest.TempPathFactory
) -> Report:
    """The starter with its app moved and a requirement the image does not have."""
    folder = tmp_path_factory.mktemp("off-scaffold") / "submission"
    shutil.copytree(book_reviews.starter, folder, ignore=shutil.ignore_patterns("__pycache__"))
    (folder / "app" / "main.py").rename(folder / "app" / "server.py")
    with (folder / "requirements.txt").open("a", encoding="utf-8") as requirements:
        requirements.write("left-pad-for-python==1.0\n")
    return grader(folder, measure_load=False)


def test_app_outside_the_scaffold_entrypoint_is_detected_and_started(
    off_scaffold_report: Report,
) -> None:
    detection = off_scaffold_report.detection
    assert detection.entrypoint == "app.server:app"
    assert detection.entrypoint_source == "detected"
    assert any("app.server:app" in note for note in detection.notes)
    assert _stage(off_scaffold_report, "boot") is StageStatus.passed


def test_requirement_missing_from_the_image_is_named(off_scaffold_report: Report) -> None:
    assert off_scaffold_report.detection.requirements_missing == ["left-pad-for-python"]

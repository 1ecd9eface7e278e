"""Fixtures for the tests that start real containers; pure tests need none of this."""

from collections.abc import Callable
from pathlib import Path

import pytest

from assay.catalog.loader import Problem, load_problem
from assay.config import get_settings
from assay.grading.calibration import Calibration, calibrate
from assay.grading.pipeline import grade
from assay.grading.report import Report
from assay.sandbox.backends import open_sandbox
from assay.sandbox.pod import Sandbox

ROOT = Path(__file__).resolve().parents[1]
Grader = Callable[..., Report]


@pytest.fixture(scope="session")
def sandbox() -> Sandbox:
    """The Docker backend with the runtime image built (a no-op once it exists)."""
    return open_sandbox(get_settings(), "docker", print)


@pytest.fixture(scope="session")
def book_reviews() -> Problem:
    return load_problem(ROOT, "book-reviews")


@pytest.fixture(scope="session")
def grader(
    sandbox: Sandbox, book_reviews: Problem, tmp_path_factory: pytest.TempPathFactory
) -> Grader:
    """Grade a folder (against book-reviews unless told), with a session-private baseline cache."""
    cache = tmp_path_factory.mktemp("cache")

    def grade_folder(
        folder: Path, problem: Problem = book_reviews, *, measure_load: bool = True
    ) -> Report:
        return grade(problem, folder, sandbox=sandbox, cache_dir=cache, measure_load=measure_load)

    return grade_folder


@pytest.fixture(scope="session")
def calibration(grader: Grader) -> Callable[[str], Calibration]:
    """Calibrate a problem once per session: its reference graded three times, its starter once."""
    done: dict[str, Calibration] = {}

    def of(slug: str) -> Calibration:
        if slug not in done:
            problem = load_problem(ROOT, slug)
            done[slug] = calibrate(
                problem,
                lambda problem, folder, measure_load=True: grader(
                    folder, problem, measure_load=measure_load
                ),
            )
        return done[slug]

    return of


@pytest.fixture(scope="session")
def reference_report(calibration: Callable[[str], Calibration]) -> Report:
    return calibration("book-reviews").references[0]


@pytest.fixture(scope="session")
def starter_report(calibration: Callable[[str], Calibration]) -> Report:
    return calibration("book-reviews").starter

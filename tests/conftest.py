"""Fixtures for the tests that start real containers; pure tests need none of this.

Gradings are expensive, so each is made once per test process and shared: the tests that
read the same gradings share an ``xdist_group`` and so the same worker under ``make test``.
"""

from collections.abc import Callable
from pathlib import Path

import pytest

from assay.catalog.loader import Problem, load_problem
from assay.config import get_settings
from assay.grading.calibration import Calibration, calibrate, current, recheck
from assay.grading.pipeline import grade
from assay.grading.report import Report
from assay.sandbox.backends import open_sandbox
from assay.sandbox.images import input_digest
from assay.sandbox.pod import Sandbox

ROOT = Path(__file__).resolve().parents[1]
# The problem whose candidates the suite grades with load: their figures are compared with
# its reference's.
LOAD_COMPARED = "book-reviews"
RECHECKED: list[str] = []  # calibrations whose first recheck failed and second passed


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if RECHECKED:
        terminalreporter.write_sep("-", "calibration rechecks that failed once, then passed")
        for line in RECHECKED:
            terminalreporter.write_line(line)


Grader = Callable[..., Report]


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Keep ``xdist_group`` working: xdist's loadgroup marks a test's group by renaming its
    node id, which pytest 9.2 rebuilds from a structured id, so every group would silently
    be spread over all workers and its gradings made once per worker."""
    if not getattr(config.option, "loadgroup", False):
        return
    for item in items:
        groups = sorted({str(mark.args[0]) for mark in item.iter_markers("xdist_group")})
        structured = getattr(item, "_id", None)
        if groups and structured is not None and "@" not in item.nodeid.rsplit("]", 1)[-1]:
            item._id = type(structured).parse(f"{item.nodeid}@{'_'.join(groups)}")


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
def reference(grader: Grader) -> Callable[[str], Report]:
    """A problem's reference, graded once per test process. Load is measured for the problem
    whose other submissions the suite load-tests against it; another reference's figures would
    be thrown away, and its calibration band holds without them (Performance is left out)."""
    done: dict[str, Report] = {}

    def of(slug: str) -> Report:
        if slug not in done:
            problem = load_problem(ROOT, slug)
            done[slug] = grader(problem.reference, problem, measure_load=slug == LOAD_COMPARED)
        return done[slug]

    return of


@pytest.fixture(scope="session")
def calibration(grader: Grader, reference: Callable[[str], Report]) -> Callable[[str], Calibration]:
    """A problem's calibration: its recorded one, rechecked by one reference grading, while the
    record matches what it depends on; a full one (three reference runs, the starter) otherwise."""
    inputs = input_digest(get_settings())

    def of(slug: str) -> Calibration:
        problem = load_problem(ROOT, slug)
        if current(problem, inputs) is not None:
            first = recheck(slug, reference(slug))
            if first.ok:
                return first
            # One run cannot tell a test the host upset once from a broken reference: a second
            # decides, and a failure that does not come back is reported, not hidden.
            second = recheck(slug, grader(problem.reference, problem, measure_load=False))
            if second.ok:
                RECHECKED.append(f"{slug}: {'; '.join(first.failures)}")
            return second
        return calibrate(
            problem,
            lambda problem, folder, measure_load=True: grader(
                folder, problem, measure_load=measure_load
            ),
        )

    return of


@pytest.fixture(scope="session")
def reference_report(reference: Callable[[str], Report]) -> Report:
    return reference("book-reviews")


@pytest.fixture(scope="session")
def starter_report(grader: Grader, book_reviews: Problem) -> Report:
    return grader(book_reviews.starter)

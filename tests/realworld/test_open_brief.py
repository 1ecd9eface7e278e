"""Open-brief Book Review solutions, written as real candidates write them, graded in pods.

A careful reviewer ranked them (``tests/realworld/solutions``). Assay must boot every one, say
how it bound each one's API, and rank them as the reviewer did: Spearman's rho of at least 0.8.
Load is not measured: it is the same for all and the most expensive stage.
"""

from concurrent.futures import ThreadPoolExecutor

import pytest

from assay.catalog.loader import Problem, load_problem
from assay.grading.report import Outcome, Report, StageStatus
from tests.conftest import ROOT
from tests.realworld.conftest import TABLE
from tests.realworld.ranking import spearman
from tests.realworld.solutions import CORPUS, Solution

pytestmark = [pytest.mark.docker, pytest.mark.xdist_group("realworld")]

LEAST_RHO = 0.8
AT_ONCE = 2
OPERATIONS = {"list books", "create book", "list reviews", "create review"}


@pytest.fixture(scope="session")
def graded(grader, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Report]:
    """Every solution of the corpus, graded once against the open brief, two at a time as a
    worker host of two cores would."""
    problem: Problem = load_problem(ROOT, "book-reviews-open")
    folders = [
        solution.write(tmp_path_factory.mktemp(solution.name) / "submission") for solution in CORPUS
    ]
    with ThreadPoolExecutor(AT_ONCE) as pool:
        graded = pool.map(lambda folder: grader(folder, problem, measure_load=False), folders)
        reports = dict(zip([solution.name for solution in CORPUS], graded, strict=True))
    TABLE.extend(_line(solution, reports[solution.name]) for solution in CORPUS)
    return reports


def _line(solution: Solution, report: Report) -> str:
    seconds = (report.finished_at - report.started_at).total_seconds()
    binding = report.binding
    bound = binding.operations.get("list books", {}) if binding else {}
    where = f"{bound.get('method', '?')} {bound.get('path', '?')}"
    return (
        f"{solution.rank:>2}  {report.total!s:>5}  {seconds:5.1f} s  {solution.name:<18} "
        f"{where:<24} {solution.why}"
    )


def _boot(report: Report) -> StageStatus | None:
    return next((stage.status for stage in report.stages if stage.name == "boot"), None)


def test_every_solution_boots_and_is_graded(graded: dict[str, Report]) -> None:
    not_booted = {
        name: f"{report.outcome.value}, boot {_boot(report)}: {report.error or ''}"
        for name, report in graded.items()
        if report.outcome is not Outcome.graded or _boot(report) is not StageStatus.passed
    }
    assert not_booted == {}


def test_how_each_api_was_bound_is_in_the_report(graded: dict[str, Report]) -> None:
    unbound = {
        name: report.binding.model_dump() if report.binding else None
        for name, report in graded.items()
        if report.binding is None or set(report.binding.operations) != OPERATIONS
    }
    assert unbound == {}
    assert all(report.binding and report.binding.notes for report in graded.values())


def _mutation_score(report: Report) -> float | None:
    mutation = report.selftests.mutation if report.selftests else None
    return mutation.score if mutation else None


def test_tests_that_assert_nothing_kill_fewer_mutants_than_tests_that_check(
    graded: dict[str, Report],
) -> None:
    checked, unchecked = graded["layered-envelope"], graded["untested-asserts"]

    assert (_mutation_score(unchecked) or 0.0) <= 0.25
    assert (_mutation_score(checked) or 0.0) >= 0.5


def test_assay_ranks_the_solutions_as_a_careful_reviewer_does(graded: dict[str, Report]) -> None:
    reviewer = [solution.rank for solution in CORPUS]
    scores = [graded[solution.name].total or 0.0 for solution in CORPUS]

    rho = spearman(reviewer, scores)

    TABLE.append(f"Spearman's rho {rho:.3f} (at least {LEAST_RHO})")
    assert rho >= LEAST_RHO, "\n".join(TABLE)

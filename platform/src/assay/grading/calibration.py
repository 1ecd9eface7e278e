"""Check that a problem's rubric and hidden suite separate excellent from unfinished work.

The reference solution is graded several times and must score at least ``REFERENCE_MIN``
every time, with no hidden test failing in any run (such a test is flaky, or wrong) and the
same points for every criterion but Performance. The starter must stay at or below
``STARTER_MAX``.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from assay.catalog.service import Problem
from assay.grading.report import Outcome, Report

REFERENCE_MIN = 90.0
STARTER_MAX = 30.0
RUNS = 3
MACHINE_DEPENDENT = {"performance"}

Grader = Callable[[Problem, Path], Report]


@dataclass(frozen=True)
class Calibration:
    slug: str
    references: list[Report]
    starter: Report
    flaky: list[str] = field(default_factory=list)
    drift: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures


def _totals(reports: list[Report]) -> list[float]:
    return [report.total for report in reports if report.total is not None]


def flaky_tests(references: list[Report]) -> list[str]:
    """Hidden tests that failed against the reference in any run."""
    failed = {test.id for report in references for test in report.hidden_tests if not test.passed}
    return sorted(failed)


def drifting_criteria(references: list[Report]) -> list[str]:
    """Criteria, Performance aside, whose points differ between runs of the same submission."""
    points: dict[str, set[float | None]] = {}
    for report in references:
        for criterion in report.criteria:
            points.setdefault(criterion.id, set()).add(criterion.points)
    return sorted(
        name for name, seen in points.items() if len(seen) > 1 and name not in MACHINE_DEPENDENT
    )


def judge(slug: str, references: list[Report], starter: Report) -> Calibration:
    failures = [
        f"{label} not graded: {report.error}"
        for label, report in [*(("reference", r) for r in references), ("starter", starter)]
        if report.outcome is Outcome.error
    ]
    low = [total for total in _totals(references) if total < REFERENCE_MIN]
    if low:
        failures.append(
            f"reference scored {', '.join(f'{t:g}' for t in low)} (< {REFERENCE_MIN:g})"
        )
    if starter.total is not None and starter.total > STARTER_MAX:
        failures.append(f"starter scored {starter.total:g} (> {STARTER_MAX:g})")
    flaky = flaky_tests(references)
    if flaky:
        failures.append(f"hidden tests failed against the reference: {', '.join(flaky)}")
    drift = drifting_criteria(references)
    if drift:
        failures.append(f"points changed between identical runs: {', '.join(drift)}")
    return Calibration(slug, references, starter, flaky, drift, failures)


def calibrate(problem: Problem, grade: Grader, *, runs: int = RUNS) -> Calibration:
    """Grade the reference ``runs`` times first (it sets the load baseline), then the starter."""
    references = [grade(problem, problem.reference) for _ in range(runs)]
    return judge(problem.slug, references, grade(problem, problem.starter))

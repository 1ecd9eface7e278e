"""Check that a problem's rubric and hidden suite separate excellent from unfinished work.

The reference solution is graded several times and must score at least ``REFERENCE_MIN``
every time, with no hidden test failing in any run (such a test is flaky, or wrong) and the
same signals everywhere but in load measurements; reference runs after the first skip the
load stage, which drift ignores anyway. The starter, load included, must stay at or below
``STARTER_MAX``.

A calibration is recorded beside the problem (``evaluation/<slug>/calibration.json``), keyed by
everything it depends on: while the key matches, a check may grade the reference once instead
of calibrating again.
"""

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

from pydantic import BaseModel, ValidationError

from assay.catalog.loader import CALIBRATION, Problem, tree_digest
from assay.grading.report import Outcome, Report

REFERENCE_MIN = 90.0
STARTER_MAX = 30.0
RUNS = 3
MACHINE_DEPENDENT = "load."


class Grader(Protocol):
    def __call__(self, problem: Problem, folder: Path, *, measure_load: bool = True) -> Report: ...


class CalibrationKey(BaseModel):
    """What a calibration depends on: change any and it must be done again."""

    reference_sha256: str
    hidden_suite_sha256: str
    starter_sha256: str
    runtime_inputs_sha256: str


class CalibrationRecord(BaseModel):
    key: CalibrationKey
    ok: bool
    references: list[float | None]
    starter: float | None
    flaky: list[str] = []
    drift: list[str] = []
    failures: list[str] = []
    validated_at: datetime


@dataclass(frozen=True)
class Calibration:
    """The runs of one calibration and what is wrong with them; a recheck has no starter run."""

    slug: str
    references: list[Report]
    starter: Report | None
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


def _why(references: list[Report], failed: list[str]) -> str:
    """Each failed test with its first failure message, for whoever reads the calibration."""
    messages: dict[str, str] = {}
    for report in references:
        for test in report.hidden_tests:
            if test.id in failed and not test.passed:
                messages.setdefault(
                    test.id, test.message.splitlines()[0][:300] if test.message else test.outcome
                )
    return "; ".join(f"{test_id} ({messages[test_id]})" for test_id in failed)


def _steady_parts(report: Report) -> dict[str, tuple[tuple[str, float], ...]]:
    """Each scored criterion's signal fractions and gate, load measurements aside.

    A criterion a run left unscored (only load signals, load not measured) has nothing to compare.
    """
    parts = {}
    for criterion in report.criteria:
        if criterion.points is None:
            continue
        values = [
            (signal.signal, signal.fraction)
            for signal in criterion.signals
            if not signal.signal.startswith(MACHINE_DEPENDENT)
        ]
        if criterion.gate is not None:
            values.append((f"gate {criterion.gate.signal}", criterion.gate.value))
        parts[criterion.id] = tuple(sorted(values))
    return parts


def drifting_criteria(references: list[Report]) -> list[str]:
    """Criteria with a signal, load measurements aside, that differs between runs."""
    seen: dict[str, set[tuple[tuple[str, float], ...]]] = {}
    for report in references:
        for criterion, parts in _steady_parts(report).items():
            seen.setdefault(criterion, set()).add(parts)
    return sorted(name for name, values in seen.items() if len(values) > 1)


def reference_failures(references: list[Report]) -> list[str]:
    """What is wrong with the reference's runs: ungraded, under the band, flaky or drifting."""
    failures = [
        f"reference not graded: {r.error}" for r in references if r.outcome is Outcome.error
    ]
    low = [total for total in _totals(references) if total < REFERENCE_MIN]
    if low:
        failures.append(
            f"reference scored {', '.join(f'{t:g}' for t in low)} (< {REFERENCE_MIN:g})"
        )
    flaky = flaky_tests(references)
    if flaky:
        failures.append(f"hidden tests failed against the reference: {_why(references, flaky)}")
    drift = drifting_criteria(references)
    if drift:
        failures.append(f"points changed between identical runs: {', '.join(drift)}")
    return failures


def judge(slug: str, references: list[Report], starter: Report) -> Calibration:
    failures = reference_failures(references)
    if starter.outcome is Outcome.error:
        failures.append(f"starter not graded: {starter.error}")
    if starter.total is not None and starter.total > STARTER_MAX:
        failures.append(f"starter scored {starter.total:g} (> {STARTER_MAX:g})")
    flaky, drift = flaky_tests(references), drifting_criteria(references)
    return Calibration(slug, references, starter, flaky, drift, failures)


def recheck(slug: str, reference: Report) -> Calibration:
    """A recorded calibration, rechecked by one reference run: it must still be in its band."""
    return Calibration(
        slug, [reference], None, flaky_tests([reference]), [], reference_failures([reference])
    )


def calibrate(problem: Problem, grade: Grader, *, runs: int = RUNS) -> Calibration:
    """Grade the reference ``runs`` times first (it sets the load baseline), then the starter."""
    references = [
        grade(problem, problem.reference, measure_load=index == 0) for index in range(runs)
    ]
    return judge(problem.slug, references, grade(problem, problem.starter))


def key_of(problem: Problem, runtime_inputs: str) -> CalibrationKey:
    return CalibrationKey(
        reference_sha256=problem.reference_digest,
        hidden_suite_sha256=problem.hidden_digest,
        starter_sha256=tree_digest(problem.starter),
        runtime_inputs_sha256=runtime_inputs,
    )


def record_of(calibration: Calibration, key: CalibrationKey) -> CalibrationRecord:
    return CalibrationRecord(
        key=key,
        ok=calibration.ok,
        references=[report.total for report in calibration.references],
        starter=calibration.starter.total if calibration.starter else None,
        flaky=calibration.flaky,
        drift=calibration.drift,
        failures=calibration.failures,
        validated_at=datetime.now(UTC),
    )


def record_path(problem: Problem) -> Path:
    return problem.evaluation / CALIBRATION


def read_record(problem: Problem) -> CalibrationRecord | None:
    try:
        return CalibrationRecord.model_validate_json(record_path(problem).read_bytes())
    except (OSError, ValidationError):
        return None


def write_record(problem: Problem, record: CalibrationRecord) -> None:
    text = json.dumps(record.model_dump(mode="json"), indent=2) + "\n"
    record_path(problem).write_text(text, encoding="utf-8")


def current(problem: Problem, runtime_inputs: str) -> CalibrationRecord | None:
    """The problem's record when it passed and still matches everything it depends on."""
    record = read_record(problem)
    if record is None or not record.ok or record.key != key_of(problem, runtime_inputs):
        return None
    return record

"""The calibration rules, on reports built by hand."""

from datetime import UTC, datetime

from assay.grading.calibration import judge
from assay.grading.report import CriterionScore, HiddenTest, Outcome, Report


def _report(total: float | None, *, failed: tuple[str, ...] = (), perf: float = 10.0) -> Report:
    tests = [HiddenTest(id=name, outcome="failed") for name in failed]
    tests.append(HiddenTest(id="test_ok", outcome="passed"))
    criteria = [
        CriterionScore(id="functionality", title="F", weight=30, fraction=1.0, points=30.0),
        CriterionScore(id="performance", title="P", weight=10, fraction=perf / 10, points=perf),
    ]
    return Report(
        run_id="r",
        submission="s",
        started_at=datetime.now(UTC),
        total=total,
        hidden_tests=tests,
        criteria=criteria,
        outcome=Outcome.graded if total is not None else Outcome.error,
        error=None if total is not None else "engine down",
    )


def test_reference_above_and_starter_below_their_bands_pass() -> None:
    result = judge("p", [_report(95.0), _report(96.0, perf=9.0)], _report(12.0))
    assert result.ok
    assert result.failures == []


def test_a_low_reference_run_fails_naming_its_score() -> None:
    result = judge("p", [_report(95.0), _report(88.5)], _report(12.0))
    assert not result.ok
    assert "88.5" in result.failures[0]


def test_a_starter_above_its_band_fails() -> None:
    result = judge("p", [_report(95.0)], _report(31.0))
    assert result.failures == ["starter scored 31 (> 30)"]


def test_a_hidden_test_failing_against_the_reference_is_flaky() -> None:
    result = judge("p", [_report(95.0), _report(95.0, failed=("test_x",))], _report(10.0))
    assert result.flaky == ["test_x"]
    assert not result.ok


def test_performance_may_differ_between_runs_but_nothing_else() -> None:
    steady = judge("p", [_report(95.0, perf=10.0), _report(94.0, perf=9.0)], _report(10.0))
    assert steady.drift == []
    drifting = _report(95.0)
    drifting.criteria[0].points = 29.0
    assert judge("p", [_report(95.0), drifting], _report(10.0)).drift == ["functionality"]


def test_an_ungraded_run_fails_with_the_platform_error() -> None:
    result = judge("p", [_report(None)], _report(10.0))
    assert "reference not graded: engine down" in result.failures

"""The calibration rules, on reports built by hand."""

from datetime import UTC, datetime

from assay.grading.calibration import judge
from assay.grading.report import CriterionScore, HiddenTest, Outcome, Report, SignalScore


def _signal(name: str, fraction: float) -> SignalScore:
    return SignalScore(
        signal=name, value=fraction, fraction=fraction, weight=1, worst=0, best=1, note=""
    )


def _report(
    total: float | None,
    *,
    failed: tuple[str, ...] = (),
    perf: float = 10.0,
    functionality: float = 1.0,
) -> Report:
    tests = [HiddenTest(id=name, outcome="failed") for name in failed]
    tests.append(HiddenTest(id="test_ok", outcome="passed"))
    criteria = [
        CriterionScore(
            id="functionality",
            title="F",
            weight=30,
            fraction=functionality,
            points=30 * functionality,
            signals=[_signal("hidden.all", functionality), _signal("load.failure_rate", 1.0)],
        ),
        CriterionScore(
            id="performance",
            title="P",
            weight=10,
            fraction=perf / 10,
            points=perf,
            signals=[_signal("load.p95_ratio", perf / 10)],
        ),
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


def test_load_measurements_may_differ_between_runs() -> None:
    steady = judge("p", [_report(95.0, perf=10.0), _report(94.0, perf=9.0)], _report(10.0))
    assert steady.drift == []


def test_any_other_signal_that_differs_between_runs_is_drift() -> None:
    drifting = _report(95.0, functionality=0.9)
    assert judge("p", [_report(95.0), drifting], _report(10.0)).drift == ["functionality"]


def test_a_load_signal_inside_another_criterion_may_differ_too() -> None:
    unmeasured = _report(95.0)
    unmeasured.criteria[0].signals.pop()
    assert judge("p", [_report(95.0), unmeasured], _report(10.0)).drift == []


def test_an_ungraded_run_fails_with_the_platform_error() -> None:
    result = judge("p", [_report(None)], _report(10.0))
    assert "reference not graded: engine down" in result.failures

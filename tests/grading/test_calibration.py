"""The calibration rules, on reports built by hand."""

from datetime import UTC, datetime
from pathlib import Path

from assay.catalog.loader import Problem, load_problem, tree_digest
from assay.grading.calibration import (
    Calibration,
    current,
    judge,
    key_of,
    read_record,
    recheck,
    record_of,
    record_path,
    write_record,
)
from assay.grading.report import (
    CriterionScore,
    Gate,
    HiddenTest,
    Outcome,
    Report,
    SignalScore,
)
from tests.builders import tiny_problem


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


def test_a_gated_criterion_left_unscored_by_a_run_without_load_is_not_drift() -> None:
    measured, unmeasured = _report(95.0), _report(95.0)
    measured.criteria[1].gate = Gate(signal="hidden.all", value=1.0, note="all passed")
    unmeasured.criteria[1] = CriterionScore(
        id="performance", title="P", weight=10, fraction=None, points=None
    )

    assert judge("p", [measured, unmeasured], _report(10.0)).drift == []


def test_an_ungraded_run_fails_with_the_platform_error() -> None:
    result = judge("p", [_report(None)], _report(10.0))
    assert "reference not graded: engine down" in result.failures


# the record kept beside a problem

INPUTS = "runtime-inputs-digest"


def _recorded(tmp_path: Path, calibration: Calibration | None = None) -> Problem:
    """The tiny problem with a calibration recorded for it (a passing one unless told)."""
    problem = tiny_problem(tmp_path)
    calibration = calibration or judge("tiny", [_report(95.0)], _report(12.0))
    write_record(problem, record_of(calibration, key_of(problem, INPUTS)))
    return problem


def test_a_recorded_calibration_reads_back_as_current(tmp_path) -> None:
    problem = _recorded(tmp_path)

    record = current(problem, INPUTS)

    assert record is not None
    assert (record.ok, record.references, record.starter) == (True, [95.0], 12.0)
    assert record == read_record(problem)


def test_the_record_lives_beside_the_hidden_tests_without_changing_their_digest(tmp_path) -> None:
    problem = _recorded(tmp_path)
    reloaded = load_problem(tmp_path / "root", "tiny")

    assert record_path(problem) == problem.evaluation / "calibration.json"
    assert reloaded.hidden_digest == problem.hidden_digest
    assert current(reloaded, INPUTS) is not None


def test_a_record_is_stale_when_the_runtime_image_inputs_change(tmp_path) -> None:
    assert current(_recorded(tmp_path), "another-image") is None


def test_a_record_is_stale_when_the_starter_changes(tmp_path) -> None:
    problem = _recorded(tmp_path)
    (problem.starter / "app" / "main.py").write_text("app = 1\n", encoding="utf-8")

    assert current(problem, INPUTS) is None


def test_a_record_is_stale_when_the_reference_changes(tmp_path) -> None:
    problem = _recorded(tmp_path)
    (problem.reference / "app" / "main.py").write_text("app = 1\n", encoding="utf-8")

    assert current(load_problem(tmp_path / "root", "tiny"), INPUTS) is None


def test_a_record_is_stale_when_the_hidden_tests_change(tmp_path) -> None:
    problem = _recorded(tmp_path)
    (problem.evaluation / "tests" / "test_more.py").write_text("def test(): ...\n")

    assert current(load_problem(tmp_path / "root", "tiny"), INPUTS) is None


def test_a_failed_calibration_is_never_current(tmp_path) -> None:
    failed = judge("tiny", [_report(80.0)], _report(12.0))

    assert current(_recorded(tmp_path, failed), INPUTS) is None


def test_no_record_or_an_unreadable_one_is_not_current(tmp_path) -> None:
    problem = tiny_problem(tmp_path)
    assert current(problem, INPUTS) is None

    record_path(problem).write_text('{"key": ', encoding="utf-8")
    assert current(problem, INPUTS) is None


def test_the_key_names_every_input_of_the_calibration(tmp_path) -> None:
    problem = tiny_problem(tmp_path)

    key = key_of(problem, INPUTS)

    assert key.reference_sha256 == problem.reference_digest
    assert key.hidden_suite_sha256 == problem.hidden_digest
    assert key.starter_sha256 == tree_digest(problem.starter)
    assert key.runtime_inputs_sha256 == INPUTS


def test_a_recheck_records_no_starter(tmp_path) -> None:
    problem = tiny_problem(tmp_path)

    record = record_of(recheck("tiny", _report(95.0)), key_of(problem, INPUTS))

    assert (record.ok, record.references, record.starter) == (True, [95.0], None)

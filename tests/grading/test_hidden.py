"""Hidden test results are checked before they count: what no honest run writes is refused."""

from pathlib import Path

import pytest

from assay.errors import PlatformError
from assay.grading.context import Run
from assay.grading.report import HiddenTest, StageStatus
from assay.grading.stages import hidden
from assay.sandbox.pod import ExecResult, Stop
from tests.builders import make_report, tiny_problem
from tests.fakes import Command, FakePod, FakeSandbox, jsonl, ok, result

A, B = "tests/test_api.py::test_a", "tests/test_api.py::test_b"


def collected(*ids: str) -> dict:
    return {"event": "collected", "tests": [{"id": test_id} for test_id in ids]}


FINISHED = {"event": "finished", "exitstatus": 0}


def check(*events: dict, expected: list[str] | None = None) -> hidden.Outcomes:
    return hidden.check_events(list(events), expected=expected)


def outcome_of(*events: dict) -> HiddenTest:
    """The one test ``A`` after its phase events are applied."""
    tests = [HiddenTest(id=A)]
    hidden.apply(tests, check(collected(A), *events, FINISHED))
    return tests[0]


# parse_events


def test_events_are_read_one_json_object_per_line_and_blank_lines_are_skipped():
    text = jsonl([collected(A), FINISHED]).replace("\n", "\n\n")

    assert hidden.parse_events(text) == [collected(A), FINISHED]


def test_a_line_that_is_not_json_is_a_platform_error_naming_the_line():
    with pytest.raises(PlatformError, match="line 2 is not JSON"):
        hidden.parse_events('{"event": "finished"}\n{"event": \n')


@pytest.mark.parametrize("line", ["[1, 2]", '{"id": "x"}', '"finished"'])
def test_a_line_that_is_not_an_event_is_a_platform_error(line):
    with pytest.raises(PlatformError, match="line 1 is not an event"):
        hidden.parse_events(line + "\n")


# check_events


def test_an_honest_run_gives_what_was_collected_each_result_and_that_it_finished():
    checked = check(collected(A, B), result(A), result(B, "failed"), FINISHED, expected=[B, A])

    assert [test["id"] for test in checked.collected] == [A, B]
    assert checked.results[B]["call"]["outcome"] == "failed"
    assert checked.finished


def test_a_run_cut_short_has_not_finished():
    assert not check(collected(A, B), result(A)).finished


def test_collection_errors_are_kept():
    error = {"event": "collect_error", "id": "tests/test_api.py", "message": "ImportError"}

    assert check(error, collected(), FINISHED).collect_errors == [error]


def test_a_phase_reported_twice_is_refused():
    with pytest.raises(PlatformError, match="reported its call twice"):
        check(collected(A), result(A), result(A), FINISHED)


def test_an_unknown_phase_is_refused():
    with pytest.raises(PlatformError, match="result for phase 'lunch'"):
        check(collected(A), result(A, when="lunch"))


def test_a_result_for_a_test_never_collected_is_refused():
    with pytest.raises(PlatformError, match="tests never collected"):
        check(collected(A), result(B), FINISHED)


def test_a_result_before_collection_is_refused():
    with pytest.raises(PlatformError, match="before collection finished"):
        check(result(A), collected(A), FINISHED)


def test_two_collections_are_refused():
    with pytest.raises(PlatformError, match="collected twice in one run"):
        check(collected(A), collected(A), FINISHED)


def test_a_test_collected_twice_is_refused():
    with pytest.raises(PlatformError, match="a test was collected twice"):
        check(collected(A, A), FINISHED)


def test_an_unknown_event_is_refused():
    with pytest.raises(PlatformError, match="unknown event 'teatime'"):
        check(collected(A), {"event": "teatime"})


def test_an_event_after_the_session_finished_is_refused():
    with pytest.raises(PlatformError, match="a 'result' event after the session finished"):
        check(collected(A), FINISHED, result(A))


def test_a_collection_that_differs_from_the_expected_tests_is_refused_naming_both_sides():
    with pytest.raises(PlatformError, match=r"missing \['.*test_b'\], unexpected \['x'\]"):
        check(collected(A, "x"), FINISHED, expected=[A, B])


@pytest.mark.parametrize(
    ("status", "meaning"), [(2, "interrupted"), (3, "internal error"), (4, "usage error")]
)
def test_a_session_where_pytest_itself_failed_is_refused(status, meaning):
    # pytest reports the whole collection, then stops at a usage error without running a test
    with pytest.raises(PlatformError, match=f"exit status {status} \\({meaning}\\)"):
        check(collected(A), {"event": "finished", "exitstatus": status}, expected=[A])


@pytest.mark.parametrize("status", [0, 1, 5])
def test_a_session_that_ran_its_tests_may_end_with_failures_or_none_collected(status):
    assert check(collected(A), {"event": "finished", "exitstatus": status}, expected=[A]).finished


def test_an_interrupted_collection_keeps_its_collection_errors():
    error = {"event": "collect_error", "id": "tests/test_api.py", "message": "ImportError"}

    checked = check(error, collected(), {"event": "finished", "exitstatus": 2})

    assert checked.collect_errors == [error]


def test_a_run_stopped_before_collection_is_not_refused():
    assert check(expected=[A]).collected == []


# apply


def test_the_call_phase_gives_the_outcome_message_and_time():
    test = outcome_of(result(A, "failed", message="assert 404 == 201", duration=0.5))

    assert (test.outcome, test.message, test.seconds) == ("failed", "assert 404 == 201", 0.5)


def test_a_teardown_error_turns_a_pass_into_an_error_with_its_message():
    test = outcome_of(result(A), result(A, "error", when="teardown", message="db left open"))

    assert (test.outcome, test.message) == ("error", "db left open")


def test_a_teardown_error_after_a_failure_keeps_the_failure():
    test = outcome_of(
        result(A, "failed", message="assert False"),
        result(A, "error", when="teardown", message="db left open"),
    )

    assert (test.outcome, test.message) == ("failed", "assert False")


def test_a_setup_error_is_the_outcome():
    test = outcome_of(result(A, "error", when="setup", message="fixture 'db' failed"))

    assert (test.outcome, test.message) == ("error", "fixture 'db' failed")


def test_a_setup_skip_is_the_outcome():
    test = outcome_of(result(A, "skipped", when="setup", message="needs redis"))

    assert (test.outcome, test.message) == ("skipped", "needs redis")


def test_the_time_of_a_test_adds_up_its_phases():
    test = outcome_of(result(A, duration=0.25), result(A, "error", when="teardown", duration=0.5))

    assert test.seconds == 0.75


def test_an_outcome_the_plugin_never_writes_is_a_platform_error():
    with pytest.raises(PlatformError, match="has outcome 'xpassed'"):
        outcome_of(result(A, "xpassed"))


def test_a_test_without_a_result_stays_missing():
    tests = [HiddenTest(id=A), HiddenTest(id=B)]

    hidden.apply(tests, check(collected(A, B), result(A), FINISHED))

    assert [test.outcome for test in tests] == ["passed", "missing"]


# execute


def executed(tmp_path: Path, events: list[dict], outcome: ExecResult) -> Run:
    """Run the healthy hidden tests ``A`` and ``B`` in a pod whose run writes ``events``."""

    def handler(command: Command) -> ExecResult:
        command.leave(command.argv[4], jsonl(events))
        return outcome

    tests = [HiddenTest(id=A), HiddenTest(id=B)]
    run = Run(
        problem=tiny_problem(tmp_path),
        pod=FakePod(handler),
        sandbox=FakeSandbox(handler),
        report=make_report(hidden_tests=tests),
        seed=1,
    )
    hidden.execute(run, name="hidden tests", degraded=False)
    return run


def test_a_run_that_ended_without_finishing_is_a_platform_error(tmp_path):
    run = executed(tmp_path, [collected(A, B), result(A)], ExecResult(1, "Killed", 3.0))

    [stage] = run.report.stages
    assert stage.status is StageStatus.error
    assert "ended without finishing (exited with code 1)" in stage.summary
    assert [test.outcome for test in run.report.hidden_tests] == ["missing", "missing"]


def test_a_run_stopped_at_its_deadline_keeps_the_results_it_has(tmp_path):
    stopped = ExecResult(-1, "", 180.0, stopped_by=Stop.deadline)

    run = executed(tmp_path, [collected(A, B), result(A)], stopped)

    assert [test.outcome for test in run.report.hidden_tests] == ["passed", "missing"]


def test_a_run_stopped_at_its_deadline_marks_the_rest_missing_with_the_reason(tmp_path):
    stopped = ExecResult(-1, "", 180.0, stopped_by=Stop.deadline)

    run = executed(tmp_path, [collected(A, B), result(A)], stopped)

    [stage] = run.report.stages
    assert run.report.hidden_tests[1].message == "no result: the run stopped at its deadline"
    assert stage.status is StageStatus.failed
    assert stage.summary == "1/2 passed, 1 without a result"


def test_a_run_that_wrote_nothing_is_a_platform_error(tmp_path):
    def silent(command: Command) -> ExecResult:
        return ok()

    run = Run(
        problem=tiny_problem(tmp_path),
        pod=FakePod(silent),
        sandbox=FakeSandbox(silent),
        report=make_report(hidden_tests=[HiddenTest(id=A)]),
        seed=1,
    )
    hidden.execute(run, name="hidden tests", degraded=False)

    [stage] = run.report.stages
    assert stage.status is StageStatus.error
    assert "wrote no results (exited with code 0)" in stage.summary


def test_invalid_test_metadata_at_collection_is_a_platform_error(tmp_path):
    def collect(command: Command) -> ExecResult:
        bad = {"event": "collected", "tests": [{"id": A, "weight": "heavy"}]}
        command.leave(command.argv[4], jsonl([bad, FINISHED]))
        return ok()

    run = Run(
        problem=tiny_problem(tmp_path),
        pod=FakePod(collect),
        sandbox=FakeSandbox(collect),
        report=make_report(),
        seed=1,
    )

    assert hidden.collect(run) is False
    assert "hidden test metadata is invalid" in run.report.stages[0].summary


def test_tests_not_run_say_why_and_keep_their_results(tmp_path):
    run = Run(
        problem=tiny_problem(tmp_path),
        pod=FakePod(lambda command: ok()),
        sandbox=FakeSandbox(lambda command: ok()),
        report=make_report(
            hidden_tests=[HiddenTest(id=A, outcome="passed"), HiddenTest(id=B, degraded=True)]
        ),
        seed=1,
    )

    hidden.not_run(run, "faults were not injected")

    assert [(t.outcome, t.message) for t in run.report.hidden_tests] == [
        ("passed", ""),
        ("missing", "not run: faults were not injected"),
    ]


# a run the grader's watchdog stopped


def test_a_run_the_watchdog_stopped_says_why_and_is_not_a_platform_error():
    stopped = {"event": "stopped", "reason": "no test ended for 60 s"}

    checked = check(collected(A, B), result(A), stopped, expected=[A, B])

    assert checked.stopped == "no test ended for 60 s"
    assert not checked.finished


def test_an_event_after_the_watchdog_stopped_the_run_is_refused():
    stopped = {"event": "stopped", "reason": "no test ended for 60 s"}

    with pytest.raises(PlatformError, match="after the session finished"):
        check(collected(A), stopped, result(A))

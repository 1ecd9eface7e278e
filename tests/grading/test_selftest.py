"""The candidate's own tests: counted from the plugin's lines, never trusted beyond them."""

import json
from pathlib import Path

from assay.grading.context import Run
from assay.grading.report import SelfTests, StageStatus
from assay.grading.stages import selftest
from assay.sandbox.pod import ExecResult, Stop
from tests.builders import make_report, tiny_problem
from tests.fakes import Command, FakePod, FakeSandbox, jsonl, ok, result

A, B = "tests/test_own.py::test_a", "tests/test_own.py::test_b"


def tallied(*events: dict) -> SelfTests:
    selftests = SelfTests()
    selftest.tally(list(events), selftests)
    return selftests


def covered(**totals: int) -> SelfTests:
    selftests = SelfTests()
    selftest.coverage({"totals": totals}, selftests)
    return selftests


# tally


def test_collected_tests_are_counted_from_every_collection():
    counted = tallied({"event": "collected", "tests": [A, B]}, {"event": "collected", "tests": [A]})

    assert counted.collected == 3


def test_each_test_counts_once_at_its_worst_outcome():
    counted = tallied(
        result(A), result(A, "failed", when="teardown"), result(B), result(B, when="teardown")
    )

    assert (counted.passed, counted.failed) == (1, 1)


def test_a_failure_before_a_pass_still_fails_the_test():
    counted = tallied(result(A, "error", when="setup"), result(A))

    assert (counted.passed, counted.failed) == (0, 1)


def test_skipped_tests_are_neither_passed_nor_failed():
    counted = tallied(result(A, "skipped", when="setup"), result(B))

    assert (counted.passed, counted.failed) == (1, 0)


def test_collection_errors_are_counted_and_listed():
    counted = tallied({"event": "collect_error", "id": "tests/test_x.py", "message": "ImportError"})

    assert counted.collect_errors == 1
    assert counted.failures == ["tests/test_x.py: ImportError"]


def test_failures_are_listed_with_their_message_up_to_ten():
    failures = [result(f"tests/test_own.py::test_{n}", "failed", message="boom") for n in range(12)]

    counted = tallied(*failures)

    assert counted.failed == 12
    assert len(counted.failures) == selftest.FAILURES_LISTED == 10
    assert counted.failures[0] == "tests/test_own.py::test_0: boom"


# parse_lines


def test_lines_that_are_not_json_objects_are_skipped():
    text = "\n".join(['{"event": "collected", "tests": []}', "garbage", "[1]", "", '"x"', "{"])

    assert selftest.parse_lines(text) == [{"event": "collected", "tests": []}]


# coverage


def test_coverage_is_the_share_of_statements_and_branches_covered():
    selftests = covered(num_statements=200, covered_lines=150, num_branches=40, covered_branches=10)

    assert (selftests.line_coverage, selftests.branch_coverage) == (0.75, 0.25)
    assert (selftests.statements, selftests.covered_statements) == (200, 150)


def test_code_without_branches_has_full_branch_coverage():
    assert covered(num_statements=10, covered_lines=5).branch_coverage == 1.0


def test_no_statements_leave_coverage_unmeasured():
    selftests = covered()

    assert (selftests.line_coverage, selftests.branch_coverage) == (None, None)


# _coverage_crashed


def test_coverage_that_succeeded_did_not_crash():
    assert not selftest._coverage_crashed({"coverage_exit_code": 0})


def test_coverage_with_no_data_did_not_crash():
    verdict = {"coverage_exit_code": 1, "coverage_output": "No data to report."}

    assert not selftest._coverage_crashed(verdict)


def test_coverage_failing_for_another_reason_crashed():
    verdict = {"coverage_exit_code": 1, "coverage_output": "CoverageException: bad rcfile"}

    assert selftest._coverage_crashed(verdict)


def test_a_verdict_without_coverage_did_not_crash():
    assert not selftest._coverage_crashed({})


# the stage


def staged(tmp_path: Path, files: dict[str, str], outcome: ExecResult | None = None) -> Run:
    """Run the own-tests stage in a pod whose ``selftest.py`` leaves ``files`` in its scratch."""

    def handler(command: Command) -> ExecResult:
        for name, text in files.items():
            command.leave(f"{command.argv[4]}/{name}", text)
        return outcome or ok()

    run = Run(
        problem=tiny_problem(tmp_path),
        pod=FakePod(handler),
        sandbox=FakeSandbox(handler),
        report=make_report(),
        seed=1,
    )
    selftest.selftest(run)
    return run


RESULTS = jsonl([{"event": "collected", "tests": [A, B]}, result(A), result(B)])
COVERAGE = json.dumps(
    {"totals": {"num_statements": 10, "covered_lines": 8, "num_branches": 4, "covered_branches": 2}}
)


def test_own_tests_that_pass_under_coverage_pass_the_stage(tmp_path):
    run = staged(tmp_path, {"results.jsonl": RESULTS, "coverage.json": COVERAGE})

    [stage] = run.report.stages
    assert stage.status is StageStatus.passed
    assert stage.summary == "2/2 passed (self-reported), branch coverage 50%"


def test_coverage_that_crashed_on_tests_that_ran_is_a_platform_error(tmp_path):
    verdict = {"coverage_exit_code": 2, "coverage_output": "CoverageException: bad rcfile"}

    run = staged(tmp_path, {"results.jsonl": RESULTS, "verdict.json": json.dumps(verdict)})

    [stage] = run.report.stages
    assert stage.status is StageStatus.error
    assert stage.summary.endswith("coverage failed to report on tests that ran")
    assert "bad rcfile" in stage.log


def test_no_tests_at_all_fail_the_stage_with_coverage_not_measured(tmp_path):
    verdict = {"coverage_exit_code": 1, "coverage_output": "No data to report."}

    run = staged(tmp_path, {"verdict.json": json.dumps(verdict)})

    [stage] = run.report.stages
    assert stage.status is StageStatus.failed
    assert stage.summary == "0/0 passed (self-reported), branch coverage not measured"


def test_a_suite_the_watchdog_stopped_fails_the_stage_saying_why(tmp_path):
    verdict = {"stopped": "no test ended for 60 s", "coverage_exit_code": 0}
    files = {
        "results.jsonl": RESULTS,
        "coverage.json": COVERAGE,
        "verdict.json": json.dumps(verdict),
    }

    run = staged(tmp_path, files)

    [stage] = run.report.stages
    assert stage.status is StageStatus.failed
    assert stage.summary.endswith("; no test ended for 60 s")


def test_a_suite_stopped_by_the_sandbox_fails_the_stage_saying_why(tmp_path):
    killed = ExecResult(137, "", 2.0, stopped_by=Stop.memory)

    run = staged(tmp_path, {"results.jsonl": RESULTS, "coverage.json": COVERAGE}, killed)

    [stage] = run.report.stages
    assert stage.status is StageStatus.failed
    assert stage.summary.endswith("; killed by the out-of-memory killer at the memory limit")


def test_unreadable_files_left_by_the_candidates_process_count_for_nothing(tmp_path):
    run = staged(tmp_path, {"results.jsonl": "\x00\x01", "coverage.json": "[1, 2]"})

    assert run.report.selftests == SelfTests()
    assert run.report.stages[0].status is StageStatus.failed

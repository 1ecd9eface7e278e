"""The pipeline's decisions, with a fake pod: which stages run, which are skipped and why, and
how every kind of failure ends a report."""

import io
import json
import tarfile
from pathlib import Path

import pytest

from assay.catalog.loader import InvalidProblem, Problem
from assay.errors import InvalidInput, InvalidSubmission, SandboxError
from assay.grading.pipeline import NOT_HEALTHY, default_seed, grade
from assay.grading.report import Outcome, Report, Stage, StageStatus
from assay.sandbox.pod import AppState, ExecResult
from tests.builders import PROBLEM_TOML, TESTS, submission, tiny_problem
from tests.fakes import (
    Command,
    FakeSandbox,
    Handler,
    failed,
    grading,
    hidden_suite,
    jsonl,
    own_tests,
)

EXITED = AppState(running=False, exit_code=1, logs="Traceback: no database, giving up")
NO_FAULTS = PROBLEM_TOML.replace('[faults]\nstop = ["redis"]\n', "")
HEALTHY_RUN = [
    "hidden suite",
    "boot",
    "hidden tests",
    "static analysis",
    "own tests",
    "load",
    "faults",
    "degraded tests",
]


def run(
    tmp_path: Path,
    sandbox: FakeSandbox,
    *,
    problem: Problem | None = None,
    folder: Path | None = None,
    **options: object,
) -> Report:
    """Grade a submission (a FastAPI app unless told) of the tiny problem in ``sandbox``."""
    problem = problem or tiny_problem(tmp_path)
    folder = folder or submission(tmp_path)
    return grade(problem, folder, sandbox=sandbox, cache_dir=tmp_path / "cache", **options)


def stage(report: Report, name: str) -> Stage:
    [found] = [stage for stage in report.stages if stage.name == name]
    return found


def points(report: Report) -> dict[str, float | None]:
    return {criterion.id: criterion.points for criterion in report.criteria}


def all_failing(command: Command) -> ExecResult:
    names = [test["id"].rsplit("::", 1)[-1] for test in TESTS]
    return hidden_suite(TESTS, dict.fromkeys(names, "failed"))(command)


# A healthy run


def test_a_healthy_submission_runs_every_stage_in_order_and_is_scored(tmp_path):
    report = run(tmp_path, FakeSandbox(grading(TESTS)))

    assert report.outcome is Outcome.graded, report.error
    assert [stage.name for stage in report.stages] == HEALTHY_RUN
    assert all(stage.status is StageStatus.passed for stage in report.stages)
    assert report.total == 100.0


def test_every_hidden_test_gets_its_result(tmp_path):
    report = run(tmp_path, FakeSandbox(grading(TESTS)))

    assert {test.id: test.outcome for test in report.hidden_tests} == {
        test["id"]: "passed" for test in TESTS
    }


def test_the_services_named_in_faults_are_stopped_before_the_degraded_tests(tmp_path):
    sandbox = FakeSandbox(grading(TESTS))

    report = run(tmp_path, sandbox)

    assert sandbox.pods[0].stopped == ["redis"]
    assert stage(report, "faults").summary == "stopped redis"
    degraded = [test for test in report.hidden_tests if test.degraded]
    assert [test.outcome for test in degraded] == ["passed"]


def test_the_services_named_to_pause_are_frozen_for_the_degraded_tests_then_thawed(tmp_path):
    sandbox = FakeSandbox(grading(TESTS))
    pausing = PROBLEM_TOML.replace('stop = ["redis"]', 'pause = ["redis"]')

    report = run(tmp_path, sandbox, problem=tiny_problem(tmp_path, problem=pausing))

    pod = sandbox.pods[0]
    assert (pod.stopped, pod.paused, pod.resumed) == ([], ["redis"], ["redis"])
    assert stage(report, "faults").summary == "paused redis"
    assert [test.outcome for test in report.hidden_tests if test.degraded] == ["passed"]


def test_a_fault_naming_nothing_in_the_pod_is_refused_when_the_problem_loads(tmp_path):
    pausing = PROBLEM_TOML.replace('stop = ["redis"]', 'pause = ["postgres"]')

    with pytest.raises(InvalidProblem, match="faults name no service or process"):
        tiny_problem(tmp_path, problem=pausing)


def test_the_pod_is_made_of_the_problem_and_the_packed_submission(tmp_path):
    sandbox = FakeSandbox(grading(TESTS))
    problem = tiny_problem(tmp_path)

    run(tmp_path, sandbox, problem=problem, measure_load=False)

    [spec] = sandbox.specs
    assert spec.services == ("redis",)
    assert spec.evaluation == problem.evaluation
    assert spec.limits.memory_mb == problem.spec.limits.memory_mb
    with tarfile.open(fileobj=io.BytesIO(spec.submission)) as tar:
        assert "app/main.py" in tar.getnames()


def test_the_pod_is_closed_when_the_run_ends(tmp_path):
    sandbox = FakeSandbox(grading(TESTS))

    run(tmp_path, sandbox, measure_load=False)

    assert [pod.closed for pod in sandbox.pods] == [True]


def test_the_app_is_started_from_its_entrypoint_with_uvicorn(tmp_path):
    sandbox = FakeSandbox(grading(TESTS))

    run(tmp_path, sandbox, measure_load=False)

    [(name, script, _env)] = sandbox.pods[0].started
    assert name == "app"
    assert "uvicorn app.main:app" in script


def test_progress_hears_of_each_stage_as_it_starts_and_as_it_ends(tmp_path):
    heard: list[tuple[str, str]] = []

    run(
        tmp_path,
        FakeSandbox(grading(TESTS)),
        measure_load=False,
        progress=lambda stage: heard.append((stage.name, stage.summary)),
    )

    assert heard[:2] == [("hidden suite", "running"), ("hidden suite", "3 hidden tests collected")]
    assert ("load", "not measured in this run") in heard


def test_the_report_records_what_makes_it_reproducible(tmp_path):
    problem = tiny_problem(tmp_path)

    report = run(tmp_path, FakeSandbox(grading(TESTS)), problem=problem, measure_load=False)

    facts = report.reproducibility
    assert facts is not None
    assert (facts.backend, facts.image, facts.image_id) == ("fake", "fake-runtime:1", "sha256:fake")
    assert facts.hidden_suite_sha256 == problem.hidden_digest
    assert facts.seed == default_seed(facts.submission_sha256, problem)


def test_a_given_seed_reaches_the_hidden_tests(tmp_path):
    sandbox = FakeSandbox(grading(TESTS))

    run(tmp_path, sandbox, seed=1234, measure_load=False)

    hidden_runs = [c for c in sandbox.pods[0].commands if c.program == "hidden"]
    assert {command.env["ASSAY_SEED"] for command in hidden_runs} == {"1234"}


# Skipped stages


def test_an_app_that_exits_fails_boot_with_its_logs(tmp_path):
    report = run(tmp_path, FakeSandbox(grading(TESTS), app=EXITED))

    boot = stage(report, "boot")
    assert boot.status is StageStatus.failed
    assert boot.summary == "app exited with code 1 before it answered"
    assert "giving up" in boot.log


def test_an_unhealthy_app_skips_hidden_tests_load_and_faults_with_the_reason(tmp_path):
    report = run(tmp_path, FakeSandbox(grading(TESTS), app=EXITED))

    for name in ("hidden tests", "load", "faults"):
        assert stage(report, name).status is StageStatus.skipped, name
        assert stage(report, name).summary == NOT_HEALTHY, name


def test_an_unhealthy_app_still_has_its_source_and_own_tests_measured(tmp_path):
    report = run(tmp_path, FakeSandbox(grading(TESTS), app=EXITED))

    assert stage(report, "static analysis").status is StageStatus.passed
    assert stage(report, "own tests").status is StageStatus.passed


def test_hidden_tests_of_an_unhealthy_app_are_not_run_and_say_why(tmp_path):
    sandbox = FakeSandbox(grading(TESTS), app=EXITED)

    report = run(tmp_path, sandbox)

    hidden_runs = [c.argv for c in sandbox.pods[0].commands if c.program == "hidden"]
    assert [argv[5:] for argv in hidden_runs] == [["--collect-only"]]
    assert {test.outcome for test in report.hidden_tests} == {"missing"}
    assert {test.message for test in report.hidden_tests} == {f"not run: {NOT_HEALTHY}"}


def test_an_app_that_exits_is_a_fault_of_the_submission_and_is_graded(tmp_path):
    report = run(tmp_path, FakeSandbox(grading(TESTS), app=EXITED))

    assert report.outcome is Outcome.graded
    assert report.error is None
    assert report.total == 0.0


def test_a_submission_without_an_app_fails_boot_naming_what_was_looked_for(tmp_path):
    report = run(tmp_path, FakeSandbox(grading(TESTS)), folder=submission(tmp_path, "x = 1\n"))

    boot = stage(report, "boot")
    assert boot.status is StageStatus.failed
    assert boot.summary.startswith("no FastAPI app to start: app.main:app not found")
    assert report.outcome is Outcome.graded


def test_without_measure_load_the_load_stage_is_skipped(tmp_path):
    sandbox = FakeSandbox(grading(TESTS))

    report = run(tmp_path, sandbox, measure_load=False)

    assert stage(report, "load").status is StageStatus.skipped
    assert stage(report, "load").summary == "not measured in this run"
    assert "locust" not in sandbox.pods[0].programs()
    assert sandbox.load_windows == 0


def test_without_measure_load_performance_is_unscored_not_zero(tmp_path):
    report = run(tmp_path, FakeSandbox(grading(TESTS)), measure_load=False)

    assert points(report) == {
        "functionality": 40.0,
        "code_quality": 20.0,
        "testing": 20.0,
        "performance": None,
    }
    assert report.total == 100.0


def test_load_is_skipped_when_no_hidden_test_passed_and_performance_is_gated_on_them(tmp_path):
    sandbox = FakeSandbox(grading(TESTS, hidden=all_failing))
    problem = tiny_problem(tmp_path, problem=NO_FAULTS)

    report = run(tmp_path, sandbox, problem=problem)

    load = stage(report, "load")
    assert load.status is StageStatus.skipped
    assert load.summary == (
        "nothing to gain: Performance counts in proportion to hidden.all, which is 0"
    )
    assert "locust" not in sandbox.pods[0].programs()


def test_load_is_measured_when_the_tests_after_the_faults_could_still_open_the_gate(tmp_path):
    healthy_fail = hidden_suite(TESTS, {"test_create": "failed", "test_list": "failed"})
    sandbox = FakeSandbox(grading(TESTS, hidden=healthy_fail))

    report = run(tmp_path, sandbox)

    assert stage(report, "load").status is StageStatus.passed
    assert report.criteria[-1].points is not None and report.criteria[-1].points > 0


def test_load_is_measured_while_holding_the_hosts_load_window(tmp_path):
    sandbox = FakeSandbox(grading(TESTS))
    problem = tiny_problem(tmp_path)

    report = run(tmp_path, sandbox, problem=problem, folder=problem.reference)

    assert sandbox.load_windows == 1
    assert report.load is not None
    assert report.load.figures is not None and report.load.figures.p95_ms == 40.0
    assert report.load.peak_memory_mb == 64.0


def test_a_hidden_suite_that_does_not_collect_stops_the_run(tmp_path):
    def broken(command: Command) -> ExecResult:
        events = [{"event": "collect_error", "id": "tests/test_api.py", "message": "ImportError"}]
        command.leave(command.argv[4], jsonl([*events, {"event": "finished"}]))
        return failed(2, "ERROR collecting tests/test_api.py")

    sandbox = FakeSandbox(grading(TESTS, hidden=broken))

    report = run(tmp_path, sandbox)

    assert [(s.name, s.status) for s in report.stages] == [("hidden suite", StageStatus.error)]
    assert sandbox.pods[0].started == []
    assert report.outcome is Outcome.error
    assert report.error == (
        "hidden suite: the grader failed here: the hidden suite did not collect "
        "(exited with code 2): tests/test_api.py: ImportError"
    )


def test_a_hidden_suite_that_writes_no_results_stops_the_run(tmp_path):
    sandbox = FakeSandbox(grading(TESTS, hidden=lambda command: failed(1, "no python")))

    report = run(tmp_path, sandbox)

    assert report.error == (
        "hidden suite: the grader failed here: "
        "the hidden test run wrote no results (exited with code 1)"
    )


# Errors


def test_a_platform_error_in_a_stage_marks_that_stage_error(tmp_path):
    sandbox = FakeSandbox(grading(TESTS, static_report=lambda command: failed(1, "ruff: boom")))

    report = run(tmp_path, sandbox)

    static = stage(report, "static analysis")
    assert static.status is StageStatus.error
    assert static.summary == (
        "the grader failed here: static_report.py exited with code 1; its output is in the "
        "stage log"
    )
    assert static.log == "ruff: boom"


def test_the_run_goes_on_after_a_platform_error_in_a_stage(tmp_path):
    sandbox = FakeSandbox(grading(TESTS, static_report=lambda command: failed(1)))

    report = run(tmp_path, sandbox)

    assert [stage.name for stage in report.stages] == HEALTHY_RUN
    assert stage(report, "own tests").status is StageStatus.passed


def test_a_platform_error_in_a_stage_leaves_the_report_unscored_naming_the_stage(tmp_path):
    sandbox = FakeSandbox(grading(TESTS, static_report=lambda command: failed(1)))

    report = run(tmp_path, sandbox)

    assert report.outcome is Outcome.error
    assert report.total is None
    assert report.criteria == []
    assert report.error is not None
    assert report.error.startswith("static analysis: the grader failed here: static_report.py")


def test_a_sandbox_error_raised_by_the_pod_in_a_stage_is_that_stages_error(tmp_path):
    def lost(command: Command) -> ExecResult:
        raise SandboxError("the selftest container vanished")

    report = run(tmp_path, FakeSandbox(grading(TESTS, selftest=lost)))

    assert stage(report, "own tests").status is StageStatus.error
    assert report.error == "own tests: the grader failed here: the selftest container vanished"


def test_every_failed_stage_is_named_in_the_error(tmp_path):
    def lost(command: Command) -> ExecResult:
        raise SandboxError("the selftest container vanished")

    sandbox = FakeSandbox(grading(TESTS, static_report=lambda c: failed(1), selftest=lost))

    report = run(tmp_path, sandbox)

    assert report.error is not None
    assert report.error.startswith("static analysis: ")
    assert "; own tests: " in report.error


def test_a_pod_that_cannot_be_opened_gives_an_error_report(tmp_path):
    sandbox = FakeSandbox(grading(TESTS), refuse=SandboxError("could not start the pod: gone"))

    report = run(tmp_path, sandbox)

    assert report.outcome is Outcome.error
    assert report.error == "could not start the pod: gone"
    assert report.stages == []
    assert report.reproducibility is not None
    assert report.finished_at is not None


def test_an_unexpected_exception_is_an_internal_error_report(tmp_path):
    def crash(command: Command) -> ExecResult:
        raise RuntimeError("boom")

    report = run(tmp_path, FakeSandbox(grading(TESTS, static_report=crash)))

    assert report.outcome is Outcome.error
    assert report.error == "internal error: RuntimeError: boom"
    assert report.total is None
    assert report.criteria == []


def test_an_unexpected_exception_marks_its_stage_and_still_closes_the_pod(tmp_path):
    def crash(command: Command) -> ExecResult:
        raise RuntimeError("boom")

    sandbox = FakeSandbox(grading(TESTS, static_report=crash))

    report = run(tmp_path, sandbox)

    static = stage(report, "static analysis")
    assert static.status is StageStatus.error
    assert static.summary == "the grader crashed here: RuntimeError: boom"
    assert [pod.closed for pod in sandbox.pods] == [True]


def test_a_folder_that_is_not_there_is_invalid_input(tmp_path):
    sandbox = FakeSandbox(grading(TESTS))

    with pytest.raises(InvalidSubmission, match="is not a directory"):
        run(tmp_path, sandbox, folder=tmp_path / "absent")

    assert sandbox.specs == []


def test_a_file_instead_of_a_folder_is_invalid_input(tmp_path):
    archive = tmp_path / "submission.zip"
    archive.write_bytes(b"PK\x03\x04")

    with pytest.raises(InvalidSubmission):
        run(tmp_path, FakeSandbox(grading(TESTS)), folder=archive)


# Faults of the submission are graded


def test_failing_own_tests_are_graded_and_cost_testing_points(tmp_path):
    sandbox = FakeSandbox(grading(TESTS, selftest=own_tests(passed=1, failed=3)))

    report = run(tmp_path, sandbox, measure_load=False)

    assert report.outcome is Outcome.graded
    assert stage(report, "own tests").status is StageStatus.failed
    assert points(report)["testing"] == 5.0


def test_failing_hidden_tests_are_graded_and_named(tmp_path):
    sandbox = FakeSandbox(grading(TESTS, hidden=hidden_suite(TESTS, {"test_list": "failed"})))

    report = run(tmp_path, sandbox, measure_load=False)

    assert report.outcome is Outcome.graded
    hidden = stage(report, "hidden tests")
    assert hidden.status is StageStatus.failed
    assert hidden.summary == "1/2 passed"
    [signal] = report.criteria[0].signals
    assert "failed: test_list" in signal.note


def test_a_pyproject_whose_tool_table_is_not_a_table_is_still_graded(tmp_path):
    folder = submission(tmp_path)
    (folder / "pyproject.toml").write_text('tool = 1\nproject = "x"\n', encoding="utf-8")

    report = run(tmp_path, FakeSandbox(grading(TESTS)), folder=folder, measure_load=False)

    assert report.outcome is Outcome.graded, report.error


def test_the_reference_needs_no_other_pod_to_compare_its_load(tmp_path):
    sandbox = FakeSandbox(grading(TESTS))
    problem = tiny_problem(tmp_path)

    report = run(tmp_path, sandbox, problem=problem, folder=problem.reference)

    assert len(sandbox.pods) == 1
    assert report.load is not None
    assert report.load.reference == report.load.figures
    assert report.load.reference_source == "this run is the reference"


def test_a_submission_is_compared_with_the_reference_measured_in_a_pod_of_its_own(tmp_path):
    sandbox = FakeSandbox(grading(TESTS))

    report = run(tmp_path, sandbox)

    assert len(sandbox.pods) == 2
    assert sandbox.pods[1].programs() == ["probe", "locust"]
    assert report.load is not None
    assert report.load.reference_source == "reference measured just now"


def test_no_reference_is_measured_for_a_report_with_an_error(tmp_path):
    sandbox = FakeSandbox(grading(TESTS, static_report=lambda command: failed(1)))

    report = run(tmp_path, sandbox)

    assert len(sandbox.pods) == 1
    assert report.load is not None and report.load.reference is None


# Readiness: as a person checks


def probe_answering(states: dict[str, str], listening: list[int]) -> Handler:
    def answer(command: Command) -> ExecResult:
        asked = [arg for arg in command.argv if arg.isdigit()]
        ports = {port: states.get(port, "closed") for port in asked}
        return ExecResult(0, json.dumps({"ports": ports, "listening": listening}), 0.01)

    return answer


def test_a_service_answering_500_on_its_port_is_up_and_graded(tmp_path):
    probe = probe_answering({"8000": "http 500"}, [8000])

    report = run(tmp_path, FakeSandbox(grading(TESTS, probe=probe)))

    assert stage(report, "boot").status is StageStatus.passed
    assert "8000 http 500" in stage(report, "boot").summary
    assert stage(report, "hidden tests").status is not StageStatus.skipped


def test_a_port_that_only_accepts_connections_is_up(tmp_path):
    probe = probe_answering({"8000": "open"}, [8000])

    report = run(tmp_path, FakeSandbox(grading(TESTS, probe=probe)))

    assert stage(report, "boot").status is StageStatus.passed


def test_a_lone_service_on_another_port_is_found_and_the_tests_go_there(tmp_path):
    sandbox = FakeSandbox(grading(TESTS, probe=probe_answering({}, [5432, 6379, 8080])))

    report = run(tmp_path, sandbox)

    assert stage(report, "boot").status is StageStatus.passed
    assert any("port 8080, not 8000" in note for note in report.detection.notes)
    pod = sandbox.pods[0]
    hidden = [
        command
        for command in pod.commands
        if command.program == "hidden" and "--collect-only" not in command.argv
    ]
    assert {command.env["ASSAY_BASE_URL"] for command in hidden} == {"http://127.0.0.1:8080"}


def test_a_service_that_never_listens_fails_boot_naming_what_listens(tmp_path):
    problem = tiny_problem(
        tmp_path, problem=PROBLEM_TOML.replace("startup_seconds = 5", "startup_seconds = 1")
    )
    sandbox = FakeSandbox(grading(TESTS, probe=probe_answering({}, [5432, 6379])))

    report = run(tmp_path, sandbox, problem=problem)

    boot = stage(report, "boot")
    assert boot.status is StageStatus.failed
    assert "never answered on port 8000" in boot.summary
    assert "listening: 5432, 6379" in boot.summary


# What a submission needs beyond the image


def test_requirements_the_wheelhouse_holds_are_installed_into_the_apps_image(tmp_path):
    folder = submission(tmp_path)
    (folder / "requirements.txt").write_text("fastapi\nujson==5.9\nnot-on-any-index\n")
    sandbox = FakeSandbox(grading(TESTS), wheelhouse=frozenset({"ujson"}))

    report = run(tmp_path, sandbox, folder=folder)

    assert sandbox.prepared == [{"ujson": "ujson==5.9", "not-on-any-index": "not-on-any-index"}]
    assert sandbox.specs[0].app_image == "fake-deps:ujson"
    assert report.detection.requirements_installed == ["ujson"]
    assert report.detection.requirements_missing == ["not-on-any-index"]
    assert "not available offline, so not installed: not-on-any-index" in report.detection.notes


def test_a_submission_needing_nothing_more_runs_on_the_runtime_image(tmp_path):
    sandbox = FakeSandbox(grading(TESTS))

    run(tmp_path, sandbox)

    assert sandbox.specs[0].app_image is None


# Open briefs: the binding the suite used is evidence


def test_the_binding_an_open_suite_writes_is_kept_in_the_report(tmp_path):
    binding = {"source": "openapi", "operations": {"list books": {"method": "GET", "path": "/b"}}}

    def suite(command: Command) -> ExecResult:
        if "--collect-only" not in command.argv:
            command.leave(command.env["ASSAY_BINDING_OUT"], json.dumps(binding))
        return hidden_suite(TESTS)(command)

    report = run(tmp_path, FakeSandbox(grading(TESTS, hidden=suite)))

    assert report.binding is not None
    assert report.binding.operations == {"list books": {"method": "GET", "path": "/b"}}


def test_a_pinned_binding_is_given_to_the_hidden_suite(tmp_path):
    sandbox = FakeSandbox(grading(TESTS))
    pinned = {"operations": {"list books": {"method": "GET", "path": "/api/books"}}}

    run(tmp_path, sandbox, binding=pinned)

    hidden = [c for c in sandbox.pods[0].commands if c.program == "hidden"]
    assert {
        json.loads(c.env["ASSAY_BINDING"])["operations"]["list books"]["path"] for c in hidden
    } == {"/api/books"}


# A reviewer's overrides


def test_pinned_overrides_reach_the_service_its_own_tests_and_the_tester(tmp_path):
    sandbox = FakeSandbox(grading(TESTS))

    report = run(tmp_path, sandbox, overrides={"CACHE_URL": "redis://{redis_host}/{redis_db}"})

    pod = sandbox.pods[0]
    [(_name, _script, service_env)] = pod.started
    [own] = [c for c in pod.commands if c.program == "selftest"]
    hidden = [c for c in pod.commands if c.program == "hidden"]
    assert service_env["CACHE_URL"] == "redis://127.0.0.1/0"
    assert own.env["CACHE_URL"] == "redis://127.0.0.1/1"
    assert {c.env["ASSAY_APP_CACHE_URL"] for c in hidden} == {"redis://127.0.0.1/0"}
    assert "CACHE_URL pinned by a reviewer: redis://127.0.0.1/0" in report.detection.configuration


def test_overrides_the_pod_cannot_be_given_are_refused_before_a_pod_is_opened(tmp_path):
    sandbox = FakeSandbox(grading(TESTS))

    with pytest.raises(InvalidInput, match="ASSAY_ cannot be pinned"):
        run(tmp_path, sandbox, overrides={"ASSAY_SEED": "1"})

    assert sandbox.specs == []

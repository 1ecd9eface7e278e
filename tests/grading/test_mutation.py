"""Mutation testing in a grading, with a fake pod: when it runs, what it is given, and how
its results become the evidence and the signal the rubric reads."""

from pathlib import Path

from assay.grading.pipeline import grade
from assay.grading.report import Report, Stage, StageStatus
from assay.sandbox.pod import ExecResult, Stop
from tests.builders import PROBLEM_TOML, RUBRIC_TOML, TESTS, submission, tiny_problem
from tests.fakes import Command, FakeSandbox, Handler, failed, grading, mutants, own_tests

KILLED = "failed: tests/test_own.py::test_0"
MUTATION_RUBRIC = RUBRIC_TOML.replace(
    '{ signal = "selftest.pass_ratio", worst = 0.0, best = 1.0 }',
    '{ signal = "selftest.mutation_score", worst = 0.0, best = 1.0 }',
)


def graded(tmp_path: Path, *, rubric: str = MUTATION_RUBRIC, **tools: Handler) -> Report:
    problem_toml = PROBLEM_TOML + "\n[mutation]\nmutants = 5\nseconds = 30\n"
    problem = tiny_problem(tmp_path, rubric=rubric, problem=problem_toml)
    sandbox = FakeSandbox(grading(TESTS, **tools))
    return grade(
        problem,
        submission(tmp_path),
        sandbox=sandbox,
        cache_dir=tmp_path / "cache",
        measure_load=False,
        seed=42,
    )


def stage(report: Report) -> Stage:
    [found] = [stage for stage in report.stages if stage.name == "mutation testing"]
    return found


def mutation_note(report: Report) -> str:
    [criterion] = [c for c in report.criteria if c.id == "testing"]
    [signal] = criterion.signals
    return signal.note


def test_mutants_are_not_run_when_the_rubric_does_not_read_their_score(tmp_path):
    report = graded(tmp_path, rubric=RUBRIC_TOML)

    assert "mutation testing" not in [stage.name for stage in report.stages]
    assert report.selftests is not None
    assert report.selftests.mutation is None


def test_mutants_run_after_the_own_tests_with_the_runs_seed_count_and_budget(tmp_path):
    asked: list[Command] = []

    def recorded(command: Command) -> ExecResult:
        asked.append(command)
        return mutants(KILLED)(command)

    report = graded(tmp_path, mutation=recorded)

    [command] = asked
    assert command.argv[-3:] == ["42", "5", "30"]
    names = [stage.name for stage in report.stages]
    assert names.index("mutation testing") == names.index("own tests") + 1


def test_the_score_is_the_share_of_drawn_mutants_the_tests_killed(tmp_path):
    report = graded(tmp_path, mutation=mutants(KILLED, KILLED, "timed out", "passed"))

    [criterion] = [c for c in report.criteria if c.id == "testing"]
    assert criterion.signals[0].value == 0.75
    assert stage(report).summary == (
        "3 of 4 sampled mutants killed (40 possible on the covered lines)"
    )


def test_the_note_names_where_each_surviving_mutant_is(tmp_path):
    report = graded(tmp_path, mutation=mutants("passed", KILLED, "passed"))

    assert mutation_note(report) == (
        "1 of 3 sampled mutants killed (40 possible on covered lines); "
        "survived: app/main.py:1, app/main.py:3"
    )


def test_every_drawn_mutant_is_kept_as_evidence(tmp_path):
    report = graded(tmp_path, mutation=mutants(KILLED, "passed"))

    assert report.selftests is not None and report.selftests.mutation is not None
    assert [(m.line, m.killed) for m in report.selftests.mutation.mutants] == [
        (1, True),
        (2, False),
    ]


def test_own_tests_that_fail_face_no_mutant_and_earn_no_mutation_score(tmp_path):
    report = graded(tmp_path, selftest=own_tests(passed=2, failed=1))

    assert stage(report).status is StageStatus.skipped
    assert stage(report).summary == "the own tests did not all pass unchanged"
    assert mutation_note(report) == "selftest.mutation_score was not measured"


def test_no_own_tests_face_no_mutant(tmp_path):
    report = graded(tmp_path, selftest=own_tests(passed=0))

    assert stage(report).summary == "there are no own tests"


def test_a_suite_that_fails_its_second_unchanged_run_is_not_measured(tmp_path):
    flaky = mutants(skipped="the unchanged tests did not pass a second run (failed: t)")

    report = graded(tmp_path, mutation=flaky)

    assert stage(report).status is StageStatus.failed
    assert "did not pass a second run" in stage(report).summary
    assert mutation_note(report) == "selftest.mutation_score was not measured"


def test_a_mutation_run_that_leaves_no_results_is_the_graders_failure(tmp_path):
    report = graded(tmp_path, mutation=lambda command: failed(1, "Traceback: ImportError"))

    assert report.error == (
        "mutation testing: the grader failed here: mutation testing wrote no results: "
        "exited with code 1"
    )


def test_a_mutation_run_stopped_at_its_deadline_is_the_candidates_and_still_scored(tmp_path):
    def hung(command: Command) -> ExecResult:
        return ExecResult(exit_code=-9, output="", seconds=60.0, stopped_by=Stop.deadline)

    report = graded(tmp_path, mutation=hung)

    assert report.error is None
    assert stage(report).status is StageStatus.failed
    assert mutation_note(report) == "selftest.mutation_score was not measured"

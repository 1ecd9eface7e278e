"""Mutation testing: do the candidate's tests notice when their code is changed?

Coverage says which lines the tests ran, not whether anything checked what those lines did;
tests that call every route and assert nothing reach full coverage. A sample of mutmut's
mutants on the covered lines, each run against the tests, tells the two apart. It is measured
only when the rubric asks for it, after the tests passed unchanged, and it is self-reported:
the candidate's tests decide whether a mutant was noticed.
"""

from pydantic import ValidationError

from assay.errors import PlatformError
from assay.grading.context import Run
from assay.grading.report import Mutation, SelfTests, StageStatus
from assay.grading.stages.selftest import read_json
from assay.sandbox.pod import Role

NAME = "mutation testing"
SIGNAL = "selftest.mutation_score"
GRACE_S = 30  # beyond the problem's budget, for the tool to start and write its file


def _not_ready(selftests: SelfTests | None) -> str:
    """Why the tests cannot face mutants, or "" when they can."""
    if selftests is None or not selftests.collected:
        return "there are no own tests"
    if selftests.failed or selftests.collect_errors or not selftests.passed:
        return "the own tests did not all pass unchanged"
    if selftests.line_coverage is None:
        return "coverage was not measured, so there are no covered lines to mutate"
    return ""


def _read(run: Run) -> Mutation | None:
    data = read_json(run, "mutation.json")
    try:
        return Mutation.model_validate(data) if data is not None else None
    except ValidationError:
        return None


def mutation(run: Run) -> None:
    if SIGNAL not in run.problem.rubric.signal_names():
        return
    selftests = run.report.selftests
    why_not = _not_ready(selftests)
    if why_not or selftests is None:
        run.skip(NAME, why_not)
        return
    spec = run.problem.spec.mutation
    with run.stage(NAME) as stage:
        toolkit, scratch = str(run.pod.paths.toolkit), str(run.scratch("selftest"))
        argv = ["python", "-I", run.toolkit("mutation.py"), toolkit, scratch]
        outcome = run.pod.run(
            Role.selftest,
            [*argv, str(run.seed), str(spec.mutants), str(spec.seconds)],
            env=run.selftest_env(),
            timeout=spec.seconds + GRACE_S,
        )
        stage.log = outcome.output
        measured = _read(run)
        if measured is None and outcome.stopped_by is None:
            raise PlatformError(f"mutation testing wrote no results: {outcome.why()}")
        if measured is None:
            stage.status = StageStatus.failed
            stage.summary = f"no mutant was measured: {outcome.why()}"
            return
        selftests.mutation = measured
        tried = len(measured.mutants)
        stage.summary = (
            f"{measured.killed} of {tried} sampled mutants killed "
            f"({measured.candidates} possible on the covered lines)"
        ) + (f"; {measured.skipped}" if measured.skipped else "")
        if measured.skipped and not tried:
            stage.status = StageStatus.failed

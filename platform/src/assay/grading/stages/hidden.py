"""The hidden black-box tests: collected once, then run against the healthy service."""

import json
from pathlib import PurePosixPath

from pydantic import TypeAdapter

from assay.errors import PlatformError
from assay.grading.context import Run
from assay.grading.report import HiddenTest, StageStatus
from assay.sandbox.pod import ExecResult, Role

HEALTHY_ONLY = "not degraded"
DEGRADED_ONLY = "degraded"


def _pytest(run: Run, results: PurePosixPath, *extra: str, timeout: int) -> ExecResult:
    argv = [
        "python",
        "-m",
        "pytest",
        str(run.pod.paths.evaluation / "tests"),
        "-p",
        "assay_pytest",
        "-p",
        "no:cacheprovider",
        "-q",
        "--color=no",
        *extra,
    ]
    env = {**run.tester_env(), "ASSAY_RESULTS": str(results)}
    return run.pod.run(Role.tester, argv, env=env, timeout=timeout)


def _events(run: Run, results: PurePosixPath) -> list[dict[str, object]]:
    text = run.pod.read_text(Role.tester, results) or ""
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def collect(run: Run) -> None:
    """List every hidden test first, so that one with no result still counts as failed."""
    results = run.scratch("hidden-collect.jsonl")
    outcome = _pytest(run, results, "--collect-only", timeout=60)
    events = _events(run, results)
    errors = [event for event in events if event["event"] == "collect_error"]
    collected = [event for event in events if event["event"] == "collected"]
    if errors or not collected or not collected[0]["tests"]:
        raise PlatformError(f"the hidden suite did not collect: {errors or outcome.output[-2000:]}")
    run.report.hidden_tests = TypeAdapter(list[HiddenTest]).validate_python(collected[0]["tests"])


def _apply(run: Run, events: list[dict[str, object]]) -> None:
    by_id = {test.id: test for test in run.report.hidden_tests}
    for event in events:
        test = by_id.get(str(event.get("id")))
        if event["event"] != "result" or test is None:
            continue
        if event["when"] == "teardown" and test.outcome == "passed":
            test.outcome = "error"
        elif event["when"] != "teardown":
            test.outcome = event["outcome"]  # type: ignore[assignment]
        test.message = str(event.get("message", ""))
        test.seconds += float(event.get("duration", 0.0))  # type: ignore[arg-type]


def _mark_missing(run: Run, degraded: bool, why: str) -> int:
    missing = [
        test
        for test in run.report.hidden_tests
        if test.degraded == degraded and test.outcome == "missing"
    ]
    for test in missing:
        test.message = why
    return len(missing)


def execute(run: Run, *, name: str, degraded: bool) -> None:
    """Run the healthy-pod tests, or (``degraded``) those meant for after the faults."""
    deadline = run.problem.spec.deadlines.faults if degraded else run.problem.spec.deadlines.hidden
    with run.stage(name) as stage:
        results = run.scratch(f"{name}.jsonl")
        marker = DEGRADED_ONLY if degraded else HEALTHY_ONLY
        outcome = _pytest(run, results, "-m", marker, timeout=deadline)
        _apply(run, _events(run, results))
        why = "no result before the deadline" if outcome.timed_out else "no result reported"
        missing = _mark_missing(run, degraded, why)
        mine = [test for test in run.report.hidden_tests if test.degraded == degraded]
        passed = sum(test.passed for test in mine)
        stage.summary = f"{passed}/{len(mine)} passed" + (
            f", {missing} without a result" if missing else ""
        )
        stage.log = outcome.output
        if passed < len(mine):
            stage.status = StageStatus.failed


def not_run(run: Run, why: str) -> None:
    for degraded in (False, True):
        _mark_missing(run, degraded, f"not run: {why}")

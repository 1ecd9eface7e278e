"""The hidden black-box tests: collected once, then run against the healthy service.

Results come only from the grader's plugin, in the tester, which never imports the submission.
They are still checked against each other before they count: a run whose events are missing,
repeated, or out of step with what was collected is a fault of the grader, never a pass.
"""

import json
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

from pydantic import TypeAdapter, ValidationError

from assay.errors import PlatformError
from assay.grading.context import BINDING_FILE, Run
from assay.grading.report import Binding, HiddenTest, Stage, StageStatus
from assay.sandbox.pod import ExecResult, Role

HEALTHY_ONLY = "not degraded"
DEGRADED_ONLY = "degraded"
COLLECT_DEADLINE_S = 60
PHASES = ("setup", "call", "teardown")
# pytest's exit statuses that say pytest itself failed, whatever the tests did.
PYTEST_FAILED = {2: "interrupted", 3: "internal error", 4: "usage error"}
Event = dict[str, Any]


@dataclass
class Outcomes:
    """A run's events, checked: what was collected, each test's result, whether it finished."""

    collected: list[dict[str, Any]] = field(default_factory=list)
    results: dict[str, dict[str, Event]] = field(default_factory=dict)
    collect_errors: list[Event] = field(default_factory=list)
    finished: bool = False
    exit_status: int | None = None
    stopped: str = ""  # why the grader's watchdog ended the run, if it did


def parse_events(text: str) -> list[Event]:
    events = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            event = json.loads(line)
        except ValueError as error:
            raise PlatformError(f"hidden results line {number} is not JSON: {error}") from error
        if not isinstance(event, dict) or "event" not in event:
            raise PlatformError(f"hidden results line {number} is not an event: {line[:200]}")
        events.append(event)
    return events


def check_events(events: list[Event], *, expected: list[str] | None) -> Outcomes:
    """Refuse events that no honest run of the plugin writes; ``expected`` ids, when known."""
    outcomes = Outcomes()
    collected_seen = 0
    for event in events:
        kind = event["event"]
        if outcomes.finished or outcomes.stopped:
            raise PlatformError(f"hidden results: a {kind!r} event after the session finished")
        if kind == "collect_error":
            outcomes.collect_errors.append(event)
        elif kind == "collected":
            collected_seen += 1
            outcomes.collected = list(event.get("tests", []))
        elif kind == "result":
            _record(outcomes, event, collected_seen)
        elif kind in ("finished", "stopped"):
            _end(outcomes, event)
        else:
            raise PlatformError(f"hidden results: unknown event {kind!r}")
    if collected_seen > 1:
        raise PlatformError("hidden results: the tests were collected twice in one run")
    ids = [str(test.get("id")) for test in outcomes.collected]
    if len(ids) != len(set(ids)):
        raise PlatformError("hidden results: a test was collected twice")
    if expected is not None and collected_seen and sorted(ids) != sorted(expected):
        missing, extra = sorted(set(expected) - set(ids)), sorted(set(ids) - set(expected))
        raise PlatformError(
            f"hidden results: collection does not match the suite (missing {missing[:5]}, "
            f"unexpected {extra[:5]})"
        )
    unknown = sorted(set(outcomes.results) - set(ids))
    if unknown:
        raise PlatformError(f"hidden results for tests never collected: {unknown[:5]}")
    status = outcomes.exit_status
    if isinstance(status, int) and status in PYTEST_FAILED and not outcomes.collect_errors:
        raise PlatformError(
            f"hidden results: pytest ended with exit status {status} ({PYTEST_FAILED[status]})"
        )
    return outcomes


def _end(outcomes: Outcomes, event: Event) -> None:
    """The session finished by itself, or the watchdog stopped it (and said why)."""
    if event["event"] == "finished":
        outcomes.finished = True
        outcomes.exit_status = event.get("exitstatus")
    else:
        outcomes.stopped = str(event.get("reason") or "stopped")


def _record(outcomes: Outcomes, event: Event, collected_seen: int) -> None:
    if not collected_seen:
        raise PlatformError("hidden results: a result came before collection finished")
    test_id, phase = str(event.get("id")), event.get("when")
    if phase not in PHASES:
        raise PlatformError(f"hidden results: {test_id} has a result for phase {phase!r}")
    phases = outcomes.results.setdefault(test_id, {})
    if phase in phases:
        raise PlatformError(f"hidden results: {test_id} reported its {phase} twice")
    phases[str(phase)] = event


def _outcome(phases: dict[str, Event]) -> tuple[str, str, float]:
    """One test's outcome, message and time from its phases (a teardown error fails a pass)."""
    main = phases.get("call") or phases.get("setup")
    outcome = str(main["outcome"]) if main else "missing"
    message = str(main.get("message", "")) if main else ""
    teardown = phases.get("teardown")
    if teardown is not None and outcome == "passed":
        outcome, message = "error", str(teardown.get("message", ""))
    seconds = sum(float(event.get("duration", 0.0)) for event in phases.values())
    return outcome, message, seconds


def apply(tests: list[HiddenTest], outcomes: Outcomes) -> None:
    by_id = {test.id: test for test in tests}
    for test_id, phases in outcomes.results.items():
        outcome, message, seconds = _outcome(phases)
        if outcome not in ("passed", "failed", "error", "skipped"):
            raise PlatformError(f"hidden results: {test_id} has outcome {outcome!r}")
        test = by_id[test_id]
        test.outcome, test.message, test.seconds = outcome, message, round(seconds, 4)  # type: ignore[assignment]


def _pytest(run: Run, results: PurePosixPath, *extra: str, timeout: float) -> ExecResult:
    evaluation = str(run.pod.paths.evaluation)
    argv = ["python", "-I", run.toolkit("hidden.py"), evaluation, str(results), *extra]
    return run.pod.run(Role.tester, argv, env=run.tester_env(), timeout=timeout)


def _read(run: Run, results: PurePosixPath, outcome: ExecResult) -> list[Event]:
    text = run.pod.read_text(Role.tester, results)
    if text is None:
        raise PlatformError(f"the hidden test run wrote no results ({outcome.why()})")
    return parse_events(text)


def collect(run: Run) -> bool:
    """List every hidden test first, so that one with no result still counts as failed."""
    with run.stage("hidden suite") as stage:
        results = run.scratch("hidden-collect.jsonl")
        outcome = _pytest(run, results, "--collect-only", timeout=COLLECT_DEADLINE_S)
        stage.log = outcome.output
        checked = check_events(_read(run, results, outcome), expected=None)
        if checked.collect_errors or not checked.collected or not checked.finished:
            errors = [f"{e.get('id')}: {e.get('message')}" for e in checked.collect_errors]
            raise PlatformError(
                f"the hidden suite did not collect ({outcome.why()}): "
                + ("; ".join(errors) or outcome.output[-1000:])
            )
        try:
            tests = TypeAdapter(list[HiddenTest]).validate_python(checked.collected)
        except ValidationError as error:
            raise PlatformError(f"hidden test metadata is invalid: {error}") from error
        run.report.hidden_tests = tests
        stage.summary = f"{len(tests)} hidden tests collected"
        return True
    return False


def _mark_missing(run: Run, degraded: bool, why: str) -> int:
    """Say why tests have no result, unless a run already said so."""
    missing = [
        test
        for test in run.report.hidden_tests
        if test.degraded == degraded and test.outcome == "missing"
    ]
    for test in missing:
        test.message = test.message or why
    return len(missing)


def _summarise(run: Run, stage: Stage, degraded: bool, missing: int) -> None:
    mine = [test for test in run.report.hidden_tests if test.degraded == degraded]
    passed = sum(test.passed for test in mine)
    stage.summary = f"{passed}/{len(mine)} passed" + (
        f", {missing} without a result" if missing else ""
    )
    if passed < len(mine):
        stage.status = StageStatus.failed


def execute(run: Run, *, name: str, degraded: bool) -> None:
    """Run the healthy-pod tests, or (``degraded``) those meant for after the faults."""
    spec = run.problem.spec.deadlines
    with run.stage(name) as stage:
        results = run.scratch(f"{name.replace(' ', '-')}.jsonl")
        marker = DEGRADED_ONLY if degraded else HEALTHY_ONLY
        outcome = _pytest(
            run, results, "-m", marker, timeout=spec.faults if degraded else spec.hidden
        )
        stage.log = outcome.output
        expected = [test.id for test in run.report.hidden_tests if test.degraded == degraded]
        checked = check_events(_read(run, results, outcome), expected=expected)
        if not checked.finished and not checked.stopped and outcome.stopped_by is None:
            raise PlatformError(
                f"the hidden test run ended without finishing ({outcome.why()}); see the stage log"
            )
        apply(run.report.hidden_tests, checked)
        why = "no result"
        if checked.stopped:
            why = f"no result: the run was stopped, {checked.stopped}"
        elif outcome.stopped_by:
            why = f"no result: the run {outcome.why()}"
        _summarise(run, stage, degraded, _mark_missing(run, degraded, why))
        if checked.stopped:
            stage.summary += f" (stopped: {checked.stopped})"
        if not degraded:
            run.report.binding = _binding(run)


def _binding(run: Run) -> Binding | None:
    """What an open brief's suite bound, when it says: the evidence behind every result."""
    text = run.pod.read_text(Role.tester, run.scratch(BINDING_FILE))
    if not text:
        return None
    try:
        return Binding.model_validate_json(text)
    except ValidationError as error:
        raise PlatformError(f"the hidden suite wrote an unreadable binding: {error}") from error


def not_run(run: Run, why: str) -> None:
    for degraded in (False, True):
        _mark_missing(run, degraded, f"not run: {why}")

"""The candidate's own tests, under the grader's pytest and coverage configuration.

Everything measured here is self-reported: the candidate's code runs in this process and
could lie about its results, so these signals never stand in for the hidden tests. The run is
stopped early when its collection never ends or no test ends for a while, so that a hung
suite costs a minute, not the whole deadline.
"""

import json
from typing import Any

from assay.errors import PlatformError
from assay.grading.context import Run
from assay.grading.report import SelfTests, StageStatus
from assay.sandbox.pod import Role

FAILURES_LISTED = 10
COLLECT_S = 60
STALL_S = 60
NO_DATA = "No data to report"
# How coverage fails when the tests left it no room: a full disk, a full process table (the
# last is selftest.py's own words). The candidate's doing: coverage is then not measured.
NO_ROOM = ("No space left on device", "database or disk is full", "coverage could not start")


def tally(events: list[dict[str, Any]], selftests: SelfTests) -> None:
    """Count collected tests, collection errors, and each test's worst outcome."""
    outcomes: dict[str, str] = {}
    for event in events:
        if event.get("event") == "collected":
            selftests.collected += len(event.get("tests", []))
        elif event.get("event") == "collect_error":
            selftests.collect_errors += 1
            selftests.failures.append(f"{event.get('id')}: {event.get('message')}")
        elif event.get("event") == "result" and event.get("outcome") != "skipped":
            failed = event.get("outcome") != "passed"
            test_id = str(event.get("id"))
            if failed and len(selftests.failures) < FAILURES_LISTED:
                selftests.failures.append(f"{test_id}: {event.get('message')}")
            if failed or test_id not in outcomes:
                outcomes[test_id] = "failed" if failed else "passed"
    selftests.passed = sum(outcome == "passed" for outcome in outcomes.values())
    selftests.failed = len(outcomes) - selftests.passed


def parse_lines(text: str) -> list[dict[str, Any]]:
    """The candidate's process wrote these: unreadable lines are skipped, never trusted."""
    events = []
    for line in text.splitlines():
        try:
            event = json.loads(line)
        except ValueError:
            continue
        if isinstance(event, dict):
            events.append(event)
    return events


def coverage(data: dict[str, Any], selftests: SelfTests) -> None:
    totals = data.get("totals", {})
    selftests.statements = int(totals.get("num_statements", 0))
    selftests.covered_statements = int(totals.get("covered_lines", 0))
    selftests.branches = int(totals.get("num_branches", 0))
    selftests.covered_branches = int(totals.get("covered_branches", 0))
    if selftests.statements:
        selftests.line_coverage = round(selftests.covered_statements / selftests.statements, 4)
        branches = selftests.branches
        selftests.branch_coverage = (
            round(selftests.covered_branches / branches, 4) if branches else 1.0
        )


def read_json(run: Run, name: str) -> dict[str, Any] | None:
    """A JSON object the selftest container left in its scratch folder; the candidate's
    processes could have written it, so anything else reads as nothing."""
    text = run.pod.read_text(Role.selftest, run.scratch(f"selftest/{name}"))
    try:
        data = json.loads(text) if text else None
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


def _no_room(verdict: dict[str, Any]) -> bool:
    return any(text in str(verdict.get("coverage_output", "")) for text in NO_ROOM)


def _coverage_crashed(verdict: dict[str, Any]) -> bool:
    """Coverage failed for another reason than having no data or no room (the tests' doing)."""
    failed = verdict.get("coverage_exit_code") not in (None, 0)
    return (
        failed and NO_DATA not in str(verdict.get("coverage_output", "")) and not _no_room(verdict)
    )


def selftest(run: Run) -> None:
    with run.stage("own tests") as stage:
        toolkit, scratch = str(run.pod.paths.toolkit), str(run.scratch("selftest"))
        argv = ["python", "-I", run.toolkit("selftest.py"), toolkit, scratch]
        outcome = run.pod.run(
            Role.selftest,
            [*argv, str(COLLECT_S), str(STALL_S)],
            env=run.selftest_env(),
            timeout=run.problem.spec.deadlines.selftest,
        )
        stage.log = outcome.output
        selftests = SelfTests()
        results = run.pod.read_text(Role.selftest, run.scratch("selftest/results.jsonl"))
        tally(parse_lines(results or ""), selftests)
        verdict = read_json(run, "verdict.json") or {}
        covered = read_json(run, "coverage.json")
        if covered is not None:
            coverage(covered, selftests)
        elif selftests.passed + selftests.failed and _coverage_crashed(verdict):
            stage.log += f"\n[coverage]\n{verdict.get('coverage_output', '')}"
            raise PlatformError("coverage failed to report on tests that ran")
        run.report.selftests = selftests
        stopped = str(verdict.get("stopped") or "")
        if not stopped and outcome.stopped_by is not None:
            stopped = outcome.why()
        if covered is None and _no_room(verdict):
            stage.log += f"\n[coverage]\n{verdict.get('coverage_output', '')}"
            stopped = "; ".join(
                filter(None, [stopped, "the tests left coverage no room to report"])
            )
        stage.summary = (
            f"{selftests.passed}/{selftests.collected} passed (self-reported), "
            f"branch coverage {_percent(selftests.branch_coverage)}"
        ) + (f"; {stopped}" if stopped else "")
        if stopped or selftests.failed or selftests.collect_errors or not selftests.collected:
            stage.status = StageStatus.failed


def _percent(value: float | None) -> str:
    return "not measured" if value is None else f"{value:.0%}"

"""The candidate's own tests, under the grader's pytest and coverage configuration.

Everything measured here is self-reported: the candidate's code runs in this process and
could lie about its results, so these signals never stand in for the hidden tests.
"""

import json
from typing import Any

from assay.grading.context import Run
from assay.grading.report import SelfTests, StageStatus
from assay.sandbox.pod import Role

FAILURES_LISTED = 10


def _command(run: Run) -> list[str]:
    toolkit = run.pod.paths.toolkit
    rcfile = f"--rcfile={toolkit / 'coveragerc'}"
    source = "."
    pytest = [
        "-m",
        "pytest",
        "-c",
        str(toolkit / "pytest.ini"),
        f"--rootdir={source}",
        f"--confcutdir={source}",
        "--color=no",
    ]
    script = (
        f"mkdir -p {run.scratch('selftest')} && "
        f"python -m coverage run {rcfile} {' '.join(pytest)}; "
        f"python -m coverage json {rcfile} -q || true"
    )
    return ["sh", "-c", script]


def _tally(events: list[dict[str, Any]], selftests: SelfTests) -> None:
    outcomes: dict[str, str] = {}
    for event in events:
        if event["event"] == "collected":
            selftests.collected += len(event["tests"])
        elif event["event"] == "collect_error":
            selftests.collect_errors += 1
            selftests.failures.append(f"{event['id']}: {event['message']}")
        elif event["event"] == "result" and event["outcome"] != "skipped":
            failed = event["outcome"] != "passed"
            if failed and len(selftests.failures) < FAILURES_LISTED:
                selftests.failures.append(f"{event['id']}: {event['message']}")
            if failed or event["id"] not in outcomes:
                outcomes[event["id"]] = "failed" if failed else "passed"
    selftests.passed = sum(outcome == "passed" for outcome in outcomes.values())
    selftests.failed = len(outcomes) - selftests.passed


def _coverage(data: dict[str, Any], selftests: SelfTests) -> None:
    totals = data.get("totals", {})
    selftests.statements = totals.get("num_statements", 0)
    selftests.covered_statements = totals.get("covered_lines", 0)
    selftests.branches = totals.get("num_branches", 0)
    selftests.covered_branches = totals.get("covered_branches", 0)
    if selftests.statements:
        selftests.line_coverage = round(selftests.covered_statements / selftests.statements, 4)
        branches = selftests.branches
        selftests.branch_coverage = (
            round(selftests.covered_branches / branches, 4) if branches else 1.0
        )


def selftest(run: Run) -> None:
    with run.stage("own tests") as stage:
        results = run.scratch("selftest/results.jsonl")
        env = {
            **run.selftest_env(),
            "ASSAY_RESULTS": str(results),
            "ASSAY_SOURCE": ".",
            "ASSAY_SCRATCH": str(run.pod.paths.scratch),
            "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1",
        }
        outcome = run.pod.run(
            Role.selftest, _command(run), env=env, timeout=run.problem.spec.deadlines.selftest
        )
        selftests = SelfTests()
        text = run.pod.read_text(Role.selftest, results) or ""
        _tally([json.loads(line) for line in text.splitlines() if line.strip()], selftests)
        coverage = run.pod.read_text(Role.selftest, run.scratch("selftest/coverage.json"))
        if coverage:
            _coverage(json.loads(coverage), selftests)
        run.report.selftests = selftests
        stage.log = outcome.output
        stage.summary = (
            f"{selftests.passed}/{selftests.collected} passed (self-reported), "
            f"branch coverage {_percent(selftests.branch_coverage)}"
        )
        if outcome.timed_out:
            stage.summary += "; stopped at the deadline"
        if (
            outcome.timed_out
            or selftests.failed
            or selftests.collect_errors
            or not selftests.collected
        ):
            stage.status = StageStatus.failed


def _percent(value: float | None) -> str:
    return "not measured" if value is None else f"{value:.0%}"

"""Pytest plugin the grader loads into every run it reads: one JSON line per event.

Results are written as they happen, so a run killed at its deadline still says which
tests had finished and which were collected but never reported; a ``finished`` line says
the session ended by itself, a ``stopped`` line that the grader's watchdog ended it. The
grader checks the events against each other: a run whose lines are missing, repeated or out of
step with what was collected is not trusted.
"""

from __future__ import annotations

import json
import os
import threading
import time
from pathlib import Path
from typing import IO, Any

import pytest

MESSAGE_CAP = 2000
_sinks: list[IO[str]] = []
_lock = threading.Lock()
# When the last event was written: a watchdog reads it to tell a run that stalls.
last_event = time.monotonic()


def _emit(event: dict[str, Any]) -> None:
    global last_event  # noqa: PLW0603 - one clock for the whole session
    with _lock:
        for sink in _sinks:
            sink.write(json.dumps(event) + "\n")
            sink.flush()
        last_event = time.monotonic()


def stop(reason: str) -> None:
    """Say the run was stopped before it finished (the last event of a run the grader ends)."""
    _emit({"event": "stopped", "reason": reason})


def _metadata(item: pytest.Item) -> dict[str, Any]:
    marker = item.get_closest_marker("assay")
    kwargs = dict(marker.kwargs) if marker else {}
    doc = getattr(getattr(item, "function", None), "__doc__", None) or ""
    return {
        "id": item.nodeid,
        "category": str(kwargs.get("category", "functionality")),
        "weight": float(kwargs.get("weight", 1.0)),
        "visible": bool(kwargs.get("visible", True)),
        "degraded": item.get_closest_marker("degraded") is not None,
        "doc": doc.strip().splitlines()[0] if doc.strip() else "",
    }


def _message(report: pytest.TestReport | pytest.CollectReport) -> str:
    crash = getattr(report.longrepr, "reprcrash", None)
    text = crash.message if crash is not None else str(report.longrepr or "")
    return text[:MESSAGE_CAP]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "assay(category, weight, visible): scoring metadata")
    config.addinivalue_line("markers", "degraded: runs after the grader injects faults")
    path = os.environ.get("ASSAY_RESULTS")
    if path:
        _sinks.append(Path(path).open("a", encoding="utf-8"))  # noqa: SIM115 - open all session


def pytest_unconfigure(config: pytest.Config) -> None:
    while _sinks:
        _sinks.pop().close()


def pytest_collectreport(report: pytest.CollectReport) -> None:
    if report.failed:
        _emit({"event": "collect_error", "id": report.nodeid, "message": _message(report)})


def pytest_collection_finish(session: pytest.Session) -> None:
    _emit({"event": "collected", "tests": [_metadata(item) for item in session.items]})


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    _emit({"event": "finished", "exitstatus": int(exitstatus)})


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.when == "call" or report.failed or report.skipped:
        outcome = report.outcome
        if report.failed and report.when != "call":
            outcome = "error"
        _emit(
            {
                "event": "result",
                "id": report.nodeid,
                "when": report.when,
                "outcome": outcome,
                "duration": round(report.duration, 4),
                "message": _message(report) if report.failed or report.skipped else "",
            }
        )

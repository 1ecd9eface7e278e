"""Submissions that run several processes: each started, health-checked and killable."""

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from assay.catalog.loader import Problem, load_problem
from assay.grading.report import Outcome, Report

pytestmark = [pytest.mark.docker, pytest.mark.xdist_group("processes")]

PROBLEM_TOML = """
slug = "duo"
title = "Two processes"
version = "1"
difficulty = "junior"
time_box = "1 hour"
stack = ["python"]

[app]
port = 8000
startup_seconds = 30

[[processes]]
name = "front"
command = "python -m uvicorn front:app --host 127.0.0.1 --port 8000"
port = 8000

[[processes]]
name = "back"
command = "python -m uvicorn back:app --host 127.0.0.1 --port 8001"
port = 8001

[load]
users = 2
spawn_rate = 2
seconds = 5

[faults]
stop = ["back"]
"""
RUBRIC_TOML = """
version = "1"
[[criteria]]
id = "functionality"
title = "Functionality"
weight = 100
signals = [{ signal = "hidden.all", worst = 0.0, best = 1.0 }]
"""
FRONT = """
import httpx
from fastapi import FastAPI, HTTPException

app = FastAPI()


@app.get("/health")
def health() -> dict[str, str]:
    return {"status": "ok"}


@app.get("/answer")
def answer() -> dict[str, int]:
    try:
        return httpx.get("http://127.0.0.1:8001/answer", timeout=1).json()
    except httpx.HTTPError as error:
        raise HTTPException(503, "back is down") from error
"""
BACK = """
from fastapi import FastAPI

app = FastAPI()


@app.get("/health")
def health() -> dict[str, str]:
    return {"status": "ok"}


@app.get("/answer")
def answer() -> dict[str, int]:
    return {"answer": 42}
"""
HIDDEN = """
import os

import httpx
import pytest

BASE = os.environ["ASSAY_BASE_URL"]


@pytest.mark.assay(category="functionality")
def test_front_asks_back() -> None:
    assert httpx.get(f"{BASE}/answer").json() == {"answer": 42}


@pytest.mark.degraded
@pytest.mark.assay(category="resilience")
def test_front_says_503_when_back_is_gone() -> None:
    assert httpx.get(f"{BASE}/answer").status_code == 503
"""
LOCUSTFILE = """
from locust import HttpUser, task


class Reader(HttpUser):
    @task
    def answer(self) -> None:
        self.client.get("/answer")
"""


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")


@pytest.fixture(scope="session")
def duo(tmp_path_factory: pytest.TempPathFactory) -> Problem:
    root = tmp_path_factory.mktemp("duo-root")
    _write(root / "problems/duo/problem.toml", PROBLEM_TOML)
    _write(root / "problems/duo/README.md", "Two processes.\n")
    _write(root / "evaluation/duo/rubric.toml", RUBRIC_TOML)
    _write(root / "evaluation/duo/tests/test_duo.py", HIDDEN)
    _write(root / "evaluation/duo/locustfile.py", LOCUSTFILE)
    _write(root / "examples/duo/front.py", FRONT)
    _write(root / "examples/duo/back.py", BACK)
    return load_problem(root, "duo")


@pytest.fixture(scope="session")
def duo_report(grader: Callable[..., Report], duo: Problem) -> Report:
    return grader(duo.reference, duo)


def test_every_process_is_started_and_waited_for(duo_report: Report) -> None:
    boot = next(stage for stage in duo_report.stages if stage.name == "boot")
    assert duo_report.outcome is Outcome.graded, duo_report.error
    assert boot.summary.startswith("front, back answering")


def test_a_process_named_in_faults_is_stopped_before_the_degraded_tests(
    duo_report: Report,
) -> None:
    outcomes = {test.id.rsplit("::", 1)[-1]: test.outcome for test in duo_report.hidden_tests}
    assert outcomes == {
        "test_front_asks_back": "passed",
        "test_front_says_503_when_back_is_gone": "passed",
    }


def test_peak_memory_adds_up_every_process(duo_report: Report) -> None:
    assert duo_report.load is not None
    assert duo_report.load.peak_memory_mb is not None
    assert duo_report.load.peak_memory_mb > 40

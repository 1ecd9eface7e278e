"""Builders for the fast tests: a tiny problem on disk, submissions, reports."""

import textwrap
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from assay.catalog.loader import Problem, load_problem
from assay.grading.report import Report
from tests.fakes import hidden_test

SLUG = "tiny"
PROBLEM_TOML = """
slug = "{slug}"
title = "Tiny API"
version = "1.0.0"
difficulty = "junior"
time_box = "1 hour"
stack = ["python", "fastapi"]
services = ["redis"]

[app]
startup_seconds = 5

[faults]
stop = ["redis"]
"""
RUBRIC_TOML = """
version = "1"

[[criteria]]
id = "functionality"
title = "Functionality"
weight = 40
signals = [{ signal = "hidden.all", worst = 0.0, best = 1.0 }]

[[criteria]]
id = "code_quality"
title = "Code Quality"
weight = 20
gate = "hidden.all"
signals = [{ signal = "static.format_clean", worst = 0.5, best = 1.0 }]

[[criteria]]
id = "testing"
title = "Testing"
weight = 20
gate = "hidden.all"
signals = [{ signal = "selftest.pass_ratio", worst = 0.0, best = 1.0 }]

[[criteria]]
id = "performance"
title = "Performance"
weight = 20
gate = "hidden.all"
signals = [{ signal = "load.p95_ms", worst = 1000.0, best = 50.0 }]
"""
HIDDEN_PY = """
import pytest


@pytest.mark.assay(category="functionality")
def test_create(): ...


def test_list(): ...


@pytest.mark.degraded
@pytest.mark.assay(category="resilience")
def test_without_redis(): ...
"""
APP = "from fastapi import FastAPI\n\napp = FastAPI()\n"
NO_APP = "# TODO: build the API here\n"
# What the fake hidden suite collects: the tests HIDDEN_PY defines.
TESTS = [
    hidden_test("test_create"),
    hidden_test("test_list"),
    hidden_test("test_without_redis", category="resilience", degraded=True),
]


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return path


def write_problem(
    root: Path,
    slug: str = SLUG,
    *,
    problem: str = PROBLEM_TOML,
    rubric: str = RUBRIC_TOML,
    hidden: str = HIDDEN_PY,
) -> Path:
    """A whole problem under ``root``: statement, rubric, hidden tests, reference, starter."""
    write(root / "problems" / slug / "problem.toml", problem.format(slug=slug))
    write(root / "problems" / slug / "README.md", "Build a tiny API.\n")
    write(root / "evaluation" / slug / "rubric.toml", rubric)
    write(root / "evaluation" / slug / "tests" / "test_api.py", hidden)
    write(root / "examples" / slug / "app" / "main.py", APP)
    write(root / "starter-code" / slug / "app" / "main.py", NO_APP)
    return root


def tiny_problem(tmp_path: Path, **texts: str) -> Problem:
    return load_problem(write_problem(tmp_path / "root", **texts), SLUG)


def submission(tmp_path: Path, main_py: str = APP) -> Path:
    """A submission folder with its ``app/main.py``: a FastAPI app unless told otherwise."""
    folder = tmp_path / "submission"
    write(folder / "app" / "main.py", main_py)
    write(folder / "README.md", "Alice's tiny API.\n")
    return folder


def make_report(**overrides: Any) -> Report:
    fields: dict[str, Any] = {
        "run_id": "abc123",
        "submission": "submissions/alice",
        "started_at": datetime(2024, 5, 1, tzinfo=UTC),
        "total": 72.5,
    }
    return Report.model_validate(fields | overrides)

"""The local backend: the same stages as plain processes, opt-in and loud about it."""

from pathlib import Path

import pytest

from assay.catalog.loader import Problem
from assay.config import get_settings
from assay.grading.pipeline import grade
from assay.grading.report import Outcome
from assay.sandbox.backends import LOCAL_WARNING, open_sandbox
from assay.sandbox.local import LocalSandbox


def test_choosing_the_local_backend_warns_that_nothing_is_isolated() -> None:
    said: list[str] = []
    sandbox = open_sandbox(get_settings(), "local", said.append)
    assert isinstance(sandbox, LocalSandbox)
    assert said == [f"WARNING: {LOCAL_WARNING}"]


@pytest.mark.servers
def test_local_backend_grades_the_reference_like_the_pod(
    book_reviews: Problem, tmp_path: Path
) -> None:
    report = grade(
        book_reviews,
        book_reviews.reference,
        sandbox=LocalSandbox(output_cap=64 * 1024),
        cache_dir=tmp_path,
    )
    assert report.outcome is Outcome.graded, report.error
    assert report.total is not None and report.total >= 90
    assert report.reproducibility is not None
    assert report.reproducibility.backend == "local"

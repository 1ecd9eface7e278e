"""Grade hostile submissions on the real Docker engine, and record what each left behind.

Every grading here runs with a canary secret in the grader's own environment, and is followed
by a look at the host: the run's containers and volumes, processes carrying the session's
marker, files with the marker in the host's /tmp, and the files the submission came from or
linked to.
"""

import secrets
from collections.abc import Callable, Iterable
from pathlib import Path

import pytest

from assay import tree
from assay.catalog.loader import Problem
from assay.grading.report import Report
from assay.sandbox.docker import DockerSandbox
from tests.hostile import submissions
from tests.hostile.checks import CANARY_VARIABLE, Graded, Hostile, leftovers, stray_processes

TIMINGS: list[str] = []


@pytest.fixture(scope="session")
def marker() -> str:
    """A word every payload puts in its output, file names and command lines."""
    return f"hostile{secrets.token_hex(4)}"


@pytest.fixture(scope="session")
def hostile(sandbox: DockerSandbox, grader: Callable[..., Report], marker: str) -> Hostile:
    """Grade a folder with a canary in the grader's environment; look at the host afterwards."""

    def grade(
        name: str, folder: Path, *, outside: Iterable[Path] = (), measure_load: bool = False
    ) -> Graded:
        watched = list(outside)
        digest = tree.walk(folder).digest()
        before = {path: path.read_bytes() for path in watched}
        canary = f"canary-{secrets.token_hex(8)}"
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv(CANARY_VARIABLE, canary)
            report = grader(folder, measure_load=measure_load)
        graded = Graded(name, report, canary)
        graded.leftovers = leftovers(sandbox.client, report.run_id)
        graded.stray = stray_processes(marker)
        graded.changed = [str(path) for path in watched if path.read_bytes() != before[path]]
        if tree.walk(folder).digest() != digest:
            graded.changed.append(str(folder))
        graded.changed += [str(path) for path in Path("/tmp").glob(f"*{marker}*")]
        TIMINGS.append(
            f"{name:<18} {graded.seconds:6.1f} s  {report.outcome.value:<6}  total {report.total}"
            f"  {graded.points()}"
        )
        return graded

    return grade


@pytest.fixture(scope="session")
def twin(
    hostile: Hostile, book_reviews: Problem, tmp_path_factory: pytest.TempPathFactory
) -> Graded:
    """The honest twin: healthy, otherwise broken, with lint findings and a failing own test."""
    folder = tmp_path_factory.mktemp("twin") / "submission"
    return hostile("honest twin", submissions.honest(book_reviews, folder))


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if TIMINGS:
        terminalreporter.write_sep("-", "hostile gradings")
        for line in TIMINGS:
            terminalreporter.write_line(line)

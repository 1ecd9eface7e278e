"""Grade hostile submissions on the real Docker engine, and record what each left behind.

Every grading here runs with a canary secret in the grader's own environment, and is followed
by a look at the host: the run's containers and volumes, processes carrying the session's
marker, files with the marker in the host's /tmp, and the files the submission came from or
linked to.
"""

import secrets
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from assay import tree
from assay.catalog.loader import Problem
from assay.grading.report import Report
from assay.sandbox.docker import DockerSandbox
from tests.hostile import submissions
from tests.hostile.checks import (
    CANARY_VARIABLE,
    Batch,
    Graded,
    Hostile,
    leftovers,
    stray_processes,
)

TIMINGS: list[str] = []
# Gradings side by side: as many as a worker host of two cores runs.
AT_ONCE = 2


@pytest.fixture(scope="session")
def marker() -> str:
    """A word every payload puts in its output, file names and command lines."""
    return f"hostile{secrets.token_hex(4)}"


@pytest.fixture(scope="session")
def hostile_batch(sandbox: DockerSandbox, grader: Callable[..., Report], marker: str) -> Batch:
    """Grade folders side by side (``AT_ONCE``, in the order given), as a worker pool meets
    them, with a canary in the grader's environment; look at the host once all have ended."""

    def grade_all(
        folders: Mapping[str, Path], *, outside: Iterable[Path] = (), measure_load: bool = False
    ) -> dict[str, Graded]:
        watched = list(outside)
        digests = {name: tree.walk(folder).digest() for name, folder in folders.items()}
        before = {path: path.read_bytes() for path in watched}
        canary = f"canary-{secrets.token_hex(8)}"
        with pytest.MonkeyPatch.context() as patch, ThreadPoolExecutor(AT_ONCE) as pool:
            patch.setenv(CANARY_VARIABLE, canary)
            running = {
                name: pool.submit(grader, folder, measure_load=measure_load)
                for name, folder in folders.items()
            }
            reports = {name: future.result() for name, future in running.items()}
        stray = stray_processes(marker)
        changed = [str(path) for path in watched if path.read_bytes() != before[path]]
        changed += [str(path) for path in Path("/tmp").glob(f"*{marker}*")]
        graded = {}
        for name, report in reports.items():
            kept = tree.walk(folders[name]).digest() == digests[name]
            moved = [] if kept else [str(folders[name])]
            graded[name] = Graded(
                name,
                report,
                canary,
                leftovers=leftovers(sandbox.client, report.run_id),
                stray=stray,
                changed=changed + moved,
            )
            TIMINGS.append(
                f"{name:<18} {graded[name].seconds:6.1f} s  {report.outcome.value:<6}  "
                f"total {report.total}  {graded[name].points()}"
            )
        return graded

    return grade_all


@pytest.fixture(scope="session")
def hostile(hostile_batch: Batch) -> Hostile:
    """Grade one folder on its own."""

    def grade(
        name: str, folder: Path, *, outside: Iterable[Path] = (), measure_load: bool = False
    ) -> Graded:
        return hostile_batch({name: folder}, outside=outside, measure_load=measure_load)[name]

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

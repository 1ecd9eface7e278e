"""Trees that are refused before any pod starts: too many files, too deep, too big.

Each is refused as bad input with a reason, in seconds, without reading what it would not
grade (the 1 GiB sparse file is never read) and without starting a container. How a tree with
links, hard links, devices, sockets and odd names is copied is shown by the probing grading
(``test_probes.py``), which ships all of them.
"""

import os
import time
from collections.abc import Callable
from pathlib import Path

import docker
import pytest

from assay.catalog.loader import Problem
from assay.errors import InvalidSubmission
from assay.grading.report import Report
from assay.sandbox.docker import OWNER_LABEL, DockerSandbox, owner
from tests.hostile import submissions

pytestmark = [pytest.mark.docker, pytest.mark.xdist_group("hostile")]
REFUSED_WITHIN_S = 10


def _tiny_files(folder: Path) -> None:
    for number in range(10_000):
        (folder / f"f{number:05}.py").write_bytes(b"x = 1\n")


def _deep(folder: Path) -> None:
    deep = folder.joinpath(*["d"] * 200)
    deep.mkdir(parents=True)
    (deep / "bottom.py").write_text("bottom = True\n", encoding="utf-8")


def _long_names(folder: Path) -> None:
    """Folders of 255-character names, 20 deep: a path far past PATH_MAX (4096)."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        for _ in range(20):
            name = "n" * 255
            os.mkdir(name, dir_fd=fd)
            inner = os.open(name, os.O_RDONLY, dir_fd=fd)
            os.close(fd)
            fd = inner
    finally:
        os.close(fd)


def _sparse(folder: Path) -> None:
    with (folder / "data.bin").open("wb") as handle:
        handle.truncate(1024**3)


@pytest.fixture
def refused(
    grader: Callable[..., Report], sandbox: DockerSandbox
) -> Callable[[Path, str], list[str]]:
    """Grade a folder that must be refused for ``reason``; the containers it started remain."""
    client: docker.DockerClient = sandbox.client

    def attempt(folder: Path, reason: str) -> list[str]:
        started = time.monotonic()
        with pytest.raises(InvalidSubmission, match=reason):
            grader(folder, measure_load=False)
        assert time.monotonic() - started < REFUSED_WITHIN_S
        found = client.containers.list(all=True, filters={"label": f"{OWNER_LABEL}={owner()}"})
        return [container.name for container in found]

    return attempt


@pytest.mark.parametrize(
    ("junk", "reason"),
    [
        (_tiny_files, "5000 files"),
        (_deep, "nested deeper than 32 folders"),
        (_long_names, "could not be read: File name too long"),
        (_sparse, "over 50 MiB"),
    ],
    ids=["10 000 tiny files", "200 folders deep", "past PATH_MAX", "1 GiB sparse file"],
)
def test_trees_over_the_limits_are_refused_with_a_reason_before_any_pod(
    refused: Callable[[Path, str], list[str]],
    book_reviews: Problem,
    tmp_path: Path,
    junk: Callable[[Path], None],
    reason: str,
) -> None:
    folder = submissions.honest(book_reviews, tmp_path / "submission")
    junk(folder)
    assert refused(folder, reason) == []

"""Resources: submissions that spin, hoard memory, fork without end, or flood, fill and linger.

Each is graded with the problem's real deadlines and limits, ends in bounded time with the
reason named where a limit stopped it, scores no more than the honest twin on what a grader
failure could have given it, and leaves no container, volume or process behind.
"""

from collections.abc import Callable
from pathlib import Path

import pytest

from assay.catalog.loader import Problem
from tests.hostile import submissions
from tests.hostile.checks import Batch, Graded, assert_contained, not_above

pytestmark = [pytest.mark.docker, pytest.mark.xdist_group("hostile-resources")]
# What a grader failure could hand a submission that breaks things: hidden and own-test points.
FORGEABLE = ["functionality", "architecture", "testing"]
OOM = "killed by the out-of-memory killer at the memory limit"


@pytest.fixture(scope="session")
def graded(
    hostile_batch: Batch,
    book_reviews: Problem,
    marker: str,
    tmp_path_factory: pytest.TempPathFactory,
) -> dict[str, Graded]:
    """All four graded side by side, the two slowest first: each is bounded by its own
    deadlines, not by its neighbours. Session-scoped, so that no test order grades them twice."""
    builds: dict[str, Callable[[Path], Path]] = {
        "busy loop": lambda folder: submissions.spinning(book_reviews, folder),
        "noisy and slow": lambda folder: submissions.noisy(book_reviews, folder, marker),
        "fork bomb": lambda folder: submissions.fork_bomb(book_reviews, folder),
        "memory bomb": lambda folder: submissions.memory_bomb(book_reviews, folder),
    }
    folders = {
        name: build(tmp_path_factory.mktemp(name.replace(" ", "-")) / "submission")
        for name, build in builds.items()
    }
    return hostile_batch(folders)


def test_busy_loop_at_import_is_stopped_at_the_boot_and_collection_deadlines(
    graded: dict[str, Graded], twin: Graded
) -> None:
    spinning = graded["busy loop"]
    assert_contained(spinning)
    assert "never answered" in spinning.stage("boot").summary
    assert "collection did not finish within 60 s" in spinning.stage("own tests").summary
    assert not_above(spinning, twin, FORGEABLE) == []


def test_memory_bomb_is_killed_and_named_in_the_service_and_its_tests(
    graded: dict[str, Graded], twin: Graded
) -> None:
    hoarding = graded["memory bomb"]
    assert_contained(hoarding)
    assert hoarding.stage("boot").summary.startswith(f"app {OOM} before")
    assert OOM in hoarding.stage("own tests").summary
    assert not_above(hoarding, twin, FORGEABLE) == []


def test_fork_bomb_fills_only_its_own_process_table(
    graded: dict[str, Graded], twin: Graded
) -> None:
    forking = graded["fork bomb"]
    assert_contained(forking)
    assert forking.stage("boot").status.value == "failed"
    own = forking.report.selftests
    assert own is not None
    assert own.collected == 1, "the grader still read the own tests' results"
    assert "can't start new thread" in "\n".join(own.failures)
    assert not_above(forking, twin, FORGEABLE) == []


def test_service_that_never_finishes_an_answer_is_stopped_when_no_test_ends(
    graded: dict[str, Graded], twin: Graded
) -> None:
    noisy = graded["noisy and slow"]
    assert_contained(noisy)
    assert noisy.stage("boot").status.value == "passed"
    for stage in ("hidden tests", "degraded tests"):
        assert "stopped: no test ended for 60 s" in noisy.stage(stage).summary
        assert noisy.stage(stage).seconds < 75
    stopped = [test for test in noisy.report.hidden_tests if test.outcome == "missing"]
    assert stopped
    assert all("the run was stopped, no test ended for 60 s" in t.message for t in stopped)
    assert not_above(noisy, twin, FORGEABLE) == []


def test_disk_fill_stops_at_each_writable_place_and_spares_the_graders_records(
    graded: dict[str, Graded],
) -> None:
    noisy = graded["noisy and slow"]
    filled = [line.split() for line in noisy.stage("boot").log.splitlines()]
    sizes = {words[1]: int(words[2]) for words in filled if words[:1] == ["FILLED"]}
    assert set(sizes) == {"/tmp", "/work/submission", "/dev/shm"}
    assert all(0 < size <= 256 for size in sizes.values())
    own = noisy.report.selftests
    assert own is not None
    assert own.collected == 4
    assert own.branch_coverage is not None, "the tests filled /tmp; coverage still reported"


def test_floods_are_capped_and_a_lingering_daemon_holds_nothing_up(
    graded: dict[str, Graded], marker: str
) -> None:
    noisy = graded["noisy and slow"]
    own_tests = noisy.stage("own tests")
    assert "bytes cut" in own_tests.log
    assert len(own_tests.log) < 300_000
    assert own_tests.seconds < 60, "the daemon holding the output did not hold the stage"
    assert noisy.stray == [], f"no process with {marker} outlived the pod"

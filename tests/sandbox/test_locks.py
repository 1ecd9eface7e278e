"""Host locks: load measurements hold the host alone, timed test runs share it."""

import threading
from pathlib import Path

from assay.sandbox.locks import host_lock


def test_runs_that_share_the_host_never_wait_for_one_another(tmp_path: Path) -> None:
    waited: list[str] = []

    with (
        host_lock("load", shared=True, folder=tmp_path),
        host_lock("load", shared=True, folder=tmp_path, waiting=lambda: waited.append("x")),
    ):
        pass

    assert waited == []


def test_a_load_measurement_waits_until_no_shared_run_holds_the_host(tmp_path: Path) -> None:
    told, measured = threading.Event(), threading.Event()

    def measure() -> None:
        with host_lock("load", folder=tmp_path, waiting=told.set):
            measured.set()

    with host_lock("load", shared=True, folder=tmp_path):
        thread = threading.Thread(target=measure)
        thread.start()
        assert told.wait(5)
        assert not measured.is_set()
    thread.join(5)

    assert measured.is_set()


def test_a_shared_run_waits_while_load_is_measured(tmp_path: Path) -> None:
    told, ran = threading.Event(), threading.Event()

    def run_tests() -> None:
        with host_lock("load", shared=True, folder=tmp_path, waiting=told.set):
            ran.set()

    with host_lock("load", folder=tmp_path):
        thread = threading.Thread(target=run_tests)
        thread.start()
        assert told.wait(5)
        assert not ran.is_set()
    thread.join(5)

    assert ran.is_set()

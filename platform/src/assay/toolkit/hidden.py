"""Run a problem's hidden suite with the grader's pytest, configuration and plugin only.

Usage: python -I hidden.py EVALUATION_DIR RESULTS_JSONL [PYTEST_ARGS...]

Started isolated (``-I``) from a folder outside the submission, so nothing the candidate ships
is on ``sys.path``; plugin autoloading is off, so no installed entry point joins in; the
configuration, rootdir and conftest search all stop at the evaluation folder.

A run in which no test ends for STALL_S seconds (a service that starts an answer and never
finishes it) is stopped: a ``stopped`` event ends the results, and the process exits STALLED.
"""

import os
import sys
import threading
import time
from pathlib import Path

os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
# The plugin is found only in the toolkit, whose folder goes first on the path.
sys.path.insert(0, str(Path(__file__).resolve().parent / "plugin"))

import assay_pytest
import pytest

STALL_S = 60
STALLED = 3


def _watchdog(stall_s: float) -> None:
    while True:
        time.sleep(min(stall_s / 10, 1.0))
        if time.monotonic() - assay_pytest.last_event > stall_s:
            assay_pytest.stop(f"no test ended for {stall_s:g} s")
            print(f"[assay] no test ended for {stall_s:g} s: the run was stopped", flush=True)
            os._exit(STALLED)


def main(evaluation: Path, results: str, extra: list[str]) -> int:
    os.environ["ASSAY_RESULTS"] = results
    threading.Thread(target=_watchdog, args=(STALL_S,), daemon=True).start()
    config = evaluation / "pytest.ini"
    if not config.is_file():
        config = Path(__file__).resolve().parent / "hidden.ini"
    args = [
        str(evaluation / "tests"),
        "-c",
        str(config),
        f"--rootdir={evaluation}",
        f"--confcutdir={evaluation}",
        "-p",
        "no:cacheprovider",
        "-q",
        "--color=no",
        *extra,
    ]
    return int(pytest.main(args, plugins=[assay_pytest]))


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]), sys.argv[2], sys.argv[3:]))

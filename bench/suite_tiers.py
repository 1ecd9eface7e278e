"""How long each test tier takes on this machine: the fast tier, then the whole suite.

The fast tier is the feedback every change gets (goal: under a minute, no Docker engine);
the whole suite is what CI runs (goal: well under 15 minutes). Both are measured in one run
of this script, with the same commands the Makefile uses. Run with ``make bench``.
"""

import re
import subprocess
import sys
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parents[1]
PYTEST = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"]
TIERS = {
    "fast (make test-fast)": [*PYTEST, "-m", "not docker and not servers", "tests"],
    "full (make test)": [*PYTEST, "-n", "2", "--dist", "loadgroup", "tests"],
}
GOALS_S = {"fast (make test-fast)": 60, "full (make test)": 15 * 60}
SUMMARY = re.compile(r"(\d+) passed")


def run(argv: list[str]) -> tuple[float, str, int]:
    started = time.monotonic()
    done = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, check=False)
    last = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else done.stderr[-300:]
    return time.monotonic() - started, last, done.returncode


def main() -> None:
    table = Table(title="Test tiers on this machine", title_justify="left")
    for column in ("tier", "wall s", "goal s", "tests passed", "pytest says"):
        table.add_column(column, overflow="fold")
    failed = False
    for name, argv in TIERS.items():
        seconds, last, code = run(argv)
        failed |= code != 0
        passed = SUMMARY.search(last)
        table.add_row(
            name, f"{seconds:.1f}", str(GOALS_S[name]), passed.group(1) if passed else "-", last
        )
    Console().print(table)
    if failed:
        sys.exit("a tier failed; see its summary above")


if __name__ == "__main__":
    main()

"""selftest.py, the watchdog over a candidate's own tests, run as the pod runs it: a process."""

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import assay

TOOLKIT = Path(assay.__file__).parent / "toolkit"
ADDER = "def add(a, b):\n    if a < 0:\n        return b\n    return a + b\n"
PASSING = "from calc import add\n\n\ndef test_adds():\n    assert add(1, 1) == 2\n"


def watched(tmp_path: Path, tests: dict[str, str], *, collect_s: float, stall_s: float) -> Path:
    """Run the watchdog over a project of ``calc.py`` and ``tests``; return its scratch folder."""
    project, scratch = tmp_path / "project", tmp_path / "scratch"
    (project / "tests").mkdir(parents=True)
    (project / "calc.py").write_text(ADDER, encoding="utf-8")
    for name, text in tests.items():
        path = project / "tests" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    argv = [sys.executable, "-I", str(TOOLKIT / "selftest.py"), str(TOOLKIT), str(scratch)]
    done = subprocess.run(
        [*argv, str(collect_s), str(stall_s)],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return scratch


def verdict(scratch: Path) -> dict:
    return json.loads((scratch / "verdict.json").read_text(encoding="utf-8"))


def events(scratch: Path) -> list[dict]:
    lines = (scratch / "results.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]


def test_a_suite_that_ends_by_itself_is_not_stopped_and_its_coverage_is_reported(tmp_path):
    scratch = watched(tmp_path, {"test_ok.py": PASSING}, collect_s=30, stall_s=30)

    assert verdict(scratch)["stopped"] == ""
    assert verdict(scratch)["exit_code"] == 0
    assert [e["outcome"] for e in events(scratch) if e["event"] == "result"] == ["passed"]
    totals = json.loads((scratch / "coverage.json").read_text())["totals"]
    assert (totals["covered_lines"], totals["num_statements"]) == (3, 4)
    assert (totals["covered_branches"], totals["num_branches"]) == (1, 2)


def test_a_suite_that_never_finishes_collecting_is_stopped_at_the_collection_deadline(tmp_path):
    hanging = "import time\n\ntime.sleep(60)\n\n\ndef test_never(): ...\n"

    scratch = watched(tmp_path, {"test_hangs.py": hanging}, collect_s=0.5, stall_s=30)

    assert verdict(scratch)["stopped"] == "collection did not finish within 0.5 s"
    assert verdict(scratch)["exit_code"] != 0


def test_a_suite_where_no_test_ends_for_a_while_is_stopped_at_the_stall_deadline(tmp_path):
    stalling = "import time\n\n\ndef test_sleeps():\n    time.sleep(60)\n"
    tests = {"test_a_ok.py": PASSING, "test_b_stalls.py": stalling}

    scratch = watched(tmp_path, tests, collect_s=30, stall_s=0.5)

    assert verdict(scratch)["stopped"] == "no test ended for 0.5 s"
    assert [e["id"] for e in events(scratch) if e["event"] == "result"] == [
        "tests/test_a_ok.py::test_adds"
    ]

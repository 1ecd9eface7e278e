"""selftest.py, the watchdog over a candidate's own tests, run as the pod runs it: a process."""

import json
from pathlib import Path

from tests.toolkit.projects import PASSING, watched


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

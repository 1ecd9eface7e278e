"""Run the candidate's own tests under coverage, with the grader's configuration, and stop them
as soon as it is clear nothing more will come.

Usage: python -I selftest.py TOOLKIT SCRATCH COLLECT_SECONDS STALL_SECONDS

Run in the candidate's copy of the submission. Their pytest and coverage read only the grader's
files (``-c``, ``--rcfile``, ``--confcutdir``, plugin autoloading off). The run is stopped when
collection has not finished after COLLECT_SECONDS, or when no test has ended for STALL_SECONDS.
Writes SCRATCH/results.jsonl (plugin events), SCRATCH/coverage.json and SCRATCH/verdict.json.
"""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

POLL_S = 0.25
COVERAGE_JSON_S = 60


def _events(results: Path, offset: int) -> tuple[list[dict[str, object]], int]:
    """Whole new lines of the results file since ``offset``."""
    try:
        with results.open("rb") as handle:
            handle.seek(offset)
            data = handle.read()
    except FileNotFoundError:
        return [], offset
    complete = data[: data.rfind(b"\n") + 1]
    events = []
    for line in complete.splitlines():
        try:
            events.append(json.loads(line))
        except ValueError:
            continue
    return events, offset + len(complete)


def _watch(
    process: subprocess.Popen[bytes], results: Path, collect_s: float, stall_s: float
) -> str:
    """Wait for the test run; say why it was stopped, or "" when it ended by itself."""
    started = last = time.monotonic()
    collected = False
    offset = 0
    while process.poll() is None:
        time.sleep(POLL_S)
        events, offset = _events(results, offset)
        now = time.monotonic()
        if events:
            last = now
            collected = collected or any(event.get("event") == "collected" for event in events)
        if not collected and now - started > collect_s:
            return f"collection did not finish within {collect_s:g} s"
        if collected and now - last > stall_s:
            return f"no test ended for {stall_s:g} s"
    return ""


def _coverage_json(rcfile: str, env: dict[str, str]) -> tuple[int, str]:
    try:
        done = subprocess.run(
            [sys.executable, "-m", "coverage", "json", rcfile, "-q"],
            env=env,
            timeout=COVERAGE_JSON_S,
            check=False,
            capture_output=True,
            text=True,
        )
    except subprocess.TimeoutExpired:
        return -1, f"coverage json did not finish within {COVERAGE_JSON_S} s"
    return done.returncode, done.stdout + done.stderr


def main(toolkit: Path, scratch: Path, collect_s: float, stall_s: float) -> int:
    scratch.mkdir(parents=True, exist_ok=True)
    results = scratch / "results.jsonl"
    rcfile = f"--rcfile={toolkit / 'coveragerc'}"
    here = str(Path.cwd())
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(toolkit / "plugin"), here]),
        "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1",
        "ASSAY_RESULTS": str(results),
        "ASSAY_SOURCE": here,
        "ASSAY_SCRATCH": str(scratch),
    }
    argv = [
        sys.executable,
        "-m",
        "coverage",
        "run",
        rcfile,
        "-m",
        "pytest",
        "-c",
        str(toolkit / "pytest.ini"),
        "--rootdir=.",
        "--confcutdir=.",
        "--color=no",
    ]
    process = subprocess.Popen(argv, env=env, start_new_session=True)
    stopped = _watch(process, results, collect_s, stall_s)
    if stopped:
        os.killpg(process.pid, signal.SIGKILL)
        print(f"[assay] {stopped}: the tests were stopped", flush=True)
    process.wait()
    coverage_code, coverage_output = _coverage_json(rcfile, env)
    verdict = {
        "exit_code": process.returncode,
        "stopped": stopped,
        "coverage_exit_code": coverage_code,
        "coverage_output": coverage_output[-2000:],
    }
    (scratch / "verdict.json").write_text(json.dumps(verdict), encoding="utf-8")
    return 0


if __name__ == "__main__":
    toolkit_dir, scratch_dir = Path(sys.argv[1]), Path(sys.argv[2])
    sys.exit(main(toolkit_dir, scratch_dir, float(sys.argv[3]), float(sys.argv[4])))

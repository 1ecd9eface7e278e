"""Run the candidate's own tests under coverage, with the grader's configuration, and stop them
as soon as it is clear nothing more will come.

Usage: python -I selftest.py TOOLKIT SCRATCH COLLECT_SECONDS STALL_SECONDS

Run in the candidate's copy of the submission. Their pytest and coverage read only the grader's
files (``-c``, ``--rcfile``, ``--confcutdir``, plugin autoloading off), and the grader's tools are
imported before the submission joins ``sys.path`` (``-P``, then ``own_tests.py``): a module the
candidate names ``coverage``, ``pytest``, ``assay_pytest`` or ``sitecustomize`` is never
imported in their place. The run is stopped when
collection has not finished after COLLECT_SECONDS, or when no test has ended for STALL_SECONDS.
Writes SCRATCH/results.jsonl (plugin events), SCRATCH/coverage.json and SCRATCH/verdict.json;
exits 128+N when something outside the watchdog (the out-of-memory killer) killed the tests
with signal N, so that the sandbox names the limit.
"""

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

POLL_S = 0.25
COVERAGE_JSON_S = 60
# The candidate's leftover processes can fill the process table: then coverage cannot start.
NOT_STARTED = "coverage could not start"


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


def _coverage_json(rcfile: str, env: dict[str, str], toolkit: Path) -> tuple[int, str]:
    # Reporting puts its working folder on sys.path: the grader's own, not the submission.
    try:
        done = subprocess.run(
            [sys.executable, "-P", "-m", "coverage", "json", rcfile, "-q"],
            cwd=toolkit,
            env=env,
            timeout=COVERAGE_JSON_S,
            check=False,
            capture_output=True,
            text=True,
        )
    except subprocess.TimeoutExpired:
        return -1, f"coverage json did not finish within {COVERAGE_JSON_S} s"
    except OSError as error:
        return -1, f"{NOT_STARTED}: {error}"
    return done.returncode, done.stdout + done.stderr


def own_tests_command(toolkit: Path, source: str) -> list[str]:
    """``own_tests.py`` over the tests in SOURCE with the grader's pytest configuration: what
    every run of the candidate's tests starts, after the interpreter (and coverage, here)."""
    return [
        str(toolkit / "own_tests.py"),
        source,
        "-c",
        str(toolkit / "pytest.ini"),
        "--rootdir=.",
        "--confcutdir=.",
        "--color=no",
    ]


def own_tests_env(toolkit: Path, results: Path) -> dict[str, str]:
    """The environment of a run of the candidate's tests: the grader's plugin importable, no
    installed plugin loaded, the plugin's events written to RESULTS."""
    return {
        **os.environ,
        "PYTHONPATH": str(toolkit / "plugin"),
        "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1",
        "ASSAY_RESULTS": str(results),
    }


def main(toolkit: Path, scratch: Path, collect_s: float, stall_s: float) -> int:
    scratch.mkdir(parents=True, exist_ok=True)
    results = scratch / "results.jsonl"
    rcfile = f"--rcfile={toolkit / 'coveragerc'}"
    here = str(Path.cwd())
    env = {**own_tests_env(toolkit, results), "ASSAY_SOURCE": here, "ASSAY_SCRATCH": str(scratch)}
    argv = [sys.executable, "-P", "-m", "coverage", "run", rcfile]
    argv += own_tests_command(toolkit, here)
    process = subprocess.Popen(argv, env=env, start_new_session=True)
    stopped = _watch(process, results, collect_s, stall_s)
    if stopped:
        os.killpg(process.pid, signal.SIGKILL)
        print(f"[assay] {stopped}: the tests were stopped", flush=True)
    process.wait()
    # What the tests left running in their session (a fork bomb, a server) goes with them,
    # and gives back the process slots coverage needs.
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    coverage_code, coverage_output = _coverage_json(rcfile, env, toolkit)
    verdict = {
        "exit_code": process.returncode,
        "stopped": stopped,
        "coverage_exit_code": coverage_code,
        "coverage_output": coverage_output[-2000:],
    }
    (scratch / "verdict.json").write_text(json.dumps(verdict), encoding="utf-8")
    if process.returncode < 0 and not stopped:
        # Killed from outside (the out-of-memory killer): exit as the tests did, for the
        # sandbox to find out which limit it was.
        print(f"[assay] the tests were killed by signal {-process.returncode}", flush=True)
        return 128 - process.returncode
    return 0


if __name__ == "__main__":
    toolkit_dir, scratch_dir = Path(sys.argv[1]), Path(sys.argv[2])
    sys.exit(main(toolkit_dir, scratch_dir, float(sys.argv[3]), float(sys.argv[4])))

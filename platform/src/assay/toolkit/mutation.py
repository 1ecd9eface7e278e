"""Mutation testing of a candidate's own tests: change their code a little and see whether
their tests notice.

Usage: python -I mutation.py TOOLKIT SCRATCH SEED COUNT SECONDS

Run in the candidate's copy of the submission after ``selftest.py`` saw their tests pass. The
mutants are mutmut's, drawn by SEED from the lines SCRATCH/coverage.json says the tests ran: a
mutant on a line no test reaches says nothing coverage has not said already. The tests run
once unchanged first, because a suite that fails on a second run would kill every mutant.
Then each mutant is written over its file, the tests run with ``-x`` through ``own_tests.py``
(the grader's pytest, configuration and plugin, as in ``selftest.py``), and the file is put
back. A mutant is killed when the tests fail or run past their time. The whole run stops
after SECONDS; mutants not reached are not counted. Writes SCRATCH/mutation.json after every
mutant, so that a run stopped from outside still says what it measured.
"""

import contextlib
import json
import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

# The candidate's tests run exactly as selftest.py runs them; the toolkit is the grader's.
sys.path.insert(0, str(Path(__file__).resolve().parent))
import selftest

SLOWEST_MUTANT_S = 10.0  # a mutant may take this long, or three times the unchanged run
SLOWER = 3.0
RESULTS = "mutation"


def _import_mutmut(toolkit: Path) -> Any:
    """mutmut imports ``mutmut_config`` from the working folder: make that the grader's."""
    here = Path.cwd()
    os.chdir(toolkit)
    try:
        import mutmut  # noqa: PLC0415
    finally:
        os.chdir(here)
    return mutmut


def _covered(scratch: Path, here: Path) -> dict[Path, set[int]]:
    """The candidate's source files and the lines their tests ran, from coverage's report."""
    try:
        files = json.loads((scratch / "coverage.json").read_text(encoding="utf-8"))["files"]
    except (OSError, ValueError, KeyError):
        return {}
    covered = {}
    for name, data in files.items():
        path = (here / name).resolve()
        if path.is_relative_to(here) and path.is_file() and not (here / name).is_symlink():
            covered[path] = set(data.get("executed_lines", []))
    return covered


def _candidates(mutmut: Any, covered: dict[Path, set[int]], here: Path) -> list[dict[str, Any]]:
    """Every mutation mutmut makes on a line the tests ran, in a stable order."""
    found = []
    for path in sorted(covered):
        try:
            source = path.read_text(encoding="utf-8")
            ids = mutmut.list_mutations(mutmut.Context(source=source, filename=str(path)))
        except Exception:  # noqa: S112 - a file parso cannot read is not mutated
            continue
        found += [
            {"path": path, "file": str(path.relative_to(here)), "id": mutation_id}
            for mutation_id in ids
            if mutation_id.line_number + 1 in covered[path]
        ]
    return found


def _first_failure(results: Path) -> str:
    """Which test noticed the mutant, from the plugin's events."""
    with contextlib.suppress(OSError):
        for line in results.read_text(encoding="utf-8").splitlines():
            with contextlib.suppress(ValueError):
                event = json.loads(line)
                if event.get("event") == "collect_error":
                    return f"{event.get('id')} (collection)"
                if event.get("event") == "result" and event.get("outcome") == "failed":
                    return str(event.get("id"))
    return ""


def _run_tests(toolkit: Path, results: Path, env: dict[str, str], timeout: float) -> str:
    """Run the candidate's tests once; say "passed", "failed: <test>" or "timed out"."""
    results.unlink(missing_ok=True)
    argv = [sys.executable, "-P", *selftest.own_tests_command(toolkit, str(Path.cwd())), "-x"]
    process = subprocess.Popen(
        argv,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        code = process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        code = None
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    if code is None:
        return "timed out"
    return "passed" if code == 0 else f"failed: {_first_failure(results)}"


def _line(source: str, number: int) -> str:
    lines = source.splitlines()
    return lines[number].strip() if number < len(lines) else ""


def _changed_line(source: str, mutated: str, number: int) -> str:
    """The mutated line; "" when the mutant removed it (a decorator, a statement)."""
    if len(mutated.splitlines()) < len(source.splitlines()):
        return ""
    return _line(mutated, number)


def _try(
    mutmut: Any, pick: dict[str, Any], run: Callable[[float], str], timeout: float
) -> dict[str, Any]:
    """Write one mutant over its file, run the tests, and put the file back."""
    path, mutation_id = pick["path"], pick["id"]
    original = path.read_bytes()
    source = original.decode("utf-8")
    context = mutmut.Context(source=source, mutation_id=mutation_id, filename=str(path))
    mutated, _ = mutmut.mutate(context)
    try:
        path.write_text(mutated, encoding="utf-8")
        outcome = run(timeout)
    finally:
        path.write_bytes(original)
    return {
        "file": pick["file"],
        "line": mutation_id.line_number + 1,
        "original": _line(source, mutation_id.line_number),
        "mutated": _changed_line(source, mutated, mutation_id.line_number),
        "outcome": outcome,
    }


def main(toolkit: Path, scratch: Path, seed: int, count: int, seconds: float) -> int:
    deadline = time.monotonic() + seconds
    here = Path.cwd().resolve()
    out = scratch / f"{RESULTS}.json"
    mutmut = _import_mutmut(toolkit)
    results = scratch / f"{RESULTS}-events.jsonl"
    env = {
        **selftest.own_tests_env(toolkit, results),
        # Bytecode the submission ships or an earlier run wrote is never read for a mutant.
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONPYCACHEPREFIX": str(scratch / f"{RESULTS}-pycache"),
    }

    def run(timeout: float) -> str:
        return _run_tests(toolkit, results, env, timeout)

    candidates = _candidates(mutmut, _covered(scratch, here), here)
    rng = random.Random(seed)  # noqa: S311 - a reproducible draw, not a secret
    chosen = rng.sample(candidates, min(count, len(candidates)))
    summary: dict[str, Any] = {"candidates": len(candidates), "mutants": [], "skipped": ""}

    def save() -> None:
        out.write_text(json.dumps(summary), encoding="utf-8")

    started = time.monotonic()
    unchanged = run(max(deadline - started, 1.0))
    summary["baseline_seconds"] = round(time.monotonic() - started, 2)
    if unchanged != "passed":
        summary["skipped"] = f"the unchanged tests did not pass a second run ({unchanged})"
        save()
        return 0
    per_mutant = max(SLOWEST_MUTANT_S, SLOWER * summary["baseline_seconds"])
    for pick in chosen:
        left = deadline - time.monotonic()
        tried = _try(mutmut, pick, run, min(per_mutant, left)) if left >= 1.0 else None
        # Out of time because the budget ran out, not because the mutant hung: not counted.
        if tried is None or (tried["outcome"] == "timed out" and left < per_mutant):
            summary["skipped"] = f"stopped after {seconds:g} s"
            break
        summary["mutants"].append(tried)
        save()
    save()
    return 0


if __name__ == "__main__":
    toolkit_dir, scratch_dir = Path(sys.argv[1]), Path(sys.argv[2])
    seed_, count_, seconds_ = int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5])
    sys.exit(main(toolkit_dir, scratch_dir, seed_, count_, seconds_))

"""A pod and a sandbox that run nothing, in the spirit of httpx's ``MockTransport``.

A :class:`FakePod` hands every command to a handler the test supplies, which returns the
:class:`ExecResult` and may leave files behind for ``read_text``, as the real tools do::

    def handler(command: Command) -> ExecResult:
        command.leave("/tmp/static.json", "{}")
        return ok()

    sandbox = FakeSandbox(handler)

:func:`routes` dispatches on the program a command runs, and the responders below play the
grader's toolkit scripts (``probe.py``, ``hidden.py``, ``static_report.py``, ``selftest.py``,
``mutation.py``, Locust) as a healthy grading would; a test swaps one of them to make that
tool misbehave.
"""

import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

from assay.errors import AssayError
from assay.grading.report import LoadFigures
from assay.sandbox.infra import Credentials
from assay.sandbox.pod import AppState, Endpoints, ExecResult, Paths, PodSpec, Role
from assay.sandbox.wheelhouse import Prepared

PATHS = Paths(
    toolkit=PurePosixPath("/grader/toolkit"),
    evaluation=PurePosixPath("/grader/evaluation"),
    scratch=PurePosixPath("/tmp"),
    source=PurePosixPath("/work/submission"),
)
RUNNING = AppState(running=True, exit_code=None, logs="INFO: Uvicorn running")


@dataclass(frozen=True)
class Command:
    """One command a stage asked the pod to run, as the handler sees it."""

    role: Role
    argv: list[str]
    env: dict[str, str]
    timeout: float
    files: dict[tuple[Role, PurePosixPath], str] = field(repr=False)

    @property
    def program(self) -> str:
        """What runs: a script's stem (``hidden``, ``probe``...), a ``-m`` module, or a binary."""
        if PurePosixPath(self.argv[0]).name.startswith("python"):
            args = iter(self.argv[1:])
            for arg in args:
                if arg == "-m":
                    return next(args)
                if not arg.startswith("-"):
                    return PurePosixPath(arg).stem
        return PurePosixPath(self.argv[0]).name

    def option(self, flag: str) -> str:
        return self.argv[self.argv.index(flag) + 1]

    def leave(self, path: str | PurePosixPath, text: str) -> None:
        """Leave a file where this command's role reads it back."""
        self.files[(self.role, PurePosixPath(path))] = text


Handler = Callable[[Command], ExecResult]


def ok(output: str = "") -> ExecResult:
    return ExecResult(exit_code=0, output=output, seconds=0.01)


def failed(code: int = 1, output: str = "") -> ExecResult:
    return ExecResult(exit_code=code, output=output, seconds=0.01)


@dataclass
class FakePod:
    """A pod whose commands are answered by ``handler``; it records what was asked of it."""

    handler: Handler
    app: AppState = RUNNING
    peak_memory_mb: float | None = 64.0
    endpoints: Endpoints = field(default_factory=lambda: Endpoints(credentials=Credentials()))
    paths: Paths = PATHS
    backend: str = "fake"
    files: dict[tuple[Role, PurePosixPath], str] = field(default_factory=dict)
    commands: list[Command] = field(default_factory=list)
    started: list[tuple[str, str, dict[str, str]]] = field(default_factory=list)
    stopped: list[str] = field(default_factory=list)
    paused: list[str] = field(default_factory=list)
    resumed: list[str] = field(default_factory=list)
    closed: bool = False

    def start_app(self, script: str, env: dict[str, str], name: str = "app") -> None:
        self.started.append((name, script, env))

    def app_state(self, name: str = "app") -> AppState:
        return self.app

    def run(
        self, role: Role, argv: list[str], *, env: dict[str, str] | None = None, timeout: float
    ) -> ExecResult:
        command = Command(role, list(argv), dict(env or {}), timeout, self.files)
        self.commands.append(command)
        return self.handler(command)

    def read_text(self, role: Role, path: PurePosixPath) -> str | None:
        return self.files.get((role, PurePosixPath(path)))

    def stop_service(self, name: str) -> None:
        self.stopped.append(name)

    def pause_service(self, name: str) -> None:
        self.paused.append(name)

    def resume_service(self, name: str) -> None:
        self.resumed.append(name)

    def app_peak_memory_mb(self) -> float | None:
        return self.peak_memory_mb

    def programs(self) -> list[str]:
        return [command.program for command in self.commands]


@dataclass
class FakeSandbox:
    """Opens a :class:`FakePod` per run and records the specs, pods and load windows."""

    handler: Handler
    app: AppState = RUNNING
    peak_memory_mb: float | None = 64.0
    refuse: AssayError | None = None  # raised instead of opening a pod
    name: str = "fake"
    image: str = "fake-runtime:1"
    image_id: str = "sha256:fake"
    packages: frozenset[str] = frozenset({"fastapi", "uvicorn"})
    specs: list[PodSpec] = field(default_factory=list)
    pods: list[FakePod] = field(default_factory=list)
    load_windows: int = 0
    wheelhouse: frozenset[str] = frozenset()
    prepared: list[dict[str, str]] = field(default_factory=list)

    @contextmanager
    def pod(self, spec: PodSpec) -> Iterator[FakePod]:
        self.specs.append(spec)
        if self.refuse is not None:
            raise self.refuse
        pod = FakePod(self.handler, app=self.app, peak_memory_mb=self.peak_memory_mb)
        self.pods.append(pod)
        try:
            yield pod
        finally:
            pod.closed = True

    @contextmanager
    def load_window(self) -> Iterator[None]:
        self.load_windows += 1
        yield

    def prepare(self, requirements: dict[str, str]) -> Prepared:
        """Installs what ``wheelhouse`` names, into an image named after them."""
        self.prepared.append(requirements)
        installed = sorted(set(requirements) & self.wheelhouse)
        missing = sorted(set(requirements) - self.wheelhouse)
        image = f"fake-deps:{'-'.join(installed)}" if installed else None
        return Prepared(image=image, installed=installed, missing=missing)


def routes(**handlers: Handler) -> Handler:
    """Answer each program with its own handler; an unexpected command fails the test."""

    def handle(command: Command) -> ExecResult:
        handler = handlers.get(command.program)
        if handler is None:
            raise AssertionError(f"the fake pod has no handler for {command.argv}")
        return handler(command)

    return handle


# The grader's toolkit, played as a healthy grading would.


def healthy(command: Command) -> ExecResult:
    """The readiness probe: every port asked about answers HTTP 200."""
    ports = [arg for arg in command.argv if arg.isdigit()]
    answer = {"ports": dict.fromkeys(ports, "http 200"), "listening": sorted(map(int, ports))}
    return ok(json.dumps(answer))


def jsonl(events: Sequence[Mapping[str, Any]]) -> str:
    return "".join(json.dumps(event) + "\n" for event in events)


def hidden_test(name: str, **metadata: Any) -> dict[str, Any]:
    """A hidden test as the grader's plugin reports it when collected."""
    fields = {"category": "functionality", "weight": 1.0, "visible": True, "degraded": False}
    return {"id": f"tests/test_api.py::{name}", "doc": "", **fields, **metadata}


def result(
    test_id: str, outcome: str = "passed", *, when: str = "call", **extra: Any
) -> dict[str, Any]:
    return {
        "event": "result",
        "id": test_id,
        "when": when,
        "outcome": outcome,
        "duration": 0.01,
        "message": "" if outcome == "passed" else f"{test_id} {outcome}",
        **extra,
    }


def hidden_suite(
    tests: Sequence[dict[str, Any]], outcomes: Mapping[str, str] | None = None
) -> Handler:
    """``hidden.py``: collects ``tests``, then runs the healthy or the degraded ones.

    ``outcomes`` maps a test's name to its outcome; every other test passes.
    """
    outcomes = outcomes or {}

    def run(command: Command) -> ExecResult:
        results, extra = command.argv[4], command.argv[5:]
        if "--collect-only" in extra:
            events: list[dict[str, Any]] = [
                {"event": "collected", "tests": list(tests)},
                {"event": "finished"},
            ]
            command.leave(results, jsonl(events))
            return ok(f"{len(tests)} tests collected")
        degraded = command.option("-m") == "degraded"
        chosen = [test for test in tests if test["degraded"] == degraded]
        events = [{"event": "collected", "tests": chosen}]
        for test in chosen:
            name = test["id"].rsplit("::", 1)[-1]
            events.append(result(test["id"], outcomes.get(name, "passed")))
        events.append({"event": "finished", "exitstatus": 0})
        command.leave(results, jsonl(events))
        return ok(f"{len(chosen)} tests ran")

    return run


def static_report(**overrides: Any) -> Handler:
    """``static_report.py``: a tidy, documented, annotated submission unless overridden."""
    report = {
        "files": 3,
        "code_lines": 120,
        "syntax_errors": [],
        "findings": [],
        "excused_by_noqa": 0,
        "blanket_noqa": [],
        "unformatted": [],
        "functions": 4,
        "mean_complexity": 2.0,
        "max_complexity": 3,
        "most_complex": [{"where": "app/main.py:5 health", "complexity": 3}],
        "public": 5,
        "documented": 5,
        "missing_docstrings": [],
        "slots": 8,
        "annotated": 8,
    } | overrides

    def run(command: Command) -> ExecResult:
        command.leave(command.argv[-1], json.dumps(report))
        return ok()

    return run


def own_tests(passed: int = 3, failed: int = 0, *, coverage: float = 0.9) -> Handler:
    """``selftest.py``: the candidate's tests, their coverage, and the watchdog's verdict."""

    def run(command: Command) -> ExecResult:
        scratch = PurePosixPath(command.argv[4])
        names = [f"tests/test_own.py::test_{index}" for index in range(passed + failed)]
        events: list[dict[str, Any]] = [{"event": "collected", "tests": names}]
        events += [
            result(name, "passed" if i < passed else "failed") for i, name in enumerate(names)
        ]
        totals = {
            "num_statements": 100,
            "covered_lines": round(100 * coverage),
            "num_branches": 20,
            "covered_branches": round(20 * coverage),
        }
        verdict = {"exit_code": int(failed > 0), "stopped": "", "coverage_exit_code": 0}
        command.leave(scratch / "results.jsonl", jsonl(events))
        command.leave(scratch / "coverage.json", json.dumps({"totals": totals}))
        command.leave(scratch / "verdict.json", json.dumps(verdict))
        return ok(f"{passed} passed, {failed} failed")

    return run


def mutants(*outcomes: str, skipped: str = "", candidates: int = 40) -> Handler:
    """``mutation.py``: one mutant of ``app/main.py`` per outcome ("passed" is a survivor)."""

    def run(command: Command) -> ExecResult:
        scratch = PurePosixPath(command.argv[4])
        drawn = [
            {
                "file": "app/main.py",
                "line": line,
                "original": "return a + b",
                "mutated": "return a - b",
                "outcome": outcome,
            }
            for line, outcome in enumerate(outcomes, start=1)
        ]
        summary = {"candidates": candidates, "mutants": drawn, "skipped": skipped}
        command.leave(scratch / "mutation.json", json.dumps(summary | {"baseline_seconds": 1.0}))
        return ok(f"{len(drawn)} mutants")

    return run


LOCUST_HEADER = (
    "Type,Name,Request Count,Failure Count,Median Response Time,Average Response Time,"
    "Min Response Time,Max Response Time,Average Content Size,Requests/s,Failures/s,"
    "50%,66%,75%,80%,90%,95%,98%,99%,99.9%,99.99%,100%"
)


def locust_csv(figures: LoadFigures) -> str:
    f = figures
    row = (
        f",Aggregated,{f.requests},{f.failures},{f.p50_ms},{f.p50_ms},1,{f.p99_ms},100,{f.rps},0,"
        f"{f.p50_ms},{f.p50_ms},{f.p95_ms},{f.p95_ms},{f.p95_ms},{f.p95_ms},{f.p99_ms},"
        f"{f.p99_ms},{f.p99_ms},{f.p99_ms},{f.p99_ms}"
    )
    return f"{LOCUST_HEADER}\n{row}\n"


FIGURES = LoadFigures(requests=1000, failures=0, rps=100.0, p50_ms=10.0, p95_ms=40.0, p99_ms=80.0)


def locust(figures: LoadFigures | None = FIGURES) -> Handler:
    """Locust, headless: its ``*_stats.csv`` (none at all when ``figures`` is None)."""

    def run(command: Command) -> ExecResult:
        if figures is not None:
            command.leave(f"{command.option('--csv')}_stats.csv", locust_csv(figures))
        return ok("Aggregated ...")

    return run


def grading(tests: Sequence[dict[str, Any]], **overrides: Handler) -> Handler:
    """Every tool of a healthy grading of a suite of ``tests``; ``overrides`` replace tools."""
    handlers: dict[str, Handler] = {
        "probe": healthy,
        "hidden": hidden_suite(tests),
        "static_report": static_report(),
        "selftest": own_tests(),
        "mutation": mutants("failed: tests/test_own.py::test_0", "passed"),
        "locust": locust(),
    }
    return routes(**(handlers | overrides))

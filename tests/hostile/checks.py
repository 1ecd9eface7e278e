"""What a hostile grading left: its report, and what the host looked like after it."""

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import docker

from assay.grading.report import Outcome, Report, Stage
from assay.sandbox.docker import RUN_LABEL

CANARY_VARIABLE = "ASSAY_CANARY_SECRET"
TESTER_STAGES = (
    "hidden suite",
    "hidden tests",
    "static analysis",
    "architecture",
    "degraded tests",
)
# A hostile submission costs at most this much of a worker's time.
BOUND_S = 180


@dataclass
class Graded:
    """One hostile grading and what the host looked like after it."""

    name: str
    report: Report
    canary: str
    leftovers: list[str] = field(default_factory=list)
    stray: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)

    @property
    def seconds(self) -> float:
        assert self.report.finished_at is not None
        return (self.report.finished_at - self.report.started_at).total_seconds()

    def stage(self, name: str) -> Stage:
        return next(stage for stage in self.report.stages if stage.name == name)

    def log(self, *names: str) -> str:
        return "\n".join(stage.log for stage in self.report.stages if stage.name in names)

    def points(self) -> dict[str, float | None]:
        return {criterion.id: criterion.points for criterion in self.report.criteria}

    def signals(self) -> dict[str, float | None]:
        return {
            signal.signal: signal.value
            for criterion in self.report.criteria
            for signal in criterion.signals
        }

    def outcomes(self) -> dict[str, str]:
        return {test.id: test.outcome for test in self.report.hidden_tests}


Hostile = Callable[..., Graded]
Batch = Callable[..., dict[str, Graded]]


def not_above(hostile: Graded, twin: Graded, criteria: Iterable[str]) -> list[str]:
    """The criteria on which ``hostile`` scored more than its honest twin."""
    mine, theirs = hostile.points(), twin.points()
    return [
        f"{key}: {mine.get(key)} > {theirs.get(key)}"
        for key in criteria
        if (mine.get(key) or 0.0) > (theirs.get(key) or 0.0) + 1e-9
    ]


def stray_processes(marker: str) -> list[str]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            command = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if marker.encode() in command:
            words = command.replace(b"\0", b" ")[:200]
            found.append(f"{entry.name}: {words!r}")
    return found


def leftovers(client: docker.DockerClient, run_id: str) -> list[str]:
    label = {"label": f"{RUN_LABEL}={run_id}"}
    containers = [c.name for c in client.containers.list(all=True, filters=label)]
    volumes = [v.name for v in client.volumes.list(filters=label)]
    return containers + volumes


def assert_contained(graded: Graded) -> None:
    """Graded in bounded time, with nothing left on the host and no secret seen."""
    assert graded.report.outcome is Outcome.graded, graded.report.error
    assert graded.seconds < BOUND_S, [(s.name, s.seconds) for s in graded.report.stages]
    assert graded.leftovers == []
    assert graded.stray == []
    assert graded.changed == []
    assert graded.canary not in graded.report.model_dump_json()

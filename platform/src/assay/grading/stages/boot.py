"""Start the candidate's processes: migrations, then the servers, then wait until they answer.

A service is up when it answers HTTP on its port, whatever the status, or at least accepts
connections there: as a person checks, not by a health route the statement may not ask for
(when it does, that route is one hidden test). A lone service that listens on another port
than expected is found there, and the report says so.
"""

import json
import shlex
import time
from dataclasses import dataclass

from assay.catalog.schemas import ProcessSpec
from assay.errors import PlatformError
from assay.grading.context import Run
from assay.grading.report import Detection, Stage, StageStatus
from assay.sandbox.pod import Role

POLL_S = 0.5


@dataclass(frozen=True)
class Launch:
    """One process to start, and the port it must answer on (None: running is enough)."""

    name: str
    script: str
    port: int | None


def _say(text: str) -> str:
    return f"echo {shlex.quote(f'[assay] {text}')}"


def _script(command: str, migrate: str | None) -> str:
    """A shell script: the migration, then the server in the shell's place, each announced."""
    steps = ["set -e"]
    if migrate:
        steps += [_say(f"running: {migrate}"), migrate]
    steps += [_say(f"starting: {command}"), f"exec {command}"]
    return "\n".join(steps)


def launch_script(entrypoint: str, detection: Detection, *, migrate: str, port: int) -> str:
    server = [
        "python",
        "-m",
        "uvicorn",
        entrypoint,
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--no-access-log",
    ]
    if detection.factory:
        server.append("--factory")
    if detection.app_dir:
        server += ["--app-dir", detection.app_dir]
    return _script(shlex.join(server), migrate if detection.migrations else None)


def process_launch(process: ProcessSpec) -> Launch:
    return Launch(process.name, _script(process.command, process.migrate), process.port)


def launches(run: Run) -> list[Launch] | str:
    """What to start, or why nothing can be."""
    spec = run.problem.spec
    if spec.processes:
        return [process_launch(process) for process in spec.processes]
    detection = run.report.detection
    if detection.entrypoint is None:
        return "no FastAPI app to start: " + "; ".join(detection.notes)
    port = run.pod.endpoints.app_port
    script = launch_script(detection.entrypoint, detection, migrate=spec.app.migrate, port=port)
    return [Launch("app", script, port)]


@dataclass(frozen=True)
class Probe:
    """What the pod's loopback said: each asked port's state, and every listening port."""

    ports: dict[int, str]
    listening: list[int]

    def up(self, port: int) -> bool:
        return self.ports.get(port, "closed") != "closed"


def probe(run: Run, ports: list[int]) -> Probe:
    argv = ["python", "-I", run.toolkit("probe.py"), *map(str, ports)]
    result = run.pod.run(Role.tester, argv, timeout=15)
    try:
        data = json.loads(result.output)
        return Probe(
            {int(port): str(state) for port, state in data["ports"].items()}, data["listening"]
        )
    except (ValueError, KeyError, TypeError) as error:
        raise PlatformError(
            f"the readiness probe failed ({result.why()}): {result.output[-500:]}"
        ) from error


def _elsewhere(run: Run, planned: list[Launch], seen: Probe) -> int | None:
    """The one port a lone app listens on when it is not the expected one."""
    if run.problem.spec.processes or len(planned) != 1:
        return None
    ends = run.pod.endpoints
    known = {ends.db_port, ends.redis_port}
    others = [port for port in seen.listening if port not in known]
    return others[0] if len(others) == 1 else None


def _wait(run: Run, stage: Stage, planned: list[Launch]) -> None:
    spec = run.problem.spec
    started = time.monotonic()
    deadline = started + min(spec.app.startup_seconds, spec.deadlines.boot)
    pending = list(planned)
    seen = Probe({}, [])
    while pending and time.monotonic() < deadline:
        for launch in list(pending):
            state = run.pod.app_state(launch.name)
            if not state.running:
                stage.status = StageStatus.failed
                stage.summary = f"{launch.name} {state.why()} before it answered"
                stage.log = state.logs
                return
        seen = probe(run, [launch.port for launch in pending if launch.port is not None])
        for launch in list(pending):
            if launch.port is None or seen.up(launch.port):
                pending.remove(launch)
        moved = _elsewhere(run, pending, seen)
        if moved is not None and pending:
            run.app_port = moved
            run.report.detection.notes.append(
                f"the service listens on port {moved}, not {pending[0].port}: "
                "the tests were pointed there"
            )
            pending.clear()
        if pending:
            time.sleep(POLL_S)
    if pending:
        waiting = pending[0]
        stage.status = StageStatus.failed
        stage.summary = (
            f"{waiting.name} never answered on port {waiting.port} within the deadline "
            f"(listening: {', '.join(map(str, seen.listening)) or 'nothing'})"
        )
        stage.log = run.pod.app_state(waiting.name).logs
        return
    run.healthy = True
    answers = ", ".join(f"{port} {state}" for port, state in seen.ports.items())
    names = ", ".join(launch.name for launch in planned)
    stage.summary = f"{names} answering after {time.monotonic() - started:.1f}s" + (
        f" ({answers})" if answers else ""
    )
    stage.log = "\n".join(run.pod.app_state(launch.name).logs for launch in planned)


def boot(run: Run) -> None:
    with run.stage("boot") as stage:
        planned = launches(run)
        if isinstance(planned, str):
            stage.status = StageStatus.failed
            stage.summary = planned
            return
        env, inferred = run.configured_env()
        run.report.detection.configuration = inferred + [
            f"made role {login.user} with database {login.database} (named in {source})"
            for login, source in run.discovered.logins.items()
        ]
        for launch in planned:
            run.pod.start_app(launch.script, env, launch.name)
        _wait(run, stage, planned)

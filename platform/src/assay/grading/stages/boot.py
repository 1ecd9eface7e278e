"""Start the candidate's processes: migrations, then the servers, then wait for health."""

import shlex
import time
from dataclasses import dataclass

from assay.catalog.schemas import ProcessSpec
from assay.grading.context import Run
from assay.grading.report import Detection, Stage, StageStatus
from assay.sandbox.pod import Role

POLL_S = 0.5


@dataclass(frozen=True)
class Launch:
    """One process to start, and where it says it is healthy (None: running is enough)."""

    name: str
    script: str
    health_url: str | None


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
    url = f"http://127.0.0.1:{process.port}{process.health}" if process.port else None
    return Launch(process.name, _script(process.command, process.migrate), url)


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
    return [Launch("app", script, run.pod.endpoints.app_url + spec.app.health)]


def _healthy(run: Run, launch: Launch) -> tuple[bool, str]:
    if launch.health_url is None:
        return True, ""
    argv = ["python", "-I", run.toolkit("probe.py"), launch.health_url]
    probe = run.pod.run(Role.tester, argv, timeout=10)
    return probe.ok, probe.output.strip()


def _wait(run: Run, stage: Stage, planned: list[Launch]) -> None:
    spec = run.problem.spec
    started = time.monotonic()
    deadline = started + min(spec.app.startup_seconds, spec.deadlines.boot)
    pending, last = list(planned), ""
    while pending and time.monotonic() < deadline:
        for launch in list(pending):
            state = run.pod.app_state(launch.name)
            if not state.running:
                stage.status = StageStatus.failed
                stage.summary = f"{launch.name} {state.why()} before it was healthy"
                stage.log = state.logs
                return
            ok, last = _healthy(run, launch)
            if ok:
                pending.remove(launch)
        if pending:
            time.sleep(POLL_S)
    if pending:
        waiting = pending[0]
        stage.status = StageStatus.failed
        stage.summary = (
            f"{waiting.health_url} never answered 2xx within the deadline (last: {last})"
        )
        stage.log = run.pod.app_state(waiting.name).logs
        return
    run.healthy = True
    names = ", ".join(launch.name for launch in planned)
    stage.summary = f"{names} healthy after {time.monotonic() - started:.1f}s"
    stage.log = "\n".join(run.pod.app_state(launch.name).logs for launch in planned)


def boot(run: Run) -> None:
    with run.stage("boot") as stage:
        planned = launches(run)
        if isinstance(planned, str):
            stage.status = StageStatus.failed
            stage.summary = planned
            return
        env = run.service_env()
        for launch in planned:
            run.pod.start_app(launch.script, env, launch.name)
        _wait(run, stage, planned)

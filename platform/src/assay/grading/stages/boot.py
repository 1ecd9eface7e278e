"""Start the candidate's service: migrations, then the ASGI server, then wait for health."""

import shlex
import time

from assay.grading.context import Run
from assay.grading.report import Detection, StageStatus
from assay.sandbox.pod import Role

POLL_S = 0.5


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
    steps = ["set -e"]
    if detection.migrations:
        steps += [f"echo '[assay] running: {migrate}'", migrate]
    steps += [f"echo '[assay] starting: {shlex.join(server)}'", f"exec {shlex.join(server)}"]
    return "\n".join(steps)


def boot(run: Run) -> None:
    spec = run.problem.spec
    detection = run.report.detection
    with run.stage("boot") as stage:
        entrypoint = detection.entrypoint
        if entrypoint is None:
            stage.status = StageStatus.failed
            stage.summary = "no FastAPI app to start: " + "; ".join(detection.notes)
            return
        run.pod.start_app(
            launch_script(
                entrypoint, detection, migrate=spec.app.migrate, port=run.pod.endpoints.app_port
            ),
            run.service_env(),
        )
        url = run.pod.endpoints.app_url + spec.app.health
        started = time.monotonic()
        deadline = started + min(spec.app.startup_seconds, spec.deadlines.boot)
        last = ""
        while time.monotonic() < deadline:
            state = run.pod.app_state()
            if not state.running:
                stage.status = StageStatus.failed
                stage.summary = (
                    f"the service exited with code {state.exit_code} before it was healthy"
                )
                stage.log = state.logs
                return
            probe = run.pod.run(
                Role.tester, ["python", str(run.pod.paths.toolkit / "probe.py"), url], timeout=10
            )
            if probe.ok:
                run.healthy = True
                stage.summary = (
                    f"healthy at {spec.app.health} after {time.monotonic() - started:.1f}s"
                )
                stage.log = state.logs
                return
            last = probe.output.strip()
            time.sleep(POLL_S)
        stage.status = StageStatus.failed
        stage.summary = f"{spec.app.health} never answered 2xx within the deadline (last: {last})"
        stage.log = run.pod.app_state().logs

"""Fault injection: stop the services the problem names, then run the degraded-mode tests."""

from assay.grading.context import Run
from assay.grading.stages import hidden


def inject(run: Run) -> None:
    stopped = run.problem.spec.faults.stop
    with run.stage("faults") as stage:
        for service in stopped:
            run.pod.stop_service(service)
        stage.summary = f"stopped {', '.join(stopped)}"
    hidden.execute(run, name="degraded tests", degraded=True)

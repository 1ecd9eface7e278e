"""Fault injection: stop or pause the services the problem names, run the degraded-mode tests.

Paused services are thawed afterwards, so that what follows (peak memory, teardown) finds
every process as it left it.
"""

from assay.grading.context import Run
from assay.grading.stages import hidden


def _summary(stopped: list[str], paused: list[str]) -> str:
    done = (("stopped", stopped), ("paused", paused))
    return "; ".join(f"{verb} {', '.join(names)}" for verb, names in done if names)


def inject(run: Run) -> None:
    faults = run.problem.spec.faults
    try:
        with run.stage("faults") as stage:
            for service in faults.stop:
                run.pod.stop_service(service)
            for service in faults.pause:
                run.pod.pause_service(service)
            stage.summary = _summary(faults.stop, faults.pause)
        hidden.execute(run, name="degraded tests", degraded=True)
    finally:
        for service in faults.pause:
            run.pod.resume_service(service)

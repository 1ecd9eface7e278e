"""The reference solution's load figures on this worker: what a candidate's are compared with.

Latency depends on the machine, so a candidate is scored on ratios to the reference measured
by the same worker with the same image, cached for a few hours.
"""

import hashlib
import json
import socket
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

from pydantic import ValidationError

from assay import tree
from assay.catalog.loader import Problem
from assay.errors import PlatformError
from assay.grading import configure
from assay.grading.context import Progress, Run, open_pod
from assay.grading.detect import detect
from assay.grading.report import LoadFigures, LoadTest, Report, Stage
from assay.grading.stages.boot import boot
from assay.grading.stages.load import measure
from assay.sandbox.pod import Sandbox

MAX_AGE_S = 6 * 3600


def _key(problem: Problem, sandbox: Sandbox) -> str:
    parts = [
        problem.slug,
        problem.spec.version,
        problem.hidden_digest,
        problem.reference_digest,
        sandbox.name,
        sandbox.image_id,
        socket.gethostname(),
        problem.spec.load.model_dump_json(),
    ]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:24]


def _path(cache_dir: Path, problem: Problem, sandbox: Sandbox) -> Path:
    return cache_dir / "baselines" / f"{problem.slug}-{_key(problem, sandbox)}.json"


def read(path: Path, max_age_s: float) -> tuple[LoadFigures, float] | None:
    """Cached figures and when they were measured; None when missing, stale or unreadable."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        measured_at = float(data["measured_at"])
        figures = LoadFigures.model_validate(data["figures"])
    except (OSError, ValueError, KeyError, TypeError, ValidationError):
        return None
    if not 0 <= time.time() - measured_at <= max_age_s:
        return None
    return figures, measured_at


def write(path: Path, figures: LoadFigures) -> None:
    """Replace the cached figures atomically, so a reader never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    document = {"measured_at": time.time(), "figures": figures.model_dump()}
    partial = path.with_suffix(f".{uuid.uuid4().hex[:8]}.tmp")
    partial.write_text(json.dumps(document), encoding="utf-8")
    partial.replace(path)


def _measure_reference(problem: Problem, sandbox: Sandbox, progress: Progress) -> LoadFigures:
    run_id = uuid.uuid4().hex[:12]
    report = Report(run_id=run_id, submission=str(problem.reference), started_at=datetime.now(UTC))
    walked = tree.walk(problem.reference, tree.PROBLEM_LIMITS)
    # Started as a submission is: an open brief's reference names its own settings.
    report.detection = detect(walked, entrypoint=problem.spec.scaffold_entrypoint)
    discovered = configure.discover(walked)

    def tagged(stage: Stage) -> None:
        progress(stage.model_copy(update={"name": f"reference {stage.name}"}))

    source = tree.pack(walked)
    with open_pod(sandbox, problem, source, run_id, discovered=discovered) as pod:
        run = Run(
            problem=problem,
            pod=pod,
            sandbox=sandbox,
            report=report,
            seed=0,
            progress=tagged,
            discovered=discovered,
        )
        boot(run)
        if not run.healthy:
            raise PlatformError("the reference solution did not start, so load cannot be compared")
        load, _ = measure(run)
    if load.figures is None or load.figures.failure_rate > 0.01:
        raise PlatformError("the reference solution failed its own load test")
    return load.figures


def attach(
    load: LoadTest,
    *,
    problem: Problem,
    sandbox: Sandbox,
    cache_dir: Path,
    is_reference: bool,
    progress: Progress,
    max_age_s: float = MAX_AGE_S,
) -> None:
    """Set ``load.reference``: this run's own figures for the reference, else the cached ones."""
    if load.figures is None:
        return
    path = _path(cache_dir, problem, sandbox)
    if is_reference:
        write(path, load.figures)
        load.reference, load.reference_source = load.figures, "this run is the reference"
        return
    cached = read(path, max_age_s)
    if cached is None:
        figures = _measure_reference(problem, sandbox, progress)
        write(path, figures)
        load.reference, load.reference_source = figures, "reference measured just now"
        return
    figures, measured_at = cached
    when = datetime.fromtimestamp(measured_at, UTC).strftime("%Y-%m-%d %H:%M UTC")
    load.reference = figures
    load.reference_source = f"reference measured on this worker at {when}"

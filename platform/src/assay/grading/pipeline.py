"""Grade one submission end to end: detect, run the stages in a pod, score, and always report.

Whatever goes wrong, a report comes back. A fault of the platform (the engine, the images, the
hidden suite) gives ``outcome=error`` and no score, never a candidate's zero; a fault of the
submission (it does not start, its tests fail) is graded, with the evidence.
"""

import hashlib
import logging
import uuid
from datetime import UTC, datetime
from pathlib import Path

import assay
from assay.catalog.service import Problem, tree_digest
from assay.errors import InvalidSubmission, PlatformError
from assay.grading import baseline, scoring, signals
from assay.grading.context import Progress, Run, open_pod
from assay.grading.detect import detect
from assay.grading.report import Outcome, Report, Reproducibility
from assay.grading.stages import hidden
from assay.grading.stages.boot import boot
from assay.grading.stages.faults import inject
from assay.grading.stages.load import load_test
from assay.grading.stages.selftest import selftest
from assay.grading.stages.static import analyse
from assay.sandbox.pod import Sandbox

log = logging.getLogger(__name__)
NOT_HEALTHY = "the service never became healthy"


def default_seed(submission_digest: str, problem: Problem) -> int:
    """Same submission and problem version, same random data: scores are reproducible."""
    text = f"{submission_digest}:{problem.spec.version}"
    return int(hashlib.sha256(text.encode()).hexdigest()[:8], 16)


def run_stages(run: Run) -> None:
    boot(run)
    hidden.collect(run)
    if run.healthy:
        hidden.execute(run, name="hidden tests", degraded=False)
    else:
        run.skip("hidden tests", NOT_HEALTHY)
    analyse(run)
    selftest(run)
    if run.healthy:
        load_test(run)
    else:
        run.skip("load", NOT_HEALTHY)
    if run.problem.spec.faults.stop and run.healthy:
        inject(run)
    elif run.problem.spec.faults.stop:
        run.skip("faults", NOT_HEALTHY)
    hidden.not_run(run, NOT_HEALTHY)


def _reproducibility(problem: Problem, sandbox: Sandbox, digest: str, seed: int) -> Reproducibility:
    return Reproducibility(
        problem=problem.slug,
        problem_version=problem.spec.version,
        hidden_suite_sha256=problem.hidden_digest,
        submission_sha256=digest,
        image=sandbox.image,
        image_id=sandbox.image_id,
        backend=sandbox.name,
        seed=seed,
        limits=problem.spec.limits.model_dump(),
        deadlines=problem.spec.deadlines.model_dump(),
        assay_version=assay.__version__,
    )


def grade(
    problem: Problem,
    submission: Path,
    *,
    sandbox: Sandbox,
    lock: Path,
    cache_dir: Path,
    seed: int | None = None,
    progress: Progress = lambda stage: None,
) -> Report:
    if not submission.is_dir():
        raise InvalidSubmission(f"{submission} is not a directory")
    run_id = uuid.uuid4().hex[:12]
    report = Report(run_id=run_id, submission=str(submission), started_at=datetime.now(UTC))
    try:
        digest = tree_digest(submission)
        is_reference = digest == problem.reference_digest
        seed = default_seed(digest, problem) if seed is None else seed
        report.reproducibility = _reproducibility(problem, sandbox, digest, seed)
        entrypoint = None if problem.spec.processes else problem.spec.app.entrypoint
        report.detection = detect(submission, entrypoint=entrypoint, lock=lock)
        with open_pod(sandbox, problem, submission, run_id) as pod:
            run_stages(Run(problem=problem, pod=pod, report=report, seed=seed, progress=progress))
        if report.load is not None and report.load.figures is not None:
            baseline.attach(
                report.load,
                problem=problem,
                sandbox=sandbox,
                cache_dir=cache_dir,
                is_reference=is_reference,
                progress=progress,
            )
        report.criteria, report.total = scoring.score(problem.rubric, signals.derive(report))
    except PlatformError as error:
        report.outcome, report.error = Outcome.error, error.message
    except Exception as error:
        log.exception("grading %s crashed", submission)
        report.outcome = Outcome.error
        report.error = f"internal error: {type(error).__name__}: {error}"
    if report.outcome is Outcome.error:
        report.criteria, report.total = [], None
    report.finished_at = datetime.now(UTC)
    return report

"""Grade one submission end to end: detect, run the stages in a pod, score, and always report.

Whatever goes wrong, a report comes back. A fault of the platform (the engine, the images, the
hidden suite, a grading tool) gives ``outcome=error`` and no score, never a candidate's zero;
the evidence gathered until then stays in the report. A fault of the submission (it does not
start, its tests fail) is graded, with the evidence.
"""

import hashlib
import logging
import uuid
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path
from typing import Any

from assay import tree
from assay.catalog.loader import Problem
from assay.errors import InvalidSubmission, PlatformError
from assay.grading import baseline, configure, scoring, signals
from assay.grading.context import Progress, Run, open_pod
from assay.grading.detect import beyond, detect
from assay.grading.ignored import ignored
from assay.grading.report import Outcome, Report, Reproducibility, StageStatus
from assay.grading.stages import hidden
from assay.grading.stages.boot import boot
from assay.grading.stages.faults import inject
from assay.grading.stages.load import load_test
from assay.grading.stages.mutation import mutation
from assay.grading.stages.selftest import selftest
from assay.grading.stages.static import analyse
from assay.sandbox.pod import Sandbox
from assay.sandbox.wheelhouse import Prepared

log = logging.getLogger(__name__)
NOT_HEALTHY = "the service never became healthy"
LOAD_PREFIX = "load."


def default_seed(submission_digest: str, problem: Problem) -> int:
    """Same submission and problem version, same random data: scores are reproducible."""
    text = f"{submission_digest}:{problem.spec.version}"
    return int(hashlib.sha256(text.encode()).hexdigest()[:8], 16)


def _load_or_skip(run: Run) -> None:
    if not run.measure_load:
        run.skip("load", "not measured in this run")
        return
    if not run.healthy:
        run.skip("load", NOT_HEALTHY)
        return
    # The degraded tests run after load: until then, count them as passing, or a gate they
    # alone would open could skip a measurement that earns points.
    faults_ahead = run.problem.spec.faults.planned
    tests = [
        test.model_copy(update={"outcome": "passed"})
        if faults_ahead and test.degraded and test.outcome == "missing"
        else test
        for test in run.report.hidden_tests
    ]
    known = signals.hidden_signals(tests)
    pointless = scoring.gated_out(run.problem.rubric, known, LOAD_PREFIX)
    if pointless:
        run.skip("load", f"nothing to gain: {pointless}")
        return
    load_test(run)


def run_stages(run: Run) -> None:
    if not hidden.collect(run):
        return
    boot(run)
    if run.healthy:
        hidden.execute(run, name="hidden tests", degraded=False)
    else:
        run.skip("hidden tests", NOT_HEALTHY)
    analyse(run)
    selftest(run)
    mutation(run)
    _load_or_skip(run)
    if run.problem.spec.faults.planned and run.healthy:
        inject(run)
    elif run.problem.spec.faults.planned:
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
        assay_version=version("assay"),
    )


def _dependencies(sandbox: Sandbox, walked: tree.Tree, report: Report) -> Prepared:
    """Install from the wheelhouse what the submission needs beyond the image; name the rest."""
    prepared = sandbox.prepare(beyond(walked, sandbox.packages))
    detection = report.detection
    detection.requirements_installed, detection.requirements_missing = (
        prepared.installed,
        prepared.missing,
    )
    detection.notes += prepared.notes
    if prepared.installed:
        detection.notes.append(f"installed from the wheelhouse: {', '.join(prepared.installed)}")
    if prepared.missing:
        detection.notes.append(
            f"not available offline, so not installed: {', '.join(prepared.missing)}"
        )
    return prepared


def _platform_errors(report: Report) -> str | None:
    failed = [stage for stage in report.stages if stage.status is StageStatus.error]
    return "; ".join(f"{stage.name}: {stage.summary}" for stage in failed) or None


def grade(
    problem: Problem,
    submission: Path,
    *,
    sandbox: Sandbox,
    cache_dir: Path,
    baseline_max_age_s: float = baseline.MAX_AGE_S,
    seed: int | None = None,
    measure_load: bool = True,
    binding: dict[str, Any] | None = None,
    overrides: dict[str, str] | None = None,
    progress: Progress = lambda stage: None,
) -> Report:
    """Grade a submission folder; raises only for bad input (``InvalidSubmission``, or
    ``InvalidInput`` for overrides the pod cannot be given).

    Without ``measure_load`` the load stage is skipped and the criteria that read only load
    signals are left unscored, not zero: a repeat run that checks everything else.
    ``overrides`` are a reviewer's environment variables, templates filled like the problem's
    ``env``: they win over the problem's values and the inferred ones, for the service and its
    own tests alike.
    """
    pinned = configure.check_overrides(overrides or {})
    walked = tree.walk(submission)
    run_id = uuid.uuid4().hex[:12]
    report = Report(run_id=run_id, submission=str(submission), started_at=datetime.now(UTC))
    try:
        digest = walked.digest()
        seed = default_seed(digest, problem) if seed is None else seed
        report.reproducibility = _reproducibility(problem, sandbox, digest, seed)
        report.detection = detect(walked, entrypoint=problem.spec.scaffold_entrypoint)
        report.detection.left_out = walked.left_out
        report.detection.ignored = ignored(walked)
        prepared = _dependencies(sandbox, walked, report)
        discovered = configure.discover(walked)
        source = tree.pack(walked)
        with open_pod(
            sandbox, problem, source, run_id, discovered=discovered, app_image=prepared.image
        ) as pod:
            run = Run(
                problem=problem,
                pod=pod,
                sandbox=sandbox,
                report=report,
                seed=seed,
                progress=progress,
                measure_load=measure_load,
                discovered=discovered,
                binding=binding,
                overrides=pinned,
            )
            run_stages(run)
        report.error = _platform_errors(report)
        if report.error is None and report.load is not None and report.load.figures is not None:
            baseline.attach(
                report.load,
                problem=problem,
                sandbox=sandbox,
                cache_dir=cache_dir,
                is_reference=digest == problem.reference_digest,
                progress=progress,
                max_age_s=baseline_max_age_s,
            )
        if report.error is None:
            omitted = frozenset() if measure_load else frozenset({LOAD_PREFIX})
            report.criteria, report.total = scoring.score(
                problem.rubric, signals.derive(report), omitted=omitted
            )
    except InvalidSubmission:
        raise
    except PlatformError as error:
        report.error = error.message
    except Exception as error:
        log.exception("grading %s crashed", submission)
        report.error = f"internal error: {type(error).__name__}: {error}"
    if report.error is not None:
        report.outcome, report.criteria, report.total = Outcome.error, [], None
    report.finished_at = datetime.now(UTC)
    return report

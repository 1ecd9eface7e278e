"""Grading attempts: who may start one, what it records, and what a reader may see of it.

Every delivery of a grading task goes through :func:`start`, under a lock on the submission
row: a finished submission, or one another worker is visibly grading, is left alone, so that
a task delivered twice grades once; attempts of workers gone silent are marked interrupted;
a submission whose deliveries keep dying ends as a platform error instead of looping.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from assay.errors import Conflict
from assay.grading.report import Outcome, Report
from assay.server.gradings.models import AttemptStatus, Grading, HiddenOutcome
from assay.server.reviews import service as reviews
from assay.server.submissions.models import Status, Submission

# Stages whose logs come from the grader's own tools; a candidate never reads them.
REVIEWER_ONLY_LOGS = frozenset({"hidden suite", "hidden tests", "degraded tests", "load"})
TEST_ID_MAX = 300


@dataclass(frozen=True)
class Liveness:
    """How long a worker may stay silent, and how often a submission may be delivered."""

    stale_after: timedelta
    max_deliveries: int


def _now() -> datetime:
    return datetime.now(UTC)


def _locked(session: Session, submission_id: str) -> Submission | None:
    return session.scalar(
        select(Submission).where(Submission.id == submission_id).with_for_update()
    )


def attempts(session: Session, submission_id: str) -> list[Grading]:
    query = select(Grading).where(Grading.submission_id == submission_id).order_by(Grading.number)
    return list(session.scalars(query))


def result(session: Session, submission_id: str) -> Grading | None:
    """The submission's current result: its last finished attempt."""
    query = (
        select(Grading)
        .where(
            Grading.submission_id == submission_id,
            Grading.status.in_([AttemptStatus.graded, AttemptStatus.error]),
        )
        .order_by(Grading.number.desc())
    )
    return session.scalars(query).first()


def graded_report(session: Session, submission: Submission) -> Report:
    """The report of the submission's current result, which must be a score."""
    attempt = result(session, submission.id)
    if attempt is None or attempt.report is None or attempt.status is not AttemptStatus.graded:
        raise Conflict(f"submission {submission.id} has no score yet (status {submission.status})")
    return Report.model_validate(attempt.report)


def latest(session: Session, submission_ids: list[str]) -> dict[str, Grading]:
    """Each submission's newest attempt, in one query for a whole page."""
    newest = (
        select(Grading.submission_id, func.max(Grading.number).label("number"))
        .where(Grading.submission_id.in_(submission_ids))
        .group_by(Grading.submission_id)
        .subquery()
    )
    query = select(Grading).join(
        newest,
        (Grading.submission_id == newest.c.submission_id) & (Grading.number == newest.c.number),
    )
    return {attempt.submission_id: attempt for attempt in session.scalars(query)}


def running(session: Session, submission_id: str) -> Grading | None:
    query = select(Grading).where(
        Grading.submission_id == submission_id, Grading.status == AttemptStatus.running
    )
    return session.scalars(query).first()


def _interrupt(attempt: Grading, why: str) -> None:
    attempt.status = AttemptStatus.interrupted
    attempt.finished_at = _now()
    attempt.error = why


def start(
    session: Session, submission_id: str, *, worker: str, liveness: Liveness
) -> Grading | None:
    """Begin an attempt for this delivery, or None when there is nothing to do."""
    submission = _locked(session, submission_id)
    if submission is None or submission.status.finished:
        return None
    current = running(session, submission_id)
    if current is not None and _now() - current.heartbeat_at < liveness.stale_after:
        return None
    if current is not None:
        _interrupt(current, f"worker {current.worker} stopped answering")
    submission.deliveries += 1
    if submission.deliveries > liveness.max_deliveries:
        _fail(session, submission, worker, "grading was interrupted on every delivery")
        return None
    numbers = select(func.max(Grading.number)).where(Grading.submission_id == submission_id)
    attempt = Grading(
        submission_id=submission_id,
        number=(session.scalar(numbers) or 0) + 1,
        worker=worker,
    )
    session.add(attempt)
    submission.status = Status.grading
    session.flush()
    return attempt


def _fail(session: Session, submission: Submission, worker: str, why: str) -> None:
    """Record a platform error as the final result: never the candidate's score."""
    numbers = select(func.max(Grading.number)).where(Grading.submission_id == submission.id)
    session.add(
        Grading(
            submission_id=submission.id,
            number=(session.scalar(numbers) or 0) + 1,
            worker=worker,
            status=AttemptStatus.error,
            finished_at=_now(),
            error=why,
        )
    )
    submission.status, submission.total, submission.finished_at = Status.error, None, _now()
    _record_result(session, submission, None)


def abandon(session: Session, attempt_id: str, why: str) -> None:
    """An attempt that could not run for want of infrastructure: retried, and not counted."""
    attempt = session.get_one(Grading, attempt_id)
    if attempt.status is not AttemptStatus.running:
        return
    _interrupt(attempt, why)
    submission = session.get_one(Submission, attempt.submission_id)
    submission.status = Status.queued
    submission.deliveries = max(0, submission.deliveries - 1)


def fail(session: Session, attempt_id: str, why: str) -> None:
    """End an attempt as the platform's failure; the submission gets no score."""
    attempt = session.get_one(Grading, attempt_id)
    attempt.status, attempt.finished_at, attempt.error = AttemptStatus.error, _now(), why
    submission = session.get_one(Submission, attempt.submission_id)
    submission.status, submission.total, submission.finished_at = Status.error, None, _now()
    _record_result(session, submission, None)


def progress(session: Session, attempt_id: str, stage: dict[str, Any]) -> None:
    """Record a stage as it starts or ends; it is also the worker's heartbeat."""
    attempt = session.get(Grading, attempt_id)
    if attempt is None or attempt.status is not AttemptStatus.running:
        return
    stages = [item for item in attempt.stages if item["name"] != stage["name"]]
    attempt.stages = [*stages, stage]
    attempt.stage = stage["name"]
    attempt.heartbeat_at = _now()


def heartbeat(session: Session, attempt_id: str) -> None:
    attempt = session.get(Grading, attempt_id)
    if attempt is not None and attempt.status is AttemptStatus.running:
        attempt.heartbeat_at = _now()


def finish(session: Session, attempt_id: str, report: Report) -> None:
    """Store the report; the submission is graded, or failed by the platform (no score)."""
    attempt = session.get_one(Grading, attempt_id)
    if attempt.status is not AttemptStatus.running:
        return  # a sweep gave up on this attempt; a later one owns the submission
    submission = session.get_one(Submission, attempt.submission_id)
    graded = report.outcome is Outcome.graded
    attempt.status = AttemptStatus.graded if graded else AttemptStatus.error
    attempt.finished_at = _now()
    attempt.total = report.total
    attempt.error = report.error
    attempt.report = report.model_dump(mode="json")
    if report.reproducibility is not None:
        attempt.image = report.reproducibility.image
        attempt.suite_sha256 = report.reproducibility.hidden_suite_sha256
    submission.status = Status.graded if graded else Status.error
    submission.total = report.total
    submission.finished_at = attempt.finished_at
    _record_result(session, submission, report if graded else None)


def _record_result(session: Session, submission: Submission, report: Report | None) -> None:
    """What readers of many submissions need without their reports: the total and points with
    the reviews applied, and each hidden test's outcome."""
    reviews.rescore(session, submission, report.criteria if report is not None else None)
    session.execute(delete(HiddenOutcome).where(HiddenOutcome.submission_id == submission.id))
    tests = {test.id[:TEST_ID_MAX]: test for test in report.hidden_tests} if report else {}
    for test_id, test in tests.items():
        session.add(
            HiddenOutcome(
                submission_id=submission.id,
                test_id=test_id,
                problem=submission.problem,
                candidate_id=submission.candidate_id,
                visible=test.visible,
                passed=test.passed,
            )
        )


def stale(session: Session, liveness: Liveness) -> list[Grading]:
    cutoff = _now() - liveness.stale_after
    query = select(Grading).where(
        Grading.status == AttemptStatus.running, Grading.heartbeat_at < cutoff
    )
    return list(session.scalars(query))


def sweep(session: Session, liveness: Liveness, *, redispatch_after: timedelta) -> list[str]:
    """Submissions to send again: attempts whose worker went silent, and queued submissions the
    broker never delivered (it was down, or lost them)."""
    again = []
    for attempt in stale(session, liveness):
        submission = _locked(session, attempt.submission_id)
        if submission is None or attempt.status is not AttemptStatus.running:
            continue
        _interrupt(attempt, f"worker {attempt.worker} stopped answering")
        submission.status = Status.queued
        again.append(submission.id)
    cutoff = _now() - redispatch_after
    waiting = select(Submission.id).where(
        Submission.status == Status.queued,
        (Submission.dispatched_at.is_(None)) | (Submission.dispatched_at < cutoff),
    )
    again += [ident for ident in session.scalars(waiting) if ident not in again]
    return again


def candidate_view(report: dict[str, Any]) -> dict[str, Any]:
    """The report as a candidate may read it: no reviewer-only test, no grader-side log."""
    view = dict(report)
    tests = view.get("hidden_tests", [])
    view["hidden_tests"] = [test for test in tests if test.get("visible", True)]
    view["reviewer_only_tests"] = {
        "total": sum(not test.get("visible", True) for test in tests),
        "passed": sum(
            not test.get("visible", True) and test.get("outcome") == "passed" for test in tests
        ),
    }
    view["stages"] = [
        {**stage, "log": ""} if stage.get("name") in REVIEWER_ONLY_LOGS else stage
        for stage in view.get("stages", [])
    ]
    return view

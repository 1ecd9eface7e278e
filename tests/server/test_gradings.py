"""The grading protocol every delivery goes through: start, heartbeat, finish, sweep."""

from datetime import UTC, datetime, timedelta

import pytest

from assay.grading.report import Outcome, Report
from assay.server.accounts.models import Role
from assay.server.gradings import service
from assay.server.gradings.models import AttemptStatus, Grading
from assay.server.problems.service import catalog
from assay.server.submissions import service as submissions
from assay.server.submissions.models import Status, Submission
from tests.server.builders import SMALL_APP, make_user, tar_gz

LIVENESS = service.Liveness(stale_after=timedelta(seconds=60), max_deliveries=3)


def stored(session, settings, files: dict[str, str | bytes]) -> Submission:
    reviewer = make_user(session, Role.reviewer)
    problem = catalog(settings.root)["book-reviews"]
    accepted = submissions.create_submission(
        session, user=reviewer, problem=problem, upload=tar_gz(files)
    )
    session.commit()
    return accepted.submission


@pytest.fixture
def submission(session, settings) -> Submission:
    return stored(session, settings, SMALL_APP)


def report(outcome: Outcome = Outcome.graded, total: float | None = 75.0) -> Report:
    return Report(
        run_id="r",
        submission="s",
        started_at=datetime.now(UTC),
        outcome=outcome,
        total=total,
        error=None if outcome is Outcome.graded else "the engine failed",
    )


def start(session, submission: Submission, worker: str = "w1") -> Grading | None:
    attempt = service.start(session, submission.id, worker=worker, liveness=LIVENESS)
    session.commit()
    return attempt


def age(session, attempt: Grading, seconds: float) -> None:
    attempt.heartbeat_at = datetime.now(UTC) - timedelta(seconds=seconds)
    session.commit()


def test_a_delivery_starts_the_first_attempt_and_the_submission_is_grading(session, submission):
    attempt = start(session, submission)

    assert attempt is not None and attempt.number == 1
    assert session.get(Submission, submission.id).status is Status.grading


def test_a_second_delivery_while_a_live_attempt_runs_does_nothing(session, submission):
    start(session, submission, "w1")

    assert start(session, submission, "w2") is None


def test_a_delivery_after_a_silent_worker_interrupts_it_and_starts_anew(session, submission):
    first = start(session, submission, "w1")
    age(session, first, 120)

    second = start(session, submission, "w2")

    assert second is not None and second.number == 2
    session.refresh(first)
    assert first.status is AttemptStatus.interrupted
    assert "w1 stopped answering" in (first.error or "")


def test_finishing_records_the_score_and_the_submission_is_graded(session, submission):
    attempt = start(session, submission)

    service.finish(session, attempt.id, report(total=81.5))
    session.commit()

    stored = session.get(Submission, submission.id)
    assert stored.status is Status.graded
    assert stored.total == 81.5
    assert service.result(session, submission.id).report["total"] == 81.5


def test_a_platform_failure_is_recorded_without_a_score(session, submission):
    attempt = start(session, submission)

    service.finish(session, attempt.id, report(Outcome.error, total=None))
    session.commit()

    stored = session.get(Submission, submission.id)
    assert stored.status is Status.error
    assert stored.total is None
    assert service.result(session, submission.id).error == "the engine failed"


def test_a_finished_submission_is_not_graded_again_by_a_late_delivery(session, submission):
    attempt = start(session, submission)
    service.finish(session, attempt.id, report())
    session.commit()

    assert start(session, submission, "late") is None
    assert len(service.attempts(session, submission.id)) == 1


def test_an_attempt_given_up_by_the_sweep_cannot_finish_over_the_next_one(session, submission):
    first = start(session, submission, "w1")
    age(session, first, 120)
    second = start(session, submission, "w2")

    service.finish(session, first.id, report(total=10.0))
    service.finish(session, second.id, report(total=90.0))
    session.commit()

    assert session.get(Submission, submission.id).total == 90.0
    statuses = [attempt.status for attempt in service.attempts(session, submission.id)]
    assert statuses == [AttemptStatus.interrupted, AttemptStatus.graded]


def test_a_submission_whose_deliveries_keep_dying_ends_as_a_platform_error(session, submission):
    for _ in range(LIVENESS.max_deliveries):
        attempt = start(session, submission)
        age(session, attempt, 120)

    assert start(session, submission) is None
    stored = session.get(Submission, submission.id)
    assert stored.status is Status.error
    assert "interrupted on every delivery" in (service.result(session, submission.id).error or "")


def test_an_attempt_abandoned_for_want_of_infrastructure_is_not_counted(session, submission):
    attempt = start(session, submission)

    service.abandon(session, attempt.id, "the Docker engine is not reachable")
    session.commit()

    stored = session.get(Submission, submission.id)
    assert (stored.status, stored.deliveries) == (Status.queued, 0)


def test_progress_records_each_stage_once_and_beats_the_heart(session, submission):
    attempt = start(session, submission)
    age(session, attempt, 30)

    service.progress(
        session, attempt.id, {"name": "boot", "status": "passed", "summary": "running"}
    )
    service.progress(session, attempt.id, {"name": "boot", "status": "passed", "summary": "ok"})
    session.commit()

    session.refresh(attempt)
    assert [stage["summary"] for stage in attempt.stages] == ["ok"]
    assert datetime.now(UTC) - attempt.heartbeat_at < timedelta(seconds=5)


def test_the_sweep_requeues_silent_attempts_and_undelivered_submissions(
    session, settings, submission
):
    attempt = start(session, submission)
    age(session, attempt, 120)
    never_sent = stored(session, settings, {"x.py": "x = 1\n"})

    again = service.sweep(session, LIVENESS, redispatch_after=timedelta(minutes=10))
    session.commit()

    assert set(again) == {submission.id, never_sent.id}
    assert session.get(Submission, submission.id).status is Status.queued


def test_the_sweep_leaves_recently_dispatched_and_live_submissions_alone(session, submission):
    start(session, submission)
    submissions.mark_dispatched(session, submission.id)
    session.commit()

    assert service.sweep(session, LIVENESS, redispatch_after=timedelta(minutes=10)) == []

"""``/api/v1/submissions/{id}/review``: reviewers score manual criteria and override others."""

from fastapi import APIRouter

from assay.grading import scoring
from assay.server.deps import SessionDep, StaffDep
from assay.server.gradings import service as gradings
from assay.server.reviews import service
from assay.server.reviews.schemas import ReviewSummary, ReviewWrite
from assay.server.submissions import service as submissions

router = APIRouter(prefix="/submissions/{submission_id}/review", tags=["reviews"])


def _summary(session: SessionDep, submission_id: str, user: StaffDep) -> ReviewSummary:
    submission = submissions.visible(session, user, submission_id)
    report = gradings.graded_report(session, submission)
    return ReviewSummary.of(service.apply(session, submission, report.criteria, report.total))


@router.get("")
def read_review(submission_id: str, user: StaffDep, session: SessionDep) -> ReviewSummary:
    """The reviews in force, both totals, and every change made, newest first."""
    return _summary(session, submission_id, user)


@router.put("/{criterion}")
def judge(
    submission_id: str, criterion: str, body: ReviewWrite, user: StaffDep, session: SessionDep
) -> ReviewSummary:
    """Score a manual criterion 1-5, or override a measured one with points; a note is required."""
    submission = submissions.visible(session, user, submission_id)
    report = gradings.graded_report(session, submission)
    judgement = scoring.Judgement(criterion, score=body.score, points=body.points, note=body.note)
    service.judge(session, submission, report.criteria, reviewer=user, judgement=judgement)
    return _summary(session, submission_id, user)


@router.delete("/{criterion}")
def clear(submission_id: str, criterion: str, user: StaffDep, session: SessionDep) -> ReviewSummary:
    """Withdraw a criterion's review; the change stays in the audit trail."""
    submission = submissions.visible(session, user, submission_id)
    report = gradings.graded_report(session, submission)
    service.clear(session, submission, report.criteria, reviewer=user, criterion_id=criterion)
    return _summary(session, submission_id, user)

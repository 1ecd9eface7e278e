"""Reviews: reviewers score manual criteria 1-5 and override measured ones; every change is kept.

Plain functions on a session; they flush, the caller commits. The arithmetic is the engine's
(:func:`assay.grading.scoring.review`): what is stored here is what people said and when.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from assay.errors import InvalidInput, NotFound
from assay.grading import scoring
from assay.grading.report import CriterionScore
from assay.server.accounts.models import User
from assay.server.db import utcnow
from assay.server.reviews.models import Action, Kind, Review, ReviewEvent
from assay.server.submissions.models import Submission


@dataclass(frozen=True)
class Reviewed:
    """A result with its reviews applied: the criteria, the totals, what was said and when."""

    criteria: list[CriterionScore]
    automatic_total: float | None
    total: float | None
    reviews: list[Review]
    trail: list[ReviewEvent]


def judgements(reviews: Iterable[Review]) -> list[scoring.Judgement]:
    return [
        scoring.Judgement(
            review.criterion, score=review.score, points=review.points, note=review.note
        )
        for review in reviews
    ]


def current(session: Session, submission_id: str) -> list[Review]:
    query = select(Review).where(Review.submission_id == submission_id).order_by(Review.criterion)
    return list(session.scalars(query))


def trail(session: Session, submission_id: str) -> list[ReviewEvent]:
    """Every change to the submission's reviews, newest first."""
    query = (
        select(ReviewEvent)
        .where(ReviewEvent.submission_id == submission_id)
        .order_by(ReviewEvent.at.desc(), ReviewEvent.id)
    )
    return list(session.scalars(query))


def _fitting(
    criteria: Sequence[CriterionScore], reviews: Iterable[Review]
) -> list[scoring.Judgement]:
    """The judgements that still fit the result: a regrade under a changed rubric may have
    dropped a criterion, and that must not stop the new result from being stored."""
    by_id = {criterion.id: criterion for criterion in criteria}
    fitting = []
    for judgement in judgements(reviews):
        criterion = by_id.get(judgement.criterion)
        if criterion is None:
            continue
        try:
            scoring.check_judgement(criterion, judgement)
        except InvalidInput:
            continue
        fitting.append(judgement)
    return fitting


def apply(
    session: Session,
    submission: Submission,
    criteria: Sequence[CriterionScore],
    total: float | None,
) -> Reviewed:
    """The result's criteria with the submission's reviews applied."""
    reviews = current(session, submission.id)
    reviewed, reviewed_total = scoring.review(list(criteria), _fitting(criteria, reviews))
    return Reviewed(
        criteria=reviewed,
        automatic_total=total,
        total=reviewed_total if criteria else total,
        reviews=reviews,
        trail=trail(session, submission.id),
    )


def rescore(
    session: Session, submission: Submission, criteria: Sequence[CriterionScore] | None
) -> None:
    """Keep the submission's reviewed total and points in step with its result and reviews;
    ``None`` when it has no score (a platform error)."""
    if criteria is None:
        submission.reviewed_total, submission.points = None, None
        return
    reviewed, total = scoring.review(
        list(criteria), _fitting(criteria, current(session, submission.id))
    )
    submission.reviewed_total = total if reviewed else submission.total
    submission.points = {criterion.id: criterion.points for criterion in reviewed}


def _criterion(criteria: Sequence[CriterionScore], criterion_id: str) -> CriterionScore:
    for criterion in criteria:
        if criterion.id == criterion_id:
            return criterion
    raise NotFound(f"no criterion {criterion_id} in this submission's result")


def _points(submission: Submission, criterion_id: str) -> float | None:
    value = (submission.points or {}).get(criterion_id)
    return float(value) if value is not None else None


def _record(
    session: Session,
    submission: Submission,
    *,
    reviewer: User,
    criterion: str,
    action: Action,
    kind: Kind,
    before: tuple[float | None, float | None],
    judgement: scoring.Judgement,
) -> ReviewEvent:
    event = ReviewEvent(
        submission_id=submission.id,
        criterion=criterion,
        action=action,
        kind=kind,
        score=judgement.score,
        points=judgement.points,
        note=judgement.note,
        points_before=before[0],
        total_before=before[1],
        points_after=_points(submission, criterion),
        total_after=submission.reviewed_total,
        reviewer_id=reviewer.id,
        reviewer_email=reviewer.email,
        at=utcnow(),
    )
    session.add(event)
    session.flush()
    return event


def judge(
    session: Session,
    submission: Submission,
    criteria: Sequence[CriterionScore],
    *,
    reviewer: User,
    judgement: scoring.Judgement,
) -> ReviewEvent:
    """Set a reviewer's score or override of one criterion, and keep the change in the trail."""
    criterion = _criterion(criteria, judgement.criterion)
    scoring.check_judgement(criterion, judgement)
    before = (_points(submission, criterion.id), submission.reviewed_total)
    kind = Kind.manual if criterion.manual else Kind.override
    review = session.scalar(
        select(Review).where(
            Review.submission_id == submission.id, Review.criterion == criterion.id
        )
    )
    if review is None:
        review = Review(submission_id=submission.id, criterion=criterion.id, kind=kind)
        session.add(review)
    review.kind, review.score, review.points = kind, judgement.score, judgement.points
    review.note, review.reviewer_id, review.updated_at = judgement.note, reviewer.id, utcnow()
    session.flush()
    rescore(session, submission, criteria)
    return _record(
        session,
        submission,
        reviewer=reviewer,
        criterion=criterion.id,
        action=Action.set,
        kind=kind,
        before=before,
        judgement=judgement,
    )


def clear(
    session: Session,
    submission: Submission,
    criteria: Sequence[CriterionScore],
    *,
    reviewer: User,
    criterion_id: str,
    note: str = "",
) -> ReviewEvent:
    """Withdraw a criterion's review: a manual one is unscored again, an override undone."""
    criterion = _criterion(criteria, criterion_id)
    review = session.scalar(
        select(Review).where(
            Review.submission_id == submission.id, Review.criterion == criterion.id
        )
    )
    if review is None:
        raise NotFound(f"{criterion.title} has no review to clear")
    before = (_points(submission, criterion.id), submission.reviewed_total)
    kind = review.kind
    session.execute(delete(Review).where(Review.id == review.id))
    session.flush()
    rescore(session, submission, criteria)
    return _record(
        session,
        submission,
        reviewer=reviewer,
        criterion=criterion.id,
        action=Action.cleared,
        kind=kind,
        before=before,
        judgement=scoring.Judgement(criterion.id, note=note),
    )

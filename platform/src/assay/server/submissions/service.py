"""Submissions: accept an upload, store it once per content, list and read what one may see."""

import base64
import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from assay.catalog.loader import Problem
from assay.errors import Conflict, InvalidInput, NotFound, TooManyRequests
from assay.grading import configure
from assay.server.accounts import service as accounts
from assay.server.accounts.models import User
from assay.server.gradings import service as gradings
from assay.server.submissions.archives import canonical
from assay.server.submissions.models import Blob, Status, Submission

RATE_WINDOW = timedelta(hours=1)
PAGE_MAX = 100


@dataclass(frozen=True)
class Accepted:
    submission: Submission
    created: bool  # False when an Idempotency-Key named an earlier upload
    left_out: list[str]


@dataclass(frozen=True)
class Filters:
    problem: str | None = None
    candidate: str | None = None
    status: Status | None = None


def _now() -> datetime:
    return datetime.now(UTC)


def _check_rate(session: Session, user: User, per_hour: int) -> None:
    since = _now() - RATE_WINDOW
    recent = select(Submission.created_at).where(
        Submission.candidate_id == user.id, Submission.created_at > since
    )
    times = sorted(session.scalars(recent))
    if len(times) >= per_hour:
        retry = int((times[0] + RATE_WINDOW - _now()).total_seconds()) + 1
        raise TooManyRequests(f"at most {per_hour} uploads an hour; try again later", retry)


def _blob(session: Session, data: bytes) -> Blob:
    sha = hashlib.sha256(data).hexdigest()
    blob = session.get(Blob, sha)
    if blob is None:
        blob = Blob(sha256=sha, size=len(data), data=data)
        session.add(blob)
    return blob


def admit(
    session: Session,
    *,
    user: User,
    problem: str,
    uploads_per_hour: int,
    submitter: User | None = None,
) -> None:
    """Refuse what ``user`` may not submit now: no open invitation, or over the upload rate."""
    if not (submitter or user).is_staff:
        accounts.open_invitation(session, user, problem)
        _check_rate(session, user, uploads_per_hour)


def create_submission(
    session: Session,
    *,
    user: User,
    problem: Problem,
    upload: bytes,
    idempotency_key: str | None = None,
    uploads_per_hour: int = 20,
    source: str = "upload",
    commit: str | None = None,
    submitter: User | None = None,
) -> Accepted:
    """Check and store an upload as a queued submission; nothing is kept if it is refused.

    ``submitter`` is who sends it when that is not ``user`` (a reviewer pushing to a
    candidate's remote): the candidate's deadline and upload rate bind only the candidate.
    """
    if idempotency_key is not None:
        earlier = session.scalar(
            select(Submission).where(
                Submission.candidate_id == user.id, Submission.idempotency_key == idempotency_key
            )
        )
        if earlier is not None:
            if earlier.archive_sha256 != hashlib.sha256(canonical(upload).data).hexdigest():
                raise Conflict("this Idempotency-Key was used for a different upload")
            return Accepted(earlier, created=False, left_out=[])
    admit(
        session,
        user=user,
        problem=problem.slug,
        uploads_per_hour=uploads_per_hour,
        submitter=submitter,
    )
    kept = canonical(upload)
    blob = _blob(session, kept.data)
    submission = Submission(
        candidate_id=user.id,
        problem=problem.slug,
        archive_sha256=blob.sha256,
        files=kept.files,
        size=kept.size,
        source=source,
        commit=commit,
        idempotency_key=idempotency_key,
    )
    session.add(submission)
    session.flush()
    return Accepted(submission, created=True, left_out=kept.left_out)


def visible(session: Session, user: User, submission_id: str) -> Submission:
    """A submission its reader may see; anyone else's is simply not found."""
    submission = session.get(Submission, submission_id)
    if submission is None or (not user.is_staff and submission.candidate_id != user.id):
        raise NotFound(f"no submission {submission_id}")
    return submission


def _cursor(submission: Submission) -> str:
    raw = f"{submission.created_at.isoformat()}|{submission.id}"
    return base64.urlsafe_b64encode(raw.encode()).decode()


def _after(cursor: str) -> tuple[datetime, str]:
    try:
        when, _, ident = base64.urlsafe_b64decode(cursor.encode()).decode().partition("|")
        return datetime.fromisoformat(when), ident
    except (ValueError, UnicodeDecodeError) as error:
        raise InvalidInput("the cursor is not one this API gave out") from error


def list_submissions(
    session: Session, user: User, filters: Filters, *, cursor: str | None, limit: int
) -> tuple[list[Submission], str | None]:
    """Newest first, a page at a time; a candidate sees only their own."""
    query = select(Submission)
    if not user.is_staff:
        query = query.where(Submission.candidate_id == user.id)
    elif filters.candidate:
        query = query.where(Submission.candidate_id == filters.candidate)
    if filters.problem:
        query = query.where(Submission.problem == filters.problem)
    if filters.status:
        query = query.where(Submission.status == filters.status)
    if cursor:
        when, ident = _after(cursor)
        query = query.where(
            or_(
                Submission.created_at < when,
                and_(Submission.created_at == when, Submission.id < ident),
            )
        )
    limit = max(1, min(limit, PAGE_MAX))
    query = query.order_by(Submission.created_at.desc(), Submission.id.desc()).limit(limit + 1)
    rows = list(session.scalars(query))
    more = len(rows) > limit
    rows = rows[:limit]
    return rows, _cursor(rows[-1]) if more and rows else None


def queue_position(session: Session, submission: Submission) -> int | None:
    """How many queued submissions are ahead of this one; None once it left the queue."""
    if submission.status is not Status.queued:
        return None
    ahead = select(func.count()).where(
        Submission.status == Status.queued, Submission.queued_at < submission.queued_at
    )
    return int(session.scalar(ahead) or 0)


def requeue(session: Session, submission: Submission) -> None:
    """Queue a submission again (a regrade): its next delivery starts a new attempt."""
    if submission.status is Status.grading:
        raise Conflict(f"submission {submission.id} is being graded; regrade it once it ends")
    submission.status = Status.queued
    submission.queued_at = _now()
    submission.dispatched_at = None
    submission.deliveries = 0


def pin_binding(
    session: Session, submission: Submission, binding: dict[str, Any] | None, *, problem: Problem
) -> None:
    """Pin an open brief's binding (``None`` unpins it) and queue the regrade that uses it.

    A pinned operation must be one the brief has, which only a grading of the problem's suite
    can tell: the current result's binding names them all, bound or not.
    """
    if problem.spec.contract != "open":
        raise Conflict(f"{submission.problem} has an exact contract: there is no binding to pin")
    if binding is not None:
        current = gradings.result(session, submission.id)
        bound = (current.report or {}).get("binding") if current is not None else None
        if not bound:
            raise Conflict(
                f"submission {submission.id} has not been bound yet: pin a binding after a "
                "grading shows how its API was bound"
            )
        known = set(bound.get("operations") or {}) | set(bound.get("unbound") or {})
        unknown = sorted(set(binding["operations"]) - known)
        if unknown:
            raise InvalidInput(
                f"the brief has no operation {', '.join(map(repr, unknown))}; "
                f"its operations are {', '.join(map(repr, sorted(known)))}"
            )
    requeue(session, submission)
    submission.binding = binding


def pin_overrides(
    session: Session, submission: Submission, overrides: dict[str, str] | None
) -> None:
    """Pin the environment a reviewer corrected (``None`` or nothing unpins it) and queue the
    regrade that uses it.

    Any problem may be configured wrongly by inference, so unlike a binding this is not
    limited to open briefs; the engine's own rules decide what the pod can be given.
    """
    pinned = configure.check_overrides(overrides) if overrides else None
    requeue(session, submission)
    submission.overrides = pinned


def mark_dispatched(session: Session, submission_id: str) -> None:
    submission = session.get(Submission, submission_id)
    if submission is not None:
        submission.dispatched_at = _now()


def archive(session: Session, submission: Submission) -> bytes:
    return session.get_one(Blob, submission.archive_sha256).data

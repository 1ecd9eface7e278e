"""What the dashboard reads across many submissions: counts, standings, pass rates, the queue.

Pages of many submissions never read reports: they use what a finished grading keeps beside
the submission (the reviewed total, each criterion's points, each hidden test's outcome).
"""

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, case, func, select
from sqlalchemy.orm import Session

from assay.server.accounts.models import Invitation, User
from assay.server.gradings import service as gradings
from assay.server.gradings.models import HiddenOutcome
from assay.server.submissions.models import Status, Submission

BINS = 10
HOURS = re.compile(r"(\d+(?:\.\d+)?)\s*(?:-\s*(\d+(?:\.\d+)?))?\s*(hour|hr|h|minute|min|m)", re.I)


def time_box(text: str) -> timedelta | None:
    """The longest time a problem's ``time_box`` allows: "2-3 hours" is 3 hours."""
    match = HOURS.search(text)
    if match is None:
        return None
    amount = float(match.group(2) or match.group(1))
    unit = match.group(3).lower()
    return timedelta(hours=amount) if unit.startswith("h") else timedelta(minutes=amount)


@dataclass
class ProblemCounts:
    submissions: int = 0
    candidates: int = 0
    by_status: dict[str, int] = field(default_factory=dict)


def problem_counts(session: Session) -> dict[str, ProblemCounts]:
    counts: dict[str, ProblemCounts] = defaultdict(ProblemCounts)
    by_status = select(Submission.problem, Submission.status, func.count()).group_by(
        Submission.problem, Submission.status
    )
    for problem, status, number in session.execute(by_status):
        counts[problem].by_status[status] = number
        counts[problem].submissions += number
    people = select(Submission.problem, func.count(func.distinct(Submission.candidate_id)))
    for problem, number in session.execute(people.group_by(Submission.problem)):
        counts[problem].candidates = number
    return counts


def best_scores(session: Session, problem: str | None = None) -> list[float]:
    """Each candidate's best score on each problem (or one problem)."""
    query = select(func.max(Submission.reviewed_total)).where(
        Submission.status == Status.graded, Submission.reviewed_total.is_not(None)
    )
    if problem is not None:
        query = query.where(Submission.problem == problem)
    query = query.group_by(Submission.problem, Submission.candidate_id)
    return [float(value) for value in session.scalars(query) if value is not None]


def histogram(scores: list[float], bins: int = BINS) -> list[int]:
    """Counts of scores in ``bins`` equal ranges of 0-100; 100 falls in the last."""
    counts = [0] * bins
    for value in scores:
        counts[min(bins - 1, max(0, int(value * bins / 100)))] += 1
    return counts


@dataclass(frozen=True)
class PassRate:
    problem: str
    test_id: str
    visible: bool
    candidates: int
    passed: int

    @property
    def rate(self) -> float:
        return self.passed / self.candidates if self.candidates else 0.0


def hardest_tests(session: Session, limit: int = 10) -> list[PassRate]:
    """Hidden tests by the share of candidates who passed them, lowest first; a candidate
    counts as passing when any of their current results passed it."""
    passed = func.count(func.distinct(case((HiddenOutcome.passed, HiddenOutcome.candidate_id))))
    ran = func.count(func.distinct(HiddenOutcome.candidate_id))
    query = (
        select(
            HiddenOutcome.problem,
            HiddenOutcome.test_id,
            func.min(case((HiddenOutcome.visible, 1), else_=0)),
            ran,
            passed,
        )
        .group_by(HiddenOutcome.problem, HiddenOutcome.test_id)
        .order_by((passed * 1.0 / ran).asc(), HiddenOutcome.test_id)
        .limit(limit)
    )
    return [
        PassRate(problem, test_id, bool(visible), int(candidates), int(ok))
        for problem, test_id, visible, candidates, ok in session.execute(query)
    ]


@dataclass(frozen=True)
class InFlight:
    submission: Submission
    email: str
    position: int | None
    stage: str


def in_flight(session: Session, limit: int = 50) -> list[InFlight]:
    """Submissions queued (with their place in the queue) or being graded (with the stage)."""
    query = (
        select(Submission, User.email)
        .join(User, User.id == Submission.candidate_id)
        .where(Submission.status.in_([Status.queued, Status.grading]))
        .order_by(Submission.status, Submission.queued_at)  # grading, then queued
        .limit(limit)
    )
    rows = [(submission, email) for submission, email in session.execute(query)]
    latest = gradings.latest(session, [submission.id for submission, _ in rows])
    place = 0
    found = []
    for submission, email in rows:
        position = None
        if submission.status is Status.queued:
            position, place = place, place + 1
        attempt = latest.get(submission.id)
        stage = attempt.stage if attempt is not None and submission.status is Status.grading else ""
        found.append(InFlight(submission, email, position, stage))
    return found


@dataclass
class Standing:
    """One candidate on a problem's leaderboard."""

    candidate_id: str
    email: str
    name: str
    submissions: int
    best: float | None
    best_id: str
    latest_id: str
    latest_status: Status
    latest_score: float | None
    latest_at: datetime
    points: dict[str, Any]
    time_used: timedelta | None
    deadline: datetime | None


SORTS = ("best", "latest", "candidate", "status", "submissions", "time")


@dataclass(frozen=True)
class Board:
    """How a leaderboard is asked for: sorted by a column, filtered, one page of it."""

    sort: str = "best"
    descending: bool = True
    text: str = ""
    status: str = ""
    offset: int = 0
    limit: int | None = None


def _seconds(later: Any, earlier: Any, dialect: str) -> Any:
    """The seconds between two timestamps, in the database's own date arithmetic."""
    if dialect == "sqlite":
        return (func.julianday(later) - func.julianday(earlier)) * 86400
    return func.extract("epoch", later - earlier)


def _latest_rows(problem: str, board: Board, criteria: list[str], dialect: str) -> Select[Any]:
    """One row per candidate: their latest submission, counts and best score, with the
    filters and the order of ``board``; the database does the work whatever the size."""
    score = case((Submission.status == Status.graded, Submission.reviewed_total))
    totals = (
        select(
            Submission.candidate_id,
            func.max(Submission.created_at).label("latest_at"),
            func.count().label("submissions"),
            func.max(score).label("best"),
        )
        .where(Submission.problem == problem)
        .group_by(Submission.candidate_id)
        .subquery()
    )
    invitation = (
        select(Invitation)
        .where(Invitation.candidate_id == totals.c.candidate_id, Invitation.problem == problem)
        .order_by(Invitation.deadline.desc())
        .limit(1)
        .correlate(totals)
    )
    began = invitation.with_only_columns(
        func.coalesce(Invitation.started_at, Invitation.created_at)
    ).scalar_subquery()
    deadline = invitation.with_only_columns(Invitation.deadline).scalar_subquery()
    latest_score = case((Submission.status == Status.graded, Submission.reviewed_total))
    query = (
        select(
            Submission.id,
            Submission.candidate_id,
            Submission.status,
            latest_score.label("latest_score"),
            Submission.points,
            Submission.created_at,
            totals.c.submissions,
            totals.c.best,
            User.email,
            User.name,
            began.label("began"),
            deadline.label("deadline"),
            func.count().over().label("matching"),
        )
        .join(
            totals,
            (Submission.candidate_id == totals.c.candidate_id)
            & (Submission.created_at == totals.c.latest_at),
        )
        .join(User, User.id == Submission.candidate_id)
        .where(Submission.problem == problem)
    )
    if board.text.strip():
        needle = f"%{board.text.strip().lower()}%"
        query = query.where(
            func.lower(User.email).like(needle) | func.lower(User.name).like(needle)
        )
    if board.status:
        query = query.where(Submission.status == board.status)
    keys: dict[str, Any] = {
        "best": totals.c.best,
        "latest": latest_score,
        "candidate": func.lower(func.coalesce(func.nullif(User.name, ""), User.email)),
        "status": Submission.status,
        "submissions": totals.c.submissions,
        "time": _seconds(Submission.created_at, began, dialect),
    }
    key = keys.get(board.sort)
    if board.sort in criteria:
        key = Submission.points[board.sort].as_float()
    if key is not None:
        query = query.order_by(key.is_(None), key.desc() if board.descending else key.asc())
    return query.order_by(User.email, Submission.id)


def _standing(row: Any) -> Standing:
    return Standing(
        candidate_id=row.candidate_id,
        email=row.email,
        name=row.name,
        submissions=row.submissions,
        best=row.best,
        best_id="",
        latest_id=row.id,
        latest_status=Status(row.status),
        latest_score=row.latest_score,
        latest_at=row.created_at,
        points=row.points or {},
        time_used=max(timedelta(0), row.created_at - row.began) if row.began else None,
        deadline=row.deadline,
    )


def _best_ids(session: Session, problem: str, rows: list[Standing]) -> None:
    """Link each shown candidate's best score to its submission (the earliest, on a tie)."""
    query = (
        select(Submission.id, Submission.candidate_id)
        .where(
            Submission.problem == problem,
            Submission.status == Status.graded,
            Submission.candidate_id.in_([row.candidate_id for row in rows]),
            Submission.reviewed_total.is_not(None),
        )
        .order_by(Submission.reviewed_total.desc(), Submission.created_at)
    )
    best: dict[str, str] = {}
    for ident, candidate in session.execute(query):
        best.setdefault(candidate, ident)
    for row in rows:
        row.best_id = best.get(row.candidate_id, "")


def standings(
    session: Session, problem: str, board: Board, criteria: list[str]
) -> tuple[list[Standing], int]:
    """A page of ``problem``'s leaderboard and how many candidates match in all: best and
    latest scores, the latest result's points per criterion, and the time from taking the
    starter to the last upload."""
    query = _latest_rows(problem, board, criteria, session.get_bind().dialect.name)
    found = list(session.execute(query.offset(board.offset).limit(board.limit)))
    rows = [_standing(row) for row in found]
    count = found[0].matching if found else 0
    if not found and board.offset:
        count = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    unique = list({row.candidate_id: row for row in reversed(rows)}.values())[::-1]
    _best_ids(session, problem, unique)
    return unique, int(count or 0)


def own_submissions(session: Session, user: User, problem: str | None = None) -> list[Submission]:
    query = select(Submission).where(Submission.candidate_id == user.id)
    if problem is not None:
        query = query.where(Submission.problem == problem)
    return list(session.scalars(query.order_by(Submission.created_at.desc()).limit(100)))


def invitations(session: Session, user: User) -> list[Invitation]:
    query = (
        select(Invitation)
        .where(Invitation.candidate_id == user.id)
        .order_by(Invitation.deadline.desc())
    )
    return list(session.scalars(query))

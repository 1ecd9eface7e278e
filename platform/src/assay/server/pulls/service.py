"""Registered repositories and their webhooks: register one, take a delivery, turn a fetched
commit into a submission, and decide what to report of it.

Plain functions on a session; they flush, the caller commits.
"""

import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from assay.catalog.loader import Problem
from assay.config import Settings
from assay.errors import AssayError, Conflict, InvalidInput, NotFound, Unauthorized
from assay.grading.github import summary
from assay.grading.report import Report
from assay.server.accounts import service as accounts
from assay.server.accounts.models import Invitation, Role, User
from assay.server.gradings import service as gradings
from assay.server.problems import service as problems
from assay.server.pulls import events
from assay.server.pulls.models import Check, CheckState, Delivery, Provider, Repository
from assay.server.pulls.providers import DEFAULT_API, Status
from assay.server.submissions import service as submissions
from assay.server.submissions.models import Status as SubmissionStatus
from assay.server.submissions.models import Submission

SECRET_BYTES = 32


@dataclass(frozen=True)
class Receipt:
    """What a delivery led to: a check to grade, or the reason nothing is graded."""

    delivery: str
    event: str
    check: Check | None
    reason: str = ""


@dataclass(frozen=True)
class Notice:
    """What to tell the provider of a check now: ``key`` names it, so that the same thing is
    never said twice."""

    key: str
    status: Status
    comment: str | None


def _now() -> datetime:
    return datetime.now(UTC)


def register(
    session: Session,
    *,
    by: User,
    provider: Provider,
    full_name: str,
    problem: Problem,
    candidate_email: str,
    api_token: str,
    secret: str | None = None,
    api_url: str | None = None,
    min_score: float | None = None,
) -> tuple[Repository, str]:
    """Register a repository as one invited candidate's work on a problem; returns it and its
    webhook secret (made here when none is given)."""
    accounts.require(by, Role.admin, Role.reviewer)
    candidate = accounts.user_by_email(session, candidate_email)
    if candidate is None or candidate.role is not Role.candidate:
        raise InvalidInput(f"no candidate {candidate_email}: invite them to {problem.slug} first")
    invited = select(Invitation.id).where(
        Invitation.candidate_id == candidate.id, Invitation.problem == problem.slug
    )
    if session.scalars(invited).first() is None:
        raise InvalidInput(
            f"{candidate_email} has no invitation to {problem.slug}: invite them first"
        )
    taken = select(Repository.id).where(
        Repository.provider == provider, Repository.full_name == full_name
    )
    if session.scalars(taken).first() is not None:
        raise Conflict(f"{provider} repository {full_name} is already registered")
    secret = secret or secrets.token_urlsafe(SECRET_BYTES)
    repository = Repository(
        provider=provider,
        full_name=full_name,
        problem=problem.slug,
        candidate_id=candidate.id,
        secret=secret,
        api_url=(api_url or DEFAULT_API[provider]).rstrip("/"),
        api_token=api_token,
        min_score=min_score,
        created_by=by.id,
    )
    session.add(repository)
    session.flush()
    return repository, secret


def repositories(session: Session) -> list[Repository]:
    return list(session.scalars(select(Repository).order_by(Repository.created_at.desc())))


def repository(session: Session, repository_id: str) -> Repository:
    found = session.get(Repository, repository_id)
    if found is None:
        raise NotFound(f"no repository {repository_id}")
    return found


def remove(session: Session, repository_id: str) -> None:
    """Forget a repository: its webhooks are refused from now on (its submissions stay)."""
    session.delete(repository(session, repository_id))
    session.flush()


def checks(session: Session, repository_id: str, limit: int = 100) -> list[Check]:
    query = (
        select(Check)
        .where(Check.repository_id == repository_id)
        .order_by(Check.created_at.desc())
        .limit(limit)
    )
    return list(session.scalars(query))


def receive(
    session: Session,
    *,
    provider: Provider,
    headers: Mapping[str, str],
    body: bytes,
    link_base: str,
) -> Receipt:
    """Take one webhook delivery: refused when its repository is unknown (404), its signature
    wrong (401) or its id seen before (409); else a check to grade, or why there is none."""
    event = events.event_name(provider, headers)
    data = events.payload(body)
    name = events.repository_name(provider, data)
    found = session.scalars(
        select(Repository).where(Repository.provider == provider, Repository.full_name == name)
    ).first()
    if found is None:
        raise NotFound(f"no {provider} repository {name} is registered with Assay")
    if not events.signed(provider, found.secret, headers, body):
        header = "X-Hub-Signature-256" if provider is Provider.github else "X-Gitlab-Token"
        raise Unauthorized(f"the {header} of this delivery does not match {name}'s secret")
    delivery = events.delivery_id(provider, headers, body)
    if session.get(Delivery, (found.id, delivery)) is not None:
        raise Conflict(f"delivery {delivery} was received before: replays are refused")
    session.add(Delivery(repository_id=found.id, delivery_id=delivery, event=event[:50]))
    try:
        session.flush()
    except IntegrityError as error:  # the same delivery, at the same moment
        raise Conflict(f"delivery {delivery} was received before: replays are refused") from error
    wanted = events.parse(provider, event, data)
    if isinstance(wanted, events.Ignored):
        return Receipt(delivery, event, None, wanted.reason)
    check = Check(
        repository_id=found.id,
        event=wanted.event,
        sha=wanted.sha,
        ref=wanted.ref[:300],
        pull=wanted.pull,
        link_base=link_base,
    )
    session.add(check)
    session.flush()
    return Receipt(delivery, event, check)


def to_fetch(session: Session, check_id: str) -> tuple[Check, Repository] | None:
    """The check and its repository when its commit is still to be fetched."""
    check = session.get(Check, check_id)
    if check is None or check.state is not CheckState.fetching:
        return None
    check.updated_at = _now()  # a fetch in progress is not one the sweep should send again
    return check, session.get_one(Repository, check.repository_id)


def give_up(session: Session, check_id: str, why: str) -> None:
    """The provider never gave the commit: nothing is graded, and the pull request is told."""
    check = session.get(Check, check_id)
    if check is not None and check.state is CheckState.fetching:
        check.state, check.error, check.updated_at = CheckState.failed, why, _now()


def submit(
    session: Session, settings: Settings, check_id: str, archive: bytes
) -> submissions.Accepted | None:
    """The fetched commit as the candidate's submission; a refusal (deadline, rate, files) is
    kept on the check, to be reported. None when another delivery got there first."""
    check = session.get(Check, check_id)
    if check is None or check.state is not CheckState.fetching:
        return None
    found = session.get_one(Repository, check.repository_id)
    check.updated_at = _now()
    try:
        problem = problems.catalog(settings.root).get(found.problem)
        if problem is None:
            raise NotFound(f"no problem {found.problem}")
        accepted = submissions.create_submission(
            session,
            user=session.get_one(User, found.candidate_id),
            problem=problem,
            upload=archive,
            idempotency_key=f"{found.provider}:{found.id}:{check.sha}",
            uploads_per_hour=settings.uploads_per_hour,
            source=found.provider.value,
            commit=check.sha,
        )
    except AssayError as error:
        check.state, check.error = CheckState.refused, error.message
        return None
    check.state, check.submission_id = CheckState.submitted, accepted.submission.id
    return accepted


def marker(found: Repository) -> str:
    """The hidden line that marks Assay's comment on this repository's pull requests."""
    return f"<!-- assay:{found.id} -->"


def _latest_of_pull(session: Session, check: Check) -> bool:
    """Whether no newer check of the same pull request exists: an older grading that ends last
    must not overwrite the comment about the newer commit."""
    query = (
        select(Check.id)
        .where(Check.repository_id == check.repository_id, Check.pull == check.pull)
        .order_by(Check.created_at.desc(), Check.id.desc())
    )
    return session.scalars(query).first() == check.id


def _comment(found: Repository, check: Check, text: str, link: str | None) -> str:
    footer = f"Commit `{check.sha[:12]}`" + (f" · [details on Assay]({link})" if link else "")
    return f"{marker(found)}\n{text.rstrip()}\n\n{footer}\n"


def plan_report(session: Session, check_id: str) -> tuple[Check, Repository, Notice] | None:
    """What to tell the provider about a check now, or None when it was told already."""
    check = session.get(Check, check_id)
    if check is None or check.state is CheckState.fetching:
        return None
    found = session.get_one(Repository, check.repository_id)
    context = f"assay/{found.problem}"
    comment: str | None = None
    if check.state in (CheckState.refused, CheckState.failed):
        why = f"not graded: {check.error}"
        key, status = check.state.value, Status("error", f"Assay: {why}", check.link_base, context)
        if check.pull is not None:
            comment = _comment(found, check, f"## Assay: not graded\n\n{check.error}", None)
        return _unless_said(check, found, Notice(key, status, comment))
    submission = session.get(Submission, check.submission_id or "")
    if submission is None:
        return None
    link = f"{check.link_base}/submissions/{submission.id}"
    result = gradings.result(session, submission.id) if submission.status.finished else None
    if result is None:
        status = Status("pending", "Assay is grading this commit", link, context)
        return _unless_said(check, found, Notice("pending", status, None))
    key = f"{submission.status}:{result.number}"
    if submission.status is SubmissionStatus.graded and result.report is not None:
        report = Report.model_validate(result.report)
        total = report.total or 0.0
        passed = found.min_score is None or total >= found.min_score
        needs = "" if found.min_score is None else f" (needs {found.min_score:g})"
        status = Status(
            "success" if passed else "failure", f"Assay: {total:g} / 100{needs}", link, context
        )
        text = summary(report)
    else:
        why = "the platform failed, not the code; a reviewer grades it again once fixed"
        status = Status("error", f"Assay could not grade this: {why}", link, context)
        text = f"## Assay: not graded\n\n{result.error or why}"
    if check.pull is not None and _latest_of_pull(session, check):
        comment = _comment(found, check, text, link)
    return _unless_said(check, found, Notice(key, status, comment))


def _unless_said(
    check: Check, found: Repository, report: Notice
) -> tuple[Check, Repository, Notice] | None:
    return None if check.reported == report.key else (check, found, report)


def reported(
    session: Session, check_id: str, key: str, *, author: str | None, error: str | None
) -> None:
    """Record what was told (``error`` None) or why telling it failed."""
    check = session.get(Check, check_id)
    if check is None:
        return
    check.updated_at = _now()
    check.report_error = error
    if error is None:
        check.reported = key
    if author:
        session.get_one(Repository, check.repository_id).comment_author = author


def finished_checks(session: Session, submission_id: str) -> list[str]:
    """The checks of a submission whose grading ended: each has a result to report."""
    submission = session.get(Submission, submission_id)
    if submission is None or not submission.status.finished:
        return []
    query = select(Check.id).where(Check.submission_id == submission_id)
    return list(session.scalars(query))


def stalled(session: Session, *, older_than: timedelta) -> tuple[list[str], list[str]]:
    """Checks a lost task left behind: commits never fetched, and finished gradings never
    reported; the sweep sends them again."""
    cutoff = _now() - older_than
    fetching = select(Check.id).where(Check.state == CheckState.fetching, Check.updated_at < cutoff)
    unreported = (
        select(Check.id)
        .join(Submission, Submission.id == Check.submission_id)
        .where(
            Check.state == CheckState.submitted,
            Check.updated_at < cutoff,
            Submission.status.in_([SubmissionStatus.graded, SubmissionStatus.error]),
            ~Check.reported.startswith("graded:"),
            ~Check.reported.startswith("error:"),
        )
    )
    untold = select(Check.id).where(
        Check.state.in_([CheckState.refused, CheckState.failed]),
        Check.updated_at < cutoff,
        Check.reported == "",
    )
    reports = list(session.scalars(unreported)) + list(session.scalars(untold))
    return list(session.scalars(fetching)), reports

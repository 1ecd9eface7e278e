"""Git intake: who may fetch from or push to an invitation's remote, and what a push submits.

Plain functions on a session; they flush, the caller commits.
"""

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.orm import Session

from assay.config import Settings
from assay.errors import Forbidden, NotFound
from assay.server.accounts.models import Invitation, User
from assay.server.git import repos
from assay.server.git.models import Push
from assay.server.problems import service as problems
from assay.server.submissions import service as submissions
from assay.server.submissions.archives import canonical


@dataclass(frozen=True)
class Update:
    """One ref a push changed, as Git hands it to a receive hook."""

    old: str
    new: str
    ref: str

    @property
    def graded(self) -> bool:
        """Whether this update is a submission: a branch Assay grades, not deleted."""
        return self.ref in repos.GRADED_BRANCHES and not repos.is_deletion(self.new)


def remotes_dir(settings: Settings) -> Path:
    return settings.data_dir / "git" / "remotes"


def hooks_dir(settings: Settings) -> Path:
    return settings.data_dir / "git" / "hooks"


def remote_url(base_url: str, invitation_id: str) -> str:
    return f"{base_url.rstrip('/')}/git/{invitation_id}.git"


def remote_for(session: Session, user: User, invitation_id: str, *, push: bool) -> Invitation:
    """The invitation whose remote ``user`` may fetch from, or push to with ``push``.

    A candidate reaches only their own (anyone else's is not found) and pushes only before its
    deadline; staff may do either to any remote.
    """
    invitation = session.get(Invitation, invitation_id)
    if invitation is None or (not user.is_staff and invitation.candidate_id != user.id):
        raise NotFound(f"no remote {invitation_id}")
    if push and not user.is_staff and invitation.deadline <= datetime.now(UTC):
        raise Forbidden(
            f"the deadline passed at {invitation.deadline:%Y-%m-%d %H:%M} UTC: "
            "this remote takes no more pushes"
        )
    return invitation


def parse_updates(text: str) -> list[Update]:
    """The ``<old> <new> <ref>`` lines Git gives a pre- or post-receive hook."""
    updates = []
    for line in text.splitlines():
        parts = line.split()
        if len(parts) == 3:
            updates.append(Update(*parts))
    return updates


def graded_update(updates: list[Update]) -> Update | None:
    """The update that is a submission: ``main`` (or ``master``) when the push changed it."""
    graded = {update.ref: update for update in updates if update.graded}
    return next((graded[ref] for ref in repos.GRADED_BRANCHES if ref in graded), None)


def _candidate(session: Session, invitation: Invitation) -> User:
    return session.get_one(User, invitation.candidate_id)


def admit(
    session: Session, settings: Settings, *, invitation: Invitation, pusher: User, archive: bytes
) -> None:
    """Refuse, before the branch moves, a push that could not be graded: the candidate fixes it
    and pushes again, instead of leaving a commit in the remote that no one grades."""
    submissions.admit(
        session,
        user=_candidate(session, invitation),
        problem=invitation.problem,
        uploads_per_hour=settings.uploads_per_hour,
        submitter=pusher,
    )
    canonical(archive)


def submit(
    session: Session,
    settings: Settings,
    *,
    invitation: Invitation,
    pusher: User,
    update: Update,
    archive: bytes,
    history: repos.History,
) -> submissions.Accepted:
    """Store the pushed commit's tree as the candidate's submission, with its history.

    The same commit pushed again is the same submission (its idempotency key is the commit).
    """
    problem = problems.catalog(settings.root).get(invitation.problem)
    if problem is None:
        raise NotFound(f"no problem {invitation.problem}")
    accepted = submissions.create_submission(
        session,
        user=_candidate(session, invitation),
        problem=problem,
        upload=archive,
        idempotency_key=f"git:{invitation.id}:{update.new}",
        uploads_per_hour=settings.uploads_per_hour,
        source="git",
        commit=update.new,
        submitter=pusher,
    )
    if accepted.created:
        session.add(
            Push(
                submission_id=accepted.submission.id,
                invitation_id=invitation.id,
                pushed_by=pusher.id,
                ref=update.ref,
                commit=update.new,
                commits=history.count,
                history=[commit.as_json() for commit in history.commits],
            )
        )
        session.flush()
    return accepted


def push_of(session: Session, submission_id: str) -> Push | None:
    return session.get(Push, submission_id)

"""What the pull-request tasks do: fetch a check's commit from the provider and submit it;
report a check's state back to the provider. Each step is its own transaction, and no
database session is held while the provider is called.

Both raise :class:`~assay.server.pulls.client.Unavailable` when the provider stays away, for
their task to try again later; a refusal (4xx) is recorded and not retried.
"""

import logging
from collections.abc import Callable
from datetime import timedelta

from assay.config import Settings
from assay.server.db import session_scope
from assay.server.pulls import providers, service
from assay.server.pulls.client import Client, ForgeError, Refused, Unavailable

log = logging.getLogger(__name__)
ClientFor = Callable[..., Client]


def fetch(
    check_id: str,
    settings: Settings,
    *,
    dispatch: Callable[[str], object],
    client_for: ClientFor = providers.client_for,
) -> None:
    """Fetch the commit, store it as a submission, say it is pending (or why it was refused),
    and only then queue its grading: the pending status never comes after the result."""
    with session_scope(settings.database) as session:
        found = service.to_fetch(session, check_id)
    if found is None:
        return
    check, repository = found
    try:
        with client_for(repository) as client:
            archive = providers.forge_for(repository, client).archive(
                check.sha, limit=settings.upload_max_bytes
            )
    except Refused as error:
        with session_scope(settings.database) as session:
            service.give_up(session, check_id, f"the commit could not be fetched: {error.message}")
        _tell(check_id, settings, client_for)
        return
    with session_scope(settings.database) as session:
        accepted = service.submit(session, settings, check_id, archive)
    _tell(check_id, settings, client_for)
    if accepted is not None and accepted.created:
        dispatch(accepted.submission.id)


def _tell(check_id: str, settings: Settings, client_for: ClientFor) -> None:
    """Report now, in the fetching task; what fails is left to the grading's report or the
    sweep, so that a provider away never holds the grading back."""
    try:
        report(check_id, settings, client_for=client_for)
    except ForgeError as error:
        log.warning("could not report check %s yet: %s", check_id, error)


def give_up(check_id: str, settings: Settings, why: str) -> None:
    with session_scope(settings.database) as session:
        service.give_up(session, check_id, why)


def report(
    check_id: str, settings: Settings, *, client_for: ClientFor = providers.client_for
) -> None:
    """Tell the provider what there is to tell of a check: a commit status, and on a pull
    request the one comment, made or edited."""
    with session_scope(settings.database) as session:
        planned = service.plan_report(session, check_id)
    if planned is None:
        return
    check, repository, notice = planned
    author = None
    try:
        with client_for(repository) as client:
            forge = providers.forge_for(repository, client)
            forge.set_status(check.sha, notice.status)
            if notice.comment is not None and check.pull is not None:
                author = forge.upsert_comment(
                    check.pull,
                    marker=service.marker(repository),
                    body=notice.comment,
                    author=repository.comment_author,
                )
    except (Refused, Unavailable) as error:
        log.warning("reporting check %s to %s failed: %s", check_id, repository.full_name, error)
        with session_scope(settings.database) as session:
            service.reported(session, check_id, notice.key, author=author, error=error.message)
        if isinstance(error, Unavailable):
            raise
        return
    with session_scope(settings.database) as session:
        service.reported(session, check_id, notice.key, author=author, error=None)


def finished(submission_id: str, settings: Settings) -> list[str]:
    """The checks to report now that a submission's grading ended."""
    with session_scope(settings.database) as session:
        return service.finished_checks(session, submission_id)


def sweep(
    settings: Settings,
    *,
    fetch_again: Callable[[str], object],
    report_again: Callable[[str], object],
    older_than: timedelta,
) -> int:
    """Send again what a lost task left: commits never fetched, results never reported."""
    with session_scope(settings.database) as session:
        fetching, unreported = service.stalled(session, older_than=older_than)
    for check_id in fetching:
        fetch_again(check_id)
    for check_id in unreported:
        report_again(check_id)
    return len(fetching) + len(unreported)

"""The grading task: an id in, the work done by :mod:`assay.server.gradings.runner`."""

import logging

from celery import Task
from kombu.exceptions import KombuError, OperationalError
from sqlalchemy.exc import SQLAlchemyError

from assay.config import Settings, get_settings
from assay.server.db import session_scope
from assay.server.gradings import runner
from assay.server.submissions import service as submissions
from assay.server.worker import celery

log = logging.getLogger(__name__)
SEND_RETRY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.5, "interval_max": 0.5}


@celery.task(
    bind=True,
    name="assay.grade",
    autoretry_for=(runner.InfrastructureError,),
    retry_backoff=5,
    retry_backoff_max=120,
    max_retries=8,
)
def grade_submission(self: Task, submission_id: str) -> None:
    runner.run(submission_id, get_settings())


def dispatch(submission_id: str, settings: Settings) -> bool:
    """Send a submission to the workers; False when the broker is away (the sweep resends)."""
    try:
        grade_submission.apply_async((submission_id,), retry=True, retry_policy=SEND_RETRY)
    except (KombuError, OperationalError, OSError) as error:
        log.warning("could not send %s to the broker: %s", submission_id, error)
        return False
    try:
        with session_scope(settings.database) as session:
            submissions.mark_dispatched(session, submission_id)
    except SQLAlchemyError:
        log.exception("sent %s but could not record it; the sweep may send it again", submission_id)
    return True

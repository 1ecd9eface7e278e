"""The pull-request tasks: fetch a commit, report a check. Ids in, the work done by
:mod:`assay.server.pulls.runner`.

They run on their own queue (``pulls``), which ``assay worker`` takes besides gradings; a
small worker on that queue alone (``assay worker --queues pulls``) reports without waiting for
a grading slot. A provider that stays away is retried with backoff for about an hour, without
holding any grading. A grading's end sends its report (``task_postrun``), and the sweep sends
again whatever a lost task left.
"""

import logging
from typing import Any

from celery import Task
from celery.signals import task_postrun
from kombu.exceptions import KombuError, OperationalError

from assay.config import get_settings
from assay.server.gradings.tasks import dispatch
from assay.server.pulls import runner
from assay.server.pulls.client import Unavailable
from assay.server.worker import celery

log = logging.getLogger(__name__)
RETRIES = 8
SEND_RETRY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.5, "interval_max": 0.5}


def _later(retries: int) -> int:
    """Seconds before the next try: 15 s, 30 s, ... up to 10 minutes."""
    return int(min(600, 15 * 2**retries))


@celery.task(bind=True, name="assay.pulls.fetch", max_retries=RETRIES)
def fetch_check(self: Task, check_id: str) -> None:
    settings = get_settings()
    try:
        runner.fetch(
            check_id, settings, dispatch=lambda submission_id: dispatch(submission_id, settings)
        )
    except Unavailable as error:
        if self.request.retries >= RETRIES:
            runner.give_up(check_id, settings, f"the provider stayed unavailable: {error.message}")
            send_report(check_id)
            return
        raise self.retry(exc=error, countdown=_later(self.request.retries)) from error


@celery.task(bind=True, name="assay.pulls.report", max_retries=RETRIES)
def report_check(self: Task, check_id: str) -> None:
    try:
        runner.report(check_id, get_settings())
    except Unavailable as error:
        if self.request.retries >= RETRIES:
            return  # the check keeps why; the sweep tries again later
        raise self.retry(exc=error, countdown=_later(self.request.retries)) from error


def _send(task: Any, check_id: str) -> bool:
    """Send a task; False when the broker is away (the sweep sends it later)."""
    try:
        task.apply_async((check_id,), retry=True, retry_policy=SEND_RETRY)
    except (KombuError, OperationalError, OSError) as error:
        log.warning("could not send %s for check %s: %s", task.name, check_id, error)
        return False
    return True


def send_fetch(check_id: str) -> bool:
    return _send(fetch_check, check_id)


def send_report(check_id: str) -> bool:
    return _send(report_check, check_id)


@task_postrun.connect
def _report_graded(sender: Any = None, args: Any = None, **_: Any) -> None:
    """When a grading task ends, report the checks of its submission (if any) at once."""
    if getattr(sender, "name", None) != "assay.grade" or not args:
        return
    try:
        for check_id in runner.finished(str(args[0]), get_settings()):
            send_report(check_id)
    except Exception:  # never let reporting break the worker; the sweep catches up
        log.exception("could not look for checks of submission %s", args[0])

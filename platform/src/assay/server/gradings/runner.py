"""What a worker does with one delivery of a grading task, with the engine's public API.

The attempt is started under the submission's row lock, the archive unpacked into a scratch
folder, and :func:`assay.grade` called with a progress callback that records each stage; a
heartbeat thread keeps the attempt alive through long stages. Database writes are retried
through a short outage (a PostgreSQL restart) so that a finished grading is not lost.
"""

import logging
import os
import socket
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from assay import Settings, grade, load_problem, open_sandbox
from assay.errors import InvalidInput, InvalidSubmission, PlatformError
from assay.grading.report import Stage
from assay.server.db import session_scope, utcnow
from assay.server.gradings import service
from assay.server.submissions import service as submissions
from assay.server.submissions.archives import unpack_canonical
from assay.server.submissions.models import Submission

log = logging.getLogger(__name__)
T = TypeVar("T")
WRITE_RETRIES = 12
WRITE_BACKOFF_S = 5.0


class InfrastructureError(Exception):
    """The database or the container engine is unavailable: worth trying again later."""


@dataclass(frozen=True)
class Work:
    submission_id: str
    attempt_id: str
    problem: str
    archive: bytes
    binding: dict[str, Any] | None
    overrides: dict[str, str] | None


def worker_name() -> str:
    """Which process grades: the host and the pid, as the pod's owner label says too."""
    return f"{socket.gethostname()}:{os.getpid()}"


def liveness(settings: Settings) -> service.Liveness:
    return service.Liveness(
        stale_after=timedelta(seconds=settings.stale_after_s),
        max_deliveries=settings.max_deliveries,
    )


def write(settings: Settings, change: Callable[[Session], T], *, retries: int = WRITE_RETRIES) -> T:
    """Run ``change`` in its own transaction, waiting out a database that is briefly away."""
    for attempt in range(retries):
        try:
            with session_scope(settings.database) as session:
                return change(session)
        except OperationalError as error:
            if attempt == retries - 1:
                raise InfrastructureError(f"the database is unavailable: {error}") from error
            log.warning("database unavailable, retrying in %.0f s: %s", WRITE_BACKOFF_S, error)
            time.sleep(WRITE_BACKOFF_S)
    raise AssertionError("unreachable")


def _claim(session: Session, submission_id: str, settings: Settings) -> Work | None:
    attempt = service.start(
        session, submission_id, worker=worker_name(), liveness=liveness(settings)
    )
    if attempt is None:
        return None
    submission = session.get_one(Submission, submission_id)
    archive = submissions.archive(session, submission)
    return Work(
        submission_id,
        attempt.id,
        submission.problem,
        archive,
        submission.binding,
        submission.overrides,
    )


@contextmanager
def _heartbeat(settings: Settings, attempt_id: str) -> Iterator[None]:
    stop = threading.Event()

    def beat() -> None:
        while not stop.wait(settings.heartbeat_s):
            try:
                write(settings, lambda session: service.heartbeat(session, attempt_id), retries=1)
            except InfrastructureError:
                log.warning("heartbeat of attempt %s not recorded", attempt_id)

    thread = threading.Thread(target=beat, name=f"heartbeat {attempt_id}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def _progress(settings: Settings, attempt_id: str) -> Callable[[Stage], None]:
    def record(stage: Stage) -> None:
        entry = {**stage.model_dump(mode="json", exclude={"log"}), "at": utcnow().isoformat()}
        try:
            write(settings, lambda session: service.progress(session, attempt_id, entry), retries=1)
        except InfrastructureError:
            log.warning("progress of attempt %s not recorded", attempt_id)

    return record


def run(submission_id: str, settings: Settings) -> None:
    """Grade one delivery of a submission, or do nothing when another delivery owns it."""
    work = write(settings, lambda session: _claim(session, submission_id, settings))
    if work is None:
        return
    try:
        sandbox = open_sandbox(settings, settings.sandbox, log.info)
    except PlatformError as error:
        why = error.message
        write(settings, lambda session: service.abandon(session, work.attempt_id, why))
        raise InfrastructureError(why) from error
    problem = load_problem(settings.root, work.problem)
    with (
        tempfile.TemporaryDirectory(prefix="assay-grading-") as scratch,
        _heartbeat(settings, work.attempt_id),
    ):
        folder = Path(scratch) / "submission"
        unpack_canonical(work.archive, folder)
        try:
            report = grade(
                problem,
                folder,
                sandbox=sandbox,
                cache_dir=settings.cache_dir,
                baseline_max_age_s=settings.baseline_max_age_s,
                binding=work.binding,
                overrides=work.overrides,
                progress=_progress(settings, work.attempt_id),
            )
        except InvalidInput as error:
            # It was checked when it was stored: failing now is the platform's fault.
            what = "archive" if isinstance(error, InvalidSubmission) else "pinned configuration"
            why = f"the stored {what} could not be graded: {error.message}"
            write(settings, lambda session: service.fail(session, work.attempt_id, why))
            return
    write(settings, lambda session: service.finish(session, work.attempt_id, report))


def sweep(settings: Settings, send: Callable[[str], bool], *, redispatch_after: timedelta) -> int:
    """Send again what a dead worker or the broker lost; returns how many were sent."""
    again = write(
        settings,
        lambda session: service.sweep(
            session, liveness(settings), redispatch_after=redispatch_after
        ),
    )
    return sum(send(submission_id) for submission_id in again)
